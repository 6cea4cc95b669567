"""What stands out about an area, in Welsh (issue 27): present/notable.py gives its sentences in
Welsh from the catalogue (locale/cy/notable.po), the nation named "Cymru", places after "yn" with
their mutation ("yng Nghaerdydd"), the caseload models named from their key, and the same figures
as the English; no English function words, and every Welsh word known to the Welsh dictionary.
The English is unchanged (tests/test_local_present.py, and the English checks here)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from jsna_kit.present import notable

#: English words that should not appear in Welsh text (outside names and citations); "is" (lower)
#: and "a" (and) are Welsh words too.
ENGLISH = {"the", "and", "of", "to", "for", "with", "that", "this", "people", "are", "in", "about", "than",
           "by", "times", "more", "fewer", "higher", "lower", "deaths", "expected"}
NAMES = {"Gwynedd", "Cardiff", "Caerdydd", "Hartlepool"}


def english_words(text: str) -> list[str]:
    text = re.sub(r"\[@[^\]]*\]|\{#[^}]*\}", " ", text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH]


def unknown(text: str) -> list[str]:
    from jsna_kit.publish.spelling import unknown_welsh_words

    return unknown_welsh_words(text, also=NAMES)


def figures(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


def welsh_text_checks(welsh: list[str], english: list[str]) -> None:
    """Each Welsh sentence: Welsh words only, and the English sentence's figures in the same order."""
    assert len(welsh) == len(english)
    for cy, en in zip(welsh, english, strict=True):
        assert not english_words(cy), cy
        assert not unknown(cy), (cy, unknown(cy))
        assert figures(cy) == figures(en), (cy, en)


@pytest.fixture(scope="module")
def both(chapter_data):
    """(Welsh, English) ChapterData of an area."""
    def read(code: str):
        english = chapter_data(code)
        return dataclasses.replace(english, language="cy"), english
    return read


def with_context(data, indicator: int, **values):
    """``data`` with one context row's values changed (a fresh copy: the rows are cached per object)."""
    frame = data.context.copy()
    chosen = frame["indicator_id"] == indicator
    for column, value in values.items():
        frame.loc[chosen, column] = value
    return dataclasses.replace(data, context=frame)


# indicator_facts --------------------------------------------------------------------------

def test_local_indicators_against_wales_in_welsh(both):
    # a Welsh chapter names the area in Welsh: "yng Nghaerdydd" (the fixture's own name is English)
    cy, en = both("W06000015")
    cy, en = (dataclasses.replace(d, area={**d.area, "area_name": "Caerdydd"}) for d in (cy, en))
    welsh, english = notable.indicator_facts(cy), notable.indicator_facts(en)
    assert welsh[1] == ("Mae'r gyfradd hunanladdiad yng Nghaerdydd 21% yn is na'r ffigur ar gyfer Cymru (10.4 fesul "
                        "100,000 yn 2021-23, o gymharu â 13.1 fesul 100,000; heb gyfwng hyder, felly heb ei phrofi am "
                        "arwyddocâd).")
    assert english[1] == ("Caerdydd's suicide rate is 21% lower than Wales's (10.4 per 100,000 in 2021-23 against 13.1 "
                          "per 100,000; without a confidence interval, not tested for significance).")
    welsh_text_checks(welsh, english)


def test_a_percentage_indicator_in_welsh(both):
    cy, en = both("W06000002")
    assert notable.indicator_facts(cy)[0].startswith(
        "Mae'r gyfran o oedolion sy'n ysmygu yng Ngwynedd 23% yn uwch na'r ffigur ar gyfer Cymru (15.7% yn "
        "2021/22-22/23, o gymharu â 12.8%;")
    assert notable.indicator_facts(en) == [
        "Gwynedd's adult smoking prevalence is 23% higher than Wales's (15.7% in 2021/22-22/23 against 12.8%; without "
        "a confidence interval, not tested for significance)."]


def test_significant_and_multiple_differences_in_welsh(both):
    cy, en = both("W06000015")
    significant = (with_context(cy, 9000001, benchmark_england_95="worse", value=20.0),
                   with_context(en, 9000001, benchmark_england_95="worse", value=20.0))
    welsh, english = (notable.indicator_facts(d, skip={9000002}) for d in significant)
    assert welsh == ["Mae'r gyfradd hunanladdiad yng Nghardiff yn arwyddocaol uwch na'r ffigur ar gyfer Cymru "
                     "(20.0 fesul 100,000 yn 2021-23, o gymharu â 13.1 fesul 100,000)."]
    assert english == ["Cardiff's suicide rate is significantly higher than Wales's (20.0 per 100,000 in 2021-23 "
                       "against 13.1 per 100,000)."]
    welsh_text_checks(welsh, english)
    lower = [notable.indicator_facts(with_context(d, 9000001, benchmark_england_95="better"), skip={9000002})
             for d in (cy, en)]
    assert "yn arwyddocaol is na'r ffigur ar gyfer Cymru" in lower[0][0]
    assert "is significantly lower than Wales's" in lower[1][0]
    twice = [notable.indicator_facts(with_context(d, 9000001, value=30.0), skip={9000002}) for d in (cy, en)]
    assert "Mae'r gyfradd hunanladdiad yng Nghardiff 2.3 gwaith cymaint â'r ffigur ar gyfer Cymru (30.0" in twice[0][0]
    assert "Cardiff's suicide rate is 2.3 times Wales's (30.0 per 100,000" in twice[1][0]
    welsh_text_checks(twice[0], twice[1])


# deprivation_facts ------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "start"), [
    ("W06000002", "Mae Gwynedd yn llai difreintiedig na'r rhan fwyaf o Gymru: mae 4% o ardaloedd bach Gwynedd "
                  "ymhlith y ddegfed ran fwyaf difreintiedig yng Nghymru (Mynegai Amddifadedd Lluosog Cymru 2025; "
                  "10% ar gyfer Cymru gyfan)."),
    ("W06000015", "Mae Cardiff yn fwy difreintiedig na'r rhan fwyaf o Gymru: mae 17% o ardaloedd bach Cardiff"),
    ("E06000001", "Mae Hartlepool ymhlith y bumed ran fwyaf difreintiedig o ardaloedd yn Lloegr: yn safle 9 o blith "
                  "151 o awdurdodau lleol haen uchaf yn Lloegr")])
def test_deprivation_in_welsh(both, code, start):
    cy, en = both(code)
    welsh, english = notable.deprivation_facts(cy), notable.deprivation_facts(en)
    assert len(welsh) == 1 and welsh[0].startswith(start)
    assert not english_words(welsh[0]) and not unknown(welsh[0])
    # Welsh says "tenth" and "fifth" in words, as the English does
    assert figures(welsh[0]) == figures(english[0])


def test_deprivation_in_english_is_unchanged(both):
    _, en = both("W06000002")
    assert notable.deprivation_facts(en) == [
        "Gwynedd has less deprivation than most of Wales: 4% of Gwynedd's small areas are among the most deprived "
        "tenth in Wales (Welsh Index of Multiple Deprivation 2025; 10% for Wales as a whole)."]


def test_least_deprived_english_area_in_welsh(both):
    cy, en = both("E06000001")
    rows = [{**r, "rank_of_average_score": 150, "share_most_deprived_10pct": 0.0} for r in en.area["deprivation"]]
    welsh, english = (notable.deprivation_facts(dataclasses.replace(d, area={**d.area, "deprivation": rows}))
                      for d in (cy, en))
    assert welsh[0].startswith("Mae Hartlepool ymhlith y bumed ran leiaf difreintiedig o ardaloedd yn Lloegr: yn "
                               "safle 150 o blith 151")
    assert english[0].startswith("Hartlepool is among the least deprived fifth of areas in England: ranked 150 of 151")
    welsh_text_checks(welsh, english)


# caseload_facts and model_facts -----------------------------------------------------------

@pytest.mark.parametrize("code", ["W06000002", "W06000015", "E06000001"])
def test_caseload_and_models_in_welsh(both, code):
    cy, en = both(code)
    for short in (False, True):
        welsh, english = notable.caseload_facts(cy, short=short), notable.caseload_facts(en, short=short)
        assert welsh[0].startswith("Mae hyn yn cyfateb i ")
        assert "ar gyfer Cymru a Lloegr" in welsh[0]
        assert len(welsh) == len(english)
        for cy_text in welsh:
            assert not english_words(cy_text), cy_text
            assert not unknown(cy_text), unknown(cy_text)
        assert figures(welsh[0]) == figures(english[0])


def test_the_other_models_are_named_from_their_key(both):
    cy, en = both("W06000002")
    welsh, english = notable.model_facts(cy), notable.model_facts(en)
    assert welsh[0].startswith("Mae'r modelau eraill yn rhoi: yn ôl poblogaeth oedolion, tua 495 (1% yn llai); yn ôl "
                               "poblogaeth oedolion wedi'i phwysoli yn ôl crynodiad trefol, tua 365 (27% yn llai);")
    assert welsh[0].endswith("Mae'r ystod gredadwy, 265 i 680, yn cynnwys ffigur pob model, wedi'i hehangu oherwydd "
                             "yr hyn nad oes unrhyw fodel yn ei gynnwys.")
    assert english == [
        "The other models give: by adult population, about 495 (1% fewer); by adult population weighted by urban "
        "concentration, about 365 (27% fewer); by adult population weighted by deprivation and urban concentration, "
        "about 360 (28% fewer). Gwynedd is about as deprived as Wales as a whole; the published local figures "
        "suggest that caseloads follow deprivation. The plausible range, 265 to 680, covers every model's figure, "
        "widened for what no model captures."]
    # the reason, worded in Welsh from the facts the build gave it (caseload_drivers)
    assert ("Mae Gwynedd tua mor ddifreintiedig â Chymru gyfan; mae'r ffigurau lleol cyhoeddedig yn awgrymu bod "
            "llwythi achosion yn dilyn amddifadedd.") in welsh[0]
    assert figures(welsh[0]) == figures(english[0])
    assert not english_words(welsh[0]) and not unknown(welsh[0])
    short = notable.model_facts(cy, short=True)
    assert short == ["Mae'r model a ddefnyddiwyd yn wahanol i'r modelau eraill (yn ôl poblogaeth oedolion wedi'i "
                     "phwysoli yn ôl crynodiad trefol, tua 365; yn ôl poblogaeth oedolion wedi'i phwysoli yn ôl "
                     "amddifadedd a chrynodiad trefol, tua 360)."]


def test_model_distances_and_the_english_reason(both):
    cy, en = both("E06000001")
    assert notable.model_facts(en, short=True) == [
        "Hartlepool is more deprived than most of England, so the model used gives more than the other models (by "
        "adult population, about 380; by adult population weighted by urban concentration, about 380)."]
    assert notable.model_facts(cy, short=True) == [
        "Mae Hartlepool yn fwy difreintiedig na'r rhan fwyaf o Loegr, felly mae'r model a ddefnyddiwyd yn rhoi mwy "
        "na'r modelau eraill (yn ôl poblogaeth oedolion, tua 380; yn ôl poblogaeth oedolion wedi'i phwysoli yn ôl "
        "crynodiad trefol, tua 380)."]
    assert notable._how_far(260) == "3.6 times as many" and notable._how_far(260, language="cy") == "3.6 gwaith cymaint"
    assert notable._how_far(13, language="cy") == "13% yn fwy" and notable._how_far(-42) == "42% fewer"
    close = [{**m, "differs_pct": 5.0 if not m["is_headline"] else 0.0} for m in en.area["caseload_models"]]
    welsh, english = (notable.model_facts(dataclasses.replace(d, area={**d.area, "caseload_models": close}))
                      for d in (cy, en))
    assert "Mae pob un o fewn 20% i'r ffigur a ddefnyddiwyd." in welsh[0]
    assert "All are within 20% of the figure used." in english[0]
    welsh_text_checks(welsh, english)


def test_each_models_reason_in_welsh(both):
    """Every combination of the facts a reason is worded from, in each model that has one."""
    cy, _ = both("W06000015")
    for deprived in ("more", "less", "about"):
        for dense in ("more", "less", "about"):
            data = dataclasses.replace(cy, area={**cy.area, "caseload_drivers": {"deprivation": deprived,
                                                                                "density": dense}})
            for model in ("deprivation", "urban", "deprivation_urban", "population"):
                why = notable.model_why(data, model)
                assert why.startswith("Mae") and not english_words(why) and not unknown(why), why
    data = dataclasses.replace(cy, area={**cy.area, "caseload_drivers": {"deprivation": "more", "density": "less"}})
    assert notable.model_why(data, "deprivation_urban") == (
        "Mae Cardiff yn fwy difreintiedig na'r rhan fwyaf o Gymru, ac mae ei phoblogaeth yn llai dwys na "
        "phoblogaeth y rhan fwyaf o Gymru a Lloegr")
    # a region's shared total, or an older bundle without the facts: no reason rather than an English one
    assert notable.model_why(data, "regional") == ""
    assert notable.model_why(dataclasses.replace(cy, area={**cy.area, "caseload_drivers": {}}), "deprivation") == ""


# death_facts ------------------------------------------------------------------------------

def test_rare_deaths_in_welsh(both):
    cy, en = both("W06000002")
    welsh, english = notable.death_facts(cy), notable.death_facts(en)
    assert welsh[0].startswith("Mae marwolaethau ymhlith pobl ar brawf yng Ngwynedd yn brin: disgwylir llai nag un "
                               "hunanladdiad y flwyddyn")
    assert "(amcangyfrifon anuniongyrchol o risgiau cymharol cenedlaethol a chyfraddau marwolaeth lleol, nid cyfrif " \
           "o farwolaethau)" in welsh[0]
    assert english[0].startswith("Deaths among people on probation in Gwynedd are rare: fewer than one suicide a year "
                                 "(about one every 2 years) and fewer than one drug-related death a year")
    welsh_text_checks(welsh, english)


def test_more_deaths_in_welsh(both):
    cy, en = both("W06000015")
    welsh, english = notable.death_facts(cy), notable.death_facts(en)
    assert welsh[0].startswith("Disgwylir llai nag un hunanladdiad y flwyddyn (tua 9 mewn 10 mlynedd) a thua 1.3 o "
                               "farwolaethau")
    assert english[0].startswith("Fewer than one suicide a year (about 9 in 10 years) and about 1.3 drug-related "
                                 "deaths a year are expected among people on probation in Cardiff (indirect")
    welsh_text_checks(welsh, english)
    many = [{**r, "expected": 4.0, "expected_per_1000": 4.0 / r["caseload"] * 1000} for r in en.area["expected_deaths"]]
    welsh, english = (notable.death_facts(dataclasses.replace(d, area={**d.area, "expected_deaths": many}))
                      for d in (cy, en))
    assert welsh[0].startswith("Disgwylir tua 4.0 o hunanladdiadau y flwyddyn a thua 4.0 o farwolaethau")
    assert "digon i chwilio am batrymau yn lleol" in welsh[0]
    assert english[0].startswith("About 4.0 suicides a year and about 4.0 drug-related deaths a year are expected")
    assert "enough to look for patterns locally" in english[0]
    welsh_text_checks(welsh, english)


# notable_facts ----------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["W06000002", "W06000015"])
def test_all_that_stands_out_in_welsh(both, code):
    cy, en = both(code)
    welsh, english = notable.notable_facts(cy), notable.notable_facts(en)
    assert len(welsh) == len(english)
    for text in welsh:
        assert not english_words(text), text
        assert not unknown(text), unknown(text)
    words = re.findall(r"[A-Za-z']+", " ".join(welsh))
    assert sum(w.lower() in ENGLISH for w in words) / len(words) < 0.03
