"""Each chosen area's recommendations in its own order: its findings (``model.area_findings``:
local indicators against the nation and the statistical neighbours, locally adjusted needs, the
analyst's records, expected deaths, the caseload per adult) scored by the rule table
(``model.recommendations``). The result is the bundle's ``recommendations.csv``: every
recommendation for the area's nation, the top three first, each with the finding that raised it."""

from __future__ import annotations

import pandas as pd

from ..load.recommendation_rules import load_recommendation_rules
from ..model.area_findings import area_findings
from ..model.neighbours import standing_among_neighbours
from ..model.recommendations import FINDING_KINDS, PLACEHOLDERS, ordered_recommendations, score_recommendations

#: What the bundle keeps of each scored recommendation, in this order.
RECOMMENDATION_COLUMNS = ("order", "top", "recommendation_id", "priority_area", "owner", "text", "measure", "reason",
                          "finding", "score", "rule_points", "nation", "strategy_objective", "basis")


def _records(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None or frame.empty else frame.to_dict("records")


def recommendations_by_area(codes: list[str], *, names: dict[str, str], recommendations: pd.DataFrame,
                            estimates: dict[str, pd.DataFrame], context: dict[str, pd.DataFrame],
                            neighbours: dict[str, list[dict]], neighbour_values: dict[str, pd.DataFrame],
                            observed: dict[str, pd.DataFrame | None],
                            figures: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """By area: ``RECOMMENDATION_COLUMNS`` for every recommendation of its nation, in reading order."""
    rules = load_recommendation_rules(recommendations, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS)
    out = {}
    for code in codes:
        if code not in estimates:
            continue
        nation = "Wales" if code.startswith("W") else "England"
        values = neighbour_values.get(code)
        standing, ids = None, {}
        if values is not None and not values.empty and neighbours.get(code):
            standing = standing_among_neighbours(values, code, [n["code"] for n in neighbours[code]])
            ids = {str(n): int(i) for n, i in zip(values["indicator_name"], values["indicator_id"], strict=True) if i}
        rows = estimates[code]
        area = figures.get(code, {})
        findings = area_findings(
            context=_records(context.get(code)), standing=standing, ids_by_name=ids,
            headlines=_records(rows[rows["role"] == "headline"]), observed=_records(observed.get(code)),
            expected_deaths=area.get("expected_deaths") or [], caseload_per_1000=area.get("caseload_per_1000_adults"),
            national_per_1000=area.get("national_caseload_per_1000_adults"),
            caseload_kind=str(rows["caseload_kind"].iloc[0]), nation=nation)
        scored = score_recommendations(recommendations, rules, findings, nation=nation, area_name=names.get(code, code))
        ordered = ordered_recommendations(scored)
        for column in RECOMMENDATION_COLUMNS:
            if column not in ordered.columns:
                ordered[column] = None
        out[code] = ordered.loc[:, list(RECOMMENDATION_COLUMNS)].reset_index(drop=True)
    return out
