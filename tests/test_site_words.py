"""A Welsh chapter's page under Quarto (issue 27): the site's own words (its title, navbar and
footer, which Quarto writes into every page in English) in Welsh, and the appendices' citations
worded as a Welsh page words them; an English page is left exactly as Quarto wrote it."""

from __future__ import annotations

from jsna_kit.config import reference_dir
from jsna_kit.publish.site_words import SITE_WORDS, in_site_language, page_language
from jsna_kit.publish.tail import fill_tail_in, render_tail

#: The site's words as Quarto 1.7 writes them (from a page it rendered), the footer's apostrophe curled.
QUARTO_PAGE = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="cy" xml:lang="cy"><head>
<title>Anghenion iechyd pobl ar brawf: Caerdydd – Health needs of people on probation</title></head><body>
<button class="navbar-toggler" aria-label="Toggle navigation"></button>
<span class="navbar-title">Health needs of people on probation</span>
<span class="menu-text">All areas</span> <span class="menu-text">National overview</span>
<main>Pob ardal</main>
<div class="nav-footer-center">
<p>Built with jsna-kit. Figures are estimates from national evidence; see each chapter\u2019s methods.</p>
</div></body></html>"""


def test_a_welsh_page_says_the_sites_words_in_welsh():
    assert page_language(QUARTO_PAGE) == "cy" and page_language("<html lang=\"en-GB\">") == "en"
    welsh = in_site_language(QUARTO_PAGE, "cy")
    assert "<title>Anghenion iechyd pobl ar brawf: Caerdydd – Anghenion iechyd pobl ar brawf</title>" in welsh
    assert 'aria-label="Dangos neu guddio\'r llywio"' in welsh
    assert '<span class="menu-text">Pob ardal</span> <span class="menu-text">Trosolwg cenedlaethol</span>' in welsh
    assert "<p>Lluniwyd gyda jsna-kit. Amcangyfrifon o dystiolaeth genedlaethol yw'r ffigurau; gweler adran " \
           "dulliau pob pennod.</p>" in welsh
    assert not any(english in welsh for english in SITE_WORDS)
    assert in_site_language(QUARTO_PAGE, "en") == QUARTO_PAGE


def test_a_welsh_page_quarto_wrote_gets_its_appendices_and_the_sites_words_in_welsh(tmp_path):
    page = tmp_path / "W06000015-cardiff.cy.html"
    page.write_text(QUARTO_PAGE.replace("<main>Pob ardal</main>", '<main><div id="jsna-tail-0"></div></main>'),
                    encoding="utf-8")
    fill_tail_in(page, "", ["Gweler [@FAZEL2002]."], bibliography=reference_dir() / "sources.json")
    text = page.read_text(encoding="utf-8")
    assert "jsna-tail" not in text and "Fazel a Danesh" in text and "Pob ardal" in text
    assert not any(english in text for english in SITE_WORDS)


def test_a_welsh_pages_appendices_cite_as_welsh_does():
    """Two authors are joined by "a" in a Welsh chapter's appendices, as in its main text (the
    citation style's Welsh terms), and by "and" in an English one."""
    bibliography = reference_dir() / "sources.json"
    welsh = render_tail("", ["Gweler [@FAZEL2002]."], bibliography=bibliography, name="x", language="cy")[0]
    english = render_tail("", ["See [@FAZEL2002]."], bibliography=bibliography, name="x")[0]
    assert "Fazel a Danesh" in welsh and "Fazel and Danesh" in english
