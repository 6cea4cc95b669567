"""Build a chapter again from its manifest (``jsna-kit build --manifest FILE``).

The manifest (``publish.manifest``) records what was asked (the area, a name or caseload given
for it, the analyst's files by name), the build's date, and every input by name and SHA-256. A
rebuild takes the same request and date, checks that each input it is given now is the same file
(the analyst's files are never published, so they are given again with ``--caseload-file`` and
``--needs-file``; the data directory and a researcher's reference folder likewise), and builds: the
downloads come out byte for byte the same. Anything that differs is named before anything is built.

There are two manifests. The chapter's download holds a public one (``publish.manifest.
public_manifest``): a caseload given on the command line rounded as the chapter shows it, and the
analyst's files named without digest or size. The full one is kept with the build records
(``<out>/.jsna-cache/manifests/<slug>.json``) and is used whenever it is there; from the public
one alone, the analyst's files are taken as given.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import InputFileError, JsnaKitError, Problem
from ..publish.manifest import MANIFEST_VERSION, record_path, sha256_file
from .report import AreaOutcome


def read_manifest(path: Path) -> dict:
    """The manifest to rebuild from: the full record kept with the build records when ``path`` is a
    chapter's public manifest and the record is still there (``publish.manifest.record_path``),
    else ``path`` itself."""
    path = Path(path)
    found = _read(path)
    record = record_path(path)
    if found.get("public") and record.is_file():
        kept = _read(record)
        if (kept.get("built"), (kept.get("request") or {}).get("area")) == (
                found.get("built"), (found.get("request") or {}).get("area")):
            return kept
    return found


def _read(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError.single(path, f"cannot be read as a manifest ({exc})",
                                    fix="give the manifest.json from a chapter's data folder") from None
    if not isinstance(manifest, dict) or manifest.get("manifest_version") != MANIFEST_VERSION:
        raise InputFileError.single(path, "was written by an older jsna-kit and does not record what a rebuild "
                                    "needs", fix="build the chapter again with `jsna-kit build --area ...`")
    return manifest


def _current(item: dict, *, data_dir: Path, template: Path, caseload_file: Path | None,
             needs_file: Path | None, services_file: Path | None = None) -> Path | None:
    """Where the input the manifest lists is found now, or None."""
    from ..config import reference_files

    role, name = item["role"], item["name"]
    if role.startswith("reference"):
        return reference_files().get(name)
    if role == "template":
        return template
    if role == "caseload file":
        return caseload_file
    if role == "needs file":
        return needs_file
    if role == "services file":
        return services_file
    if role == "data directory":
        return data_dir / name
    if role == "commentary":
        from ..config import commentary_dir

        return commentary_dir() / name
    return None


def check_inputs(manifest: dict, path: Path, *, data_dir: Path, template: Path, caseload_file: Path | None,
                 needs_file: Path | None, services_file: Path | None = None) -> None:
    """Every input the manifest lists (but the downloads themselves) is given and is the same file;
    otherwise one error naming each that is missing or differs, and how to give the right one."""
    fixes = {"caseload file": "give the same file with --caseload-file",
             "needs file": "give the same file with --needs-file",
             "services file": "give the same file with --services-file",
             "data directory": "give the data directory it was built with (--data-dir)",
             "commentary": "give the commentary folder it was built with (--commentary-dir), or run from the "
                           "working folder whose jsna-kit.toml names it",
             "template": "give the same template with --template",
             "reference": "the built-in reference data have changed since: use the jsna-kit version it was built "
                          "with, or give the reference folder with --reference",
             "reference (own)": "give the researcher's reference folder it was built with (--reference)"}
    problems = []
    for item in manifest.get("inputs", []):
        if item["role"] == "download":
            continue
        found = _current(item, data_dir=data_dir, template=template, caseload_file=caseload_file,
                         needs_file=needs_file, services_file=services_file)
        if found is None or not Path(found).is_file():
            problems.append(Problem(str(path), None, "inputs", f"{item['name']} ({item['role']})",
                                    "the chapter was built from this file, which was not given or is not there",
                                    fixes.get(item["role"], "")))
        elif "sha256" not in item:  # an analyst's file, named by the public manifest only
            continue
        elif sha256_file(Path(found)) != item["sha256"]:
            problems.append(Problem(str(path), None, "inputs", f"{item['name']} ({item['role']})",
                                    f"{found} is not the file the chapter was built from (its SHA-256 differs)",
                                    fixes.get(item["role"], "")))
    if problems:
        raise InputFileError(problems)


def rebuild(manifest_path: Path, *, data_dir: str | Path | None = None, caseload_file: Path | None = None,
            needs_file: Path | None = None, services_file: Path | None = None, template: Path | None = None,
            reference: Path | None = None, **options) -> AreaOutcome:
    """The chapter ``manifest_path`` describes, built again with the same request and date once its
    inputs are checked; ``options`` are ``build_batch``'s (``out_dir``, ``render``, ``workers``)."""
    from ..config import own_reference_dir, reference_folder

    with reference_folder(reference or own_reference_dir()):
        return _rebuild(manifest_path, data_dir=data_dir, caseload_file=caseload_file, needs_file=needs_file,
                        services_file=services_file, template=template, reference=reference, **options)


def _rebuild(manifest_path: Path, *, data_dir, caseload_file, needs_file, services_file, template, reference,
             **options) -> AreaOutcome:
    from ..config import TEMPLATE_NAME, notebooks_dir
    from ..config import data_dir as resolve_data_dir
    from .run import build_area

    manifest = read_manifest(manifest_path)
    request = manifest["request"]
    files = {"caseload_file": caseload_file, "needs_file": needs_file, "services_file": services_file}
    for key, option in (("caseload_file", "--caseload-file"), ("needs_file", "--needs-file"),
                        ("services_file", "--services-file")):
        given = files[key]
        if request.get(key) and given is None:
            raise JsnaKitError(f"the chapter was built from the analyst's file {request[key]}: give it with {option}")
    if request.get("caseload_rounded"):
        raise JsnaKitError(f"the chapter was built from a caseload given on the command line, which its public "
                           f"manifest gives rounded to 5: build it again from the full record kept with the build "
                           f"({record_path(Path(manifest_path))}), or with --area and --caseload")
    if request.get("reference") == "own" and reference is None:
        raise JsnaKitError("the chapter was built from a researcher's own reference folder: give it with --reference")
    data_path = resolve_data_dir(data_dir)
    template = Path(template) if template else notebooks_dir() / (request.get("template") or TEMPLATE_NAME)
    check_inputs(manifest, Path(manifest_path), data_dir=data_path, template=template,
                 caseload_file=Path(caseload_file) if caseload_file else None,
                 needs_file=Path(needs_file) if needs_file else None,
                 services_file=Path(services_file) if services_file else None)
    return build_area(request["area"], area_name=request.get("area_name"), caseload=request.get("caseload"),
                      caseload_source=request.get("caseload_source"),
                      caseload_file=Path(caseload_file) if request.get("caseload_file") else None,
                      needs_file=Path(needs_file) if request.get("needs_file") else None,
                      services_file=Path(services_file) if request.get("services_file") else None,
                      sheet=request.get("sheet"),
                      template=template if template != notebooks_dir() / TEMPLATE_NAME else None,
                      data_dir=data_path, today=dt.date.fromisoformat(manifest["built"]), force=True, **options)
