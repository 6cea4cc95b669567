"""The translation layer (issue 27): written PO catalogues read with Babel; a missing, fuzzy or
empty entry fails with the message named; placeholders must match the English; the review flag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jsna_kit.errors import InputFileError
from jsna_kit.present.lang import MissingTranslation, catalogue, read_catalogue, translate, translate_plural
from jsna_kit.priorities import PRIORITY_TITLES

HEADER = '''msgid ""
msgstr ""
"Language: cy\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;\\n"
{review}
'''


def po(tmp_path: Path, body: str, review: str = "") -> Path:
    path = tmp_path / "cy.po"
    path.write_text(HEADER.format(review=review) + "\n" + body, encoding="utf-8")
    return path


def test_a_translation_fills_its_placeholders_and_english_is_the_message_itself(tmp_path):
    cat = read_catalogue(po(tmp_path, 'msgid "People on probation in {area}"\nmsgstr "Pobl ar brawf {area}"\n'), "cy")
    assert translate("cy", "People on probation in {area}", catalogue_=cat, area="yng Nghaerdydd") == \
        "Pobl ar brawf yng Nghaerdydd"
    assert translate("en", "People on probation in {area}", area="Cardiff") == "People on probation in Cardiff"


def test_a_missing_fuzzy_or_empty_entry_fails_naming_the_message(tmp_path):
    cat = read_catalogue(po(tmp_path, '#, fuzzy\nmsgid "Key findings"\nmsgstr "Prif ganfyddiadau"\n\n'
                                      'msgid "Glossary"\nmsgstr ""\n'), "cy")
    for message in ("Key findings", "Glossary", "Not in the catalogue at all"):
        with pytest.raises(MissingTranslation) as err:
            translate("cy", message, catalogue_=cat)
        assert repr(message) in str(err.value) and "cy.po" in str(err.value)


def test_a_placeholder_that_differs_between_the_languages_is_reported_by_file_and_line(tmp_path):
    path = po(tmp_path, 'msgid "Key findings"\nmsgstr "Prif ganfyddiadau"\n\n'
                        'msgid "{count} people in {area}"\nmsgstr "{nifer} o bobl {area}"\n')
    with pytest.raises(InputFileError) as err:
        read_catalogue(path, "cy")
    line = path.read_text(encoding="utf-8").splitlines().index('msgid "{count} people in {area}"') + 1
    assert f"cy.po, row {line}" in str(err.value) and "['area', 'nifer']" in str(err.value)


def test_welsh_plural_forms_follow_the_number(tmp_path):
    forms = "".join(f'msgstr[{i}] "{text}"\n' for i, text in enumerate(
        ["{n} o ardaloedd", "{n} ardal", "{n} ardal", "{n} ardal", "{n} ardal", "{n} o ardaloedd"]))
    cat = read_catalogue(po(tmp_path, f'msgid "{{n}} area"\nmsgid_plural "{{n}} areas"\n{forms}'), "cy")
    assert [translate_plural("cy", "{n} area", "{n} areas", n, catalogue_=cat) for n in (0, 1, 2, 3, 6, 22)] == [
        "0 o ardaloedd", "1 ardal", "2 ardal", "3 ardal", "6 ardal", "22 o ardaloedd"]
    assert translate_plural("en", "{n} area", "{n} areas", 22) == "22 areas"


def test_the_review_flag_needs_a_role_and_a_date(tmp_path):
    assert not read_catalogue(po(tmp_path, ""), "cy").reviewed
    reviewed = read_catalogue(po(tmp_path, "", '"X-Reviewed-By: Welsh-language translator\\n"\n'
                                                '"X-Reviewed-On: 2027-01-31\\n"'), "cy")
    assert reviewed.reviewed and reviewed.reviewed_on == dt.date(2027, 1, 31)
    with pytest.raises(InputFileError, match="X-Reviewed-On"):
        read_catalogue(po(tmp_path, "", '"X-Reviewed-By: translator\\n"\n"X-Reviewed-On: January\\n"'), "cy")


def test_the_project_catalogue_reads_and_names_every_priority_area():
    cat = catalogue("cy")
    assert not cat.reviewed  # until a Welsh-language translator marks it
    for title in PRIORITY_TITLES.values():
        assert translate("cy", title, context="priority") != title
    assert translate("cy", "References", context="heading") == "Cyfeiriadau"


def test_the_catalogue_is_every_file_in_the_language_s_folder_and_a_message_has_one_translation(tmp_path):
    from jsna_kit.present.lang import merge_catalogues

    first = read_catalogue(po(tmp_path, 'msgid "Glossary"\nmsgstr "Geirfa"\n',
                              review='"X-Reviewed-By: Welsh-language translator\\n"\n"X-Reviewed-On: 2027-01-31\\n"'),
                           "cy")
    (tmp_path / "more").mkdir()
    second = read_catalogue(po(tmp_path / "more", 'msgid "References"\nmsgstr "Cyfeiriadau"\n'), "cy")
    both = merge_catalogues([first, second])
    assert translate("cy", "References", catalogue_=both) == "Cyfeiriadau"
    assert translate("cy", "Glossary", catalogue_=both) == "Geirfa" and both.reviewed  # the first file's flag
    (tmp_path / "other").mkdir()
    clash = read_catalogue(po(tmp_path / "other", 'msgid "Glossary"\nmsgstr "Rhestr termau"\n'), "cy")
    with pytest.raises(InputFileError) as err:
        merge_catalogues([first, clash])
    assert "other" in str(err.value) and "translated differently" in str(err.value)
    # the project's own catalogue is read from its folder
    assert translate("cy", "References", context="heading") == "Cyfeiriadau"
