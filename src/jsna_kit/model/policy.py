"""The national policy a chapter describes (reference ``policy.csv``): which statements apply to a
nation, when they were last checked, and which are too old to print. Pure functions of the table."""

from __future__ import annotations

import datetime as dt

import pandas as pd

#: A statement checked longer ago than this before the build date is stale: policy moves.
STALE_AFTER_MONTHS = 12


def statements_for(policy: pd.DataFrame, nation: str) -> pd.DataFrame:
    """The statements that apply in ``nation`` ("England" or "Wales"): its own and those for
    England and Wales, in the table's order."""
    return policy[policy["nation"].isin((nation, "England and Wales"))]


def last_checked(policy: pd.DataFrame) -> dt.date | None:
    """The oldest checked-on date among ``policy``'s statements: the date the whole set is known to
    be current to. None for no statements."""
    if policy.empty:
        return None
    return min(dt.date.fromisoformat(str(d)) for d in policy["checked_on"])


def stale_statements(policy: pd.DataFrame, today: dt.date, months: int = STALE_AFTER_MONTHS) -> list[str]:
    """The ids of statements last checked more than ``months`` months before ``today``."""
    limit = _months_before(today, months)
    return [str(i) for i, d in zip(policy["statement_id"], policy["checked_on"], strict=True)
            if dt.date.fromisoformat(str(d)) < limit]


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):  # 31 March less one month is the last day of February
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
