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
