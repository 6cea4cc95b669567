"""A chapter, page or site built from a researcher's own reference data says so first: it is a
scenario, not the published estimates, and it names the national figures it changes."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from .lang import N_, translate
from .markdown import escape_text
from .sentences import listed


def scenario_notice(data: ChapterData) -> str:
    """For a chapter built from a researcher's own reference data: that it is a scenario, not the
    published estimates, and what it changes; "" otherwise. The first thing the summary says."""
    scenario = data.area.get("scenario") or {}
    if not scenario:
        return ""
    changed = scenario.get("estimates") or []
    rows = {r["estimate_id"]: r for r in data.rows("evidence")}
    named = [f"{rows[i]['measure']} ({i})" if i in rows else i for i in changed]
    return scenario_words(scenario.get("files") or [], named, what="chapter", language=data.language)


#: What a scenario notice is printed on, as the subject of its sentence.
SCENARIO_WHAT = {"chapter": N_("This chapter"), "page": N_("This page"), "site": N_("This site")}


def scenario_words(files: list[str], changed: list[str], *, what: str, language: str = "en") -> str:
    """That a ``what`` ("chapter", "page", "site") was built from a researcher's own reference
    ``files``, changing the national figures ``changed`` (each named with its id), not the published
    ones."""
    values = dict(n=len(changed), changed=listed([escape_text(c) for c in changed], language=language) if changed
                  else "")
    listed_changes = ("" if not changed else
                      translate(language, "It changes {n} national figure: {changed}.", **values) + " "
                      if len(changed) == 1 else
                      translate(language, "It changes {n} national figures: {changed}.", **values) + " ")
    this = translate(language, SCENARIO_WHAT[what]) if what in SCENARIO_WHAT else f"This {what}"
    return translate(language, "**A scenario, not the published estimates.** {this} was built from a researcher's "
                               "own evidence ({files}), not from the published national figures alone. "
                               "{changes}Every estimate that follows from these differs from the published chapters, "
                               "and the figures are credited to the researcher's own evidence, not to the studies "
                               "they replace.",
                     this=this, files=listed([escape_text(f) for f in files], language=language),
                     changes=listed_changes)
