"""The translation layer's core (issue 27), where every layer may import it: the written
catalogues and ``translate``; and the marker ``N_`` of English text kept in a constant, translated
where it is printed (a method paragraph of model/, a note the build writes). ``present.lang`` adds
the Welsh forms a sentence needs (places, dates) and is where present/ modules import all of it from.

Each language other than English has gettext PO catalogues in ``src/jsna_kit/locale/<code>/``
(one file for each part of the chapter), read with Babel. A message's id is the English text, with
named placeholders (``{area}``); its string is the translation, with the same placeholders. PO
files are what translators' tools (Poedit, Weblate, Lokalise) open, keep translator comments and a
"fuzzy" flag, and carry plural forms: Welsh has six (CLDR), chosen by ``n``.

The layer refuses rather than guesses: an entry missing, marked fuzzy or empty raises
``MissingTranslation`` naming the message, so a Welsh sentence never silently shows English; a
translation whose placeholders differ from the English is reported when the catalogue is read,
with the file and line. A catalogue counts as reviewed only when its header names the reviewer's
role and the date (``X-Reviewed-By``, ``X-Reviewed-On``); until then a chapter says its text is
generated and should be reviewed before publication. The catalogue check (tests/test_catalogue.py)
finds every ``N_``, ``translate`` and ``translate_plural`` message."""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jsna_kit.errors import InputFileError, Problem


def N_(message: str) -> str:
    """Marks ``message`` as English text to translate where it is used; returns it unchanged."""
    return message


LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")


class MissingTranslation(KeyError):
    """A message the chapter needs has no usable translation in the catalogue."""

    def __init__(self, language: str, message: str, path: Path | None, context: str | None = None) -> None:
        self.language, self.message, self.path, self.context = language, message, path, context
        where = f" in {path}" if path else ""
        kind = f" (msgctxt {context!r})" if context else ""
        super().__init__(f"no {LANGUAGES.get(language, language)} translation{where} for {message!r}{kind}: "
                         "add it to the catalogue (a fuzzy or empty entry does not count)")

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Catalogue:
    """One language's messages: ``(context, id) -> string`` (plural entries: a tuple of forms)."""

    language: str
    messages: dict = field(default_factory=dict)
    path: Path | None = None
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by) and self.reviewed_on is not None


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message (``{area}``, ``{n:,}`` -> {"area", "n"})."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def read_catalogue(path: Path, language: str) -> Catalogue:
    """Read and check one PO catalogue: every translation keeps the English text's placeholders.
    Raises ``InputFileError`` naming the file and line of each entry that does not."""
    from babel.messages.pofile import read_po

    text = path.read_text(encoding="utf-8")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    problems: list[Problem] = []
    messages: dict = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        usable = not message.fuzzy and all(forms)
        wanted = set().union(*(placeholders(i) for i in ids))
        for form in forms:
            if form and placeholders(form) != wanted:
                problems.append(Problem(str(path), message.lineno, "msgstr", form,
                                        f"its placeholders {sorted(placeholders(form))} differ from the English "
                                        f"{sorted(wanted)}", "use the same {names} as the msgid"))
        if usable:
            messages[(message.context, ids[0])] = forms if message.pluralizable else forms[0]
    if problems:
        raise InputFileError(problems)
    reviewer, reviewed = _header(text, "X-Reviewed-By"), _header(text, "X-Reviewed-On")
    try:
        day = dt.date.fromisoformat(reviewed) if reviewed else None
    except ValueError:
        raise InputFileError([Problem(str(path), None, "X-Reviewed-On", reviewed, "is not a date",
                                      "write the day the review finished, e.g. 2027-01-31")]) from None
    return Catalogue(language=language, messages=messages, path=path, reviewed_by=reviewer, reviewed_on=day)


def _header(text: str, name: str) -> str:
    """A header field Babel does not keep (the review flag), read from the PO header's text."""
    match = re.search(rf'^"{re.escape(name)}:\s*(.*?)\\n"\s*$', text, flags=re.M)
    return match.group(1).strip() if match else ""


@cache
def catalogue(language: str) -> Catalogue | None:
    """The project's catalogue for ``language`` (None for English, whose text is the message id):
    every PO file in ``locale/<language>/``, one for each part of the chapter, read together. The
    review flag is the first file's (``chapter.po``); a message in two files with two different
    translations is refused, naming both."""
    if language == "en":
        return None
    folder = LOCALE_DIR / language
    paths = sorted(folder.glob("*.po"), key=lambda p: (p.name != "chapter.po", p.name))
    if not paths:
        raise InputFileError([Problem(str(folder), None, None, None, f"there is no {language} catalogue",
                                      f"add PO files (chapter.po first) to {folder}")])
    parts = [read_catalogue(path, language) for path in paths]
    return merge_catalogues(parts)


def merge_catalogues(parts: list[Catalogue]) -> Catalogue:
    """One catalogue of several files' messages; the first file's header (its review flag)."""
    messages: dict = {}
    where: dict = {}
    problems: list[Problem] = []
    for part in parts:
        for key, value in part.messages.items():
            if key in messages and messages[key] != value:
                problems.append(Problem(str(part.path), None, "msgstr", key[1],
                                        f"is translated differently in {where[key]}",
                                        "keep one translation of a message, in one file"))
            messages.setdefault(key, value)
            where.setdefault(key, part.path)
    if problems:
        raise InputFileError(problems)
    first = parts[0]
    return Catalogue(language=first.language, messages=messages, path=first.path.parent if first.path else None,
                     reviewed_by=first.reviewed_by, reviewed_on=first.reviewed_on)


def translate(language: str, message: str, *, context: str | None = None, catalogue_: Catalogue | None = None,
              **values) -> str:
    """``message`` (English, with named placeholders) in ``language``, filled with ``values``."""
    chosen = catalogue_ if catalogue_ is not None else catalogue(language)
    if chosen is None:
        return message.format(**values)
    found = chosen.messages.get((context, message))
    if found is None or isinstance(found, tuple):
        raise MissingTranslation(language, message, chosen.path, context)
    return found.format(**values)


def translate_plural(language: str, singular: str, plural: str, n: int, *, context: str | None = None,
                     catalogue_: Catalogue | None = None, **values) -> str:
    """The form of a message for the number ``n`` (English: singular when n is 1)."""
    chosen = catalogue_ if catalogue_ is not None else catalogue(language)
    if chosen is None:
        return (singular if n == 1 else plural).format(n=n, **values)
    forms = chosen.messages.get((context, singular))
    if not isinstance(forms, tuple):
        raise MissingTranslation(language, singular, chosen.path, context)
    from babel import Locale

    # A PO file's forms follow its Plural-Forms header; the Welsh header (as Babel writes it) gives
    # CLDR's categories in this order: zero, one, two, few, many, other.
    category = Locale(language).plural_form(n)
    order = list(PLURAL_ORDER) if len(forms) == len(PLURAL_ORDER) else ["one", "other"]
    index = order.index(category) if category in order else len(forms) - 1
    return forms[index].format(n=n, **values)
