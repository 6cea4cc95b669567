"""The reference data's Welsh (issue 27): every row a Welsh chapter prints has its Welsh beside the
English, keeping the English's citations, placeholders and figures, and every Welsh word passes the
spelling check."""

from __future__ import annotations

import re

import pytest

from jsna_kit.load.localise import TEXT_COLUMNS, in_language
from jsna_kit.load.reference import load_reference

FIGURES = re.compile(r"\d+(?:[.,]\d+)*")
KEPT = re.compile(r"\[@[^\]]+\]|\{[^{}]+\}|https?://\S+")


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def welsh_cells(reference):
    """(table, row key, column, English, Welsh) of every Welsh cell in the reference data."""
    for table, frame in reference.welsh.items():
        for row in frame.to_dict("records"):
            for column in TEXT_COLUMNS.get(table, ()):
                welsh = row.get(column + "_cy")
                if welsh:
                    yield table, row["_row"], column, row[column], welsh


@pytest.mark.parametrize("table", ["commissioning", "pathways", "policy", "recommendations"])
def test_every_row_a_welsh_chapter_prints_has_its_welsh(reference, table):
    frame = getattr(reference, table)
    welsh = in_language(frame, table, "cy", reference.welsh, directory=reference.directory)
    printed = frame["nation"].isin(("Wales", "England and Wales"))
    for column in TEXT_COLUMNS[table]:
        if column in frame:
            changed = welsh.loc[printed, column] != frame.loc[printed, column]
            assert changed[frame.loc[printed, column] != ""].all(), (table, column)
            assert (welsh.loc[~printed, column] == frame.loc[~printed, column]).all()  # England's stay English


def test_welsh_keeps_the_english_citations_placeholders_addresses_and_figures(reference):
    cells = list(welsh_cells(reference))
    assert len(cells) > 150
    for table, row, column, english, welsh in cells:
        assert sorted(KEPT.findall(welsh)) == sorted(KEPT.findall(english)), (table, row, column)
        assert sorted(FIGURES.findall(welsh)) == sorted(FIGURES.findall(english)), (table, row, column, welsh)


def test_the_welsh_passes_the_spelling_check(reference):
    from jsna_kit.publish.spelling import NoDictionary, aspell, unknown_welsh_words

    try:
        aspell()
    except NoDictionary as exc:
        pytest.skip(str(exc))
    text = "\n".join(welsh for *_, welsh in welsh_cells(reference))
    assert unknown_welsh_words(text) == []


def test_the_rules_welsh_reasons_keep_their_placeholders_and_cover_every_welsh_rule():
    import csv

    from jsna_kit.config import reference_file

    with reference_file("recommendation_rules.csv").open(encoding="utf-8-sig", newline="") as fh:
        rules = list(csv.DictReader(fh))
    for rule in rules:
        for column in ("reword_text", "reason_template"):
            english, welsh = rule[column], rule[column + "_cy"]
            if rule["nation"] in ("Wales", "England and Wales") and english:
                assert welsh, (rule["rule_id"], column)
            if welsh:
                assert sorted(KEPT.findall(welsh)) == sorted(KEPT.findall(english)), (rule["rule_id"], column)


def test_every_published_national_estimate_has_its_welsh(reference):
    welsh = in_language(reference.estimates, "estimates", "cy", reference.welsh, directory=reference.directory)
    for column in TEXT_COLUMNS["estimates"]:
        english = reference.estimates[column]
        # a cell with words (not a bare figure such as value_text "29") has Welsh words in its place
        worded = english.notna() & english.astype(str).str.contains(r"[A-Za-z]{3,}")
        assert (welsh.loc[worded, column] != english[worded]).all(), column
        assert (welsh[column + "_en"] == english).all()  # the English kept beside it, for code that matches


def test_every_welsh_area_s_bodies_have_welsh_names_that_pass_the_spelling_check():
    import csv

    from jsna_kit.config import reference_file
    from jsna_kit.publish.spelling import NoDictionary, aspell, unknown_welsh_words

    with reference_file("local_system.csv").open(encoding="utf-8", newline="") as fh:
        welsh = [r for r in csv.DictReader(fh) if r["area_code"].startswith("W")]
    assert welsh and all(r["body_name_cy"] for r in welsh), [r["body_name"] for r in welsh if not r["body_name_cy"]]
    try:
        aspell()
    except NoDictionary as exc:
        pytest.skip(str(exc))
    assert unknown_welsh_words("\n".join(r["body_name_cy"] for r in welsh)) == []
