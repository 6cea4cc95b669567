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
from ..model.area_findings import finding_records
from ..model.neighbours import NATION_CODES
from ..model.recommendations import FINDING_KINDS, PLACEHOLDERS
from ..model.recommendations_batch import ordered_for_areas

#: What the bundle keeps of each scored recommendation, in this order.
RECOMMENDATION_COLUMNS = ("order", "top", "recommendation_id", "priority_area", "owner", "text", "measure", "reason",
                          "finding", "score", "rule_points", "nation", "strategy_objective", "basis")
#: A Welsh area's too: its Welsh chapter's reason and rewording (issue 27).
WELSH_COLUMNS = ("reason_cy", "text_cy")


def _records(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None or frame.empty else frame.to_dict("records")


#: The context columns the findings read.
CONTEXT_COLUMNS = ("area_code", "indicator_id", "indicator_name", "polarity", "value", "england_value",
                   "benchmark_england_95", "comparator_name")


class Standings:
    """Where each area stands among itself and its neighbours on each measure: the fields of
    ``model.neighbours.standing_among_neighbours`` that the findings read (``indicator_name,
    polarity, value, position, position_from_lowest, compared, nation_value``), from every area's
    values (``batch.similar_areas.neighbour_values``) pivoted once into one array: the model's
    function filters the long table once per measure, too slow for 175 areas."""

    def __init__(self, values: pd.DataFrame):
        wide = values.pivot_table(index="area_code", columns="indicator_name", values="value", aggfunc="first")
        firsts = values.drop_duplicates("indicator_name").set_index("indicator_name")
        self.names = [str(n) for n in wide.columns]
        self.polarity = [str(p) if isinstance(p, str) and p else "no_judgement"
                         for p in firsts["polarity"].reindex(wide.columns)]
        self.ids = {str(n): int(i) for n, i in firsts["indicator_id"].items() if i}
        self.row = {code: i for i, code in enumerate(wide.index)}
        self.array = wide.to_numpy(dtype=float)

    def of(self, area_code: str, neighbour_codes: list[str]) -> list[dict]:
        """One record per measure the area has a value for, in the table's column order."""
        if area_code not in self.row:
            return []
        own = self.array[self.row[area_code]]
        others = self.array[[self.row[c] for c in neighbour_codes if c in self.row and c != area_code]]
        others = others if others.size else np.empty((0, len(own)))
        nation = self.row.get(NATION_CODES["Wales" if area_code.startswith("W") else "England"])
        with np.errstate(invalid="ignore"):
            higher = (others > own).sum(axis=0)
            lower = (others < own).sum(axis=0)
        compared = 1 + (~np.isnan(others)).sum(axis=0)
        return [{"indicator_name": self.names[j], "polarity": self.polarity[j], "value": float(own[j]),
                 "position": 1 + int(higher[j]), "position_from_lowest": 1 + int(lower[j]),
                 "compared": int(compared[j]),
                 "nation_value": float(self.array[nation, j]) if nation is not None else np.nan}
                for j in range(len(own)) if not np.isnan(own[j])]


def recommendations_by_area(codes: list[str], *, names: dict[str, str], names_cy: dict[str, str] | None = None,
                            recommendations: pd.DataFrame,
                            estimates: dict[str, pd.DataFrame], context: dict[str, pd.DataFrame],
                            neighbours: dict[str, list[dict]], neighbour_values: pd.DataFrame | None,
                            observed: dict[str, pd.DataFrame | None],
                            figures: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """By area: ``RECOMMENDATION_COLUMNS`` for every recommendation of its nation, in reading order.
    ``neighbour_values``: every area's values of the measures compared with neighbours
    (``batch.similar_areas.neighbour_values``). A Welsh area's table has ``WELSH_COLUMNS`` too,
    ``{area}`` in them filled with its name in ``names_cy``."""
    rules = load_recommendation_rules(recommendations, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS)
    frames = [f for f in context.values() if f is not None]
    context_rows: dict[str, list[dict]] = {}
    if frames:  # one table, one selection, one pass: not one per area
        joined = pd.concat(frames, ignore_index=True)
        for row in joined.loc[:, [c for c in CONTEXT_COLUMNS if c in joined.columns]].to_dict("records"):
            context_rows.setdefault(row["area_code"], []).append(row)
    table = (Standings(neighbour_values) if neighbour_values is not None and not neighbour_values.empty
             else None)
    ids = table.ids if table is not None else {}
    heads: dict[str, list[dict]] = {}
    columns = ["area_code", "priority_area", "role", "prevalence_pct", "adjusted_pct", "finding_phrase"]
    if estimates:  # one table, one selection, one pass: not one per area
        joined = pd.concat(list(estimates.values()), ignore_index=True)
        joined = joined.loc[joined["role"] == "headline", [c for c in columns if c in joined.columns]]
        for row in joined.to_dict("records"):
            heads.setdefault(row["area_code"], []).append(row)
    findings = {}
    for code in codes:
        if code not in estimates:
            continue
        nation = "Wales" if code.startswith("W") else "England"
        standing = (table.of(code, [n["code"] for n in neighbours[code]])
                    if table is not None and neighbours.get(code) else None)
        rows = estimates[code]
        area = figures.get(code, {})
        findings[code] = finding_records(
            context=context_rows.get(code, []), standing=standing, ids_by_name=ids,
            headlines=heads.get(code, []), observed=_records(observed.get(code)),
            expected_deaths=area.get("expected_deaths") or [], caseload_per_1000=area.get("caseload_per_1000_adults"),
            national_per_1000=area.get("national_caseload_per_1000_adults"),
            caseload_kind=str(rows["caseload_kind"].iloc[0]), nation=nation)
    if not findings:
        return {}
    ordered = ordered_for_areas(recommendations, rules, findings, names=names, names_cy=names_cy)
    everything = (*RECOMMENDATION_COLUMNS, *WELSH_COLUMNS)
    for column in everything:
        if column not in ordered.columns:
            ordered[column] = None
    # Split by area from plain column arrays: pandas' own per-group selection costs 2 ms an area.
    columns = {c: ordered[c].to_numpy() for c in everything}
    return {code: pd.DataFrame({c: columns[c][rows]
                                for c in (everything if code.startswith("W") else RECOMMENDATION_COLUMNS)})
            for code, rows in ordered.groupby("area_code", sort=False).indices.items()}
