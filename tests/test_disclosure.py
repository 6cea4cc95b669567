from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.disclosure import (
    round_interval,
    round_to_base,
    secondary_suppression,
    suppress_small_counts,
)

SEXES = ["male", "female"]
AGES = ["18-24", "25-49", "50+"]


def table(cells: dict[tuple[str, str], int], area: str = "E06000001") -> pd.DataFrame:
    """A 2 x 3 sex by age table in tidy form with all its margins."""
    rows = [(s, a, cells[s, a]) for s in SEXES for a in AGES]
    rows += [(s, "all", sum(cells[s, a] for a in AGES)) for s in SEXES]
    rows += [("all", a, sum(cells[s, a] for s in SEXES)) for a in AGES]
    rows.append(("all", "all", sum(cells.values())))
    return pd.DataFrame(rows, columns=["sex", "age_band", "people"]).assign(area_code=area)


def pattern(out: pd.DataFrame) -> dict[tuple[str, str], str]:
    flags = zip(out["sex"], out["age_band"], out["people_suppression"], strict=True)
    return {(s, a): r for s, a, r in flags if r}


def assert_no_line_has_one_hidden_cell(out: pd.DataFrame) -> None:
    hidden = out["people"].isna()
    for fixed, varying in (("sex", "age_band"), ("age_band", "sex")):
        for _, line in out.assign(hidden=hidden).groupby(["area_code", fixed]):
            assert line["hidden"].sum() != 1, f"recoverable cell in line {line[[fixed, varying]].values}"


# --- primary ---------------------------------------------------------------------------------------

def test_counts_one_to_four_hidden_zero_and_five_shown():
    df = pd.DataFrame({"people": [0, 1, 4, 5, 12, np.nan]})
    out = suppress_small_counts(df, "people")
    assert out["people"].tolist()[:1] == [0] and out["people"].tolist()[3:5] == [5, 12]
    assert out["people"].isna().tolist() == [False, True, True, False, False, True]
    assert out["people_suppressed"].tolist() == [False, True, True, False, False, False]  # NaN was missing
    assert out["people_suppression"].tolist() == ["", "primary", "primary", "", "", ""]


def test_zero_can_be_suppressed_and_threshold_changed():
    df = pd.DataFrame({"people": [0, 7, 10]})
    out = suppress_small_counts(df, "people", threshold=10, suppress_zero=True)
    assert out["people"].isna().tolist() == [True, True, False]


def test_dependent_columns_blanked_with_the_count():
    df = pd.DataFrame({"people": [3, 40], "percent": [1.5, 20.0], "lower_95_ci": [0.5, 15.0]})
    out = suppress_small_counts(df, "people", dependent_cols=["percent", "lower_95_ci"])
    assert np.isnan(out.loc[0, "percent"]) and np.isnan(out.loc[0, "lower_95_ci"])
    assert out.loc[1, "percent"] == 20.0


@pytest.mark.parametrize("bad", [-1, "few"])
def test_bad_counts_refused(bad):
    with pytest.raises(EstimateInputError, match="not a count"):
        suppress_small_counts(pd.DataFrame({"people": [5, bad]}, dtype=object), "people")


# --- secondary ------------------------------------------------------------------------------------

def test_worked_2x3_table():
    #           18-24  25-49  50+ | all
    # male          3     40   12 |  55
    # female        6     20    2 |  28
    # all           9     60   14 |  83
    cells = {("male", "18-24"): 3, ("male", "25-49"): 40, ("male", "50+"): 12,
             ("female", "18-24"): 6, ("female", "25-49"): 20, ("female", "50+"): 2}
    out = secondary_suppression(suppress_small_counts(table(cells), "people"), "people", ["sex", "age_band"])
    # male 18-24 (3) could be recovered as 9 - 6, so female 18-24 goes too; likewise male 50+ for female 50+
    assert pattern(out) == {("male", "18-24"): "primary", ("female", "50+"): "primary",
                            ("female", "18-24"): "secondary", ("male", "50+"): "secondary"}
    assert out["people_suppressed"].sum() == 4
    shown = out[~out["people_suppressed"]]
    assert shown["people"].notna().all()
    assert_no_line_has_one_hidden_cell(out)


def test_secondary_in_one_dimension_forces_another():
    #           18-24  25-49  50+ | all
    # male         10     40   12 |  62
    # female        3     20   30 |  53
    cells = {("male", "18-24"): 10, ("male", "25-49"): 40, ("male", "50+"): 12,
             ("female", "18-24"): 3, ("female", "25-49"): 20, ("female", "50+"): 30}
    out = secondary_suppression(table(cells), "people", ["sex", "age_band"])  # runs primary itself
    # female 18-24 -> male 18-24 (age column); that leaves male row with one hidden -> male 50+ (smallest);
    # then the 50+ column has one hidden -> female 50+, which also completes the female row.
    assert pattern(out) == {("female", "18-24"): "primary", ("male", "18-24"): "secondary",
                            ("male", "50+"): "secondary", ("female", "50+"): "secondary"}
    assert_no_line_has_one_hidden_cell(out)


def test_one_dimension_male_female_all():
    df = pd.DataFrame({"sex": ["male", "female", "all"], "people": [3, 40, 43]})
    out = secondary_suppression(df, "people", ["sex"])
    assert out["people_suppression"].tolist() == ["primary", "secondary", ""]
    assert out["people"].tolist()[2] == 43


def test_total_hidden_when_it_is_the_only_other_cell():
    df = pd.DataFrame({"sex": ["female", "all"], "people": [2, 2]})
    out = secondary_suppression(df, "people", ["sex"])
    assert out["people"].isna().all()


def test_tables_for_different_areas_are_independent():
    small = {k: 10 for k in itertools.product(SEXES, AGES)} | {("male", "18-24"): 2}
    large = {k: 10 for k in itertools.product(SEXES, AGES)}
    df = pd.concat([table(small, "A"), table(large, "B")], ignore_index=True)
    out = secondary_suppression(df, "people", ["sex", "age_band"])
    assert out.loc[out["area_code"] == "B", "people_suppressed"].sum() == 0
    assert out.loc[out["area_code"] == "A", "people_suppressed"].sum() == 4
    assert_no_line_has_one_hidden_cell(out)


def test_random_tables_never_leave_a_recoverable_cell():
    rng = np.random.default_rng(11)
    tables = [table({k: int(v) for k, v in zip(itertools.product(SEXES, AGES), rng.integers(0, 12, 6),
                                                strict=True)}, f"T{i}") for i in range(200)]
    out = secondary_suppression(pd.concat(tables, ignore_index=True), "people", ["sex", "age_band"])
    assert_no_line_has_one_hidden_cell(out)
    assert (out.loc[out["people_suppressed"], "people"].isna()).all()
    assert not (out["people_suppressed"] & (out["people"] == 0)).any()  # never shown as 0


# --- rounding -------------------------------------------------------------------------------------

def test_round_to_base():
    values = pd.Series([0, 2, 2.5, 7.4, 7.5, 12.5, 780, np.nan, -2.5], index=list("abcdefghi"))
    out = round_to_base(values)
    assert out.index.tolist() == list("abcdefghi")
    assert out.tolist()[:7] == [0, 0, 5, 5, 10, 15, 780]
    assert np.isnan(out["h"]) and out["i"] == -5
    assert round_to_base(781.0) == 780.0
    assert round_to_base([12, 13], base=10).tolist() == [10, 10]


def test_round_interval_outwards_contains_the_rounded_figure():
    value, lower, upper = round_interval(780.0, 640.9, 928.6)
    assert (value, lower, upper) == (780.0, 640.0, 930.0)
    # nearest-rounding of each limit would collapse this interval to 780 (780 to 780)
    assert round_interval(781.0, 777.6, 782.4) == (780.0, 775.0, 785.0)
    values = np.array([3.2, 12.5, 1001.0])
    lowers = np.array([0.4, 12.49, 999.2])
    uppers = np.array([7.8, 12.51, 1001.0])
    v, lo, hi = round_interval(values, lowers, uppers)
    assert (lo <= lowers).all() and (hi >= uppers).all()
    assert (lo <= v).all() and (v <= hi).all()
    assert lo[0] == 0.0 and hi[0] == 10.0


def test_round_interval_keeps_exact_multiples():
    assert round_interval(625.0, 625.0000000000001, 940.0) == (625.0, 625.0, 940.0)


def test_prefers_a_cell_that_also_protects_another_line():
    #           18-24  25-49  50+ | all
    # male          3     12   40 |  55
    # female        6     20    2 |  28
    # Working along age bands first, the male row could lose 12 (smallest) or 40; 40 also covers the 50+
    # column (where female 2 is hidden), so hiding it ends with 4 cells instead of 6.
    cells = {("male", "18-24"): 3, ("male", "25-49"): 12, ("male", "50+"): 40,
             ("female", "18-24"): 6, ("female", "25-49"): 20, ("female", "50+"): 2}
    out = secondary_suppression(table(cells), "people", ["age_band", "sex"])
    assert pattern(out) == {("male", "18-24"): "primary", ("female", "50+"): "primary",
                            ("male", "50+"): "secondary", ("female", "18-24"): "secondary"}
    assert_no_line_has_one_hidden_cell(out)
