"""Chapters a board would publish, read as its readers do: built for an English area with the
analyst's caseload, needs and own words, and for a Welsh area with a caseload given on the command
line (no data directory), rendered to HTML, Word and PDF (Quarto when on PATH, else the fallback).
Each is swept for working-note text; the Welsh one for English bodies and the English one for
Welsh recommendations; the summary comes first and the main chapter fits 12 A4 pages."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from jsna_kit.batch.run import build_area

pytestmark = pytest.mark.e2e

#: Research-note language and instructions to the analyst, never in a published chapter.
WORKING_NOTES = [
    r"not retrieved", r"\bverify\b", r"to Verify", r"Added for this project", r"row of the research notes",
    r"by position in the series", r"run `?jsna-kit", r"[Rr]eplace it with", "`",
    r"\b[A-Z][A-Z_]{2,}\d{4}[A-Z_\d]*\b",  # a raw source key (NPS2019, OMSQ_Q2_2025)
    r"\.csv\b", r"\.ipynb\b", r"seed document", r"[Ss]een only through",
    # what a reviewer found in print (issue 29): notes to maintainers, weak sources, odd numbers
    r"not yet confirmed", r"not yet part of this chapter", r"published abstract", r"[Pp]ress coverage of",
    r"\bundated\b", r"[Uu]nconfirmed", r"NHS Long Term Plan funding", r"\d+\.\d% CI", r"p = <", r"\babout 0 of\b",
    r"\)‘", r"\d′",  # a closing quotation mark set as an opening one or a prime (the PDF's typst)
    r"\(The Independent 2019[^)]*\) to about", r"\b\d\d\.\d\d%",  # 23.57%: more precision than a source supports
    r"\bn\.d\.", r"date not known", r"no date of publication",  # every reference is dated (held rows stay out)
    r"\b0\.\d+ (suicides?|deaths?) a year", r"Hamlets's", r"\b1 other measure", r": approved Premises",
    r"\[c\][^.]{0,60}fewer than 5", r"Gaps in the national evidence.{0,400}published in the tables",
]
ENGLISH_BODIES = [r"\bICBs?\b", r"[Ii]ntegrated care board", r"[Hh]ealth and wellbeing board", r"\bJSNA\b",
                  r"Joint Strategic Needs Assessment", r"\bPHOF\b", r"Public Health Outcomes Framework", r"\bOHID\b"]
WELSH_BODIES = [r"[Rr]egional partnership board", r"[Ll]ocal health boards?\b", r"Public Health Wales",
                r"[Aa]rea planning board", r"Welsh Government"]

CASELOAD = """area_code,area_name,sex,age_band,caseload,date,source,court_orders,licence,note
E06000001,Hartlepool,all,all,1000,2025-03-31,PDU count,450,600,
"""
NEEDS = """area_code,area_name,priority_area,need,numerator,denominator,period,source,note
E06000001,Hartlepool,mental_health,Mental health need identified in OASys,300,800,2024/25,OASys extract,
"""
INTRODUCTION = """# Why this matters here

Hartlepool's probation delivery unit and public health team wrote this together.

<script>alert("no")</script>
"""


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("board")
    (folder / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    notes = folder / "commentary" / "E06000001"
    notes.mkdir(parents=True)
    (notes / "introduction.md").write_text(INTRODUCTION, encoding="utf-8")
    (notes / "lived_experience.md").write_text('> "Someone finally asked about my health."', encoding="utf-8")
    (folder / "jsna-kit.toml").write_text('[chapter]\nauthor = "Hartlepool Borough Council public health"\n'
                                          'contact = "jsna@example.org"\nnext_review = "December 2027"\n',
                                          encoding="utf-8")
    out = folder / "out"
    import os

    before = Path.cwd()
    os.chdir(folder)  # where jsna-kit.toml and commentary/ are found, as for an analyst
    try:
        build_area("Hartlepool", caseload_file=folder / "caseload.csv", needs_file=folder / "needs.csv",
                   out_dir=out, data_dir=folder, today=dt.date(2026, 12, 2))
        build_area("Cardiff", caseload=1500, caseload_source="PDU count", out_dir=out, data_dir=folder,
                   today=dt.date(2026, 12, 2))
    finally:
        os.chdir(before)
    site = out / "_site" / "reports"
    return {name: _texts(site, slug) for name, slug in (("english", "E06000001-hartlepool"),
                                                         ("welsh", "W06000015-cardiff"))}


def _texts(site: Path, slug: str) -> dict:
    from pypdf import PdfReader

    html = (site / f"{slug}.html").read_text(encoding="utf-8")
    body = html.split("<body", 1)[1]
    plain = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)).split())
    with zipfile.ZipFile(site / f"{slug}.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    word = " ".join(re.sub(r"<[^>]+>", " ", xml.replace("</w:p>", "\n")).split())
    pages = [page.extract_text() or "" for page in PdfReader(site / f"{slug}.pdf").pages]
    return {"html": html, "plain": plain, "word": word, "pages": pages, "pdf": " ".join(" ".join(pages).split())}


@pytest.mark.parametrize("nation", ["english", "welsh"])
def test_no_working_notes_in_any_format(chapters, nation):
    texts = chapters[nation]
    for fmt in ("plain", "word", "pdf"):
        text = texts[fmt]
        found = [(p, m.group(0)) for p in WORKING_NOTES for m in [re.search(p, text)] if m]
        assert not found, (nation, fmt, found, [text[max(0, text.find(f[1]) - 80):text.find(f[1]) + 80]
                                                for _, f in [(0, x) for x in found]][:3])


def test_the_policy_frame_is_current_and_dated(chapters):
    english, welsh = chapters["english"]["plain"], chapters["welsh"]["plain"]
    for text in (english, welsh):
        assert "National policy last checked:" in text and "Appendix F: National policy since 2019" in text
    assert "Suicide prevention strategy for England 2023 to 2028" in english
    assert "10 Year Health Plan" in english and "local combating drugs partnership" in english
    assert "NHS England is being abolished" in english and "police and crime commissioners will be abolished" in english
    assert "Sentencing Act 2026" in english and "Sentencing Act 2026" in welsh
    assert "suicide and self-harm prevention strategy" in welsh and "10 Year Health Plan" not in welsh


def test_a_welsh_chapter_speaks_the_welsh_system(chapters):
    texts = chapters["welsh"]
    for fmt in ("plain", "word", "pdf"):
        found = [p for p in ENGLISH_BODIES if re.search(p, texts[fmt])]
        assert not found, (fmt, found)
    assert "population needs assessment" in texts["plain"].lower()
    assert re.search(r"regional partnership board", texts["plain"], re.I)


def test_an_english_chapter_never_shows_the_welsh_system(chapters):
    texts = chapters["english"]
    for fmt in ("plain", "word", "pdf"):
        found = [p for p in WELSH_BODIES if re.search(p, texts[fmt])]
        assert not found, (fmt, found)
    assert "Joint Strategic Needs Assessment" in texts["plain"]


@pytest.mark.parametrize("nation", ["english", "welsh"])
def test_the_summary_comes_first_and_the_main_chapter_fits_12_pages(chapters, nation):
    texts = chapters[nation]
    first_page = texts["pages"][0]
    assert "At a glance" in first_page and "Key messages" in first_page, first_page[:500]
    # shares said plainly: in words, or as a share here against the national one
    assert re.search(r"about \d+ in \d+|\d+% here, against \d+% nationally", first_page, re.I)
    starts = [i for i, page in enumerate(texts["pages"]) if "Appendix A: Who does what" in page
              and "Contents" not in page]
    assert starts and starts[0] <= 12, f"the appendices start on page {starts[0] + 1}"
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", texts["html"], flags=re.S)
    assert headings and "Summary" in re.sub(r"<[^>]+>", "", headings[0])
    assert "<main" in texts["html"]


def test_the_analysts_words_and_details_are_in_place_and_harmless(chapters):
    texts = chapters["english"]
    assert "wrote this together" in texts["plain"] and "Someone finally asked about my health" in texts["plain"]
    assert "<script>alert" not in texts["html"]
    for fmt in ("plain", "word", "pdf"):
        assert "Hartlepool Borough Council public health" in texts[fmt] and "December 2027" in texts[fmt]
    assert "Why this matters here" in texts["plain"]


def test_dates_are_written_in_words(chapters):
    for nation in ("english", "welsh"):
        assert "2 December 2026" in chapters[nation]["pdf"] and "2026-12-02" not in chapters[nation]["pdf"]


def test_two_areas_are_not_described_in_the_same_words(chapters):
    """Names and numbers taken out, the summaries of two contrasting areas still differ."""
    def summary(texts: dict) -> str:
        text = texts["pages"][0]
        for word in ("Hartlepool", "Cardiff"):
            text = text.replace(word, "AREA")
        return re.sub(r"[\d,.]+", "N", " ".join(text.split()))

    assert summary(chapters["english"]) != summary(chapters["welsh"])


def test_editing_the_analysts_words_rebuilds_that_chapter(tmp_path, monkeypatch):
    """Commentary is an input of the build: unchanged, the chapter is up to date; edited, it is built
    again with the new words; and it lives outside the output folder, so rebuilding keeps it."""
    import nbformat

    from jsna_kit.batch.run import build_batch

    notes = tmp_path / "commentary" / "E06000001"
    notes.mkdir(parents=True)
    (notes / "local_picture.md").write_text("Our first words.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"

    def build() -> str:
        result = build_batch(codes=["Hartlepool"], out_dir=out, data_dir=tmp_path / "data", render=False,
                             today=dt.date(2026, 12, 2))
        return result.outcomes[0].status

    def text() -> str:
        nb = nbformat.read(out / "E06000001-hartlepool.ipynb", as_version=4)
        return " ".join("".join(o.get("data", {}).get("text/markdown", "")) for c in nb.cells
                        for o in c.get("outputs", []))

    assert build() == "built" and "Our first words." in text()
    assert build() == "cached"
    (notes / "local_picture.md").write_text("Our second words.", encoding="utf-8")
    assert build() == "built" and "Our second words." in text() and "Our first words." not in text()
    assert (notes / "local_picture.md").is_file()


@pytest.mark.parametrize("nation", ["english", "welsh"])
def test_every_heading_and_anchor_is_unique(chapters, nation):
    """A section named twice would send "Local context" and Appendix B's links to the same place."""
    ids = re.findall(r'\sid="([^"]+)"', chapters[nation]["html"])
    assert ids and not [i for i in set(ids) if ids.count(i) > 1]


OUT_OF_THE_BOX = ("Norfolk", "Liverpool", "Tower Hamlets", "Newport", "Gwynedd")


@pytest.fixture(scope="module")
def out_of_the_box(tmp_path_factory):
    """The five areas a reviewer read (issue 29), as a new user builds them: no data directory,
    modelled caseloads, every format."""
    from jsna_kit.batch.run import build_batch

    folder = tmp_path_factory.mktemp("out-of-the-box")
    out = folder / "out"
    result = build_batch(codes=list(OUT_OF_THE_BOX), out_dir=out, data_dir=folder, today=dt.date(2026, 12, 7))
    assert all(o.status in ("built", "rendered") for o in result.outcomes), [o.reason for o in result.outcomes]
    site = out / "_site" / "reports"
    return {o.area_name: _texts(site, o.slug) for o in result.outcomes}


def test_no_working_notes_in_the_out_of_the_box_chapters(out_of_the_box):
    assert sorted(out_of_the_box) == sorted(OUT_OF_THE_BOX)
    for area, texts in out_of_the_box.items():
        for fmt in ("plain", "word", "pdf"):
            found = [m.group(0) for p in WORKING_NOTES for m in [re.search(p, texts[fmt])] if m]
            assert not found, (area, fmt, found)
    assert "Tower Hamlets' " in out_of_the_box["Tower Hamlets"]["plain"]
    for area in ("Newport", "Gwynedd"):  # Wales's own strategy, and expected deaths on Welsh rates
        text = out_of_the_box[area]["plain"]
        assert "Wales's suicide and self-harm prevention strategy" in text
        assert re.search(rf"follow {area}'s own death rates in the whole population: its suicide rate is "
                         r"\w+(?: \w+)? Wales's", text), area


def test_appendix_c_names_each_figure_by_the_id_the_downloads_use(chapters):
    """A reader can find a figure of Appendix C in evidence.csv and estimates.csv (issue 25)."""
    appendix = chapters["english"]["plain"].split("Appendix C: National evidence", 2)[-1]
    assert "(ID MH05)" in appendix and "(ID SP04)" in appendix
