"""Structure checks of a chapter's PDF and Word file, shared by the fallback's and Quarto's tests
(issue 30). The PDF: tagged, marked as PDF/UA-1 (typst checks the standard as it writes the file
and refuses a chapter that fails it), with a title, a language and alt text on every figure. The
Word file: real Heading 1 to 3 styles, alt text on every picture, no picture in a layout table."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def pdf_problems(path: Path, language: str = "en") -> list[str]:
    """What keeps the PDF from being an accessible, PDF/UA-1 one in ``language``; empty when nothing does."""
    import pypdf

    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    problems = []
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problems.append("not tagged (no /MarkInfo /Marked true)")
    if "/StructTreeRoot" not in root:
        problems.append("no structure tree")
    if not str(root.get("/Lang") or "").startswith(language):
        problems.append(f"language {root.get('/Lang')!r}")
    if not (reader.metadata and reader.metadata.title):
        problems.append("no title")
    metadata = root["/Metadata"].get_object().get_data().decode("utf-8", "replace") if "/Metadata" in root else ""
    if not re.search(r"pdfuaid:part(>|=\")1", metadata):
        problems.append("not declared PDF/UA-1 in its metadata")
    figures = _figures(root["/StructTreeRoot"]) if "/StructTreeRoot" in root else []
    if not figures:
        problems.append("no tagged figure")
    problems += [f"a figure without alt text ({i})" for i, alt in enumerate(figures) if not alt]
    return problems


def _figures(node) -> list[str]:
    """The alt text of every Figure in a structure tree, in order."""
    import pypdf

    found, stack = [], [node]
    while stack:
        item = stack.pop()
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, pypdf.generic.ArrayObject):
            stack.extend(reversed(list(item)))
        elif isinstance(item, pypdf.generic.DictionaryObject):
            if item.get("/S") == "/Figure":
                found.append(str(item.get("/Alt") or ""))
            if "/K" in item:
                stack.append(item["/K"])
    return found


def docx_problems(path: Path) -> list[str]:
    """What keeps the Word file from being navigable and described; empty when nothing does."""
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    problems = []
    styles = set(re.findall(r'<w:pStyle w:val="(Heading\d)"', xml))
    if not {"Heading1", "Heading2"} <= styles:
        problems.append(f"headings {sorted(styles)}: no Heading 1 and 2")
    pictures = re.findall(r"<wp:docPr [^>]*>", xml)
    if not pictures:
        problems.append("no picture")
    problems += [f"a picture without alt text: {p[:80]}" for p in pictures if re.search(r'descr=""', p)
                 or "descr=" not in p]
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    problems += ["a picture in a layout table" for t in tables if "<w:drawing>" in t]
    return problems
