"""An analyst's working folder (``jsna-kit init AREA``, ``batch.workspace``): what it writes, that
it never overwrites the analyst's work, that builds run from it read its settings and commentary
and write there, and that ``build --manifest`` rebuilds such a chapter, commentary included."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from jsna_kit.batch.workspace import GUIDANCE, make_workspace
from jsna_kit.config import commentary_dir, commentary_folder, reports_dir
from jsna_kit.load.commentary import PLACES, commentary_files, read_commentary
from jsna_kit.publish.names import site_dir_for

DERBYSHIRE = "E10000007"


def test_the_working_folder_has_settings_commentary_and_templates(tmp_path):
    made = make_workspace(DERBYSHIRE, "Derbyshire", tmp_path / "ws", today=dt.date(2026, 12, 7))
    names = sorted(p.relative_to(made.folder).as_posix() for p in made.written)
    assert names == sorted(["jsna-kit.toml", *[f"commentary/{DERBYSHIRE}/{p}.md" for p in PLACES],
                            "templates/caseload.csv", "templates/needs.csv", "templates/services.csv"])
    import tomllib

    settings = tomllib.loads((made.folder / "jsna-kit.toml").read_text(encoding="utf-8"))
    assert settings == {"output_dir": "reports", "commentary_dir": "commentary", "chapter": {}}, \
        "who publishes is left for the analyst to write: the chapter shows nothing made up"
    caseload = (made.folder / "templates" / "caseload.csv").read_text(encoding="utf-8-sig").splitlines()
    assert caseload[1].startswith(f"{DERBYSHIRE},Derbyshire,all,all,,"), "the area's row, no example figure"
    # every place's file holds only guidance, which the chapter never shows
    files = commentary_files(DERBYSHIRE, made.folder / "commentary")
    assert set(files) == set(PLACES) and read_commentary(files) == {}
    for place, path in files.items():
        assert GUIDANCE[place] in path.read_text(encoding="utf-8")


def test_running_init_again_keeps_the_analysts_work(tmp_path):
    first = make_workspace(DERBYSHIRE, "Derbyshire", tmp_path)
    intro = tmp_path / "commentary" / DERBYSHIRE / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "Our own words.\n", encoding="utf-8")
    again = make_workspace(DERBYSHIRE, "Derbyshire", tmp_path)
    assert not again.written and sorted(again.kept) == sorted(first.written)
    assert read_commentary(commentary_files(DERBYSHIRE, tmp_path / "commentary")) == {
        "introduction": "\nOur own words.\n"}, "the guidance is left out, the analyst's words kept"


def test_builds_from_a_working_folder_write_there(tmp_path):
    make_workspace(DERBYSHIRE, "Derbyshire", tmp_path)
    assert reports_dir(cwd=tmp_path) == tmp_path.resolve() / "reports"
    assert site_dir_for(tmp_path / "reports") == tmp_path / "_site"
    assert site_dir_for(tmp_path / "elsewhere" / "out") == tmp_path / "elsewhere" / "out" / "_site"
    assert site_dir_for(tmp_path / "out") == tmp_path / "out" / "_site", "not the folder's own output folder"
    assert commentary_dir(cwd=tmp_path) == (tmp_path / "commentary").resolve()
    settings = tmp_path / "jsna-kit.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('output_dir = "reports"',
                                                                     'output_dir = "chapters/2026"'))
    assert reports_dir(cwd=tmp_path) == (tmp_path / "chapters" / "2026").resolve()
    with commentary_folder(tmp_path / "other"):
        assert commentary_dir(cwd=tmp_path) == (tmp_path / "other").resolve()
    assert commentary_dir(cwd=tmp_path) == (tmp_path / "commentary").resolve(), "the option lasts one command"


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from jsna_kit.cli import main; main()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.e2e
def test_init_then_build_then_rebuild_from_the_manifest(tmp_path):
    made = _cli(tmp_path, "init", "Derbyshire")
    assert made.returncode == 0, made.stderr
    folder = tmp_path / f"{DERBYSHIRE}-derbyshire"
    assert f"cd {folder}" in made.stdout
    (folder / "commentary" / DERBYSHIRE / "introduction.md").write_text("The analyst wrote this for Derbyshire.\n")
    caseload = folder / "templates" / "caseload.csv"
    caseload.write_text(caseload.read_text(encoding="utf-8-sig").replace(
        "Derbyshire,all,all,,,,,,", "Derbyshire,all,all,3400,2025-03-31,PDU data request,,,"), encoding="utf-8")
    built = _cli(folder, "build", "--area", "Derbyshire", "--caseload-file", "templates/caseload.csv")
    assert built.returncode == 0, built.stdout + built.stderr
    page = folder / "_site" / "reports" / f"{DERBYSHIRE}-derbyshire.html"
    assert page.is_file() and (folder / "reports" / f"{DERBYSHIRE}-derbyshire.ipynb").is_file()
    text = page.read_text(encoding="utf-8")
    assert "The analyst wrote this for Derbyshire." in text
    assert GUIDANCE["local_picture"] not in text
    manifest = folder / "reports" / f"{DERBYSHIRE}-derbyshire" / "data" / "manifest.json"

    again = _cli(folder, "build", "--manifest", str(manifest), "--caseload-file", "templates/caseload.csv")
    assert again.returncode == 0, again.stdout + again.stderr
    elsewhere = _cli(tmp_path, "build", "--manifest", str(manifest), "--caseload-file", str(caseload),
                     "--out", str(tmp_path / "copy"), "--no-render")
    assert elsewhere.returncode == 1 and "--commentary-dir" in elsewhere.stderr
    assert elsewhere.stderr.count("(commentary)") == len(PLACES), "every missing input named at once"
    given = _cli(tmp_path, "build", "--manifest", str(manifest), "--caseload-file", str(caseload),
                 "--out", str(tmp_path / "copy"), "--no-render", "--commentary-dir", str(folder / "commentary"))
    assert given.returncode == 0, given.stdout + given.stderr
