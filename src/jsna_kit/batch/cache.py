"""Incremental builds: what an area's chapter was built from, and whether it is still current.

An area's **build key** is a SHA-256 over everything its chapter depends on:

- the notebook template;
- the papermill parameters;
- the data bundle written for the area (``chapter.json``, ``estimates.csv``, ``evidence.csv``,
  ``observed.csv``), hashed *without* the build date, so an unchanged chapter stays cached across
  days and keeps the date it was really built on; a rebuild stamps the new date;
- the reference data (every file in ``data/reference``) the notebook reads directly;
- every file in the data directory (boundaries, lookups, population, Fingertips exports);
- the package: its version, a digest of its source files (an editable install keeps its version
  when the presentation code changes, so the version alone would miss real changes), and the
  versions of the libraries that compute and draw the chapter.

After a chapter is executed (and again after it is rendered) a **build record** with the key is
written, last and atomically, to ``<out>/.jsna-cache/areas/<slug>.json``. A build first deletes the
area's record, so a build killed at any moment leaves either the old consistent chapter with its
record or no record, which the next build treats as stale.

A batch run also leaves ``.jsna-cache/last-run.json`` (``run_fingerprint``): when the next run of the same
command finds every input unchanged and every chapter in place, it has nothing to compute.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .. import __version__
from ..config import reference_files
from ..publish.manifest import package_versions, sha256_file
from ..publish.names import CACHE_DIR_NAME

RECORD_DIR = CACHE_DIR_NAME  # in the output folder: areas/<slug>.json, and last-run.json
RECORD_VERSION = 1


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest_files(paths: list[Path], root: Path) -> str:
    """One digest over the files' names (relative to ``root``) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(sha256_file(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def _digest_named(files: dict[str, Path]) -> str:
    """One digest over files by the names they are known by and their contents."""
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(name.encode("utf-8") + b"\0" + sha256_file(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def package_digest() -> str:
    """jsna-kit's version, its source files, the libraries it uses and the Python version."""
    package = Path(__file__).resolve().parents[1]
    sources = _digest_files([p for p in package.rglob("*.py") if "__pycache__" not in p.parts], package)
    versions = json.dumps(package_versions(), sort_keys=True)
    return sha256_text(f"{__version__}\n{sources}\n{versions}\n{sys.version}")


def data_files(data_dir: Path | None) -> list[Path]:
    """Every file in the data directory (official files, Fingertips exports), hidden folders
    such as download caches left out."""
    if not data_dir or not Path(data_dir).is_dir():
        return []
    root = Path(data_dir)
    return [p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in
                                                                  p.relative_to(root).parts)]


def shared_digests(template: Path, data_dir: Path | None) -> dict[str, str]:
    """Digests of the inputs every area in a run shares; computed once per run."""
    from ..config import chapter_details, commentary_dir

    data = data_files(data_dir)
    notes = commentary_dir()
    comments = data_files(notes) if notes.is_dir() else []
    return {
        "template": sha256_file(template),
        "reference": _digest_named(reference_files()),
        "data_files": _digest_files(data, Path(data_dir)) if data else sha256_text(""),
        "package": package_digest(),
        # the analyst's words and the publisher's details: editing one must not meet "nothing changed"
        "commentary": (_digest_files(comments, notes) if comments else sha256_text(""))
                      + sha256_text(json.dumps(chapter_details(), sort_keys=True)),
    }


#: chapter.json fields left out of the key: the build date (so an unchanged chapter stays cached
#: across days) and the version (already in the package digest).
UNHASHED_FIELDS = ("built", "jsna_kit_version")


def table_digest(frame) -> str | None:
    """A digest of a bundle table (``bundle.table_digest``), or None for a table that is not written."""
    from ..publish.bundle import table_digest as digest

    return digest(frame)


def bundle_digests(area: dict, tables: dict) -> dict[str, str]:
    """SHA-256 of each bundle file's content: ``chapter.json`` without the build date, and each
    table (a DataFrame, None when not written, or its digest already, e.g. the shared evidence)."""
    kept = {k: v for k, v in area.items() if k not in UNHASHED_FIELDS}
    digests = {"chapter.json": sha256_text(json.dumps(kept, sort_keys=True, default=str))}
    for name, table in tables.items():
        digest = table if isinstance(table, str) else table_digest(table)
        if digest is not None:
            digests[name] = digest
    return digests


def area_key(plan, shared: dict[str, str], evidence_digest: str) -> tuple[str, dict[str, str]]:
    """An area's build key and its parts (``build_key``) from its plan (``batch.plan.AreaPlan``):
    its tables' digests (made here where the plan has none, and kept in ``plan.digests``), its
    ``chapter.json`` fields, its parameters and the run's shared digests (whether the run builds
    the Welsh chapters only for a Welsh area: an English area's chapter is the same either way)."""
    if not plan.area_code.startswith("W"):
        shared = {k: v for k, v in shared.items() if k != "languages"}
    plan.digests = {name: plan.digests.get(name) or table_digest(frame) for name, frame in plan.tables.items()
                    if frame is not None and not frame.empty}
    tables = dict(plan.digests)
    return build_key(shared, plan.parameters, bundle_digests(plan.area, {**tables, "evidence.csv": evidence_digest}))


def build_key(shared: dict[str, str], parameters: dict, bundle: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The area's build key and its parts (``bundle``: ``bundle_digests``; each bundle file is a part
    of its own, so a rebuild can say which of the area's files changed)."""
    parts = dict(shared)
    parts["parameters"] = sha256_text(json.dumps(parameters, sort_keys=True, default=str))
    parts.update({f"bundle/{name}": digest for name, digest in sorted(bundle.items())})
    return sha256_text(json.dumps(parts, sort_keys=True)), parts


#: ``shared["languages"]`` of a run that also builds each Welsh area's Welsh chapter (issue 27).
WITH_WELSH = "en+cy"

#: What each part of a build key is, as the build report says why a chapter was built again.
PART_WORDS = {
    "template": "the chapter template", "reference": "the reference data", "package": "jsna-kit itself",
    "data_files": "files in the data directory", "commentary": "the analyst's own words or chapter details",
    "parameters": "the notebook's parameters", "bundle/chapter.json": "the area's caseload and figures",
    "bundle/estimates.csv": "the estimates", "bundle/evidence.csv": "the national evidence",
    "bundle/observed.csv": "the locally identified needs", "bundle/context.csv": "the local indicators",
    "bundle/neighbours.csv": "the similar areas' figures", "bundle/recommendations.csv": "the recommendations",
    "bundle/services.csv": "the local services",
    "languages": "the languages of the chapters (a Welsh area's Welsh chapter)",
}


def record_path(out_dir: Path, slug: str) -> Path:
    return Path(out_dir) / RECORD_DIR / "areas" / f"{slug}.json"


def run_path(out_dir: Path) -> Path:
    return Path(out_dir) / RECORD_DIR / "last-run.json"


def read_record(out_dir: Path, slug: str) -> dict | None:
    """The area's build record, or None if there is none or it cannot be read (treated as stale)."""
    return _read_json(record_path(out_dir, slug))


def write_record(out_dir: Path, slug: str, record: dict) -> Path:
    return _write_json(record_path(out_dir, slug), record)


def _read_json(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("version") == RECORD_VERSION else None


def _write_json(path: Path, record: dict) -> Path:
    """Atomically: a temporary file, flushed to disk, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as fh:
        json.dump({"version": RECORD_VERSION, **record}, fh, indent=2, default=str)
        fh.flush()
        os.fsync(fh.fileno())
    partial.replace(path)
    return path


def record_build(out_dir: Path, slug: str, *, area_code: str, key: str, parts: dict[str, str],
                 notebook: Path, built: str, rendered: list[Path] | None = None, local: dict | None = None) -> Path:
    """The record of a finished build; ``rendered`` is None until the chapter has been rendered.
    It keeps the size, modification time and SHA-256 of the executed notebook and of every file in
    the area's data folder, so a damaged or truncated output is found (``damaged``); a Welsh area's
    Welsh chapter (``<slug>.cy``) too, where the build made one."""
    out_dir = Path(out_dir)
    files = [Path(notebook), *sorted((out_dir / slug / "data").glob("*"))]
    welsh = out_dir / f"{slug}.cy.ipynb"
    if welsh.is_file():
        files += [welsh, *sorted((out_dir / f"{slug}.cy" / "data").glob("*"))]
    return write_record(out_dir, slug, {
        "area_code": area_code, "key": key, "parts": parts, "built": built,
        "notebook": os.path.relpath(notebook, out_dir),
        "rendered": None if rendered is None else [os.path.relpath(p, out_dir) for p in rendered],
        "outputs": {os.path.relpath(p, out_dir): _fingerprint(p) for p in files
                    if p.is_file() and ".partial" not in p.name},
        "local": local,  # the analyst's own inputs for the area, remembered for later builds
    })


def compared_words(out_dir: Path, slug: str) -> str:
    """What an up-to-date chapter was compared on, in words, for the analyst: when it was built,
    the shared inputs, and the analyst's own files by name."""
    record = read_record(out_dir, slug) or {}
    local = record.get("local") or {}
    files = [Path(local[role][0]).name for role in ("caseload_file", "needs_file", "services_file")
             if local.get(role)]
    given = (local.get("given") or {}).get("caseload")
    own = ([f"the caseload given ({given:,.0f})"] if given else []) + files
    when = f"built {record['built']}" if record.get("built") else "built before"
    return (f"{when}; its template, reference data, data directory files, commentary and jsna-kit's code are as "
            "they were then" + (f", and so {'is' if len(own) == 1 else 'are'} {' and '.join(own)}" if own else ""))


def remembered(out_dir: Path, slug: str) -> dict | None:
    """The analyst's own inputs an area's chapter was last built from (``local`` of its record):
    ``given`` (a name, caseload and source given on the command line), ``caseload_file``,
    ``needs_file`` and ``services_file`` (each ``[path, sha256]``), or None."""
    return (read_record(out_dir, slug) or {}).get("local") or None


def _fingerprint(path: Path) -> list:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, sha256_file(path)]


def damaged(record: dict | None, out_dir: Path) -> str:
    """The first output the record lists that is missing or no longer what was written (a size or
    time that differs, then its content), as a path in the output folder; "" when all are intact."""
    for name, (size, mtime, digest) in ((record or {}).get("outputs") or {}).items():
        path = Path(out_dir) / name
        try:
            stat = path.stat()
        except OSError:
            return name
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime) and (stat.st_size != size or sha256_file(path) != digest):
            return name
    return ""


def forget(out_dir: Path, slug: str) -> None:
    """Delete the area's record before anything of its chapter is rewritten."""
    record_path(out_dir, slug).unlink(missing_ok=True)


def stale_reason(record: dict | None, key: str, parts: dict[str, str], *, notebook: Path) -> str:
    """Why the executed chapter must be rebuilt, or "" when it is current."""
    if record is None:
        return "not built before" if not notebook.is_file() else "no build record"
    if not notebook.is_file():
        return "executed chapter missing"
    if record.get("key") == key:
        broken = damaged(record, notebook.parent)
        return f"damaged: {broken}" if broken else ""
    old = record.get("parts") or {}
    changed = [name for name in sorted(set(parts) | set(old)) if old.get(name) != parts.get(name)]
    return ("changed: " + ", ".join(PART_WORDS.get(name, name.removeprefix("bundle/")) for name in changed)
            if changed else "build key changed")


def rendered_outputs_present(record: dict | None, out_dir: Path) -> bool:
    outputs = (record or {}).get("rendered") or []
    return bool(outputs) and all((Path(out_dir) / p).exists() for p in outputs)


def _file_digest(path: Path | None) -> list[str] | None:
    return None if path is None else [str(Path(path).resolve()), sha256_file(Path(path))]


def run_fingerprint(shared: dict[str, str], *, data_dir: Path, codes: list[str] | None, region: str | None,
                    areas_file: Path | None, caseload_file: Path | None, needs_file: Path | None,
                    services_file: Path | None = None, given: dict | None = None, sheet: str | None = None,
                    replace_local: bool = False) -> str:
    """Everything a batch run's chapters follow from, short of computing them: the shared
    digests, the choice of areas, what was given for them on the command line (``given``:
    ``inputs.GivenArea`` by area) and the analyst's files. Unchanged since the last run, with
    every chapter of that run still in place, means there is nothing to build."""
    from dataclasses import asdict

    return sha256_text(json.dumps({
        **shared, "data_dir": str(data_dir), "codes": codes, "region": region,
        "given": {query: asdict(area) for query, area in (given or {}).items()}, "sheet": sheet,
        "replace_local": replace_local,
        "areas_file": _file_digest(areas_file), "caseload_file": _file_digest(caseload_file),
        "needs_file": _file_digest(needs_file), "services_file": _file_digest(services_file),
    }, sort_keys=True))


def write_run(out_dir: Path, fingerprint: str, areas: list[dict], *, frame: str | None = None,
              rows: dict | None = None) -> Path:
    """The last run's fingerprint and, per area, its build key (None if it failed); its frame and
    each area's rows of the analyst's files (``batch.narrow``)."""
    return _write_json(run_path(out_dir), {"fingerprint": fingerprint, "frame": frame, "rows": rows or {},
                                           "areas": areas})


def read_run(out_dir: Path) -> dict | None:
    return _read_json(run_path(out_dir))


def current_run(out_dir: Path, fingerprint: str, *, render: bool,
                given: dict[str, Path | None] | None = None) -> list[dict] | None:
    """The last run's areas if its fingerprint is ``fingerprint`` and every area of it is still
    current (``still_current``); else None. ``given``: the analyst's files on this run's command
    line (role -> path), which the fingerprint covers."""
    run = read_run(out_dir)
    if not run or run.get("fingerprint") != fingerprint:
        return None
    if not all(still_current(area, out_dir, render=render, given=given) for area in run.get("areas", [])):
        return None
    return run.get("areas", [])


def still_current(area: dict, out_dir: Path, *, render: bool, given: dict[str, Path | None] | None = None) -> bool:
    """Whether an area of the last run (as ``write_run`` recorded it) is as it left it: skipped
    then, or built with a key, its record, executed chapter and (when asked) rendered outputs in
    place and intact, and no file it remembers changed since (``remembered_files_changed``)."""
    if area.get("status") == "skipped":
        return True
    record = read_record(out_dir, area["slug"])
    return not (not area.get("key") or record is None or record.get("key") != area["key"]
                or not (Path(out_dir) / f"{area['slug']}.ipynb").is_file()
                or damaged(record, out_dir)
                or (render and not rendered_outputs_present(record, out_dir))
                or remembered_files_changed(record, given))


def remembered_files_changed(record: dict, given: dict[str, Path | None] | None = None) -> bool:
    """Whether an analyst's file the chapter was built from, and that a later run builds it from
    again without being given it (``remembered``), has changed or gone since: the run's own
    fingerprint holds only the files given on its command line. A role given on this run's
    command line (``given``: role -> path) is not checked: the fingerprint holds that file, and an
    area it did not change keeps the digest of the file as it was when the area was last built."""
    for role in ("caseload_file", "needs_file", "services_file"):
        if (given or {}).get(role) is not None:
            continue
        kept = ((record.get("local") or {}).get(role)) or None
        if kept:
            path = Path(kept[0])
            if not path.is_file() or sha256_file(path) != kept[1]:
                return True
    return False


def clear_partials(out_dir: Path, slug: str, site_dir: Path | None = None) -> None:
    """Remove what a killed build of this area may have left under temporary names."""
    out_dir = Path(out_dir)
    leftovers = [*out_dir.glob(f"{slug}.partial*"), *out_dir.glob(f"{slug}.fallback.*"),
                 *out_dir.glob(f"{slug}.cy.partial*"), *out_dir.glob(f"{slug}.cy.fallback.*"),
                 *(out_dir / slug).glob("**/*.partial*")]
    if site_dir is not None:
        leftovers += list(Path(site_dir).glob(f"{slug}.partial*"))
    for path in leftovers:
        if path.is_file():
            path.unlink(missing_ok=True)
