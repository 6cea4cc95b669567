"""The web page's appendices folded (issue 30): each section whose heading begins "Appendix" (in a
Welsh chapter "Atodiad"), and the References ("Cyfeiriadau"), is a
``<details>`` element whose ``<summary>`` is that heading, closed until the reader opens it, so the
main chapter is short to scroll on a phone. The heading stays a heading (a summary may hold one),
so the page's outline and its contents list keep it; a link to anything inside an appendix opens it
(``OPEN_TARGET``). The PDF and the Word file are not touched: they have pages and a contents list."""

from __future__ import annotations

import re
from pathlib import Path

#: Opens the folded appendix that holds the target of the address's fragment (a contents entry, a
#: cross-reference, a citation's reference), on load and on every change of fragment; and every
#: appendix before the page is printed.
OPEN_TARGET = (
    "<script>(function () {\n"
    "  function open() {\n"
    "    var id = decodeURIComponent(location.hash.slice(1));\n"
    "    var target = id && document.getElementById(id);\n"
    "    var folded = target && target.closest('details.appendix');\n"
    "    if (folded && !folded.open) { folded.open = true; target.scrollIntoView(); }\n"
    "  }\n"
    "  window.addEventListener('hashchange', open);\n"
    "  window.addEventListener('beforeprint', function () {\n"
    "    document.querySelectorAll('details.appendix').forEach(function (d) { d.open = true; });\n"
    "  });\n"
    "  document.addEventListener('DOMContentLoaded', open);\n"
    "})();</script>\n"
)
#: How an appendix's heading begins, and the reference list's heading, in English and in Welsh.
APPENDIX = ("Appendix", "Atodiad")
REFERENCES = ("References", "Cyfeiriadau")
_LEVEL2 = re.compile(r'<section id="[^"]*" class="level2[^"]*">\s*')
_HEADING = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)


def fold_appendices(page: str) -> str:
    """``page`` (a chapter's HTML) with its appendices folded; unchanged if it has none or is folded."""
    if 'class="appendix"' in page:
        return page
    starts = [m.end() for m in _LEVEL2.finditer(page)]
    if not starts:
        return page
    ends = [m.start() for m in _LEVEL2.finditer(page)][1:] + [page.rfind("</section>") + len("</section>")]
    out, last = [], 0
    for start, end in zip(starts, ends, strict=True):
        heading = _HEADING.match(page, start)
        text = re.sub(r"<[^>]+>", "", heading.group(1)).strip() if heading else ""
        if not heading or not (text.startswith(APPENDIX) or text in REFERENCES):
            continue
        close = page.rfind("</section>", start, end)
        if close < 0:
            continue
        # Quarto puts a link in every heading of class "anchored"; a summary may not hold a link
        summary = re.sub(r'(<h2\b[^>]*?)\s*class="anchored"', r"\1", heading.group(0), count=1)
        out += [page[last:start], '<details class="appendix">\n<summary>', summary, "</summary>\n",
                page[heading.end():close], "</details>\n"]
        last = close
    if not out:
        return page
    out.append(page[last:])
    folded = "".join(out)
    return folded.replace("</body>", OPEN_TARGET + "</body>", 1) if "</body>" in folded else folded + OPEN_TARGET


def fold_appendices_in(path: Path) -> None:
    """Fold the appendices of the chapter page at ``path`` in place."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    folded = fold_appendices(text)
    if folded != text:
        partial = path.with_name(path.name + ".partial")
        partial.write_text(folded, encoding="utf-8")
        partial.replace(path)
