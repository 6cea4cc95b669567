"""Every message the code asks to translate has its Welsh in the catalogue (issue 27): found by
reading the source, as a translator's tools do (Babel's extractor), so a string a chapter may need
is missing from ``locale/cy/`` fails here, before any Welsh chapter is built."""

from __future__ import annotations

from pathlib import Path

import jsna_kit
from jsna_kit.present.lang import catalogue, placeholders

SOURCE = Path(jsna_kit.__file__).parent
#: The translation functions and which arguments are the English text (Babel's keyword spec).
KEYWORDS = {"translate": (2,), "translate_plural": (2, 3), "N_": (1,)}


def messages_in_code(folder: Path = SOURCE) -> list[tuple[str, int, str]]:
    """(file, line, English text) of every message the code marks for translation."""
    from babel.messages.extract import extract_from_dir

    found = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS):
        # a plural message is one entry, named by its singular (its plural is the entry's msgid_plural)
        text = message[0] if isinstance(message, tuple) else message
        if text:
            found.append((filename, lineno, text))
    return found


def test_the_extractor_finds_every_kind_of_marked_message(tmp_path):
    (tmp_path / "module.py").write_text(
        'WORDS = {"A": N_("strong evidence")}\n'
        'def f(data, n):\n'
        '    return translate(data.language, "About {n} people", n=n) + translate_plural(\n'
        '        data.language, "{n} measure", "{n} measures", n)\n', encoding="utf-8")
    assert [text for _, _, text in messages_in_code(tmp_path)] == ["strong evidence", "About {n} people", "{n} measure"]


def test_every_message_in_the_code_has_welsh_with_the_same_placeholders():
    welsh = catalogue("cy")
    by_id: dict[str, object] = {}
    for (_context, message), value in welsh.messages.items():
        by_id.setdefault(message, value)
    missing = [f"{file}:{line}: {text!r}" for file, line, text in messages_in_code()
               if text not in by_id and text not in {v for k, v in welsh.messages.keys()}]
    assert not missing, "no Welsh in src/jsna_kit/locale/cy/ for:\n" + "\n".join(missing)
    for file, line, text in messages_in_code():
        value = by_id.get(text)
        for form in value if isinstance(value, tuple) else (value,):
            if form:
                assert placeholders(form) == placeholders(text), (file, line, text)


def test_every_welsh_message_passes_the_spelling_check():
    import pytest

    from jsna_kit.publish.spelling import NoDictionary, aspell, unknown_welsh_words

    try:
        aspell()
    except NoDictionary as exc:
        pytest.skip(str(exc))
    texts = [form for value in catalogue("cy").messages.values()
             for form in (value if isinstance(value, tuple) else (value,))]
    assert len(texts) > 700 and unknown_welsh_words("\n".join(texts)) == []
