"""The marker of English text to translate (issue 27), where every layer may import it: a constant
of model/ that a chapter prints (a method paragraph) is marked where it is defined and translated
where it is printed (``present.lang.translate``). The catalogue check (tests/test_catalogue.py)
finds every call named ``N_``."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks ``message`` as English text to translate where it is used; returns it unchanged."""
    return message
