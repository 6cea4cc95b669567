"""PNG copies of a chapter's SVG figures, for Word.

The chapter's figures are SVG (``present.svg``): sharp on screen and in the PDF. Word shows SVG
only from Microsoft 365 on, and pandoc (so Quarto too) adds the PNG fallback Word needs only when
``rsvg-convert`` is installed. So before Word output is made, every SVG figure gets a PNG beside
it, rasterised by typst (already used for the PDF), with DejaVu Sans from matplotlib's fonts so
the text looks the same everywhere; ``filters/docx_png.lua`` then points Word at the PNGs.
"""

from __future__ import annotations

import os
from pathlib import Path

PPI = 150


def docx_filter() -> Path:
    """The Lua filter that points Word output at the PNG copies of SVG figures."""
    return Path(__file__).resolve().parent / "filters" / "docx_png.lua"


def docx_figures_filter() -> Path:
    """The Lua filter, run after Quarto's own, that takes Quarto's Word figures out of their layout
    tables and gives each picture its alt text."""
    return Path(__file__).resolve().parent / "filters" / "docx_figures.lua"


def font_dirs() -> list[str]:
    """The folder of DejaVu Sans, the figures' font, as matplotlib ships it."""
    from ..present.svg import dejavu_sans

    font = dejavu_sans()
    return [str(font.parent)] if font else []


def rasterise(svgs: list[Path], *, ppi: float = PPI) -> list[Path]:
    """Write ``<name>.png`` beside each of ``svgs`` unless a PNG at least as new is there; all
    figures in one typst document, one page each. Returns the PNG paths."""
    import typst

    pngs = [svg.with_suffix(".png") for svg in svgs]
    todo = [(svg, png) for svg, png in zip(svgs, pngs, strict=True)
            if not png.is_file() or png.stat().st_mtime_ns < svg.stat().st_mtime_ns]
    if not todo:
        return pngs
    root = Path(os.path.commonpath([str(svg.parent.resolve()) for svg, _ in todo]))
    pages = "\n#pagebreak()\n".join(f'#image("/{_typst_path(svg.resolve().relative_to(root))}")' for svg, _ in todo)
    source = "#set page(width: auto, height: auto, margin: 0pt)\n" + pages + "\n"
    images = typst.compile(source.encode("utf-8"), root=str(root), format="png", ppi=ppi, font_paths=font_dirs(),
                            ignore_system_fonts=True)
    images = images if isinstance(images, list) else [images]
    for (_, png), data in zip(todo, images, strict=True):
        partial = png.with_name(png.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, png)
    return pngs


def _typst_path(path: Path) -> str:
    text = path.as_posix()
    if '"' in text or "\\" in text:
        raise ValueError(f"figure path {text!r} cannot be used in a typst document")
    return text
