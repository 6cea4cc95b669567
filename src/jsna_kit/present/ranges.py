"""The range of a local estimate across national studies, like with like: only studies that
measure the need as the headline does (the same scope and time frame) make the range, counted by
study, not by row; other measures of the need are listed as other measures."""

from __future__ import annotations

from .lang import N_, translate
from .markdown import escape_text
from .numbers import count, in_words
from .sentences import EVIDENCE_WORDS, source_keys


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


def range_across_studies(plotted: list[dict], *, area_name: str, language: str = "en") -> str:
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
        grade = str(r["grade"])
        evidence = translate(language, EVIDENCE_WORDS[grade] if grade in EVIDENCE_WORDS else N_("ungraded evidence"))
        return translate(language, "about {n} ({source}, {evidence})", n=count(r["expected"]),
                         source=escape_text(r["source_label"]), evidence=evidence)

    if len(studies) < 2:
        text = translate(language, "Only one national study measures this need in the same way as the headline "
                                   "figure, so no range across studies can be given.")
    else:
        low = min(alike, key=lambda r: r["expected"])
        high = max(alike, key=lambda r: r["expected"])
        text = translate(language, "Across {n} national studies that measure this need in the same way, the estimate "
                                   "{for_area} ranges from {low} to {high}. The studies differ in who they sampled "
                                   "and how they assessed the need.",
                         n=in_words(len(studies), language=language), low=described(low), high=described(high),
                         for_area=_for_place(language, escape_text(area_name)))
    if others:
        low = min(r["expected"] for r in others)
        high = max(r["expected"] for r in others)
        spread = (translate(language, "about {n}", n=count(low)) if low == high else
                  translate(language, "from about {low} to about {high}", low=count(low), high=count(high)))
        example = _mid_sentence(escape_text(str(others[0]["measure"]).rstrip(".")))
        if len(others) == 1:
            text += " " + translate(language, "Another measure, of a narrower need or another time frame ({example}), "
                                              "gives {spread}; it measures something different from the headline, so "
                                              "it is listed in the appendix.", example=example, spread=spread)
        else:
            text += " " + translate(language, "{n} other measures of a narrower need or another time frame (for "
                                              "example {example}) give {spread}; they measure something different "
                                              "from the headline, so they are listed in the appendix.",
                                    n=in_words(len(others), capital=True, language=language), example=example,
                                    spread=spread)
    return text


def _for_place(language: str, name: str) -> str:
    """"for Cardiff" / "ar gyfer Caerdydd" (no mutation after "ar gyfer")."""
    return f"ar gyfer {name}" if language == "cy" else f"for {name}"


def _mid_sentence(text: str) -> str:
    """A measure's name inside a sentence: its capital dropped, unless it starts an acronym (OASys)."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text
