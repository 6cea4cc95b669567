"""No published figure gives back a count the chapter rounds or hides (issue 25). A chapter is
built from small-cell files (a caseload of 1,234; needs of 82, 603 and 37 out of 1,234, 1,234 and
117; 2 of 4). For every proportion published beside rounded counts, every whole-number pair within
rounding of the published counts is tried: the test fails where exactly one pair fits the
proportion and it is not the published one, since that pair is then the true, unpublished count."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import nbformat
import pytest

from jsna_kit.batch.run import build_area

pytestmark = pytest.mark.e2e

CASELOAD = """area_code,area_name,sex,age_band,caseload,date,source
E06000001,Hartlepool,all,all,1234,2025-03-31,PDU count
"""
NEEDS = """area_code,area_name,priority_area,need,numerator,denominator,period,source,note
E06000001,Hartlepool,mental_health,Mental health need identified in OASys,82,1234,2024/25,OASys extract,
E06000001,Hartlepool,substance_misuse,Alcohol need identified in OASys,603,1234,2024/25,OASys extract,
E06000001,Hartlepool,suicide_prevention,Self-harm concern recorded,37,117,2024/25,Women's caseload,
E06000001,Hartlepool,physical_health,Not registered with a GP,2,4,2024/25,Approved premises,
"""
HIDDEN = {1234, 82, 603, 37, 117, 2, 4}  # the true figures: none may be published or recoverable


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recovery")
    (folder / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    out = folder / "out"
    build_area("Hartlepool", caseload_file=folder / "caseload.csv", needs_file=folder / "needs.csv", out_dir=out,
               data_dir=folder, render=False, today=dt.date(2026, 12, 7))
    return out, out / "E06000001-hartlepool" / "data"


def _fits(p: float, count: float, total: float, decimals: int = 6) -> list[tuple[int, int]]:
    """Whole-number (numerator, denominator) pairs within rounding to 5 of the published ones that
    give the published proportion to its published decimals."""
    return [(x, n) for n in range(int(total) - 2, int(total) + 3) for x in range(int(count) - 2, int(count) + 3)
            if 0 <= x <= n and n > 0 and round(x / n, decimals) == round(p, decimals)]


def test_no_proportion_gives_back_a_rounded_count(chapter):
    _, data = chapter
    rows = list(csv.DictReader((data / "observed.csv").open(encoding="utf-8")))
    assert len(rows) == 4
    shown = [r for r in rows if r["suppressed"] == "False"]
    assert len(shown) == 3, "2 of 4 is hidden; the others are published rounded"
    for r in shown:
        count, total, p = float(r["observed_count"]), float(r["caseload"]), float(r["observed_p"])
        assert count % 5 == 0 and total % 5 == 0
        fits = _fits(p, count, total)
        assert (int(count), int(total)) in fits, r["need"]
        recovered = [pair for pair in fits if pair != (int(count), int(total))]
        assert not (len(fits) == 1 and recovered), (r["need"], fits)
        assert not recovered or len(fits) > 1, (r["need"], fits)
        assert not {x for x, _ in recovered} & HIDDEN or len(fits) > 1, (r["need"], fits)
        # every derived figure is the published counts', to the digits published
        assert abs(p - count / total) < 5e-7, r["need"]


def test_derived_figures_come_from_the_published_counts(chapter):
    from jsna_kit.model.observed import observed_statistics

    _, data = chapter
    for r in csv.DictReader((data / "observed.csv").open(encoding="utf-8")):
        if r["suppressed"] != "False":
            assert not r["observed_p"] and not r["p_value"] and not r["observed_count"], r["need"]
            continue
        expected = observed_statistics([float(r["observed_count"])], [float(r["caseload"])],
                                       [float(r["expected_p"])], [float(r["expected_se"] or "nan")])
        for column in ("lower_95_ci", "upper_95_ci", "difference_pp", "z", "p_value"):
            if r[column]:
                assert abs(float(r[column]) - float(expected[column][0])) < 1e-3, (r["need"], column)
        assert len(r["p_value"].split(".")[-1]) <= 4, "a p-value to 4 decimals, not 16"


def test_no_true_figure_is_printed_in_the_text_or_the_area_file(chapter):
    out, data = chapter
    nb = nbformat.read(out / "E06000001-hartlepool.ipynb", as_version=4)
    text = " ".join(o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", [])
                    if "text/markdown" in o.get("data", {}))
    for true in (r"\b1,234\b", r"\b82 of\b", r"\b603 of\b", r"\b37 of (?!the Mental)", r"\bof 117\b", r"\b2 of 4\b"):
        assert not re.search(true, text), true
    percentages = re.findall(r"about ([\d,]+) of ([\d,]+) people \((\d+(?:\.\d)?)%", text)
    assert percentages
    for count, total, shown in percentages:  # the printed share is the printed counts'
        count, total = float(count.replace(",", "")), float(total.replace(",", ""))
        tolerance = 0.051 if "." in shown else 0.501  # one decimal below 10%, whole numbers above
        assert abs(100 * count / total - float(shown)) < tolerance, (count, total, shown)
    area = json.loads((data / "chapter.json").read_text(encoding="utf-8"))
    assert area["caseload"] == 1235


def test_the_public_manifest_holds_no_exact_figure_and_no_digest_of_the_analysts_files(chapter):
    out, data = chapter
    text = (data / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert manifest["public"] is True and "1234" not in text
    analyst = [i for i in manifest["inputs"] if i["role"] in ("caseload file", "needs file")]
    assert {i["name"] for i in analyst} == {"caseload.csv", "needs.csv"}
    assert all("sha256" not in i and "bytes" not in i for i in analyst)
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"] if i not in analyst)
    record = json.loads((out / ".jsna-cache" / "manifests" / "E06000001-hartlepool.json").read_text())
    assert all(len(i["sha256"]) == 64 for i in record["inputs"])  # the full record, kept with the build


def test_the_chapter_is_built_again_from_the_public_manifest_and_the_analysts_files(chapter, tmp_path):
    """With its full record (found beside the build) and without it (the public manifest alone,
    the analyst's files given again): the same downloads, byte for byte."""
    from jsna_kit.batch.rebuild import rebuild

    out, data = chapter
    folder = out.parent
    record = out / ".jsna-cache" / "manifests" / "E06000001-hartlepool.json"
    public = tmp_path / "E06000001-hartlepool" / "data" / "manifest.json"  # a copy away from the records
    public.parent.mkdir(parents=True)
    public.write_bytes((data / "manifest.json").read_bytes())
    for manifest, where in ((data / "manifest.json", "with-record"), (public, "public-only")):
        again = tmp_path / where
        rebuild(manifest, caseload_file=folder / "caseload.csv", needs_file=folder / "needs.csv", data_dir=folder,
                out_dir=again, render=False)
        rebuilt = again / "E06000001-hartlepool" / "data"
        for name in ("chapter.json", "estimates.csv", "observed.csv", "estimates.xlsx"):
            assert (rebuilt / name).read_bytes() == (data / name).read_bytes(), (where, name)
    assert record.is_file()


def test_the_workbook_gives_back_no_rounded_or_hidden_count(chapter):
    """The workbook's sheets hold the same published figures as the CSV files: the recovery check
    on its local-observed sheet, and no cell of any sheet holds the exact caseload."""
    import openpyxl

    _, data = chapter
    book = openpyxl.load_workbook(data / "estimates.xlsx", read_only=True)
    sheet = book["local observed"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = list(rows[0]), [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    assert {"observed_count", "caseload", "observed_p", "suppressed"} <= set(header)
    shown = [r for r in body if r["suppressed"] in (False, "False")]
    assert len(body) == 4 and len(shown) == 3
    for r in shown:
        count, total, p = float(r["observed_count"]), float(r["caseload"]), float(r["observed_p"])
        assert count % 5 == 0 and total % 5 == 0
        fits = _fits(p, count, total)
        assert fits == [(int(count), int(total))] or len(fits) > 1, (r["need"], fits)
    hidden = [r for r in body if r not in shown]
    assert all(r["observed_count"] in (None, "") and r["observed_p"] in (None, "") for r in hidden)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert 1234 not in row and "1234" not in row and "1,234" not in row, (ws.title, row)
