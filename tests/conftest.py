"""Shared fixtures. Real official files live in ../shared/data beside the project on developer
machines and CI; on a user's machine they are absent and the tests that need them skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("JSNA_KIT_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """../shared/data (ONS boundaries, LA lookups, population), or skip with a reason."""
    if not (SHARED_DATA / "lookups").is_dir():
        pytest.skip(f"real official data not found at {SHARED_DATA} (only present on developer/CI machines)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


def pytest_collection_modifyitems(items):
    """Mark every test that uses ../shared/data (the ``shared_data_dir`` fixture, directly or through
    another fixture) as ``shared_data``, so ``-m shared_data`` / ``-m "not shared_data"`` select them."""
    for item in items:
        if "shared_data_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's own files (what git tracks, and new files it does not ignore) in a
    temp folder: for commands that write into the project itself (its reports/ and _site/, as the
    Quarto website does), so no test writes into the repository. Run the command line of the copy with ``run_cli``."""
    return copy_project(tmp_path / "project")


def copy_project(copy: Path) -> Path:
    """The project's own files copied into ``copy`` (see ``project_copy``); also for module-scoped fixtures."""
    import shutil
    import subprocess

    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True)
    if listed.returncode == 0 and listed.stdout:
        for name in listed.stdout.decode().split("\0"):
            if name and (REPO_ROOT / name).is_file():
                (copy / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO_ROOT / name, copy / name)
    else:  # not a git checkout: everything but environments and generated output
        shutil.copytree(REPO_ROOT, copy, ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "_site", ".quarto", ".jsna-cache", "test-artifacts", "__pycache__",
            "*.ipynb_checkpoints", "external"))
        for generated in (copy / "reports").glob("*"):
            if generated.name != "README.md":
                shutil.rmtree(generated) if generated.is_dir() else generated.unlink()
    return copy


def run_cli(project: Path, *args: str, env: dict | None = None, timeout: float = 600):
    """``jsna-kit ARGS`` run from the project folder ``project`` with its own source (``PYTHONPATH``),
    as a new process; returns the ``CompletedProcess`` (text output)."""
    import subprocess
    import sys

    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(project / "src")}
    return subprocess.run([sys.executable, "-c", "from jsna_kit.cli import main; main()", *args], cwd=project,
                          capture_output=True, text=True, env=environment, timeout=timeout)


#: Areas the Welsh-language tests read: two Welsh areas (a city, and where most speak Welsh) and
#: an English one, built from the embedded defaults, so the tests run on any machine.
BUNDLE_AREAS = {"W06000015": "Cardiff", "W06000002": "Gwynedd", "E06000001": "Hartlepool"}


@pytest.fixture(scope="session")
def chapter_bundles(tmp_path_factory) -> Path:
    """The folder holding the data bundles of ``BUNDLE_AREAS``, built once a session (no render)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("bundles")
    listing = out / "areas.txt"
    listing.write_text("\n".join(BUNDLE_AREAS.values()) + "\n", encoding="utf-8")
    built = subprocess.run([sys.executable, "-c", "from jsna_kit.cli import main; main()", "build", "--areas",
                            str(listing), "--no-render", "--no-welsh", "--workers", "1", "--out", str(out / "reports")],
                           cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    return out / "reports"


@pytest.fixture(scope="session")
def chapter_data(chapter_bundles):
    """``chapter_data(area_code, language)``: that area's ``ChapterData``, its generated text in
    ``language`` ("en" or "cy")."""
    from jsna_kit.load.chapter_data import read_chapter_data

    def read(area_code: str, language: str = "en"):
        folder = next(chapter_bundles.glob(f"{area_code}-*/data")).parent
        return read_chapter_data(folder, area_code=area_code, area_name=BUNDLE_AREAS[area_code], language=language)

    return read


@pytest.fixture(scope="session")
def welsh_data(chapter_data):
    """``welsh_data(area_code)``: that area's ``ChapterData`` with its generated text in Welsh and its
    reference text as the data give it (English), for tests of the sentence builders alone."""
    import dataclasses

    return lambda area_code: dataclasses.replace(chapter_data(area_code), language="cy")
