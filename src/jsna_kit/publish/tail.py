"""The web page's appendices, rendered by the project's pandoc beside Quarto (issue 30).

A chapter's appendices are about a third of the time Quarto takes to render its web page
(benchmarks/README.md), though they need nothing of Quarto's own: no floats, no callouts, no
cross-references. So Quarto renders the chapter with each appendix as its heading and an empty
placeholder: the page's outline, contents list and section ids are Quarto's own, and so is the
References section. The project's pandoc (the fallback's, installed with the package) renders the
appendices' bodies in one run, and they are put in their placeholders.

Citations read and link the same in both parts: each run is given the other part's citations as
``nocite``, so both resolve them against the same list of works (the same "2025a" and "2025b"),
and the list Quarto prints is the whole chapter's. Citations link to the ``#ref-KEY`` anchors of
that list. (``suppress-bibliography`` would be simpler, but then citeproc neither links citations
nor tells works of one author and year apart.)

What Quarto would have added to those bodies is added here: Bootstrap's table classes, and its
anchor links on headings (``class="anchored"`` and ``data-anchor-id``), so the page looks and
behaves as one.
"""

from __future__ import annotations

import json
import re
import subprocess
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError

_LEVEL2 = re.compile(r"^## (.*)$", re.M)
_PLACEHOLDER = re.compile(r'<div id="jsna-tail-(\d+)"[^>]*>\s*</div>')
_MARKER = "<!-- jsna-tail {} -->"
_CITATION = re.compile(r"(?<![\w.@])@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)")


def is_tail(heading: str) -> bool:
    """Whether a level-2 heading's text (attributes and all) opens an appendix (in English or Welsh)."""
    from .fold import APPENDIX

    return heading.split("{")[0].strip().startswith(APPENDIX)


def split_tail(body: str) -> tuple[str, list[str]]:
    """The chapter's Markdown ``body`` with each appendix's body replaced by a placeholder (its
    heading kept), and those bodies in order."""
    starts = list(_LEVEL2.finditer(body))
    out, tail, last = [], [], 0
    for i, match in enumerate(starts):
        if not is_tail(match.group(1)):
            continue
        start = match.end()
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        out += [body[last:start], f"\n\n::: {{#jsna-tail-{len(tail)}}}\n:::\n\n"]
        tail.append(body[start:end].strip("\n"))
        last = end
    out.append(body[last:])
    return "".join(out), tail


def cited_keys(text: str, known: set[str]) -> list[str]:
    """The bibliography keys cited in ``text`` (``[@KEY]``, ``@KEY``), in order, each once."""
    seen: dict[str, None] = {}
    for key in _CITATION.findall(text):
        key = key.rstrip(".:")  # a citation at the end of a sentence
        if key in known:
            seen.setdefault(key, None)
    return list(seen)


@lru_cache(maxsize=4)
def _bibliography_keys(bibliography: str) -> frozenset[str]:
    return frozenset(item["id"] for item in json.loads(Path(bibliography).read_text(encoding="utf-8")))


def nocite(texts: list[str], bibliography: Path) -> str:
    """A ``nocite`` value (``"@A @B"``) naming the works cited in ``texts``, "" if none."""
    keys = sorted(set(cited_keys("\n".join(texts), set(_bibliography_keys(str(Path(bibliography).resolve()))))))
    return " ".join(f"@{key}" for key in keys)


def render_tail(main: str, tail: list[str], *, bibliography: Path, name: str, language: str = "en") -> list[str]:
    """Each of ``tail``'s Markdown bodies as HTML, in one pandoc run, with citations resolved
    against ``bibliography`` and the main text ``main``'s citations counted among the works cited,
    worded as a page in ``language`` words them (the citation style's terms: "a" for "and" in Welsh).
    The reference list pandoc makes is left out (Quarto's page has the whole chapter's)."""
    from .tools import CSL, pandoc

    front = json.dumps({"lang": "en-GB" if language == "en" else language, "link-citations": True,
                        "nocite": nocite([main], bibliography)})
    document = "---\n" + front + "\n---\n\n" + "\n\n".join(
        f"{_MARKER.format(i)}\n\n{body}" for i, body in enumerate(tail)) + (
        f"\n\n{_MARKER.format(len(tail))}\n\n::: {{#refs}}\n:::\n")
    proc = subprocess.run([pandoc(), "--from", "markdown", "--to", "html5", "--citeproc", "--section-divs",
                           "--bibliography", str(bibliography), "--csl", str(CSL), "--wrap", "none"],
                          input=document, capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        raise BuildError(name, f"pandoc failed on the appendices: {proc.stderr.strip()[-2000:]}")
    parts = re.split(r"<!-- jsna-tail (\d+) -->", proc.stdout)
    bodies = dict(zip(parts[1::2], parts[2::2], strict=True))
    return [_as_quarto(bodies.get(str(i), "")) for i in range(len(tail))]


def _as_quarto(html: str) -> str:
    """What Quarto adds to a section's HTML: Bootstrap's table classes; headings anchored by id."""
    html = re.sub(r"<table(?![^>]*\bclass=)", '<table class="caption-top table"', html)
    html = re.sub(r'(<section id="([^"]+)" class="level(\d)[^"]*">\s*<h\3)>',
                  r'\1 class="anchored" data-anchor-id="\2">', html)
    return html.strip()


def fill_tail(page: str, bodies: list[str]) -> str:
    """``page`` (Quarto's HTML) with each placeholder replaced by its rendered body."""
    return _PLACEHOLDER.sub(lambda m: bodies[int(m.group(1))], page)


def fill_tail_in(path: Path, main: str, tail: list[str], *, bibliography: Path) -> None:
    """Render ``tail`` and put it in the chapter page at ``path``, in place, in the page's language,
    with the site's own words in that language too (``site_words``); nothing to do where Quarto
    wrote no page, as a stand-in Quarto in the tests does not."""
    path = Path(path)
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if not _PLACEHOLDER.search(text):
        return
    from .site_words import in_site_language, page_language

    language = page_language(text)
    filled = in_site_language(fill_tail(text, render_tail(main, tail, bibliography=bibliography, name=path.stem,
                                                          language=language)), language)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(filled, encoding="utf-8")
    partial.replace(path)
