"""Everything a chapter publishes, swept: built from small-cell inputs, no count of fewer than 5
people (nor one that subtraction reveals) may appear in the chapter text, its HTML, Word and
figure files, chapter.json, or any download; and every number the text states for an estimate
is the same figure as in estimates.csv."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import nbformat
import openpyxl
import pytest

from jsna_kit.batch.run import build_area

pytestmark = pytest.mark.e2e

# 301 people: 297 on court orders and 4 on licence; 298 men and 3 women.
CASELOAD = """area_code,area_name,sex,age_band,caseload,date,source,court_orders,licence,note
E06000001,Hartlepool,all,all,301,2025-03-31,PDU count,297,4,
E06000001,Hartlepool,male,all,298,2025-03-31,PDU count,,,
E06000001,Hartlepool,female,all,3,2025-03-31,PDU count,,,
"""
# 298 of 300 (2 without the need), 3 of 120, 2 of a denominator of 4, 0 of 50, 250 of 800.
NEEDS = """area_code,area_name,priority_area,need,numerator,denominator,period,source,note
E06000001,Hartlepool,mental_health,Mental health need in OASys,298,300,2024/25,OASys,
E06000001,Hartlepool,substance_misuse,Drug need in OASys,3,120,2024/25,OASys,
E06000001,Hartlepool,physical_health,Physical health need in OASys,0,50,2024/25,OASys,
E06000001,Hartlepool,learning_disability_autism,Learning disability screen,2,4,2024/25,OASys,
E06000001,Hartlepool,opd_pathway,Screened into the OPD pathway,250,800,2024/25,OASys,
"""
#: The exact figures given, each of which reveals a small group (by itself or by subtraction).
REVEALING = ("301", "297", "298")
SMALL_PHRASE = re.compile(r"(?<![\d/.,:-])[1-4] (?:people|person|of|on|men|women)\b|(?<![\d/.,:-])[1-4] in (?!\d)"
                          r"|\bof [1-4](?![\d,./%])|(?<![\d/.,:-])[1-4] \((?!\d)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    (folder / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    out = folder / "out"
    build_area("Hartlepool", caseload_file=folder / "caseload.csv", needs_file=folder / "needs.csv",
               out_dir=out, data_dir=folder, today=dt.date(2026, 11, 23))
    return out


def _notebook_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    parts += ["".join(o.get("data", {}).get("text/markdown", "")) for cell in nb.cells
              for o in cell.get("outputs", [])]
    return "\n".join(parts)


def _published_texts(out: Path) -> dict[str, str]:
    """Every published file of the chapter as text (HTML with its attributes, so alt text counts)."""
    slug = "E06000001-hartlepool"
    texts = {"notebook": _notebook_text(out / f"{slug}.ipynb")}
    for path in sorted((out / slug).rglob("*")):
        if path.suffix in (".csv", ".json"):
            # a file digest is letters and digits, not a count: "...ce298b0..." reveals nothing
            texts[path.name] = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", path.read_text(encoding="utf-8"))
        elif path.suffix == ".svg":  # what a reader sees: the text and title, not the coordinates
            texts[path.name] = " ".join(re.findall(r">([^<]+)<", path.read_text(encoding="utf-8")))
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            texts[path.name] = "\n".join(",".join("" if v is None else str(v) for v in row)
                                         for sheet in book.worksheets if sheet.title not in ("evidence", "sources")
                                         for row in sheet.iter_rows(values_only=True))
    site = out / "_site" / "reports"
    for path in sorted(site.glob(f"{slug}.*")):
        if path.suffix == ".html":
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                xml = docx.read("word/document.xml").decode("utf-8")
            texts[path.name] = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))
    return texts


def test_no_small_or_revealing_count_in_any_output(built):
    texts = _published_texts(built)
    assert {"notebook", "chapter.json", "estimates.csv", "observed.csv", "estimates.xlsx"} <= set(texts)
    assert any(name.endswith(".html") for name in texts) and any(name.endswith(".docx") for name in texts)
    for name, text in texts.items():
        for value in REVEALING:
            assert not re.search(rf"(?<![\d.,]){value}(?![\d,]|\.\d)", text), (name, value)
        if name.endswith((".html", ".docx")) or name == "notebook":
            plain = " ".join(re.sub(r"<[^>]+>", " ", text).split())
            found = SMALL_PHRASE.findall(plain)
            assert not found, (name, found)


def test_counts_in_the_downloads_are_never_small(built):
    data = built / "E06000001-hartlepool" / "data"
    counts = {"observed.csv": ("observed_count", "caseload", "expected_count"),
              "estimates.csv": ("caseload", "caseload_lower", "caseload_upper")}
    for name, columns in counts.items():
        with (data / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for column in columns:
                    if row[column]:
                        value = float(row[column])
                        assert value == 0 or value >= 5, (name, column, row[column])
                        assert value % 5 == 0, (name, column, "rounded to 5 by the one rule")
                assert not re.search(r"\d x ", row.get("method_note", "")), "no stratum caseloads in a method note"
    area = json.loads((data / "chapter.json").read_text(encoding="utf-8"))
    assert area["court_orders"] is None and area["licence"] is None
    assert {b["sex"]: b["caseload"] for b in area["caseload_breakdown"]} == {"all": 300, "male": None,
                                                                              "female": None}
    with (data / "observed.csv").open(encoding="utf-8") as fh:
        observed = {r["priority_area"]: r for r in csv.DictReader(fh)}
    assert [observed[k]["suppressed"] for k in ("mental_health", "substance_misuse", "learning_disability_autism")] \
        == ["True"] * 3
    assert observed["learning_disability_autism"]["caseload"] == "", "a denominator of 4 is hidden"
    assert observed["physical_health"]["observed_count"] == "0", "a zero is shown (it was refused before)"
    assert observed["opd_pathway"]["significance_95"] in ("higher", "lower", "similar")
    assert "z-test" in observed["opd_pathway"]["test"]


def test_the_text_says_the_same_numbers_as_the_download(built):
    """Every headline sentence's estimate, range and caseload equal estimates.csv's figures."""
    text = _notebook_text(built / "E06000001-hartlepool.ipynb")
    with (built / "E06000001-hartlepool" / "data" / "estimates.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["role"] == "headline"]
    assert rows
    for row in rows:
        phrase = re.escape(row["finding_phrase"])
        match = re.search(rf"An estimated \*\*([\d,]+)\*\*(?: \(([^)]*?) ([\d,]+) to ([\d,]+)\))? of the "
                          rf"(?:estimated )?([\d,]+) people on probation in Hartlepool {phrase}", text)
        assert match, row["estimate_id"]
        number = lambda s: float(s.replace(",", ""))  # noqa: E731
        assert number(match.group(1)) == float(row["expected"])
        assert number(match.group(5)) == float(row["caseload"])
        if row["expected_lower"]:
            assert (number(match.group(3)), number(match.group(4))) == (float(row["expected_lower"]),
                                                                          float(row["expected_upper"]))
            assert match.group(2) == {"confidence_interval": "95% CI",
                                      "uncertainty_range": "95% uncertainty range",
                                      "caseload_range": "range from the modelled caseload alone"}[row["range_kind"]]
        else:
            assert match.group(2) is None


def test_every_estimate_the_text_states_is_a_figure_of_the_downloads(built):
    """Each "about N" and bold figure in the chapter is a published figure: nothing is re-rounded
    or computed again on the way to the page ("about 117" beside 115 in the download)."""
    text = _notebook_text(built / "E06000001-hartlepool.ipynb")
    data = built / "E06000001-hartlepool" / "data"
    published: set[float] = set()
    for name, columns in (("estimates.csv", ("expected", "expected_lower", "expected_upper", "caseload",
                                             "adjusted_expected", "adjusted_expected_lower", "adjusted_expected_upper",
                                             "caseload_lower", "caseload_upper", "caseload_alt_population",
                                             "caseload_alt_deprivation", "caseload_alt_urban",
                                             "caseload_alt_deprivation_urban")),
                          ("observed.csv", ("observed_count", "caseload", "expected_count"))):
        with (data / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                published |= {float(row[c]) for c in columns if row.get(c)}
    from jsna_kit.model.synthetic import SYNTHETIC_METHOD  # its worked example is not this area's

    prose = "\n".join(line for line in text.replace(SYNTHETIC_METHOD, "").splitlines()
                      if not line.startswith("|"))  # nor are the national evidence tables
    stated = re.findall(r"(?:about |\*\*)([\d,]+)(?![\d%]| per| in \d|\*\* [A-Z]| times)", prose)
    assert stated
    for value in stated:
        assert float(value.replace(",", "")) in published, value
