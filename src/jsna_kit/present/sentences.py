"""Plain-English sentences generated from the estimates table. Every figure in a sentence is read
from the row it describes; wording adapts to what the row holds (interval or none, proxy, gap)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pandas as pd

from ..load.reference_rules import AUTHOR_PERSON
from .markdown import cite, escape_text
from .numbers import count, estimate_range, is_missing, percent

GRADE_WORDS = {"A": "strong", "B": "moderate", "C": "limited", "D": "weak"}


def listed(items: list[str]) -> str:
    """Items in a sentence: ``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def source_keys(value: object) -> list[str]:
    if is_missing(value):
        return []
    return [k.strip() for k in str(value).split(";") if k.strip()]




def source_label(keys: object, sources: pd.DataFrame | Callable[[str], dict | None]) -> str:
    """A short label for the first source: ``Brooker et al. 2012`` for people, the whole name for
    an organisation (``HM Inspectorate of Probation 2021``), else the key itself. ``sources``:
    the bibliography table, or a function giving its row for a key (``ChapterData.source``)."""
    found = source_keys(keys)
    if not found:
        return "no source"
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
        return f"{title or 'unattributed source'} {year}".strip()
    names = [a.strip() for a in authors.split(";") if a.strip()]
    people = [AUTHOR_PERSON.match(n) for n in names]
    first = people[0].group("surname") if people and people[0] else (names[0] if names else authors)
    if len(names) == 2 and all(people):
        first += f" and {people[1].group('surname')}"
    elif len(names) > 1:
        first += " et al."
    return f"{first} {year}".strip()


def grade_sentence(row: pd.Series) -> str:
    word = GRADE_WORDS.get(str(row.get("grade")), "ungraded")
    reason = "" if is_missing(row.get("grade_reason")) else str(row.get("grade_reason")).rstrip(".")
    return f"The national evidence for this is {word}" + (f": {escape_text(reason)}." if reason else ".")


def finding_phrase(row: pd.Series) -> str:
    """The need in words that fit "... people on probation in X {phrase}"."""
    phrase = row.get("finding_phrase")
    if not is_missing(phrase) and str(phrase).strip():
        return escape_text(phrase)
    return "with the need measured as: " + escape_text(str(row["measure"]).rstrip(".")).lower()


def range_caveat(row: dict) -> str:
    """What the reader should know about an estimate's range, said where the range is shown."""
    kind = str(row.get("range_kind"))
    if kind == "none" or (kind not in ("confidence_interval", "uncertainty_range", "caseload_range")
                          and is_missing(row.get("expected_lower"))):
        return (" No range can be given: the national source publishes neither a sample size nor an "
                "interval, so how precise it is cannot be known.")
    if kind == "caseload_range":
        return (" The range shows only the uncertainty in the modelled caseload: the national source publishes "
                "neither a sample size nor an interval, so its own uncertainty cannot be shown and the true "
                "range is wider.")
    if str(row.get("interval_method")) == "wilson_weighted":
        return (" The national figure is approximate or comes from a weighted survey, so its range is worked out "
                "as if from a smaller simple sample (its size over a design effect, 2 where the source publishes "
                "none), the same allowance the comparison with local records makes.")
    return ""


def headline_sentence(row: dict, *, area_name: str, caseload: float, caseload_kind: str,
                      with_grade: bool = True) -> str:
    """E.g. "An estimated 780 (95% CI 690 to 870) of the 2,000 people on probation in Sheffield
    have a current mental illness." followed by what the range covers and the strength of the
    evidence."""
    ci = estimate_range(row)
    bracket = f" ({ci})" if ci else ""
    people = ("the " + count(caseload) if caseload_kind == "local"
              else "the estimated " + count(caseload))
    first = (f"An estimated **{count(row['expected'])}**{bracket} of {people} people on probation "
             f"in {escape_text(area_name)} {finding_phrase(row)} {cite(source_keys(row['source_keys']))}.")
    first = first.replace(" .", ".")
    grade = f" {grade_sentence(row)}" if with_grade else ""
    return f"{first}{range_caveat(row)}{grade}"


def proxy_sentence(row: dict, *, area_name: str) -> str:
    ci = estimate_range(row)
    bracket = f" ({ci})" if ci else ""
    return (f"As an illustration only, and not a probation estimate: if the rate found in "
            f"{escape_text(setting_words(row))} ({percent(row['prevalence_pct'])}) applied to the local "
            f"caseload, about **{count(row['expected'])}**{bracket} people in {escape_text(area_name)} "
            f"would have this need ({escape_text(str(row['measure']).rstrip('.'))[:1].lower()}"
            f"{escape_text(str(row['measure']).rstrip('.'))[1:]}) {cite(source_keys(row['source_keys']))}. "
            "The main doubt about this figure "
            "is whether a rate from that setting applies to people on probation at all, not the range shown.")


def setting_words(row: pd.Series) -> str:
    setting = row.get("setting")
    if is_missing(setting) or not str(setting).strip():
        return str(row.get("setting_type", "another setting")).replace("_", " ")
    text = str(setting)
    # Mid-sentence: "Male prisoners in Lancashire" -> "male prisoners ..." but keep acronyms ("NPS ...").
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text
