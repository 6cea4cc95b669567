"""What a researcher does: swap in their own evidence (``--reference``), compare two runs
(``jsna-kit compare``), hand on downloads that explain themselves, and rebuild a published chapter
from its manifest, byte for byte."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jsna_kit.cli import app
from jsna_kit.config import ENV_REFERENCE_DIR, reference_dir
from jsna_kit.publish.dictionary import DEFINITIONS

HARTLEPOOL = "E06000001"


@pytest.fixture(autouse=True)
def built_in_reference():
    """Each test starts from the built-in reference data, and ``--reference`` leaves nothing behind."""
    assert ENV_REFERENCE_DIR not in os.environ
    yield
    assert ENV_REFERENCE_DIR not in os.environ, "--reference outlived its command"


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def said(output: str) -> str:
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", output).split())


def estimates_file(*, rows: list[dict], path: Path) -> Path:
    """An own national_estimates.csv: the built-in one with ``rows`` changes applied by estimate_id
    (a dict with ``estimate_id`` and the columns to change; ``None`` for a column drops it)."""
    with (reference_dir() / "national_estimates.csv").open(encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    dropped = {k for change in rows for k, v in change.items() if v is None}
    for change in rows:
        for row in table:
            if row["estimate_id"] == change["estimate_id"]:
                row.update({k: v for k, v in change.items() if v is not None})
    columns = [c for c in table[0] if c not in dropped]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    return path


# --- own evidence --------------------------------------------------------------------------------

@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_own_evidence_changes_one_headline_everywhere_and_nothing_else(tmp_path, shared_data_dir):
    """The mental health headline (MH05, 39% of 173) taken as 40%: every area's MH05 estimate is its
    caseload x 40%, and every other row of every area is as before."""
    own = tmp_path / "own"
    estimates_file(rows=[{"estimate_id": "MH05", "value": "40", "value_text": "40%"}],
                   path=own / "national_estimates.csv")  # the only file: the rest are built in
    base, scenario = tmp_path / "base.csv", tmp_path / "scenario.csv"
    assert invoke("estimates", "--all", "--data-dir", shared_data_dir, "--out", base).exit_code == 0
    result = invoke("estimates", "--all", "--data-dir", shared_data_dir, "--reference", own, "--out", scenario)
    assert result.exit_code == 0, result.output
    a, b = pd.read_csv(base), pd.read_csv(scenario)
    assert len(a) == len(b) and a["area_code"].nunique() == 175
    key = ["area_code", "priority_area", "estimate_id", "sex", "age_band"]
    a, b = a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    mh = b["estimate_id"] == "MH05"
    pd.testing.assert_frame_equal(a[~mh], b[~mh])
    assert set(b.loc[mh, "prevalence_pct"]) == {40.0} and set(a.loc[mh, "prevalence_pct"]) == {39.0}
    # published counts are rounded to 5, and so is a modelled caseload: within 0.4 x 2.5 + 2.5 of 40%
    assert ((b.loc[mh, "expected"] - 0.40 * b.loc[mh, "caseload"]).abs() <= 3.5).all()
    assert (b.loc[mh, "expected"] >= a.loc[mh, "expected"]).all()
    assert (b.loc[mh, "expected"] > a.loc[mh, "expected"]).mean() > 0.9


def test_exported_reference_gives_the_built_in_results_and_is_not_overwritten(tmp_path, shared_data_dir):
    folder = tmp_path / "reference"
    result = invoke("reference", "export", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in reference_dir().iterdir() if p.is_file())
    again = invoke("reference", "export", folder)
    assert again.exit_code == 1 and "already holds" in said(again.output) and "--force" in said(again.output)
    built_in, exported = tmp_path / "a.csv", tmp_path / "b.csv"
    invoke("estimates", "--area", "Sheffield", "--caseload", "1234", "--out", built_in, "--data-dir", tmp_path)
    invoke("estimates", "--area", "Sheffield", "--caseload", "1234", "--out", exported, "--data-dir", tmp_path,
           "--reference", folder)
    assert built_in.read_bytes() == exported.read_bytes()


@pytest.mark.parametrize("change, column, message", [
    ({"estimate_id": "MH05", "measure_kind": None}, "measure_kind", "a required column is missing"),
    ({"estimate_id": "MH05", "value": "140"}, "value", "a percentage must be between 0 and 100"),
    ({"estimate_id": "SP17", "ci_lower": "40", "ci_upper": "45", "ci_level": "95"}, "value",
     "the published interval (ci_lower to ci_upper) must contain the value"),
    ({"estimate_id": "MH05", "source_keys": "NOSUCHSOURCE2020"}, "source_keys", "NOSUCHSOURCE2020"),
])
def test_bad_own_evidence_is_named_by_file_row_and_column(tmp_path, change, column, message):
    own = tmp_path / "own"
    path = estimates_file(rows=[change], path=own / "national_estimates.csv")
    result = invoke("estimates", "--area", "Sheffield", "--caseload", "100", "--out", tmp_path / "e.csv",
                    "--data-dir", tmp_path, "--reference", own)
    text = said(result.output)
    assert result.exit_code == 1, text
    assert str(path) in "".join(result.output.split()) and f"column '{column}'" in text and message in text
    if column != "measure_kind":
        assert re.search(r"row \d+", text), text
    assert not (tmp_path / "e.csv").exists()


def test_own_evidence_that_leaves_a_priority_area_without_a_headline(tmp_path):
    """Every opd_pathway row made a gap: no figure can head the priority area."""
    with (reference_dir() / "national_estimates.csv").open(encoding="utf-8-sig") as fh:
        ids = [r["estimate_id"] for r in csv.DictReader(fh) if r["priority_area"] == "opd_pathway"]
    own = tmp_path / "own"
    estimates_file(rows=[{"estimate_id": i, "status": "gap", "value": "", "value_text": "", "range_low": "",
                          "range_high": "", "numerator": "", "ci_lower": "", "ci_upper": "", "ci_level": ""}
                         for i in ids], path=own / "national_estimates.csv")
    result = invoke("estimates", "--area", "Sheffield", "--caseload", "100", "--out", tmp_path / "e.csv",
                    "--data-dir", tmp_path, "--reference", own)
    text = said(result.output)
    assert result.exit_code == 1, text
    assert "column 'priority_area'" in text and "opd_pathway" in text
    assert "no row can head this priority area" in text


def test_a_misnamed_file_in_the_own_folder_is_an_error(tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "national_estimate.csv").write_text("estimate_id\n", encoding="utf-8")
    result = invoke("estimates", "--area", "Sheffield", "--caseload", "100", "--out", tmp_path / "e.csv",
                    "--data-dir", tmp_path, "--reference", own)
    assert result.exit_code == 1
    assert "is not one of the reference files" in said(result.output)


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_own_evidence_is_an_input_of_the_build(tmp_path):
    """A chapter built with own evidence lists it in its manifest; editing it rebuilds the chapter."""
    own, out = tmp_path / "own", tmp_path / "out"
    estimates_file(rows=[{"estimate_id": "MH05", "value": "40", "value_text": "40%"}],
                   path=own / "national_estimates.csv")
    args = ["build", "--area", "Sheffield", "--caseload", "2000", "--no-render", "--out", out, "--data-dir",
            tmp_path / "no-data", "--reference", own]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    data = out / "E08000019-sheffield" / "data"
    manifest = json.loads((data / "manifest.json").read_text())
    roles = {i["name"]: i["role"] for i in manifest["inputs"]}
    assert roles["national_estimates.csv"] == "reference (own)" and roles["sources.csv"] == "reference"
    assert manifest["request"]["reference"] == "own"
    assert "Up to date" in said(invoke(*args).output)
    estimates_file(rows=[{"estimate_id": "MH05", "value": "41", "value_text": "41%"}],
                   path=own / "national_estimates.csv")
    again = invoke(*args)
    assert "Executed chapter" in said(again.output)
    assert 41.0 in set(pd.read_csv(data / "estimates.csv")["prevalence_pct"])


# --- compare -------------------------------------------------------------------------------------

def _table(rows: list[tuple]) -> pd.DataFrame:
    columns = ["area_code", "area_name", "priority_area", "estimate_id", "role", "caseload", "expected",
               "expected_lower", "expected_upper"]
    return pd.DataFrame(rows, columns=columns)


def test_compare_two_constructed_tables(tmp_path):
    a = _table([("E1", "Aston", "mental_health", "MH05", "headline", 1000, 390, 320, 465),
                ("E1", "Aston", "substance_misuse", "SM06", "headline", 1000, 600, 525, 670),
                ("E1", "Aston", "substance_misuse", "SM01", "alternative", 1000, 500, 450, 550),
                ("E1", "Aston", "suicide_prevention", "SP17", "headline", 1000, 325, 260, 395),
                ("E1", "Aston", "opd_pathway", "PD01", "headline", 1000, 480, 405, 555),
                ("E2", "Bury", "mental_health", "MH05", "headline", 500, 195, 160, 235)])
    b = _table([("E1", "Aston", "mental_health", "MH05", "headline", 1000, 400, 330, 475),  # within
                ("E1", "Aston", "substance_misuse", "SM06", "headline", 1000, 700, 620, 780),  # beyond
                ("E1", "Aston", "suicide_prevention", "SP20", "headline", 1000, 325, 260, 395),  # new headline
                ("E1", "Aston", "opd_pathway", "PD01", "headline", 1000, 480, 405, 555),  # same
                ("E3", "Crewe", "mental_health", "MH05", "headline", 800, 310, 255, 370)])
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_parquet(tmp_path / "b.parquet", index=False)
    result = invoke("compare", tmp_path / "a.csv", tmp_path / "b.parquet", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = said(result.output)
    assert "note: 1 area(s) only in the baseline, left out: E2" in text
    assert "note: 1 area(s) only in the scenario, left out: E3" in text
    assert "3 of 4 headline estimates moved, 1 by more than their uncertainty." in text
    out = pd.read_csv(tmp_path / "out" / "comparison.csv").set_index(["area_code", "priority_area"])
    assert out.loc[("E1", "mental_health"), "status"] == "moved"
    assert out.loc[("E1", "mental_health"), "change"] == 10
    assert out.loc[("E1", "mental_health"), "change_pct"] == pytest.approx(100 * 10 / 390)
    assert not out.loc[("E1", "mental_health"), "beyond_uncertainty"]  # 400 within 320-465, 390 within 330-475
    assert out.loc[("E1", "substance_misuse"), "beyond_uncertainty"]  # 700 outside 525-670
    assert out.loc[("E1", "suicide_prevention"), "status"] == "headline changed"
    assert out.loc[("E1", "opd_pathway"), "status"] == "same"
    assert out.loc[("E2", "mental_health"), "status"] == "only in a"
    assert out.loc[("E3", "mental_health"), "status"] == "only in b"
    summary = (tmp_path / "out" / "comparison.md").read_text()
    assert "only in a: E2" in summary and "only in b: E3" in summary
    assert "![Dot chart of the change" in summary and (tmp_path / "out" / "comparison.svg").is_file()
    sheets = pd.read_excel(tmp_path / "out" / "comparison.xlsx", sheet_name=None)
    assert list(sheets) == ["comparison", "by priority area"] and len(sheets["comparison"]) == len(out)


def test_compare_a_table_without_the_columns_it_needs(tmp_path):
    _table([("E1", "Aston", "mental_health", "MH05", "headline", 1000, 390, 320, 465)]).drop(
        columns=["expected_upper"]).to_csv(tmp_path / "a.csv", index=False)
    _table([("E1", "Aston", "mental_health", "MH05", "headline", 1000, 390, 320, 465)]).to_csv(
        tmp_path / "b.csv", index=False)
    result = invoke("compare", tmp_path / "a.csv", tmp_path / "b.csv", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "column 'expected_upper'" in said(result.output) and "a.csv" in said(result.output)


# --- downloads that explain themselves, and the manifest -------------------------------------------

CASELOAD = ("area_code,area_name,sex,age_band,caseload,date,source\n"
            f"{HARTLEPOOL},Hartlepool,all,all,1003,2025-03-31,PDU count\n"
            f"{HARTLEPOOL},Hartlepool,male,all,880,2025-03-31,PDU count\n"
            f"{HARTLEPOOL},Hartlepool,female,all,123,2025-03-31,PDU count\n")
NEEDS = ("area_code,area_name,priority_area,need,numerator,denominator,period,source\n"
         f"{HARTLEPOOL},Hartlepool,mental_health,Mental health need identified in OASys,300,800,2024/25,OASys\n")


@pytest.fixture(scope="module")
def hartlepool(tmp_path_factory, shared_data_dir):
    folder = tmp_path_factory.mktemp("hartlepool")
    (folder / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--area", "Hartlepool", "--caseload-file", str(folder / "caseload.csv"),
                                      "--needs-file", str(folder / "needs.csv"), "--no-render",
                                      "--out", str(folder / "first"), "--data-dir", str(shared_data_dir)])
    assert result.exit_code == 0, result.output
    return folder, folder / "first" / f"{HARTLEPOOL}-hartlepool" / "data"


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_the_dictionary_defines_every_column_of_every_table(hartlepool):
    _, data = hartlepool
    written = {p.name: pd.read_csv(p) for p in sorted(data.glob("*.csv")) if p.name != "dictionary.csv"}
    assert {"estimates.csv", "evidence.csv", "observed.csv"} <= set(written)
    dictionary = pd.read_csv(data / "dictionary.csv")
    for name, frame in written.items():
        defined = dictionary[dictionary["file"] == name]
        assert list(defined["column"]) == list(frame.columns), name
        assert defined["meaning"].notna().all() and (defined["meaning"].str.len() > 10).all(), name
        assert set(frame.columns) <= set(DEFINITIONS[name]), name


def test_the_workbook_has_its_columns_and_sources_frozen_headers_filters_and_plain_numbers(hartlepool):
    _, data = hartlepool
    sheets = pd.read_excel(data / "estimates.xlsx", sheet_name=None)
    assert list(sheets)[:2] == ["estimates", "local observed"]
    assert list(sheets)[-3:] == ["columns", "national evidence", "sources"]
    columns = sheets["columns"]
    for sheet, frame in sheets.items():
        if sheet in ("columns", "sources"):
            continue
        assert list(columns.loc[columns["sheet"] == sheet, "column"]) == list(frame.columns), sheet
    sources = sheets["sources"]
    with (reference_dir() / "sources.csv").open(encoding="utf-8-sig") as fh:
        keys = [r["source_key"] for r in csv.DictReader(fh)]
    assert list(sources["source_key"]) == keys and sources["citation"].str.len().min() > 5
    brooker = sources[sources["source_key"] == "BROOKER2012"].iloc[0]
    assert "Brooker" in brooker["citation"] and "2012" in brooker["citation"]
    assert not sources["url"].fillna("").str.contains("seed document").any()
    with zipfile.ZipFile(data / "estimates.xlsx") as book:
        names = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(names) == len(sheets)
        for name in names:
            xml = book.read(name).decode("utf-8")
            assert 'ySplit="1"' in xml and "<autoFilter" in xml, name
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        assert workbook.count("_xlnm._FilterDatabase") == len(sheets)
        numbers = re.findall(r'<c r="[A-Z]+\d+"(?: s="\d+")?><v>([^<]+)</v>', book.read(names[0]).decode("utf-8"))
    assert numbers, "numbers are stored as numbers"
    for value in numbers:
        digits = value.lstrip("-").replace(".", "").lstrip("0").split("E")[0].split("e")[0]
        assert len(digits.rstrip("0") if "." in value else digits.rstrip("0")) <= 6, value
    estimates = sheets["estimates"]
    assert estimates["caseload"].eq(1005).all()  # 1,003 rounded to 5, as published


def test_the_manifest_names_no_path_of_the_machine(hartlepool):
    folder, data = hartlepool
    text = (data / "manifest.json").read_text()
    manifest = json.loads(text)
    assert str(folder) not in text and "/work/" not in text and "/tmp/" not in text
    assert manifest["request"] == {"area": HARTLEPOOL, "area_name": None, "caseload": None, "caseload_source": None,
                                   "caseload_file": "caseload.csv", "needs_file": "needs.csv",
                                   "services_file": None, "sheet": None,
                                   "template": "chapter.ipynb", "reference": "built-in"}
    roles = {(i["role"], i["name"]) for i in manifest["inputs"]}
    assert {("caseload file", "caseload.csv"), ("needs file", "needs.csv"),
            ("data directory", "population/mid2019_population_by_age.csv")} - roles == {("data directory",
            "population/mid2019_population_by_age.csv")}  # a local caseload needs no population file


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_chapter_built_again_from_its_manifest_has_the_same_downloads(hartlepool, shared_data_dir):
    folder, data = hartlepool
    manifest = data / "manifest.json"
    missing = invoke("build", "--manifest", manifest, "--out", folder / "again", "--data-dir", shared_data_dir)
    assert missing.exit_code == 1
    assert "built from the analyst's file caseload.csv: give it with --caseload-file" in said(missing.output)
    (folder / "edited.csv").write_text(CASELOAD.replace("1003", "1004").replace("880", "881"), encoding="utf-8")
    wrong = invoke("build", "--manifest", manifest, "--caseload-file", folder / "edited.csv", "--needs-file",
                   folder / "needs.csv", "--out", folder / "again", "--data-dir", shared_data_dir)
    assert wrong.exit_code == 1
    assert "caseload.csv (caseload file)" in said(wrong.output) and "SHA-256 differs" in said(wrong.output)
    assert not (folder / "again").exists()
    again = invoke("build", "--manifest", manifest, "--caseload-file", folder / "caseload.csv", "--needs-file",
                   folder / "needs.csv", "--no-render", "--out", folder / "again", "--data-dir", shared_data_dir)
    assert again.exit_code == 0, again.output
    rebuilt = folder / "again" / f"{HARTLEPOOL}-hartlepool" / "data"
    for name in ("chapter.json", "estimates.csv", "evidence.csv", "observed.csv", "dictionary.csv", "estimates.xlsx"):
        assert (rebuilt / name).read_bytes() == (data / name).read_bytes(), name
    first, second = json.loads(manifest.read_text()), json.loads((rebuilt / "manifest.json").read_text())
    first.pop("created"), second.pop("created")
    assert first == second
    with zipfile.ZipFile(io.BytesIO((data / "estimates.xlsx").read_bytes())) as book:
        assert json.loads(manifest.read_text())["built"] in book.read("docProps/core.xml").decode()


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_own_evidence_named_in_jsna_kit_toml_reaches_the_chapter(tmp_path, monkeypatch):
    """reference_dir in jsna-kit.toml (relative to the file) is used by the estimates and by the
    chapter's notebook, whose kernel runs in another folder."""
    own = tmp_path / "own"
    estimates_file(rows=[{"estimate_id": "MH05", "value": "40", "value_text": "40%"}],
                   path=own / "national_estimates.csv")
    recommendations = (reference_dir() / "recommendations.csv").read_text(encoding="utf-8-sig")
    (own / "recommendations.csv").write_text(recommendations.replace(
        "Commission enough mental health treatment capacity", "Commission OWN-EVIDENCE treatment capacity", 1),
        encoding="utf-8")
    (tmp_path / "jsna-kit.toml").write_text('reference_dir = "own"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    result = invoke("build", "--area", "Sheffield", "--caseload", "1000", "--no-render", "--out", out,
                    "--data-dir", tmp_path / "no-data")
    assert result.exit_code == 0, result.output
    data = out / "E08000019-sheffield" / "data"
    estimates = pd.read_csv(data / "estimates.csv")
    assert estimates.loc[estimates["estimate_id"] == "MH05", "expected"].tolist() == [400]
    notebook = (out / "E08000019-sheffield.ipynb").read_text(encoding="utf-8")
    assert "An estimated **400**" in notebook
    assert "Commission OWN-EVIDENCE treatment capacity" in notebook  # the kernel read the same reference data
    assert json.loads((data / "manifest.json").read_text())["request"]["reference"] == "own"


def test_compare_output_folders_made_by_different_versions(tmp_path):
    for side, version, expected in (("a", "0.1.0", 390), ("b", "0.2.0", 400)):
        data = tmp_path / side / "E1-aston" / "data"
        data.mkdir(parents=True)
        _table([("E1", "Aston", "mental_health", "MH05", "headline", 1000, expected, 320, 475)]).to_csv(
            data / "estimates.csv", index=False)
        (data / "chapter.json").write_text(json.dumps({"jsna_kit_version": version}), encoding="utf-8")
    result = invoke("compare", tmp_path / "a", tmp_path / "b", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "note: made by different jsna-kit versions (0.1.0 and 0.2.0)" in said(result.output)
    assert "different versions of jsna-kit (a: 0.1.0; b: 0.2.0)" in (tmp_path / "out" / "comparison.md").read_text()


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_chapter_from_own_evidence_says_on_its_first_screen_it_is_a_scenario(tmp_path):
    """Built with --reference: the summary opens by saying the chapter is a scenario from the
    researcher's own evidence and names the changed figure, in HTML, Word and PDF; the changed
    figure is credited to the researcher, not to the study it replaced (issue 25)."""
    from pypdf import PdfReader

    own = tmp_path / "own"
    estimates_file(rows=[{"estimate_id": "MH05", "value": "20", "value_text": "20%"}],
                   path=own / "national_estimates.csv")
    out = tmp_path / "out"
    built = invoke("build", "--area", "Hartlepool", "--caseload", "1000", "--reference", own, "--out", out,
                   "--data-dir", tmp_path)
    assert built.exit_code == 0, built.output
    slug = f"{HARTLEPOOL}-hartlepool"
    area = json.loads((out / slug / "data" / "chapter.json").read_text(encoding="utf-8"))
    assert area["scenario"] == {"files": ["national_estimates.csv"], "estimates": ["MH05"]}
    site = out / "_site" / "reports"
    html = re.sub(r"<[^>]+>", " ", (site / f"{slug}.html").read_text(encoding="utf-8").split("<body", 1)[1])
    with zipfile.ZipFile(site / f"{slug}.docx") as docx:
        word = re.sub(r"<[^>]+>", " ", docx.read("word/document.xml").decode("utf-8"))
    pdf = " ".join((page.extract_text() or "") for page in PdfReader(site / f"{slug}.pdf").pages[:2])
    for name, text in (("html", html), ("word", word), ("pdf", pdf)):
        text = " ".join(text.split())
        first = text[:text.find("At a glance", text.find("Summary"))]
        assert "A scenario, not the published estimates." in first, name
        assert "(MH05)" in first, name
    body = " ".join(html.split())
    head = body[body.find("The best national figure for people on probation is that 20%"):][:400]
    assert "researcher's own evidence" in head and "Brooker" not in head, head
    # the national overview (the fallback site's front page too) says so before anything else
    shown = invoke("overview", "--out", out, "--reference", own, "--data-dir", tmp_path)
    assert shown.exit_code == 0, shown.output
    for page in (site / "overview.html", out / "_site" / "index.html"):
        text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8").split("<body", 1)[1]).split())
        assert 0 <= text.find("A scenario, not the published estimates.") < text.find("Health needs of people on "
                                                                                 "probation in"), page
        assert "(MH05)" in text, page


def test_a_new_headline_with_a_new_number_is_a_changed_headline_not_a_move():
    """A different national figure heading the priority area is the news, whatever its number does:
    'headline changed' is decided before 'moved' (issue 26 put the order back to check)."""
    from jsna_kit.model.compare import compare_estimates

    a = _table([("E1", "Aston", "suicide_prevention", "SP17", "headline", 1000, 325, 260, 395)])
    b = _table([("E1", "Aston", "suicide_prevention", "SP20", "headline", 1000, 410, 330, 500)])
    out = compare_estimates(a, b)
    assert out["status"].tolist() == ["headline changed"] and out["change"].tolist() == [85]
