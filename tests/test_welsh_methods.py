"""The Welsh text of model/'s methods paragraphs (issue 27): Appendix D's accounts of the synthetic
estimates (model.synthetic), the headline rule (model.headline), the local adjustment
(model.local_adjustment) and the modelled caseload (model.caseload), marked for translation where
model/ writes them and translated where present.appendix prints them. The Welsh is checked for
English function words, Welsh spelling and the English figures; the English, byte for byte."""

from __future__ import annotations

import dataclasses
import re

import pytest

from jsna_kit.model.caseload import CASELOAD_METHOD, CASELOAD_METHOD_PARTS, NO_FIXED_ADDRESS
from jsna_kit.model.headline import HEADLINE_RULE
from jsna_kit.model.local_adjustment import LOCAL_ADJUSTMENT_METHOD
from jsna_kit.model.synthetic import SYNTHETIC_METHOD
from jsna_kit.present import appendix
from jsna_kit.present.lang import translate
from jsna_kit.present.markdown import escape_text
from jsna_kit.publish.spelling import unknown_welsh_words

GWYNEDD = "W06000002"
#: English words a Welsh sentence has no business printing (issue 27's 3% rule counts these).
FUNCTION_WORDS = {"the", "and", "of", "to", "for", "with", "that", "this", "people", "in", "are", "on"}
PARAGRAPHS = (SYNTHETIC_METHOD, HEADLINE_RULE, LOCAL_ADJUSTMENT_METHOD, *CASELOAD_METHOD_PARTS)


def english_words(text: str) -> list[str]:
    """English function words in ``text``, citations and anchors aside."""
    own = re.sub(r"\[@[^\]]*\]|\]\([^)]*\)|\{#[^}]*\}", " ", text)
    return [w for w in re.findall(r"[A-Za-z]+", own) if w.lower() in FUNCTION_WORDS]


def figures(text: str) -> list[str]:
    """The numbers a paragraph states (``2,000``, ``12-14``, ``1.4``), in order of size as text."""
    return sorted(re.findall(r"\d+(?:[.,\-]\d+)*", text))


@pytest.fixture
def welsh(chapter_data):
    """Gwynedd's chapter in Welsh, with a modelled caseload (so Appendix D explains the model)."""
    data = chapter_data(GWYNEDD)
    return dataclasses.replace(data, language="cy", area={**data.area, "caseload_kind": "modelled"})


@pytest.mark.parametrize("english", PARAGRAPHS, ids=["synthetic", "headline", "local_adjustment",
                                                     "caseload_model", "no_fixed_address", "caseload_checks"])
def test_each_methods_paragraph_has_welsh_with_the_same_figures(english):
    welsh = translate("cy", english)
    assert welsh != english
    assert english_words(welsh) == [], welsh
    assert unknown_welsh_words(welsh) == [], welsh
    # every figure of the English is there; Welsh adds only counts the English spells out
    # ("Three other models" -> "3 model arall", "two former probation areas" -> "2 hen ardal prawf")
    spelled = {"3", "2", "4"} if english == CASELOAD_METHOD_PARTS[2] else set()
    assert [f for f in figures(welsh) if f not in spelled or f in figures(english)] == figures(english)


def test_the_worked_example_and_the_no_address_share_keep_their_numbers():
    assert "os oes gan 39% o bobl ar brawf yn genedlaethol gyflwr iechyd meddwl a bod 2,000 o bobl ar brawf yma" \
        in translate("cy", SYNTHETIC_METHOD)
    assert "tua 780 ohonynt" in translate("cy", SYNTHETIC_METHOD)
    assert translate("cy", NO_FIXED_ADDRESS).startswith("Mae tua 12-14% o bobl ar brawf heb gyfeiriad sefydlog")
    assert "tua 13% yn is" in translate("cy", NO_FIXED_ADDRESS)
    checks = translate("cy", CASELOAD_METHOD_PARTS[2])
    assert "oddeutu 6%" in checks and "18%" in checks and "ffactor oddeutu 1.4" in checks
    assert "nid cyfwng hyder ystadegol" in checks


def test_welsh_appendix_d_prints_the_model_paragraphs_in_welsh(welsh):
    text = appendix.methods(welsh)
    for english in (SYNTHETIC_METHOD, HEADLINE_RULE, *CASELOAD_METHOD_PARTS):
        assert escape_text(translate("cy", english)) in text
        assert escape_text(english)[:60] not in text
    caseload = " ".join(translate("cy", part) for part in CASELOAD_METHOD_PARTS)
    assert "{#sec-methods-caseload}\n\n" + escape_text(caseload) in text
    # Gwynedd has locally adjusted estimates, so the adjustment is explained too
    assert "{#sec-methods-adjusted}\n\n" + escape_text(translate("cy", LOCAL_ADJUSTMENT_METHOD)) + " Mae'n dibynnu" \
        in text
    # the whole appendix, model paragraphs included, is Welsh: no English left to excuse
    assert english_words(text) == [], english_words(text)
    assert unknown_welsh_words(text, also={"Gwynedd"}) == [], text


def test_english_appendix_d_prints_the_model_paragraphs_unchanged(chapter_data):
    data = chapter_data(GWYNEDD)
    data = dataclasses.replace(data, area={**data.area, "caseload_kind": "modelled"})
    text = appendix.methods(data)
    for english in (SYNTHETIC_METHOD, HEADLINE_RULE, CASELOAD_METHOD):
        assert escape_text(english) in text
    assert "{#sec-methods-adjusted}\n\n" + escape_text(LOCAL_ADJUSTMENT_METHOD) + " It rests on three" in text


def test_the_caseload_paragraph_is_its_three_messages_joined_as_before():
    assert CASELOAD_METHOD_PARTS[1] == NO_FIXED_ADDRESS
    # the sentences either side of the no-address part, as the paragraph read before it was split
    assert ("nation is taken to have twice as many people on probation per adult. About 12-14% of people on "
            "probation have no fixed address") in CASELOAD_METHOD
    assert "13% lower, well inside the range shown. Three other models were tried: adults alone" in CASELOAD_METHOD
    assert CASELOAD_METHOD.startswith("Where no local figure was supplied, the number of people on probation")
    assert CASELOAD_METHOD.endswith("always better and replaces the modelled figure.")
    assert "  " not in CASELOAD_METHOD and len(CASELOAD_METHOD) == sum(map(len, CASELOAD_METHOD_PARTS)) + 2


def test_english_is_the_message_itself():
    for english in PARAGRAPHS:
        assert translate("en", english) == english
