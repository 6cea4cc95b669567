"""Make the small derived tables in data/reference/ from the official files in ../shared/data.

    .venv/bin/python scripts/derive_reference_tables.py [--data-dir ../shared/data] [--check]

``--check`` compares instead of writing, and exits 1 on a difference. Each table is described,
with its publisher, period and licence, in data/reference/README.md.

lower_tier_districts.csv: every current English lower-tier district (E07) with the county it lies
in, so a district code given where an upper-tier area is wanted can be answered with that county.
Source: mySociety, UK local authority names and codes (lookups/uk_local_authorities_current.csv,
2024), CC BY 4.0.

The embedded snapshot (so that every chapter is local on a fresh machine; ONS, MHCLG, Welsh
Government and OHID figures, Open Government Licence v3):

- population_adults_mid2023.csv: adults (18+) by area, sex and age band, ONS mid-2023 estimates
  (population/mye23tablesew.xlsx, sheets "MYE2 - Males" and "MYE2 - Females", single years of age),
  for the 175 upper-tier areas of England and Wales (2023 boundaries).
- deprivation.csv: one row per area and index, each index on its own scale: English IoD 2019
  upper-tier summaries (deprivation/imd2019_utla_summary_ctyua23.csv, from File 11), English IoD
  2025 district summaries (deprivation/indices_of_deprivation_2025_lad.csv, File 10) for the areas
  that are themselves districts, and the Welsh IMD 2019 by local authority
  (deprivation/wimd2019_la_summary.csv) and 2025 (wales/wimd2025_lsoa_ranks_deciles.csv, summed by
  local authority).
- area_land.csv: each upper-tier area's land area in km2, measured from the ONS December 2023
  boundaries (boundaries/ctyua_2023_uk_bsc.geojson) on the British National Grid: the density
  that the caseload model and the statistical neighbours use.
- fingertips_snapshot.csv: the latest Fingertips value of 14 indicators for every English
  upper-tier area and England (extracts/fingertips_latest/fingertips_latest_values_utla.csv),
  without intervals, with the priority area and polarity jsna-kit gives each.
- welsh_area_names.csv: the 22 Welsh areas' official Welsh names (ONS December 2023 boundaries,
  CTYUA23NMW), for the Welsh chapters where the boundary file is not in the data directory.
- wales_indicators.csv: Wales's own published local figures for the 22 Welsh areas and Wales
  (W92000004), in the shape of fingertips_snapshot.csv plus ``indicator_key``, ``source`` and
  ``note``: ONS suicide rate 2021-23 and drug-poisoning deaths 2022, National Survey for Wales
  2021-23 lifestyles, Public Health Wales alcohol admissions 2023/24 and the WIMD 2025 domain
  shares (wales/, see ../shared/data/PROVENANCE.md). Indicator ids are in jsna-kit's reserved
  range 9000001-9000999 (``jsna_kit.load.snapshot.WALES_INDICATORS``), which no Fingertips id uses.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGE_BANDS = (("18-24", 18, 24), ("25-34", 25, 34), ("35-49", 35, 49), ("50-64", 50, 64), ("65+", 65, 200))
UPPER_TIER_PREFIXES = ("E06", "E08", "E09", "E10", "W06")

# What jsna-kit makes of each indicator of the Fingertips extract: the chapter section it belongs
# to and which direction is better (the extract's own "better" field, checked against Fingertips).
SNAPSHOT_INDICATORS = {
    41001: ("suicide_prevention", "low_is_good"),
    92432: ("substance_misuse", "low_is_good"),
    92906: ("substance_misuse", "low_is_good"),
    92443: ("physical_health", "low_is_good"),
    93015: ("physical_health", "low_is_good"),
    93881: ("physical_health", "low_is_good"),
    40401: ("physical_health", "low_is_good"),
    40501: ("physical_health", "low_is_good"),
    40601: ("physical_health", "low_is_good"),
    40701: ("physical_health", "low_is_good"),
    93861: ("physical_health", "low_is_good"),
    94240: ("context", "low_is_good"),
    93701: ("context", "low_is_good"),
    93759: ("context", "low_is_good"),
}
UNITS = {"%": "percent", "per 100,000": "per_100000", "score": "score"}


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _number(value: float, digits: int = 4) -> str:
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def lower_tier_districts(data_dir: Path) -> str:
    with (data_dir / "lookups" / "uk_local_authorities_current.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    gss = {r["local-authority-code"]: r["gss-code"] for r in rows}
    names = {r["gss-code"]: r["nice-name"] for r in rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["district_code", "district_name", "upper_tier_code", "upper_tier_name"])
    for r in sorted(rows, key=lambda r: r["gss-code"]):
        if r["gss-code"].startswith("E07") and r["current-authority"].strip().lower() == "true":
            county = gss.get(r["county-la"], "")
            writer.writerow([r["gss-code"], r["nice-name"], county, names.get(county, "")])
    return out.getvalue()


def _mye2(data_dir: Path, sheet: str):
    import pandas as pd

    frame = pd.read_excel(data_dir / "population" / "mye23tablesew.xlsx", sheet_name=sheet, header=7)
    frame = frame.rename(columns={c: str(c) for c in frame.columns})
    return frame.set_index("Code")


def population_adults_mid2023(data_dir: Path) -> str:
    """Adults by upper-tier area x sex x age band, summed from single years of age (90+ is one column)."""
    rows = []
    for sex, sheet in (("female", "MYE2 - Females"), ("male", "MYE2 - Males")):
        frame = _mye2(data_dir, sheet)
        frame = frame[frame.index.str.startswith(UPPER_TIER_PREFIXES)]
        for band, low, high in AGE_BANDS:
            ages = [str(a) for a in range(low, min(high, 89) + 1)] + (["90+"] if high >= 90 else [])
            for code, value in frame[ages].sum(axis=1).items():
                rows.append([code, sex, band, int(value)])
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    if len({r[0] for r in rows}) != 175:
        raise SystemExit(f"expected 175 upper-tier areas in MYE2, found {len({r[0] for r in rows})}")
    return _csv(["area_code", "sex", "age_band", "population"], rows)


DEPRIVATION_HEADER = ["area_code", "index_name", "nation", "period", "average_score", "rank_of_average_score",
                      "areas_ranked", "share_most_deprived_10pct", "share_most_deprived_20pct", "mean_small_area_rank",
                      "small_areas", "note"]


def deprivation(data_dir: Path) -> str:
    """One row per area and index. Shares are percentages of the area's small areas (LSOAs) among
    its own nation's most deprived 10% (or 20%); ranks count 1 as the most deprived."""
    import pandas as pd

    rows = []
    iod19 = pd.read_csv(data_dir / "deprivation" / "imd2019_utla_summary_ctyua23.csv", dtype=str)
    iod19 = iod19[iod19["mapping_note"] != ""].dropna(subset=["ctyua23cd"])
    iod19 = iod19[iod19["ctyua23cd"].str.startswith(UPPER_TIER_PREFIXES)]
    for r in iod19.itertuples():
        note = "" if r.mapping_note == "same code" else "2019 county code recoded: same boundary as the 2023 area"
        rows.append([r.ctyua23cd, "IoD2019", "England", "2019", _number(float(r.imd_average_score), 3),
                     r.imd_rank_of_average_score, "151",
                     _number(100 * float(r.imd_proportion_lsoas_most_deprived_10pct), 2),
                     "", _number(float(r.imd_average_rank), 2), "", note])
    iod25 = pd.read_csv(data_dir / "deprivation" / "indices_of_deprivation_2025_lad.csv", dtype={"area_code": str})
    iod25 = iod25[(iod25["index_domain"] == "Index of Multiple Deprivation")
                  & iod25["area_code"].str.startswith(("E06", "E08", "E09"))]
    for r in iod25.itertuples():
        rows.append([r.area_code, "IoD2025", "England", "2025", _number(r.average_score, 3),
                     str(int(r.rank_average_score)), "296", _number(100 * r.proportion_bottom_decile, 2), "",
                     _number(r.average_rank, 2), "", "district summary (File 10): rank among 296 districts"])
    wimd = pd.read_csv(data_dir / "deprivation" / "wimd2019_la_summary.csv", dtype={"ctyua23cd": str})
    wimd["rank"] = wimd["mean_wimd2019_rank"].rank(method="min").astype(int)
    for r in wimd.itertuples():
        rows.append([r.ctyua23cd, "WIMD2019", "Wales", "2019", "", str(r.rank), str(len(wimd)),
                     _number(r.pct_lsoas_decile1, 2), _number(r.pct_lsoas_deciles1_2, 2),
                     _number(r.mean_wimd2019_rank, 2), str(int(r.n_lsoas)),
                     "ranked by the mean WIMD rank of its small areas"])
    rows += _wimd2025_rows(data_dir)
    rows.sort(key=lambda r: (r[0], r[1]))
    return _csv(DEPRIVATION_HEADER, rows)


def _wimd2025_rows(data_dir: Path) -> list[list]:
    """WIMD 2025 by local authority, from the ranks and deciles of its small areas (LSOA 2021):
    the shares in Wales's most deprived 10% and 20% (deciles 1 and 1-2) and the mean rank, the
    areas ranked by that mean (1 = most deprived), as WIMD 2019's rows are."""
    import pandas as pd

    lsoas = pd.read_csv(data_dir / "wales" / "wimd2025_lsoa_ranks_deciles.csv", dtype={"ltla24_code": str})
    by_area = lsoas.groupby("ltla24_code").agg(
        small_areas=("lsoa21_code", "size"), mean_rank=("wimd2025_rank", "mean"),
        decile1=("wimd2025_decile", lambda d: (d == 1).sum()), deciles12=("wimd2025_decile", lambda d: (d <= 2).sum()))
    by_area["order"] = by_area["mean_rank"].rank(method="min").astype(int)
    return [[code, "WIMD2025", "Wales", "2025", "", str(int(r.order)), str(len(by_area)),
             _number(100 * r.decile1 / r.small_areas, 2), _number(100 * r.deciles12 / r.small_areas, 2),
             _number(r.mean_rank, 2), str(int(r.small_areas)), "ranked by the mean WIMD rank of its small areas"]
            for code, r in by_area.iterrows()]


def area_land(data_dir: Path) -> str:
    """Each upper-tier area's land area in square kilometres: the ONS December 2023 boundaries
    (BSC: generalised to 200 m and clipped to the coastline), measured on the British National Grid
    (EPSG:27700, an equal-distance projection for Great Britain good to well under 1% in area)."""
    import geopandas as gpd

    shapes = gpd.read_file(data_dir / "boundaries" / "ctyua_2023_uk_bsc.geojson")
    shapes = shapes[shapes["CTYUA23CD"].str.startswith(UPPER_TIER_PREFIXES)].to_crs(27700)
    rows = sorted([code, name, _number(area / 1e6, 2)]
                  for code, name, area in zip(shapes["CTYUA23CD"], shapes["CTYUA23NM"], shapes.area, strict=True))
    if len(rows) != 175:
        raise SystemExit(f"expected 175 upper-tier areas in the boundaries, found {len(rows)}")
    return _csv(["area_code", "area_name", "land_sq_km"], rows)


FINGERTIPS_HEADER = ["area_code", "indicator_id", "indicator_name", "priority_area", "polarity", "unit", "period",
                     "value"]


def fingertips_snapshot(data_dir: Path) -> str:
    path = data_dir / "extracts" / "fingertips_latest" / "fingertips_latest_values_utla.csv"
    with path.open(encoding="utf-8") as fh:
        source = list(csv.DictReader(fh))
    rows = []
    for r in source:
        indicator = int(r["indicator_id"])
        if indicator not in SNAPSHOT_INDICATORS:
            continue
        priority, polarity = SNAPSHOT_INDICATORS[indicator]
        rows.append([r["area_code"], indicator, r["indicator_label"], priority, polarity, UNITS[r["unit"]],
                     r["period"], _number(float(r["value"]), 4)])
    rows.sort(key=lambda r: (r[0] != "E92000001", r[0], r[1]))
    return _csv(FINGERTIPS_HEADER, rows)


WALES_HEADER = ["area_code", "indicator_id", "indicator_key", "indicator_name", "priority_area", "polarity", "unit",
                "period", "value", "source", "note"]
WALES = "W92000004"
# National Survey for Wales measures (percent of adults 16+), as the StatsWales table names them.
NSW_MEASURES = {
    "W-smoking": "Smoker",
    "W-hazardous-drinking": "Average weekly alcohol consumption - above 14 units (over guidelines)",
    "W-inactive": "Active less than 30 minutes in previous week",
    "W-obese": "BMI 30+ (obese)",
}
# id, key, name, priority area, polarity, unit, period, source: one Welsh indicator each.
WALES_INDICATORS = [
    (9000001, "W-suicide", "Suicide rate", "suicide_prevention", "low_is_good", "per_100000", "2021 - 23",
     "ONS, Suicides in England and Wales by local authority (2023 registrations)"),
    (9000002, "W-drug-deaths", "Deaths related to drug poisoning (crude rate, single year)", "substance_misuse",
     "low_is_good", "per_100000", "2022", "ONS, Deaths related to drug poisoning by local authority (2022)"),
    (9000003, "W-smoking", "Adults who smoke", "physical_health", "low_is_good", "percent", "2021/22 - 22/23",
     "Welsh Government, National Survey for Wales: adult lifestyles"),
    (9000004, "W-alcohol-admissions", "Hospital admissions for alcohol (patients)", "substance_misuse",
     "low_is_good", "per_100000", "2023/24", "Public Health Wales, Data Mining Wales: substance misuse 2023-24"),
    (9000005, "W-hazardous-drinking", "Adults drinking over 14 units a week", "substance_misuse", "low_is_good",
     "percent", "2021/22 - 22/23", "Welsh Government, National Survey for Wales: adult lifestyles"),
    (9000006, "W-inactive", "Physically inactive adults", "physical_health", "low_is_good", "percent",
     "2021/22 - 22/23", "Welsh Government, National Survey for Wales: adult lifestyles"),
    (9000007, "W-obese", "Adults living with obesity", "physical_health", "low_is_good", "percent",
     "2021/22 - 22/23", "Welsh Government, National Survey for Wales: adult lifestyles"),
    (9000008, "W-wimd-income-10pct", "Small areas among Wales's most income-deprived 10% (WIMD 2025)", "context",
     "low_is_good", "percent", "2025", "Welsh Government, Welsh Index of Multiple Deprivation 2025"),
    (9000009, "W-wimd-employment-10pct", "Small areas among Wales's most employment-deprived 10% (WIMD 2025)",
     "context", "low_is_good", "percent", "2025", "Welsh Government, Welsh Index of Multiple Deprivation 2025"),
    (9000010, "W-wimd-health-10pct", "Small areas among Wales's 10% most deprived in health (WIMD 2025)",
     "context", "low_is_good", "percent", "2025", "Welsh Government, Welsh Index of Multiple Deprivation 2025"),
]
# ONS's age-standardised suicide rates for Wales, deaths registered in 2021, 2022 and 2023 (ONS,
# "Suicides in England and Wales: 2023 registrations"; ../shared/data/PROVENANCE.md, Welsh local figures).
WALES_SUICIDE_RATES = (12.7, 12.5, 14.0)
WALES_NOTES = {
    "W-suicide": ("age-standardised, deaths of people aged 10 and over registered in 2021-2023 (3 years pooled); "
                  "published without intervals"),
    "W-drug-deaths": ("crude rate (ONS deaths registered in 2022 per ONS mid-2022 population), single year and not "
                      "age-standardised, so not the same measure as England's deaths from drug misuse (3-year "
                      "age-standardised); rates taken from a public copy of the ONS table"),
    "W-smoking": "adults aged 16 and over; two survey years pooled; no interval in the published table",
    "W-alcohol-admissions": ("European age-standardised rate of patients admitted, as Public Health Wales publishes "
                             "it; not the same measure as Fingertips' alcohol-specific admissions (episodes)"),
    "W-hazardous-drinking": ("adults aged 16 and over drinking over 14 units in an average week (hazardous or "
                             "harmful); two survey years pooled"),
    "W-inactive": "adults aged 16 and over active less than 30 minutes in the previous week; two survey years pooled",
    "W-obese": "adults aged 16 and over with a body mass index of 30 or more (self-reported); two survey years pooled",
    "W-wimd-income-10pct": "share of the area's small areas (LSOA 2021) in decile 1 of the WIMD 2025 income domain",
    "W-wimd-employment-10pct": ("share of the area's small areas (LSOA 2021) in decile 1 of the WIMD 2025 employment "
                                "domain"),
    "W-wimd-health-10pct": "share of the area's small areas (LSOA 2021) in decile 1 of the WIMD 2025 health domain",
}
WALES_NATIONAL_NOTES = {
    "W-suicide": ("computed: the mean of ONS's age-standardised rates for Wales in 2021 (12.7), 2022 (12.5) and 2023 "
                  "(14.0); the 22 local rates weighted by Census 2021 population also give 13.1"),
    "W-drug-deaths": ("computed: Wales's 318 deaths over the mid-2022 population the 22 local counts and rates imply "
                      "(3,131,640, ONS's mid-2022 figure for Wales)"),
    "W-wimd-income-10pct": "computed: the share of Wales's 1,917 small areas in decile 1 (by construction about 10%)",
    "W-wimd-employment-10pct": ("computed: the share of Wales's 1,917 small areas in decile 1 (by construction about "
                                "10%)"),
    "W-wimd-health-10pct": "computed: the share of Wales's 1,917 small areas in decile 1 (by construction about 10%)",
}


def _welsh_area_codes(names: dict[str, str], name: str) -> str:
    key = re.sub(r"^the ", "", name.strip().casefold())
    if key not in names:
        raise SystemExit(f"no Welsh local authority called {name!r}")
    return names[key]


def wales_indicators(data_dir: Path) -> str:
    """Welsh local figures, one row per area (22 Welsh areas and Wales) and indicator: values as
    the sources give them, Wales's own from the same file where it has one, otherwise computed (see
    ``WALES_NATIONAL_NOTES``)."""
    import pandas as pd

    wales = data_dir / "wales"
    values: dict[str, dict[str, float]] = {key: {} for _, key, *_ in WALES_INDICATORS}
    suicide = pd.read_csv(wales / "suicide_wales_la_2021_2023_asr.csv", dtype={"area_code": str})
    values["W-suicide"] = dict(zip(suicide["area_code"], suicide["suicide_asr_per_100k"].round(1), strict=True))
    values["W-suicide"][WALES] = round(sum(WALES_SUICIDE_RATES) / len(WALES_SUICIDE_RATES), 1)
    drugs = pd.read_csv(wales / "drug_poisoning_deaths_wales_la_2022_counts_derived.csv", dtype={"area_code": str})
    rate = drugs["crude_rate_per_100k_as_published_in_source_rda"]
    values["W-drug-deaths"] = dict(zip(drugs["area_code"], rate.round(2), strict=True))
    population_2022 = (drugs["deaths_2022_derived"] / rate * 100_000).sum()
    values["W-drug-deaths"][WALES] = round(100_000 * drugs["deaths_2022_derived"].sum() / population_2022, 2)
    survey = pd.read_csv(wales / "wales_nsw_adult_lifestyles_2021-23_tidy.csv", dtype={"area_code": str})
    survey = survey[survey["area_code"].str.startswith(("W06", WALES))]
    for key, measure in NSW_MEASURES.items():
        rows = survey[survey["measure"] == measure]
        values[key] = dict(zip(rows["area_code"], rows["percent_adults_16plus"].round(2), strict=True))
    names = {re.sub(r"^the ", "", n.casefold()): c for c, n in zip(suicide["area_code"], suicide["area_name"],
                                                                    strict=True)}
    names["wales"] = WALES
    alcohol = pd.read_excel(wales / "raw" / "phw_alcohol_admissions_la_2023-24.xlsx")
    values["W-alcohol-admissions"] = {_welsh_area_codes(names, n): round(float(v), 1)
                                      for n, v in zip(alcohol.iloc[:, 1], alcohol.iloc[:, 2], strict=True)}
    lsoas = pd.read_csv(wales / "wimd2025_lsoa_ranks_deciles.csv", dtype={"ltla24_code": str})
    for domain in ("income", "employment", "health"):
        first = lsoas[f"{domain}_decile"] == 1
        share = 100 * first.groupby(lsoas["ltla24_code"]).mean()
        values[f"W-wimd-{domain}-10pct"] = {**share.round(2).to_dict(), WALES: round(100 * first.mean(), 2)}
    rows = []
    for indicator, key, name, priority, polarity, unit, period, source in WALES_INDICATORS:
        found = values[key]
        if len(found) != 23 or WALES not in found:
            raise SystemExit(f"{key}: expected the 22 Welsh areas and Wales, found {len(found)} rows")
        for code, value in found.items():
            note = WALES_NATIONAL_NOTES.get(key, "") if code == WALES else ""
            rows.append([code, indicator, key, name, priority, polarity, unit, period, _number(value, 2), source,
                         "; ".join(n for n in (WALES_NOTES[key], note) if n)])
    rows.sort(key=lambda r: (r[0] != WALES, r[0], r[1]))
    return _csv(WALES_HEADER, rows)


def welsh_area_names(data_dir: Path) -> str:
    """The 22 Welsh areas' official Welsh names, as the ONS boundary file gives them (CTYUA23NMW),
    for the Welsh chapters on a machine without the boundary file."""
    import json

    with (data_dir / "boundaries" / "ctyua_2023_uk_bsc.geojson").open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = sorted([f["properties"]["CTYUA23CD"], f["properties"]["CTYUA23NM"], f["properties"]["CTYUA23NMW"].strip()]
                  for f in features if f["properties"]["CTYUA23CD"].startswith("W06"))
    if len(rows) != 22 or not all(row[2] for row in rows):
        raise SystemExit(f"expected the 22 Welsh areas, each with a Welsh name; found {len(rows)}")
    return _csv(["area_code", "area_name", "area_name_welsh"], rows)


TABLES = {
    "lower_tier_districts.csv": lower_tier_districts,
    "welsh_area_names.csv": welsh_area_names,
    "population_adults_mid2023.csv": population_adults_mid2023,
    "deprivation.csv": deprivation,
    "fingertips_snapshot.csv": fingertips_snapshot,
    "area_land.csv": area_land,
    "wales_indicators.csv": wales_indicators,
}


def derive(data_dir: Path) -> dict[str, str]:
    return {name: make(data_dir) for name, make in TABLES.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--check", action="store_true", help="compare with the committed tables instead")
    args = parser.parse_args()
    tables = derive(args.data_dir)
    differ = False
    for name, text in tables.items():
        path = ROOT / "data" / "reference" / name
        if args.check:
            same = path.is_file() and path.read_text(encoding="utf-8") == text
            print(f"{name}: {'the same' if same else 'DIFFERS'}")
            differ |= not same
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
