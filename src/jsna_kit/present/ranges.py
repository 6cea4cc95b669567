"""The range of a local estimate across national studies, like with like: only studies that
measure the need as the headline does (the same scope and time frame) make the range, counted by
study, not by row; other measures of the need are listed as other measures."""

from __future__ import annotations

from .markdown import escape_text
from .numbers import count, in_words
from .sentences import GRADE_WORDS, source_keys


def comparable(row: dict, headline: dict) -> bool:
    """Whether ``row`` measures the need as the headline does: the same scope (overall need, or
    the very same specific measure) and the same time frame (current, past month, past year,
    lifetime)."""
    if str(row.get("time_frame")) != str(headline.get("time_frame")):
        return False
    if str(headline.get("measure_scope")) == "overall":
        return str(row.get("measure_scope")) == "overall"
    return str(row.get("measure")) == str(headline.get("measure"))


def _study(row: dict) -> str:
    keys = source_keys(row.get("source_keys"))
    return keys[0] if keys else str(row["estimate_id"])


def range_across_studies(plotted: list[dict], *, area_name: str) -> str:
    """The range across national studies of the same measure, counted by study; other measures
    of the need listed as such, never folded into the range."""
    sources = [r for r in plotted if r["role"] in ("headline", "alternative")]
    head = [r for r in sources if r["role"] == "headline"]
    if not head:
        return ""
    alike = [r for r in sources if comparable(r, head[0])]
    others = [r for r in sources if not comparable(r, head[0])]
    studies = {_study(r) for r in alike}

    def described(r: dict) -> str:
        return (f"about {count(r['expected'])} ({escape_text(r['source_label'])}, "
                f"{GRADE_WORDS.get(str(r['grade']), 'ungraded')} evidence)")

    if len(studies) < 2:
        text = ("Only one national study measures this need in the same way as the headline figure, so no "
                "range across studies can be given.")
    else:
        low = min(alike, key=lambda r: r["expected"])
        high = max(alike, key=lambda r: r["expected"])
        text = (f"Across {in_words(len(studies))} national studies that measure this need in the same way, "
                f"the estimate for {escape_text(area_name)} ranges from {described(low)} to {described(high)}. "
                "The studies differ in who they sampled and how they assessed the need.")
    if others:
        low = min(r["expected"] for r in others)
        high = max(r["expected"] for r in others)
        spread = f"about {count(low)}" if low == high else f"from about {count(low)} to about {count(high)}"
        example = _mid_sentence(escape_text(str(others[0]["measure"]).rstrip(".")))
        if len(others) == 1:
            text += (f" Another measure, of a narrower need or another time frame ({example}), gives {spread}; "
                     "it measures something different from the headline, so it is listed in the appendix.")
        else:
            text += (f" {in_words(len(others), capital=True)} other measures of a narrower need or another time "
                     f"frame (for example {example}) give {spread}; they measure something different from the "
                     "headline, so they are listed in the appendix.")
    return text


def _mid_sentence(text: str) -> str:
    """A measure's name inside a sentence: its capital dropped, unless it starts an acronym (OASys)."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text
