"""The translation layer for present/ (issue 27): the core (catalogues, ``translate``, ``N_``) is
``jsna_kit.messages``, re-exported here; this module adds the Welsh forms a sentence needs: a place
after "in", "to" and "of", a date, a priority area's title mid-sentence."""

from __future__ import annotations

import datetime as dt

from jsna_kit.messages import (  # noqa: F401 - the layer's API, for present/ modules
    LANGUAGES,
    LOCALE_DIR,
    N_,
    PLURAL_ORDER,
    Catalogue,
    MissingTranslation,
    catalogue,
    merge_catalogues,
    placeholders,
    read_catalogue,
    translate,
    translate_plural,
)


def in_place(language: str, name: str) -> str:
    """"in Cardiff" / "yng Nghaerdydd" (the nasal mutation after "yn")."""
    from .cymraeg import yn_place

    return yn_place(name) if language == "cy" else f"in {name}"


def to_place(language: str, name: str) -> str:
    """"to Cardiff" / "i Gaerdydd" (the soft mutation after "i")."""
    from .cymraeg import i_place

    return i_place(name) if language == "cy" else f"to {name}"


def of_place(language: str, name: str) -> str:
    """"of Cardiff" / "o Gaerdydd" (the soft mutation after "o")."""
    from .cymraeg import o_place

    return o_place(name) if language == "cy" else f"of {name}"


def long_date(language: str, day: dt.date) -> str:
    """"7 December 2026" / "7 Rhagfyr 2026"."""
    from .cymraeg import welsh_date

    return welsh_date(day) if language == "cy" else day.strftime("%-d %B %Y")


def topic(language: str, title: str) -> str:
    """A priority area's title mid-sentence: lower case in English ("mental health and wellbeing");
    in Welsh only its first letter, so the name of a pathway or body inside it keeps its capitals."""
    if language == "en":
        return title.lower()
    welsh = translate(language, title, context="priority")
    return welsh[:1].lower() + welsh[1:]
