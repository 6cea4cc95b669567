"""Reproducibility manifest: every input file with its SHA-256, the versions of the packages that
computed and rendered the chapter, and the parameters it was built with."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

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


def manifest(*, parameters: dict, inputs: list[Path]) -> dict:
    files = []
    for path in sorted({Path(p) for p in inputs}, key=str):
        if path.is_file():
            files.append({"path": path.name if path.is_absolute() else str(path),
                          "location": str(path), "sha256": sha256_file(path),
                          "bytes": path.stat().st_size})
    return {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "parameters": parameters,
        "inputs": files,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
    }


def write_manifest(path: Path, *, parameters: dict, inputs: list[Path]) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(manifest(parameters=parameters, inputs=inputs), indent=2), encoding="utf-8")
    partial.replace(path)
