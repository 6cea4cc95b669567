"""The national evidence as the chapter shows it: a table per priority area (and, in the
appendix, the comparators), each figure with its value as published, sample, year, source and
grade. Works on rows (dicts) of the evidence table (``ChapterData.rows("evidence")``)."""

from __future__ import annotations

import re

from .lang import N_, translate
from .markdown import cite, table
from .numbers import count, is_missing, percent
from .sentences import GRADE_WORDS, source_keys

#: Evidence shown in a priority area's own section; comparators and context go to the appendix.
SECTION_ROLES = ("headline", "alternative", "subgroup", "proxy", "gap")
ROLE_ORDER = {"headline": 0, "alternative": 1, "subgroup": 2, "proxy": 3, "comparator": 4, "context": 5, "gap": 6}
ROLE_NAMES = {"headline": N_("Headline"), "alternative": N_("Alternative"), "subgroup": N_("Subgroup"),
              "proxy": N_("Illustration (other setting)"), "comparator": N_("Comparator"), "context": N_("Context"),
              "gap": N_("Gap")}


def evidence_table(evidence: list[dict], *, title: str, ident: str, language: str = "en") -> str:
    """The evidence rows as a table, headline first, then by role and estimate id; its words in
    ``language`` (``title`` as the caller gives it)."""
    if not evidence:
        return translate(language, "No national evidence is recorded for this priority area.")
    rows = sorted(evidence, key=lambda r: (ROLE_ORDER.get(r["role"], 9), str(r["estimate_id"])))
    # Five columns, so none is squeezed to a word a line on an A4 page: the year joins the sample,
    # the grade joins how the figure is used.
    def sample_and_year(r: dict) -> str:
        return "; ".join(str(v) for v in (sample_words(r, language=language), r.get("year"))
                         if not is_missing(v) and str(v).strip())

    def role(r: dict) -> str:
        name = ROLE_NAMES.get(r["role"])
        return translate(language, name) if name else str(r["role"])

    source = translate(language, "Source")
    columns = {
        translate(language, "Measure and setting"): [_measure_words(r, language=language) for r in rows],
        translate(language, "Value"): [value_words(r, language=language) for r in rows],
        translate(language, "Sample and year"): [sample_and_year(r) for r in rows],
        source: [cite(source_keys(r["source_keys"])) for r in rows],
        translate(language, "Use and strength"): [role(r) + ("" if is_missing(r["grade"]) else
                                                             f"; {_grade(r['grade'], language)}")
                                                  for r in rows],
    }
    return table(columns, caption=translate(language, "{title}: national evidence", title=title),
                 identifier=f"table-{ident}-evidence", align=["left"] * len(columns), raw_columns=[source],
                 widths=[36, 14, 20, 16, 14])


def _grade(grade: object, language: str) -> str:
    """The strength of a figure's evidence in a word ("moderate"), "?" for a grade not known."""
    return translate(language, GRADE_WORDS[str(grade)]) if str(grade) in GRADE_WORDS else "?"


def _measure_words(row: dict, *, language: str = "en") -> str:
    """The measure, its group and setting, and its ID: the ``estimate_id`` the downloads use, so a
    reader can find the row in ``evidence.csv`` and ``estimates.csv``."""
    bits = [translate(language, str(row[c]), context="sex") if c == "sex" else str(row[c])
            for c in ("sex", "age_band") if not is_missing(row.get(c)) and str(row.get(c)) != "all"]
    text = f"{row['measure']}" + (f" ({', '.join(bits)})" if bits else "")
    setting = row.get("setting")
    text = text if is_missing(setting) else f"{text}. {setting}"
    if is_missing(row.get("estimate_id")):
        return text
    return text + " " + translate(language, "(ID {estimate_id})", estimate_id=row["estimate_id"])


#: Who a rate is per, by the setting it was measured in; rates in the reference data are yearly.
RATE_UNITS = {"per_1000": "1,000", "per_100000": "100,000"}


def rate_words(value: float, unit: str, setting_type: object, *, language: str = "en") -> str:
    """A rate with its unit: ``2.0 per 1,000 people on probation a year``."""
    values = {"value": f"{float(value):,.1f}", "per": RATE_UNITS[unit]}
    if str(setting_type) == "general_population":
        return translate(language, "{value} per {per} people a year", **values)
    if str(setting_type).startswith("probation"):
        return translate(language, "{value} per {per} people on probation a year", **values)
    return translate(language, "{value} per {per} people in the group studied a year", **values)


def value_words(row: dict, *, language: str = "en") -> str | None:
    """The figure as published, with its unit and its published interval when there is one, and
    and, for a figure reported only in the press or not found in its original, that it is context."""
    if str(row.get("status")) == "gap":
        return translate(language, "gap: no figure")
    unit = str(row.get("unit"))
    text = row.get("value_text")
    if unit in RATE_UNITS and not is_missing(row.get("value")):
        text = rate_words(row["value"], unit, row.get("setting_type"), language=language)
    elif unit == "ratio" and not is_missing(row.get("value")):
        ratio = format(float(row["value"]), "g")
        text = translate(language, "{ratio} times as high", ratio=ratio)
    elif is_missing(text) or not str(text).strip():
        if is_missing(row.get("value")):
            return None
        text = percent(row["value"], language=language) if unit == "percent" else count(row["value"], language=language)
    circa = re.match(r"^c\.\s*", str(text))
    text = translate(language, "about {value}", value=str(text)[circa.end():]) if circa else str(text)
    # a count with its thousands separator, as everywhere else ("49,881"; in a count's own row, "1,413"
    # too), never a year or a period ("2023-24")
    digits = 4 if unit == "count" else 5
    text = re.sub(rf"(?<![\d.,/–-])(\d{{{digits},}})(?![\d.,]*\d)(?![-/–]\d)", lambda m: f"{int(m.group(1)):,}", text)
    if unit == "percent" and "%" not in text:
        # "7-10" is a range: "7% to 10%"; otherwise the first number is the percentage
        text = re.sub(r"^(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)",
                      lambda m: translate(language, "{low}% to {high}%", low=m.group(1), high=m.group(2)), text)
        if "%" not in text:
            text = re.sub(r"(\d+(?:\.\d+)?)", r"\1%", text, count=1)
    if not (is_missing(row.get("ci_lower")) or is_missing(row.get("ci_upper"))):
        level = row.get("ci_level")
        level = "95%" if is_missing(level) else f"{float(level) * 100:g}%" if float(level) < 1 else f"{float(level):g}%"
        bounds = {"lower": format(row["ci_lower"], "g"), "upper": format(row["ci_upper"], "g")}
        text += " " + translate(language, "({level} CI {lower} to {upper})", level=level, **bounds)
    if str(row.get("status")) == "verify":  # context only (model.headline): say whose figure it is
        text += " " + translate(language, "(as reported; not used in the estimates)")
    return text


def sample_words(row: dict, *, language: str = "en") -> str | None:
    if not is_missing(row.get("denominator")):
        return f"n = {count(row['denominator'], language=language)}"
    note = row.get("sample_size_note")
    return None if is_missing(note) else str(note)
