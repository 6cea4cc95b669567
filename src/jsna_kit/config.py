"""Where things are: the data directory, the shipped reference data and the notebook template.

The data directory (official files: boundaries, lookups, population) is chosen, first match wins:

1. an explicit argument (the CLI's ``--data-dir``);
2. the environment variable ``JSNA_KIT_DATA_DIR``;
3. ``data_dir`` in a ``jsna-kit.toml`` file in the current directory (relative paths are taken
   from the file's folder);
4. ``data/external`` inside the project checkout (where ``jsna-kit data fetch`` puts files).

Its layout mirrors the publishers' files: ``boundaries/``, ``lookups/``, ``population/``.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

ENV_DATA_DIR = "JSNA_KIT_DATA_DIR"
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
    """The project's own reference data (data/reference/)."""
    return _packaged_or_checkout("_reference", PROJECT_ROOT / "data" / "reference")


TEMPLATE_NAME = "chapter.ipynb"  # the chapter template, in notebooks_dir()


def reports_dir() -> Path:
    """Where chapters are built by default: the Quarto project's reports/ folder."""
    return PROJECT_ROOT / "reports"


def notebooks_dir() -> Path:
    """The parameterised notebook templates (notebooks/)."""
    return _packaged_or_checkout("_notebooks", PROJECT_ROOT / "notebooks")


def _config_file_data_dir(cwd: Path) -> Path | None:
    cfg = cwd / CONFIG_FILE
    if not cfg.is_file():
        return None
    with cfg.open("rb") as fh:
        data = tomllib.load(fh)
    value = data.get("data_dir")
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (cfg.parent / path).resolve()


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
