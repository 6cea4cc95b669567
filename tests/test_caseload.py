from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.caseload import (
    CASELOAD_COLUMNS,
    CASELOAD_METHOD,
    choose_caseload,
    local_caseload,
    modelled_caseload,
)


def population(**areas: object) -> pd.DataFrame:
    return pd.DataFrame({"area_code": list(areas), "adult_population": list(areas.values())})


def test_national_caseload_shared_by_adult_population():
    out = modelled_caseload(population(E06000001=100_000, E06000002=300_000), 8_000)
    assert list(out.columns) == list(CASELOAD_COLUMNS)
    assert out["caseload"].tolist() == pytest.approx([2_000, 6_000])
    assert out["caseload"].sum() == pytest.approx(8_000)
    assert (out["caseload_kind"] == "modelled").all()
    assert (out["sex"] == "all").all() and (out["age_band"] == "all").all()


def test_default_band_is_two_thirds_to_one_and_a_half_times():
    out = modelled_caseload(population(E06000001=100_000, E06000002=300_000), 8_000)
    assert out["caseload_lower"].tolist() == pytest.approx([2_000 / 1.5, 6_000 / 1.5])
    assert out["caseload_upper"].tolist() == pytest.approx([3_000, 9_000])
    assert "assumption" in out["caseload_basis"].iloc[0]


def test_band_is_configurable():
    out = modelled_caseload(population(E06000001=100_000), 1_000, relative_uncertainty=0.25)
    assert out["caseload_lower"].iloc[0] == pytest.approx(800)
    assert out["caseload_upper"].iloc[0] == pytest.approx(1_250)
    fixed = modelled_caseload(population(E06000001=100_000), 1_000, relative_uncertainty=0)
    assert fixed["caseload_lower"].iloc[0] == fixed["caseload_upper"].iloc[0] == 1_000


def test_national_adult_population_when_only_some_areas_given():
    out = modelled_caseload(population(E06000001=50_000), 244_209, total_adult_population=48_000_000)
    assert out["caseload"].iloc[0] == pytest.approx(244_209 * 50_000 / 48_000_000)


def test_national_population_smaller_than_the_areas_is_refused():
    with pytest.raises(EstimateInputError, match="smaller than the sum"):
        modelled_caseload(population(E06000001=50_000, E06000002=60_000), 1_000,
                          total_adult_population=100_000)


def test_very_large_populations():
    out = modelled_caseload(population(A=1e7, B=3e7), 4e7)
    assert out["caseload"].tolist() == pytest.approx([1e7, 3e7])


@pytest.mark.parametrize("bad", [0, -5, np.nan, "lots"])
def test_bad_population_names_the_area(bad):
    with pytest.raises(EstimateInputError) as info:
        modelled_caseload(population(E06000001=100_000, E08000025=bad), 1_000)
    assert "E08000025" in str(info.value)


@pytest.mark.parametrize("bad", [0, -1, "many", None])
def test_bad_national_total(bad):
    with pytest.raises(EstimateInputError, match="national caseload"):
        modelled_caseload(population(E06000001=100_000), bad)


def test_negative_band_refused():
    with pytest.raises(EstimateInputError, match="relative_uncertainty"):
        modelled_caseload(population(E06000001=100_000), 1_000, relative_uncertainty=-0.2)


def test_method_text_says_it_is_an_assumption_not_a_confidence_interval():
    assert "assumption" in CASELOAD_METHOD
    assert "not a statistical confidence interval" in CASELOAD_METHOD
    assert "12-14%" in CASELOAD_METHOD


# --- local ----------------------------------------------------------------------------------------

def test_local_caseload_is_exact():
    out = local_caseload(pd.DataFrame({"area_code": ["E06000001"], "caseload": [1_234]}))
    row = out.iloc[0]
    assert list(out.columns) == list(CASELOAD_COLUMNS)
    assert row["caseload"] == row["caseload_lower"] == row["caseload_upper"] == 1_234
    assert row["caseload_kind"] == "local"
    assert (row["sex"], row["age_band"]) == ("all", "all")


def test_local_subgroups_kept_and_a_zero_subgroup_allowed():
    out = local_caseload(pd.DataFrame({"area_code": ["A", "A", "A"], "sex": ["all", "male", "female"],
                                       "caseload": [40, 40, 0], "caseload_basis": ["PDU, March 2025"] * 3}))
    assert out.set_index("sex")["caseload"].to_dict() == {"all": 40, "male": 40, "female": 0}
    assert (out["caseload_basis"] == "PDU, March 2025").all()


def test_local_caseload_of_one_person_is_allowed():
    assert local_caseload(pd.DataFrame({"area_code": ["A"], "caseload": [1]}))["caseload"].iloc[0] == 1


@pytest.mark.parametrize("bad,words", [(0, "is 0"), (-10, "negative"), ("1,200", "not a number"),
                                       (np.nan, "missing"), ("n/a", "not a number")])
def test_bad_local_caseload_names_the_area(bad, words):
    table = pd.DataFrame({"area_code": ["E06000001", "E09000033"], "area_name": ["Hartlepool", "Westminster"],
                          "caseload": [500, bad]})
    with pytest.raises(EstimateInputError, match=words) as info:
        local_caseload(table)
    assert "E09000033 (Westminster)" in str(info.value)


def test_duplicate_local_area_refused():
    with pytest.raises(EstimateInputError, match="more than once"):
        local_caseload(pd.DataFrame({"area_code": ["A", "A"], "caseload": [5, 6]}))


# --- choose ---------------------------------------------------------------------------------------

def test_local_preferred_per_area():
    modelled = modelled_caseload(population(A=100_000, B=300_000), 8_000)
    local = local_caseload(pd.DataFrame({"area_code": ["B", "B", "B", "C"],
                                         "sex": ["all", "male", "female", "all"],
                                         "caseload": [5_000, 4_500, 500, 70]}))
    out = choose_caseload(local, modelled)
    kinds = out.groupby("area_code")["caseload_kind"].agg(set).to_dict()
    assert kinds == {"A": {"modelled"}, "B": {"local"}, "C": {"local"}}
    assert out.query("area_code == 'B' and sex == 'all'")["caseload"].iloc[0] == 5_000
    assert len(out) == 5


def test_no_local_figures_gives_modelled():
    modelled = modelled_caseload(population(A=100_000), 8_000)
    assert choose_caseload(None, modelled)["caseload_kind"].tolist() == ["modelled"]
