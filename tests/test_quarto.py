"""Rendering with Quarto, in a copy of the project (Quarto renders the project's own reports/ into
its _site/, so no test writes into the repository).

Without Quarto (as in CI) a stub ``quarto`` on PATH records how it is called: each chapter must be
rendered by its own ``quarto render <chapter>`` from the project folder (Quarto takes one input;
the rest would go to pandoc). With a real Quarto on PATH (../shared/tools/quarto builds one), the
pages, PDFs and Word files are rendered and checked."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from jsna_kit.priorities import PRIORITY_AREAS

HARTLEPOOL, CARDIFF = "E06000001-hartlepool", "W06000015-cardiff"


def stub_quarto(folder: Path) -> tuple[dict, Path]:
    """A ``quarto`` that writes each call's arguments and working folder to a log and succeeds."""
    bin_dir, log = folder / "bin", folder / "quarto-calls.jsonl"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "quarto"
    script.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                      f"with open({str(log)!r}, 'a') as fh:\n"
                      "    fh.write(json.dumps({'args': sys.argv[1:], 'cwd': os.getcwd()}) + '\\n')\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}, log


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.is_file() else []


def test_each_chapter_gets_its_own_quarto_render_call(project_copy, tmp_path, shared_data_dir):
    env, log = stub_quarto(tmp_path)
    listing = tmp_path / "areas.txt"
    listing.write_text("Hartlepool\nCardiff\n", encoding="utf-8")
    built = run_cli(project_copy, "build", "--areas", str(listing), "--data-dir", str(shared_data_dir), env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Rendered with Quarto." in built.stdout
    made = calls(log)
    assert sorted(c["args"] for c in made) == [["render", f"reports/{HARTLEPOOL}.ipynb"],
                                               ["render", f"reports/{CARDIFF}.ipynb"]]
    assert {c["cwd"] for c in made} == {str(project_copy)}

    log.unlink()
    rendered = run_cli(project_copy, "render", env=env)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert sorted(c["args"] for c in calls(log)) == [["render", f"reports/{HARTLEPOOL}.ipynb"],
                                                     ["render", f"reports/{CARDIFF}.ipynb"]]


def test_a_quarto_failure_names_the_chapter_in_plain_text(project_copy, tmp_path):
    env, _ = stub_quarto(tmp_path)
    failing = tmp_path / "bin" / "quarto"
    failing.write_text(f"#!{sys.executable}\nimport sys\n"
                       "sys.stderr.write('\\x1b[31mERROR: something in the chapter\\x1b[39m\\n')\nsys.exit(1)\n",
                       encoding="utf-8")
    result = run_cli(project_copy, "build", "--area", "Sheffield", "--caseload", "2000",
                     "--data-dir", str(tmp_path), env=env)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, output
    assert "E08000019-sheffield: quarto render failed" in output and "ERROR: something in the chapter" in output
    assert "\x1b[" not in output


@pytest.mark.skipif(shutil.which("quarto") is None, reason="Quarto is not installed on this machine "
                    "(../shared/tools/quarto/build.sh builds one; CI has none)")
def test_quarto_renders_chapters_in_three_formats(project_copy, tmp_path, shared_data_dir):
    listing = tmp_path / "areas.txt"
    listing.write_text("Hartlepool\nCardiff\n", encoding="utf-8")
    built = run_cli(project_copy, "build", "--areas", str(listing), "--data-dir", str(shared_data_dir))
    assert built.returncode == 0, built.stdout + built.stderr
    site = project_copy / "_site" / "reports"
    for slug, name in ((HARTLEPOOL, "Hartlepool"), (CARDIFF, "Cardiff")):
        html = (site / f"{slug}.html").read_text(encoding="utf-8")
        assert f"Health needs of people on probation: {name}" in html
        for pa in PRIORITY_AREAS:
            assert re.search(r"<h2[^>]*>.*?" + re.escape(pa.title), html, flags=re.S), (slug, pa.title)
        assert (site / f"{slug}.pdf").read_bytes().startswith(b"%PDF")
        assert (site / f"{slug}.docx").read_bytes().startswith(b"PK")
        assert (site / slug / "figures").is_dir()
