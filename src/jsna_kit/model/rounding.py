"""Figures as a reader sees them: rounded from their shortest decimal form, halves up, and a
range's limits rounded away from the figure they bound, so a printed range always holds the range
worked out. Pure, and free of pandas, so that any layer may use them."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def half_up(value: object, decimals: int = 1) -> float:
    """``value`` rounded as a reader rounds it, halves up from its shortest decimal form: 10.95 is
    11.0 (binary rounding prints 10.9, since 10.95 is stored as 10.9499...). NaN stays NaN."""
    number = _finite(value)
    if number is None:
        return float("nan")
    return float(Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def outward(value: object, decimals: int = 1, *, down: bool) -> float:
    """A range's limit rounded away from its figure: down for a lower limit, up for an upper one
    (9.04 -> 9.0 down, 11.01 -> 11.1 up). NaN stays NaN."""
    number = _finite(value)
    if number is None:
        return float("nan")
    return float(Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimals),
                                                rounding=ROUND_FLOOR if down else ROUND_CEILING))


def fixed(value: object, decimals: int = 1) -> str:
    """``value`` half up to ``decimals`` places, with thousands separators: ``1,234.5``."""
    return f"{half_up(value, decimals):,.{decimals}f}"


def fixed_range(lower: object, upper: object, decimals: int = 1) -> tuple[str, str]:
    """A range's limits as printed, rounded outwards: (``9.0``, ``11.1``)."""
    return (f"{outward(lower, decimals, down=True):,.{decimals}f}",
            f"{outward(upper, decimals, down=False):,.{decimals}f}")
