"""How far jsna-kit's English statistical neighbours agree with a published set: the Department
for Education's children's services statistical neighbours (May 2025), ten for each English
upper-tier authority.

    .venv/bin/python scripts/compare_neighbours.py            # the agreement, as Markdown
    .venv/bin/python scripts/compare_neighbours.py --from-workbook sn_may_2025.xlsx   # remake the list

The published list is kept in tests/fixtures/published_neighbours_dfe_2025.csv (its header says
where it came from). ``--from-workbook`` makes that file again from DfE's workbook, naming the
areas by GSS code instead of DfE's three-digit LA numbers.

Agreement is measured as the overlap of the two top-10 lists (how many of our ten are among
DfE's ten), averaged over areas, with the share of areas sharing at least 5 and at least 1, and
the same for the five nearest. Two random lists of 10 from 152 other areas would share
10 x 10 / 152 = 0.66 on average. The DfE model was built for children's services (its variables
include children's deprivation, ethnicity and free school meals), so full agreement is not
expected: the comparison says whether the two methods broadly find the same kinds of places.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from jsna_kit.load import snapshot
from jsna_kit.load.areas import load_areas
from jsna_kit.model import neighbours as nb

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "tests" / "fixtures" / "published_neighbours_dfe_2025.csv"
HEADER = """\
# DfE children's services statistical neighbours, May 2025 (ten per English upper-tier authority, SN1 nearest).
# Publisher: Department for Education; Open Government Licence v3.0.
# Copied from the DfE Local Authority Interactive Tool's repository (MIT licence):
# github.com/dfe-analytical-services/local-authority-interactive-tool, file 01_data/02_prod/sn_may_2025.xlsx,
# added in commit b3494e3d664dd68c9412e12f6a40c7bf975282d0 (2025-05-28),
# unchanged at 2e30e3959a6ab8b2d22941b84764da41a40ac91b (2026-04-08).
# DfE's three-digit LA numbers replaced by GSS codes (matched by name) by scripts/compare_neighbours.py --from-workbook.
"""
#: DfE names that differ from the area list's.
ALIASES = {"bedfordborough": "bedford", "durham": "countydurham", "herefordshire": "herefordshirecountyof"}


def _key(name: str) -> str:
    key = re.sub(r"[^a-z]", "", str(name).lower().replace("&", "and"))
    return ALIASES.get(key, key)


def published_from_workbook(path: Path, areas: pd.DataFrame) -> pd.DataFrame:
    """DfE's workbook (sheet 'LA SN Groups': LA number, name, then SN1..SN10 as LA numbers, each
    followed by a closeness label) as ``area_code, sn1..sn10`` in GSS codes."""
    sheet = pd.read_excel(path, header=None, skiprows=3)
    sheet = sheet[pd.to_numeric(sheet[0], errors="coerce").notna()]
    sheet = sheet[~sheet[1].astype(str).str.contains("Pre LG")].iloc[:, :25]
    england = areas[areas["country"] == "England"]
    by_name = {_key(n): c for n, c in zip(england["area_name"], england["area_code"], strict=True)}
    current = sheet[sheet[1].map(_key).isin(by_name)]
    number_to_code = {int(n): by_name[_key(name)] for n, name in zip(current[0], current[1], strict=True)}
    unmatched = sorted(set(by_name.values()) - set(number_to_code.values()))
    if unmatched:
        raise SystemExit(f"{path}: no DfE row for {', '.join(unmatched)}; add the name to ALIASES")
    wide = pd.DataFrame({"area_code": [number_to_code[int(n)] for n in current[0]]})
    for i in range(10):
        wide[f"sn{i + 1}"] = [number_to_code.get(int(n)) for n in current[5 + 2 * i]]
    return wide.sort_values("area_code", ignore_index=True)


def read_published(path: Path = PUBLISHED) -> pd.DataFrame:
    """The saved list as ``area_code, neighbour_code, rank``."""
    wide = pd.read_csv(path, comment="#", dtype=str)
    long = wide.melt(id_vars="area_code", var_name="rank", value_name="neighbour_code").dropna()
    long["rank"] = long["rank"].str[2:].astype(int)
    return long.sort_values(["area_code", "rank"], ignore_index=True)


def embedded_features(areas: pd.DataFrame) -> pd.DataFrame:
    deprivation = nb.deprivation_scores(snapshot.deprivation_table(areas), snapshot.fingertips_snapshot(areas))
    return nb.neighbour_features(snapshot.adult_population_table(areas), deprivation,
                                 snapshot.area_land_table(areas))


def agreement(ours: pd.DataFrame, published: pd.DataFrame, top: int = 10) -> dict[str, float]:
    """Overlap of each area's first ``top`` neighbours in the two lists, over the areas in both."""
    a = ours[ours["rank"] <= top].groupby("area_code")["neighbour_code"].agg(set)
    b = published[published["rank"] <= top].groupby("area_code")["neighbour_code"].agg(set)
    common = a.index.intersection(b.index)
    overlap = pd.Series([len(a[c] & b[c]) for c in common], index=common)
    return {"areas": len(common), "mean_overlap": overlap.mean(),
            "at_least_half": (overlap >= (top + 1) // 2).mean(),
            "at_least_one": (overlap >= 1).mean(), "none": (overlap == 0).mean(),
            "nearest_in_their_list": pd.Series([ours.loc[(ours["area_code"] == c) & (ours["rank"] == 1),
                                                         "neighbour_code"].iloc[0] in b[c] for c in common]).mean()}


def benchmark_accuracy(neighbours: pd.DataFrame, indicators: pd.DataFrame) -> float:
    """How well a list predicts: for each Fingertips indicator, the correlation across areas
    between an area's value and the mean of its neighbours' values, averaged over indicators
    (the criterion NFER used to choose the DfE model's variables). ``indicators``: one column per
    indicator, one row per area."""
    means = (neighbours.merge(indicators, left_on="neighbour_code", right_index=True)
             .groupby("area_code")[list(indicators.columns)].mean())
    return float(indicators.loc[means.index].corrwith(means).mean())


def report(areas: pd.DataFrame, published: pd.DataFrame) -> str:
    features = embedded_features(areas)
    fingertips = snapshot.fingertips_snapshot(areas)
    fingertips = fingertips[(fingertips["area_code"] != nb.ENGLAND)
                            & (fingertips["indicator_id"] != nb.IMD_2025_INDICATOR)]
    indicators = fingertips.pivot(index="area_code", columns="indicator_name", values="value")
    england = features[features["nation"] == "England"]
    variants = {
        "jsna-kit weights (WEIGHTS)": dict(nb.WEIGHTS),
        "equal weights": {v: 1.0 for v in nb.WEIGHTS},
        "deprivation only": {"deprivation": 1.0},
        "population, age, density only": {**{v: 1.0 for v in nb.WEIGHTS}, "deprivation": 0.0},
    }
    lines = ["| weights | areas | mean overlap of top 10 | ≥5 of 10 in common | ≥1 in common | none in common "
             "| our nearest in DfE's 10 | mean overlap of top 5 | benchmark accuracy |",
             "|---|---|---|---|---|---|---|---|---|"]
    for label, weights in variants.items():
        ours = nb.statistical_neighbours(england, k=10, weights=weights)
        ten, five = agreement(ours, published, 10), agreement(ours, published, 5)
        lines.append(f"| {label} | {ten['areas']} | {ten['mean_overlap']:.2f} | {ten['at_least_half']:.0%} | "
                     f"{ten['at_least_one']:.0%} | {ten['none']:.0%} | {ten['nearest_in_their_list']:.0%} | "
                     f"{five['mean_overlap']:.2f} | {benchmark_accuracy(ours, indicators):.2f} |")
    lines.append(f"| DfE's published list | | | | | | | | {benchmark_accuracy(published, indicators):.2f} |")
    lines.append("\nChance: two random lists of 10 from the 152 other areas share 0.66 on average. Benchmark "
                 "accuracy: the correlation between an area's value and its neighbours' mean, averaged over the "
                 f"{indicators.shape[1]} Fingertips indicators of the snapshot other than the IMD score.")
    ours = nb.statistical_neighbours(england, k=10, weights=nb.WEIGHTS)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    lines.append("")
    for name in ("Liverpool", "Norfolk", "Blackpool", "Wokingham"):
        code = areas.loc[areas["area_name"] == name, "area_code"].iloc[0]
        mine = ours.loc[ours["area_code"] == code, "neighbour_code"].tolist()
        theirs = published.loc[published["area_code"] == code, "neighbour_code"].tolist()
        lines.append(f"- {name}: {len(set(mine) & set(theirs))} in common. jsna-kit: "
                     f"{', '.join(names[c] for c in mine)}. DfE: {', '.join(names[c] for c in theirs)}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-workbook", type=Path, help="DfE's sn_may_2025.xlsx: write the saved list again")
    args = parser.parse_args(argv)
    areas = load_areas(None, validate=False)
    if args.from_workbook:
        wide = published_from_workbook(args.from_workbook, areas)
        PUBLISHED.write_text(HEADER + wide.to_csv(index=False), encoding="utf-8")
        print(f"wrote {PUBLISHED} ({len(wide)} areas)")
        return 0
    print(report(areas, read_published()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
