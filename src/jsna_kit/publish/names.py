"""What an area's chapter and its files are called, and where they go: the slug that names the
executed notebook and the area's folder, the chapter's titles, the output folder and the site
folder rendered pages are written to."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..config import PROJECT_ROOT, reports_dir

#: The output folder's cache: build records, kept results, the bibliography as CSL JSON.
CACHE_DIR_NAME = ".jsna-cache"


def slugify(code: str, name: str) -> str:
    """``E08000019-sheffield``: ASCII, lower case, safe as a file name whatever the area name holds."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    safe_code = re.sub(r"[^A-Za-z0-9]", "", code)
    return f"{safe_code}-{words}" if words else safe_code


def default_out_dir() -> Path:
    return reports_dir()


def in_project(out_dir: Path) -> bool:
    """Whether ``out_dir`` is the Quarto project's own reports folder."""
    return Path(out_dir).resolve() == (PROJECT_ROOT / "reports").resolve()


def site_dir_for(out_dir: Path) -> Path:
    """Where rendered pages go: the project's ``_site`` for the project's reports folder (as
    Quarto's website output); ``_site`` beside the output folder when that is an analyst's
    working folder's own (a folder with a ``jsna-kit.toml``, ``batch.workspace``, and the output
    folder it names, by default its ``reports/``); otherwise ``<out>/_site``."""
    out_dir = Path(out_dir)
    if in_project(out_dir):
        return PROJECT_ROOT / "_site"
    folder = working_folder(out_dir)
    return folder / "_site" if folder is not None else out_dir / "_site"


def working_folder(out_dir: Path) -> Path | None:
    """The analyst's working folder whose own output folder ``out_dir`` is (a folder with a
    ``jsna-kit.toml`` naming it, by default its ``reports/``), or None. Its chapters are rendered
    into its ``_site`` as the project's are into the project's, Quarto included."""
    from ..config import CONFIG_FILE

    parent = Path(out_dir).parent
    if (parent / CONFIG_FILE).is_file() and Path(out_dir).resolve() == reports_dir(cwd=parent).resolve():
        return parent
    return None


def chapter_titles(area_code: str, area_name: str, slug: str | None = None, *, language: str = "en") -> dict:
    """Title, subtitle and description for the chapter's front matter; its nation and the
    assessment it belongs to (``extra``), and, given its ``slug``, links to its PDF and Word file
    from the site's index (``links``), which lists them in columns of their own. ``language``: a
    Welsh chapter ("cy", ``area_name`` its Welsh name) has its titles in Welsh and says its
    language (``lang``), for the page, the PDF and the Word file."""
    from ..present.lang import translate
    from ..present.nation import system_for

    system = system_for(None, area_code)  # a Welsh chapter is part of a population needs assessment
    titles = {"title": translate(language, "Health needs of people on probation: {area}", area=area_name),
              "subtitle": translate(language, system.title),
              "description": translate(language, "{area} ({code}): estimated needs of people on probation across "
                                                 "the seven priority areas.", area=area_name, code=area_code),
              "extra": {"nation": system.nation, "assessment": translate(language, system.assessment_short),
                        **({"lang": language, "toc-title": translate(language, "On this page"),
                            "language": page_words(language),
                            # the fallback's page (templates/chapter.html5): its own few words
                            "also-as": translate(language, "Also as", context="page"),
                            "or-word": translate(language, "or", context="page"),
                            "contents-title": translate(language, "Contents", context="page")}
                           if language != "en" else {})}}
    if slug and re.fullmatch(r"[A-Za-z0-9-]+(\.cy)?", slug):
        titles["links"] = {"downloads": f"[PDF](reports/{slug}.pdf) · [Word](reports/{slug}.docx)"}
    return titles


#: The words Quarto puts on a chapter's page (its own language files have no Welsh): their keys in
#: Quarto's ``_language.yml``, and the English each translates.
PAGE_WORDS = {"toc-title-document": "On this page", "related-formats-title": "Other formats",
              "title-block-published": "Published", "title-block-modified": "Modified",
              "back-to-top": "Back to top", "section-title-references": "References"}


def page_words(language: str) -> dict[str, str]:
    """Quarto's words on a chapter's page in ``language`` (front matter ``language``)."""
    from ..present.lang import translate

    return {key: translate(language, text, context="page") for key, text in PAGE_WORDS.items()}


def welsh_slug(slug: str) -> str:
    """A Welsh area's Welsh chapter, beside its English one: ``W06000002-gwynedd.cy`` (its notebook
    ``.cy.ipynb``, its folder of data and figures ``.cy/``, its pages ``.cy.html`` and so on)."""
    return f"{slug}.cy"
