"""Each chosen area's recommendations in its own order: its findings (``model.area_findings``:
local indicators against the nation and the statistical neighbours, locally adjusted needs, the
analyst's records, expected deaths, the caseload per adult) scored by the rule table
(``model.recommendations_batch``, all areas at once). The result is the bundle's
``recommendations.csv``: every recommendation for the area's nation, the top three first, each
with the finding that raised it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.recommendation_rules import load_recommendation_rules
from ..model.area_findings import area_findings
from ..model.neighbours import NATION_CODES
from ..model.recommendations import FINDING_KINDS, PLACEHOLDERS
from ..model.recommendations_batch import ordered_for_areas

#: What the bundle keeps of each scored recommendation, in this order.
RECOMMENDATION_COLUMNS = ("order", "top", "recommendation_id", "priority_area", "owner", "text", "measure", "reason",
                          "finding", "score", "rule_points", "nation", "strategy_objective", "basis")


def _records(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None or frame.empty else frame.to_dict("records")


#: The context columns the findings read.
CONTEXT_COLUMNS = ("area_code", "indicator_id", "indicator_name", "polarity", "value", "england_value",
                   "benchmark_england_95", "comparator_name")


def standings(wide: pd.DataFrame, polarity: pd.Series, area_code: str, neighbour_codes: list[str]) -> pd.DataFrame:
    """Where the area stands among itself and its neighbours on each measure: the columns of
    ``model.neighbours.standing_among_neighbours`` that the findings read (``indicator_name,
    polarity, value, position, position_from_lowest, compared``), from ``wide`` (every area's
    values, one column a measure: one pivot for all areas, where the model's function filters the
    long table once per measure, too slow for 175 areas) and each measure's ``polarity``."""
    group = [c for c in [area_code, *neighbour_codes] if c in wide.index]
    if area_code not in wide.index:
        return pd.DataFrame()
    block = wide.loc[group].to_numpy(dtype=float)
    own, others = block[0], block[1:]
    with np.errstate(invalid="ignore"):
        higher = np.nansum(others > own, axis=0)
        lower = np.nansum(others < own, axis=0)
    compared = 1 + np.sum(~np.isnan(others), axis=0)
    nation = NATION_CODES["Wales" if area_code.startswith("W") else "England"]
    nation_values = wide.loc[nation] if nation in wide.index else pd.Series(np.nan, index=wide.columns)
    frame = pd.DataFrame({"indicator_name": wide.columns, "value": own, "position": 1 + higher,
                          "position_from_lowest": 1 + lower, "compared": compared,
                          "nation_value": nation_values.to_numpy(dtype=float)})
    frame["polarity"] = frame["indicator_name"].map(polarity).fillna("no_judgement")
    return frame[~np.isnan(own)].reset_index(drop=True)


def recommendations_by_area(codes: list[str], *, names: dict[str, str], recommendations: pd.DataFrame,
                            estimates: dict[str, pd.DataFrame], context: dict[str, pd.DataFrame],
                            neighbours: dict[str, list[dict]], neighbour_values: pd.DataFrame | None,
                            observed: dict[str, pd.DataFrame | None],
                            figures: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """By area: ``RECOMMENDATION_COLUMNS`` for every recommendation of its nation, in reading order.
    ``neighbour_values``: every area's values of the measures compared with neighbours
    (``batch.similar_areas.neighbour_values``)."""
    rules = load_recommendation_rules(recommendations, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS)
    frames = [f.loc[:, [c for c in CONTEXT_COLUMNS if c in f.columns]] for f in context.values() if f is not None]
    context_rows: dict[str, list[dict]] = {}
    for row in (pd.concat(frames, ignore_index=True).to_dict("records") if frames else []):
        context_rows.setdefault(row["area_code"], []).append(row)
    wide, polarity, ids = None, pd.Series(dtype=object), {}
    if neighbour_values is not None and not neighbour_values.empty:
        wide = neighbour_values.pivot_table(index="area_code", columns="indicator_name", values="value",
                                            aggfunc="first")
        firsts = neighbour_values.drop_duplicates("indicator_name").set_index("indicator_name")
        polarity = firsts["polarity"]
        ids = {str(n): int(i) for n, i in firsts["indicator_id"].items() if i}
    heads: dict[str, list[dict]] = {}
    columns = ["area_code", "priority_area", "role", "prevalence_pct", "adjusted_pct", "finding_phrase"]
    frames = [f.loc[f["role"] == "headline", [c for c in columns if c in f.columns]] for f in estimates.values()]
    for row in (pd.concat(frames, ignore_index=True).to_dict("records") if frames else []):
        heads.setdefault(row["area_code"], []).append(row)
    findings = {}
    for code in codes:
        if code not in estimates:
            continue
        nation = "Wales" if code.startswith("W") else "England"
        standing = (standings(wide, polarity, code, [n["code"] for n in neighbours[code]])
                    if wide is not None and neighbours.get(code) else None)
        rows = estimates[code]
        area = figures.get(code, {})
        findings[code] = area_findings(
            context=context_rows.get(code, []), standing=standing, ids_by_name=ids,
            headlines=heads.get(code, []), observed=_records(observed.get(code)),
            expected_deaths=area.get("expected_deaths") or [], caseload_per_1000=area.get("caseload_per_1000_adults"),
            national_per_1000=area.get("national_caseload_per_1000_adults"),
            caseload_kind=str(rows["caseload_kind"].iloc[0]), nation=nation)
    if not findings:
        return {}
    ordered = ordered_for_areas(recommendations, rules, findings, names=names)
    for column in RECOMMENDATION_COLUMNS:
        if column not in ordered.columns:
            ordered[column] = None
    return {code: rows.loc[:, list(RECOMMENDATION_COLUMNS)].reset_index(drop=True)
            for code, rows in ordered.groupby("area_code", sort=False)}
