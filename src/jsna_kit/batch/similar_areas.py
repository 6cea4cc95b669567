"""Each chosen area's statistical neighbours (``model.neighbours``), computed once for all 175
areas, and the table its chapter compares it with them on: the area's, its neighbours' and its
nation's values of the embedded local indicators (England: the Fingertips snapshot; Wales: Wales's
own figures) and of the modelled caseload per 1,000 adults. Read from the embedded snapshot
(``load.snapshot``); written into ``chapter.json`` (``neighbours``) and the bundle's
``neighbours.csv``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.snapshot import (
    adult_population_table,
    area_land_table,
    deprivation_table,
    fingertips_snapshot,
    wales_indicators,
)
from ..load.welsh_names import welsh_area_names
from ..model.disclosure import publish_count
from ..model.neighbours import NATION_CODES, caseload_rate, neighbours_from_tables

#: The indicators an area is compared with its neighbours on, in the chapter's order: what bears
#: most on the health of people on probation. Wales's own figures are all compared.
ENGLISH_INDICATORS = (94240, 92432, 92906, 41001, 92443, 40601, 93015)
CASELOAD_INDICATOR = "People on probation per 1,000 adults (modelled)"
VALUE_COLUMNS = ("area_code", "area_name", "role", "indicator_id", "indicator_name", "polarity", "unit", "period",
                 "value")


def caseload_per_1000(modelled: pd.DataFrame, adults: pd.DataFrame) -> pd.Series:
    """Each area's modelled caseload (headline model) per 1,000 adults, by area code; the nations' rates too."""
    totals = modelled[(modelled["sex"] == "all") & (modelled["age_band"] == "all")].set_index("area_code")["caseload"]
    return caseload_rate(totals, adults)


def neighbour_values(areas: pd.DataFrame, caseload_rate: pd.Series | None) -> pd.DataFrame:
    """One row per area (and nation) x indicator the chapters compare neighbours on."""
    english = fingertips_snapshot(areas)
    english = english[english["indicator_id"].astype(int).isin(ENGLISH_INDICATORS)]
    english = english.assign(order=english["indicator_id"].astype(int).map(
        {i: n for n, i in enumerate(ENGLISH_INDICATORS)}))
    welsh = wales_indicators(areas).assign(order=lambda f: 100 + f["indicator_id"].astype(int) % 1000)
    columns = ["area_code", "indicator_id", "indicator_name", "polarity", "unit", "period", "value", "order"]
    values = pd.concat([english[columns], welsh[columns]], ignore_index=True)
    if caseload_rate is not None and not caseload_rate.empty:
        values = pd.concat([pd.DataFrame({
            "area_code": caseload_rate.index, "indicator_id": 0, "indicator_name": CASELOAD_INDICATOR,
            "polarity": "no_judgement", "unit": "per_1000", "period": "", "value": caseload_rate.round(2).to_numpy(),
            "order": -1}), values], ignore_index=True)
    values["value"] = pd.to_numeric(values["value"], errors="coerce")
    return values.sort_values(["order", "area_code"], kind="stable").drop(columns="order").reset_index(drop=True)


def similar_areas(codes: list[str], areas: pd.DataFrame,
                  modelled: pd.DataFrame | None) -> tuple[dict, dict, pd.DataFrame]:
    """For each area in ``codes``: (``chapter.json``'s ``neighbours``: ``[{code, name, rank}]``
    nearest first, a Welsh area with its official Welsh name too, ``name_cy``; the bundle's
    ``neighbours.csv``: the values of the area, its neighbours and its nation), and every area's
    values (``neighbour_values``). ``modelled``: every area's modelled caseload rows (headline
    model), whose rate per adult is a neighbour variable and a compared measure; None leaves it out."""
    adults = adult_population_table(areas)
    rate = caseload_per_1000(modelled, adults) if modelled is not None and not modelled.empty else None
    table = neighbours_from_tables(adults, deprivation_table(areas), fingertips_snapshot(areas),
                                   area_land_table(areas), rate)
    table = table[table["area_code"].isin(codes)]
    # "Kingston upon Hull, City of" reads as two places in a list
    names = {code: str(name).removesuffix(", City of").removesuffix(", County of")
             for code, name in zip(areas["area_code"], areas["area_name"], strict=True)}
    names.update({code: nation for nation, code in NATION_CODES.items()})
    names_cy = welsh_area_names(areas)
    # Compared and shown as the chapter states each caseload: from the published (rounded) figure, so
    # "8.7 per 1,000" is the same number in the summary and among the similar areas.
    shown = (caseload_per_1000(modelled.assign(caseload=modelled["caseload"].map(publish_count)), adults)
             if rate is not None else None)
    values = neighbour_values(areas, shown)
    positions = values.groupby("area_code", sort=False).indices  # code -> its rows' positions, once
    columns = {c: values[c].to_numpy() for c in VALUE_COLUMNS if c in values.columns}
    lists, tables = {}, {}
    for code, rows in table.groupby("area_code", sort=False):
        rows = rows.sort_values("rank")
        lists[code] = [{"code": n, "name": names.get(n, n), **({"name_cy": names_cy[n]} if n in names_cy else {}),
                        "rank": int(r)} for n, r in zip(rows["neighbour_code"], rows["rank"], strict=True)]
        nation = NATION_CODES["Wales" if code.startswith("W") else "England"]
        role = {code: "area", nation: "nation", **{n: "neighbour" for n in rows["neighbour_code"]}}
        # the rows of these areas in the values' own order
        taken = np.sort(np.concatenate([positions[c] for c in role if c in positions] or [np.array([], int)]))
        in_area = columns["area_code"][taken]
        tables[code] = pd.DataFrame({c: ([names.get(a, a) for a in in_area] if c == "area_name" else
                                         [role[a] for a in in_area] if c == "role" else columns[c][taken])
                                     for c in VALUE_COLUMNS})
    return lists, tables, values
