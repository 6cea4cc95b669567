"""The analyst's caseload file, turned into what the model needs for one area: the latest caseload
(by sex and age band when the file's breakdown adds up to the total) and the caseload table as it
may be shown, small cells suppressed. Reading and validating the file is ``load.local_data``'s
job; this module only chooses rows, so it is pure."""

from __future__ import annotations

import pandas as pd

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.caseload import local_caseload
from jsna_kit.model.disclosure import secondary_suppression, suppress_small_counts


def no_rows_for(file_name: str, wanted: list[str], held) -> str:
    """Why a caseload file gives nothing for the chosen areas, naming the areas it does hold."""
    codes = sorted(set(pd.Series(held).dropna().astype(str)))
    holds = (f" (it holds {', '.join(codes[:8])}{f' and {len(codes) - 8} more' if len(codes) > 8 else ''})"
             if codes else " (it holds no rows)")
    if len(wanted) == 1:
        return (f"{file_name} has no caseload rows for {wanted[0]}{holds}; add them, give the file for this area, "
                "or build the area with --caseload N")
    return f"{file_name} has caseload rows for none of the {len(wanted)} chosen areas{holds}; check its area codes"


def caseload_for_area(frame: pd.DataFrame, area_code: str, *, file_name: str) -> tuple[pd.DataFrame, dict]:
    """The area's latest caseload from a caseload file (``frame``: the file as ``load.local_data.
    read_caseload`` gives it; ``file_name`` names it in messages), and its description for the chapter.

    A breakdown (by sex, by age band, or both) is used for stratified estimates only when it adds
    up exactly to the area's total; otherwise the total alone is used and the chapter says why
    (people with no recorded sex or age are the usual reason)."""
    rows = frame[frame["area_code"] == area_code]
    if rows.empty:
        raise EstimateInputError(no_rows_for(file_name, [area_code], frame["area_code"]))
    if rows["date"].notna().any():
        rows = rows[rows["date"] == rows["date"].max()]
    total = rows[(rows["sex"] == "all") & (rows["age_band"] == "all")]
    if total.empty or total["caseload"].isna().all():
        raise EstimateInputError(f"{file_name}: the caseload for {area_code} needs a row with sex 'all' and "
                                 "age_band 'all' holding the total (it is missing or suppressed)")
    total_value = float(total["caseload"].iloc[0])
    breakdown = rows[~((rows["sex"] == "all") & (rows["age_band"] == "all"))]
    used = _consistent_breakdown(breakdown, total_value)
    published = publishable_breakdown(rows)
    table = local_caseload(pd.concat([total, used])[["area_code", "sex", "age_band", "caseload"]])
    date = total["date"].iloc[0]
    info = {
        "caseload_source": f"{total['source'].iloc[0] or file_name}"
                           + (f", {pd.Timestamp(date).strftime('%-d %B %Y')}" if pd.notna(date) else ""),
        "caseload_breakdown": published,
        "caseload_note": breakdown_note(breakdown, used, total_value, published),
        "court_orders": _first(total, "court_orders"),
        "licence": _first(total, "licence"),
    }
    return table, info


#: Each breakdown a caseload file may give: its rows, and what a reader calls it.
_DIMENSIONS = (("sex", lambda b: (b["sex"] != "all") & (b["age_band"] == "all")),
               ("age band", lambda b: (b["sex"] == "all") & (b["age_band"] != "all")),
               ("sex and age band", lambda b: (b["sex"] != "all") & (b["age_band"] != "all")))


def breakdown_gaps(breakdown: pd.DataFrame, total: float, published: list[dict]) -> dict[str, str]:
    """How each breakdown of the caseload that does not add up to the total falls short, in words,
    by breakdown ('sex', 'age band', 'sex and age band'). The gap is given in people only when
    every cell of that breakdown is published (the reader could then work it out anyway) and it is
    5 or more: a gap beside a suppressed cell would let a reader undo the suppression."""
    gaps = {}
    shown = {(c["sex"], c["age_band"]) for c in published if c["caseload"] is not None}
    for name, chosen in _DIMENSIONS:
        cells = breakdown[chosen(breakdown)]
        if cells.empty:
            continue
        known = not cells["caseload"].isna().any()
        gap = total - cells["caseload"].sum() if known else None
        if gap is not None and abs(gap) < 1e-9:
            continue
        every_cell_shown = known and all((r.sex, r.age_band) in shown for r in cells.itertuples())
        if every_cell_shown and gap >= 5:
            gaps[name] = f"add up to {gap:,.0f} fewer than the total (people with no recorded {name.split()[0]})"
        elif every_cell_shown and gap < 0:
            gaps[name] = f"add up to {-gap:,.0f} more than the total"
        else:
            gaps[name] = "do not add up to the total (some people have no recorded " \
                         f"{name.split()[0]}, or cells are suppressed)"
    return gaps


def breakdown_note(breakdown: pd.DataFrame, used: pd.DataFrame, total: float, published: list[dict]) -> str:
    """What the chapter says of a local breakdown that is not used, and why (``breakdown_gaps``);
    "" when every breakdown given adds up."""
    gaps = breakdown_gaps(breakdown, total, published)
    if not gaps:
        return ""
    said = "; ".join(f"the local figures by {name} {words}" for name, words in gaps.items())
    if used.empty:
        return f"{said[0].upper()}{said[1:]}, so the estimates use the total only."
    kind = next(name for name, chosen in _DIMENSIONS if chosen(used).all())
    return f"{said[0].upper()}{said[1:]}, so the estimates use the figures by {kind}, which add up."


def _first(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame or frame[column].isna().all():
        return None
    return float(frame[column].dropna().iloc[0])


def _consistent_breakdown(breakdown: pd.DataFrame, total: float) -> pd.DataFrame:
    """The finest breakdown whose cells are all known and add up exactly to the total."""
    if breakdown.empty or breakdown["caseload"].isna().any():
        return breakdown.iloc[0:0]
    both = breakdown[(breakdown["sex"] != "all") & (breakdown["age_band"] != "all")]
    by_sex = breakdown[(breakdown["sex"] != "all") & (breakdown["age_band"] == "all")]
    by_age = breakdown[(breakdown["sex"] == "all") & (breakdown["age_band"] != "all")]
    for candidate in (both, by_sex, by_age):
        if not candidate.empty and abs(candidate["caseload"].sum() - total) < 1e-9:
            return candidate
    return breakdown.iloc[0:0]


def publishable_breakdown(rows: pd.DataFrame, *, threshold: int = 5) -> list[dict]:
    """The caseload table (total and breakdown) as it may be shown: counts under ``threshold``
    suppressed, and enough other cells suppressed that none can be worked out from a total."""
    breakdown = rows
    if len(breakdown) < 2:
        return []
    frame = breakdown[["sex", "age_band", "caseload"]].copy()
    frame = suppress_small_counts(frame, ["caseload"], threshold=threshold)
    groups = [g for g in ("sex", "age_band") if frame[g].nunique() > 1]
    if groups:
        frame = secondary_suppression(frame, "caseload", groups, threshold=threshold)
    frame["caseload"] = frame["caseload"].where(~frame["caseload_suppressed"].astype(bool))
    return [{"sex": r.sex, "age_band": r.age_band,
             "caseload": None if pd.isna(r.caseload) else float(r.caseload)} for r in frame.itertuples()]
