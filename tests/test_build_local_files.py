"""A chapter built from the analyst's own files: caseload by sex (with a small cell that must be
suppressed, never shown as 0 nor recoverable) and locally identified needs compared with the
national rate."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import nbformat
import pytest

from jsna_kit.batch.run import build_area
from jsna_kit.model.local_caseload import publishable_breakdown

pytestmark = pytest.mark.e2e

CASELOAD = """area_code,area_name,sex,age_band,caseload,date,source,court_orders,licence,note
E08000019,Sheffield,all,all,2000,2025-03-31,PDU count,900,1200,
E08000019,Sheffield,male,all,1800,2025-03-31,PDU count,,,
E08000019,Sheffield,female,all,200,2025-03-31,PDU count,,,
E08000019,Sheffield,all,18-24,300,2025-03-31,PDU count,,,
E08000019,Sheffield,all,25-34,697,2025-03-31,PDU count,,,
E08000019,Sheffield,all,35-49,1000,2025-03-31,PDU count,,,
E08000019,Sheffield,all,50+,3,2025-03-31,PDU count,,,
"""

NEEDS = """area_code,area_name,priority_area,need,numerator,denominator,period,source,note
E08000019,Sheffield,mental_health,Mental health need identified in OASys,300,1600,2024/25,OASys extract,
E08000019,Sheffield,opd_pathway,Screened into the OPD pathway,3,1600,2024/25,OASys extract,
"""


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("local")
    (folder / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    result = build_area("Sheffield", caseload_file=folder / "caseload.csv", needs_file=folder / "needs.csv",
                        out_dir=folder / "out", data_dir=folder, today=dt.date(2026, 11, 23))
    html = (folder / "out" / "_site" / "reports" / "E08000019-sheffield.html").read_text(encoding="utf-8")
    data = folder / "out" / "E08000019-sheffield" / "data"
    return result, html, data


def test_caseload_comes_from_the_file(chapter):
    _, html, data = chapter
    area = json.loads((data / "chapter.json").read_text())
    assert area["caseload"] == 2000 and area["caseload_kind"] == "local"
    assert "PDU count, 31 March 2025" in area["caseload_source"]
    assert "900 are on court orders" in html and "1,200 on licence" in html


def _markdown_table(notebook: Path, label: str) -> list[list[str]]:
    """The rows of the Markdown table in the region labelled ``label`` of an executed chapter."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/markdown", ""))
            if f'aria-label="{label}"' in text:
                block = text.split(f'aria-label="{label}"', 1)[1].split(":::", 1)[0]
                rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                        for line in block.splitlines() if line.startswith("|")]
                return [r for r in rows[2:]]  # the header and its rule left out
    raise AssertionError(f"no table labelled {label!r}")


def _html_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows of the HTML table whose caption is ``caption``, as cell texts."""
    table = html.split(caption, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)]
             for r in rows]
    return [c for c in cells if c]


def _count(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def test_small_age_cell_and_its_complement_are_suppressed(chapter):
    """3 people aged 50+: shown nowhere, and not recoverable from the total and the other age bands."""
    _, html, data = chapter
    cells = {(b["sex"], b["age_band"]): b["caseload"] for b in json.loads((data / "chapter.json").read_text())
             ["caseload_breakdown"]}
    assert cells[("all", "50+")] is None  # 3 people: primary suppression
    assert cells[("male", "all")] == 1800 and cells[("all", "all")] == 2000
    label = "People on probation in Sheffield by sex and age"
    for rows in (_markdown_table(data.parent.parent / "E08000019-sheffield.ipynb", label), _html_rows(html, label)):
        table = {(sex, age): value for sex, age, value in rows}
        assert table[("all", "50+")] == "suppressed"
        ages = {age: value for (sex, age), value in table.items() if sex == "all" and age != "all"}
        hidden = [age for age, value in ages.items() if value == "suppressed"]
        assert len(hidden) >= 2, f"one hidden age band could be worked out from the total: {ages}"
        counts = [_count(v) for v in table.values() if _count(v) is not None]
        assert counts and min(counts) >= 5, table
    assert 3 not in cells.values()


def test_a_small_local_need_count_is_in_no_output(chapter):
    """3 people screened into the OPD pathway: not in the download (as the CSV writes it, 3.0), not in
    its proportion or interval, and described in the chapter as fewer than 5."""
    _, html, data = chapter
    with (data / "observed.csv").open(encoding="utf-8") as fh:
        rows = {r["priority_area"]: r for r in csv.DictReader(fh)}
    opd = rows["opd_pathway"]
    assert opd["suppressed"] == "True"
    for column in ("observed_count", "observed_p", "lower_95_ci", "upper_95_ci", "lower_99_8_ci", "upper_99_8_ci"):
        assert opd[column] == "", (column, opd[column])
    for row in rows.values():
        count = _count(row["observed_count"]) if row["observed_count"] else None
        assert count is None or count >= 5, row
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert re.search(r"Screened into the OPD (\([^)]*\) )?pathway: not shown to protect confidentiality", text)
    assert not re.search(r"\b3 of 1,600\b", text)


def test_breakdown_not_adding_up_falls_back_to_the_total(tmp_path):
    (tmp_path / "caseload.csv").write_text(
        "area_code,sex,age_band,caseload,date,source\n"
        "E08000019,all,all,2000,2025-03-31,PDU\nE08000019,male,all,1700,2025-03-31,PDU\n"
        "E08000019,female,all,200,2025-03-31,PDU\n", encoding="utf-8")
    result = build_area("E08000019", caseload_file=tmp_path / "caseload.csv", out_dir=tmp_path / "out",
                        data_dir=tmp_path, render=False, today=dt.date(2026, 11, 23))
    area = json.loads((Path(result.notebook).with_suffix("") / "data" / "chapter.json").read_text())
    # 1,700 + 200 = 1,900: 100 people with no recorded sex, said in people (every cell is published)
    assert area["caseload_note"] == ("The local figures by sex add up to 100 fewer than the total (people with no "
                                     "recorded sex), so the estimates use the total only.")
    assert result.notes == [f"E08000019 Sheffield: {area['caseload_note']}"], "the build says it too"


@pytest.mark.parametrize("rows, note", [
    # a suppressed female count (3) beside an exact gap would give it away: no number is given
    (["male,all,1990", "female,all,3"], "The local figures by sex do not add up to the total (some people have no "
                                        "recorded sex, or cells are suppressed), so the estimates use the total only."),
    (["male,all,1700", "female,all,300", "all,18-24,400", "all,25-34,600", "all,35-49,700", "all,50+,280"],
     "The local figures by age band add up to 20 fewer than the total (people with no recorded age), so the "
     "estimates use the figures by sex, which add up."),
    (["male,all,1700", "female,all,300"], ""),
    (["male,all,1800", "female,all,300"], "The local figures by sex add up to 100 more than the total, so the "
                                          "estimates use the total only."),
])
def test_the_chapter_says_how_far_a_breakdown_falls_short(rows, note):
    import pandas as pd

    from jsna_kit.model.local_caseload import caseload_for_area

    cells = [r.split(",") for r in ["all,all,2000", *rows]]
    frame = pd.DataFrame({"area_code": "E08000019", "sex": [c[0] for c in cells], "age_band": [c[1] for c in cells],
                          "caseload": [float(c[2]) for c in cells], "date": pd.Timestamp("2025-03-31"),
                          "source": "PDU", "court_orders": None, "licence": None})
    assert caseload_for_area(frame, "E08000019", file_name="caseload.csv")[1]["caseload_note"] == note


def test_publishable_breakdown_never_shows_zero_for_suppressed():
    import pandas as pd

    rows = pd.DataFrame({"sex": ["all", "male", "female"], "age_band": ["all"] * 3, "caseload": [50.0, 48, 2]})
    cells = {r["sex"]: r["caseload"] for r in publishable_breakdown(rows)}
    assert cells == {"all": 50.0, "male": None, "female": None}


SERVICES = "\n".join([
    "area_code,area_name,priority_area,service,measure,value,period,source,note",
    "E08000019,Sheffield,substance_misuse,Community drug and alcohol service,Referrals from probation,123,2024/25,"
    "Provider return,",
    "E08000019,Sheffield,substance_misuse,Community drug and alcohol service,Median wait to first appointment in "
    "days,12,2024/25,Provider return,",
    "E08000019,Sheffield,mental_health,Mental health treatment requirement clinicians,Treatment requirements "
    "started,3,2024/25,CSTR programme,",
    "E08000019,Sheffield,mental_health,Mental health treatment requirement clinicians,Assessments before "
    "sentence,[c],2024/25,CSTR programme,", ""])


def _text(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "\n".join(o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", [])
                     if "text/markdown" in o.get("data", {}))


def test_the_services_file_is_read_shown_protected_and_remembered(tmp_path):
    """--services-file: the analyst's local services appear under who commissions what and in their
    priority area's pathways; a count of people is rounded to 5 and one under 5 is hidden; a wait
    is shown as given; a later build without the file uses it again, and a rebuild from the
    manifest asks for it."""
    from jsna_kit.batch.rebuild import rebuild
    from jsna_kit.errors import JsnaKitError

    (tmp_path / "services.csv").write_text(SERVICES, encoding="utf-8")
    out = tmp_path / "out"
    build_area("Sheffield", caseload=2000, services_file=tmp_path / "services.csv", out_dir=out, data_dir=tmp_path,
               render=False, today=dt.date(2026, 11, 23))
    text = _text(out / "E08000019-sheffield.ipynb")
    assert "{#table-local-services " in text
    assert "Community drug and alcohol service (referrals from probation: 125, 2024/25)" in text
    assert "median wait to first appointment in days: 12, 2024/25" in text
    assert "treatment requirements started: not shown (fewer than 5 people)" in text
    with (out / "E08000019-sheffield" / "data" / "services.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["shown"] for r in rows] == ["125", "12", "", ""] and "value" not in rows[0]
    # the provider's own marker is the provider's, not our rule for small counts
    assert "assessments before sentence: withheld by the data's provider" in text
    assert "123" not in (out / "E08000019-sheffield" / "data" / "services.csv").read_text(encoding="utf-8")

    build_area("Sheffield", caseload=2000, out_dir=out, data_dir=tmp_path, render=False, force=True,
               today=dt.date(2026, 11, 23))
    assert "{#table-local-services " in _text(out / "E08000019-sheffield.ipynb")  # remembered
    manifest = out / "E08000019-sheffield" / "data" / "manifest.json"
    assert json.loads(manifest.read_text())["request"]["services_file"] == "services.csv"
    with pytest.raises(JsnaKitError, match="give it with --services-file"):
        rebuild(manifest, data_dir=tmp_path, out_dir=tmp_path / "again", render=False)


def test_a_services_file_for_another_area_names_the_row_and_column(tmp_path):
    from jsna_kit.errors import InputFileError

    (tmp_path / "services.csv").write_text(SERVICES, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        build_area("Cardiff", services_file=tmp_path / "services.csv", out_dir=tmp_path / "out", data_dir=tmp_path,
                   render=False)
    problem = caught.value.problems[0]
    assert (Path(problem.file).name, problem.row, problem.column, problem.value) == (
        "services.csv", 2, "area_code", "E08000019")
    assert "is not an area this build is for (W06000015)" in str(caught.value)


def test_an_edited_remembered_file_is_never_called_up_to_date(tmp_path):
    """A chapter built from a caseload file is built from it again when a later build gives none
    (the file is remembered); once the analyst edits that file, the next build says so and asks for
    it, never 'Up to date' (issue 26: the run's fingerprint held only the files on its command line)."""
    caseloads = tmp_path / "caseload.csv"
    caseloads.write_text("area_code,area_name,sex,age_band,caseload,date,source\n"
                         "E06000001,Hartlepool,all,all,900,2025-03-31,PDU count\n", encoding="utf-8")
    out, data = tmp_path / "out", tmp_path / "data"  # the data directory apart: its files are in the key
    data.mkdir()
    first = build_area("Hartlepool", caseload_file=caseloads, out_dir=out, data_dir=data, render=False)
    assert first.status == "built"
    build_area("Hartlepool", out_dir=out, data_dir=data, render=False)  # from the remembered file
    again = build_area("Hartlepool", out_dir=out, data_dir=data, render=False)
    assert again.status == "cached" and again.notebook.endswith("E06000001-hartlepool.ipynb")
    caseloads.write_text(caseloads.read_text(encoding="utf-8").replace(",900,", ",960,"), encoding="utf-8")
    from jsna_kit.errors import BuildError

    with pytest.raises(BuildError, match="no longer there as it was; give it with --caseload-file"):
        build_area("Hartlepool", out_dir=out, data_dir=data, render=False)  # said, never 'up to date'
    edited = build_area("Hartlepool", caseload_file=caseloads, out_dir=out, data_dir=data, render=False)
    assert edited.status == "built"
    area = json.loads((out / "E06000001-hartlepool" / "data" / "chapter.json").read_text(encoding="utf-8"))
    assert area["caseload"] == 960


def test_a_file_given_again_after_one_areas_row_changed_is_answered_from_the_last_run(tmp_path, monkeypatch):
    """Two areas from one caseload file; one area's row is edited and the file given again: that
    area is built, and the run after it is answered from the cache's record of the last run (the
    quick road: no worker started), although the other area still remembers the file as it was
    when it was built (the file given is in the run's fingerprint, so that is not checked)."""
    from jsna_kit.batch.run import build_batch

    caseloads = tmp_path / "caseload.csv"
    caseloads.write_text("area_code,area_name,sex,age_band,caseload,date,source\n"
                         "E06000001,Hartlepool,all,all,900,2025-03-31,PDU count\n"
                         "E06000002,Middlesbrough,all,all,1200,2025-03-31,PDU count\n", encoding="utf-8")
    out, data = tmp_path / "out", tmp_path / "data"
    data.mkdir()
    options = dict(codes=["E06000001", "E06000002"], caseload_file=caseloads, out_dir=out, data_dir=data,
                   render=False, workers=1)
    assert build_batch(**options).counts["built"] == 2
    caseloads.write_text(caseloads.read_text(encoding="utf-8").replace(",900,", ",960,"), encoding="utf-8")
    changed = build_batch(**options)
    assert changed.counts["built"] == 1 and changed.counts["cached"] == 1
    import jsna_kit.batch.plan

    def no_plan(*args, **kwargs):
        raise AssertionError("the areas were planned again: the quick road was not taken")

    monkeypatch.setattr(jsna_kit.batch.plan, "plan_areas", no_plan)
    again = build_batch(**options)
    assert again.counts["cached"] == 2
