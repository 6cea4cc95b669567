"""The words a finding puts into a recommendation's reason, in the chapter's language (issue 27).

A rule's ``reason_template`` and ``reword_text`` are filled with the finding's values
(``model.recommendations._fill``); a Welsh chapter's come from the rule's ``reason_template_cy``
and ``reword_text_cy``, filled with the same values as a Welsh sentence says them: the comparator
("Cymru", "y gyfradd genedlaethol"), the need ("salwch meddwl", from the priority area, not the
analyst's English label), the difference ("40% yn uwch na", "yn 2.4 gwaith"). Written in the
catalogue (``locale/cy/reasons.po``), never guessed: a word without its Welsh raises
``MissingTranslation`` naming it, so a Welsh reason never carries an English word."""

from __future__ import annotations

import re

from jsna_kit.messages import N_, translate
from jsna_kit.model.rounding import fixed
from jsna_kit.priorities import NEED_WORDS

#: ``{above}`` says a difference as a reader takes it in: "3.7 times" from twice the comparator up,
#: "40% above" below that.
TIMES_FROM = 2.0
#: The comparators the findings name (``model.area_findings``), for the catalogue's extractor.
COMPARATORS = (N_("England"), N_("Wales"), N_("the national rate"), N_("similar areas"))
#: The finding kinds whose suffix is a priority area: their ``{indicator}`` is that area's need.
NEED_KINDS = ("adjusted_need_higher", "adjusted_need_lower", "observed_higher", "observed_lower")


def above_words(ratio: float, language: str = "en") -> str:
    """``{above}``: "2.4 times" from ``TIMES_FROM`` up, else "40% above" or "30% below"."""
    if ratio >= TIMES_FROM:
        return translate(language, "{ratio} times", context="reason", ratio=fixed(ratio, 1))
    pct = fixed(abs(ratio - 1) * 100, 0)
    if ratio >= 1:
        return translate(language, "{pct}% above", context="reason", pct=pct)
    return translate(language, "{pct}% below", context="reason", pct=pct)


def finding_words(field: str, text: str, finding_key: str, language: str) -> str:
    """A finding's text field (``indicator``, ``comparator`` or ``detail``, written in English by
    ``model.area_findings``) in ``language``."""
    if language == "en" or not text:
        return text
    kind, _, suffix = finding_key.partition(":")
    if field == "comparator":
        return translate(language, text, context="reason")
    if field == "indicator" and kind in NEED_KINDS and suffix in NEED_WORDS:
        return translate(language, NEED_WORDS[suffix])
    if field == "detail" and (position := re.fullmatch(r"(\d+) of (\d+)", text)):
        return translate(language, "{position} of {compared}", context="reason", position=position[1],
                         compared=position[2])
    # an indicator's name, as the catalogue holds it (capitalised, as a table heads it)
    from jsna_kit.messages import MissingTranslation

    try:
        words = translate(language, text[:1].upper() + text[1:], context="indicator")
    except MissingTranslation:
        return translate(language, text, context="indicator")
    return words[:1].lower() + words[1:] if words[1:2].islower() else words
