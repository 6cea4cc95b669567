"""Bad input never becomes a crash or a silently wrong number (issue: the analyst's files, the
command line, and a batch that keeps going). Each test gives a kind of bad input through the
command line and checks the exact message, the exit code, and that the exit was clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jsna_kit.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "bad_input"
HEADER = "area_code,area_name,sex,age_band,caseload,date,source\n"


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def said(output: str) -> str:
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", output).split())


def clean(result) -> None:
    """The command ended by itself (an exit code), not by an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# --- console markup in the analyst's text is printed as text -------------------------------------

def test_markup_like_text_in_a_file_and_its_name_is_printed_literally(tmp_path):
    path = tmp_path / "[c]caseload [bold].csv"
    path.write_text(HEADER + "E06000001,[/bold red] Hartlepool,all,all,[x],2025-03-31,[/]\n", encoding="utf-8")
    result = invoke("validate", path)
    clean(result)
    text = "".join(result.output.split())
    assert "[c]caseload[bold].csv" in text and "[x]" in text


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_markup_like_text_on_the_command_line_is_printed_literally(tmp_path):
    result = invoke("build", "--area", "[/bold red]", "--out", tmp_path / "out", "--data-dir", tmp_path)
    clean(result)
    assert result.exit_code == 1
    assert "error: No current upper-tier area matches '[/bold red]'." in said(result.output)
    listing = tmp_path / "areas.txt"
    listing.write_text("Hartlepool\n[c] Atlantis\n", encoding="utf-8")
    result = invoke("build", "--areas", listing, "--out", tmp_path / "out", "--data-dir", tmp_path)
    clean(result)
    assert "[c] Atlantis" in said(result.output) and "row 2" in said(result.output)


# --- output folders: relative paths, damaged outputs ----------------------------------------------

@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_relative_output_folders_work_for_build_render_and_overview(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "no-data").mkdir()
    built = invoke("build", "--area", "Sheffield", "--caseload", "2000", "--out", "rel", "--data-dir", "no-data",
                   "--no-render")
    clean(built)
    assert built.exit_code == 0, built.output
    monkeypatch.chdir(tmp_path / "rel")
    rendered = invoke("render", "--out", ".")
    clean(rendered)
    assert rendered.exit_code == 0, rendered.output
    for suffix in (".html", ".docx", ".pdf"):
        assert (tmp_path / "rel" / "_site" / "reports" / f"E08000019-sheffield{suffix}").stat().st_size > 1000


@pytest.fixture
def built(tmp_path, shared_data_dir):
    out = tmp_path / "out"
    args = ["build", "--areas", FIXTURES / "two_areas.txt", "--no-render", "--workers", "1", "--out", out,
            "--data-dir", shared_data_dir]
    assert invoke(*args).exit_code == 0
    return out, args


@pytest.mark.parametrize("damage", ["E06000001-hartlepool.ipynb", "E06000001-hartlepool/data/estimates.xlsx",
                                    "E06000001-hartlepool/data/estimates.csv"])
@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_damaged_output_is_found_and_rebuilt(built, damage):
    out, args = built
    path = out / damage
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated
    result = invoke(*args)
    clean(result)
    assert result.exit_code == 0, result.output
    assert "1 chapter(s) to build, 1 up to date" in said(result.output)
    report = (out / "build-report.md").read_text()
    assert f"| E06000001 | Hartlepool | damaged: {damage} |" in report
    assert invoke(*args).output.count("0 chapter(s) to build") == 1


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_rendering_a_damaged_notebook_names_it(built):
    out, _ = built
    notebook = out / "E06000001-hartlepool.ipynb"
    notebook.write_text(notebook.read_text()[:1000], encoding="utf-8")
    result = invoke("render", "--out", out)
    clean(result)
    assert result.exit_code == 1
    assert "is damaged and cannot be read" in said(result.output)
    assert str(notebook) in "".join(result.output.split())


# --- numbers that are not what they seem ---------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("spaced_number.csv", "spaced_number.csv, row 2, column 'caseload': Not a number (a space may only separate "
                          "thousands, as in 2 000) (value: '20 00 0')"),
    ("semicolon_dots.csv", "semicolon_dots.csv, row 2, column 'caseload': Ambiguous in a semicolon-separated file: "
                           "2.000 could be 2 (a decimal point) or 2,000 (a thousands separator) (value: '2.000'). "
                           "Fix: Write the number without separators, e.g. 2000"),
    ("infinite.csv", "infinite.csv, row 2, column 'caseload': Too large to be a real figure (value: '1e400')"),
    ("misgrouped_number.csv", "misgrouped_number.csv, row 2, column 'caseload': Not a number: separators may only "
                              "group thousands in threes (1,234 or 1 234), and the decimal mark is a point (a comma "
                              "only in a semicolon-separated file) (value: '1,2345')"),
])
@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_number_that_is_not_what_it_seems_is_an_error_in_validate_and_build(name, message, tmp_path):
    from jsna_kit.load.validate import validate_file

    report = validate_file(FIXTURES / name, "caseload")
    assert any(str(p).startswith(message) for p in report.problems), [str(p) for p in report.problems]
    checked = invoke("validate", FIXTURES / name)
    clean(checked)
    assert checked.exit_code == 1
    built = invoke("build", "--area", "Hartlepool", "--caseload-file", FIXTURES / name, "--out", tmp_path / "out",
                   "--data-dir", tmp_path, "--no-render")
    clean(built)
    assert built.exit_code == 1 and message.split(": ", 1)[1].split(" (value")[0] in said(built.output)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.ipynb"))


def test_a_space_between_thousands_is_a_thousands_separator(tmp_path):
    from jsna_kit.load.local_data import read_caseload

    assert read_caseload(FIXTURES / "spaced_thousands.csv")["caseload"].tolist() == [2000.0]


# --- a batch that keeps going --------------------------------------------------------------------

@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_bad_rows_fail_their_own_areas_and_the_others_are_built(tmp_path, shared_data_dir):
    """A suppressed total, no total at all, a zero and a negative caseload: those four areas fail,
    each with the message validate gives, and Hartlepool (good rows) and County Durham (not in the
    file: modelled) are built; the report names each failure."""
    out = tmp_path / "out"
    result = invoke("build", "--areas", FIXTURES / "six_areas.txt", "--caseload-file",
                    FIXTURES / "caseload_bad_rows.csv", "--no-render", "--workers", "2", "--out", out,
                    "--data-dir", shared_data_dir)
    clean(result)
    assert result.exit_code == 1
    report = __import__("json").loads((out / "build-report.json").read_text())
    status = {a["area_code"]: (a["status"], (a.get("error") or {}).get("message", "")) for a in report["areas"]}
    assert status["E06000001"][0] == "built" and status["E06000047"][0] == "built"
    expected = {
        "E06000002": "caseload_bad_rows.csv, row 3, column 'caseload': the caseload for E06000002 needs a row with "
                     "sex 'all' and age_band 'all' holding the total (it is missing or suppressed)",
        "E06000005": "caseload_bad_rows.csv, row 4, column 'caseload': the caseload for E06000005 needs a row with "
                     "sex 'all' and age_band 'all' holding the total (it is missing or suppressed)",
        "E06000004": "caseload_bad_rows.csv, row 5, column 'caseload': A caseload is at least 1 person, not 0",
        "E06000003": "caseload_bad_rows.csv, row 6, column 'caseload': caseload cannot be negative (value: '-40')",
    }
    for code, message in expected.items():
        assert status[code][0] == "failed" and status[code][1].startswith(message), (code, status[code])
    markdown = (out / "build-report.md").read_text()
    assert all(f"### {code}" in markdown for code in expected)
    assert (out / "E06000001-hartlepool.ipynb").is_file() and (out / "E06000047-county-durham.ipynb").is_file()
    from jsna_kit.load.validate import validate_file  # validate says the same, row by row

    said_by_validate = [str(p) for p in validate_file(FIXTURES / "caseload_bad_rows.csv", "caseload",
                                                      national=(244209.0, "2025-06-30")).problems]
    assert [m for m in said_by_validate if any(m.startswith(e) for e in expected.values())] == said_by_validate
    assert len(said_by_validate) == 4
    one = invoke("build", "--area", "Stockton-on-Tees", "--caseload-file", FIXTURES / "caseload_bad_rows.csv",
                 "--no-render", "--out", tmp_path / "one", "--data-dir", shared_data_dir)
    clean(one)
    assert one.exit_code == 1 and "A caseload is at least 1 person, not 0" in said(one.output)


@pytest.mark.parametrize("caseload, message", [
    ("0.5", "a caseload is a whole number of people, not 0.5"),
    ("2000.7", "a caseload is a whole number of people, not 2000.7"),
    ("1e12", "a caseload of 1,000,000,000,000 is more than the national caseload"),
    ("1e308", "is more than the national caseload"),
    ("3", "a caseload of 3 is fewer than 5 people"),  # every figure would describe too few to publish
    ("4", "a caseload of 4 is fewer than 5 people"),
])
@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_an_implausible_caseload_on_the_command_line_is_refused(tmp_path, caseload, message):
    result = invoke("build", "--area", "Sheffield", "--caseload", caseload, "--out", tmp_path / "out",
                    "--data-dir", tmp_path, "--no-render")
    clean(result)
    assert result.exit_code == 1 and message in said(result.output), said(result.output)
    estimates = invoke("estimates", "--area", "Sheffield", "--caseload", caseload, "--out", tmp_path / "e.csv",
                       "--data-dir", tmp_path)
    assert estimates.exit_code == 1 and message in said(estimates.output)


def test_an_implausible_caseload_in_a_file_is_refused(tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_text(HEADER + "E08000019,Sheffield,all,all,1000000000000,2025-03-31,PDU\n"
                    "E06000001,Hartlepool,all,all,900,2099-03-31,PDU\n", encoding="utf-8")
    from jsna_kit.load.validate import validate_file

    problems = [str(p) for p in validate_file(path, "caseload", national=(244209.0, "2025-06-30")).problems]
    assert problems[0].startswith("caseload.csv, row 2, column 'caseload': A caseload of 1,000,000,000,000 is "
                                  "more than the national caseload (244,209 people on probation on 2025-06-30)")
    assert problems[1].startswith("caseload.csv, row 3, column 'date': The date is in the future")
    built = invoke("build", "--area", "Sheffield", "--caseload-file", path, "--out", tmp_path / "out",
                   "--data-dir", tmp_path, "--no-render")
    assert built.exit_code == 1 and "is more than the national caseload" in said(built.output)


# --- text that cannot fool a reader --------------------------------------------------------------

HIDDEN = "\u202e\u2066\x00\x07\x85\u200f"


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_control_and_reordering_characters_reach_no_output(tmp_path, monkeypatch):
    """A name given on the command line and a source in the caseload file that carry a right-to-left
    override, NUL, BEL and C1 controls: no output holds any of them, and the title reads as typed."""
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # the fallback renderer, whatever this machine has
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(HEADER + f"E08000019,Sheffield,all,all,2000,2025-03-31,PDU{HIDDEN} count\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", "--area", "E08000019", "--area-name", f"Shef{HIDDEN}field", "--caseload-file",
                    caseload, "--out", out, "--data-dir", tmp_path)
    clean(result)
    assert result.exit_code == 0, result.output
    data = out / "E08000019-sheffield" / "data"
    area = __import__("json").loads((data / "chapter.json").read_text())
    assert area["area_name"] == "Sheffield" and area["caseload_source"] == "PDU count, 31 March 2025"
    site = out / "_site" / "reports"
    outputs = [*data.glob("*.csv"), data / "chapter.json", out / "E08000019-sheffield.ipynb",
               site / "E08000019-sheffield.html"]
    texts = [p.read_text(encoding="utf-8") for p in outputs]
    for text in texts:
        assert not any(ch in text for ch in HIDDEN)
    assert "Health needs of people on probation: Sheffield" in texts[-1]


# --- helpful, not misleading ---------------------------------------------------------------------

@pytest.mark.parametrize("code, message", [
    ("E07000223", "E07000223 (Adur) is a lower-tier district: it lies in E10000032 (West Sussex), the upper-tier "
                  "area to give instead."),
    ("S12000033", "S12000033 is a Scottish area code: jsna-kit covers local authorities in England and Wales only."),
    ("N09000002", "N09000002 is a Northern Irish area code: jsna-kit covers local authorities in England and Wales "
                  "only."),
])
@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_codes_of_other_tiers_and_nations_say_what_they_are(tmp_path, code, message):
    result = invoke("build", "--area", code, "--out", tmp_path / "out", "--data-dir", tmp_path)
    clean(result)
    assert result.exit_code == 1 and f"error: {message}" in said(result.output)
    path = tmp_path / "caseload.csv"
    path.write_text(HEADER + f"{code},Somewhere,all,all,100,2025-03-31,PDU\n", encoding="utf-8")
    from jsna_kit.load.areas import code_changes, load_areas
    from jsna_kit.load.validate import validate_file

    problems = [str(p) for p in validate_file(path, "caseload", areas=load_areas(tmp_path),
                                              code_changes=code_changes()).problems]
    assert problems == [f"caseload.csv, row 2, column 'area_code': {message} (value: '{code}'). Fix: Give the code "
                        "of a current county or unitary authority in England or Wales"]


def test_an_old_code_for_part_of_an_area_is_refused(tmp_path):
    from jsna_kit.load.areas import code_changes, load_areas
    from jsna_kit.load.validate import validate_file

    report = validate_file(FIXTURES / "partial_old_code.csv", "caseload", areas=load_areas(tmp_path),
                           code_changes=code_changes())
    assert [str(p) for p in report.problems] == [
        "partial_old_code.csv, row 2, column 'area_code': E06000028 (Bournemouth) is an old area code for only part "
        "of E06000058 (Bournemouth, Christchurch and Poole), which also took in Poole (E06000029) and Christchurch "
        "(E07000048) on 2019-04-01: its figures are not the whole area's (value: 'E06000028'). Fix: Give the "
        "figure for the whole area under E06000058"]
    # a county that became a unitary of the same ground is the whole area: mapped, with a warning
    assert any("E10000023 (North Yorkshire) is an old area code: it was merged into E06000065" in str(p)
               for p in report.warnings)


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_workbook_sheet_can_be_chosen_on_the_command_line(tmp_path):
    first = invoke("validate", FIXTURES / "two_sheets.xlsx")
    clean(first)
    assert first.exit_code == 1  # the first sheet is not a caseload table
    chosen = invoke("validate", FIXTURES / "two_sheets.xlsx", "--sheet", "caseload 2025")
    clean(chosen)
    assert chosen.exit_code == 0, chosen.output
    assert "read as caseload, xlsx, sheet 'caseload 2025'" in said(chosen.output)
    built = invoke("build", "--area", "Hartlepool", "--caseload-file", FIXTURES / "two_sheets.xlsx", "--sheet",
                   "caseload 2025", "--no-render", "--out", tmp_path / "out", "--data-dir", tmp_path)
    clean(built)
    assert built.exit_code == 0, built.output
    area = __import__("json").loads((tmp_path / "out" / "E06000001-hartlepool" / "data" / "chapter.json").read_text())
    assert area["caseload"] == 950


def test_excel_unicode_text_is_read():
    from jsna_kit.load.local_data import read_caseload

    assert read_caseload(FIXTURES / "unicode_text.txt")["caseload"].tolist() == [950.0]


@pytest.mark.shared_data
def test_the_derived_reference_tables_are_what_the_script_makes(shared_data_dir, repo_root):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(repo_root / "scripts" / "derive_reference_tables.py"), "--check",
                           "--data-dir", str(shared_data_dir)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- figures out of range --------------------------------------------------------------------------

FINGERTIPS_PROBLEMS = [
    "fingertips_out_of_range.csv, row 2, column 'Value': Not a finite number (value: inf)",
    "fingertips_out_of_range.csv, row 3, column 'Value': A negative figure: the indicators jsna-kit reads are rates, "
    "percentages, counts and scores, none below 0 (value: -3.2)",
    "fingertips_out_of_range.csv, row 4, column 'Lower CI 95.0 limit': The interval's lower end is above its upper "
    "end (12.5 > 9.5) (value: 12.5)",
    "fingertips_out_of_range.csv, row 5, column 'Indicator ID': Indicator 99999 (Not in the catalogue) is not one of "
    "jsna-kit's context indicators, so it would not be used (value: 99999)",
]


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_fingertips_figures_out_of_range_are_errors_in_validate_and_build(tmp_path):
    from jsna_kit.load.validate import validate_file

    problems = [str(p) for p in validate_file(FIXTURES / "fingertips_out_of_range.csv").problems]
    assert [p.split(". Fix:")[0] for p in problems] == FINGERTIPS_PROBLEMS
    for name, expected in (("fingertips_out_of_range.csv", FINGERTIPS_PROBLEMS[:3]),
                           ("fingertips_unknown_indicator.csv", [FINGERTIPS_PROBLEMS[3].replace("row 5", "row 2")])):
        data = tmp_path / name / "data"
        (data / "fingertips").mkdir(parents=True)
        (data / "fingertips" / name).write_bytes((FIXTURES / name).read_bytes())
        built = invoke("build", "--area", "Hartlepool", "--caseload", "900", "--no-render", "--out",
                       tmp_path / name / "out", "--data-dir", data)
        clean(built)
        assert built.exit_code == 1
        text = said(built.output)
        for problem in expected:
            assert problem.replace("fingertips_out_of_range.csv", name).split(" (value")[0] in text, text


# --- an output folder that cannot be written -------------------------------------------------------

def test_an_output_folder_in_place_of_a_file_is_one_clear_line_and_exit_code_2(tmp_path):
    blocker = tmp_path / "report.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    out = blocker / "chapters"
    one = invoke("build", "--area", "Sheffield", "--caseload", "2000", "--out", out, "--data-dir", tmp_path)
    clean(one)
    assert one.exit_code == 2
    assert f"error:cannotwriteto{out}:{blocker}isafile,notafolder.Chooseanotheroutputfolderwith--out." \
        in "".join(one.output.split())
    listing = tmp_path / "areas.txt"
    listing.write_text("Sheffield\n", encoding="utf-8")
    many = invoke("build", "--areas", listing, "--out", out, "--data-dir", tmp_path)
    clean(many)
    assert many.exit_code == 2 and "is a file, not a folder" in said(many.output)


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_full_disk_fails_the_area_with_one_clear_line(tmp_path, shared_data_dir):
    """The disk is full while Hartlepool's download is written (its temporary file is /dev/full):
    alone, the build says so in one line with exit code 2; in a batch, Hartlepool fails with that
    line and Darlington is built."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this machine")
    out = tmp_path / "out"
    data = out / "E06000001-hartlepool" / "data"
    data.mkdir(parents=True)
    (data / "chapter.json.partial").symlink_to("/dev/full")
    one = invoke("build", "--area", "Hartlepool", "--caseload", "900", "--no-render", "--out", out,
                 "--data-dir", tmp_path)
    clean(one)
    assert one.exit_code == 2, one.output
    assert "No space left on device. Choose an output folder you can write to with --out, or free some space" \
        in said(one.output)
    many = invoke("build", "--areas", FIXTURES / "two_areas.txt", "--no-render", "--workers", "1", "--out", out,
                  "--data-dir", shared_data_dir)
    clean(many)
    assert many.exit_code == 1
    report = __import__("json").loads((out / "build-report.json").read_text())
    status = {a["area_code"]: a for a in report["areas"]}
    assert status["E06000005"]["status"] == "built"
    assert status["E06000001"]["status"] == "failed"
    assert "No space left on device" in status["E06000001"]["error"]["message"]


# --- never lose the analyst's work -------------------------------------------------------------------

def _chapter(out: Path, slug: str) -> dict:
    return __import__("json").loads((out / slug / "data" / "chapter.json").read_text())


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_caseload_given_before_is_used_again_by_a_later_batch(tmp_path, shared_data_dir):
    out = tmp_path / "out"
    first = invoke("build", "--area", "Sheffield", "--caseload", "2000", "--caseload-source", "PDU count",
                   "--no-render", "--out", out, "--data-dir", shared_data_dir)
    assert first.exit_code == 0, first.output
    listing = tmp_path / "areas.txt"
    listing.write_text("Sheffield\nRotherham\n", encoding="utf-8")
    batch = ["build", "--areas", listing, "--no-render", "--workers", "1", "--out", out, "--data-dir", shared_data_dir]
    for extra in ([], ["--force"]):
        result = invoke(*batch, *extra)
        clean(result)
        assert result.exit_code == 0, result.output
        assert ("note: E08000019 Sheffield: the caseload given before (2,000, PDU count) is used again; "
                "--replace-local models it instead") in said(result.output)
        sheffield = _chapter(out, "E08000019-sheffield")
        assert (sheffield["caseload"], sheffield["caseload_kind"], sheffield["caseload_source"]) == (
            2000, "local", "PDU count")
        assert _chapter(out, "E08000018-rotherham")["caseload_kind"] == "modelled"
    replaced = invoke(*batch, "--replace-local")
    assert replaced.exit_code == 0, replaced.output
    assert _chapter(out, "E08000019-sheffield")["caseload_kind"] == "modelled"


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_chapter_built_from_a_caseload_file_is_kept_when_the_file_is_gone(tmp_path, shared_data_dir):
    out, caseload = tmp_path / "out", tmp_path / "caseload.csv"
    caseload.write_text(HEADER + "E06000001,Hartlepool,all,all,1003,2025-03-31,PDU count\n", encoding="utf-8")
    first = invoke("build", "--area", "Hartlepool", "--caseload-file", caseload, "--no-render", "--out", out,
                   "--data-dir", shared_data_dir)
    assert first.exit_code == 0, first.output
    batch = ["build", "--areas", FIXTURES / "two_areas.txt", "--no-render", "--workers", "1", "--out", out,
             "--data-dir", shared_data_dir]
    again = invoke(*batch, "--force")
    clean(again)
    assert again.exit_code == 0, again.output
    assert "E06000001 Hartlepool: built again from caseload.csv" in said(again.output)
    assert _chapter(out, "E06000001-hartlepool")["caseload"] == 1005  # 1,003 rounded to 5, as published
    # Built again from nothing new, it is up to date: no 'built again' note (issue 26), and it says
    # what it compared, the analyst's file by name
    cached = invoke("build", "--area", "Hartlepool", "--no-render", "--out", out, "--data-dir", shared_data_dir)
    assert cached.exit_code == 0, cached.output
    assert "built again" not in said(cached.output)
    assert ("commentary and jsna-kit's code are as they were then, and so is caseload.csv; --force rebuilds it"
            in said(cached.output))
    notebook = out / "E06000001-hartlepool.ipynb"
    built = notebook.stat().st_mtime_ns
    caseload.unlink()
    kept = invoke(*batch, "--force")
    clean(kept)
    assert kept.exit_code == 0, kept.output
    assert ("skipped E06000001 Hartlepool: kept as it was built, from the analyst's caseload file caseload.csv, "
            "which is no longer there as it was") in said(kept.output)
    assert notebook.stat().st_mtime_ns == built and _chapter(out, "E06000001-hartlepool")["caseload"] == 1005


# --- big files -------------------------------------------------------------------------------------

def test_a_file_far_larger_than_any_real_one_is_refused_at_once(tmp_path):
    from jsna_kit.load.validate import validate_file

    huge = tmp_path / "huge.csv"
    huge.write_text(HEADER + "E06000001,Hartlepool,all,all,100,2025-03-31,PDU\n" * 200_001, encoding="utf-8")
    assert [str(p) for p in validate_file(huge, "caseload").problems] == [
        "huge.csv: The file has about 200,002 lines: far more than any file jsna-kit reads (a caseload file for all "
        "175 areas, by sex and age band, over several years, has a few thousand rows). Fix: Check it is the right "
        "file; if it is, keep only the rows you need (for example the latest year)"]
    big = tmp_path / "big.csv"
    big.write_text(HEADER + "E06000001,Hartlepool,all,all,100,2025-03-31,PDU\n" * 50_001, encoding="utf-8")
    problems = [str(p) for p in validate_file(big, "caseload").problems]
    assert problems == ["big.csv: The file has 50,001 rows: far more than any caseload file (one for all 175 areas, "
                        "by sex and age band, over several years, has a few thousand rows). Fix: Check it is the "
                        "right file; if it is, keep only the rows you need (for example the latest year)"]
    result = invoke("validate", huge)
    clean(result)
    assert result.exit_code == 1


def test_a_bad_caseload_file_is_not_ignored_when_a_caseload_is_given(tmp_path):
    result = invoke("build", "--area", "Stockton-on-Tees", "--caseload", "900", "--caseload-file",
                    FIXTURES / "caseload_bad_rows.csv", "--no-render", "--out", tmp_path / "out",
                    "--data-dir", tmp_path)
    clean(result)
    assert result.exit_code == 1
    message = "caseload_bad_rows.csv, row 5, column 'caseload': A caseload is at least 1 person, not 0"
    assert message in said(result.output)
