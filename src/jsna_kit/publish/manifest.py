"""Reproducibility manifest (``manifest.json`` in a chapter's download): what was asked for, every
input file by name with its SHA-256, the parameters, and the versions of the packages that computed
and rendered the chapter. ``batch.rebuild`` builds the same chapter again from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

MANIFEST_VERSION = 2
PACKAGES = ("jsna-kit", "pandas", "numpy", "matplotlib", "geopandas", "papermill", "PHStatsMethods",
            "pandera", "scipy", "pypandoc_binary", "typst")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes. A batch hashes the same inputs for every area, so digests are
    kept for the life of the process, keyed by path, inode, size and change times."""
    path = Path(path)
    stat = path.stat()
    return _sha256(str(path.resolve()), (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns), chunk)


@lru_cache(maxsize=4096)
def _sha256(path: str, stamp: tuple, chunk: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    return dict(_versions(tuple(names)))


@lru_cache(maxsize=8)
def _versions(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # Reading each package's metadata costs a few milliseconds; versions do not change mid-run.
    found = []
    for name in names:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "not installed"))
    return tuple(found)


@dataclass(frozen=True)
class Input:
    """A file a chapter was built from, as the manifest lists it: what it is (``role``: reference,
    template, caseload file, needs file, data directory, download), the ``name`` it is known by (a
    file name, or its path inside the data directory) and where it was read (``path``, which is not
    published)."""

    role: str
    name: str
    path: Path


def manifest(*, parameters: dict, inputs: list[Input], request: dict, built: str) -> dict:
    """What a chapter was built from, enough to build it again (``jsna-kit build --manifest``): what
    was asked (``request``), the notebook's parameters, every input by name, role, SHA-256 and
    size, and the versions of Python and the packages. No path of the machine that built it."""
    files = []
    for item in sorted({(i.role, i.name): i for i in inputs}.values(), key=lambda i: (i.role, i.name)):
        if item.path.is_file():
            files.append({"name": item.name, "role": item.role, "sha256": sha256_file(item.path),
                          "bytes": item.path.stat().st_size})
    return {
        "manifest_version": MANIFEST_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "built": built,
        "request": request,
        "parameters": {k: v for k, v in parameters.items() if k != "data_dir"},
        "inputs": files,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
    }


def write_manifest(path: Path, **content) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(manifest(**content), indent=2), encoding="utf-8")
    partial.replace(path)
