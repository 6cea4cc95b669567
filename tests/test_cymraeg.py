"""Welsh forms for generated text (issue 27): mutations, place names after "yn" and "i", numbers
with nouns, dates. Expected forms are the standard ones for the 22 principal areas' Welsh names."""

from __future__ import annotations

import datetime as dt

import pytest

from jsna_kit.present.cymraeg import counted, i_place, mutate, o_place, welsh_date, welsh_plural_category, yn_place

#: Welsh name, "in" it, "to" it.
AREAS = [
    ("Ynys Môn", "yn Ynys Môn", "i Ynys Môn"),
    ("Gwynedd", "yng Ngwynedd", "i Wynedd"),
    ("Conwy", "yng Nghonwy", "i Gonwy"),
    ("Sir Ddinbych", "yn Sir Ddinbych", "i Sir Ddinbych"),
    ("Sir y Fflint", "yn Sir y Fflint", "i Sir y Fflint"),
    ("Wrecsam", "yn Wrecsam", "i Wrecsam"),
    ("Ceredigion", "yng Ngheredigion", "i Geredigion"),
    ("Sir Benfro", "yn Sir Benfro", "i Sir Benfro"),
    ("Sir Gaerfyrddin", "yn Sir Gaerfyrddin", "i Sir Gaerfyrddin"),
    ("Abertawe", "yn Abertawe", "i Abertawe"),
    ("Castell-nedd Port Talbot", "yng Nghastell-nedd Port Talbot", "i Gastell-nedd Port Talbot"),
    ("Pen-y-bont ar Ogwr", "ym Mhen-y-bont ar Ogwr", "i Ben-y-bont ar Ogwr"),
    ("Bro Morgannwg", "ym Mro Morgannwg", "i Fro Morgannwg"),
    ("Rhondda Cynon Taf", "yn Rhondda Cynon Taf", "i Rondda Cynon Taf"),
    ("Merthyr Tudful", "ym Merthyr Tudful", "i Ferthyr Tudful"),
    ("Caerffili", "yng Nghaerffili", "i Gaerffili"),
    ("Blaenau Gwent", "ym Mlaenau Gwent", "i Flaenau Gwent"),
    ("Torfaen", "yn Nhorfaen", "i Dorfaen"),
    ("Sir Fynwy", "yn Sir Fynwy", "i Sir Fynwy"),
    ("Casnewydd", "yng Nghasnewydd", "i Gasnewydd"),
    ("Caerdydd", "yng Nghaerdydd", "i Gaerdydd"),
    ("Powys", "ym Mhowys", "i Bowys"),
]


@pytest.mark.parametrize("name, in_it, to_it", AREAS)
def test_place_names_after_yn_and_i(name, in_it, to_it):
    assert yn_place(name) == in_it
    assert i_place(name) == to_it


def test_the_three_mutations_and_the_letters_they_leave_alone():
    assert [mutate(w, "soft") for w in ("pobl", "tref", "cyngor", "bwrdd", "dyn", "gwasanaeth", "merch",
                                        "llyfr", "rhaglen", "afon")] == [
        "bobl", "dref", "gyngor", "fwrdd", "ddyn", "wasanaeth", "ferch", "lyfr", "raglen", "afon"]
    assert [mutate(w, "nasal") for w in ("pobl", "tref", "cyngor", "bwrdd", "dyn", "gwasanaeth", "llyfr")] == [
        "mhobl", "nhref", "nghyngor", "mwrdd", "nyn", "ngwasanaeth", "llyfr"]
    assert [mutate(w, "aspirate") for w in ("pobl", "tref", "cyngor", "bwrdd")] == [
        "phobl", "thref", "chyngor", "bwrdd"]
    # single sounds written with two letters never mutate, whatever they start with
    for word in ("chwaer", "ddoe", "ffordd", "ngwlad", "Phillips", "theatr"):
        assert {mutate(word, kind) for kind in ("soft", "nasal", "aspirate")} == {word}
    assert mutate("", "soft") == "" and o_place("Casnewydd") == "o Gasnewydd"


def test_numbers_in_figures_take_o_and_the_mutated_plural():
    assert counted(1, "person", "pobl") == "1 person"
    assert counted(2, "person", "pobl") == "2 o bobl"
    assert counted(1250, "person", "pobl") == "1,250 o bobl"
    assert counted(3, "farwolaeth", "marwolaethau") == "3 o farwolaethau"


def test_dates_and_plural_categories_come_from_the_welsh_locale():
    assert welsh_date(dt.date(2026, 12, 7)) == "7 Rhagfyr 2026"
    assert welsh_date(dt.date(2026, 6, 1)) == "1 Mehefin 2026"
    assert [welsh_plural_category(n) for n in (0, 1, 2, 3, 6, 7)] == ["zero", "one", "two", "few", "many", "other"]
