"""Local context indicators: benchmarked against England and the region by the Fingertips rules,
and shown in the chapter with adaptive wording."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.model.context import local_context

FIXTURE = Path(__file__).parent / "fixtures" / "fingertips" / "export_27col.csv"


def _latest(rows: list[dict]) -> pd.DataFrame:
    base = {"sex": "all", "age": "18+ yrs", "time_period": "2023", "lower_998": float("nan"),
            "upper_998": float("nan"), "value_note": None, "indicator_name": "x"}
    return pd.DataFrame([{**base, **r} for r in rows])


CATALOGUE = pd.DataFrame({"priority_area": ["suicide_prevention", "substance_misuse"],
                          "indicator_id": [1, 2], "indicator_name": ["Suicide rate", "Treatment engagement"],
                          "polarity": ["low_is_good", "high_is_good"], "unit": ["per_100000", "percent"],
                          "include": [True, True]})
AREAS = pd.DataFrame({"area_code": ["E1", "E2"], "region_code": ["R1", "R1"]})


def test_fingertips_rules_with_polarity_and_region():
    """E1's suicide rate interval (12 to 16) lies above England (10): worse, because low is good.
    Its treatment engagement interval (40 to 60) contains England's 44: similar. The region value
    13 lies inside E1's suicide interval: similar to the region."""
    latest = _latest([
        {"indicator_id": 1, "area_code": "E1", "value": 14.0, "lower_95": 12.0, "upper_95": 16.0},
        {"indicator_id": 1, "area_code": "E92000001", "value": 10.0, "lower_95": 9.9, "upper_95": 10.1},
        {"indicator_id": 1, "area_code": "R1", "value": 13.0, "lower_95": 12.5, "upper_95": 13.5},
        {"indicator_id": 2, "area_code": "E1", "value": 50.0, "lower_95": 40.0, "upper_95": 60.0},
        {"indicator_id": 2, "area_code": "E92000001", "value": 44.0, "lower_95": 43.0, "upper_95": 45.0},
        {"indicator_id": 2, "area_code": "E2", "value": 30.0, "lower_95": 25.0, "upper_95": 35.0},
    ])
    out = local_context(latest, CATALOGUE, AREAS).set_index(["area_code", "indicator_id"])
    assert out.loc[("E1", 1), "benchmark_england_95"] == "worse"
    assert out.loc[("E1", 1), "benchmark_region_95"] == "similar"
    assert out.loc[("E1", 1), "relative_to_england"] == pytest.approx(1.4)
    assert out.loc[("E1", 2), "benchmark_england_95"] == "similar"
    assert out.loc[("E2", 2), "benchmark_england_95"] == "worse"  # 25-35 below 44, high is good
    assert out.loc[("E2", 2), "benchmark_region_95"] == "not_compared"  # no region value


def test_suppressed_latest_value_is_not_compared():
    latest = _latest([
        {"indicator_id": 1, "area_code": "E1", "value": float("nan"), "lower_95": float("nan"),
         "upper_95": float("nan"), "value_note": "Value suppressed for disclosure control"},
        {"indicator_id": 1, "area_code": "E92000001", "value": 10.0, "lower_95": 9.9, "upper_95": 10.1},
    ])
    out = local_context(latest, CATALOGUE, AREAS)
    assert out["benchmark_england_95"].tolist() == ["not_compared"]
    assert out["value"].isna().all()


@pytest.mark.e2e
def test_chapter_shows_local_context_from_an_export(tmp_path):
    from jsna_kit.batch.run import build_area

    (tmp_path / "data" / "fingertips").mkdir(parents=True)
    shutil.copy(FIXTURE, tmp_path / "data" / "fingertips" / "export.csv")
    build_area("Hartlepool", caseload=500, out_dir=tmp_path / "out", data_dir=tmp_path / "data",
               today=dt.date(2026, 11, 23))
    html = (tmp_path / "out" / "_site" / "reports" / "E06000001-hartlepool.html").read_text(encoding="utf-8")
    text = " ".join(html.split())
    assert "14.1 per 100,000 (10.8 to 18.1)" in text and "worse than England" in text
    # the embedded snapshot adds the latest values the export lacks, described by direction only
    # (Hartlepool's deaths from drug misuse: 7.04 against England's 5.80)
    assert "higher than England (no interval: not tested)" in text
    assert 'alt="Chart of local indicators for suicide prevention in Hartlepool relative to England.' in html
    context = pd.read_csv(tmp_path / "out" / "E06000001-hartlepool" / "data" / "context.csv")
    sources = context.set_index("indicator_id")["source"]
    assert sources[41001] == "fingertips_download" and sources[92544] == "fingertips_download"
    assert sources[92432] == "snapshot" and context["lower_95"][context["source"] == "snapshot"].isna().all()


def test_snapshot_rows_say_direction_only_and_carry_englands_spread():
    from jsna_kit.model.context import combine_context, snapshot_context

    snapshot = pd.DataFrame({
        "area_code": ["E92000001", "E06000001", "E06000002", "E06000003"],
        "indicator_id": [41001] * 4, "indicator_name": ["Suicide rate"] * 4,
        "priority_area": ["suicide_prevention"] * 4, "polarity": ["low_is_good"] * 4,
        "unit": ["per_100000"] * 4, "period": ["2022 - 24"] * 4, "value": [10.0, 14.0, 9.0, 10.02]})
    areas = pd.DataFrame({"area_code": ["E06000001", "E06000002", "E06000003"], "region_code": ["R1"] * 3})
    out = snapshot_context(snapshot, areas).set_index("area_code")
    assert out["direction_england"].to_dict() == {"E06000001": "higher", "E06000002": "lower", "E06000003": "same"}
    assert (out["benchmark_england_95"] == "not_compared").all() and out["lower_95"].isna().all()
    assert out.loc["E06000001", "england_lowest"] == 9.0 and out.loc["E06000001", "england_highest"] == 14.0
    assert out.loc["E06000001", "england_q1"] == pytest.approx(9.51)  # numpy's linear rule: 9 + 0.5 x 1.02
    download = out.reset_index().iloc[[0]].assign(source="fingertips_download", value=15.0)
    both = combine_context(download, out.reset_index())
    assert len(both) == 3 and both.set_index("area_code").loc["E06000001", "value"] == 15.0


def test_no_always_empty_region_columns_without_fingertips_exports(tmp_path):
    """The embedded snapshot has no region's values: the context table then has no region_value
    column an analyst would find always empty (issue 25)."""
    from jsna_kit.batch.inputs import REGION_COLUMNS, context_for_areas
    from jsna_kit.load.areas import load_areas

    areas = load_areas(tmp_path)
    context, files = context_for_areas(tmp_path, areas, ["E08000019", "W06000015"])
    assert files == [] and not context.empty
    assert not set(REGION_COLUMNS) & set(context.columns)
    assert {"england_value", "benchmark_england_95"} <= set(context.columns)
