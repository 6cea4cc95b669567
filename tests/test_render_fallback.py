"""The fallback renderer (pandoc + typst from PyPI, without Quarto): several chapters rendered at
once, only the formats asked for, and citations and references that look the same in HTML, PDF and
Word (author-date, one References section), as the Quarto site's do."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from typer.testing import CliRunner

from jsna_kit.cli import app

SHEFFIELD, LEEDS = "E08000019-sheffield", "E08000035-leeds"


@pytest.fixture
def no_quarto(monkeypatch):
    import os

    folders = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not shutil.which("quarto", path=p)]
    monkeypatch.setenv("PATH", os.pathsep.join(folders))


@pytest.fixture
def executed(tmp_path, no_quarto):
    """Two chapters executed (local caseloads: no data files needed), not rendered."""
    out, no_data = tmp_path / "out", tmp_path / "no-data"
    no_data.mkdir()
    for area, caseload in (("Sheffield", "2000"), ("Leeds", "2500")):
        built = CliRunner().invoke(app, ["build", "--area", area, "--caseload", caseload, "--no-render",
                                         "--out", str(out), "--data-dir", str(no_data)])
        assert built.exit_code == 0, built.output
    return out


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_render_one_format_for_several_chapters_at_once_then_all(executed):
    site = executed / "_site" / "reports"
    result = CliRunner().invoke(app, ["render", "--out", str(executed), "--format", "html", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "rendered HTML with pandoc and typst" in " ".join(result.output.split())
    assert sorted(p.name for p in site.glob("*.*")) == sorted([f"{LEEDS}.html", f"{SHEFFIELD}.html"])

    result = CliRunner().invoke(app, ["render", "--out", str(executed)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.glob("*.*")) == sorted(f"{slug}.{fmt}" for slug in (LEEDS, SHEFFIELD)
                                                              for fmt in ("docx", "html", "pdf"))
    assert not list(executed.glob("*.fallback.*"))  # the work files are gone
    # Each page links its own PDF and Word file, named for readers, as Quarto's pages do.
    page = (site / f"{SHEFFIELD}.html").read_text(encoding="utf-8")
    assert f'Also as <a href="{SHEFFIELD}.pdf">PDF</a> or <a href="{SHEFFIELD}.docx">Word</a>.' in page
    assert not re.search(r'<(link|img)\b[^>]*(href|src)="(?!data:|https?:)', page)  # one self-contained file


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_citations_and_references_look_the_same_in_every_format(executed):
    result = CliRunner().invoke(app, ["render", "--out", str(executed), "--workers", "1"])
    assert result.exit_code == 0, result.output
    site = executed / "_site" / "reports"
    html = (site / f"{SHEFFIELD}.html").read_text(encoding="utf-8")
    html = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))
    docx = re.sub(r"<[^>]+>", "", zipfile.ZipFile(site / f"{SHEFFIELD}.docx").read("word/document.xml").decode())
    texts = [" ".join(html.split()), docx]
    if shutil.which("pdftotext"):
        texts.append(" ".join(subprocess.run(["pdftotext", str(site / f"{SHEFFIELD}.pdf"), "-"], capture_output=True,
                                             text=True, check=True).stdout.split()))
    for text in texts:
        assert re.search(r"\((\w[\w .&()-]*?) (19|20)\d\d[a-z]?[;)]", text)  # author-date
        assert not re.search(r"\[\d+\]", text)  # no numbered citations
        assert "Bibliography" not in text and "References" in text


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_formats_rendered_side_by_side_are_the_formats_rendered_in_turn(executed, tmp_path):
    """A run that renders one chapter runs two pandoc processes at once (the PDF's typst source;
    the HTML and Word) so typst starts sooner: the files must be those one run of pandoc makes."""
    from jsna_kit.config import reference_file
    from jsna_kit.publish.render import render_chapter_fallback

    bibliography = reference_file("sources.json")
    notebook = executed / f"{SHEFFIELD}.ipynb"
    made = {}
    for side_by_side in (False, True):
        site, seconds = tmp_path / f"site-{side_by_side}", {}
        outputs = render_chapter_fallback(notebook, site, bibliography=bibliography, seconds=seconds,
                                          side_by_side=side_by_side)
        assert [p.suffix for p in outputs] == [".html", ".docx", ".pdf"] and {"pdf", "html", "docx"} <= set(seconds)
        made[side_by_side] = {
            "html": (site / f"{SHEFFIELD}.html").read_bytes(),
            "docx": zipfile.ZipFile(site / f"{SHEFFIELD}.docx").read("word/document.xml"),
            # the PDF's identifiers are random and its dates the time of rendering; the rest must match
            "pdf": re.sub(rb"ID\[\([^)]*\)\([^)]*\)\]|ID>[^<]*<|D:\d{14}Z|\d{4}-\d\d-\d\dT[\d:]{8}[+-]\d\d:\d\d", b"",
                          (site / f"{SHEFFIELD}.pdf").read_bytes())}
    assert made[True] == made[False]
    assert not list(executed.glob("*.fallback.*"))  # both jobs' work files are gone
