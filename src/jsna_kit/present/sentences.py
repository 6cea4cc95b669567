"""Plain-English sentences generated from the estimates table. Every figure in a sentence is read
from the row it describes; wording adapts to what the row holds (interval or none, proxy, gap)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pandas as pd

from ..load.reference_rules import AUTHOR_PERSON
from .cymraeg import mutate
from .lang import N_, in_place, translate
from .markdown import cite, escape_text
from .numbers import count, estimate_range, is_missing, percent

GRADE_WORDS = {"A": N_("strong"), "B": N_("moderate"), "C": N_("limited"), "D": N_("weak")}
#: How sure we can be, by the grade of the national evidence, as a phrase of its own.
EVIDENCE_WORDS = {"A": N_("strong evidence"), "B": N_("moderate evidence"), "C": N_("limited evidence"),
                  "D": N_("weak evidence")}
#: The sentence on the strength of the national evidence, by grade (whole, as Welsh words the
#: adjective differently after "yn" than after "tystiolaeth").
GRADE_SENTENCES = {"A": N_("The national evidence for this is strong"),
                   "B": N_("The national evidence for this is moderate"),
                   "C": N_("The national evidence for this is limited"),
                   "D": N_("The national evidence for this is weak")}
#: Welsh "and" is "ac" before a vowel.
WELSH_VOWELS = tuple("aeiouwyâêîôûŵŷAEIOUWYÂÊÎÔÛŴŶ")
#: Words that take "ac", not "a", though they begin with a consonant ("ac mae", "ac felly").
AC_BEFORE = frozenset({"mae", "mai", "meddai", "megis", "mewn", "mor", "fel", "felly", "nid", "nad", "na", "ni"})


def and_word(language: str, following: str) -> str:
    """The word "and" before ``following``: English "and"; Welsh "a", or "ac" before a vowel ("ac
    Ynys Môn", "ac wrth") and before the words that take it ("ac mae", ``AC_BEFORE``). A name whose
    W is a consonant, before another consonant, takes "a", as in "Sir y Fflint a Wrecsam"."""
    if language == "cy":
        word = following.lstrip("*_[(")
        consonant_w = word[:1] == "W" and word[1:2].lower() in tuple("bcdfghlmnprst")
        first = word.split(" ", 1)[0].split("'", 1)[0].lower()
        return "ac" if (word.startswith(WELSH_VOWELS) and not consonant_w) or first in AC_BEFORE else "a"
    return "and"


def listed(items: list[str], *, language: str = "en") -> str:
    """Items in a sentence: ``a``, ``a and b``, ``a, b and c`` (Welsh: ``a, b a c``; ``ac`` before
    a vowel). The items are given as printed: a Welsh caller mutates its own words if it must."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {and_word(language, items[-1])} " + items[-1]


def listed_in(language: str, items: list[str]) -> str:
    """Items in a sentence (``listed``: ``a, b and c``; Welsh ``a, b a c``, "ac" before a vowel),
    in Welsh with the aspirate mutation after "a" of a word that is not a name ("a phwysau")."""
    last = items[-1] if items else ""
    if language == "cy" and len(items) > 1 and last[:1].islower() and and_word(language, last) == "a":
        items = [*items[:-1], mutate(last, "aspirate")]
    return listed(items, language=language)


def listed_places(language: str, names: list[str]) -> str:
    """Place names in a sentence, escaped: ``listed``, in Welsh with the aspirate mutation of the
    last name after "a" ("Caerffili a Thorfaen"; a name is mutated as a word is, "a Chaerdydd")."""
    last = names[-1] if names else ""
    if language == "cy" and len(names) > 1 and and_word(language, last) == "a":
        names = [*names[:-1], mutate(last, "aspirate")]
    return listed([escape_text(n) for n in names], language=language)


def source_keys(value: object) -> list[str]:
    if is_missing(value):
        return []
    return [k.strip() for k in str(value).split(";") if k.strip()]




def source_label(keys: object, sources: pd.DataFrame | Callable[[str], dict | None], *,
                 language: str = "en") -> str:
    """A short label for the first source: ``Brooker et al. 2012`` for people, the whole name for
    an organisation (``HM Inspectorate of Probation 2021``), else the key itself. ``sources``:
    the bibliography table, or a function giving its row for a key (``ChapterData.source``)."""
    found = source_keys(keys)
    if not found:
        return translate(language, "no source")
    key = found[0]
    if callable(sources):
        row = sources(key)
    else:
        match = sources[sources["source_key"] == key] if "source_key" in sources else sources.iloc[0:0]
        row = None if match.empty else match.iloc[0]
    if row is None:
        return key
    authors = "" if is_missing(row.get("authors")) else str(row.get("authors")).strip()
    year = "" if is_missing(row.get("year")) else str(row.get("year")).split(".")[0].strip()
    if not authors:  # a short title, never the raw key
        title = "" if is_missing(row.get("title")) else textwrap.shorten(str(row.get("title")), 40, placeholder="…")
        return f"{title or translate(language, 'unattributed source')} {year}".strip()
    names = [a.strip() for a in authors.split(";") if a.strip()]
    people = [AUTHOR_PERSON.match(n) for n in names]
    first = people[0].group("surname") if people and people[0] else (names[0] if names else authors)
    if len(names) == 2 and all(people):
        second = people[1].group("surname")
        first += f" {and_word(language, second)} {second}"
    elif len(names) > 1:
        first += " et al."
    return f"{first} {year}".strip()


def grade_sentence(row: pd.Series, *, language: str = "en") -> str:
    grade = str(row.get("grade"))
    sentence = (translate(language, GRADE_SENTENCES[grade]) if grade in GRADE_SENTENCES
                else translate(language, "The national evidence for this is ungraded"))
    reason = "" if is_missing(row.get("grade_reason")) else str(row.get("grade_reason")).rstrip(".")
    return sentence + (f": {escape_text(reason)}." if reason else ".")


def finding_phrase(row: pd.Series, *, language: str = "en") -> str:
    """The need in words that fit "... people on probation in X {phrase}"."""
    phrase = row.get("finding_phrase")
    if not is_missing(phrase) and str(phrase).strip():
        return escape_text(phrase)
    measure = escape_text(str(row["measure"]).rstrip(".")).lower()
    return translate(language, "with the need measured as: {measure}", measure=measure)


def range_caveat(row: dict, *, language: str = "en") -> str:
    """What the reader should know about an estimate's range, said where the range is shown."""
    kind = str(row.get("range_kind"))
    if kind == "none" or (kind not in ("confidence_interval", "uncertainty_range", "caseload_range")
                          and is_missing(row.get("expected_lower"))):
        return " " + translate(language, "No range can be given: the national source publishes neither a sample "
                                         "size nor an interval, so how precise it is cannot be known.")
    if kind == "caseload_range":
        return " " + translate(language, "The range shows only the uncertainty in the modelled caseload: the "
                                         "national source publishes neither a sample size nor an interval, so its "
                                         "own uncertainty cannot be shown and the true range is wider.")
    if str(row.get("interval_method")) == "wilson_weighted":
        return " " + translate(language, "The national figure is approximate or comes from a weighted survey, so "
                                         "its range is worked out as if from a smaller simple sample (its size over "
                                         "a design effect, 2 where the source publishes none), the same allowance "
                                         "the comparison with local records makes.")
    return ""


def headline_sentence(row: dict, *, area_name: str, caseload: float, caseload_kind: str,
                      with_grade: bool = True, language: str = "en") -> str:
    """E.g. "An estimated 780 (95% CI 690 to 870) of the 2,000 people on probation in Sheffield
    have a current mental illness." followed by what the range covers and the strength of the
    evidence."""
    ci = estimate_range(row, language=language)
    bracket = f" ({ci})" if ci else ""
    values = dict(expected=count(row["expected"]), bracket=bracket, caseload=count(caseload),
                  in_area=in_place(language, escape_text(area_name)), finding=finding_phrase(row, language=language),
                  cite=cite(source_keys(row["source_keys"])))
    if caseload_kind == "local":
        first = translate(language, "An estimated **{expected}**{bracket} of the {caseload} people on probation "
                                    "{in_area} {finding} {cite}.", **values)
    else:
        first = translate(language, "An estimated **{expected}**{bracket} of the estimated {caseload} people on "
                                    "probation {in_area} {finding} {cite}.", **values)
    first = first.replace(" .", ".")
    grade = f" {grade_sentence(row, language=language)}" if with_grade else ""
    return f"{first}{range_caveat(row, language=language)}{grade}"


def proxy_sentence(row: dict, *, area_name: str, language: str = "en") -> str:
    ci = estimate_range(row, language=language)
    bracket = f" ({ci})" if ci else ""
    measure = escape_text(str(row["measure"]).rstrip("."))
    return translate(language, "As an illustration only, and not a probation estimate: if the rate found in "
                               "{setting} ({pct}) applied to the local caseload, about **{expected}**{bracket} "
                               "people {in_area} would have this need ({measure}) {cite}. The main doubt about "
                               "this figure is whether a rate from that setting applies to people on probation at "
                               "all, not the range shown.",
                     setting=escape_text(setting_words(row, language=language)),
                     pct=percent(row["prevalence_pct"], language=language), expected=count(row["expected"]),
                     bracket=bracket, in_area=in_place(language, escape_text(area_name)),
                     measure=measure[:1].lower() + measure[1:], cite=cite(source_keys(row["source_keys"])))


#: A setting named only by its type (``setting_type``), when the reference data give no words.
SETTING_TYPES = {"prison": N_("prison"), "general_population": N_("general population"),
                 "probation_caseload": N_("probation caseload"), "probation_co_starters": N_("probation co starters"),
                 "probation_other": N_("probation other"), "criminal_justice_mixed": N_("criminal justice mixed")}


def setting_words(row: pd.Series, *, language: str = "en") -> str:
    setting = row.get("setting")
    if is_missing(setting) or not str(setting).strip():
        kind = str(row.get("setting_type", "another setting"))
        if language != "en":
            return translate(language, SETTING_TYPES.get(kind, N_("another setting")))
        return kind.replace("_", " ")
    text = str(setting)
    # Mid-sentence: "Male prisoners in Lancashire" -> "male prisoners ..." but keep acronyms ("NPS ...").
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text
