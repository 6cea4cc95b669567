"""Turn an executed chapter notebook into one Markdown document, the way Quarto does internally:
front matter first, Markdown cells as written, code hidden, ``text/markdown`` outputs inline,
images written next to the document. The pandoc fallback renderer reads the result, and so does
Quarto (publish.quarto): the chapter's code is hidden, so Quarto would only spend time taking its
cells apart (about a sixth of a chapter's render)."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat


def read_chapter(notebook: Path):
    """The executed chapter; one that cannot be read (truncated, damaged) is named, not a traceback."""
    from ..errors import BuildError

    try:
        return nbformat.read(notebook, as_version=4)
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        raise BuildError(Path(notebook).stem, f"the executed chapter {notebook} is damaged and cannot be read "
                         f"({type(exc).__name__}); build it again with `jsna-kit build ... --force`") from None


def notebook_to_markdown(notebook: Path, image_dir: Path | None = None, *, date_in_words: bool = True) -> str:
    """The chapter as Markdown. ``date_in_words``: the front matter's date written "2 December
    2026" (for pandoc; Quarto writes it so itself, from _quarto.yml's date-format)."""
    front, body = notebook_parts(notebook, image_dir, date_in_words=date_in_words)
    return "\n\n".join(p for p in (front, body) if p) + "\n"


def notebook_parts(notebook: Path, image_dir: Path | None = None, *, date_in_words: bool = True) -> tuple[str, str]:
    """The chapter's front matter ("" if none) and its body as Markdown, as ``notebook_to_markdown``
    joins them."""
    nb = read_chapter(notebook)
    image_dir = image_dir or notebook.parent / (notebook.stem + "_files")
    fronts: list[str] = []
    parts: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "raw":
            if cell.source.lstrip().startswith("---"):
                fronts.append(_date_in_words(cell.source.strip()) if date_in_words else cell.source.strip())
            continue
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        for n, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if "text/markdown" in data:
                parts.append(_text(data["text/markdown"]))
            elif "image/png" in data:
                image_dir.mkdir(parents=True, exist_ok=True)
                path = image_dir / f"cell-{index}-{n}.png"
                path.write_bytes(base64.b64decode(_text(data["image/png"])))
                parts.append(f"![]({path.relative_to(notebook.parent).as_posix()})")
            elif "text/plain" in data and output.get("output_type") == "execute_result":
                parts.append("```\n" + _text(data["text/plain"]) + "\n```")
    return "\n\n".join(fronts), "\n\n".join(p.strip("\n") for p in parts if p.strip())


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _date_in_words(front_matter: str) -> str:
    """``date: 2026-12-02`` as the chapter writes every date, ``2 December 2026`` (Quarto does this
    itself from _quarto.yml's date-format; pandoc shows the date as given); a Welsh chapter's
    (``lang: cy``) in Welsh, ``2 Rhagfyr 2026``."""
    import datetime as dt
    import re

    from ..present.lang import long_date

    language = "cy" if re.search(r'^lang: "?cy"?$', front_matter, flags=re.M) else "en"

    def words(match: re.Match) -> str:  # in the chapter's language: "7 Rhagfyr 2026" in Welsh
        return f'date: "{long_date(language, dt.date.fromisoformat(match.group(1)))}"'

    return re.sub(r"^date: (\d{4}-\d{2}-\d{2})$", words, front_matter, flags=re.M)
