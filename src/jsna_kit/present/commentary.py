"""The analyst's own words (``load.commentary``) as the chapter shows them: Markdown text, with
nothing that would run or inject markup. Raw HTML and raw format blocks are shown as text, links
and images only to web and mail addresses, headings moved under the chapter's own."""

from __future__ import annotations

import re

from ..load.chapter_data import ChapterData
from .lang import translate

_RAW_FORMAT = re.compile(r"\{=[A-Za-z0-9_-]+\}")
_UNSAFE_LINK = re.compile(r"\]\(\s*(?!https?://|mailto:|#)[^)]*\)")
_HEADING = re.compile(r"^(#{1,4})(?=\s)", re.M)


def safe_markdown(text: str, *, heading_level: int = 3) -> str:
    """``text`` as Markdown that only formats: raw-format markers removed (so a raw HTML or typst
    block shows as code), ``<`` escaped (no HTML element or shortcode survives), links and images
    to anything but http(s), mail or a heading in the page dropped (their words kept), and
    headings moved to ``heading_level`` and below."""
    text = text.replace("\r\n", "\n").replace("\x00", "")
    text = _RAW_FORMAT.sub("", text)
    text = text.replace("<", "&lt;")
    text = _UNSAFE_LINK.sub("]", text)
    shift = heading_level - 1
    return _HEADING.sub(lambda m: "#" * min(len(m.group(1)) + shift, 6), text).strip()


def commentary(data: ChapterData, place: str) -> str:
    """The analyst's text for ``place`` (see ``load.commentary.PLACES``), or empty. A Welsh chapter
    shows the Welsh version (``<place>.cy.md``); without one, the English, marked as English (a
    label in Welsh, and ``lang="en"`` for screen readers)."""
    from ..load.commentary import WELSH

    texts = data.area.get("commentary") or {}
    if data.language == "cy" and (texts.get(place + WELSH) or "").strip():
        return safe_markdown(texts[place + WELSH])
    text = texts.get(place)
    if not (text and text.strip()):
        return ""
    if data.language == "en":
        return safe_markdown(text)
    label = translate(data.language, "*In English: the analyst has not written this part in Welsh.*")
    return f"{label}\n\n::: {{lang=\"en\"}}\n{safe_markdown(text)}\n:::"
