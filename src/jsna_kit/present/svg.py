"""A small SVG writer for the chapter's figures.

The chapter draws eight figures for each of 175 areas. matplotlib takes 130-300 ms a figure on
the 2-core build machine (text layout, rasterising, PNG encoding), which alone would use up the
national build's time budget; these figures are simple (dots, lines, text, filled shapes), and
writing them as SVG directly takes a few milliseconds. SVG is also sharper on screen and in the
PDF, and text in it stays text. Word gets PNG copies rasterised at render time
(``publish.rasterise``).

Text is measured with the advance widths of DejaVu Sans, the font matplotlib ships (so the
metrics are the same on every machine; read with fontTools), and drawn with DejaVu Sans, falling back to Verdana,
which has near-identical widths. Output is deterministic: the same data give the same bytes.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from pathlib import Path

FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif"
#: Measured widths are scaled up by this much, so a fallback font a little wider still fits.
WIDTH_SLACK = 1.06


def dejavu_sans() -> Path | None:
    """DejaVu Sans as matplotlib ships it (found without importing matplotlib, 0.4 s)."""
    from importlib.util import find_spec

    spec = find_spec("matplotlib")
    if not (spec and spec.origin):
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _metrics() -> tuple[dict[int, str], dict, float]:
    """The font's character map, advance widths and units per em (fontTools, which matplotlib
    itself uses to read fonts)."""
    from fontTools.ttLib import TTFont

    path = dejavu_sans()
    if path is None:
        raise FileNotFoundError("DejaVu Sans (matplotlib's mpl-data/fonts/ttf) is missing")
    font = TTFont(str(path), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, float(font["head"].unitsPerEm)


@lru_cache(maxsize=4096)
def _advance(char: str) -> float:
    """Advance width of one character at a font size of 1 px (kerning ignored; a character
    the font lacks counts as its missing-glyph box)."""
    cmap, advances, per_em = _metrics()
    return advances[cmap.get(ord(char), ".notdef")][0] / per_em


def text_width(text: str, size: float) -> float:
    """Width in px of ``text`` set in DejaVu Sans at ``size`` px, with a little slack."""
    return sum(_advance(c) for c in text) * size * WIDTH_SLACK


def wrap_to_width(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines of whole words, each at most ``width`` px wide at ``size`` px (a word
    wider than that alone is a line of its own): a label wrapped, never cut short."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def escape(text: object) -> str:
    """Text for SVG character data or a double-quoted attribute."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def num(value: float) -> str:
    """A coordinate: one decimal place, no trailing zeros, no negative zero."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_ticks(low: float, high: float, target: int = 6) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of ten,
    about ``target`` intervals (as matplotlib's MaxNLocator chooses them)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"ticks need finite limits, not {low!r} to {high!r}")
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(target, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw - 1e-12 * power)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = int(round((last - first) / step))
    return [round(first + i * step, 10) for i in range(count + 1)]


def tick_label(value: float) -> str:
    """``1,250``; ``0.5``; ``2.25``: no more decimals than the value needs."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class Drawing:
    """An SVG document built element by element, in drawing order."""

    def __init__(self, width: float, height: float, *, title: str = ""):
        self.width, self.height, self.title = width, height, title
        self.parts: list[str] = []

    def line(self, x1, y1, x2, y2, *, stroke: str, width: float = 1.0, dash: str | None = None) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                          f'stroke="{stroke}" stroke-width="{num(width)}"{extra}/>')

    def rect(self, x, y, w, h, *, fill: str, stroke: str | None = None) -> None:
        outline = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
        self.parts.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" '
                          f'fill="{fill}"{outline}/>')

    def marker(self, shape: str, x: float, y: float, size: float, *, fill: str) -> None:
        """A filled marker centred on (x, y): ``circle``, ``square``, ``diamond``,
        ``triangle-up``/``-down``/``-right``/``-left``, or ``cross`` (drawn as lines)."""
        r = size / 2
        if shape == "circle":
            self.parts.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{fill}"/>')
            return
        if shape == "cross":
            self.line(x - r, y - r, x + r, y + r, stroke=fill, width=2)
            self.line(x - r, y + r, x + r, y - r, stroke=fill, width=2)
            return
        points = {
            "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
            "diamond": [(0, -r * 1.25), (r * 1.25, 0), (0, r * 1.25), (-r * 1.25, 0)],
            "triangle-up": [(0, -r * 1.2), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)],
            "triangle-down": [(0, r * 1.2), (r * 1.1, -r * 0.8), (-r * 1.1, -r * 0.8)],
            "triangle-right": [(r * 1.2, 0), (-r * 0.8, r * 1.1), (-r * 0.8, -r * 1.1)],
            "triangle-left": [(-r * 1.2, 0), (r * 0.8, r * 1.1), (r * 0.8, -r * 1.1)],
        }[shape]
        self.polygon([(x + dx, y + dy) for dx, dy in points], fill=fill)

    def polygon(self, points, *, fill: str) -> None:
        coords = " ".join(f"{num(px)},{num(py)}" for px, py in points)
        self.parts.append(f'<polygon points="{coords}" fill="{fill}"/>')

    def path(self, d: str, *, fill: str, stroke: str = "none", width: float = 0.0) -> None:
        self.parts.append(f'<path d="{d}" fill="{fill}" fill-rule="evenodd" stroke="{stroke}" '
                          f'stroke-width="{num(width)}" stroke-linejoin="round"/>')

    def text(self, x: float, y: float, text: str, *, size: float, anchor: str = "start",
             fill: str = "#222222", weight: str | None = None) -> None:
        """One line of text with its baseline at ``y``; ``anchor``: start, middle or end."""
        bold = f' font-weight="{weight}"' if weight else ""
        self.parts.append(f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
                          f'fill="{fill}"{bold}>{escape(text)}</text>')

    def to_svg(self) -> str:
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}" '
                f'viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" '
                f'font-family="{escape(FONT_FAMILY)}">{title}'
                f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(self.parts) + "</svg>\n")

    def save(self, path: Path) -> Path:
        """Write atomically (temporary name, then rename): a killed build leaves no half figure."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(self.to_svg(), encoding="utf-8")
        os.replace(partial, path)
        return path
