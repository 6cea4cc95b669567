"""The similar-areas comparison in Welsh (issue 27): present/neighbours.py gives its sentences,
summary, chart (legend, axis text, alt text) and list of similar areas in Welsh from the catalogue
(locale/cy/neighbours.po), with places in a ranking as figures with the Welsh ordinal ending ("y
3ydd uchaf o 6", as Welsh Government statistical releases write a rank), the Welsh areas by their
official Welsh names, the same figures as the English, no English function words outside the
indicators' names (reference text, printed as the data give it), and every Welsh word known to the
Welsh dictionary. The English is unchanged (tests/test_neighbours.py, and the English checks here)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from jsna_kit.load.welsh_names import welsh_names
from jsna_kit.present import neighbour_chart
from jsna_kit.present import neighbours as nb
from jsna_kit.present.neighbours import (
    compare_with_neighbours,
    neighbour_list_sentence,
    ordinal,
    similar_areas_block,
    similar_areas_summary,
    standing_sentences,
    summary_sentence,
)

#: English words that should not appear in Welsh text (outside names, citations, reference text).
ENGLISH = {"the", "and", "of", "to", "for", "with", "that", "this", "people", "is", "are", "in", "about"}


def english_words(text: str, *, allowed: list[str] = ()) -> list[str]:
    """The English function words of ``text`` once the ``allowed`` reference text (the indicators'
    names, as the data give them) is taken out."""
    for part in sorted(allowed, key=len, reverse=True):
        text = text.replace(part, " ")
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH]


def unknown(text: str, *, allowed: list[str] = (), also: set[str] = frozenset()) -> list[str]:
    from jsna_kit.publish.spelling import unknown_welsh_words

    for part in sorted(allowed, key=len, reverse=True):
        text = text.replace(part, " ")
    return unknown_welsh_words(text, also=set(also))


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


# Hand-made values: Gwynedd (W06000002) and two similar areas, on two measures.
VALUES = pd.DataFrame([
    ("W06000002", "Deaths from drug misuse", 12.0, "low_is_good", "per_100000"),
    ("W06000001", "Deaths from drug misuse", 5.0, "low_is_good", "per_100000"),
    ("W06000003", "Deaths from drug misuse", 8.0, "low_is_good", "per_100000"),
    ("W92000004", "Deaths from drug misuse", 6.0, "low_is_good", "per_100000"),
    ("W06000002", "Adults who smoke", 10.0, "low_is_good", "percent"),
    ("W06000001", "Adults who smoke", 12.0, "low_is_good", "percent"),
    ("W06000003", "Adults who smoke", 8.0, "low_is_good", "percent"),
    ("W92000004", "Adults who smoke", 11.0, "low_is_good", "percent"),
], columns=["area_code", "indicator_name", "value", "polarity", "unit"])
NEIGHBOURS = {"W06000001": "Ynys Môn", "W06000003": "Conwy"}
INDICATORS = ["Deaths from drug misuse", "Adults who smoke", "deaths from drug misuse", "adults who smoke"]


def test_welsh_ordinals_are_figures_with_the_welsh_ending_and_article():
    assert [ordinal(n, language="cy") for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 16, 18, 20, 21, 22)] == [
        "1af", "2il", "3ydd", "4ydd", "5ed", "6ed", "7fed", "8fed", "10fed", "11eg", "12fed", "13eg", "15fed",
        "16eg", "18fed", "20fed", "21ain", "22ain"]
    # "yr" before a number whose ordinal begins with a vowel: ail, wythfed, unfed ar ddeg, ugeinfed
    assert [neighbour_chart.the_ordinal(n, "cy") for n in (1, 2, 3, 8, 11, 12, 20, 22)] == [
        "y 1af", "yr 2il", "y 3ydd", "yr 8fed", "yr 11eg", "y 12fed", "yr 20fed", "yr 22ain"]
    assert ordinal(3) == "3rd" and neighbour_chart.the_ordinal(3, "en") == "3rd"


def test_places_and_judgements_in_welsh():
    row = {"position": 3, "position_from_lowest": 4, "compared": 6, "joint": False, "polarity": "low_is_good"}
    assert nb._place(row, "cy") == "y 3ydd uchaf" and nb._place(row) == "the 3rd highest"
    assert nb._place({**row, "position": 4, "position_from_lowest": 2, "joint": True}, "cy") == "yr 2il isaf ar y cyd"
    assert nb._place({**row, "position": 1, "position_from_lowest": 6}, "cy") == "yr uchaf"
    assert nb._place({**row, "position": 6, "position_from_lowest": 1, "joint": True}, "cy") == "yr isaf ar y cyd"
    assert nb._extreme({**row, "position": 1, "position_from_lowest": 6}) == "least favourable"
    assert nb._extreme({**row, "position": 6, "position_from_lowest": 1, "polarity": "high_is_good"}) == \
        "least favourable"
    assert nb._extreme({**row, "position": 6, "position_from_lowest": 1}) == "most favourable"
    assert nb._extreme(row) == "" and nb._extreme({**row, "position": 1, "polarity": "no_judgement"}) == ""
    assert nb._figure(12.34, "per_100000", "cy") == "12.3 fesul 100,000"
    assert nb._figure(4.0, "per_1000", "cy") == "4.0 fesul 1,000" and nb._figure(14.25, "percent", "cy") == "14.3%"


def test_sentences_and_summary_from_hand_made_values_in_welsh():
    result = compare_with_neighbours("W06000002", "Gwynedd", NEIGHBOURS, VALUES, language="cy")
    assert result.sentences == [
        "O blith Gwynedd a'r 2 ardal sydd fwyaf tebyg iddi, Gwynedd sydd â'r ffigur lleiaf ffafriol yn y grŵp ar "
        "gyfer deaths from drug misuse (12.0 fesul 100,000; Cymru 6.0).",
        "Mae'r ardal yn hanner lleiaf ffafriol y grŵp ar gyfer adults who smoke (yr 2il uchaf o 3; 10.0%; "
        "Cymru 11.0%).",
    ]
    assert result.summary == ("O'i chymharu â'r 2 ardal sydd fwyaf tebyg iddi, Gwynedd sydd â'r ffigur lleiaf "
                              "ffafriol yn y grŵp ar gyfer deaths from drug misuse.")
    text = " ".join([*result.sentences, result.summary])
    assert english_words(text, allowed=INDICATORS) == []
    assert unknown(text, allowed=INDICATORS, also={"Gwynedd"}) == []
    # the English, for the same values, as before
    english = compare_with_neighbours("W06000002", "Gwynedd", NEIGHBOURS, VALUES)
    assert english.sentences[1] == ("It is in the less favourable half of the group for adults who smoke (the 2nd "
                                    "highest of 3; 10.0%; Wales 11.0%).")


STANDING = pd.DataFrame([
    {"indicator_name": "Adults who smoke", "polarity": "low_is_good", "unit": "percent", "value": 8.0,
     "position": 5, "position_from_lowest": 1, "joint": False, "compared": 5, "nation_value": 10.0},
    {"indicator_name": "Suicide rate", "polarity": "low_is_good", "unit": "per_100000", "value": 12.0,
     "position": 1, "position_from_lowest": 5, "joint": True, "compared": 5, "nation_value": 10.0},
    {"indicator_name": "Deaths from drug misuse", "polarity": "low_is_good", "unit": "per_100000", "value": 7.0,
     "position": 2, "position_from_lowest": 4, "joint": False, "compared": 4, "nation_value": 6.0},
    {"indicator_name": "People on probation per 1,000 adults", "polarity": "no_judgement", "unit": "per_1000",
     "value": 4.0, "position": 3, "position_from_lowest": 3, "joint": False, "compared": 6, "nation_value": 5.0},
    {"indicator_name": "Adults in employment", "polarity": "high_is_good", "unit": "percent", "value": 70.0,
     "position": 5, "position_from_lowest": 2, "joint": False, "compared": 6, "nation_value": 72.0},
    {"indicator_name": "Hospital stays for self-harm", "polarity": "low_is_good", "unit": "per_100000",
     "value": 300.0, "position": 1, "position_from_lowest": 1, "joint": False, "compared": 1, "nation_value": None},
])
STANDING_NAMES = ["Adults who smoke", "Suicide rate", "Deaths from drug misuse", "People on probation per 1,000 adults",
                  "Adults in employment", "Hospital stays for self-harm"]
STANDING_NAMES += [lower_first(n) for n in STANDING_NAMES]


def test_every_group_of_measures_in_welsh():
    sentences = standing_sentences(STANDING, area_name="Caerdydd", neighbour_count=5, nation="Cymru", language="cy")
    assert sentences == [
        "O blith Caerdydd a'r 5 ardal sydd fwyaf tebyg iddi, Caerdydd sydd â'r ffigur lleiaf ffafriol yn y grŵp ar "
        "gyfer suicide rate (a rennir ag ardal arall; o'r 5; 12.0 fesul 100,000; Cymru 10.0).",
        "Mae'r ardal yn hanner lleiaf ffafriol y grŵp ar gyfer deaths from drug misuse (yr 2il uchaf o 4; "
        "7.0 fesul 100,000; Cymru 6.0) ac adults in employment (yr 2il isaf o 6; 70.0%; Cymru 72.0%).",
        "Mae gan yr ardal y ffigur mwyaf ffafriol yn y grŵp ar gyfer adults who smoke (o'r 5; 8.0%; Cymru 10.0%).",
        "Mae'r ardal yng nghanol y grŵp ar gyfer people on probation per 1,000 adults (y 3ydd uchaf o 6; "
        "4.0 fesul 1,000; Cymru 5.0).",
        "Ffigur Caerdydd ar gyfer hospital stays for self-harm yw 300.0 fesul 100,000; nid oes gan yr un o'i "
        "hardaloedd tebyg ffigur.",
    ]
    text = " ".join(sentences)
    assert english_words(text, allowed=STANDING_NAMES) == []
    assert unknown(text, allowed=STANDING_NAMES, also={"Caerdydd"}) == []
    # the English of a measure no similar area has, as before
    english = standing_sentences(STANDING, area_name="Cardiff", neighbour_count=5, nation="Wales")
    assert english[-1] == ("Cardiff's figure for hospital stays for self-harm is 300.0 per 100,000; none of its "
                           "similar areas has one.")
    assert english[1] == ("It is in the less favourable half of the group for deaths from drug misuse (the 2nd "
                          "highest of 4; 7.0 per 100,000; Wales 6.0) and adults in employment (the 2nd lowest of 6; "
                          "70.0%; Wales 72.0%).")


def test_summary_sentences_in_welsh():
    summary = summary_sentence(STANDING, area_name="Caerdydd", neighbour_count=5, language="cy")
    assert summary == ("O'i chymharu â'r 5 ardal sydd fwyaf tebyg iddi, Caerdydd sydd â'r ffigur lleiaf ffafriol yn y "
                       "grŵp ar gyfer suicide rate, a'r mwyaf ffafriol ar gyfer adults who smoke.")
    assert summary_sentence(STANDING, area_name="Cardiff", neighbour_count=5) == (
        "Among the 5 areas most like it, Cardiff has the least favourable figure of the group for suicide rate, "
        "and the most favourable for adults who smoke.")
    three = pd.concat([STANDING, pd.DataFrame([{**STANDING.iloc[3].to_dict(), "indicator_name": "Adults aged 65+",
                                                "position": 1, "position_from_lowest": 6}])], ignore_index=True)
    assert summary_sentence(three, area_name="Caerdydd", neighbour_count=5, language="cy").endswith(
        "ar gyfer suicide rate, y mwyaf ffafriol ar gyfer adults who smoke, a'r uchaf ar gyfer adults aged 65+.")
    middle = STANDING.iloc[[2, 3, 4]]
    said = summary_sentence(middle, area_name="Caerdydd", neighbour_count=5, language="cy")
    assert said == ("Ymhlith y 5 ardal sydd fwyaf tebyg iddi, nid Caerdydd sydd â'r ffigur uchaf na'r isaf ar unrhyw "
                    "fesur o'r 3 a gymharwyd; mae'r ardal yn hanner lleiaf ffafriol y grŵp ar 2 o'r 2 sydd â "
                    "chyfeiriad.")
    assert summary_sentence(middle, area_name="Cardiff", neighbour_count=5) == (
        "Among the 5 areas most like it, Cardiff is neither the highest nor the lowest on any of the 3 measures "
        "compared; it is in the less favourable half on two of the two with a direction.")
    better = middle.assign(position=[3, 3, 2], position_from_lowest=[2, 3, 5])
    assert summary_sentence(better, area_name="Caerdydd", neighbour_count=5, language="cy").endswith(
        "nid yw'r ardal yn hanner lleiaf ffafriol y grŵp ar yr un o'r 2 sydd â chyfeiriad.")
    assert summary_sentence(better, area_name="Cardiff", neighbour_count=5).endswith(
        "on none of the two with a direction.")
    undirected = STANDING.iloc[[3]]
    assert summary_sentence(undirected, area_name="Caerdydd", neighbour_count=5, language="cy").endswith(
        "ar unrhyw fesur o'r 1 a gymharwyd.")
    none = summary_sentence(STANDING.iloc[[5]], area_name="Caerdydd", neighbour_count=5, language="cy")
    assert none == ("Ymhlith y 5 ardal sydd fwyaf tebyg iddi, ni ellir cymharu Caerdydd ar unrhyw fesur eto: nid oes "
                    "gan yr un mesur ffigur ar gyfer y naill a'r llall.")
    for text in (summary, said, none):
        assert english_words(text, allowed=STANDING_NAMES + ["Adults aged 65+"]) == []
        assert unknown(text, allowed=STANDING_NAMES, also={"Caerdydd"}) == []


def test_the_chart_in_welsh():
    neighbours = {**NEIGHBOURS, "W06000004": "Sir Ddinbych", "W06000005": "Sir y Fflint", "W06000023": "Powys"}
    svg, alt = nb.neighbour_chart("W06000002", "Gwynedd", neighbours, VALUES, language="cy")
    assert alt.startswith("Siart yn cymharu Gwynedd â'r 5 ardal sydd fwyaf tebyg iddi, ac â ffigurau Cymru, ar 2 "
                          "fesur. ")
    assert ("Deaths from drug misuse: Gwynedd 12.0 fesul 100,000, yr uchaf o 3; ardaloedd tebyg 5.0 i 8.0 fesul "
            "100,000; Cymru 6.0 fesul 100,000") in alt
    assert "Adults who smoke: Gwynedd 10.0%, yr 2il uchaf o 3; ardaloedd tebyg 8.0 i 12.0%; Cymru 11.0%." in alt
    for words in (">5 ardal fwyaf tebyg<", ">Cymru<", ">gwerth (Cymru)<", ">Pob mesur ar ei raddfa ei hun, yr isaf "
                  "ar y chwith.<", ">Deaths from drug misuse (fesul 100,000)<", ">10.0% (11.0%)<"):
        assert words in svg, words
    assert "<title>Siart yn cymharu Gwynedd" in svg
    shown = " ".join([alt, *re.findall(r">([^<>]+)</text>", svg)])
    assert english_words(shown, allowed=INDICATORS) == []
    assert unknown(shown, allowed=INDICATORS, also={"Gwynedd"}) == []
    one = VALUES[VALUES["indicator_name"] == "Adults who smoke"]
    assert nb.neighbour_chart("W06000002", "Gwynedd", NEIGHBOURS, one, language="cy")[1].startswith(
        "Siart yn cymharu Gwynedd â'r 2 ardal sydd fwyaf tebyg iddi, ac â ffigurau Cymru, ar 1 mesur. ")
    # English, as before
    svg_en, alt_en = nb.neighbour_chart("W06000002", "Gwynedd", neighbours, VALUES)
    assert alt_en.startswith("Chart comparing Gwynedd with its 5 most similar areas and Wales on 2 measures. ")
    assert ">value (Wales)<" in svg_en and ">5 most similar areas<" in svg_en


def test_the_list_of_similar_areas_in_welsh():
    said = neighbour_list_sentence("Gwynedd", ["Ynys Môn", "Conwy", "Caerdydd"], language="cy")
    assert said == ("Cymdogion ystadegol Gwynedd (yr ardaloedd sydd fwyaf tebyg iddi, yr agosaf yn gyntaf): "
                    "Ynys Môn, Conwy a Chaerdydd.")
    assert neighbour_list_sentence("Gwynedd", ["Conwy", "Ynys Môn"], language="cy").endswith("Conwy ac Ynys Môn.")
    assert neighbour_list_sentence("Gwynedd", [], language="cy") == (
        "Ni chafwyd hyd i gymdogion ystadegol ar gyfer Gwynedd.")
    assert english_words(said) == [] and unknown(said, also={"Gwynedd", "Ynys", "Môn", "Conwy", "Caerdydd"}) == []
    assert neighbour_list_sentence("Gwynedd", ["Isle of Anglesey", "Conwy", "Cardiff"]) == (
        "Areas most like Gwynedd (statistical neighbours, nearest first): Isle of Anglesey, Conwy and Cardiff.")


@pytest.fixture(scope="module")
def gwynedd(chapter_data):
    english = chapter_data("W06000002")
    return english, dataclasses.replace(english, language="cy")  # Gwynedd is Gwynedd in both languages


def test_the_similar_areas_section_of_a_welsh_chapter(gwynedd):
    english, welsh = gwynedd
    block = similar_areas_block(welsh)
    assert block.startswith("### Sut mae Gwynedd yn cymharu ag ardaloedd tebyg {#sec-similar-areas}")
    codes = [n["code"] for n in welsh.area["neighbours"]]
    names = welsh_names()
    assert all(code.startswith("W") for code in codes)
    listed_names = [names[c] for c in codes]
    assert "Cymdogion ystadegol Gwynedd (yr ardaloedd sydd fwyaf tebyg iddi, yr agosaf yn gyntaf): " in block
    for name in listed_names[:-1]:
        assert name in block
    english_names = {n["name"] for n in welsh.area["neighbours"]} - set(listed_names)
    assert not [n for n in english_names if n in block]  # e.g. no "Isle of Anglesey": "Ynys Môn"
    assert f"Ardaloedd tebyg yw'r {len(codes)} ardal o Gymru sydd fwyaf tebyg i Wynedd o ran" in block
    assert "Gwynedd (diemwnt), ei hardaloedd tebyg (cylchoedd) a ffigur Cymru (llinell)" in block
    indicators = sorted({str(n) for n in welsh.neighbours["indicator_name"]}, key=len, reverse=True)
    reference = indicators + [lower_first(n) for n in indicators]
    assert english_words(block, allowed=reference + ["similar-areas.svg", "figure-similar-areas"]) == [], block
    place_names = {w for n in listed_names for w in re.findall(r"[^\W\d_]+", n)} | {"Gwynedd"}
    assert unknown(block, allowed=reference, also=place_names) == []
    # the figures are the English chapter's
    figures = re.findall(r"\d[\d,]*\.\d", similar_areas_block(english))
    assert figures and re.findall(r"\d[\d,]*\.\d", block) == figures
    summary = similar_areas_summary(welsh)
    assert summary.startswith(f"O'i chymharu â'r {len(codes)} ardal sydd fwyaf tebyg iddi, ")
    assert english_words(summary, allowed=reference) == [] and unknown(summary, allowed=reference,
                                                                       also=place_names) == []


def test_the_english_section_is_unchanged(gwynedd):
    english, _ = gwynedd
    block = similar_areas_block(english)
    count = len(english.area["neighbours"])
    assert block.startswith("### How Gwynedd compares with similar areas {#sec-similar-areas}")
    assert (f"Similar areas are the {count} areas of Wales most like Gwynedd in the number and ages of their adults"
            in block)
    assert "Isle of Anglesey" in block or "W06000001" not in [n["code"] for n in english.area["neighbours"]]
    assert "Gwynedd (diamond) against its similar areas (circles) and Wales (line)" in block
    assert similar_areas_summary(english).startswith(f"Among the {count} areas most like it, Gwynedd ")
