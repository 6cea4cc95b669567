"""Welsh forms for generated text (issue 27): the mutations a generated sentence needs, place names
after "yn" (in) and "i" (to), numbers with their nouns, and dates. Small pure functions, so that a
Welsh sentence builder says ``yn_place(name)`` rather than pasting "yn " before a name.

Mutations follow the standard rules (soft, nasal, aspirate) for a word's first consonant. Letters
that are single sounds in Welsh (ch, dd, ff, ng, ph, th) never mutate, and ll and rh take only the
soft mutation. Capitals are kept: "Caerdydd" becomes "Gaerdydd" and "Nghaerdydd". Dates and
numbers use Babel's Welsh locale data (CLDR)."""

from __future__ import annotations

import datetime as dt

SOFT = {"ll": "l", "rh": "r", "p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f"}
NASAL = {"p": "mh", "t": "nh", "c": "ngh", "b": "m", "d": "n", "g": "ng"}
ASPIRATE = {"p": "ph", "t": "th", "c": "ch"}
MUTATIONS = {"soft": SOFT, "nasal": NASAL, "aspirate": ASPIRATE}
#: Letters of the Welsh alphabet written with two characters that begin as a mutable one does.
UNMUTABLE = ("ch", "dd", "ff", "ng", "ph", "th")


def mutate(word: str, kind: str) -> str:
    """``word`` with its first letter mutated (``kind``: soft, nasal or aspirate); unchanged where
    the mutation does not touch its first letter. Capitals are kept."""
    if not word:
        return word
    lower = word.lower()
    if lower.startswith(UNMUTABLE):
        return word
    table = MUTATIONS[kind]
    for start in sorted(table, key=len, reverse=True):
        if lower.startswith(start):
            new = table[start]
            rest = word[len(start):]
            if word[0].isupper():
                return (new[:1].upper() + new[1:] + rest) if new else rest[:1].upper() + rest[1:]
            return new + rest
    return word


def yn_place(name: str) -> str:
    """"In" a place: "yng Nghaerdydd", "ym Mhowys", "ym Merthyr Tudful", "yn Nhorfaen", "yn Abertawe"
    (the nasal mutation, and "yn" itself becoming "ym" before m and "yng" before ng)."""
    mutated = mutate(name, "nasal")
    lower = mutated.lower()
    preposition = "yng" if lower.startswith("ng") else "ym" if lower.startswith("m") else "yn"
    return f"{preposition} {mutated}"


def i_place(name: str) -> str:
    """"To" or "for" a place: "i Gaerdydd", "i Wynedd", "i Bowys" (the soft mutation)."""
    return f"i {mutate(name, 'soft')}"


def o_place(name: str) -> str:
    """"Of" or "from" a place: "o Gasnewydd", "o Fro Morgannwg" (the soft mutation)."""
    return f"o {mutate(name, 'soft')}"


def counted(number: int, singular: str, plural: str) -> str:
    """A number in figures with its noun: "1 person", then "2 o bobl", "1,250 o bobl" ("o" and the
    plural, softly mutated), as Welsh public documents write numbers in figures."""
    figures = f"{number:,}"
    return f"{figures} {singular}" if number == 1 else f"{figures} o {mutate(plural, 'soft')}"


def welsh_date(day: dt.date) -> str:
    """A date as a Welsh reader writes it: "7 Rhagfyr 2026"."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale="cy")


def welsh_plural_category(number: int) -> str:
    """CLDR's plural category for ``number`` in Welsh (zero, one, two, few, many, other): the key a
    catalogue entry with several noun forms is chosen by."""
    from babel import Locale

    return Locale("cy").plural_form(number)
