"""A Welsh chapter's reference text (issue 27): each reader-facing column of a reference table has
its Welsh beside it in the file (``role_cy`` beside ``role``), written, never machine-translated.

``in_language`` gives a table as a chapter in that language prints it: for Welsh, each text column
of every row the chapter may print replaced by its Welsh, the English kept beside it as
``<column>_en`` for code that recognises a row by its English words (never printed). A row the
chapter may print without the Welsh it needs fails the build, naming the file, the row and the
Welsh column, so a Welsh chapter never shows an English sentence from the reference data by
accident. England-only rows are never printed in a Welsh chapter and need no Welsh.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import InputFileError, Problem
from .reference import FILES, KEYS, WELSH_SUFFIX

#: The columns of each table a reader sees, each with a Welsh column beside it in the file.
TEXT_COLUMNS = {
    "commissioning": ("organisation", "role", "note"),
    "pathways": ("name", "what_it_is", "who_commissions"),
    "policy": ("topic", "statement"),
    "recommendations": ("recommendation", "text", "strategy_objective", "owner", "measure"),
    "estimates": ("measure", "finding_phrase", "setting", "value_text", "sample_size_note", "quality_note",
                  "grade_reason"),
}
#: A chapter bundle's name for a reference column (an area's recommendations.csv says "text").
SAME_AS = {"text": "recommendation"}
#: The nations whose rows a Welsh chapter prints.
WELSH_ROWS = ("Wales", "England and Wales")
LANGUAGES = ("en", "cy")


def in_language(frame: pd.DataFrame, table: str, language: str, welsh: dict[str, pd.DataFrame],
                *, directory=None) -> pd.DataFrame:
    """``frame`` (a reference table, or a chapter bundle's table of the same rows) as a chapter in
    ``language`` prints it. ``welsh``: ``ReferenceData.welsh``. Raises ``InputFileError`` naming
    each row the chapter may print whose Welsh is missing."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    if language == "en" or frame is None or frame.empty:
        return frame
    keys, columns = KEYS[table], [c for c in TEXT_COLUMNS[table] if c in frame.columns]
    path = str(directory / FILES[table]) if directory is not None else FILES[table]
    texts = welsh.get(table)
    lookup = {} if texts is None else {tuple(r[k] for k in keys): r for r in texts.to_dict("records")}
    printed = frame["nation"].isin(WELSH_ROWS) if "nation" in frame.columns else pd.Series(True, index=frame.index)
    out = frame.copy()
    for column in columns:
        out[column + "_en"] = frame[column]
    problems: list[Problem] = []
    for index in frame.index[printed.to_numpy()]:
        row = frame.loc[index]
        key = tuple(row[k] for k in keys)
        found = lookup.get(key, {})
        for column in columns:
            english = row[column]
            if pd.isna(english) or not str(english).strip():
                continue
            beside = SAME_AS.get(column, column) + WELSH_SUFFIX
            text = str(found.get(beside) or "").strip()
            if not text:
                problems.append(Problem(path, found.get("_row"), beside,
                                        f"{' / '.join(map(str, key))}: {str(english)[:60]}",
                                        "has no Welsh text, and a Welsh chapter prints this row",
                                        f"write the Welsh in {beside}, beside the English"))
                continue
            out.at[index, column] = text
    if problems:
        raise InputFileError(problems)
    return out


#: What the build writes in English into an area's data that a chapter prints, and the evidence's
#: years in words, translated from the catalogue (``locale/cy/indicators.po``) as a Welsh chapter
#: reads them: table -> column -> the messages' context.
GENERATED = {
    "context": {"indicator_name": "indicator"},
    "neighbours": {"indicator_name": "indicator"},
    "estimates": {"adjustment_indicator": "indicator", "adjustment_reason": "adjustment reason", "year": "year"},
}


def generated_in_language(frame: pd.DataFrame | None, table: str, language: str) -> pd.DataFrame | None:
    """``frame`` (a table of the chapter's data bundle) with the text the build wrote in English
    in ``language``; a text without its translation stops the build, naming it."""
    from ..messages import translate

    if language == "en" or frame is None or frame.empty:
        return frame
    out = frame.copy()
    if table == "recommendations" and "reason_cy" in out.columns:
        out = _written_in_welsh(out)
    for column, context in GENERATED.get(table, {}).items():
        if column in out.columns:
            # a year that is only figures ("2019", "2015-16") is the same in every language
            out[column] = [value if pd.isna(value) or not re.search(r"[^\W\d_]", str(value))
                           else translate(language, str(value), context=context) for value in out[column]]
    return out


def _written_in_welsh(frame: pd.DataFrame) -> pd.DataFrame:
    """An area's recommendations with the build's Welsh (``reason_cy``, ``text_cy``: the rules'
    Welsh templates filled in) in place of its English. A recommendation a local finding raised
    whose rule has no Welsh reason stops the build, naming the rule table's column and the finding."""
    def blank(column: str) -> pd.Series:
        return frame[column].fillna("").astype(str).str.strip() if column in frame.columns else \
            pd.Series("", index=frame.index)

    out = frame.copy()
    raised = blank("finding") != ""
    missing = raised & (blank("reason_cy") == "")
    if missing.any():
        raise InputFileError([Problem("recommendation_rules.csv", None, "reason_template_cy",
                                      f"{row.finding} -> {row.recommendation_id}",
                                      "has no Welsh reason, and a Welsh chapter prints this recommendation's reason",
                                      "write the Welsh in reason_template_cy, beside the English, with the same "
                                      "placeholders") for row in frame[missing].itertuples()])
    out["reason_en"] = frame["reason"]
    out.loc[raised, "reason"] = blank("reason_cy")[raised]
    reworded = blank("text_cy") != ""
    out.loc[reworded, "text"] = blank("text_cy")[reworded]
    return out


def area_in_language(area: dict, language: str) -> dict:
    """The area's ``chapter.json`` with the note on where its local figures came from in ``language``."""
    from ..messages import translate

    if language == "en" or not area.get("context_note"):
        return area
    return {**area, "context_note": translate(language, area["context_note"], context="data note")}
