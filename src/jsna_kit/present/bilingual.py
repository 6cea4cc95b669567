"""What a Welsh area's two chapters say of each other, on their first screen (issue 27): each links
the other ("Cymraeg" / "English"), and the Welsh one says, until a Welsh speaker has reviewed the
catalogue, that its Welsh text is generated and should be reviewed before publication.

A Welsh area's chapters are ``<slug>.ipynb`` (English) and ``<slug>.cy.ipynb`` (Welsh), each with
its own folder of data and figures beside it (``<slug>/``, ``<slug>.cy/``); each is told the other's
page (``data.other_chapter``) only when both are built, so an English chapter built alone links
nothing."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from .lang import catalogue, translate
from .markdown import MarkdownBlock


def other_language(data: ChapterData) -> tuple[str, str] | None:
    """The chapter in the other language: (that language, its page's file name); None where there
    is none."""
    if not data.other_chapter:
        return None
    return ("en" if data.language == "cy" else "cy"), data.other_chapter


def first_screen(data: ChapterData) -> MarkdownBlock:
    """The link to the other language's chapter, and the Welsh chapter's review notice; empty for an
    English area's chapter."""
    parts = []
    other = other_language(data)
    if other is not None:
        language, page = other
        # Each link is in the language it leads to, and says so (lang), for screen readers.
        parts.append(f'[Darllenwch y bennod hon yn Gymraeg]({page}){{lang="cy" hreflang="cy"}}' if language == "cy"
                     else f'[Read this chapter in English]({page}){{lang="en" hreflang="en"}}')
    if data.language == "cy" and not catalogue("cy").reviewed:
        parts.append(translate(
            "cy", "**Not yet reviewed.** This chapter's Welsh text was put together by jsna-kit from written "
                  "translations that a Welsh-language translator has not yet reviewed: have it reviewed before "
                  "publication."))
    return MarkdownBlock("\n\n".join(parts))


def references(data: ChapterData) -> MarkdownBlock:
    """The reference list's heading ("References", "Cyfeiriadau") and the place citeproc fills.
    The works keep their own titles, in their own language."""
    heading = translate(data.language, "References", context="heading")
    return MarkdownBlock(f"## {heading} {{#sec-references}}\n\n::: {{#refs}}\n:::")
