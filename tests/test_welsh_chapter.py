"""A Welsh area's Welsh chapter (issue 27), end to end: ``jsna-kit build --area Gwynedd`` (the
Welsh chapter is the default for a Welsh area) writes the English and the Welsh chapter, each in
HTML, PDF and Word, linked both ways; the Welsh one says its language in every format, is Welsh
(English function words under 3% of its words before the reference list) and passes the spelling
check; the English one (built with --no-welsh) is unchanged but for its link to the Welsh."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from accessible_formats import docx_problems, pdf_problems
from conftest import REPO_ROOT

pytestmark = pytest.mark.e2e
SLUG = "W06000002-gwynedd"
FUNCTION_WORDS = {"the", "and", "of", "to", "for", "with", "that", "this", "people"}


def build(out: Path, *flags: str) -> None:
    done = subprocess.run([sys.executable, "-c", "from jsna_kit.cli import main; main()", "build", "--area",
                           "Gwynedd", "--out", str(out), *flags], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=900, env={**__import__("os").environ, "PATH": _path_without_quarto()})
    assert done.returncode == 0, done.stdout + done.stderr


def _path_without_quarto() -> str:
    import os
    import shutil

    quarto = shutil.which("quarto")
    keep = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not quarto or Path(p) != Path(quarto).parent]
    return os.pathsep.join(keep)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("welsh") / "reports"
    build(out)
    return out / "_site" / "reports"


def page_text(path: Path, *, welsh_only: bool = False) -> str:
    """The page's main text; ``welsh_only``: without what is rightly not Welsh (the link to the English
    chapter, marked lang="en"; citations, which name works and authors in their own language)."""
    html = path.read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, flags=re.S).group(0)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    if welsh_only:
        main = re.sub(r'<(a|span)\b[^>]*\blang="en"[^>]*>.*?</\1>', " ", main, flags=re.S)
        main = re.sub(r'<span class="citation"[^>]*>.*?</span>\s*(?=[^<]*<)', " ", main, flags=re.S)
        main = re.sub(r'<a\b[^>]*role="doc-biblioref"[^>]*>.*?</a>', " ", main, flags=re.S)
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_both_chapters_in_every_format_linked_both_ways(site):
    for slug in (SLUG, f"{SLUG}.cy"):
        for suffix in ("html", "pdf", "docx"):
            assert (site / f"{slug}.{suffix}").stat().st_size > 10_000, (slug, suffix)
    english, welsh = ((site / f"{s}.html").read_text(encoding="utf-8") for s in (SLUG, f"{SLUG}.cy"))
    assert f'href="{SLUG}.cy.html"' in english and 'hreflang="cy"' in english
    assert f'href="{SLUG}.html"' in welsh and 'hreflang="en"' in welsh
    assert re.search(r'<html[^>]* lang="cy"', welsh) and re.search(r'<html[^>]* lang="en-GB"', english)


def test_the_welsh_pdf_and_word_file_say_they_are_welsh_and_stay_accessible(site):
    assert pdf_problems(site / f"{SLUG}.cy.pdf", language="cy") == []
    from pypdf import PdfReader

    assert PdfReader(site / f"{SLUG}.cy.pdf").trailer["/Root"]["/Lang"] == "cy-GB"  # was "cy-US"
    assert docx_problems(site / f"{SLUG}.cy.docx") == []
    with zipfile.ZipFile(site / f"{SLUG}.cy.docx") as docx:
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert re.search(r'<w:lang [^>]*w:val="cy"', styles)


def test_the_welsh_chapter_is_welsh_before_its_reference_list(site):
    text = page_text(site / f"{SLUG}.cy.html")
    body = text.split("Cyfeiriadau")[0]
    assert "Heb ei adolygu eto" in body[:3000]  # the review notice, on the first screen
    body = re.sub(r"\([^()]*\d{4}[a-z]?\)", " ", body)  # citations: authors' names and years
    words = re.findall(r"[^\W\d_]+", body.lower())
    english = [w for w in words if w in FUNCTION_WORDS]
    assert len(english) / len(words) < 0.03, (len(english), len(words), english[:40])


def test_the_welsh_chapter_passes_the_spelling_check(site):
    from jsna_kit.publish.spelling import NoDictionary, aspell, unknown_welsh_words

    try:
        aspell()
    except NoDictionary as exc:
        pytest.skip(str(exc))
    body = page_text(site / f"{SLUG}.cy.html", welsh_only=True).split("Cyfeiriadau")[0]
    body = re.sub(r"\(rhif adnabod [A-Z]{2}\d+\)", " ", body)  # a figure's id in the downloads
    body = re.sub(r"[A-Z][\w'-]+ et al\. \d{4}", " ", body)  # a study named in a sentence: its authors
    assert unknown_welsh_words(body) == []


def test_the_reasons_local_findings_give_for_recommendations_are_welsh(site):
    body = page_text(site / f"{SLUG}.cy.html", welsh_only=True).split("Cyfeiriadau")[0]
    reasons = re.findall(r"Pam: (?!Ni chodwyd)(.*?\.)(?=\s|$)", body)
    assert reasons and not any(re.search(r"\b(the|than|here|people|more)\b", r) for r in reasons), reasons


def test_the_english_chapter_is_unchanged_but_for_its_link(site, tmp_path):
    out = tmp_path / "reports"
    build(out, "--no-welsh")
    assert not (out / f"{SLUG}.cy.ipynb").exists()
    alone = page_text(out / "_site" / "reports" / f"{SLUG}.html")
    beside = page_text(site / f"{SLUG}.html")
    assert beside.replace("Darllenwch y bennod hon yn Gymraeg", "", 1).split() == alone.split()


def test_acronyms_are_spelled_out_in_welsh_at_their_first_use(site):
    """Every section spells an acronym out in the chapter's language ("OASys (System Asesu
    Troseddwyr)"), never in the English glossary's words; a survey's own name may stay as it is."""
    from jsna_kit.present.glossary import GLOSSARY, glossary_entries

    body = page_text(site / f"{SLUG}.cy.html", welsh_only=True).split("Cyfeiriadau")[0]
    welsh = glossary_entries("cy")
    english = [spelled for term, (spelled, _) in GLOSSARY.items()
               if spelled and welsh[term][1] != spelled and f"({spelled})" in body]
    assert english == []
