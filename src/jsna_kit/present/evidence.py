"""The national evidence as the chapter shows it: a table per priority area (and, in the
appendix, the comparators), each figure with its value as published, sample, year, source and
grade. Works on rows (dicts) of the evidence table (``ChapterData.rows("evidence")``)."""

from __future__ import annotations

import re

from .markdown import cite, table
from .numbers import count, is_missing, percent
from .sentences import GRADE_WORDS, source_keys

#: Evidence shown in a priority area's own section; comparators and context go to the appendix.
SECTION_ROLES = ("headline", "alternative", "subgroup", "proxy", "gap")
ROLE_ORDER = {"headline": 0, "alternative": 1, "subgroup": 2, "proxy": 3, "comparator": 4, "context": 5, "gap": 6}
ROLE_NAMES = {"headline": "Headline", "alternative": "Alternative", "subgroup": "Subgroup",
              "proxy": "Illustration (other setting)", "comparator": "Comparator", "context": "Context",
              "gap": "Gap"}


def evidence_table(evidence: list[dict], *, title: str, ident: str) -> str:
    """The evidence rows as a table, headline first, then by role and estimate id."""
    if not evidence:
        return "No national evidence is recorded for this priority area."
    rows = sorted(evidence, key=lambda r: (ROLE_ORDER.get(r["role"], 9), str(r["estimate_id"])))
    # Five columns, so none is squeezed to a word a line on an A4 page: the year joins the sample,
    # the grade joins how the figure is used.
    def sample_and_year(r: dict) -> str:
        return "; ".join(str(v) for v in (sample_words(r), r.get("year")) if not is_missing(v) and str(v).strip())

    columns = {
        "Measure and setting": [_measure_words(r) for r in rows],
        "Value": [value_words(r) for r in rows],
        "Sample and year": [sample_and_year(r) for r in rows],
        "Source": [cite(source_keys(r["source_keys"])) for r in rows],
        "Use and strength": [ROLE_NAMES.get(r["role"], r["role"])
                             + ("" if is_missing(r["grade"]) else f"; {GRADE_WORDS.get(str(r['grade']), '?')}")
                             for r in rows],
    }
    return table(columns, caption=f"{title}: national evidence", identifier=f"table-{ident}-evidence",
                 align=["left"] * len(columns), raw_columns=["Source"], widths=[36, 14, 20, 16, 14])


def _measure_words(row: dict) -> str:
    """The measure, its group and setting, and its ID: the ``estimate_id`` the downloads use, so a
    reader can find the row in ``evidence.csv`` and ``estimates.csv``."""
    bits = [str(row[c]) for c in ("sex", "age_band") if not is_missing(row.get(c)) and str(row.get(c)) != "all"]
    text = f"{row['measure']}" + (f" ({', '.join(bits)})" if bits else "")
    setting = row.get("setting")
    text = text if is_missing(setting) else f"{text}. {setting}"
    return f"{text} (ID {row['estimate_id']})" if not is_missing(row.get("estimate_id")) else text


#: Who a rate is per, by the setting it was measured in; rates in the reference data are yearly.
RATE_UNITS = {"per_1000": "1,000", "per_100000": "100,000"}


def rate_words(value: float, unit: str, setting_type: object) -> str:
    """A rate with its unit: ``2.0 per 1,000 people on probation a year``."""
    who = "people" if str(setting_type) == "general_population" else (
        "people on probation" if str(setting_type).startswith("probation") else "people in the group studied")
    return f"{float(value):,.1f} per {RATE_UNITS[unit]} {who} a year"


def value_words(row: dict) -> str | None:
    """The figure as published, with its unit and its published interval when there is one, and
    and, for a figure reported only in the press or not found in its original, that it is context."""
    if str(row.get("status")) == "gap":
        return "gap: no figure"
    unit = str(row.get("unit"))
    text = row.get("value_text")
    if unit in RATE_UNITS and not is_missing(row.get("value")):
        text = rate_words(row["value"], unit, row.get("setting_type"))
    elif unit == "ratio" and not is_missing(row.get("value")):
        text = f"{float(row['value']):g} times as high"
    elif is_missing(text) or not str(text).strip():
        if is_missing(row.get("value")):
            return None
        text = percent(row["value"]) if unit == "percent" else count(row["value"])
    text = re.sub(r"^c\.\s*", "about ", str(text))
    # a count with its thousands separator, as everywhere else ("49,881"; in a count's own row, "1,413"
    # too), never a year or a period ("2023-24")
    digits = 4 if unit == "count" else 5
    text = re.sub(rf"(?<![\d.,/–-])(\d{{{digits},}})(?![\d.,]*\d)(?![-/–]\d)", lambda m: f"{int(m.group(1)):,}", text)
    if unit == "percent" and "%" not in text:
        # "7-10" is a range: "7% to 10%"; otherwise the first number is the percentage
        text = re.sub(r"^(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)", r"\1% to \2%", text)
        if "%" not in text:
            text = re.sub(r"(\d+(?:\.\d+)?)", r"\1%", text, count=1)
    if not (is_missing(row.get("ci_lower")) or is_missing(row.get("ci_upper"))):
        level = row.get("ci_level")
        level = "95%" if is_missing(level) else f"{float(level) * 100:g}%" if float(level) < 1 else f"{float(level):g}%"
        text += f" ({level} CI {row['ci_lower']:g} to {row['ci_upper']:g})"
    if str(row.get("status")) == "verify":  # context only (model.headline): say whose figure it is
        text += " (as reported; not used in the estimates)"
    return text


def sample_words(row: dict) -> str | None:
    if not is_missing(row.get("denominator")):
        return f"n = {count(row['denominator'])}"
    note = row.get("sample_size_note")
    return None if is_missing(note) else str(note)
