"""End to end: build one chapter with nothing but the repository (the README's first command),
render it with the fallback renderer, and check what a reader would see."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from jsna_kit.batch.run import build_area
from jsna_kit.cli import app
from jsna_kit.load.reference import load_reference
from jsna_kit.model.estimates import applied_evidence
from jsna_kit.priorities import PRIORITY_AREAS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def sheffield(tmp_path_factory):
    """Sheffield with a local caseload of 2,000, built without any data directory."""
    out = tmp_path_factory.mktemp("reports")
    empty_data = tmp_path_factory.mktemp("no-data")
    result = build_area("E08000019", area_name="Sheffield", caseload=2000, out_dir=out,
                        data_dir=empty_data, today=dt.date(2026, 11, 23))
    html = (out / "_site" / "reports" / "E08000019-sheffield.html").read_text(encoding="utf-8")
    return result, out, html


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_build_writes_the_executed_notebook_and_renders_three_formats(sheffield):
    result, out, _ = sheffield
    assert result.status == "built" and Path(result.notebook) == out / "E08000019-sheffield.ipynb"
    site = out / "_site" / "reports"
    for suffix in (".html", ".docx", ".pdf"):
        assert (site / f"E08000019-sheffield{suffix}").stat().st_size > 1000
    assert sorted(Path(p).suffix for p in result.outputs) in ([".docx", ".html", ".pdf"], [""])  # fallback or Quarto
    assert not list(out.rglob("*.partial*")), "no half-written files are left behind"


def test_chapter_shows_area_name_and_all_seven_priority_headings_in_order(sheffield):
    _, _, html = sheffield
    text = _text(html)
    assert "Health needs of people on probation: Sheffield" in text
    positions = []
    for pa in PRIORITY_AREAS:
        match = re.search(r"<h2[^>]*>\s*" + re.escape(pa.title) + r"\s*</h2>", html)
        assert match, f"no <h2> for {pa.title}"
        positions.append(match.start())
    assert positions == sorted(positions)


def test_headline_estimate_follows_from_the_caseload(sheffield):
    """The mental health headline applies its national percentage to 2,000 people; the expected
    number is worked out here from the reference data, independently of the engine."""
    _, _, html = sheffield
    evidence = applied_evidence(load_reference().estimates)
    head = evidence[(evidence["priority_area"] == "mental_health") & (evidence["role"] == "headline")].iloc[0]
    expected = 5 * round(2000 * float(head["value"]) / 100 / 5)
    assert f"An estimated {expected:,}" in _text(html)


def test_every_section_has_a_cited_national_figure_and_a_local_estimate(sheffield):
    result, out, _ = sheffield
    estimates = (out / "E08000019-sheffield" / "data" / "estimates.csv").read_text()
    nb = nbformat.read(result.notebook, as_version=4)
    nbformat.validate(nb)  # the build writes the notebook without nbformat's own (log-only) check
    outputs = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            md = o.get("data", {}).get("text/markdown")
            if md and "### What it means for" in "".join(md):
                key = re.search(r"#sec-([a-z-]+)-estimate", "".join(md)).group(1)
                outputs[key] = "".join(md)
    assert len(outputs) == 7
    for key, md in outputs.items():
        assert re.search(r"\[@[A-Z]", md), f"{key}: no citation"
    roles = {row["priority_area"]: set() for row in csv.DictReader(io.StringIO(estimates))}
    for row in csv.DictReader(io.StringIO(estimates)):
        roles[row["priority_area"]].add(row["role"])
    assert all("headline" in r or "proxy" in r for r in roles.values()), roles
    for key, md in outputs.items():  # a headline's local estimate is in bold
        if "headline" in roles[key.replace("-", "_")]:
            assert re.search(r"An estimated \*\*[\d,]+\*\*", md), f"{key}: no local estimate in bold"


def test_figures_are_embedded_with_alt_text(sheffield):
    _, _, html = sheffield
    images = re.findall(r"<img\b[^>]*>", html)
    assert images, "no figure in the chapter"
    for img in images:
        assert 'src="data:image/svg+xml;base64,' in img
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1)) > 20, img[:200]


def test_word_gets_png_copies_of_the_svg_figures(sheffield):
    """Word before Microsoft 365 cannot show SVG: the docx embeds a PNG for every figure."""
    import zipfile

    _, out, _ = sheffield
    figures = sorted((out / "E08000019-sheffield" / "figures").glob("*.svg"))
    # a range chart for each priority area with more than one national figure, and the chart of local
    # indicators; no boundaries, so no map
    assert len(figures) >= 4 and (out / "E08000019-sheffield" / "figures" / "context-spine.svg") in figures
    with zipfile.ZipFile(out / "_site" / "reports" / "E08000019-sheffield.docx") as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        pngs = [docx.read(n) for n in media if n.endswith(".png")]
    assert not [n for n in media if n.endswith(".svg")]
    assert len(pngs) == len(figures) and all(p.startswith(b"\x89PNG") and len(p) > 5000 for p in pngs)


def test_the_pdf_and_word_file_are_accessible(sheffield):
    """The fallback's PDF is tagged PDF/UA-1 with alt text on every figure; its Word file has
    Heading 1 to 3 and alt text on every picture, none in a layout table (issue 30)."""
    from accessible_formats import docx_problems, pdf_problems

    _, out, _ = sheffield
    site = out / "_site" / "reports"
    assert pdf_problems(site / "E08000019-sheffield.pdf") == []
    assert docx_problems(site / "E08000019-sheffield.docx") == []


def test_the_web_page_folds_its_appendices_and_references(sheffield):
    """Issue 30: on the web page each appendix and the references are folded under their own
    headings (the PDF and Word file keep them open)."""
    _, out, html = sheffield
    folds = re.findall(r'<details class="appendix">\s*<summary><h2[^>]*>([^<]*)</h2>', html)
    assert [f.split(":")[0] for f in folds] == [f"Appendix {c}" for c in "ABCDEFG"] + ["References"]
    assert "Key messages for the board" not in "".join(html.split('<details class="appendix">')[1:])


def test_without_boundaries_there_is_no_map_and_no_instruction_to_the_reader(sheffield):
    """The analyst learns how to add the map from the README; the chapter's reader is not told to
    run a command."""
    _, _, html = sheffield
    assert 'id="figure-location"' not in html and "jsna-kit data fetch" not in _text(html)


def test_with_boundaries_the_area_is_mapped_within_its_region(shared_data_dir, tmp_path):
    build_area("Cardiff", caseload=1500, out_dir=tmp_path, data_dir=shared_data_dir, today=dt.date(2026, 11, 23))
    html = (tmp_path / "_site" / "reports" / "W06000015-cardiff.html").read_text(encoding="utf-8")
    assert 'alt="Map of Wales showing its 22 local authority areas in grey, with Cardiff ' \
           'highlighted in blue."' in html
    svg = (tmp_path / "W06000015-cardiff" / "figures" / "location.svg").read_text(encoding="utf-8")
    assert svg.count("<path ") == 22 and svg.count('fill="#0072B2"') == 1  # Cardiff alone in blue


def test_data_download_and_manifest(sheffield):
    _, out, _ = sheffield
    data = out / "E08000019-sheffield" / "data"
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["parameters"]["area_code"] == "E08000019"
    names = {(i["role"], i["name"]) for i in manifest["inputs"]}
    assert {("reference", "national_estimates.csv"), ("reference", "sources.json"), ("template", "chapter.ipynb"),
            ("download", "estimates.csv")} <= names
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    # the public manifest: the caseload as the chapter shows it (rounded to 5), marked so
    assert manifest["public"] is True
    assert manifest["request"] == {"area": "E08000019", "area_name": "Sheffield", "caseload": 2000,
                                   "caseload_rounded": True,
                                   "caseload_source": None, "caseload_file": None, "needs_file": None,
                                   "services_file": None, "sheet": None, "template": "chapter.ipynb",
                                   "reference": "built-in"}
    record = json.loads((out / ".jsna-cache" / "manifests" / "E08000019-sheffield.json").read_text())
    assert "public" not in record and record["request"]["caseload"] == 2000
    assert "caseload_rounded" not in record["request"]
    assert str(out) not in json.dumps(manifest) and "/" not in "".join(i["name"] for i in manifest["inputs"]
                                                                        if i["role"] != "data directory")
    assert (data / "estimates.xlsx").stat().st_size > 0
    # which tool and version made each format: here the fallback (Quarto is not on PATH in tests)
    made = manifest["rendered_with"]
    assert set(made) == {"html", "docx", "pdf"} and made == record["rendered_with"]
    assert re.fullmatch(r"pandoc \d+(\.\d+)+ \(jsna-kit's fallback renderer\)", made["html"])
    assert re.match(r"typst \d+\.\d+\.\d+ \(the typst Python package\), from pandoc \d", made["pdf"])
    # the copy published beside the chapter says the same
    site_copy = json.loads((out / "_site" / "reports" / "E08000019-sheffield" / "data" / "manifest.json").read_text())
    assert site_copy["rendered_with"] == made


def test_hostile_area_name_comes_out_as_text(tmp_path):
    """A name with quotes, newlines, Markdown, HTML and Python must be shown, not run."""
    marker = tmp_path / "PWNED"
    name = f'Shef"field\'); open("{marker}", "w") #\n# Heading <script>alert(1)</script> [x](y) @KEY'
    build_area("E08000019", area_name=name, caseload=100, out_dir=tmp_path / "out",
               data_dir=tmp_path, today=dt.date(2026, 11, 23))
    assert not marker.exists()
    html_files = list((tmp_path / "out" / "_site" / "reports").glob("*.html"))
    assert len(html_files) == 1
    html = html_files[0].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'open(' in _text(html)  # shown as text


def _said(output: str) -> str:
    """What the command printed, as one line: rich's box drawing and line wrapping taken out."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", output).split())


def test_cli_build_prints_the_fallback_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no quarto on PATH
    monkeypatch.setenv("JSNA_KIT_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["build", "--area", "Sheffield", "--caseload", "2000", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    said = _said(result.output)
    unbroken = "".join(said.split())  # long paths are wrapped mid-word
    site = tmp_path / "out" / "_site" / "reports"
    assert "Quarto was not found on PATH: rendered HTML, Word and PDF with pandoc and typst from PyPI instead" in said
    assert f"in{site}.Forthefullwebsite" in unbroken
    for suffix in (".html", ".docx", ".pdf"):
        assert f"{site / 'E08000019-sheffield'}{suffix}" in unbroken
        assert (site / f"E08000019-sheffield{suffix}").is_file()


@pytest.mark.parametrize("bad, code, message", [
    ("0", 1, "error: --caseload must be a positive number of people, not 0"),
    ("-5", 1, "error: --caseload must be a positive number of people, not -5"),
    ("abc", 2, "Invalid value for '--caseload': Input should be a valid number, unable to parse string as a number"),
])
def test_cli_rejects_bad_caseload(tmp_path, bad, code, message):
    result = CliRunner().invoke(app, ["build", "--area", "E08000019", "--caseload", bad, "--out",
                                      str(tmp_path)])
    assert result.exit_code == code
    assert isinstance(result.exception, SystemExit), result.exception  # a clean exit, not a crash
    assert message in _said(result.output)
    assert not list(tmp_path.iterdir()), "nothing is built"


def test_estimates_for_every_area_share_out_the_national_caseload(shared_data_dir, tmp_path):
    """Modelled caseloads: every area with a population gets one, rounded to 5, and together
    they add up (before rounding) to the latest national caseload."""
    from jsna_kit.batch.estimates import estimates_for_areas
    from jsna_kit.publish.tables import write_table

    table, notes = estimates_for_areas(None, data_dir=shared_data_dir)
    heads = table[table["role"] == "headline"].drop_duplicates("area_code")
    assert heads["area_code"].nunique() == 175  # the mid-2023 snapshot models every area
    assert notes == []
    assert (heads["caseload"] % 5 == 0).all()
    assert heads["caseload_kind"].eq("modelled").all()
    national = load_reference().caseload
    latest = national[(national["measure"] == "total") & national["value"].notna()].sort_values("date").iloc[-1]
    assert abs(heads["caseload"].sum() - latest["value"]) <= 2.5 * len(heads)
    path = write_table(table, tmp_path / "all.parquet")
    import pandas as pd

    assert len(pd.read_parquet(path)) == len(table)


def test_word_document_has_the_chapter_headings(sheffield):
    import zipfile

    _, out, _ = sheffield
    with zipfile.ZipFile(out / "_site" / "reports" / "E08000019-sheffield.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    for pa in PRIORITY_AREAS:
        assert pa.title in text
    assert "Summary" in text and "At a glance" in text and "References" in text


def test_quarto_project_file_is_consistent(repo_root):
    import yaml

    config = yaml.safe_load((repo_root / "_quarto.yml").read_text())
    assert config["project"]["type"] == "website"
    assert "reports/*.ipynb" in config["project"]["render"]
    assert set(config["format"]) == {"html", "typst", "docx"}
    assert config["execute"]["enabled"] is False  # executed notebooks are rendered, not re-run
    assert (repo_root / config["bibliography"]).is_file()
    assert (repo_root / config["format"]["html"]["css"]).is_file()
    paths = [f if isinstance(f, str) else f["path"] for f in config["filters"]]
    assert paths and all((repo_root / f).is_file() for f in paths), config["filters"]
    # Word figures out of Quarto's layout tables, after Quarto's own filters
    assert {"path": "src/jsna_kit/publish/filters/docx_figures.lua", "at": "post-render"} in config["filters"]
    assert config["website"]["search"] is False and config["format"]["html"]["html-math-method"] == "plain"


def test_pdf_cites_and_lists_references_as_the_web_page_does(sheffield):
    """The PDF's citations come from citeproc, like the HTML's and Word's (author and year),
    not typst's own numbered style; its figures are there as vector graphics."""
    from pypdf import PdfReader

    _, out, html = sheffield
    pdf = PdfReader(out / "_site" / "reports" / "E08000019-sheffield.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "(Brooker et al. 2012" in text and "(Brooker et al. 2012" in _text(html)
    assert "[1]" not in text
    assert "References" in text and "Brooker, C" in text
    assert "Estimated number of people on probation" in text  # the charts' own text


def test_one_area_is_a_batch_of_one(tmp_path, monkeypatch):
    """``build --area`` takes the batch's road: it writes the build report, is up to date when run
    again with nothing changed, is rebuilt when what was given for it changes, and --force
    rebuilds it."""
    (tmp_path / "no-data").mkdir()
    monkeypatch.setenv("JSNA_KIT_DATA_DIR", str(tmp_path / "no-data"))
    out = tmp_path / "out"

    def build(*extra: str):
        result = CliRunner().invoke(app, ["build", "--area", "Sheffield", "--caseload", "2000", "--out", str(out),
                                          "--no-render", *extra])
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    assert "Executed chapter:" in build()
    report = json.loads((out / "build-report.json").read_text())
    assert [(a["area_code"], a["status"], a["reason"]) for a in report["areas"]] == [
        ("E08000019", "built", "not built before")]
    notebook = out / "E08000019-sheffield.ipynb"
    executed = notebook.stat().st_mtime_ns
    assert "Up to date:" in build()
    assert notebook.stat().st_mtime_ns == executed
    assert "Executed chapter:" in build("--caseload-source", "PDU count, 31 March 2025")
    assert json.loads((out / "E08000019-sheffield" / "data" / "chapter.json").read_text())["caseload_source"] \
        == "PDU count, 31 March 2025"
    executed = notebook.stat().st_mtime_ns
    assert "Executed chapter:" in build("--caseload-source", "PDU count, 31 March 2025", "--force")
    assert notebook.stat().st_mtime_ns > executed


def test_a_caseload_file_without_the_area_is_an_error(tmp_path):
    caseloads = tmp_path / "caseload.csv"
    caseloads.write_text("area_code,area_name,sex,age_band,caseload,date,source\n"
                         "E06000001,Hartlepool,all,all,900,2025-03-31,test figure\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--area", "Sheffield", "--caseload-file", str(caseloads),
                                      "--out", str(tmp_path / "out"), "--data-dir", str(tmp_path), "--no-render"])
    assert result.exit_code == 1
    assert ("caseload.csv has no caseload rows for E08000019 (it holds E06000001); add them, give the file for "
            "this area, or build the area with --caseload N") in " ".join(result.output.split())
