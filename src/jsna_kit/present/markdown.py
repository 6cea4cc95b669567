"""Markdown that renders the same in Quarto and in the pandoc fallback, with every piece of text
that came from a data file escaped so that no HTML, script or Markdown syntax from a file can run
or restyle a page.

Chapter outputs are ``text/markdown`` only: Quarto prefers ``text/html`` over Markdown for HTML
output, so offering HTML too would bypass citations, captions and cross-references.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

# Characters that change meaning anywhere in a line (emphasis, links, code, citations, maths,
# attributes, table cells). Block markers (#, -, +, >, digits then '.') only matter at the start.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]|~^$@])")
_BLOCK_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([#+\-:>!=])(?=\s|$)")


class MarkdownBlock(str):
    """A string that Jupyter displays as Markdown (mime ``text/markdown``)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def escape_text(value: object) -> str:
    """Escape text from a data file for use inside Markdown.

    HTML-significant characters become entities (so ``<script>`` shows as text in every output
    format) and Markdown punctuation is backslash-escaped; newlines collapse to spaces so a
    value can never start a new block (a heading, a list, a table row)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(3),
                            text)


def possessive(name: str) -> str:
    """A name, escaped, with its possessive ending: "Sheffield's", "Tower Hamlets'"."""
    text = escape_text(name)
    return text + ("'" if str(name).rstrip().endswith("s") else "'s")


def escape_attribute(value: object) -> str:
    """Text for a Markdown attribute value in double quotes (e.g. ``fig-alt="..."``)."""
    text = " ".join(str(value).split())
    return (text.replace("\\", "\\\\").replace('"', "'").replace("<", "&lt;").replace(">", "&gt;"))


def yaml_string(value: object) -> str:
    """A YAML scalar that is always a string: JSON strings are valid YAML flow scalars.

    Quarto reads title/subtitle metadata as Markdown, so the text is Markdown-escaped first."""
    return json.dumps(escape_text(value), ensure_ascii=False)


def heading(level: int, text: str, *, identifier: str | None = None) -> str:
    attrs = f" {{#{identifier}}}" if identifier else ""
    return f"{'#' * level} {escape_text(text)}{attrs}"


def cite(keys: Iterable[str]) -> str:
    """A pandoc/Quarto citation for bibliography keys, e.g. ``[@BROOKER2012; @PLUCK2015]``."""
    valid = [k.strip() for k in keys if k and re.fullmatch(r"[A-Za-z0-9_:.\-]+", k.strip())]
    return "[" + "; ".join(f"@{k}" for k in valid) + "]" if valid else ""


def column_widths(frame: pd.DataFrame | Mapping[str, Sequence], *, floor: int = 6, cap: int = 40) -> list[float]:
    """Relative column widths from the longest cell (and header), bounded so a long note cannot
    squeeze every other column to a sliver."""
    columns = _columns(frame)
    widths = []
    for c, values in columns.items():
        longest = max([len(str(c))] + [len(str(v)) for v in values])
        widths.append(float(min(max(longest, floor), cap)))
    return widths


def _columns(frame: pd.DataFrame | Mapping[str, Sequence]) -> dict[str, list]:
    """A table's columns as lists of values, from a DataFrame or a mapping of column -> values."""
    if isinstance(frame, pd.DataFrame):
        return {c: frame[c].tolist() for c in frame.columns}
    return {c: list(v) for c, v in frame.items()}


def _numeric(values: list) -> bool:
    """A column of numbers (missing values allowed, booleans not), right-aligned by default."""
    present = [v for v in values if not (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)))]
    return bool(present) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present)


def _rule(align: str, dashes: int) -> str:
    dashes = max(dashes, 3)
    if align == "right":
        return "-" * (dashes - 1) + ":"
    if align == "center":
        return ":" + "-" * (dashes - 2) + ":"
    return ":" + "-" * (dashes - 1)


def table(frame: pd.DataFrame | Mapping[str, Sequence], *, caption: str, identifier: str | None = None,
          align: Sequence[str] | None = None, escape: bool = True,
          raw_columns: Iterable[str] = (), widths: Sequence[float] | None = None) -> str:
    """A pipe table (a real table in HTML, Word and PDF) with a caption, from a DataFrame or a
    mapping of column name -> values.

    The separator line is wider than pandoc's 72 columns on purpose: pandoc (and so Quarto) then
    wraps cells and sets relative column widths from the dashes, instead of letting PDF output
    squeeze columns. Cells are escaped unless their column is listed in ``raw_columns`` (cells
    the package itself wrote as Markdown, e.g. citations). Missing values show as an en dash,
    never 0."""
    raw = set(raw_columns)
    columns = _columns(frame)
    cols = list(columns)
    if align is None:
        numeric = ({c: pd.api.types.is_numeric_dtype(frame[c]) for c in cols} if isinstance(frame, pd.DataFrame)
                   else {c: _numeric(columns[c]) for c in cols})
        align = ["right" if numeric[c] else "left" for c in cols]
    widths = list(widths) if widths is not None else column_widths(columns)
    total = sum(widths) or 1.0
    dashes = [round(120 * w / total) for w in widths]
    lines = ["| " + " | ".join(escape_text(c) for c in cols) + " |",
             "|" + "|".join(_rule(a, d) for a, d in zip(align, dashes, strict=True)) + "|"]
    verbatim = [c in raw or not escape for c in cols]
    for row in zip(*columns.values(), strict=True):
        cells = []
        for v, as_is in zip(row, verbatim, strict=True):
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                cells.append("–")
            elif as_is:
                cells.append(str(v).replace("|", "\\|").replace("\n", " "))
            else:
                cells.append(escape_text(v))
        lines.append("| " + " | ".join(cells) + " |")
    body = "\n".join(lines) + f"\n\n: {escape_text(caption)}\n"
    # On a narrow screen the table scrolls inside its own region rather than the whole page
    # (WCAG 1.4.10); the region is focusable and named so keyboard and screen-reader users can
    # reach and scroll it. Word and PDF ignore the wrapper. The identifier a link points to is the
    # region's: every pandoc labels a div for typst, while the pandoc Quarto 1.7 bundles (3.6)
    # labels no table, so a plain ``quarto render`` to PDF would stop at a link to one.
    ident = f"#{identifier} " if identifier else ""
    return f'::: {{{ident}.table-scroll role="region" tabindex="0" aria-label="{escape_attribute(caption)}"}}\n' \
        f"{body}:::\n"


def figure(path: str, *, caption: str, alt: str, identifier: str | None = None, width: str | None = None) -> str:
    """An image with a caption and alt text (Quarto ``fig-alt``; pandoc keeps it as alt), at
    ``width`` of the text column (e.g. ``"60%"``) when given."""
    ident = f"#{identifier} " if identifier else ""
    size = f" width={width}" if width else ""
    # fig-alt for Quarto, alt for pandoc (the fallback), which would otherwise use the caption.
    return (f'![{escape_text(caption)}]({path}){{{ident}fig-alt="{escape_attribute(alt)}" '
            f'alt="{escape_attribute(alt)}"{size}}}')
