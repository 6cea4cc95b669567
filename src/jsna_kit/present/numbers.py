"""How numbers are written in a chapter: thousands separators, percentages to a sensible number
of figures, intervals as "690 to 870" (a dash reads as a minus sign to screen readers)."""

from __future__ import annotations

import math

from .lang import N_, translate


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


SMALL_NUMBERS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve")


def in_words(n: int, *, capital: bool = False, language: str = "en") -> str:
    """A small number of things (not people) in words, as plain English writes them ("four"; "Four"
    to start a sentence); figures from 13. Welsh public documents write numbers in figures, so a
    Welsh chapter shows the figure ("4")."""
    if language != "en":
        return str(n)
    word = SMALL_NUMBERS[n] if 0 <= n < len(SMALL_NUMBERS) else str(n)
    return word[:1].upper() + word[1:] if capital else word


def count(value: object, *, language: str = "en") -> str:
    """A count or rounded estimate: ``1234.0`` -> ``1,234``; missing -> ``not available``."""
    if is_missing(value):
        return translate(language, "not available")
    return f"{round(float(value)):,}"


def about(value: object, *, language: str = "en") -> str:
    """An estimated number of people in words: ``about 1,234``; below one half, ``fewer than one``
    (never "about 0")."""
    if is_missing(value):
        return translate(language, "not available")
    if float(value) < 0.5:
        return translate(language, "fewer than one")
    return translate(language, "about {n}", n=count(value))


def percent(value: object, *, digits: int | None = None, language: str = "en") -> str:
    """A percentage: one decimal place below 10%, whole numbers above, unless ``digits`` given."""
    if is_missing(value):
        return translate(language, "not available")
    v = float(value)
    if digits is None:
        digits = 1 if abs(v) < 10 and v != round(v) else 0
    return f"{v:.{digits}f}%"


def interval(lower: object, upper: object, *, kind: str = "count", level: str = "95%",
             language: str = "en") -> str:
    """``95% CI 690 to 870`` (a sampling interval); empty string when either bound is missing."""
    if is_missing(lower) or is_missing(upper):
        return ""
    fmt = count if kind == "count" else percent
    return translate(language, "{level} CI {lower} to {upper}", level=level, lower=fmt(lower), upper=fmt(upper))


#: How each kind of range on an estimate (``model.synthetic.RANGE_KINDS``) is named beside it.
RANGE_NAMES = {
    "confidence_interval": N_("95% CI"),
    "uncertainty_range": N_("95% uncertainty range"),
    "caseload_range": N_("range from the modelled caseload alone"),
}


def estimate_range(row: dict, *, language: str = "en") -> str:
    """An estimate's range named for what it covers: ``95% CI 95 to 140``, ``95% uncertainty
    range 95 to 140`` or ``range from the modelled caseload alone 130 to 170``; empty when none."""
    lower, upper = row.get("expected_lower"), row.get("expected_upper")
    if is_missing(lower) or is_missing(upper):
        return ""
    kind = row.get("range_kind")
    name = translate(language, RANGE_NAMES.get(str(kind), "95% CI"))
    return translate(language, "{name} {lower} to {upper}", name=name, lower=count(lower), upper=count(upper))
