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


def chapter_titles(area_code: str, area_name: str, slug: str | None = None) -> dict:
    """Title, subtitle and description for the chapter's front matter; its nation and the
    assessment it belongs to (``extra``), and, given its ``slug``, links to its PDF and Word file
    from the site's index (``links``), which lists them in columns of their own."""
    from ..present.nation import system_for

    system = system_for(None, area_code)  # a Welsh chapter is part of a population needs assessment
    titles = {"title": f"Health needs of people on probation: {area_name}", "subtitle": system.title,
              "description": f"{area_name} ({area_code}): estimated needs of people on probation "
                             "across the seven priority areas.",
              "extra": {"nation": system.nation, "assessment": system.assessment_short}}
    if slug and re.fullmatch(r"[A-Za-z0-9-]+", slug):
        titles["links"] = {"downloads": f"[PDF](reports/{slug}.pdf) · [Word](reports/{slug}.docx)"}
    return titles
