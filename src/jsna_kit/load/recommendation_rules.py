"""The recommendation rule table (``data/reference/recommendation_rules.csv``, or the researcher's
own copy: ``config.reference_file``): which local finding raises, lowers or rewords which
recommendation. Read and checked here; applied by ``jsna_kit.model.recommendations``.

Every problem is collected, each naming the file, the spreadsheet row (header = row 1), the column,
the value and the fix, and raised as one ``InputFileError``: an unknown action, a rule naming a
recommendation that does not exist (or one for the other nation), a finding key outside the
vocabulary, a weight that is not a number, a reword with no text, a template with an unknown
placeholder, a repeated rule. ``docs/recommendation_rules.md`` is the reviewer's guide.

The vocabulary of findings and placeholders is the model's (``jsna_kit.model.recommendations``:
``FINDING_KINDS``, ``PLACEHOLDERS``); ``load`` imports no other room, so the caller passes it in.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import InputFileError, Problem
from .csv_tables import read_csv_table

RULES_FILE = "recommendation_rules.csv"
RECOMMENDATIONS_FILE = "recommendations.csv"
#: Files whose ``indicator_id`` column lists the indicators a rule may name.
INDICATOR_FILES = ("fingertips_snapshot.csv", "fingertips_indicators.csv", "wales_indicators.csv")
RULE_COLUMNS = ("rule_id", "finding", "applies_to", "action", "weight", "reword_text", "reason_template", "nation",
                "rationale")
#: The file's actions (the model applies the same three: ``model.recommendations.ACTIONS``).
ACTIONS = ("raise", "lower", "reword")
NATIONS = ("England", "Wales", "England and Wales")
#: The value after the colon of a finding key that names an indicator (``model.recommendations.INDICATOR_ID``).
INDICATOR_ID = "indicator_id"
GUIDE = "see docs/recommendation_rules.md"


class _Problems:
    """Problems found in the rule table, each at its spreadsheet row."""

    def __init__(self, path: Path, frame: pd.DataFrame):
        self.path, self.frame, self.found = path, frame, []

    def flag(self, mask, column: str, message: str, fix: str) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            self.found.append(Problem(str(self.path), int(i) + 2, column, self.frame[column].iloc[i], message, fix))

    def each(self, column: str, check) -> None:
        """``check(value, row)`` returns None, or (message, fix)."""
        for i, (value, row) in enumerate(zip(self.frame[column], self.frame.itertuples(index=False), strict=True)):
            found = check(value, row)
            if found:
                self.found.append(Problem(str(self.path), i + 2, column, value, *found))


def load_recommendation_rules(recommendations: pd.DataFrame | None = None, *, finding_kinds: Mapping[str, object],
                              placeholders: Iterable[str], path: str | Path | None = None,
                              known_indicators: Iterable[str | int] | None = None) -> pd.DataFrame:
    """The rule table, checked against ``recommendations`` (default: the reference
    ``recommendations.csv``; it needs ``recommendation_id`` and ``nation``), the vocabulary of
    findings (``finding_kinds``: stem -> None, a tuple of allowed suffixes, or ``"indicator_id"``)
    and ``placeholders``. ``known_indicators`` (default: the ids in ``INDICATOR_FILES``) are the
    indicator ids a finding key may name. Returns the table with its text stripped and ``weight``
    a float; raises one ``InputFileError`` listing every problem."""
    path = Path(path) if path is not None else config.reference_file(RULES_FILE)
    frame = _read(path)
    nations = _recommendation_nations(recommendations)
    indicators = {str(i) for i in known_indicators} if known_indicators is not None else _known_indicators()
    placeholders = tuple(placeholders)
    fix_finding = f"use a finding key of the vocabulary ({', '.join(finding_kinds)}); {GUIDE}"

    p = _Problems(path, frame)
    p.flag(frame["rule_id"] == "", "rule_id", "is blank", "give every rule an id, e.g. R42")
    p.flag(frame["rule_id"].duplicated() & (frame["rule_id"] != ""), "rule_id", "repeats another rule's id",
           "give each rule its own id")
    p.each("finding", lambda value, _: _finding_problem(value, finding_kinds, indicators, fix_finding))
    p.each("applies_to", lambda value, row: _target_problem(value, row.nation, nations))
    p.flag(~frame["action"].isin(ACTIONS), "action", f"is not one of {', '.join(ACTIONS)}",
           "write raise, lower or reword")
    weight = pd.to_numeric(frame["weight"], errors="coerce")
    p.flag(weight.isna(), "weight", "is not a number", "write the points as a number, e.g. 20")
    p.flag(weight < 0, "weight", "is below 0", "write the points as a positive number: the action says whether "
           "they are added (raise, reword) or taken away (lower)")
    p.flag((weight == 0) & frame["action"].isin(("raise", "lower")), "weight", "is 0, so the rule would do nothing",
           "give it points, or make it a reword")
    reword = frame["action"] == "reword"
    p.flag(reword & (frame["reword_text"] == ""), "reword_text", "is blank, but the rule rewords the recommendation",
           "write the recommendation as it should read, with placeholders such as {area}")
    p.flag(frame["action"].isin(("raise", "lower")) & (frame["reword_text"] != ""), "reword_text",
           "is given, but the rule does not reword, so the text would never be used",
           "clear the cell, or make the action reword")
    p.flag((frame["action"] == "raise") & (frame["reason_template"] == ""), "reason_template",
           "is blank, but a raised recommendation needs the reason a reader sees",
           "write a short clause, e.g. because deaths from drug misuse here are {pct_diff}% above {comparator}'s")
    for column in ("reason_template", "reword_text"):
        p.each(column, lambda value, _: _template_problem(value, placeholders))
    for column in ("reason_template_cy", "reword_text_cy"):  # a Welsh chapter's (issue 27)
        if column in frame.columns:
            english = column.removesuffix("_cy")
            p.each(column, lambda value, row, english=english: _template_problem(value, placeholders)
                   or _same_placeholders(value, getattr(row, english)))
    p.flag(~frame["nation"].isin(NATIONS), "nation", f"is not one of {', '.join(NATIONS)}",
           "write England, Wales, or England and Wales")
    p.flag(frame["rationale"] == "", "rationale", "is blank",
           "say why the finding should move the recommendation, with a source key where there is one")
    repeated = frame.duplicated(["finding", "applies_to", "action"]) & (frame["finding"] != "")
    p.flag(repeated, "finding", "repeats a rule already given for this finding, recommendation and action",
           "merge the two rules into one")
    if p.found:
        raise InputFileError(sorted(p.found, key=lambda problem: (problem.row or 0, problem.column or "")))
    return frame.assign(weight=weight.astype(float)).reset_index(drop=True)


def _read(path: Path) -> pd.DataFrame:
    fix = f"restore {RULES_FILE} from the project's data/reference folder, or give your own ({GUIDE})"
    frame = read_csv_table(path, what="the recommendation rule table", fix=fix)
    missing = [c for c in RULE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputFileError([Problem(str(path), 1, c, None, "a required column is missing",
                                      f"add a column headed '{c}' ({GUIDE})") for c in missing])
    return frame


def _recommendation_nations(recommendations: pd.DataFrame | None) -> dict[str, str]:
    """Each recommendation's nation by id (a problem in the ids themselves is the recommendations file's)."""
    path = config.reference_file(RECOMMENDATIONS_FILE)
    if recommendations is None:
        try:
            recommendations = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputFileError.single(path, f"cannot be read as CSV ({exc})",
                                        fix="restore recommendations.csv from the project's data/reference folder") \
                from None
    if "recommendation_id" not in recommendations.columns:
        raise InputFileError.single(path, "a required column is missing", row=1, column="recommendation_id",
                                    fix="add a column headed 'recommendation_id' with an id for each row, "
                                        "e.g. REC-MH-01")
    ids = recommendations["recommendation_id"].fillna("").astype(str).str.strip()
    bad = (ids == "") | ids.duplicated(keep=False)
    if bad.any():
        raise InputFileError([Problem(str(path), int(i) + 2, "recommendation_id", ids.iloc[i],
                                      "is blank or repeated, so a rule could not say which recommendation it means",
                                      "give each recommendation its own id")
                              for i in np.flatnonzero(bad.to_numpy())])
    return dict(zip(ids, recommendations["nation"].fillna("").astype(str).str.strip(), strict=True))


def _known_indicators() -> set[str]:
    ids: set[str] = set()
    for name in INDICATOR_FILES:
        try:
            ids |= set(pd.read_csv(config.reference_file(name), dtype=str, keep_default_na=False,
                                   usecols=["indicator_id"])["indicator_id"])
        except (OSError, ValueError):  # a file not there (yet): its indicators are not known
            continue
    return {i.strip() for i in ids} - {""}


def _finding_problem(key: str, kinds: Mapping[str, object], indicators: set[str], fix: str) -> tuple | None:
    if key == "":
        return "is blank", fix
    stem, colon, suffix = key.partition(":")
    if stem not in kinds:
        return "is not a finding of the vocabulary", fix
    allowed = kinds[stem]
    if allowed is None:
        return ("takes nothing after its name", f"write {stem} alone") if colon else None
    if not suffix:
        what = "an indicator id" if allowed == INDICATOR_ID else f"one of {', '.join(allowed)}"
        return f"needs ':' and {what} after its name", f"write e.g. {stem}:{_example(allowed)}"
    if allowed == INDICATOR_ID:
        if not suffix.isdigit():
            return "names an indicator id that is not a number", f"write e.g. {stem}:92432"
        if indicators and suffix not in indicators:
            return ("names an indicator jsna-kit does not know",
                    f"use an indicator id of {', '.join(INDICATOR_FILES)}")
        return None
    if suffix not in allowed:
        return f"ends in '{suffix}', which is not one of {', '.join(allowed)}", f"write e.g. {stem}:{_example(allowed)}"
    return None


def _example(allowed: object) -> str:
    return "92432" if allowed == INDICATOR_ID else str(tuple(allowed)[0])


def _target_problem(target: str, rule_nation: str, nations: dict[str, str]) -> tuple | None:
    if target not in nations:
        return ("is not a recommendation_id of recommendations.csv",
                "use the id in the recommendation_id column of recommendations.csv, e.g. REC-MH-01")
    shown = nations[target]
    if {rule_nation, shown} == {"England", "Wales"}:
        return (f"is a recommendation for {shown}, but the rule is for {rule_nation}, so it could never act",
                "point the rule at the other nation's counterpart, or correct its nation")
    return None


def _same_placeholders(welsh: str, english: str) -> tuple | None:
    """A Welsh template must put in what the English does: no more, no less."""
    if welsh == "" or english == "":
        return None
    ours, theirs = (sorted({n for _, n, _, _ in string.Formatter().parse(t) if n}) for t in (welsh, english))
    if ours != theirs:
        return (f"has the placeholders {', '.join(ours) or 'none'}, but the English has "
                f"{', '.join(theirs) or 'none'}", "use the same {names} as the English, in the order Welsh needs")
    return None


def _template_problem(template: str, placeholders: tuple[str, ...]) -> tuple | None:
    if template == "":
        return None
    fix = f"use only {', '.join('{' + p + '}' for p in placeholders)}; write {{{{ or }}}} for a brace itself"
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError:
        return "has an unmatched { or }", fix
    unknown = [name or "{}" for name, _, _ in fields if name not in placeholders]
    if unknown:
        return f"has the unknown placeholder(s) {', '.join(unknown)}", fix
    if any(spec or conversion for _, spec, conversion in fields):
        return "formats a placeholder itself (after ':' or '!'), which jsna-kit does", fix
    return None
