"""Batch builds (``jsna-kit build --all/--areas/--region``): one broken area does not stop the
others and is reported with its cell and traceback; a build killed with SIGKILL leaves no
half-written chapter and the next build carries on; only areas whose inputs changed are rebuilt;
and a chapter run on a warm kernel, after other chapters, is identical to a fresh-kernel run."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from jsna_kit.batch import cache
from jsna_kit.batch.run import build_area, build_batch
from jsna_kit.cli import app
from jsna_kit.config import notebooks_dir

pytestmark = pytest.mark.e2e

DAY = dt.date(2026, 1, 5)
HARTLEPOOL, MIDDLESBROUGH, DARLINGTON, DURHAM = "E06000001", "E06000002", "E06000005", "E06000047"


def template_with(tmp_path: Path, name: str, source: str, *, cell_type: str = "code") -> Path:
    """notebooks/chapter.ipynb with one extra cell right after the parameters cell."""
    nb = nbformat.read(notebooks_dir() / "chapter.ipynb", as_version=4)
    cell = nbformat.v4.new_code_cell(source) if cell_type == "code" else nbformat.v4.new_markdown_cell(source)
    nb.cells.insert(1, cell)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def areas_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "areas.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def comparable(notebook: Path) -> list[dict]:
    """What a reader sees of an executed notebook: each cell's type, source, execution count and
    outputs (papermill's timing metadata left out)."""
    nb = nbformat.read(notebook, as_version=4)
    return [{"type": c.cell_type, "source": c.source, "count": c.get("execution_count"),
             "outputs": c.get("outputs")} for c in nb.cells]


# --- one broken area ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken_batch(tmp_path_factory, shared_data_dir):
    tmp = tmp_path_factory.mktemp("broken")
    template = template_with(tmp, "broken.ipynb",
                             f'if area_code == "{DURHAM}":\n    raise RuntimeError("deliberate failure")')
    listing = areas_file(tmp, "# two good areas and a broken one", HARTLEPOOL, "County Durham", "Darlington")
    result = CliRunner().invoke(app, ["build", "--areas", str(listing), "--template", str(template),
                                      "--workers", "2", "--no-render", "--out", str(tmp / "out"),
                                      "--data-dir", str(shared_data_dir)])
    return result, tmp / "out"


def test_a_broken_area_fails_alone_and_the_exit_code_says_so(broken_batch):
    result, out = broken_batch
    assert result.exit_code == 1, result.output
    assert (out / f"{HARTLEPOOL}-hartlepool.ipynb").is_file()
    assert (out / f"{DARLINGTON}-darlington.ipynb").is_file()
    assert not (out / f"{DURHAM}-county-durham.ipynb").exists()
    # Said whichever worker finishes first, however the console wraps the line
    said = " ".join(result.output.split())
    assert f"failed {DURHAM} County Durham" in said and "deliberate failure" in said


def test_the_failure_report_names_area_cell_and_traceback(broken_batch):
    _, out = broken_batch
    report = json.loads((out / "build-report.json").read_text())
    assert report["counts"]["built"] == 2 and report["counts"]["failed"] == 1
    failed = [a for a in report["areas"] if a["status"] == "failed"]
    assert [a["area_code"] for a in failed] == [DURHAM]
    error = failed[0]["error"]
    assert error["ename"] == "RuntimeError" and error["evalue"] == "deliberate failure"
    assert error["cell_source"] == f'if area_code == "{DURHAM}":'
    # the third cell run (In [3]), after the parameters and the parameters papermill injects
    assert (error["cell"], error["cell_index"]) == (3, 2)
    assert "deliberate failure" in error["traceback"] and "\x1b[" not in error["traceback"]
    markdown = (out / "build-report.md").read_text()
    assert f"### {DURHAM} County Durham" in markdown
    assert f'Failed in notebook cell 2 (In [3]: if area_code == "{DURHAM}":).' in markdown
    assert not cache.read_record(out, f"{DURHAM}-county-durham"), "a failed area has no build record"


def test_each_area_refers_only_to_its_own_figure_and_download_folders(broken_batch):
    """So one ``quarto render`` of every chapter cannot mix figures up: no folder is shared."""
    import re

    _, out = broken_batch
    for slug in (f"{HARTLEPOOL}-hartlepool", f"{DARLINGTON}-darlington"):
        nb = nbformat.read(out / f"{slug}.ipynb", as_version=4)
        text = "\n".join(str(o.get("data", {}).get("text/markdown", "")) for c in nb.cells if c.cell_type == "code"
                         for o in c.get("outputs", []))
        linked = set(re.findall(r"\]\(([^)\s]+\.(?:svg|png|csv|xlsx|json))", text))
        assert any(link.endswith(".svg") for link in linked), "the chapter shows figures"
        assert linked and all(link.startswith(f"{slug}/") for link in linked), sorted(linked)
        assert all((out / link).is_file() for link in linked)


def test_a_kernel_that_dies_takes_only_its_own_area(tmp_path, shared_data_dir):
    crash = f'if area_code == "{HARTLEPOOL}":\n    import os\n    os._exit(1)'
    template = template_with(tmp_path, "crash.ipynb", crash)
    result = build_batch(codes=[HARTLEPOOL, DARLINGTON], data_dir=shared_data_dir, out_dir=tmp_path / "out",
                         template=template, workers=1, render=False)
    status = {o.area_code: o for o in result.outcomes}
    assert status[HARTLEPOOL].status == "failed" and "died" in status[HARTLEPOOL].error["message"].lower()
    assert status[DARLINGTON].status == "built", "the next area gets a new kernel"


# --- interrupted with SIGKILL, then resumed ----------------------------------------------------

def test_a_killed_build_leaves_whole_files_and_the_next_build_resumes(tmp_path, shared_data_dir):
    """Killed (SIGKILL, the whole process group) while Middlesbrough's notebook runs: Hartlepool,
    built before, is whole and recorded; nothing of Middlesbrough's chapter is under its real
    name; the next build keeps Hartlepool and builds the rest. Middlesbrough's notebook says it
    has started (a file) and then waits while another file exists: the kill lands inside it
    whatever the machine's speed."""
    out, hold = tmp_path / "out", tmp_path / "hold"
    hold.touch()
    started = tmp_path / "started"
    template = template_with(tmp_path, "hold.ipynb", f'import os, time\nif area_code == "{MIDDLESBROUGH}":\n'
                             f'    open({str(started)!r}, "w").close()\n'
                             f'    while os.path.exists({str(hold)!r}):\n        time.sleep(0.05)')
    listing = areas_file(tmp_path, HARTLEPOOL, MIDDLESBROUGH, DARLINGTON)
    command = [sys.executable, "-m", "jsna_kit.cli", "build", "--areas", str(listing), "--workers", "1",
               "--no-render", "--out", str(out), "--data-dir", str(shared_data_dir), "--template", str(template)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    records = out / cache.RECORD_DIR / "areas"
    deadline = time.monotonic() + 240
    while not started.is_file():  # Middlesbrough's notebook is running, and waits
        assert proc.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline, "Middlesbrough's notebook never started"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the build, its workers, their kernels, at once
    proc.wait()

    assert {p.stem for p in records.glob("*.json")} == {f"{HARTLEPOOL}-hartlepool"}
    assert not (out / f"{MIDDLESBROUGH}-middlesbrough.ipynb").exists()
    for notebook in out.glob("*.ipynb"):
        if ".partial" not in notebook.name:  # whatever has its real name is whole
            assert nbformat.read(notebook, as_version=4).cells[0].source.startswith("---")
    for table in out.glob("*/data/*.csv"):
        pd.read_csv(table)
    for workbook in out.glob("*/data/*.xlsx"):
        pd.read_excel(workbook, sheet_name=None)

    hold.unlink()
    result = build_batch(codes=[HARTLEPOOL, MIDDLESBROUGH, DARLINGTON], data_dir=shared_data_dir, out_dir=out,
                         workers=1, render=False, template=template)
    status = {o.area_code: o.status for o in result.outcomes}
    assert status == {HARTLEPOOL: "cached", MIDDLESBROUGH: "built", DARLINGTON: "built"}
    assert len(list(records.glob("*.json"))) == 3
    assert not list(out.rglob("*.partial*")), "leftovers of the killed build are cleared"


# --- incremental: cache hits and misses --------------------------------------------------------

def _files(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and not p.name.startswith("build-report")}


def _caseload_file(tmp_path: Path, caseload: int) -> Path:
    path = tmp_path / "caseload.csv"
    path.write_text("area_code,area_name,sex,age_band,caseload,date,source\n"
                    f"{HARTLEPOOL},Hartlepool,all,all,{caseload},2025-03-31,test figure\n", encoding="utf-8")
    return path


def test_only_areas_whose_inputs_changed_are_rebuilt(tmp_path, shared_data_dir, monkeypatch):
    out = tmp_path / "out"
    codes = [HARTLEPOOL, MIDDLESBROUGH]
    slugs = {HARTLEPOOL: f"{HARTLEPOOL}-hartlepool", MIDDLESBROUGH: f"{MIDDLESBROUGH}-middlesbrough"}

    def build(day: dt.date, caseload: int, **options):
        result = build_batch(codes=codes, data_dir=shared_data_dir, out_dir=out, workers=2, render=False, today=day,
                             caseload_file=_caseload_file(tmp_path, caseload), **options)
        assert not result.failed, result.failed
        return {o.area_code: (o.status, o.reason) for o in result.outcomes}

    def built_on(code: str) -> str:
        return json.loads((out / slugs[code] / "data" / "chapter.json").read_text())["built"]

    assert {s for s, _ in build(DAY, 900).values()} == {"built"}
    assert json.loads((out / slugs[HARTLEPOOL] / "data" / "chapter.json").read_text())["caseload"] == 900

    before = _files(out)
    later = DAY + dt.timedelta(days=1)
    with monkeypatch.context() as patch:  # nothing changed: not even the estimates are computed
        patch.setattr("jsna_kit.batch.plan.plan_areas", lambda *a, **k: pytest.fail("estimates computed"))
        assert build(later, 900) == {HARTLEPOOL: ("cached", "up to date"), MIDDLESBROUGH: ("cached", "up to date")}
    assert _files(out) == before, "a no-change build touches nothing"
    assert built_on(HARTLEPOOL) == DAY.isoformat(), "an unchanged chapter keeps the date it was built"

    from jsna_kit.batch import plan as plan_module

    planned = []
    real_plan = plan_module.plan_areas

    def spy(chosen, **options):
        planned.append(sorted(chosen["area_code"]))
        return real_plan(chosen, **options)

    with monkeypatch.context() as patch:  # only Hartlepool's row of the file changed: only it is planned
        patch.setattr(plan_module, "plan_areas", spy)
        outcome = build(later, 950)  # Hartlepool's local caseload changes; Middlesbrough's inputs do not
    assert planned == [[HARTLEPOOL]]
    assert outcome[HARTLEPOOL][0] == "built" and "the area's caseload and figures" in outcome[HARTLEPOOL][1]
    assert outcome[HARTLEPOOL][1].startswith("caseload 900 \u2192 950 (caseload.csv); changed: ")
    assert outcome[MIDDLESBROUGH] == ("cached", "up to date")
    assert (built_on(HARTLEPOOL), built_on(MIDDLESBROUGH)) == (later.isoformat(), DAY.isoformat())
    # The narrowed plan gave Hartlepool the key a plan of every area gives it: with the run record
    # gone, both areas are planned and both are up to date.
    cache.run_path(out).unlink()
    planned.clear()
    with monkeypatch.context() as patch:
        patch.setattr(plan_module, "plan_areas", spy)
        assert build(later, 950) == {HARTLEPOOL: ("cached", "up to date"), MIDDLESBROUGH: ("cached", "up to date")}
    assert planned == [[HARTLEPOOL, MIDDLESBROUGH]]

    template = template_with(tmp_path, "edited.ipynb", "An extra paragraph.", cell_type="markdown")
    outcome = build(later, 950, template=template)
    assert outcome == {code: ("built", "changed: the chapter template") for code in codes}

    (out / f"{slugs[MIDDLESBROUGH]}.ipynb").unlink()
    outcome = build(later, 950, template=template)
    assert outcome == {HARTLEPOOL: ("cached", "up to date"), MIDDLESBROUGH: ("built", "executed chapter missing")}

    outcome = build(later, 950, template=template, force=True)
    assert {s for s, _ in outcome.values()} == {"built"}


def test_rendering_a_current_chapter_does_not_execute_it_again(tmp_path, shared_data_dir):
    out = tmp_path / "out"
    first = build_batch(codes=[DARLINGTON], data_dir=shared_data_dir, out_dir=out, workers=1, render=False)
    assert first.counts["built"] == 1
    executed = (out / f"{DARLINGTON}-darlington.ipynb").stat().st_mtime_ns
    second = build_batch(codes=[DARLINGTON], data_dir=shared_data_dir, out_dir=out, workers=1, render=True)
    assert [o.status for o in second.outcomes] == ["rendered"]
    assert (out / "_site" / "reports" / f"{DARLINGTON}-darlington.html").stat().st_size > 1000
    assert (out / f"{DARLINGTON}-darlington.ipynb").stat().st_mtime_ns == executed
    third = build_batch(codes=[DARLINGTON], data_dir=shared_data_dir, out_dir=out, workers=1, render=True)
    assert [o.status for o in third.outcomes] == ["cached"]


# --- the warm kernel gives what a fresh kernel gives ---------------------------------------------

def _same_chapter(one: Path, other: Path, slug: str) -> None:
    """The same cells, execution counts and outputs, the same figures and the same data download."""
    assert comparable(one / f"{slug}.ipynb") == comparable(other / f"{slug}.ipynb")
    for folder in ("figures", "data"):
        names = sorted(p.name for p in (one / slug / folder).iterdir() if p.name != "manifest.json")
        assert names == sorted(p.name for p in (other / slug / folder).iterdir() if p.name != "manifest.json")
        for name in names:
            if name.endswith(".xlsx"):  # a zip with timestamps inside: compare its sheets
                one_sheets = pd.read_excel(one / slug / folder / name, sheet_name=None)
                other_sheets = pd.read_excel(other / slug / folder / name, sheet_name=None)
                assert one_sheets.keys() == other_sheets.keys()
                for sheet in one_sheets:
                    pd.testing.assert_frame_equal(one_sheets[sheet], other_sheets[sheet])
            else:
                assert (one / slug / folder / name).read_bytes() == (other / slug / folder / name).read_bytes(), name


def test_a_warm_kernel_chapter_is_identical_to_a_fresh_kernel_chapter(tmp_path, shared_data_dir):
    """Cardiff on a warm kernel that has already run Sheffield and Kent is the chapter Cardiff gets
    built alone (``jsna-kit build --area``, a batch of one), with the same build key; and the
    same chapter run by plain papermill on a fresh kernel, from the warm build's own bundle and
    parameters, is the same again."""
    from jsna_kit.execute.notebook import execute_chapter
    from jsna_kit.publish.names import chapter_titles

    alone, warm, fresh = tmp_path / "alone", tmp_path / "warm", tmp_path / "fresh"
    outcome = build_area("Cardiff", out_dir=alone, data_dir=shared_data_dir, render=False, today=DAY)
    assert outcome.status == "built"
    result = build_batch(codes=["Sheffield", "Kent", "Cardiff"], data_dir=shared_data_dir, out_dir=warm,
                         workers=1, render=False, today=DAY)
    assert [o.area_name for o in result.outcomes] == ["Sheffield", "Kent", "Cardiff"]
    slug = "W06000015-cardiff"
    _same_chapter(alone, warm, slug)
    assert cache.read_record(alone, slug)["key"] == cache.read_record(warm, slug)["key"]

    shutil.copytree(warm / slug / "data", fresh / slug / "data")
    parameters = nbformat.read(warm / f"{slug}.ipynb", as_version=4).metadata["papermill"]["parameters"]
    execute_chapter(notebooks_dir() / "chapter.ipynb", fresh / f"{slug}.ipynb", parameters, area_code="W06000015",
                    date=DAY, **chapter_titles("W06000015", "Cardiff", slug))  # papermill's own engine: a fresh kernel
    _same_chapter(fresh, warm, slug)


# --- the command line --------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--area", "Sheffield", "--all"], "exactly one of --area, --all"),
    ([], "exactly one of --area, --all"),
    (["--all", "--caseload", "100"], "--caseload apply to one area"),
    (["--all", "--template", "missing.ipynb"], "this input file does not exist: --template missing.ipynb"),
])
def test_build_options_that_cannot_go_together(args, message, tmp_path):
    result = CliRunner().invoke(app, ["build", *args, "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_an_areas_file_with_unknown_names_lists_every_bad_line(tmp_path, shared_data_dir):
    listing = areas_file(tmp_path, "Hartlepool", "Atlantis", "# a comment", "Gondor")
    result = CliRunner().invoke(app, ["build", "--areas", str(listing), "--out", str(tmp_path / "out"),
                                      "--data-dir", str(shared_data_dir)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "row 2" in text and "Atlantis" in text and "row 4" in text and "Gondor" in text
    assert not (tmp_path / "out").exists(), "nothing is built when the list is wrong"


def test_region_selects_the_region_or_probation_region(shared_data_dir):
    from jsna_kit.batch.selection import areas_in_region
    from jsna_kit.errors import UnknownAreaError
    from jsna_kit.load.areas import load_areas

    areas = load_areas(shared_data_dir)
    north_east = areas_in_region(areas, "north east")
    assert len(north_east) == 12 and set(north_east["region_name"]) == {"North East"}
    assert len(areas_in_region(areas, "Wales")) == 22
    with pytest.raises(UnknownAreaError, match="choose from"):
        areas_in_region(areas, "Middle Earth")


def test_the_script_keeps_exit_codes_and_output_and_leaves_no_process_behind(tmp_path, shared_data_dir):
    """``jsna-kit`` (``cli.main``) ends without Python's teardown: what it printed, its exit code
    and its exit handlers (a kernel's shutdown) must survive that, and no worker or kernel it
    started may outlive it (each inherits a marker in its environment)."""
    import psutil

    marker = f"jsna-test-{os.getpid()}-{time.time_ns()}"
    env = {**os.environ, "JSNA_KIT_TEST_MARKER": marker}
    script = [sys.executable, "-c", "from jsna_kit.cli import main; main()"]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*script, *args], capture_output=True, text=True, env=env)

    ok = run("--help")
    assert ok.returncode == 0 and "Usage" in ok.stdout
    bad = run("build", "--area", "Atlantis", "--out", str(tmp_path / "out"), "--data-dir", str(shared_data_dir))
    assert bad.returncode == 1 and "Atlantis" in bad.stdout + bad.stderr
    usage = run("build", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stdout + usage.stderr
    built = run("build", "--areas", str(areas_file(tmp_path, HARTLEPOOL)), "--no-render", "--workers", "1",
                "--out", str(tmp_path / "out"), "--data-dir", str(shared_data_dir))
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Build summary" in built.stdout
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    assert [a["status"] for a in report["areas"]] == ["built"]

    def marked(process: psutil.Process) -> bool:
        try:
            return process.environ().get("JSNA_KIT_TEST_MARKER") == marker
        except psutil.Error:
            return False

    # At once: a kernel would notice its parent's death itself, but only a second or so later.
    left = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"]) if marked(p)]
    assert left == [], f"processes outlived the command: {left}"


def test_data_directory_files_are_in_the_build_key_and_the_manifest(tmp_path):
    """Issue 26's two broken-on-purpose checks: a build key that ignored the data directory's files,
    and a rebuild from the manifest that skipped their digests, each passed every test before."""
    from jsna_kit.batch.rebuild import rebuild

    data, out = tmp_path / "data", tmp_path / "out"
    export = data / "fingertips" / "export.csv"
    export.parent.mkdir(parents=True)
    shutil.copy(Path(__file__).parent / "fixtures" / "fingertips" / "export_27col.csv", export)

    def build(**options):
        result = build_batch(codes=[HARTLEPOOL], data_dir=data, out_dir=out, workers=1, render=False, today=DAY,
                             **options)
        return [(o.status, o.reason) for o in result.outcomes]

    assert build() == [("built", "not built before")]
    (data / "notes.txt").write_text("a file the chapter reads from the data directory\n")
    status, reason = build()[0]
    assert status == "built" and "files in the data directory" in reason, reason

    manifest = out / f"{HARTLEPOOL}-hartlepool" / "data" / "manifest.json"
    listed = [i["name"] for i in json.loads(manifest.read_text())["inputs"] if i["role"] == "data directory"]
    assert listed == ["fingertips/export.csv"]
    export.write_text(export.read_text(encoding="utf-8-sig").replace(",10.4,", ",10.5,"), encoding="utf-8")
    with pytest.raises(Exception) as refused:
        rebuild(manifest, data_dir=data, out_dir=tmp_path / "again", render=False)
    assert "fingertips/export.csv (data directory)" in str(refused.value)
    assert "its SHA-256 differs" in str(refused.value)
