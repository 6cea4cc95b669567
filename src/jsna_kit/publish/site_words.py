"""The site's own words on a Welsh chapter's page (issue 27). Quarto writes the website's title,
navbar and footer (``_quarto.yml``) into every page of the site, in English, and a page cannot
override them; so a Welsh chapter's page gets them in Welsh after Quarto has written it, with the
appendices (``publish.tail``). Only jsna-kit's own words are translated: a site whose
``_quarto.yml`` says something else keeps it as written."""

from __future__ import annotations

import html
import re

from ..messages import N_, translate

#: ``_quarto.yml``'s words as Quarto writes them into a page, and Quarto's own navbar button.
SITE_WORDS = (N_("Health needs of people on probation"), N_("All areas"), N_("National overview"),
              N_("Built with jsna-kit. Figures are estimates from national evidence; see each chapter's methods."),
              N_("Toggle navigation"))


def page_language(page: str) -> str:
    """The language a page says it is in (``<html lang="cy">`` -> ``cy``; English by default)."""
    found = re.search(r'<html\b[^>]*\blang="([A-Za-z]+)', page)
    return found.group(1).lower() if found else "en"


def in_site_language(page: str, language: str) -> str:
    """``page`` with the site's words in ``language`` (unchanged for English)."""
    if language == "en":
        return page
    for english in SITE_WORDS:
        said = html.escape(translate(language, english), quote=False)
        for written in {english, english.replace("'", "\u2019"), html.escape(english, quote=False)}:
            page = page.replace(written, said)
    return page
