"""One figure, one value: a value is printed as a reader rounds it, a range's limits are rounded
outwards, and every comparison is worded as the printed figures allow (issue 25): a value called
higher never prints at or below its comparator, two untested values that print the same are "the
same", and a similar one never prints an interval that misses its comparator."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from jsna_kit.model.context import direction
from jsna_kit.model.rounding import fixed, fixed_range, half_up, outward
from jsna_kit.present.deaths import rate_figure
from jsna_kit.present.local import compared_words, printed_decimals, row_figures


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (10.95, 1, 11.0), (10.949, 1, 10.9), (0.05, 1, 0.1), (2.675, 2, 2.68), (-1.25, 1, -1.3), (1234.0, 0, 1234.0)])
def test_half_up_rounds_from_the_decimal_a_reader_sees(value, decimals, expected):
    assert half_up(value, decimals) == expected
    assert math.isnan(half_up(float("nan")))


def test_a_range_is_rounded_outwards_and_holds_the_range_worked_out():
    assert outward(9.04, down=True) == 9.0 and outward(11.01, down=False) == 11.1
    assert outward(11.0, down=False) == 11.0 and outward(-0.04, down=True) == -0.1
    assert fixed_range(0.102, 0.230, 1) == ("0.1", "0.3")
    assert fixed(1234.56) == "1,234.6"
    assert rate_figure(10.95) == "11.0" and rate_figure(10.95, 10.81, 11.09) == "11.0 (10.8 to 11.1)"


def test_untested_values_are_compared_as_printed():
    # 10.04 prints as England's 10.0: the same; 10.05 prints as 10.1: higher, though only 0.5% apart
    got = direction([10.04, 10.05, 9.95, 9.94, float("nan"), 10.95], [10.0, 10.0, 10.0, 10.0, 10.0, 11.0])
    assert list(got) == ["same", "higher", "same", "lower", "not_compared", "same"]


def test_more_decimals_only_where_one_would_contradict_the_comparison():
    # higher than England: the lower limit 10.96 is above 10.95, but at one place 10.9 to ... against 11.0
    row = {"value": 11.2, "lower_95": 10.96, "upper_95": 11.5, "england_value": 10.95, "unit": "per_100000"}
    assert printed_decimals(row) == 2
    assert row_figures(row)[:2] == ("11.20 per 100,000 (10.96 to 11.50)", "10.95 per 100,000")
    clear = {"value": 14.0, "lower_95": 12.1, "upper_95": 16.0, "england_value": 10.95, "unit": "per_100000"}
    assert printed_decimals(clear) == 1 and row_figures(clear)[1] == "11.0 per 100,000"
    # the region can need it too
    region = dict(clear, region_value=12.08)
    assert printed_decimals(region) == 2
    untested = {"value": 10.04, "england_value": 10.0, "unit": "percent"}
    assert printed_decimals(untested) == 1


NUMBER = re.compile(r"-?[\d,]+\.\d+")


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in NUMBER.findall(text)]


def _check(row: dict) -> str | None:
    """What is wrong with the printed row, or None: the words against the printed figures."""
    local, nation, region = row_figures(row)
    words = compared_words(row, row.get("benchmark_england_95"))
    if not _numbers(local) or not _numbers(nation):
        return None
    shown, at = _numbers(local)[0], _numbers(nation)[0]
    if "(no interval" in words:
        ok = {"higher": shown > at, "lower": shown < at, "the same": shown == at}
        said = next((k for k in ok if words.startswith(k)), None)
        return None if said is None or ok[said] else f"{local} against {nation}: {words}"
    if len(_numbers(local)) == 3:
        low, high = _numbers(local)[1:]
        judged = row.get("benchmark_england_95")
        inside = low <= at <= high
        if judged == "similar" and not inside:
            return f"{local} against {nation}: similar"
        if judged in ("better", "worse", "higher", "lower") and (inside or shown == at):
            return f"{local} against {nation}: {words}"
    return None


def _context(data_dir):
    from jsna_kit.batch.inputs import context_for_areas
    from jsna_kit.load.areas import load_areas

    areas = load_areas(None)
    context, _ = context_for_areas(data_dir, areas, areas["area_code"])
    return context


def _sweep(context: pd.DataFrame) -> list[str]:
    problems = []
    for row in context.to_dict("records"):
        row = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        wrong = _check(row)
        if wrong:
            problems.append(f"{row['area_code']} {row['indicator_name']}: {wrong}")
    return problems


def test_every_embedded_comparison_reads_as_printed(tmp_path):
    context = _context(None)
    assert len(context) > 2000
    assert _sweep(context) == []
    # the case the check found: England's suicide rate, 10.95, prints as 11.0, the value compared
    suicide = context[(context["indicator_id"] == 41001) & (context["comparator_name"] == "England")]
    assert row_figures(suicide.iloc[0].to_dict())[1] == "11.0 per 100,000"


def test_every_tested_comparison_reads_as_printed(tmp_path):
    import shutil
    from pathlib import Path

    (tmp_path / "fingertips").mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "fingertips" / "export_27col.csv",
                tmp_path / "fingertips" / "export.csv")
    context = _context(tmp_path)
    assert context["lower_95"].notna().sum() >= 2
    assert _sweep(context) == []


def test_intervals_next_to_their_comparator_read_as_printed():
    # limits and comparators a hair apart, at every rounding boundary: the printed row never
    # contradicts the Fingertips verdict made on the unrounded figures
    import numpy as np

    from jsna_kit.model.benchmark import benchmark_label

    rng = np.random.default_rng(25)
    england = rng.choice([10.95, 10.949, 10.951, 11.0, 10.04, 10.05], 600)
    # published to three places at most, as Fingertips values are
    lower = np.round(england + rng.choice([-0.2, -0.011, -0.004, 0.0, 0.004, 0.011, 0.06], 600), 3)
    upper = np.round(lower + rng.choice([0.0, 0.003, 0.05, 0.9], 600), 3)
    value = np.round((lower + upper) / 2, 3)
    rows = pd.DataFrame({"area_code": "E06000001", "indicator_name": "x", "unit": "per_100000", "value": value,
                         "lower_95": lower, "upper_95": upper, "england_value": england,
                         "comparator_name": "England"})
    rows["benchmark_england_95"] = benchmark_label(lower, upper, england, "no_judgement")
    assert set(rows["benchmark_england_95"]) == {"higher", "lower", "similar"}
    assert _sweep(rows) == []


def test_the_spine_chart_calls_untested_equal_values_the_same_not_similar(tmp_path):
    import xml.etree.ElementTree as ET

    from jsna_kit.present.context_chart import spine_chart

    base = {"polarity": "low_is_good", "unit": "per_100000", "england_lowest": 5.0, "england_q1": 8.0,
            "england_q3": 12.0, "england_highest": 20.0, "benchmark_england_95": "not_compared",
            "comparator_name": "England"}
    rows = [dict(base, indicator_name="Suicide rate", value=11.04, england_value=10.95, direction_england="same"),
            dict(base, indicator_name="Drug deaths", value=14.0, england_value=10.0, direction_england="higher")]
    path = tmp_path / "spine.svg"
    alt = spine_chart(rows, path, area_name="Rutland")
    assert "Suicide rate: the same as England" in alt and "similar" not in alt
    texts = [t.text for t in ET.fromstring(path.read_text(encoding="utf-8")).iter("{http://www.w3.org/2000/svg}text")]
    assert "the same as England" in texts and "11.0 per 100k (11.0)" in texts
