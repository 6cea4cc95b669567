"""The summary slice in Welsh (issue 27): present/numbers.py, sentences.py and summary.py give
their text in Welsh from the catalogue (locale/cy/), with the same figures as the English, no
English function words outside names, citations and reference text, and every Welsh word known
to the Welsh dictionary; their English is unchanged (tests/test_chapter_text.py,
test_published_numbers.py, and the English checks here)."""

from __future__ import annotations

import re

import pytest

from jsna_kit.present import numbers, sentences, summary
from jsna_kit.present.lang import in_place

#: English words that should not appear in Welsh text (outside names, citations, reference text).
ENGLISH = {"the", "and", "of", "to", "for", "with", "that", "this", "people", "is", "are", "in", "about"}


def english_words(text: str, *, allowed: str = "") -> list[str]:
    """The English function words of ``text``, once names, citations and ``allowed`` (reference
    text the chapter prints as the data give it) are taken out."""
    for part in allowed.split("\n") if allowed else []:
        text = text.replace(part, " ")
    text = re.sub(r"\[@[^\]]*\]|\{#[^}]*\}", " ", text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH]


def unknown(text: str, also: set[str] = frozenset()) -> list[str]:
    from jsna_kit.publish.spelling import unknown_welsh_words

    return unknown_welsh_words(text, also=also)


@pytest.fixture(scope="module")
def welsh(welsh_data):
    return welsh_data


NAMES = {"Gwynedd", "Cardiff", "Caerdydd", "Hartlepool"}


# numbers.py -------------------------------------------------------------------------------

def test_numbers_in_welsh_keep_their_figures():
    assert numbers.count(None, language="cy") == "dim ar gael"
    assert numbers.count(1234.4, language="cy") == "1,234"
    assert numbers.about(99.6, language="cy") == "tua 100"
    assert numbers.about(0.2, language="cy") == "llai nag un"
    assert numbers.percent(None, language="cy") == "dim ar gael"
    assert numbers.percent(3.33, language="cy") == "3.3%"
    assert numbers.in_words(4, language="cy") == "4" and numbers.in_words(4) == "four"
    assert numbers.interval(690, 870, language="cy") == "cyfwng hyder 95%: 690 i 870"
    assert numbers.interval(690, 870) == "95% CI 690 to 870"
    row = {"expected_lower": 95.2, "expected_upper": 140, "range_kind": "caseload_range"}
    assert numbers.estimate_range(row, language="cy") == "ystod o'r llwyth achosion wedi'i fodelu yn unig: 95 i 140"
    assert numbers.estimate_range(row) == "range from the modelled caseload alone 95 to 140"


# sentences.py -----------------------------------------------------------------------------

def test_a_welsh_list_joins_with_a_or_ac_before_a_vowel():
    assert sentences.listed(["Conwy", "Gwynedd"], language="cy") == "Conwy a Gwynedd"
    assert sentences.listed(["Conwy", "Gwynedd", "Ynys Môn"], language="cy") == "Conwy, Gwynedd ac Ynys Môn"
    assert sentences.listed(["a", "b", "c"]) == "a, b and c"


def test_estimate_sentences_in_welsh(welsh):
    data = welsh("W06000002")
    rows = [r for r in data.rows("estimates") if r["role"] in ("headline", "proxy")
            and not numbers.is_missing(r["expected"])]
    assert rows
    for row in rows:
        reference = "\n".join(str(row.get(c) or "") for c in ("finding_phrase", "measure", "setting", "grade_reason"))
        english = sentences.headline_sentence(row, area_name="Gwynedd", caseload=1234.0, caseload_kind="local")
        text = sentences.headline_sentence(row, area_name="Gwynedd", caseload=1234.0, caseload_kind="local",
                                           language="cy")
        assert text.startswith(f"Amcangyfrifir bod **{numbers.count(row['expected'])}**")
        assert "o'r 1,234 o bobl ar brawf yng Ngwynedd" in text
        assert english.startswith(f"An estimated **{numbers.count(row['expected'])}**")
        for cy in (text, sentences.range_caveat(row, language="cy"), sentences.grade_sentence(row, language="cy")):
            assert not english_words(cy, allowed=reference), cy
        assert not unknown(sentences.range_caveat(row, language="cy") + sentences.grade_sentence(row, language="cy")
                           .split(":")[0])
    proxy = {**rows[0], "role": "proxy", "setting": float("nan"), "setting_type": "prison"}
    text = sentences.proxy_sentence(proxy, area_name="Gwynedd", language="cy")
    assert "ymhlith carcharorion" in text and "o bobl yng Ngwynedd" in text
    assert not unknown(text.replace(str(proxy["measure"]).rstrip(".")[1:], " "), {"Gwynedd"})


def test_grade_and_source_words_in_welsh():
    assert sentences.grade_sentence({"grade": "A"}, language="cy") == "Mae'r dystiolaeth genedlaethol am hyn yn gryf."
    assert sentences.grade_sentence({"grade": "A"}) == "The national evidence for this is strong."
    assert sentences.grade_sentence({"grade": "X"}) == "The national evidence for this is ungraded."
    assert sentences.source_label("", {}, language="cy") == "dim ffynhonnell"
    lookup = {"K": {"authors": "Brooker C; Ellis A", "year": 2012}}.get
    assert sentences.source_label("K", lookup, language="cy") == "Brooker ac Ellis 2012"
    assert sentences.source_label("K", lookup) == "Brooker and Ellis 2012"


# summary.py -------------------------------------------------------------------------------

@pytest.mark.parametrize(("p", "words"), [(0.42, "tua 4 o bob 10"), (0.05, "tua 1 o bob 20"),
                                          (0.99, "bron pawb"), (0.004, "llai nag 1 o bob 100")])
def test_share_words_in_welsh(p, words):
    assert summary.share_words(p, language="cy") == words


@pytest.mark.parametrize("code", ["W06000002", "W06000015"])
def test_the_summary_in_welsh(welsh, chapter_data, code):
    data, english = welsh(code), chapter_data(code)
    name = data.area_name
    phrases = [str(r["finding_phrase"]) for r in data.rows("estimates")
               if not numbers.is_missing(r.get("finding_phrase")) and str(r["finding_phrase"]).strip()]
    # national_line prints a finding phrase without its first verb ("have a current ...")
    reference = "\n".join(sorted({*phrases, *(p.removeprefix("have ").removeprefix("has ") for p in phrases)},
                                  key=len, reverse=True))
    also = NAMES | set(name.split())
    # The sentences this slice writes, each in Welsh, with the English figures.
    for welsh_text, english_text in [
            (summary.caseload_fact(data), summary.caseload_fact(english)),
            (summary.needs_message(data), summary.needs_message(english)),
            (summary.scale_message(data), summary.scale_message(english)),
            (summary.national_line(data), summary.national_line(english)),
            *zip(summary.glance_facts(data), summary.glance_facts(english), strict=True)]:
        assert re.findall(r"\d[\d,.]*", welsh_text) == re.findall(r"\d[\d,.]*", english_text), welsh_text
        assert not english_words(welsh_text, allowed=reference), welsh_text
        cleaned = welsh_text
        for part in reference.split("\n"):
            cleaned = cleaned.replace(part, " ") if part else cleaned
        assert not unknown(cleaned, also), welsh_text
    assert in_place("cy", name) in summary.caseload_fact(data)
    messages = summary.key_messages(data)
    assert messages and len(messages) == len(summary.key_messages(english))
    assert any(m.startswith("Mae'r dystiolaeth genedlaethol y tu ôl") for m in messages)


def test_the_summary_block_has_welsh_headings_and_the_same_anchors(welsh, chapter_data, monkeypatch):
    # What stands out comes from other modules (adjusted, neighbours, notable), converted apart.
    monkeypatch.setattr(summary, "distinctive", lambda data: ["(llinell)"])
    data, english = welsh("W06000002"), chapter_data("W06000002")
    text, before = summary.summary(data), summary.summary(english)
    for anchor in ("{#sec-at-a-glance}", "{#sec-key-messages}", "{#sec-top-recommendations}"):
        assert anchor in text and anchor in before
    assert "### Cipolwg {#sec-at-a-glance}" in text
    assert "### At a glance {#sec-at-a-glance}" in before
    assert "**Beth sy'n nodedig yng Ngwynedd**" in text
    assert "Gofynnir i'r bwrdd partneriaeth rhanbarthol gytuno ar y rhain" in text
    assert summary._asked("Bwrdd Partneriaeth Rhanbarthol Gogledd Cymru", "cy") == (
        "i Fwrdd Partneriaeth Rhanbarthol Gogledd Cymru")  # "i" takes the soft mutation


def test_the_other_areas_a_delivery_unit_serves_are_named_in_welsh(welsh):
    import dataclasses

    data = welsh("W06000002")
    unit = {"name": "Unit", "name_cy": "Uned", "share_pct": 100.0, "also_serves": ["Caerphilly", "Torfaen"],
            "also_serves_cy": ["Caerffili", "Torfaen"]}
    small = dataclasses.replace(data, area={**data.area, "caseload": 150, "bodies": {
        "as_at": "2026-04-01", "roles": {"probation_delivery_unit": [unit]}}})
    text = summary.scale_message(small)
    assert "hefyd yn gwasanaethu Caerffili a Thorfaen:" in text and not english_words(text)


def test_scenario_words_in_welsh():
    text = summary.scenario_words(["ein-data.csv"], ["Mesur (MH01)"], what="chapter", language="cy")
    assert text.startswith("**Senario, nid yr amcangyfrifon cyhoeddedig.** Lluniwyd y bennod hon")
    assert "Mae'n newid 1 ffigur cenedlaethol: Mesur (MH01). Mae pob amcangyfrif" in text
    assert not english_words(text) and not unknown(text.replace("ein-data.csv", " "))
    english = summary.scenario_words(["a.csv", "b.csv"], ["X (1)", "Y (2)"], what="page")
    assert english.startswith("**A scenario, not the published estimates.** This page was built")
    assert "It changes 2 national figures: X (1) and Y (2). Every" in english


# ranges.py --------------------------------------------------------------------------------

def test_the_range_across_studies_in_welsh():
    from jsna_kit.present.ranges import range_across_studies

    def study(key, expected, grade, role="alternative", measure="Current mental illness"):
        return {"estimate_id": key, "source_keys": key, "source_label": f"Awdur {key[-1]}", "expected": expected,
                "grade": grade, "role": role, "time_frame": "current", "measure_scope": "overall",
                "measure": measure}

    plotted = [study("S1", 120.0, "A", "headline"), study("S2", 180.0, "C"),
               {**study("S3", 60.0, "D"), "measure_scope": "specific", "measure": "Iselder (PHQ-9)"}]
    text = range_across_studies(plotted, area_name="Gwynedd", language="cy")
    assert text.startswith("Ar draws 2 astudiaeth genedlaethol")
    assert "ar gyfer Gwynedd yn amrywio o'r isaf, tua 120 (Awdur 1, tystiolaeth gref), i'r uchaf, tua 180 " in text
    assert "yn rhoi tua 60;" in text
    assert not english_words(text) and not unknown(text.replace("PHQ-9", " "), {"Gwynedd", "Awdur"})
    english = range_across_studies(plotted, area_name="Gwynedd")
    assert english.startswith("Across two national studies that measure this need in the same way, the estimate "
                              "for Gwynedd ranges from about 120 (Awdur 1, strong evidence) to about 180 ")
    one = range_across_studies(plotted[:1], area_name="Gwynedd", language="cy")
    assert one.startswith("Dim ond un astudiaeth genedlaethol")


def test_a_scenario_that_changes_no_figure_says_so_in_neither_language():
    for language, start in (("en", "Every estimate"), ("cy", "Mae pob amcangyfrif")):
        text = summary.scenario_words(["a.csv"], [], what="page", language=language)
        assert f"alone. {start}" in text or f"yn unig. {start}" in text
