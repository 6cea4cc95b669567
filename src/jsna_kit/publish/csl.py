"""The bibliography as CSL JSON, made from the sources table directly (``sources.csv``): what
pandoc's citeproc reads for the chapter's citations and references, in every format and with
Quarto or the fallback renderer alike. Only the publication fields reach it: authors or issuing
body, year (none where ``date not known``; no chapter cites such a source:
``load.reference_rules.uncitable``), title, journal or publisher, volume, issue, pages, DOI and
``public_url`` (the publisher's own address; never ``url_seen``, which is for maintainers).

``scripts/build_bibliography.py`` writes ``data/reference/sources.json`` with ``csl_items``; the
reference loader checks that every source has its entry and every entry its source."""

from __future__ import annotations

import json
import re

from ..load.reference_rules import AUTHOR_PERSON

#: CSL item type by ``entry_type``, and whether the journal or the publisher holds
#: ``publisher_or_journal``.
TYPES = {"article": ("article-journal", "container-title"), "report": ("report", "publisher"),
         "online": ("webpage", "publisher"), "misc": ("document", "publisher")}


def csl_name(author: str) -> dict:
    """``Brooker C`` -> ``{"family": "Brooker", "given": "C."}``; an organisation, whole, as a literal."""
    person = AUTHOR_PERSON.match(author)
    if person:
        return {"family": person.group("surname"), "given": " ".join(f"{i}." for i in person.group("initials"))}
    return {"literal": author}


def csl_item(row: dict) -> dict:
    """One source (a row of ``sources.csv``, text cells) as a CSL JSON item keyed by its ``source_key``."""
    def text(column: str) -> str:
        value = row.get(column)
        return "" if value is None or value != value else str(value).strip()

    kind, container = TYPES.get(text("entry_type") or "misc", TYPES["misc"])
    item: dict = {"id": text("source_key"), "type": kind}
    listed = [a.strip() for a in text("authors").split(";") if a.strip()]
    authors = [a for a in listed if a.rstrip(".") != "et al"]
    if authors:
        # "et al." in the table: citeproc reads a literal "others" as "et al." ("Mongale et al. 2023"),
        # so a paper whose other authors are not listed is never cited as if it had one author
        others = [{"literal": "others"}] if len(listed) > len(authors) else []
        item["author"] = [csl_name(a) for a in authors] + others
    item["title"] = text("title")
    year = text("year")
    if re.fullmatch(r"\d{4}", year):
        item["issued"] = {"date-parts": [[int(year)]]}
    # "date not known": no date. No published row may cite such a source (its rows are held).
    if text("publisher_or_journal"):
        item[container] = text("publisher_or_journal")
    for column, field in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if text(column):
            item[field] = text(column)
    if text("doi"):
        item["DOI"] = text("doi")
    if text("public_url").startswith(("http://", "https://")):
        item["URL"] = text("public_url")
    return item


def csl_items(rows: list[dict]) -> list[dict]:
    """Every source, in the table's order."""
    return [csl_item(row) for row in rows]


def csl_text(rows: list[dict]) -> str:
    """The CSL JSON file's text: one item per source, stable and readable in a diff."""
    return json.dumps(csl_items(rows), ensure_ascii=False, indent=1) + "\n"
