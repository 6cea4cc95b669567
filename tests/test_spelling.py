"""The Welsh spelling check (issue 27): aspell's Welsh dictionary, with the project's accepted words
and their mutations; citations, placeholders, addresses and clitics are not words to check."""

from __future__ import annotations

import os

import pytest

from jsna_kit.publish.spelling import NoDictionary, aspell, unknown_welsh_words, words_to_check


@pytest.fixture(scope="module", autouse=True)
def welsh_dictionary():
    try:
        aspell()
    except NoDictionary as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc} -- .ci/run installs it, so under CI this is a failure")
        pytest.skip(str(exc))


def test_words_to_check_leave_out_citations_placeholders_addresses_numbers_and_clitics():
    text = "Mae'r bwrdd [@NPS2019; @MOJ2024] yn {area}: 45% o https://gov.wales/x i’w weld, 2024."
    assert words_to_check(text) == ["Mae", "bwrdd", "yn", "o", "i", "weld"]


def test_a_misspelt_word_is_found_and_a_right_one_is_not():
    assert unknown_welsh_words("Mae'r bwrdd iechyd lleol yn talu am wasanaethau.") == []
    assert unknown_welsh_words("Mae'r bwrdd iechdy lleol yn talu am wasanaethau.") == ["iechdy"]


def test_a_name_is_accepted_with_its_mutations(tmp_path):
    accepted = tmp_path / "accepted.txt"
    accepted.write_text("# names\nCaerdydd  # the city\n", encoding="utf-8")
    text = "yng Nghaerdydd, i Gaerdydd, o Gaerdydd a Chaerdydd"
    assert unknown_welsh_words(text, accepted=accepted) == []
    assert unknown_welsh_words("yng Nghaerdyd", accepted=accepted) == ["Nghaerdyd"]
    assert unknown_welsh_words("ym Mhowys", also={"Powys"}) == []


def test_a_mutated_form_of_a_dictionary_word_is_right_and_a_misspelt_one_is_not():
    from jsna_kit.publish.spelling import radical_forms

    assert "adolygu" in radical_forms("hadolygu") and "Cymraeg" in radical_forms("Gymraeg")
    assert "gwasanaeth" in radical_forms("ngwasanaeth") and "gwaith" in radical_forms("waith")
    assert unknown_welsh_words("wedi'u hadolygu, yn Gymraeg, fy ngwasanaeth") == []
    assert unknown_welsh_words("wedi'u hadologu") == ["hadologu"]


def test_link_targets_anchors_and_file_names_are_not_words():
    text = "Gweler [Atodiad F](#sec-policy) a [lawrlwytho](W06000002-gwynedd/data/estimates.csv) neu x.html."
    assert words_to_check(text) == ["Gweler", "Atodiad", "F", "a", "lawrlwytho", "neu"]
