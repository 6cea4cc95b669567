"""One recommendation as a chapter prints it: its owner by name, what to do, why it comes first
here (the local finding that raised it, or the strategy objective it serves) and its measure of
progress, in the chapter's language."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from .cymraeg import mutate
from .lang import translate
from .markdown import escape_text
from .numbers import is_missing


def standing_reason(row: dict, language: str) -> str:
    """Why a recommendation no finding raised is first: its objective (``model.recommendations.BASE_REASON``)."""
    objective = "" if is_missing(row.get("strategy_objective")) else str(row["strategy_objective"]).strip().rstrip(".")
    if not objective:
        return translate(language, "it is a national priority for every area")
    objective = objective[0].lower() + objective[1:] if objective[1:2].islower() else objective
    return translate(language, "the national strategy asks every area to {objective}",
                     objective=mutate(objective, "soft") if language == "cy" else objective)  # "i bob ardal gryfhau"


def recommendation_line(row: dict, data: ChapterData | None = None, *, with_measure: bool = True,
                        with_reason: bool = False, language: str = "en") -> str:
    """``**Owner:** what to do. *Measure of progress:* ...`` (the measure left to the priority
    area's section when ``with_measure`` is false, as in the summary). With ``data``, the owner
    is this area's body by name (``bodies.owner_name``); with ``with_reason``, the local finding
    that raised the recommendation follows the owner, in a short clause."""
    from .bodies import owner_name

    language = data.language if data is not None else language
    owner = row.get("owner") if not is_missing(row.get("owner")) else row.get("audience")
    named = owner_name(data, owner) if data is not None else escape_text(str(owner)[:1].upper() + str(owner)[1:])
    words = row.get("text") if not is_missing(row.get("text")) and str(row.get("text")).strip() else \
        row["recommendation"]
    text = f"**{named}:** {escape_text(words)}"
    reason = str(row.get("reason") or "").strip() if not is_missing(row.get("reason")) else ""
    if with_reason and reason:
        reason = reason.removeprefix("because ").rstrip(".")
        raised = not is_missing(row.get("finding")) and str(row.get("finding")).strip()
        if not raised and "finding" in row:  # no local finding raised it: say so
            if language != "en":  # the build's reason is English: said again from the (Welsh) objective
                reason = standing_reason(row, language)
            reason = translate(language, "no local finding raised it; it is a standing priority: {reason}",
                               reason=reason)
        text += " " + translate(language, "*Why:* {reason}.", reason=escape_text(reason[:1].upper() + reason[1:]))
    if with_measure and not is_missing(row.get("measure")) and str(row.get("measure")).strip():
        text += " " + translate(language, "*Measure of progress:* {measure}", measure=escape_text(row["measure"]))
    return text
