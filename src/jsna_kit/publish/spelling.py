"""The Welsh spelling check (issue 27): every Welsh word the chapter prints is in a Welsh dictionary,
or on the list of accepted words (names, acronyms, titles of English works).

The dictionary is GNU Aspell's Welsh one, from the registries (Debian's ``aspell-cy``), run as
``aspell -l cy list``: it prints each word it does not know. Before the text reaches it:
- citations (``[@KEY]``), placeholders (``{area}``), link targets and anchors (``](#sec-policy)``),
  file names, web addresses and numbers are taken out;
- a clitic after an apostrophe ("Mae'r", "a'r", "i'w") is split from its word, as the dictionary
  lists "mae" and "r" but not "mae'r";
- words of the accepted list are taken out, and so are the soft, nasal and aspirate mutations of
  every accepted word (a place name after "yn" or "i": "Nghaerdydd", "Gaerdydd").
A word the dictionary does not know is accepted if it is a mutated form of one it does: the
dictionary lists many words only in their radical form, but a sentence mutates them ("ei
hadolygu", after "wedi'u"; "yn Gymraeg").
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from ..present.cymraeg import mutate

#: Names, acronyms and titles the dictionary does not know, one a line (``#`` starts a comment).
ACCEPTED = Path(__file__).resolve().parents[1] / "locale" / "cy" / "accepted-words.txt"
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’](r|n|i|w|u|m|th|ch)\b", re.I)
_NOT_WORDS = re.compile(r"\[@[^\]]*\]|@[\w:.-]+|\{[^{}]*\}|\]\([^)\s]*\)|#[\w-]+|https?://\S+|www\.\S+"
                        r"|\S+@\S+\.\S+|[^\s\[\]()]+\.(?:html|pdf|docx|csv|xlsx|json|svg)\b")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


#: Radical first letters a mutated first letter may come from (soft, nasal, aspirate, and h before a
#: vowel), longest first.
UNMUTATE = (("ngh", ("c",)), ("mh", ("p",)), ("nh", ("t",)), ("ng", ("g",)), ("ph", ("p",)), ("th", ("t",)),
            ("ch", ("c",)), ("dd", ("d",)), ("b", ("p",)), ("d", ("t",)), ("g", ("c",)), ("f", ("b", "m")),
            ("l", ("ll",)), ("r", ("rh",)), ("m", ("b",)), ("n", ("d",)), ("h", ("",)))
_VOWELS = "aeiouwyâêîôûŵŷ"


class NoDictionary(RuntimeError):
    """Aspell or its Welsh dictionary is not installed."""


def aspell() -> str:
    """The aspell command, with its Welsh dictionary; ``NoDictionary`` says how to install it."""
    found = shutil.which("aspell")
    if found is None:
        raise NoDictionary("aspell is not installed: install Debian's aspell and aspell-cy")
    probe = subprocess.run([found, "-l", "cy", "list"], input="bore", capture_output=True, text=True)
    if probe.returncode != 0:
        raise NoDictionary("aspell has no Welsh dictionary: install Debian's aspell-cy")
    return found


@cache
def accepted_words(path: Path = ACCEPTED) -> frozenset[str]:
    """The accepted words and every mutated form of each, with h before a vowel ("ei hasesiad")
    (lower case)."""
    words = set()
    if Path(path).is_file():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            for word in _WORD.findall(line):
                words |= {word, *(mutate(word, kind) for kind in ("soft", "nasal", "aspirate")),
                          *(["h" + word] if word[:1].lower() in _VOWELS else [])}
    return frozenset(w.lower() for w in words)


def words_to_check(text: str) -> list[str]:
    """The words of ``text`` the dictionary is asked about, in order: without citations,
    placeholders, addresses, numbers and clitics."""
    text = _APOSTROPHE.sub(" ", _NOT_WORDS.sub(" ", text))
    return [part for word in _WORD.findall(text) for part in re.split(r"[-'’]", word) if part]


def unknown_welsh_words(text: str, *, also: set[str] | frozenset[str] = frozenset(),
                        accepted: Path = ACCEPTED) -> list[str]:
    """The words of ``text`` neither the Welsh dictionary nor the accepted list (and ``also``, the
    caller's names, with their mutations) knows, each once, in order."""
    known = accepted_words(accepted) | {w.lower() for word in also for w in
                                        (word, *(mutate(word, k) for k in ("soft", "nasal", "aspirate")))}
    candidates = list(dict.fromkeys(w for w in words_to_check(text) if w.lower() not in known))
    if not candidates:
        return []
    unknown = _unknown(candidates)
    radicals = {word: radical_forms(word) for word in unknown}
    tried = list(dict.fromkeys(r for forms in radicals.values() for r in forms))
    known = set(tried) - _unknown(tried)  # a mutated form of a word the dictionary knows is right
    return [w for w in candidates if w in unknown and not set(radicals[w]) & known]


def radical_forms(word: str) -> list[str]:
    """The words ``word`` may be a mutation of: "Gymraeg" -> "Cymraeg", "hadolygu" -> "adolygu",
    "ngwasanaeth" -> "gwasanaeth", and a soft-mutated word that lost its g ("waith" -> "gwaith")."""
    lower = word.lower()
    forms = []
    for start, radicals in UNMUTATE:
        if lower.startswith(start):
            rest = word[len(start):]
            if start == "h" and rest[:1].lower() not in _VOWELS:
                continue
            forms += [_same_case(word, radical + rest) for radical in radicals]
    if lower[:1] in _VOWELS or lower[:1] in "lrw":
        forms.append(_same_case(word, "g" + word))
    return [f for f in forms if f]


def _same_case(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def _unknown(words: list[str]) -> set[str]:
    if not words:
        return set()
    proc = subprocess.run([aspell(), "-l", "cy", "list"], input="\n".join(words), capture_output=True,
                          text=True, check=True)
    return set(proc.stdout.split())
