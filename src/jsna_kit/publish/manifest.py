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


#: Inputs that are the analyst's own: a public manifest names them but gives no digest or size
#: (from a template's layout, a digest lets a suppressed "2 of 4" be found by guessing).
ANALYST_ROLES = ("caseload file", "needs file", "services file", "commentary", "reference (own)")


def public_manifest(full: dict) -> dict:
    """What the chapter's download may say of how it was built: the full manifest less anything a
    reader could use to undo the disclosure control. A caseload given on the command line is
    rounded to 5, as the chapter shows it; the analyst's own files are named, without digest or
    size. The full manifest stays with the build records (``--manifest`` finds it there)."""
    from ..model.disclosure import publish_count

    out = json.loads(json.dumps(full))
    request = out.get("request") or {}
    if request.get("caseload") is not None:
        request["caseload"] = publish_count(request["caseload"])
        request["caseload_rounded"] = True
    out["inputs"] = [{k: v for k, v in item.items() if k not in ("sha256", "bytes")}
                     if item.get("role") in ANALYST_ROLES else item for item in out.get("inputs", [])]
    out["public"] = True
    return out


def write_manifest(path: Path, *, record: Path | None = None, **content) -> None:
    """The public manifest at ``path`` (``public_manifest``); the full one at ``record``."""
    full = manifest(**content)
    for target, value in ((record, full), (path, public_manifest(full))):
        if target is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(json.dumps(value, indent=2), encoding="utf-8")
        partial.replace(target)


def record_rendering(manifest_path: Path, tools: dict[str, str]) -> None:
    """Say in a chapter's public manifest, and in its full record, which tool and version made each
    format (``rendered_with``: format -> tool, e.g. ``"pdf": "typst 0.15.2 ..."``); a chapter
    rendered again by another road says so. Nothing to do for a chapter without a manifest."""
    for target in (Path(manifest_path), record_path(manifest_path)):
        if not target.is_file():
            continue
        content = json.loads(target.read_text(encoding="utf-8"))
        if content.get("rendered_with") == tools:
            continue
        content["rendered_with"] = tools
        partial = target.with_name(target.name + ".partial")
        partial.write_text(json.dumps(content, indent=2), encoding="utf-8")
        partial.replace(target)


def record_path(manifest_path: Path) -> Path:
    """Where the full manifest of the chapter whose public manifest is ``manifest_path`` is kept:
    ``<out>/.jsna-cache/manifests/<slug>.json`` (``<out>/<slug>/data/manifest.json`` is public)."""
    from .names import CACHE_DIR_NAME

    data = Path(manifest_path).parent
    return data.parent.parent / CACHE_DIR_NAME / "manifests" / f"{data.parent.name}.json"
