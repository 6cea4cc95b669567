"""Wales's own local figures (data/reference/wales_indicators.csv): the table, checked as it is
read and against the publishers' files; Welsh chapters' context compared with Wales, never England;
Welsh expected deaths from Welsh rates; English chapters exactly as before."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.errors import InputFileError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.snapshot import WALES, WALES_INDICATOR_ID, WALES_INDICATORS, fingertips_snapshot, wales_indicators

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
NEWPORT, GWYNEDD, SHEFFIELD = "W06000022", "W06000002", "E08000019"
# From ../shared/data/wales/suicide_wales_la_2021_2023_asr.csv (ONS, 2021-2023 rates per 100,000),
# and the mean of ONS's single-year Wales rates 2021-2023 (12.7, 12.5, 14.0) for Wales.
SUICIDE = {NEWPORT: 11.4, GWYNEDD: 15.4, WALES: 13.1, "lowest": 9.2, "highest": 18.4}


@pytest.fixture(scope="module")
def areas():
    return load_areas(None)


@pytest.fixture(scope="module")
def table(areas):
    return wales_indicators(areas)


def _value(table: pd.DataFrame, code: str, key: str) -> float:
    rows = table[(table["area_code"] == code) & (table["indicator_id"] == WALES_INDICATOR_ID[key])]
    assert len(rows) == 1, (code, key)
    return float(rows["value"].iloc[0])


def test_the_table_covers_the_22_welsh_areas_and_wales(table, areas):
    welsh = set(areas.loc[areas["country"] == "Wales", "area_code"])
    assert len(welsh) == 22 and set(table["area_code"]) == welsh | {WALES}
    assert len(table) == 23 * len(WALES_INDICATORS)
    assert table.groupby("area_code")["indicator_id"].nunique().eq(len(WALES_INDICATORS)).all()
    assert table["value"].notna().all()
    # jsna-kit's reserved range: no clash with any Fingertips id the kit knows
    fingertips = set(fingertips_snapshot()["indicator_id"])
    catalogue = set(pd.read_csv(REFERENCE / "fingertips_indicators.csv")["indicator_id"].dropna().astype(int))
    assert all(9_000_001 <= i <= 9_000_999 for i in table["indicator_id"])
    assert not (set(table["indicator_id"]) & (fingertips | catalogue))
    assert dict(zip(table["indicator_id"], table["indicator_key"], strict=True)) == {
        i: key for i, (key, _, _) in WALES_INDICATORS.items()}
    assert table["source"].str.strip().ne("").all()


def test_values_are_the_publishers(table, shared_data_dir):
    wales = shared_data_dir / "wales"
    suicide = pd.read_csv(wales / "suicide_wales_la_2021_2023_asr.csv").set_index("area_code")["suicide_asr_per_100k"]
    for code, rate in suicide.items():
        assert _value(table, code, "W-suicide") == pytest.approx(rate)
    assert _value(table, WALES, "W-suicide") == SUICIDE[WALES]

    drugs = pd.read_csv(wales / "drug_poisoning_deaths_wales_la_2022_counts_derived.csv").set_index("area_code")
    for code, rate in drugs["crude_rate_per_100k_as_published_in_source_rda"].items():
        assert _value(table, code, "W-drug-deaths") == pytest.approx(rate, abs=0.005)
    # ONS: 318 deaths in Wales in 2022; mid-2022 population of Wales 3,131,640
    assert drugs["deaths_2022_derived"].sum() == 318
    assert _value(table, WALES, "W-drug-deaths") == pytest.approx(100_000 * 318 / 3_131_640, abs=0.005)

    survey = pd.read_csv(wales / "wales_nsw_adult_lifestyles_2021-23_tidy.csv")
    measures = {"W-smoking": "Smoker", "W-inactive": "Active less than 30 minutes in previous week",
                "W-obese": "BMI 30+ (obese)",
                "W-hazardous-drinking": "Average weekly alcohol consumption - above 14 units (over guidelines)"}
    for key, measure in measures.items():
        rows = survey[(survey["measure"] == measure) & survey["area_code"].str.match(r"^W(06|92)")]
        assert len(rows) == 23
        for code, percent in zip(rows["area_code"], rows["percent_adults_16plus"], strict=True):
            assert _value(table, code, key) == pytest.approx(percent, abs=0.005), (key, code)
    assert _value(table, WALES, "W-smoking") == 12.8

    alcohol = pd.read_excel(wales / "raw" / "phw_alcohol_admissions_la_2023-24.xlsx")
    by_name = dict(zip(alcohol.iloc[:, 1], alcohol.iloc[:, 2], strict=True))
    assert _value(table, NEWPORT, "W-alcohol-admissions") == by_name["Newport"] == 302
    assert _value(table, "W06000014", "W-alcohol-admissions") == by_name["The Vale of Glamorgan"]
    assert _value(table, WALES, "W-alcohol-admissions") == by_name["Wales"] == 258

    # the WIMD shares against the LA summary derived separately (and checked against the Welsh
    # Government's own figures, PROVENANCE.md)
    summary = pd.read_csv(wales / "wimd2025_la_summary_derived.csv").set_index("area_code")
    for domain in ("income", "employment", "health"):
        share = 100 * summary[f"{domain}_n_most_deprived_10pct"] / summary["n_lsoas"]
        for code, expected in share.items():
            assert _value(table, code, f"W-wimd-{domain}-10pct") == pytest.approx(expected, abs=0.005)
        assert _value(table, WALES, f"W-wimd-{domain}-10pct") == pytest.approx(100 * 191 / 1917, abs=0.005)
    assert _value(table, NEWPORT, "W-wimd-income-10pct") == 18.0  # 18 of Newport's 100 small areas


def _broken(tmp_path: Path, edit) -> Path:
    frame = pd.read_csv(REFERENCE / "wales_indicators.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "wales_indicators.csv"
    edit(frame).to_csv(path, index=False)
    return path


def test_a_percent_of_140_or_a_negative_rate_names_row_and_column(tmp_path, areas):
    frame = pd.read_csv(REFERENCE / "wales_indicators.csv", dtype=str, keep_default_na=False)
    smoking = frame.index[(frame["area_code"] == NEWPORT) & (frame["indicator_key"] == "W-smoking")][0]
    suicide = frame.index[(frame["area_code"] == GWYNEDD) & (frame["indicator_key"] == "W-suicide")][0]
    admissions = frame.index[(frame["area_code"] == GWYNEDD) & (frame["indicator_key"] == "W-alcohol-admissions")][0]

    def edit(f):
        f.loc[smoking, "value"] = "140"
        f.loc[suicide, "value"] = "-2.5"
        f.loc[admissions, "value"] = "25000"
        return f

    path = _broken(tmp_path, edit)
    with pytest.raises(InputFileError) as info:
        wales_indicators(areas, path=path)
    text = str(info.value)
    assert f"{path}, row {smoking + 2}, column 'value': is above 100" in text and "(value: '140')" in text
    assert f"row {suicide + 2}, column 'value': is below 0 (value: '-2.5')" in text
    assert f"row {admissions + 2}, column 'value': is above 5000" in text


def test_an_english_row_an_unknown_id_or_a_missing_wales_value(tmp_path, areas):
    def edit(f):
        f.loc[30, "area_code"] = SHEFFIELD
        f.loc[31, "indicator_id"] = "41001"
        return f

    path = _broken(tmp_path, edit)
    with pytest.raises(InputFileError) as info:
        wales_indicators(areas, path=path)
    text = str(info.value)
    assert "row 32, column 'area_code': is an English area" in text
    assert "row 33, column 'indicator_id': is not one of jsna-kit's Welsh indicators" in text

    path = _broken(tmp_path, lambda f: f[~((f["area_code"] == WALES) & (f["indicator_key"] == "W-obese"))])
    with pytest.raises(InputFileError, match=r"column 'indicator_id': has no Wales value to compare with "
                                             r"\(value: '9000007'\)"):
        wales_indicators(areas, path=path)


def test_a_welsh_areas_context_is_compared_with_wales(areas):
    from jsna_kit.batch.inputs import context_for_areas

    context, _ = context_for_areas(None, areas, [NEWPORT, GWYNEDD])
    assert set(context["area_code"]) == {NEWPORT, GWYNEDD}
    assert (context["comparator_code"] == WALES).all() and (context["comparator_name"] == "Wales").all()
    assert (context["source"] == "wales_snapshot").all() and context["lower_95"].isna().all()
    assert (context["benchmark_england_95"] == "not_compared").all()  # no intervals: never better or worse
    rows = context.set_index(["area_code", "indicator_id"])
    suicide = WALES_INDICATOR_ID["W-suicide"]
    newport, gwynedd = rows.loc[(NEWPORT, suicide)], rows.loc[(GWYNEDD, suicide)]
    assert newport["value"] == SUICIDE[NEWPORT] and newport["england_value"] == SUICIDE[WALES]
    assert newport["direction_england"] == "lower" and gwynedd["direction_england"] == "higher"
    # the spread is across the 22 Welsh areas (ONS: Flintshire 9.2 to Merthyr Tydfil 18.4)
    assert (newport["england_lowest"], newport["england_highest"]) == (SUICIDE["lowest"], SUICIDE["highest"])
    assert newport["time_period"] == "2021 - 23"
    assert "age-standardised" in newport["value_note"]
    # Newport and Gwynedd read differently: 18% against 4.2% of small areas among the most income-deprived tenth
    income = WALES_INDICATOR_ID["W-wimd-income-10pct"]
    assert rows.loc[(NEWPORT, income), "value"] == 18.0 and rows.loc[(GWYNEDD, income), "value"] == pytest.approx(4.23)
    mine, theirs = (context[context["area_code"] == c].set_index("indicator_id") for c in (NEWPORT, GWYNEDD))
    assert (mine["value"] != theirs["value"]).sum() >= 9
    assert (mine["direction_england"] != theirs["direction_england"]).any()


def test_a_welsh_chapter_says_where_its_indicators_came_from(areas):
    from jsna_kit.batch.inputs import context_for_areas
    from jsna_kit.batch.local_figures import NO_WELSH_INDICATORS, context_sources

    context, _ = context_for_areas(None, areas, [NEWPORT])
    said = context_sources(context, "Wales")
    assert said["context_source"] == "wales_snapshot"
    assert said["context_note"] != NO_WELSH_INDICATORS and "not yet part" not in said["context_note"]
    for publisher in ("ONS", "National Survey for Wales", "Public Health Wales", "Welsh Index of Multiple Deprivation"):
        assert publisher in said["context_note"]
    assert context_sources(None, "Wales")["context_note"] == NO_WELSH_INDICATORS  # still said when missing


def _expected(codes, context, areas):
    from jsna_kit.batch.local_figures import expected_deaths_by_area
    from jsna_kit.load.reference import load_reference
    from jsna_kit.load.snapshot import adult_population_table, adults_by_area

    adults = adults_by_area(adult_population_table(areas)).set_index("area_code")["adult_population"]
    published = {c: {"caseload": 1000.0, "caseload_lower": 1000.0, "caseload_upper": 1000.0, "caseload_kind": "local"}
                 for c in codes}
    england = fingertips_snapshot(areas)
    england = {int(r.indicator_id): {"value": r.value, "time_period": r.period}
               for r in england[england["area_code"] == "E92000001"].itertuples()}
    english_adults = float(adults[[c for c in adults.index if c.startswith("E")]].sum())
    return expected_deaths_by_area(codes, published, adults, context=context, snapshot_england=england,
                                   england_adults=english_adults, estimates=load_reference().estimates)


def test_welsh_expected_deaths_use_welsh_rates(areas):
    from jsna_kit.batch.inputs import context_for_areas
    from jsna_kit.load.reference import load_reference

    risks = load_reference().estimates.set_index("estimate_id")["value"]
    context, _ = context_for_areas(None, areas, [NEWPORT])
    rows = {r["cause"]: r for r in _expected([NEWPORT], context, areas)[NEWPORT]}
    suicide, drugs = rows["suicide"], rows["drug_related"]
    assert (suicide["indicator_id"], suicide["rate_area"], suicide["rate_period"]) == (9_000_001, "local", "2021 - 23")
    assert suicide["rate_per_100000"] == SUICIDE[NEWPORT]
    assert suicide["expected"] == pytest.approx(round(1000 * SUICIDE[NEWPORT] / 100_000 * risks["SP15"], 1))
    # ONS's crude rate for Newport in 2022 (23 deaths): 14.24 per 100,000
    assert (drugs["indicator_id"], drugs["rate_area"], drugs["rate_period"]) == (9_000_002, "local", "2022")
    assert drugs["rate_per_100000"] == pytest.approx(14.24)
    assert drugs["expected"] == pytest.approx(round(1000 * 14.24 / 100_000 * risks["SP16"], 1))
    assert "single year" in drugs["rate_note"]

    # without the area's own rate: Wales's, never England's
    rows = {r["cause"]: r for r in _expected([NEWPORT], None, areas)[NEWPORT]}
    assert rows["suicide"]["rate_area"] == "wales" and rows["suicide"]["rate_per_100000"] == SUICIDE[WALES]
    assert rows["suicide"]["rate_period"] == "2021 - 23" and rows["suicide"]["rate_source"] == "wales_snapshot"
    assert rows["drug_related"]["rate_area"] == "wales" and rows["drug_related"]["rate_per_100000"] == 10.15
    assert all(r["rate_per_100000"] not in (10.95, 5.8) for r in rows.values())  # England's 2022-24 rates


def test_english_context_and_expected_deaths_are_unchanged(areas):
    """Sheffield's rows: the embedded Fingertips values against England's, England's spread, and
    the same whether or not a Welsh area is built alongside; its expected deaths likewise."""
    from jsna_kit.batch.inputs import context_for_areas

    alone, _ = context_for_areas(None, areas, [SHEFFIELD])
    mixed, _ = context_for_areas(None, areas, [SHEFFIELD, NEWPORT])
    pd.testing.assert_frame_equal(alone, mixed[mixed["area_code"] == SHEFFIELD].reset_index(drop=True))
    source = pd.read_csv(REFERENCE / "fingertips_snapshot.csv")
    england = source[source["area_code"] == "E92000001"].set_index("indicator_id")["value"]
    english = source[~source["area_code"].str.startswith(("E92", "W"))]
    own = source[source["area_code"] == SHEFFIELD].set_index("indicator_id")["value"]
    rows = alone.set_index("indicator_id")
    assert len(rows) == 14 and set(rows.index) == set(own.index)
    assert rows["value"].to_dict() == own.to_dict()
    assert rows["england_value"].to_dict() == england[own.index].to_dict()
    assert rows["england_lowest"].to_dict() == english.groupby("indicator_id")["value"].min()[own.index].to_dict()
    assert (rows["source"] == "snapshot").all()
    assert (rows["comparator_code"] == "E92000001").all() and (rows["comparator_name"] == "England").all()
    assert rows.loc[41001, "direction_england"] == ("lower" if own[41001] < england[41001] else "higher")

    deaths_alone = _expected([SHEFFIELD], alone, areas)[SHEFFIELD]
    deaths_mixed = _expected([SHEFFIELD, NEWPORT], mixed, areas)[SHEFFIELD]
    assert json.dumps(deaths_alone) == json.dumps(deaths_mixed)
    suicide = deaths_alone[0]
    assert (suicide["indicator_id"], suicide["rate_area"], suicide["rate_source"]) == (41001, "local", "snapshot")
    assert suicide["rate_per_100000"] == own[41001] and "rate_note" not in suicide


def test_the_dictionary_defines_the_comparator_columns():
    from jsna_kit.model.context import CONTEXT_COLUMNS
    from jsna_kit.publish.dictionary import DEFINITIONS

    assert set(CONTEXT_COLUMNS) <= set(DEFINITIONS["context.csv"])
    assert "Wales" in DEFINITIONS["context.csv"]["england_value"]
