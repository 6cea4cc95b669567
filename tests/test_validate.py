"""validate_file against a corpus of bad files (tests/fixtures/bad/, one problem per file; see its
README), each asserting the exact message a user would read: file, row, column, value and fix.
The area lookup and code changes are small made-up tables, so these tests need no real data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from jsna_kit.cli.validate import run_validation, validate_command
from jsna_kit.load.validate import ValidationReport, detect_kind, validate_file

BAD = Path(__file__).parent / "fixtures" / "bad"
FINGERTIPS = Path(__file__).parent / "fixtures" / "fingertips"

AREAS = pd.DataFrame({
    "area_code": ["E06000001", "E06000002", "E06000060", "E06000061", "E06000062", "W06000001", "E08000037"],
    "area_name": ["Hartlepool", "Middlesbrough", "Buckinghamshire", "North Northamptonshire",
                  "West Northamptonshire", "Isle of Anglesey", "Gateshead"],
})
CODE_CHANGES = pd.DataFrame({
    "old_code": ["E10000002", "E10000021", "E08000020"],
    "old_name": ["Buckinghamshire", "Northamptonshire", "Gateshead"],
    "change": ["merge", "split", "recode"],
    "successor_codes": ["E06000060", "E06000061;E06000062", "E08000037"],
    "effective_date": ["2020-04-01", "2021-04-01", "2013-04-01"],
})
CASELOAD_HEADER = "area_code,area_name,sex,age_band,caseload,date,source,court_orders,licence,note\n"


def check(path: Path, **options) -> ValidationReport:
    return validate_file(path, areas=AREAS, code_changes=CODE_CHANGES, **options)


def texts(problems) -> list[str]:
    return [str(p) for p in problems]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- encodings and formats -------------------------------------------------------------------

def test_utf8_with_bom_reads_the_first_header_and_says_so():
    report = check(BAD / "bom.csv")
    assert report.ok and report.encoding == "utf-8-sig"
    assert texts(report.infos) == [
        "bom.csv: Read as UTF-8 with a byte-order mark (Excel's 'CSV UTF-8'); nothing to fix"]
    assert report.data.loc[0, "area_code"] == "E06000001"
    assert report.data.loc[0, "caseload"] == 1000


def test_windows_1252_is_decoded_and_the_first_accented_cell_is_named():
    report = check(BAD / "cp1252.csv")
    assert report.encoding == "cp1252"
    assert [p.message for p in report.problems] == [  # one age band alone: the build needs the total too
        "the caseload for W06000001 needs a row with sex 'all' and age_band 'all' holding the total (it is "
        "missing or suppressed)"]
    assert texts(report.warnings) == [
        "cp1252.csv, row 2, column 'area_name': The file is not UTF-8: it was read as Windows-1252 "
        "(Excel's plain 'CSV' format) (value: 'Ynys Môn'). Fix: Check accented letters and symbols look "
        "right here and elsewhere; to avoid this, save it from Excel as 'CSV UTF-8 (Comma delimited)'"]
    row = report.data.loc[0]
    assert (row["area_name"], row["age_band"], row["source"]) == (
        "Ynys Môn", "18-24", "MoJ data request (£0 cost)")  # en dash from Excel read as a hyphen


def test_thousands_separators_are_read_as_numbers_and_noted_once_per_column():
    report = check(BAD / "thousands.csv")
    assert report.ok
    assert texts(report.infos) == [
        "thousands.csv, row 2, column 'caseload': Read 2 value(s) with thousands separators as numbers "
        "(e.g. 1,234 as 1234) (value: '1,234')",
        "thousands.csv, row 3, column 'court_orders': Read 1 value(s) with thousands separators as "
        "numbers (e.g. 1,010 as 1010) (value: '1,010')"]
    assert report.data["caseload"].tolist() == [1234.0, 2050.0]
    assert report.data["court_orders"].tolist() == [450.0, 1010.0]


def test_xlsx_named_sheet_reports_the_excel_row():
    report = check(BAD / "caseload_problem.xlsx", sheet="caseload")
    assert (report.encoding, report.sheet) == ("xlsx", "caseload")
    assert texts(report.problems) == [
        "caseload_problem.xlsx, row 3, column 'caseload': Not a number (value: 'n/a'). "
        "Fix: Enter a number such as 1234, or [c] if the figure is suppressed"]
    assert report.data.loc[0, "date"] == pd.Timestamp("2025-03-31")  # an Excel date cell


def test_xlsx_without_the_named_sheet_lists_the_sheets():
    report = check(BAD / "caseload_problem.xlsx", sheet="Sheet1")
    assert texts(report.problems) == [
        "caseload_problem.xlsx: The workbook has no sheet named 'Sheet1'. Fix: Use one of: About, caseload"]


def test_xlsx_first_sheet_is_read_by_default():
    report = check(BAD / "caseload_problem.xlsx")
    assert report.sheet == "About"
    assert texts(report.problems) == [
        "caseload_problem.xlsx, row 1: The file has a header row but no data rows. Fix: Add one row per area "
        "below the header",
        "caseload_problem.xlsx, row 1: Cannot tell which kind of file this is from its headers. Fix: Use "
        "the headers of a template in templates/ (caseload, needs, services), or say which it is with "
        "--kind; sheet 'About' was read, the workbook also has: caseload"]


@pytest.mark.parametrize("name, message", [
    ("empty.csv", "empty.csv: The file is empty (0 bytes). Fix: Start from the template in templates/, "
                  "which has the header row, and add one row per area"),
    ("header_only.csv", "header_only.csv, row 1: The file has a header row but no data rows. "
                        "Fix: Add one row per area below the header"),
])
def test_empty_files(name, message):
    report = check(BAD / name)
    assert texts(report.problems) == [message]
    assert not report.ok


def test_binary_garbage_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20)
    report = check(path)
    assert texts(report.problems) == [
        "photo.csv, row 1: The file is neither UTF-8 nor Windows-1252 text, so it cannot be read. "
        "Fix: Save it from Excel as 'CSV UTF-8 (Comma delimited)'"]


def test_csv_parser_error_becomes_a_problem(tmp_path):
    # a stray quote makes the rest of a file one enormous cell
    path = write(tmp_path, "quote.csv", CASELOAD_HEADER + "E06000001,\"" + "x" * 200_000 + "\",all\n")
    assert texts(check(path).problems) == [
        "quote.csv, row 2: The file cannot be read as CSV (field larger than field limit (131072)). "
        "Fix: Look for a stray double quote (\") at or before this row, or open the file in Excel and save "
        "it again as 'CSV UTF-8'"]


def test_semicolon_delimited_file_is_read(tmp_path):
    path = write(tmp_path, "semi.csv", CASELOAD_HEADER.replace(",", ";")
                 + "E06000001;Hartlepool;all;all;1000;2025-03-31;MoJ;;;\n")
    report = check(path)
    assert report.ok and report.data.loc[0, "caseload"] == 1000


def test_ragged_row_with_extra_values_is_an_error(tmp_path):
    row = "E06000001,Hartlepool,all,all,1,234,2025-03-31,MoJ,450,600,checked\n"  # unquoted 1,234
    report = check(write(tmp_path, "ragged.csv", CASELOAD_HEADER + row))
    assert texts(report.problems)[0] == (
        "ragged.csv, row 2: The row has 11 filled cells but the header has only 10 columns; the extra "
        "values would be lost (value: 'checked'). Fix: Delete the stray values, or if a number has a comma "
        "in it (1,234), put it in quotes or save from Excel so it is quoted")


# --- headers ---------------------------------------------------------------------------------

def test_renamed_header_suggests_the_expected_one():
    report = check(BAD / "renamed_header.csv")
    assert texts(report.problems) == [
        "renamed_header.csv, row 1, column 'Case load': Header 'Case load' is not a caseload template "
        "column; did you mean 'caseload'? (value: 'Case load'). Fix: Rename the header to 'caseload'"]


def test_missing_header():
    report = check(BAD / "missing_header.csv")
    assert texts(report.problems) == [
        "missing_header.csv, row 1, column 'date': Required column 'date' is missing. "
        "Fix: Add a column headed 'date' (see templates/caseload.csv)"]


def test_headers_match_ignoring_case_and_spaces_and_extra_columns_are_warned(tmp_path):
    path = write(tmp_path, "loose.csv", "Area Code,SEX,Age-Band,Caseload,Date,Source,Comments\n"
                                        "E06000001,All,ALL,1000,2025-03-31,MoJ,first cut\n")
    report = check(path)
    assert report.ok
    assert texts(report.warnings) == [
        "loose.csv, row 1, column 'Comments': Column 'Comments' is not in the caseload template and was "
        "ignored (value: 'Comments'). Fix: Delete it, or rename it to a template column (area_code, "
        "area_name, sex, age_band, caseload, date, source, court_orders, licence, note)"]
    assert report.data.loc[0, ["sex", "age_band"]].tolist() == ["all", "all"]


@pytest.mark.parametrize("header, kind", [
    (["area_code", "sex", "age_band", "Case load", "date"], "caseload"),
    (["area_code", "priority_area", "need", "numerator", "denominator", "period"], "needs"),
    (["area_code", "priority_area", "service", "measure", "value", "period"], "services"),
    (["IndicatorID", "IndicatorName", "AreaCode", "Timeperiod", "Value", "Valuenote"], "fingertips"),
    (["name", "count"], None),
])
def test_kind_is_detected_from_headers(header, kind):
    assert detect_kind(header) == kind


# --- suppression -----------------------------------------------------------------------------

@pytest.mark.parametrize("row, marker", [(2, "*"), (3, "c"), (4, ".."), (5, "x"), (6, "[c]"), (7, "[x]")])
def test_each_suppression_marker_is_kept_as_missing_and_reported_as_info(row, marker):
    report = check(BAD / "suppressed.csv")
    assert report.ok and report.kind == "needs"
    assert (f"suppressed.csv, row {row}, column 'numerator': Suppressed value, kept as missing "
            f"(not zero) (value: {marker!r})") in texts(report.infos)
    cleaned = report.data.set_index("row")
    assert pd.isna(cleaned.at[row, "numerator"]) and cleaned.at[row, "numerator_suppressed"]


def test_blank_with_a_note_is_suppressed_and_nothing_became_zero():
    report = check(BAD / "suppressed.csv")
    assert ("suppressed.csv, row 8, column 'numerator': Blank value with a note, kept as suppressed "
            "(missing, not zero) (value: 'fewer than 5 people')") in texts(report.infos)
    assert report.data["numerator_suppressed"].all()
    assert report.data["numerator"].isna().all() and report.data["denominator"].eq(40).all()


def test_blank_without_a_note_is_an_error(tmp_path):
    path = write(tmp_path, "blank.csv", CASELOAD_HEADER + "E06000001,Hartlepool,all,all,,2025-03-31,MoJ,,,\n")
    assert texts(check(path).problems) == [
        "blank.csv, row 2, column 'caseload': caseload is blank. Fix: Enter the figure, or [c] if it is "
        "suppressed (and say why in the note column)"]


# --- area codes ------------------------------------------------------------------------------

def test_merged_old_code_is_mapped_with_a_warning_naming_both():
    report = check(BAD / "merged_old_code.csv")
    assert report.ok
    assert texts(report.warnings) == [
        "merged_old_code.csv, row 2, column 'area_code': E10000002 (Buckinghamshire) is an old area code: it "
        "was merged into E06000060 (Buckinghamshire) on 2020-04-01; the row is counted under E06000060 "
        "(value: 'E10000002'). Fix: Use the current code E06000060"]
    assert report.data.loc[0, ["area_code", "original_area_code"]].tolist() == ["E06000060", "E10000002"]


def test_recoded_old_code_is_mapped(tmp_path):
    path = write(tmp_path, "recode.csv",
                 CASELOAD_HEADER + "e08000020,Gateshead,all,all,900,2025-03-31,MoJ,,,\n")
    report = check(path)
    assert report.ok and report.data.loc[0, "area_code"] == "E08000037"
    assert "it was recoded to E08000037 (Gateshead) on 2013-04-01" in report.warnings[0].message


def test_split_old_code_is_refused_naming_the_successors():
    report = check(BAD / "split_old_code.csv")
    assert texts(report.problems) == [
        "split_old_code.csv, row 2, column 'area_code': E10000021 (Northamptonshire) is an old area code: "
        "the area was split on 2021-04-01 into E06000061 (North Northamptonshire) and E06000062 (West "
        "Northamptonshire), so its figures cannot be shared out automatically (value: 'E10000021'). "
        "Fix: Give one row for each successor area (E06000061, E06000062) with its own figures"]


def test_unknown_code_with_a_suggestion():
    report = check(BAD / "unknown_code.csv")
    assert texts(report.problems) == [
        "unknown_code.csv, row 3, column 'area_code': Unknown area code: not a current county or unitary "
        "authority in the area lookup (value: 'E0600002'). Fix: Did you mean E06000002 (Middlesbrough)? "
        "Use the 9-character ONS code of a current county or unitary authority"]


def test_without_a_lookup_codes_are_only_format_checked_and_the_report_says_so():
    report = validate_file(BAD / "unknown_code.csv")
    assert not report.area_codes_checked
    assert "unknown_code.csv: Area codes were not checked: no area lookup was given" in texts(report.infos)
    assert texts(report.problems) == [
        "unknown_code.csv, row 3, column 'area_code': Not an ONS area code for England or Wales (value: "
        "'E0600002'). Fix: Use the 9-character code of a current county or unitary authority, e.g. E06000001"]


def test_welsh_name_matches_with_a_welsh_name_column(tmp_path):
    areas = AREAS.assign(area_name_welsh=[None, None, None, None, None, "Ynys Môn", None])
    path = write(tmp_path, "welsh.csv", CASELOAD_HEADER + "W06000001,Ynys Môn,all,all,85,2025-03-31,MoJ,,,\n"
                                                          "E06000001,Ynys Môn,all,all,85,2025-03-31,MoJ,,,\n")
    report = validate_file(path, areas=areas)
    assert [(p.row, p.message) for p in report.warnings] == [
        (3, "area_name is the name of W06000001, but the code is E06000001 (Hartlepool)")]


def test_name_of_another_area_is_warned(tmp_path):
    path = write(tmp_path, "swap.csv",
                 CASELOAD_HEADER + "E06000001,Middlesbrough,all,all,900,2025-03-31,MoJ,,,\n")
    assert texts(check(path).warnings) == [
        "swap.csv, row 2, column 'area_code': area_name is the name of E06000002, but the code is E06000001 "
        "(Hartlepool) (value: 'E06000001'). Fix: Check which area the row is for; the code is what counts"]


# --- rows ------------------------------------------------------------------------------------

def test_duplicate_row():
    report = check(BAD / "duplicate.csv")
    assert texts(report.problems) == [
        "duplicate.csv, row 4: Duplicate row: same area_code, sex, age_band, date as row 2 (value: "
        "'E06000001 / all / all / 2025-03-31'). Fix: Keep one row for each area_code, sex, age_band, date: "
        "delete or correct this one"]


def test_two_old_codes_merged_into_one_area_become_duplicates(tmp_path):
    path = write(tmp_path, "both.csv", CASELOAD_HEADER + "E10000002,Bucks,all,all,900,2025-03-31,MoJ,,,\n"
                                                         "E06000060,Bucks,all,all,300,2025-03-31,MoJ,,,\n")
    assert [p.message for p in check(path).problems] == [
        "Duplicate row: same area_code, sex, age_band, date as row 2"]


def test_numerator_above_denominator():
    report = check(BAD / "numerator_gt_denominator.csv")
    assert texts(report.problems) == [
        "numerator_gt_denominator.csv, row 2, column 'numerator': numerator (320) is larger than denominator "
        "(300) (value: '320'). Fix: Check both figures: the numerator counts people within the denominator"]
    assert report.data.loc[0, "priority_area"] == "substance_misuse"  # title accepted


def test_negative():
    assert texts(check(BAD / "negative.csv").problems) == [
        "negative.csv, row 2, column 'caseload': caseload cannot be negative (value: '-5'). "
        "Fix: Enter the figure as a positive number, or [c] if suppressed"]


def test_non_numeric():
    assert texts(check(BAD / "non_numeric.csv").problems) == [
        "non_numeric.csv, row 2, column 'caseload': Not a number (value: 'about 1000'). "
        "Fix: Enter a number such as 1234, or [c] if the figure is suppressed"]


def test_subgroups_that_do_not_add_up():
    report = check(BAD / "subgroups.csv")
    assert texts(report.problems) == [
        "subgroups.csv, row 2, column 'caseload': Caseload by sex adds up to more than the 'all' row: male "
        "(row 3) 900 + female (row 4) 150 = 1,050, but all = 1,000 (value: '1000'). "
        "Fix: Correct the figures: a subgroup cannot outnumber everyone"]
    assert texts(report.warnings) == [
        "subgroups.csv, row 5, column 'caseload': Caseload by sex adds up to less than the 'all' row: male "
        "(row 6) 1,300 + female (row 7) 180 = 1,480, but all = 1,500 (20 in no subgroup) (value: '1500'). "
        "Fix: Check the figures; if some people have no recorded sex or age, say so in the note"]


def test_age_bands_larger_than_their_total_and_court_orders_above_caseload(tmp_path):
    rows = ["E06000001,,male,all,100,2025-03-31,MoJ,120,,", "E06000001,,male,18-24,60,2025-03-31,MoJ,,,",
            "E06000001,,male,50+,50,2025-03-31,MoJ,,,"]
    report = check(write(tmp_path, "ages.csv", CASELOAD_HEADER + "\n".join(rows) + "\n"))
    assert [p.message for p in report.problems] == [
        "Caseload by age band (sex male) adds up to more than the 'all' row: 18-24 (row 3) 60 + 50+ (row 4) "
        "50 = 110, but all = 100",
        "court_orders (120) is larger than caseload (100)"]


@pytest.mark.parametrize("total", ["1", "4"])
def test_an_area_total_of_fewer_than_5_people_is_refused(tmp_path, total):
    report = check(write(tmp_path, "small.csv", CASELOAD_HEADER + f"E06000001,,all,all,{total},2025-03-31,MoJ,,,\n"))
    assert [(p.row, p.column, p.message.split(":")[0]) for p in report.problems] == [
        (2, "caseload", f"A caseload of {total} is fewer than 5 people")]
    five = check(write(tmp_path, "five.csv", CASELOAD_HEADER + "E06000001,,all,all,5,2025-03-31,MoJ,,,\n"))
    assert five.ok, "5 is the smallest caseload a chapter can be built from"


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    rows = ["E06000001,,men,all,10.5,31/03/2025,,,,", "E06000002,,all,18-29,5,2025-02-30,MoJ,,,",
            ",,all,all,[c],2025-03-31,MoJ,,,"]
    report = check(write(tmp_path, "many.csv", CASELOAD_HEADER + "\n".join(rows) + "\n"))
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "sex", "Sex must be all, male or female"),
        (2, "caseload", "caseload must be a whole number of people"),
        (3, "age_band", "Age band must be one of: all, 18-24, 25-34, 35-49, 50+"),
        (3, "date", "Not a date in the form YYYY-MM-DD"),
        (4, "area_code", "area_code is blank"),
    ]
    assert [(p.row, p.column) for p in report.warnings] == [(2, "source")]
    assert "many.csv, row 2, column 'date': Read 1 date(s) written day first (e.g. 31/03/2025 as " \
           "2025-03-31) (value: '31/03/2025')" in texts(report.infos)
    assert len(report.data) == 3  # nothing dropped


def test_priority_area_suggestion(tmp_path):
    path = write(tmp_path, "needs.csv", "area_code,priority_area,need,numerator,denominator,period,source\n"
                                        "E06000001,mental helth,OASys MH,3,10,2024/25,OASys\n")
    assert [p.fix for p in check(path).problems] == [
        "Did you mean 'mental_health'? Use a key (mental_health, substance_misuse, suicide_prevention, "
        "social_care, physical_health, learning_disability_autism, opd_pathway) or its title"]


def test_example_rows_left_in_are_warned(repo_root):
    report = check(repo_root / "templates" / "needs.csv")
    assert report.ok
    assert [p.message for p in report.warnings] == ["This is an example row from the template"]


# --- a Fingertips export ---------------------------------------------------------------------

def test_fingertips_export_is_detected_and_checked():
    report = check(FINGERTIPS / "export_27col.csv")
    assert report.ok and report.kind == "fingertips"
    assert texts(report.infos)[1:] == [
        "export_27col.csv, row 8, column 'Value': 1 row(s) have no value (value note: 'Value suppressed for "
        "disclosure control due to small count'); kept as missing, not zero",
        "export_27col.csv, row 9, column 'Category Type': 1 inequality-breakdown row(s) (Category Type "
        "filled) are kept apart from the headline area values"]
    assert len(report.data) == 11


def test_fingertips_old_codes_are_warned_once_and_kept(tmp_path):
    text = (FINGERTIPS / "export_27col.csv").read_text(encoding="utf-8-sig").replace("E06000002", "E10000021")
    path = write(tmp_path, "old.csv", text)
    report = check(path)
    assert report.ok
    assert [(p.row, p.value) for p in report.warnings] == [(8, "E10000021")]
    assert "E10000021" in set(report.data["area_code"])


# --- the command -----------------------------------------------------------------------------

def _run(path, kind=None) -> tuple[int, str]:
    console = Console(record=True, width=400)
    code = run_validation(path, kind, None, console=console)
    return code, console.export_text()


# The command runs against the real area module and its embedded area list (issue 26: these ran
# against a stand-in module, so they tested the stand-in).

def test_command_prints_every_problem_and_exits_1():
    code, out = _run(BAD / "unknown_code.csv")
    assert code == 1
    assert "Unknown area code: not a current county or unitary authority in the area lookup" in out
    assert "Did you mean E06000002 (Middlesbrough)?" in out
    assert "Not OK" in out and "1 error(s)" in out


def test_command_exits_0_with_warnings_only():
    code, out = _run(BAD / "merged_old_code.csv")
    assert code == 0
    assert "merged into E06000060" in out and re.search(r"(?<!Not )\bOK: ", out) and "Not OK" not in out


def test_command_without_the_area_module_says_codes_were_not_checked(monkeypatch):
    monkeypatch.setitem(sys.modules, "jsna_kit.load.areas", None)  # import fails
    code, out = _run(BAD / "unknown_code.csv")
    assert code == 1  # the code's format is still wrong
    assert "Note: area codes not checked: the area lookup module is not available" in out


def test_validate_command_exits_through_typer():
    import typer

    with pytest.raises(typer.Exit) as exit_info:
        validate_command(BAD / "bom.csv", None, None)
    assert exit_info.value.exit_code == 0
