"""The recommendation rule table applied to hand-made profiles of areas, with the expected top three,
their reasons and their scores written out by hand from the rule table (not computed by the code
under test); and a bad rule table answered with the file, row and column of each problem."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.config import reference_dir
from jsna_kit.errors import EstimateInputError, InputFileError
from jsna_kit.load import recommendation_rules as rules_file
from jsna_kit.load.recommendation_rules import RULE_COLUMNS, load_recommendation_rules
from jsna_kit.load.reference_rules import WORKING_NOTE_PHRASES
from jsna_kit.model import recommendations as model
from jsna_kit.model.recommendations import (
    FINDING_KINDS,
    PLACEHOLDERS,
    ordered_recommendations,
    score_recommendations,
    top_recommendations,
)

REFERENCE = reference_dir()
RULES_CSV = REFERENCE / "recommendation_rules.csv"


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "recommendations.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def rules(recs) -> pd.DataFrame:
    return load_recommendation_rules(recs, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS, path=RULES_CSV)


def profile(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def top(recs, rules, findings, nation, area_name=None) -> pd.DataFrame:
    return top_recommendations(score_recommendations(recs, rules, findings, nation=nation, area_name=area_name))


# Hand-made profiles. Each figure is made up to give a round difference.
LIVERPOOL = profile(
    {"finding": "indicator_worse:92432", "value": 21.6, "comparator": "England", "comparator_value": 9.0},  # +140%
    {"finding": "indicator_worse:92906", "value": 800, "comparator": "England", "comparator_value": 500},  # +60%
    {"finding": "indicator_worse:40601", "value": 35.7, "comparator": "England", "comparator_value": 21.0},  # +70%
    {"finding": "indicator_worse:94240", "value": 45.3, "comparator": "England", "comparator_value": 21.7},
    {"finding": "caseload_per_adult_high", "ratio": 1.6, "comparator": "England"},
    {"finding": "expected_deaths:drug_related", "value": 3.2},
    {"finding": "no_local_caseload"},
)
NORFOLK = profile(
    {"finding": "indicator_worse:41001", "value": 12.9, "comparator": "England", "comparator_value": 10.9},  # +18%
    {"finding": "indicator_better:92432", "value": 3.5, "comparator": "England", "comparator_value": 5.5},
    {"finding": "expected_deaths:suicide", "value": 1.3},
    {"finding": "caseload_per_adult_low", "ratio": 0.7, "comparator": "England"},
    {"finding": "adjusted_need_higher:social_care", "pct_diff": 25, "indicator": "needs for care and support"},
    {"finding": "no_local_caseload"},
)
NEWPORT = profile(  # a Welsh area
    {"finding": "caseload_per_adult_high", "ratio": 1.4, "comparator": "Wales"},
    {"finding": "observed_higher:substance_misuse", "value": 47.0, "comparator_value": 34.8,  # +35%
     "indicator": "a drug or alcohol need"},
    {"finding": "observed_higher:learning_disability_autism", "pct_diff": 50,
     "indicator": "a learning disability or challenge"},
    {"finding": "expected_deaths:drug_related", "value": 2.4},
    {"finding": "expected_deaths:suicide", "value": 0.6},  # under one a year: raises nothing
    # England's rules (England's indicators) do not act in Wales
    {"finding": "indicator_worse:92432", "value": 20, "comparator": "England", "comparator_value": 10},
    {"finding": "no_local_caseload"},
)

MH_BASE = ("because the national strategy asks every area to support sentencing that takes account of mental health, "
           "including the use of MHTRs")
SM_BASE = ("because the national strategy asks every area to strengthen local referral pathways, including from prison "
           "treatment into the community")
SP_BASE = ("because the national strategy asks every area to work with partners, including local authority suicide "
           "prevention action plans")


# --- the profiles ----------------------------------------------------------------------------------

def test_an_empty_profile_keeps_the_reference_top_three_with_the_strategy_as_reason(recs, rules):
    england = top(recs, rules, None, "England")
    assert list(england["recommendation_id"]) == ["REC-MH-01", "REC-SM-01", "REC-SP-01"]
    assert list(england["reason"]) == [MH_BASE, SM_BASE, SP_BASE]
    assert set(england["reason_source"]) == {"national strategy"}
    assert list(england["score"]) == [30, 20, 10]
    wales = top(recs, rules, profile(), "Wales")
    assert list(wales["recommendation_id"]) == ["REC-MH-05", "REC-SM-06", "REC-SP-05"]
    assert list(wales["owner"]) == ["local health board", "area planning board", "local health board"]


def test_every_recommendation_of_the_nation_is_scored(recs, rules):
    # Counted by hand from recommendations.csv: 4 per priority area for England (its own rows and
    # the probation delivery unit's), and 29 for Wales (5 on substance misuse).
    assert len(score_recommendations(recs, rules, None, nation="England")) == 28
    assert len(score_recommendations(recs, rules, None, nation="Wales")) == 29


def test_liverpool_like_profile_is_led_by_drug_and_alcohol_treatment(recs, rules):
    scored = score_recommendations(recs, rules, LIVERPOOL, nation="England", area_name="Liverpool")
    chosen = top_recommendations(scored)
    assert list(chosen["recommendation_id"]) == ["REC-SM-01", "REC-MH-01", "REC-PH-03"]
    assert list(chosen["owner"]) == ["local authority public health", "ICB", "ICB"]
    assert list(chosen["reason"]) == [
        "because deaths from drug misuse here are 2.4 times England's",
        "because Liverpool has 1.6 times as many people on probation per adult as England",
        "because deaths from liver disease before the age of 75 here are 70% above England's",
    ]
    assert list(chosen["finding"]) == ["indicator_worse:92432", "caseload_per_adult_high", "indicator_worse:40601"]
    # base 20 + drug deaths 40 + alcohol admissions 30 + expected drug deaths 20 + caseload 20 + liver deaths 10
    assert list(chosen["score"]) == [140, 50, 20]
    # The rest follow in rank order, whatever their area: drug intelligence (0 + 20 + 10) before the
    # suicide plan (base 10), then the 10-point rows by the strategy's order of priority areas.
    order = ordered_recommendations(scored)
    assert list(order["recommendation_id"][:8]) == ["REC-SM-01", "REC-MH-01", "REC-PH-03", "REC-SM-03", "REC-SP-01",
                                                    "REC-MH-04", "REC-SM-02", "REC-PH-04"]
    assert list(order["top"][:4]) == [True, True, True, False]
    reworded = scored.set_index("recommendation_id")
    assert reworded.loc["REC-SM-03", "text"] == (
        "Share local drug intelligence, such as new psychoactive substances and the circumstances of drug-related "
        "deaths in Liverpool, with probation and offer staff briefings as patterns change.")
    assert reworded.loc["REC-MH-04", "text"].startswith(
        "Ask the probation delivery unit for the number of people it supervises who live in Liverpool;")
    assert not reworded.loc["REC-MH-01", "reworded"]
    assert reworded.loc["REC-MH-01", "text"] == reworded.loc["REC-MH-01", "recommendation"]
    assert reworded.loc["REC-SM-03", "recommendation"].startswith("Share local drug intelligence, such as new "
                                                                  "psychoactive substances and drug-related deaths")


def test_norfolk_like_profile_puts_suicide_prevention_first(recs, rules):
    scored = score_recommendations(recs, rules, NORFOLK, nation="England", area_name="Norfolk")
    chosen = top_recommendations(scored)
    # Those a local finding raised come first: the mental health treatment capacity row (MH-01, base
    # score 30, lowered to 20 by the low caseload) was raised by nothing, so the request for a local
    # count (MH-04, raised by the modelled caseload) leads mental health instead.
    assert list(chosen["recommendation_id"]) == ["REC-SP-01", "REC-SC-01", "REC-MH-04"]
    assert list(chosen["reason"]) == [
        "because the suicide rate here is 18% above England's",
        "because local figures suggest people on probation here are 25% more likely than nationally to have needs "
        "for care and support",
        "because the number of people on probation here is modelled, not counted",
    ]
    assert list(chosen["reason_source"]) == ["local finding", "local finding", "local finding"]
    # suicide plan: base 10 + rate 40 + expected suicides 20; MHTR capacity: 30 - 10 for the low caseload;
    # social care referral route: 0 + 20.
    assert list(chosen["score"]) == [70, 20, 10]
    by_id = scored.set_index("recommendation_id")
    assert by_id.loc["REC-SM-01", "score"] == 0  # 20 - 10 (low caseload) - 10 (drug deaths below England's)
    assert by_id.loc["REC-SM-01", "reason"] == ""  # lowered, not raised
    assert by_id.loc["REC-SP-04", "score"] == 20  # ranked above the social care row, but its area is taken


def test_welsh_profile_uses_welsh_rules_only(recs, rules):
    scored = score_recommendations(recs, rules, NEWPORT, nation="Wales", area_name="Newport")
    chosen = top_recommendations(scored)
    assert list(chosen["recommendation_id"]) == ["REC-SM-06", "REC-MH-05", "REC-LD-05"]
    assert list(chosen["owner"]) == ["area planning board", "local health board", "local authority social services"]
    assert list(chosen["reason"]) == [
        "because probation records here show 35% more people with a drug or alcohol need than national rates predict",
        "because Newport has 1.4 times as many people on probation per adult as Wales",
        "because probation records here show 50% more people with a learning disability or challenge than national "
        "rates predict",
    ]
    assert list(chosen["score"]) == [70, 50, 30]  # 20 + 30 + 20; 30 + 20; 0 + 30
    by_id = scored.set_index("recommendation_id")
    assert by_id.loc["REC-SP-05", "score"] == 10  # 0.6 expected suicides a year: under the threshold of one
    assert by_id.loc["REC-SP-02", "score"] == 0
    assert "England" not in " ".join(scored["text"])  # no English row, no English rule
    assert by_id.loc["REC-MH-07", "text"].startswith(
        "Ask probation in Wales for the number of people it supervises who live in Newport;")


def test_different_profiles_give_different_top_threes(recs, rules):
    chosen = [tuple(top(recs, rules, p, "England")["recommendation_id"]) for p in (None, LIVERPOOL, NORFOLK)]
    assert len(set(chosen)) == 3
    assert len({frozenset(c) for c in chosen}) == 3  # different recommendations, not just a different order


def test_the_same_profile_gives_the_same_answer_whatever_the_row_order(recs, rules):
    first = score_recommendations(recs, rules, LIVERPOOL, nation="England", area_name="Liverpool")
    again = score_recommendations(recs, rules, LIVERPOOL.copy(), nation="England", area_name="Liverpool")
    pd.testing.assert_frame_equal(first, again)
    shuffled = score_recommendations(recs.sample(frac=1, random_state=1), rules.sample(frac=1, random_state=2),
                                     LIVERPOOL.sample(frac=1, random_state=3), nation="England",
                                     area_name="Liverpool")
    pd.testing.assert_frame_equal(first, shuffled)


@pytest.mark.parametrize(("findings", "nation"), [(None, "England"), (None, "Wales"), (LIVERPOOL, "England"),
                                                  (NORFOLK, "England"), (NEWPORT, "Wales")])
def test_every_top_recommendation_has_an_owner_a_reason_and_a_measure(recs, rules, findings, nation):
    chosen = top(recs, rules, findings, nation, area_name="the area")
    assert len(chosen) == 3
    assert chosen["priority_area"].is_unique
    for column in ("owner", "reason", "measure", "text"):
        assert (chosen[column].str.strip() != "").all(), column
    assert chosen["reason"].str.startswith("because ").all()


# --- the scoring, on a hand-made rule table ----------------------------------------------------------

HAND_RECS = pd.DataFrame([
    # recommendation_id, priority_area, priority, nation
    ("A1", "mental_health", "1", "England"), ("A2", "mental_health", "4", "England"),
    ("B1", "substance_misuse", "2", "England and Wales"), ("B2", "substance_misuse", "4", "Wales"),
], columns=["recommendation_id", "priority_area", "priority", "nation"]).assign(
    recommendation=lambda d: "Do " + d["recommendation_id"] + ".", owner="ICB", measure="A count a year",
    strategy_objective="Work with partners")
HAND_RULES = pd.DataFrame([
    ("X1", "indicator_worse:1", "A2", "raise", 40, "",
     "because the drug death rate is {pct_diff}% above {comparator}'s", "England"),
    ("X2", "caseload_per_adult_high", "A2", "raise", 20, "", "because the caseload is {ratio} times {comparator}'s",
     "England"),
    ("X3", "caseload_per_adult_high", "B1", "reword", 5, "Do B1 in {area}, for {ratio} times the caseload.",
     "because of the caseload", "England and Wales"),
    ("X4", "indicator_better:2", "A1", "lower", 10, "", "", "England"),
    ("X5", "indicator_worse:1", "B2", "raise", 40, "", "because it is worse", "Wales"),
], columns=list(RULE_COLUMNS[:-1]))
HAND_FINDINGS = profile(
    {"finding": "indicator_worse:1", "value": 15, "comparator_value": 10, "comparator": "England"},
    {"finding": "caseload_per_adult_high", "ratio": 1.3, "comparator": "England"},
    {"finding": "indicator_better:2", "value": 8, "comparator_value": 10, "comparator": "England"},
)


def test_points_ranks_reasons_and_rewords_by_hand():
    scored = score_recommendations(HAND_RECS, HAND_RULES, HAND_FINDINGS, nation="England", area_name="Testshire")
    assert list(scored["recommendation_id"]) == ["A2", "B1", "A1"]  # B2 is for Wales only
    assert list(scored["base_score"]) == [0, 20, 30]
    assert list(scored["score"]) == [60, 25, 20]  # 0 + 40 + 20; 20 + 5; 30 - 10
    assert list(scored["rank"]) == [1, 2, 3]
    assert list(scored["rule_points"]) == ["X1 +40; X2 +20", "X3 +5", "X4 -10"]
    assert list(scored["reason"]) == ["because the drug death rate is 50% above England's", "because of the caseload",
                                      ""]
    assert list(scored["finding"]) == ["indicator_worse:1", "caseload_per_adult_high", ""]
    assert list(scored["text"]) == ["Do A2.", "Do B1 in Testshire, for 1.3 times the caseload.", "Do A1."]
    assert list(scored["recommendation"]) == ["Do A2.", "Do B1.", "Do A1."]


def test_top_takes_one_per_priority_area_until_the_areas_run_out():
    scored = score_recommendations(HAND_RECS, HAND_RULES, HAND_FINDINGS, nation="England")
    assert list(top_recommendations(scored, n=2)["recommendation_id"]) == ["A2", "B1"]
    # only two priority areas: the third place goes to the next by rank, from an area already chosen
    assert list(top_recommendations(scored, n=3)["recommendation_id"]) == ["A2", "B1", "A1"]
    assert top_recommendations(scored, n=3)["reason"].iloc[2] == ("because the national strategy asks every area to "
                                                                  "work with partners")


def test_ties_go_to_base_score_then_strategy_order_then_id():
    recs = pd.DataFrame([("Z-1", "social_care", "4"), ("Z-4", "mental_health", "4"), ("Z-3", "mental_health", "4"),
                         ("Z-9", "opd_pathway", "3")],
                        columns=["recommendation_id", "priority_area", "priority"]).assign(
        recommendation="Do it.", nation="England", owner="ICB", measure="A count")
    scored = score_recommendations(recs, HAND_RULES.iloc[0:0], None, nation="England")
    assert list(scored["recommendation_id"]) == ["Z-9", "Z-3", "Z-4", "Z-1"]


def test_a_difference_below_the_comparator_reads_as_a_size_and_missing_values_are_named():
    rules = HAND_RULES.assign(finding="indicator_better:2")
    scored = score_recommendations(HAND_RECS, rules.iloc[[0]], HAND_FINDINGS, nation="England")
    assert scored.set_index("recommendation_id").loc["A2", "reason"] == "because the drug death rate is 20% above " \
                                                                         "England's"  # 8 against 10: 20%, no sign
    bare = profile({"finding": "indicator_worse:1", "comparator": "England"})
    with pytest.raises(EstimateInputError, match=r"rule X1 needs the finding indicator_worse:1's pct_diff"):
        score_recommendations(HAND_RECS, HAND_RULES, bare, nation="England")


def test_findings_for_two_areas_or_a_repeated_finding_are_refused():
    with pytest.raises(EstimateInputError, match="more than one area"):
        score_recommendations(HAND_RECS, HAND_RULES, HAND_FINDINGS.assign(area_code=["E1", "E2", "E1"]),
                              nation="England")
    with pytest.raises(EstimateInputError, match="given twice"):
        score_recommendations(HAND_RECS, HAND_RULES, pd.concat([HAND_FINDINGS, HAND_FINDINGS.iloc[[1]]]),
                              nation="England")


# --- the rule table --------------------------------------------------------------------------------

def test_the_vocabulary_of_the_file_is_the_model_s():
    assert rules_file.ACTIONS == model.ACTIONS
    assert rules_file.INDICATOR_ID == model.INDICATOR_ID
    for stem in FINDING_KINDS:
        assert f"``{stem}" in model.__doc__, stem
        assert f"`{stem}" in (Path(__file__).parents[1] / "docs" / "recommendation_rules.md").read_text(), stem


def test_the_built_in_table_reads_well_and_cites_known_sources(rules, recs):
    assert rules["rule_id"].is_unique and len(rules) >= 60
    assert set(rules["applies_to"]) <= set(recs["recommendation_id"])
    sources = set(pd.read_csv(REFERENCE / "sources.csv", dtype=str)["source_key"])
    estimates = set(pd.read_csv(REFERENCE / "national_estimates.csv", dtype=str)["estimate_id"])
    for row in rules.itertuples():
        for text in (row.reason_template, row.reword_text):
            for phrase in WORKING_NOTE_PHRASES:
                assert not re.search(phrase, text, flags=re.IGNORECASE), (row.rule_id, phrase)
            assert not set(re.findall(r"\b[A-Z][A-Z0-9_]*\d{4}\b", text)), row.rule_id  # no raw source keys
        cited = set(re.findall(r"\b[A-Z][A-Z0-9_]*\d{2,}[A-Z0-9_]*\b", row.rationale))
        known = sources | estimates | set(rules["rule_id"]) | {"C20"}  # C20: the PHOF indicator
        assert cited <= known, (row.rule_id, cited - known)
        if row.action == "raise":
            assert row.reason_template.startswith("because "), row.rule_id


def write_rules(tmp_path: Path, change: dict[int, dict[str, str]] | None = None, drop: str | None = None) -> Path:
    with RULES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for index, cells in (change or {}).items():
        rows[index].update(cells)
    path = tmp_path / "recommendation_rules.csv"
    columns = [c for c in rows[0] if c != drop]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def problems(recs, path: Path) -> list:
    with pytest.raises(InputFileError) as caught:
        load_recommendation_rules(recs, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS, path=path)
    return caught.value.problems


# index of a row in the built-in table: 0 is R01 (a raise, England), 2 is R03 (a reword, England)
@pytest.mark.parametrize(("index", "column", "value", "message"), [
    (0, "action", "boost", "is not one of raise, lower, reword"),
    (0, "applies_to", "REC-XX-99", "is not a recommendation_id of recommendations.csv"),
    (0, "applies_to", "REC-MH-05", "is a recommendation for Wales, but the rule is for England"),
    (0, "finding", "indicator_awful:92432", "is not a finding of the vocabulary"),
    (0, "finding", "indicator_worse:123456789", "names an indicator jsna-kit does not know"),
    (0, "finding", "indicator_worse", "needs ':' and an indicator id"),
    (0, "finding", "expected_deaths:falls", "is not one of suicide, drug_related"),
    (0, "finding", "no_local_caseload:yes", "takes nothing after its name"),
    (0, "weight", "lots", "is not a number"),
    (0, "weight", "-5", "is below 0"),
    (2, "reword_text", "", "is blank, but the rule rewords"),
    (0, "reword_text", "Do it.", "the rule does not reword"),
    (0, "reason_template", "", "a raised recommendation needs the reason"),
    (0, "reason_template", "because {pct_difference}% above", "unknown placeholder(s) pct_difference"),
    (2, "reword_text", "Share {area in", "unmatched { or }"),
    (0, "reason_template", "because {pct_diff:.0f}% above", "formats a placeholder itself"),
    (0, "nation", "Scotland", "is not one of England, Wales, England and Wales"),
    (0, "rationale", "", "is blank"),
    (1, "rule_id", "R01", "repeats another rule's id"),
])
def test_a_bad_rule_names_its_row_and_column(recs, tmp_path, index, column, value, message):
    found = problems(recs, write_rules(tmp_path, {index: {column: value}}))
    assert [(p.row, p.column) for p in found] == [(index + 2, column)], [str(p) for p in found]
    assert message in found[0].message
    assert found[0].file.endswith("recommendation_rules.csv") and found[0].fix


def test_every_problem_is_reported_at_once_and_a_missing_column_is_named(recs, tmp_path):
    found = problems(recs, write_rules(tmp_path, {0: {"action": "boost"}, 4: {"weight": "ten"}}))
    assert [(p.row, p.column) for p in found] == [(2, "action"), (6, "weight")]
    found = problems(recs, write_rules(tmp_path, drop="rationale"))
    assert [(p.row, p.column, p.message) for p in found] == [(1, "rationale", "a required column is missing")]


def test_a_repeated_rule_and_unknown_recommendation_ids_are_refused(recs, tmp_path):
    with RULES_CSV.open(encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    found = problems(recs, write_rules(tmp_path, {1: {**first, "rule_id": "R99"}}))
    assert [(p.row, p.column) for p in found] == [(3, "finding")]
    assert "repeats a rule" in found[0].message
    blank_id = recs.assign(recommendation_id=lambda d: d["recommendation_id"].where(d.index != 3, ""))
    with pytest.raises(InputFileError) as caught:
        load_recommendation_rules(blank_id, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS, path=RULES_CSV)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "recommendation_id")]


def test_the_batch_scorer_agrees_with_the_per_area_functions(recs, rules):
    """model.recommendations_batch scores many areas at once; it must give every area exactly
    what score_recommendations then ordered_recommendations give it."""
    from jsna_kit.model.recommendations import ordered_recommendations
    from jsna_kit.model.recommendations_batch import ordered_for_areas

    profiles = {"E08000012": LIVERPOOL, "E10000020": NORFOLK, "W06000022": NEWPORT, "E06000041": None}
    names = {"E08000012": "Liverpool", "E10000020": "Norfolk", "W06000022": "Newport", "E06000041": "Wokingham"}
    fast = ordered_for_areas(recs, rules, profiles, names=names)
    columns = ["recommendation_id", "order", "top", "score", "rule_points", "reason", "finding", "text", "owner"]
    for code, profile in profiles.items():
        nation = "Wales" if code.startswith("W") else "England"
        slow = ordered_recommendations(score_recommendations(recs, rules, profile, nation=nation,
                                                             area_name=names[code]))
        mine = fast[fast["area_code"] == code].reset_index(drop=True)
        assert len(mine) == len(slow), code
        for column in columns:
            expected = slow[column].fillna("").astype(str).tolist()
            assert mine[column].fillna("").astype(str).tolist() == expected, (code, column)


def test_a_reasons_figures_round_half_up_as_the_rest_of_the_chapter_does():
    """Hartlepool's smokers (14.85%) read 14.9% in Local context but '14.8% against 10.4%' in a
    recommendation's reason, from Python's binary rounding: both now round half up."""
    from jsna_kit.model.recommendations import _number

    assert [_number(v) for v in (14.85, 10.95, 2.0, 1176.5, 99.96)] == ["14.9", "11", "2", "1,177", "100"]


def test_raised_recommendations_in_one_priority_area_give_one_place_and_appendix_d_says_so(recs, rules):
    """Findings that raise several recommendations of one priority area fill one of the top three;
    the strategy's standing priorities for other areas fill the rest, as Appendix D says."""
    from jsna_kit.present.appendix import RECOMMENDATION_METHOD

    findings = profile({"finding": "indicator_worse:92432", "value": 20, "comparator": "England",
                        "comparator_value": 10})  # drug deaths: raises more than one substance misuse action
    scored = score_recommendations(recs, rules, findings, nation="England")
    raised = scored[scored["finding"] != ""]
    assert raised["priority_area"].nunique() == 1 and len(raised) > 1
    chosen = top_recommendations(scored)
    assert chosen["reason_source"].tolist().count("local finding") == 1
    assert chosen["priority_area"].nunique() == 3
    assert "raised recommendations in fewer than three priority areas" in RECOMMENDATION_METHOD
    assert "standing priorities for other areas fill the places" in RECOMMENDATION_METHOD
