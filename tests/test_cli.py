"""Every command and option the README shows, run through the command line as a user types it:
what it prints, its exit code and the files it writes, each in a temp folder."""

from __future__ import annotations

import io
import json
import re
import shlex

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import run_cli
from jsna_kit.cli import app
from jsna_kit.priorities import PRIORITY_AREAS

pytestmark = pytest.mark.e2e

HARTLEPOOL = "E06000001"
CASELOAD = ("area_code,area_name,sex,age_band,caseload,date,source\n"
            f"{HARTLEPOOL},Hartlepool,all,all,1000,2025-03-31,PDU count\n")
NEEDS = ("area_code,area_name,priority_area,need,numerator,denominator,period,source\n"
         f"{HARTLEPOOL},Hartlepool,mental_health,Mental health need identified in OASys,300,800,2024/25,OASys\n")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def said(output: str) -> str:
    """What the command printed, as one line: rich's box drawing and line wrapping taken out."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", output).split())


def unbroken(output: str) -> str:
    """The same without any white space: long paths are wrapped mid-word."""
    return "".join(said(output).split())


@pytest.fixture
def no_data(tmp_path):
    folder = tmp_path / "no-data"
    folder.mkdir()
    return folder


@pytest.fixture
def no_quarto(tmp_path, monkeypatch):
    """PATH without Quarto (the fallback renderer is used), whatever this machine has."""
    import os
    import shutil

    folders = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not (
        shutil.which("quarto", path=p))]
    monkeypatch.setenv("PATH", os.pathsep.join(folders))


# --- jsna-kit areas -------------------------------------------------------------------------------

def test_areas_lists_every_area(no_data):
    result = invoke("areas", "--data-dir", str(no_data))
    assert result.exit_code == 0, result.output
    text = said(result.output)
    assert "175 areas; list from reference_table" in text
    assert "E08000019" in text and "Sheffield" in text and "W06000015" in text


def test_areas_of_a_region_as_csv(shared_data_dir):
    result = invoke("areas", "--region", "north east", "--csv", "--data-dir", str(shared_data_dir))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == ["area_code", "area_name", "area_type", "region_name", "probation_region_code",
                                   "probation_region_name", "area_name_welsh", "region_code", "country"]
    assert len(table) == 12 and set(table["region_name"]) == {"North East"}
    assert HARTLEPOOL in set(table["area_code"])


def test_areas_of_an_unknown_region_is_an_error(no_data):
    result = invoke("areas", "--region", "Atlantis", "--data-dir", str(no_data))
    assert result.exit_code == 1
    assert "error: no region or probation region called 'Atlantis'; choose from" in said(result.output)


# --- jsna-kit estimates ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [[], ["--area", "Sheffield", "--all"]])
def test_estimates_wants_either_areas_or_all(tmp_path, args):
    result = invoke("estimates", *args, "--out", str(tmp_path / "e.csv"))
    assert result.exit_code == 1
    assert "error: give exactly one of --area (one or more), --all, --areas FILE or --region NAME" in said(
        result.output)
    assert not (tmp_path / "e.csv").exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_estimates_for_one_area_with_its_caseload_in_each_format(tmp_path, no_data, suffix):
    out = tmp_path / f"estimates{suffix}"
    result = invoke("estimates", "--area", "Sheffield", "--caseload", "1234", "--out", str(out),
                    "--data-dir", str(no_data))
    assert result.exit_code == 0, result.output
    table = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}[suffix](out)
    assert f"Wrote {len(table):,} estimates for 1 areas to" in said(result.output)
    assert set(table["area_code"]) == {"E08000019"} and set(table["caseload"]) == {1235}  # published: rounded to 5
    assert set(table["caseload_kind"]) == {"local"}
    assert set(table["priority_area"]) == {pa.key for pa in PRIORITY_AREAS}


def test_estimates_caseload_is_for_one_area_only(tmp_path, no_data):
    result = invoke("estimates", "--area", "Sheffield", "--area", "Leeds", "--caseload", "100",
                    "--out", str(tmp_path / "e.csv"), "--data-dir", str(no_data))
    assert result.exit_code == 1
    assert "error: --caseload applies to one area; give exactly one --area with it" in said(result.output)


def test_estimates_for_every_area(tmp_path, shared_data_dir):
    out = tmp_path / "all.csv"
    result = invoke("estimates", "--all", "--out", str(out), "--data-dir", str(shared_data_dir))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    text = said(result.output)
    assert f"Wrote {len(table):,} estimates for 175 areas to" in text  # mid-2023 adults: every area modelled
    assert "note:" not in text
    assert set(table["caseload_kind"]) == {"modelled"}


def test_estimates_into_a_file_of_another_kind_is_an_error(tmp_path, no_data):
    result = invoke("estimates", "--area", "Sheffield", "--caseload", "100", "--out", str(tmp_path / "e.txt"),
                    "--data-dir", str(no_data))
    assert result.exit_code == 1
    assert "error: cannot write e.txt: use a .csv, .parquet or .xlsx file name" in said(result.output)


# --- jsna-kit validate ----------------------------------------------------------------------------

def test_validate_a_template_passes_with_its_example_rows_as_warnings(repo_root):
    result = invoke("validate", str(repo_root / "templates" / "caseload.csv"))
    assert result.exit_code == 0, result.output
    assert f"OK: {repo_root / 'templates' / 'caseload.csv'} (3 rows). 0 error(s), 3 warning(s)" in said(result.output)


def test_validate_a_bad_file_names_row_and_column(repo_root):
    result = invoke("validate", str(repo_root / "tests" / "fixtures" / "bad" / "negative.csv"))
    assert result.exit_code == 1
    text = said(result.output)
    assert "error" in text and "negative.csv" in text and "caseload" in text


def test_validate_with_an_unknown_kind(repo_root):
    result = invoke("validate", str(repo_root / "templates" / "caseload.csv"), "--kind", "nonsense")
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Unknown kind 'nonsense'. Use one of: caseload, needs, services, fingertips" in said(result.output)


# --- jsna-kit build ------------------------------------------------------------------------------

def test_build_one_area_with_its_name_caseload_and_source_and_render(tmp_path, no_data, no_quarto):
    out = tmp_path / "out"
    result = invoke("build", "--area", HARTLEPOOL, "--area-name", "Hartlepool Borough", "--caseload", "1234",
                    "--caseload-source", "PDU count, 31 March 2025", "--render", "--out", str(out),
                    "--data-dir", str(no_data))
    assert result.exit_code == 0, result.output
    slug = f"{HARTLEPOOL}-hartlepool-borough"
    assert f"Executedchapter:{out / slug}.ipynb" in unbroken(result.output)
    area = json.loads((out / slug / "data" / "chapter.json").read_text())
    assert (area["area_name"], area["caseload"], area["caseload_kind"], area["caseload_source"]) == (
        "Hartlepool Borough", 1235, "local", "PDU count, 31 March 2025")  # 1,234 published as 1,235
    html = (out / "_site" / "reports" / f"{slug}.html").read_text(encoding="utf-8")
    assert "Health needs of people on probation: Hartlepool Borough" in html
    assert "PDU count, 31 March 2025" in html
    for suffix in (".docx", ".pdf"):
        assert (out / "_site" / "reports" / f"{slug}{suffix}").stat().st_size > 1000


def test_build_a_region_with_the_analysts_files_then_again_then_forced(tmp_path, shared_data_dir):
    (tmp_path / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "services.csv").write_text(
        "area_code,area_name,priority_area,service,measure,value,period,source,note\n"
        f"{HARTLEPOOL},Hartlepool,substance_misuse,Drug and alcohol service,Referrals from probation,42,2024/25,"
        "Provider return,\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "--region", "North East", "--caseload-file", str(tmp_path / "caseload.csv"), "--needs-file",
            str(tmp_path / "needs.csv"), "--services-file", str(tmp_path / "services.csv"), "--no-render",
            "--workers", "2", "--out", str(out), "--data-dir", str(shared_data_dir)]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "12 chapter(s) to build, 0 up to date, 0 skipped." in said(first.output)
    assert len(list(out.glob("*.ipynb"))) == 12
    chapters = {p.parent.parent.name: json.loads(p.read_text()) for p in out.glob("*/data/chapter.json")}
    hartlepool = chapters[f"{HARTLEPOOL}-hartlepool"]
    assert (hartlepool["caseload"], hartlepool["caseload_kind"]) == (1000, "local")
    assert hartlepool["caseload_source"] == "PDU count, 31 March 2025"
    assert {c["caseload_kind"] for slug, c in chapters.items() if not slug.startswith(HARTLEPOOL)} == {"modelled"}
    assert [p.parent.parent.name for p in out.glob("*/data/observed.csv")] == [f"{HARTLEPOOL}-hartlepool"]
    assert [p.parent.parent.name for p in out.glob("*/data/services.csv")] == [f"{HARTLEPOOL}-hartlepool"]
    assert json.loads((out / "build-report.json").read_text())["counts"]["built"] == 12

    again = invoke(*args)
    assert again.exit_code == 0 and "0 chapter(s) to build, 12 up to date, 0 skipped." in said(again.output)
    forced = invoke(*args, "--force")
    assert forced.exit_code == 0 and "12 chapter(s) to build, 0 up to date, 0 skipped." in said(forced.output)


def test_build_all(tmp_path, shared_data_dir):
    out = tmp_path / "out"
    result = invoke("build", "--all", "--no-render", "--workers", "2", "--out", str(out),
                    "--data-dir", str(shared_data_dir))
    assert result.exit_code == 0, result.output
    text = said(result.output)
    assert "175 chapter(s) to build, 0 up to date, 0 skipped." in text  # mid-2023 adults: every area modelled
    assert len([p for p in out.glob("*.ipynb") if not p.name.endswith(".cy.ipynb")]) == 175
    assert len(list(out.glob("*.cy.ipynb"))) == 22  # each Welsh area's Welsh chapter: the default
    report = json.loads((out / "build-report.json").read_text())
    assert (report["counts"]["built"], report["counts"]["skipped"], report["counts"]["failed"]) == (175, 0, 0)


# --- jsna-kit render -----------------------------------------------------------------------------

def test_render_with_nothing_to_render(tmp_path):
    result = invoke("render", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert f"error:noexecutedchaptersin{tmp_path};" in unbroken(result.output)
    assert "run `jsna-kit build --area ...` first" in said(result.output)


def test_render_renders_every_executed_chapter(tmp_path, no_data, no_quarto):
    out = tmp_path / "out"
    built = invoke("build", "--area", "Sheffield", "--caseload", "2000", "--no-render", "--out", str(out),
                   "--data-dir", str(no_data))
    assert built.exit_code == 0, built.output
    assert not (out / "_site").exists()
    result = invoke("render", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Quarto was not found on PATH: rendered HTML, Word and PDF with pandoc and typst" in said(result.output)
    for suffix in (".html", ".docx", ".pdf"):
        page = out / "_site" / "reports" / f"E08000019-sheffield{suffix}"
        assert page.stat().st_size > 1000 and str(page) in unbroken(result.output)


# --- the README's first command ------------------------------------------------------------------

def test_the_readmes_first_command_as_written(project_copy, repo_root):
    """The build part of the README's first command, exactly as written, run in a copy of the project
    (setting up the environment is what this test run already did); the outputs are where the
    README's "Where the output goes" table says."""
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)[0].strip()
    command = first.split("&&")[-1].strip()
    assert command == ".venv/bin/jsna-kit build --area E08000019 --area-name Sheffield --caseload 2000"
    result = run_cli(project_copy, *shlex.split(command)[1:], env={"JSNA_KIT_DATA_DIR": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Executed chapter:" in result.stdout
    table = readme.split("## Where the output goes", 1)[1].split("##", 1)[0]
    places = re.findall(r"`([^`]+)`", table)
    assert places, "the README lists where the output goes"
    for place in places:
        for path in (place.split(", ") if "," in place else [place]):
            path = path if path.startswith(("reports", "_site")) else None
            if path and "." in path.rsplit("/", 1)[-1]:
                assert (project_copy / path).is_file(), path
            elif path:
                assert (project_copy / path).is_dir(), path
    for suffix in ("docx", "pdf"):
        assert (project_copy / "_site" / "reports" / f"E08000019-sheffield.{suffix}").is_file()


# --- jsna-kit data -------------------------------------------------------------------------------

def test_data_status_says_what_is_missing_and_how_to_get_it(no_data):
    result = invoke("data", "status", "--data-dir", str(no_data))
    assert result.exit_code == 0, result.output
    text = said(result.output)
    assert f"Data directory: {no_data}" in text
    assert "population/mid2019_population_by_age.csv" in unbroken(result.output)
    assert "Get missing files with `jsna-kit data fetch`" in text


def test_every_missing_input_is_named_at_once_as_missing_not_as_a_write_problem(tmp_path):
    """A misspelt --needs-file was reported as 'cannot write need.csv' (issue 26): every input file
    that is not there is named, with its option, in one error, before anything is built."""
    (tmp_path / "caseload.csv").write_text("area_code,area_name,sex,age_band,caseload,date,source\n",
                                           encoding="utf-8")
    result = invoke("build", "--area", "Derbyshire", "--caseload-file", str(tmp_path / "caseload.csv"),
                    "--needs-file", str(tmp_path / "need.csv"), "--services-file", str(tmp_path / "services.csv"),
                    "--out", str(tmp_path / "out"))
    said = " ".join(result.output.split())
    assert result.exit_code == 1, result.output  # the command was wrong, not the output folder (2)
    assert "these input files do not exist" in said and "--needs-file" in said and "need.csv" in said
    assert "--services-file" in said and "--caseload-file" not in said and "cannot write" not in said
    assert not (tmp_path / "out").exists()


def test_the_caseload_option_is_shown_as_a_number_of_people():
    """--caseload is a whole number of people (a decimal is refused with its reason, in
    test_bad_input): the help says so, not <float> (issue 26)."""
    shown = " ".join(invoke("build", "--help").output.replace("│", " ").split())
    line = shown[shown.index("--caseload "):][:140]
    assert "PEOPLE" in line and "a whole number" in line and "float" not in line.lower(), line


COMMAND_PATHS = [["init"], ["areas"], ["build"], ["estimates"], ["render"], ["overview"], ["compare"], ["validate"],
                 ["data", "fetch"], ["data", "status"], ["data", "fingertips"], ["reference", "export"]]


@pytest.mark.parametrize("command", COMMAND_PATHS, ids=" ".join)
def test_each_commands_help_fits_80_columns_and_has_an_example(command):
    """Issue 26: at 80 columns the help squeezed descriptions to about 20 characters and had no
    example. Each example is a command this command line accepts (its options are its own)."""
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 80, [line for line in lines if len(line) > 80]
    examples = lines[lines.index("  Examples:") + 1:]
    assert examples and all(line.startswith(f"    jsna-kit {' '.join(command)}") for line in examples), examples
    options = {o for line in lines if line.lstrip().startswith("--") for o in re.findall(r"--[a-z-]+", line)}
    used = {o for line in examples for o in re.findall(r"(?<!\S)--[a-z-]+", line)}
    assert used <= options, used - options
    # option help keeps at least 45 characters a line (the boxed layout had about 20)
    widths = [len(line) - 27 for line in lines if line.startswith(" " * 27) and line.strip()]
    assert not widths or max(widths) >= 45


def test_the_command_list_gives_each_command_one_line():
    result = CliRunner().invoke(app, ["--help"], terminal_width=80, env={"COLUMNS": "80"})
    listed = result.output.split("Commands:\n")[1].splitlines()
    assert len([line for line in listed if line.strip()]) == len({c[0] for c in COMMAND_PATHS})
    assert not any(line.rstrip().endswith("...") for line in listed), "a summary cut short"


@pytest.mark.e2e
def test_build_and_render_say_each_area_as_it_is_done_without_a_terminal(tmp_path):
    """Issue 26: without a terminal, build printed only its final bar and render nothing for minutes."""
    listing = tmp_path / "areas.txt"
    listing.write_text("Hartlepool\nMiddlesbrough\n", encoding="utf-8")
    built = invoke("build", "--areas", str(listing), "--no-render", "--out", str(tmp_path / "out"),
                   "--data-dir", str(tmp_path), "--workers", "2")
    assert built.exit_code == 0, built.output
    lines = [line for line in built.output.splitlines() if re.match(r"\d+/2 ", line)]
    assert [line[:4] for line in lines] == ["1/2 ", "2/2 "], built.output
    assert {line.split()[2] for line in lines} == {"E06000001", "E06000002"}
    assert all(re.fullmatch(r"\d/2 built E0600000[12] \S+ \(\d+\.\d s\)", line) for line in lines), lines
    rendered = invoke("render", "--out", str(tmp_path / "out"), "--format", "html", "--workers", "1")
    assert rendered.exit_code == 0, rendered.output
    assert "Rendering 2 chapter(s)" in rendered.output
    assert "1/2 rendered E06000001-hartlepool" in rendered.output
    assert "2/2 rendered E06000002-middlesbrough" in rendered.output
