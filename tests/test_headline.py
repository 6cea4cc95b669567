"""The headline rule on small made-up tables: one test per ranking criterion, the roles, ties and
the no-eligible-row case. Expected outcomes are read off the rule as documented in HEADLINE_RULE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna_kit.model.headline import HEADLINE_RULE, classify_estimates, headline_for

BASE = dict(priority_area="mental_health", setting_type="probation_caseload", coverage="national",
            sex="all", age_band="all", measure_kind="prevalence", measure_scope="overall", unit="percent",
            value=30.0, status="ok", instrument_type="clinical_interview", year_end=2015,
            denominator=np.nan, ci_lower=np.nan, ci_upper=np.nan)


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**BASE, "estimate_id": f"X{i:02d}", **r} for i, r in enumerate(rows, start=1)])


def roles(rows: pd.DataFrame) -> dict[str, str]:
    out = classify_estimates(rows)
    return dict(zip(out["estimate_id"], out["role"], strict=True))


def headline_id(rows: pd.DataFrame, area: str = "mental_health") -> str | None:
    row = headline_for(rows, area)
    return None if row is None else row["estimate_id"]


# --- criterion by criterion ------------------------------------------------------------------

def test_1_overall_measure_beats_a_specific_one_even_when_weaker_on_everything_else():
    rows = table(dict(measure_scope="specific", denominator=500, year_end=2024),
                 dict(measure_scope="overall", setting_type="probation_co_starters",
                      instrument_type="self_report", year_end=2005))
    assert headline_id(rows) == "X02"


def test_a_figure_from_the_press_or_not_found_in_its_original_is_only_context():
    """A 'verify' figure (e.g. one read only in press coverage) is context: never the headline, never an
    alternative in the range; with nothing confirmed there is no headline at all."""
    rows = classify_estimates(table(dict(measure_scope="specific", denominator=500, year_end=2024),
                                    dict(measure_scope="overall", status="verify", year_end=2025)))
    assert list(rows["role"]) == ["headline", "context"]
    only = classify_estimates(table(dict(status="verify")))
    assert list(only["role"]) == ["context"]
    prison = classify_estimates(table(dict(status="verify", setting_type="prison", denominator=100)))
    assert list(prison["role"]) == ["context"], "not a comparator or an illustration either"


def test_2_whole_caseload_sample_beats_community_order_starters():
    rows = table(dict(setting_type="probation_co_starters", denominator=5000, year_end=2024),
                 dict(setting_type="probation_caseload", instrument_type="self_report", year_end=2001))
    assert headline_id(rows) == "X02"


def test_2_co_starters_and_other_probation_groups_tie_on_setting():
    rows = table(dict(setting_type="probation_co_starters", instrument_type="self_report"),
                 dict(setting_type="probation_other", instrument_type="screening_tool"))
    assert headline_id(rows) == "X02"  # decided by criterion 3, not by setting


@pytest.mark.parametrize("better, worse", [
    ("clinical_interview", "screening_tool"), ("screening_tool", "administrative_record"),
    ("administrative_record", "practitioner_record"), ("practitioner_record", "self_report"),
    ("self_report", "modelled"), ("self_report", ""),
])
def test_3_instrument_order(better, worse):
    rows = table(dict(instrument_type=worse, denominator=900, year_end=2024),
                 dict(instrument_type=better))
    assert headline_id(rows) == "X02"


def test_4_checked_figure_beats_one_still_to_verify():
    rows = table(dict(status="verify", denominator=900, year_end=2024), dict(status="ok"))
    assert headline_id(rows) == "X02"


@pytest.mark.parametrize("precision", [dict(denominator=50), dict(ci_lower=20.0, ci_upper=40.0)])
def test_5_known_precision_beats_unknown(precision):
    rows = table(dict(year_end=2024), dict(year_end=2001, **precision))
    assert headline_id(rows) == "X02"


def test_5_half_an_interval_is_not_known_precision():
    rows = table(dict(ci_lower=20.0, year_end=2001), dict(year_end=2024))
    assert headline_id(rows) == "X02"


def test_6_more_recent_wins_and_an_unknown_year_comes_last():
    rows = table(dict(year_end=np.nan, denominator=9000), dict(year_end=2010, denominator=100),
                 dict(year_end=2012, denominator=100))
    out = classify_estimates(rows).set_index("estimate_id")
    assert list(out["headline_rank"]) == [3, 2, 1]


def test_7_larger_sample_wins_when_all_else_is_equal():
    rows = table(dict(denominator=150), dict(denominator=1500))
    assert headline_id(rows) == "X02"


def test_8_exact_ties_go_to_the_lower_estimate_id_whatever_the_row_order():
    rows = table(dict(), dict(), dict())
    shuffled = rows.iloc[[2, 0, 1]].reset_index(drop=True)
    assert headline_id(rows) == headline_id(shuffled) == "X01"
    ranks = classify_estimates(shuffled).set_index("estimate_id")["headline_rank"]
    assert ranks.to_dict() == {"X03": 3, "X01": 1, "X02": 2}


# --- roles -----------------------------------------------------------------------------------

def test_roles_for_each_kind_of_row():
    rows = table(
        dict(),                                                    # headline
        dict(value=20.0),                                          # alternative
        dict(status="gap", value=np.nan),                          # gap
        dict(measure_kind="count", unit="count", value=1000.0),    # context: not prevalence
        dict(status="derived"),                                    # context: derived
        dict(unit="per_1000", value=2.0),                          # context: not percent
        dict(value=np.nan),                                        # context: range or bound only
        dict(setting_type="prison", denominator=400),              # comparator
        dict(setting_type="general_population"),                   # comparator
        dict(setting_type="criminal_justice_mixed"),               # comparator
        dict(sex="female"),                                        # subgroup
        dict(age_band="50+"),                                      # subgroup
        dict(coverage="regional"),                                 # subgroup (one region)
    )
    assert list(roles(rows).values()) == [
        "headline", "alternative", "gap", "context", "context", "context", "context",
        "comparator", "comparator", "comparator", "subgroup", "subgroup", "subgroup"]


def test_exactly_one_headline_per_priority_area_and_alternatives_are_ranked_from_two():
    rows = table(dict(), dict(denominator=100), dict(value=10.0),
                 dict(priority_area="opd_pathway"), dict(priority_area="opd_pathway", status="verify"))
    out = classify_estimates(rows)
    assert out.groupby("priority_area")["role"].apply(lambda r: (r == "headline").sum()).to_dict() == \
        {"mental_health": 1, "opd_pathway": 1}
    mh = out[out["priority_area"] == "mental_health"].set_index("estimate_id")
    assert mh.loc["X02", "role"] == "headline"  # the only one with a sample size
    assert sorted(mh["headline_rank"].tolist()) == [1, 2, 3]


def test_only_subgroup_figures_still_give_one_headline_the_best_of_them():
    rows = table(dict(sex="female"), dict(sex="male", denominator=300))
    assert list(roles(rows).values()) == ["subgroup", "headline"]


def test_no_probation_figure_marks_the_best_prison_figure_with_a_sample_size_as_proxy():
    rows = table(
        dict(status="gap", value=np.nan),
        dict(setting_type="general_population", denominator=100000),  # larger, but not a prison
        dict(setting_type="prison"),                                   # no sample size: not a proxy
        dict(setting_type="prison", sex="male", denominator=5000),     # prison, but men only
        dict(setting_type="prison", denominator=300),                  # the proxy
        dict(setting_type="prison", denominator=300, status="derived"),  # context, never a proxy
    )
    assert list(roles(rows).values()) == ["gap", "comparator", "comparator", "comparator", "proxy",
                                          "context"]
    assert headline_for(rows, "mental_health") is None


def test_no_proxy_when_no_comparator_has_a_sample_size():
    rows = table(dict(status="gap", value=np.nan), dict(setting_type="prison"))
    assert list(roles(rows).values()) == ["gap", "comparator"]


def test_no_proxy_when_the_area_has_a_probation_figure():
    rows = table(dict(setting_type="probation_other"), dict(setting_type="prison", denominator=900))
    assert list(roles(rows).values()) == ["headline", "comparator"]


def test_input_is_not_changed_and_other_columns_are_kept():
    rows = table(dict(measure="Any current mental illness"))
    before = rows.copy()
    out = classify_estimates(rows)
    pd.testing.assert_frame_equal(rows, before)
    assert out.loc[0, "measure"] == "Any current mental illness"
    assert {"role", "headline_rank"} <= set(out.columns)


def test_headline_for_accepts_a_classified_table_and_rejects_an_unknown_area():
    rows = table(dict(), dict(priority_area="social_care", status="gap", value=np.nan))
    assert headline_for(classify_estimates(rows), "mental_health")["estimate_id"] == "X01"
    assert headline_for(rows, "social_care") is None
    with pytest.raises(KeyError, match="unknown priority area"):
        headline_for(rows, "mental")


def test_rule_text_names_every_criterion_in_order():
    assert "reported only in the press" in HEADLINE_RULE and "to be confirmed" not in HEADLINE_RULE
    words = ["as a whole", "whole probation caseload", "clinical interview",
             "known sample size or published interval", "more recent", "larger sample", "identifier"]
    positions = [HEADLINE_RULE.index(w) for w in words]
    assert positions == sorted(positions)
