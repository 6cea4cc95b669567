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
