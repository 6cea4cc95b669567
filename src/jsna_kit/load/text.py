"""Text from outside (the analyst's files and command line, a researcher's reference data) made
safe to show: control characters (NUL, the C0 and C1 ranges, DEL) and the invisible marks that
reorder text (bidirectional overrides and isolates, U+202E and kin) are taken out, line breaks and
tabs become spaces, so no title or name can render reversed or hide text, in any output."""

from __future__ import annotations

import re

#: C0 and C1 controls and DEL; the bidirectional marks, embeddings, overrides and isolates; the
#: byte-order mark inside text.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_BREAKS = re.compile("[\t\n\r]+")


def clean_text(text: str) -> str:
    """``text`` without control or reordering characters; tabs and line breaks as one space."""
    if not text:
        return text
    return _HIDDEN.sub("", _BREAKS.sub(" ", text))
