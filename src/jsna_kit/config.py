"""Where things are: the data directory, the shipped reference data and the notebook template.

The data directory (official files: boundaries, lookups, population) is chosen, first match wins:

1. an explicit argument (the CLI's ``--data-dir``);
2. the environment variable ``JSNA_KIT_DATA_DIR``;
3. ``data_dir`` in a ``jsna-kit.toml`` file in the current directory (relative paths are taken
   from the file's folder);
4. ``data/external`` inside the project checkout (where ``jsna-kit data fetch`` puts files).

Its layout mirrors the publishers' files: ``boundaries/``, ``lookups/``, ``population/``.

The reference data (national estimates, sources, commissioning, ...) is the built-in set in
``data/reference/``, file by file overridden by a researcher's own folder when one is chosen, first
match wins: ``--reference DIR``, which sets the environment variable ``JSNA_KIT_REFERENCE_DIR``
(so worker processes and notebook kernels read the same files), or ``reference_dir`` in
``jsna-kit.toml``. The folder may hold every file or only those that differ.
"""

from __future__ import annotations

import os
import tomllib
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

ENV_DATA_DIR = "JSNA_KIT_DATA_DIR"
ENV_REFERENCE_DIR = "JSNA_KIT_REFERENCE_DIR"
ENV_COMMENTARY_DIR = "JSNA_KIT_COMMENTARY_DIR"
CONFIG_FILE = "jsna-kit.toml"

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The source checkout (src/jsna_kit/config.py -> repo root). Only meaningful when running from
a checkout; installed wheels use the packaged copies below."""


def _packaged_or_checkout(packaged: str, checkout: Path) -> Path:
    # A checkout (editable install) reads the files in place so edits show up immediately;
    # a wheel carries copies under jsna_kit/_reference and jsna_kit/_notebooks.
    if checkout.is_dir():
        return checkout
    candidate = Path(str(resources.files("jsna_kit") / packaged))
    if candidate.is_dir():
        return candidate
    raise FileNotFoundError(f"cannot find {checkout} or the packaged copy {candidate}")


def reference_dir() -> Path:
    """The project's built-in reference data (data/reference/)."""
    return _packaged_or_checkout("_reference", PROJECT_ROOT / "data" / "reference")


def own_reference_dir(*, cwd: Path | None = None) -> Path | None:
    """The researcher's own reference folder (``JSNA_KIT_REFERENCE_DIR``, set by ``--reference``;
    else ``reference_dir`` in ``jsna-kit.toml``), or None for the built-in set alone."""
    env = os.environ.get(ENV_REFERENCE_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return _config_file_path("reference_dir", cwd or Path.cwd())


@contextmanager
def reference_folder(folder: str | os.PathLike[str] | None):
    """Within the block, ``folder`` is the own reference folder of this process and of the processes
    it starts (worker processes, notebook kernels); None leaves the choice as it is."""
    if folder is None:
        yield own_reference_dir()
        return
    before = os.environ.get(ENV_REFERENCE_DIR)
    path = Path(folder).expanduser().resolve()
    os.environ[ENV_REFERENCE_DIR] = str(path)
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(ENV_REFERENCE_DIR, None)
        else:
            os.environ[ENV_REFERENCE_DIR] = before


def reference_file(name: str) -> Path:
    """A reference file: the researcher's own copy when their folder has one, else the built-in one."""
    own = own_reference_dir()
    if own is not None and (own / name).is_file():
        return own / name
    return reference_dir() / name


def reference_files() -> dict[str, Path]:
    """Every reference file by name (documentation left out), each the own copy where there is one."""
    files = {p.name: p for p in reference_dir().iterdir() if p.is_file() and p.suffix in (".csv", ".json")}
    own = own_reference_dir()
    if own is not None and own.is_dir():
        files.update({p.name: p for p in own.iterdir() if p.is_file() and p.suffix in (".csv", ".json")})
    return dict(sorted(files.items()))


TEMPLATE_NAME = "chapter.ipynb"  # the chapter template, in notebooks_dir()


def reports_dir(*, cwd: Path | None = None) -> Path:
    """Where chapters are built by default: ``output_dir`` in ``jsna-kit.toml``; else, run from a
    folder that has a ``jsna-kit.toml`` (an analyst's working folder, ``jsna-kit init``), its
    ``reports/``; else the Quarto project's reports/ folder."""
    cwd = cwd or Path.cwd()
    from_file = _config_file_path("output_dir", cwd)
    if from_file is not None:
        return from_file
    return cwd.resolve() / "reports" if (cwd / CONFIG_FILE).is_file() else PROJECT_ROOT / "reports"


def notebooks_dir() -> Path:
    """The parameterised notebook templates (notebooks/)."""
    return _packaged_or_checkout("_notebooks", PROJECT_ROOT / "notebooks")


def _config_file_path(key: str, cwd: Path) -> Path | None:
    """A folder named by ``key`` in ``jsna-kit.toml`` in ``cwd`` (relative to the file's folder)."""
    cfg = cwd / CONFIG_FILE
    if not cfg.is_file():
        return None
    with cfg.open("rb") as fh:
        data = tomllib.load(fh)
    value = data.get(key)
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (cfg.parent / path).resolve()


def _config_file_data_dir(cwd: Path) -> Path | None:
    return _config_file_path("data_dir", cwd)


def data_dir(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> Path:
    """The data directory, by the precedence in the module docstring. It need not exist yet."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    from_file = _config_file_data_dir(cwd or Path.cwd())
    if from_file is not None:
        return from_file
    return PROJECT_ROOT / "data" / "external"


def data_dir_source(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> str:
    """Which rule chose the data directory, for ``jsna-kit data status``."""
    if explicit:
        return "--data-dir option"
    if os.environ.get(ENV_DATA_DIR):
        return f"environment variable {ENV_DATA_DIR}"
    if _config_file_data_dir(cwd or Path.cwd()) is not None:
        return f"{CONFIG_FILE} in {(cwd or Path.cwd())}"
    return "default (data/external in the project)"


def commentary_dir(*, cwd: Path | None = None) -> Path:
    """The analyst's own words, one folder per area (``<dir>/<area code>/<place>.md``): the folder
    given with ``--commentary-dir`` (``commentary_folder``), else ``commentary_dir`` in
    ``jsna-kit.toml``, else ``commentary/`` in the current directory."""
    env = os.environ.get(ENV_COMMENTARY_DIR)
    if env:
        return Path(env)
    cwd = cwd or Path.cwd()
    return _config_file_path("commentary_dir", cwd) or (cwd / "commentary")


@contextmanager
def commentary_folder(folder: str | os.PathLike[str] | None):
    """Within the block, ``folder`` is where the analyst's commentary is read from (for this
    process and those it starts); None leaves the choice as it is."""
    if folder is None:
        yield commentary_dir()
        return
    before = os.environ.get(ENV_COMMENTARY_DIR)
    os.environ[ENV_COMMENTARY_DIR] = str(Path(folder).expanduser().resolve())
    try:
        yield Path(os.environ[ENV_COMMENTARY_DIR])
    finally:
        if before is None:
            os.environ.pop(ENV_COMMENTARY_DIR, None)
        else:
            os.environ[ENV_COMMENTARY_DIR] = before


def chapter_details(*, cwd: Path | None = None) -> dict[str, str]:
    """Who publishes the chapters: the ``[chapter]`` table of ``jsna-kit.toml`` (``author``,
    ``contact``, ``next_review``), each shown on every chapter, and the name of the area's
    ``combating_drugs_partnership`` (no public list of their footprints exists); empty when not set."""
    cfg = (cwd or Path.cwd()) / CONFIG_FILE
    if not cfg.is_file():
        return {}
    with cfg.open("rb") as fh:
        table = tomllib.load(fh).get("chapter") or {}
    return {key: str(table[key]).strip() for key in ("author", "contact", "next_review",
                                                           "combating_drugs_partnership")
            if str(table.get(key, "")).strip()}
