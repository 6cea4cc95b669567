"""The templates for the analyst's own data and the readers that return tidy tables."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from jsna_kit.errors import InputFileError
from jsna_kit.load import cells, templates
from jsna_kit.load.cells import parse_number
from jsna_kit.load.local_data import read_caseload, read_needs, read_services
from jsna_kit.load.templates import TEMPLATES

BAD = Path(__file__).parent / "fixtures" / "bad"
AREAS = pd.DataFrame({"area_code": ["E06000001", "E06000002"], "area_name": ["Hartlepool", "Middlesbrough"]})


def _cells(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def test_write_templates_writes_csv_xlsx_and_readme(tmp_path):
    written = templates.write_templates(tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "README.md", "caseload.csv", "caseload.xlsx", "needs.csv", "needs.xlsx", "regional_caseload.csv",
        "services.csv", "services.xlsx"]
    header = (tmp_path / "out" / "caseload.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "area_code,area_name,sex,age_band,caseload,date,source,court_orders,licence,note"
    assert (tmp_path / "out" / "caseload.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel keeps UTF-8
    assert _cells(tmp_path / "out" / "needs.xlsx", "needs")[0] == (
        "area_code", "area_name", "priority_area", "need", "numerator", "denominator", "period", "source",
        "note")
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "| `age_band` | yes | all, 18-24, 25-34, 35-49 or 50+" in readme


def test_committed_templates_are_what_write_templates_makes(tmp_path, repo_root):
    templates.write_templates(tmp_path)
    committed = repo_root / "templates"
    for name in ("caseload.csv", "needs.csv", "services.csv", "regional_caseload.csv", "README.md"):
        assert (committed / name).read_bytes() == (tmp_path / name).read_bytes(), name
    for kind in TEMPLATES:
        for sheet in (kind, "columns"):
            assert _cells(committed / f"{kind}.xlsx", sheet) == _cells(tmp_path / f"{kind}.xlsx", sheet)


@pytest.mark.parametrize("name", ["caseload.csv", "caseload.xlsx", "needs.csv", "needs.xlsx",
                                  "services.csv", "services.xlsx"])
def test_templates_validate_with_only_example_row_warnings(tmp_path, name):
    from jsna_kit.load.validate import validate_file

    templates.write_templates(tmp_path)
    report = validate_file(tmp_path / name, areas=AREAS)
    assert report.ok, report.problems
    assert {p.message for p in report.warnings} == {"This is an example row from the template"}


def test_read_caseload_gives_tidy_typed_columns():
    df = read_caseload(BAD / "thousands.csv", areas=AREAS)
    assert list(df.columns) == [
        "area_code", "original_area_code", "area_name", "sex", "age_band", "caseload", "caseload_suppressed",
        "date", "source", "court_orders", "court_orders_suppressed", "licence", "licence_suppressed", "note",
        "row"]
    assert df["caseload"].tolist() == [1234.0, 2050.0]
    assert df["date"].dtype == "datetime64[ns]" and df["date"].iloc[0] == pd.Timestamp("2025-03-31")
    assert df["area_code"].dtype == "str" and df["row"].tolist() == [2, 3]
    assert not df["caseload_suppressed"].any()


def test_read_caseload_from_xlsx_template(repo_root):
    df = read_caseload(repo_root / "templates" / "caseload.xlsx", areas=AREAS)
    assert df[["sex", "caseload", "court_orders", "licence"]].values.tolist() == [
        ["all", 1000.0, 450.0, 600.0], ["male", 880.0, 390.0, 540.0], ["female", 120.0, 60.0, 60.0]]


def test_reader_raises_one_error_listing_every_problem(tmp_path):
    path = tmp_path / "two_problems.csv"
    path.write_text("area_code,sex,age_band,caseload,date,source\n"
                    "E06000001,all,all,-1,2025-03-31,MoJ\n"
                    "E06000002,al,all,5,2025-03-31,MoJ\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        read_caseload(path, areas=AREAS)
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "caseload"), (3, "sex")]
    assert ("two_problems.csv, row 3, column 'sex': Sex must be all, male or female (value: 'al')"
            in str(error.value))


def test_read_needs_keeps_suppressed_values_missing_with_a_flag():
    df = read_needs(BAD / "suppressed.csv")
    assert len(df) == 7
    assert df["numerator"].isna().all() and df["numerator_suppressed"].all()
    assert df["denominator"].tolist() == [40.0] * 7 and not df["denominator_suppressed"].any()
    assert df["priority_area"].unique().tolist() == ["mental_health"]


def test_read_services(tmp_path, repo_root):
    df = read_services(repo_root / "templates" / "services.csv", areas=AREAS)
    assert df.loc[0, ["priority_area", "measure", "value", "period"]].tolist() == [
        "substance_misuse", "Referrals from probation", 120.0, "2024/25"]


@pytest.mark.parametrize("text, key", [
    ("mental_health", "mental_health"), ("Mental health and wellbeing", "mental_health"),
    ("SUBSTANCE MISUSE", "substance_misuse"), ("substance misuse", "substance_misuse"),
    ("The Offender Personality Disorder pathway", "opd_pathway"),
    ("learning disabilities and challenges and autism", "learning_disability_autism"),
    ("mental health", "mental_health"), ("Mental wellbeing", None), ("context", None),
])
def test_priority_key_accepts_keys_and_titles(text, key):
    assert templates.priority_key(text) == key


@pytest.mark.parametrize("cell, value, status", [
    ("1234", 1234.0, "ok"), (" 1,234 ", 1234.0, "thousands"), ("1,234,567.5", 1234567.5, "thousands"),
    ("-5", -5.0, "ok"), ("[c]", math.nan, "suppressed"), ("X", math.nan, "suppressed"),
    ("..", math.nan, "suppressed"), ("", math.nan, "blank"), ("12,34", math.nan, "invalid"),
    ("n/a", math.nan, "invalid"), ("-", math.nan, "invalid"), ("2 000", 2000.0, "thousands"),
    ("1\u00a0234\u00a0567", 1234567.0, "thousands"), ("20 00 0", math.nan, "invalid"), ("2 00", math.nan, "invalid"),
    ("1e400", math.nan, "infinite"), ("2.000", 2.0, "ok"),
])
def test_parse_number(cell, value, status):
    parsed = parse_number(cell)
    assert parsed.status == status
    assert (math.isnan(parsed.value) and math.isnan(value)) or parsed.value == value


def test_parse_date_reads_iso_and_uk_day_first():
    import datetime as dt

    assert cells.parse_date("2025-03-31") == (dt.date(2025, 3, 31), False)
    assert cells.parse_date("31/03/2025") == (dt.date(2025, 3, 31), True)
    assert cells.parse_date("2025-02-30") == (None, False)
    assert cells.parse_date("March 2025") == (None, False)


def test_age_bands_documented_in_the_template():
    described = next(c.description for c in TEMPLATES["caseload"] if c.name == "age_band")
    assert all(band in described for band in templates.AGE_BANDS)


def test_in_a_semicolon_file_dots_between_thousands_are_ambiguous():
    assert parse_number("2.000", semicolons=True).status == "ambiguous"
    assert parse_number("2.5", semicolons=True).value == 2.5
    assert parse_number("12.000.000", semicolons=True).status == "ambiguous"
