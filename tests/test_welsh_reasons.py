"""A recommendation's reason in a Welsh chapter (issue 27): the rule's Welsh template
(``reason_template_cy``) filled with the finding's values as a Welsh sentence says them. The
expected sentences are written out by hand from the rule table and the catalogue."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from jsna_kit.config import reference_dir
from jsna_kit.errors import InputFileError
from jsna_kit.load.localise import generated_in_language
from jsna_kit.load.recommendation_rules import load_recommendation_rules
from jsna_kit.messages import MissingTranslation
from jsna_kit.model.reason_words import above_words, finding_words
from jsna_kit.model.recommendations import (
    FINDING_KINDS,
    PLACEHOLDERS,
    ordered_recommendations,
    score_recommendations,
)
from jsna_kit.model.recommendations_batch import ordered_for_areas

RULES_CSV = reference_dir() / "recommendation_rules.csv"


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    return pd.read_csv(reference_dir() / "recommendations.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def rules(recs) -> pd.DataFrame:
    return load_recommendation_rules(recs, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS, path=RULES_CSV)


CARDIFF = pd.DataFrame([
    {"finding": "indicator_worse:9000001", "value": 14.0, "comparator": "Wales", "comparator_value": 10.0},  # +40%
    {"finding": "indicator_worse:9000002", "value": 12.0, "comparator": "Wales", "comparator_value": 5.0},  # 2.4x
    {"finding": "caseload_per_adult_high", "ratio": 1.6, "comparator": "Wales"},
    {"finding": "adjusted_need_higher:mental_health", "value": 50.0, "comparator": "the national rate",
     "comparator_value": 40.0, "indicator": "a mental illness"},  # +25%
    {"finding": "observed_lower:substance_misuse", "value": 30.0, "comparator": "the national rate",
     "comparator_value": 45.0, "indicator": "drug misuse (OASys)"},
    {"finding": "expected_deaths:drug_related", "value": 2.4},
])


def reason(recs, rules, finding: dict) -> tuple[str, str]:
    """The English and the Welsh reason of the first recommendation that one finding raises."""
    scored = score_recommendations(recs, rules, pd.DataFrame([finding]), nation="Wales", area_name="Cardiff",
                                   area_name_cy="Caerdydd")
    raised = scored[scored["finding"] == finding["finding"]]
    assert len(raised), finding
    return raised["reason"].iloc[0], raised["reason_cy"].iloc[0]


def test_each_kind_of_finding_gives_its_reason_in_welsh(recs, rules):
    found = {row["finding"]: reason(recs, rules, row)[1] for row in CARDIFF.to_dict("records")}
    assert found["indicator_worse:9000001"] == ("oherwydd bod y gyfradd hunanladdiad yn yr ardal hon 40% yn uwch na "
                                                "ffigur Cymru")
    assert found["indicator_worse:9000002"] == ("oherwydd bod y gyfradd marwolaethau sy'n gysylltiedig â gwenwyno "
                                                "gan gyffuriau yn yr ardal hon yn 2.4 gwaith ffigur Cymru")
    assert found["caseload_per_adult_high"] == ("oherwydd bod nifer y bobl ar brawf fesul oedolyn 1.6 gwaith cymaint "
                                                "yn ardal Caerdydd ag ydyw ar draws Cymru")
    # the need in Welsh comes from the priority area, not the English label the analyst's file gave
    assert found["adjusted_need_higher:mental_health"] == (
        "oherwydd bod ffigurau lleol yn awgrymu bod salwch meddwl 25% yn fwy cyffredin ymhlith pobl ar brawf yn yr "
        "ardal hon nag yn genedlaethol")
    assert found["observed_lower:substance_misuse"].endswith(
        "o ran problemau cyffuriau neu alcohol, felly mae'n bosibl nad yw rhai anghenion yn cael eu cofnodi")
    assert found["expected_deaths:drug_related"] == (
        "oherwydd bod cyfraddau marwolaethau cenedlaethol ar gyfer pobl ar brawf yn awgrymu tua 2.4 o farwolaethau "
        "sy'n gysylltiedig â chyffuriau y flwyddyn ymhlith pobl ar brawf yn yr ardal hon")
    english = reason(recs, rules, CARDIFF.iloc[2].to_dict())[0]
    assert english == "because Cardiff has 1.6 times as many people on probation per adult as Wales"


def test_the_batch_scorer_gives_the_same_welsh(recs, rules):
    fast = ordered_for_areas(recs, rules, {"W06000015": CARDIFF, "E06000001": None},
                             names={"W06000015": "Cardiff", "E06000001": "Hartlepool"},
                             names_cy={"W06000015": "Caerdydd"})
    slow = ordered_recommendations(score_recommendations(recs, rules, CARDIFF, nation="Wales", area_name="Cardiff",
                                                         area_name_cy="Caerdydd"))
    mine = fast[fast["area_code"] == "W06000015"].reset_index(drop=True)
    for column in ("reason_cy", "text_cy"):
        assert mine[column].fillna("").tolist() == slow[column].fillna("").tolist(), column
    assert (mine["reason_cy"] != "").sum() >= 5
    # an English area has no Welsh chapter, so no Welsh reason
    assert fast.loc[fast["area_code"] == "E06000001", "reason_cy"].isna().all()


def test_above_and_the_finding_words_in_each_language():
    assert [above_words(r) for r in (2.44, 1.4, 0.7)] == ["2.4 times", "40% above", "30% below"]
    assert [above_words(r, "cy") for r in (2.44, 1.4, 0.7)] == ["yn 2.4 gwaith", "40% yn uwch na", "30% yn is na"]
    assert finding_words("comparator", "similar areas", "neighbours_worse:9000001", "cy") == "ardaloedd tebyg"
    assert finding_words("detail", "3 of 12", "neighbours_worse:9000001", "cy") == "3 o 12"
    assert finding_words("indicator", "a learning disability or challenge",
                         "observed_higher:learning_disability_autism", "cy") == "anableddau neu heriau dysgu"
    with pytest.raises(MissingTranslation, match="the moon's phase"):  # never English in a Welsh sentence
        finding_words("comparator", "the moon's phase", "indicator_worse:9000001", "cy")


def test_a_welsh_template_with_other_placeholders_is_refused_naming_row_and_column(recs, tmp_path):
    with RULES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    index = next(i for i, r in enumerate(rows) if r["rule_id"] == "R26")
    rows[index]["reason_template_cy"] = rows[index]["reason_template_cy"].replace("{ratio}", "{value}")
    path = tmp_path / "recommendation_rules.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputFileError) as caught:
        load_recommendation_rules(recs, finding_kinds=FINDING_KINDS, placeholders=PLACEHOLDERS, path=path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (index + 2, "reason_template_cy")
    assert "area, comparator, value" in problem.message and "area, comparator, ratio" in problem.message


def test_a_welsh_chapter_prints_the_welsh_reason_and_stops_where_there_is_none():
    bundle = pd.DataFrame({"recommendation_id": ["A", "B"], "text": ["Do this", "Do that"],
                           "reason": ["because deaths here are 40% above Wales's", "because the strategy asks"],
                           "finding": ["indicator_worse:9000002", ""],
                           "reason_cy": ["oherwydd bod ... 40% yn uwch na ffigur Cymru", ""], "text_cy": ["", ""]})
    welsh = generated_in_language(bundle, "recommendations", "cy")
    assert welsh["reason"].tolist() == ["oherwydd bod ... 40% yn uwch na ffigur Cymru", "because the strategy asks"]
    assert generated_in_language(bundle, "recommendations", "en") is bundle
    with pytest.raises(InputFileError) as caught:
        generated_in_language(bundle.assign(reason_cy=""), "recommendations", "cy")
    [problem] = caught.value.problems
    assert problem.column == "reason_template_cy" and "indicator_worse:9000002 -> A" in str(problem.value)
