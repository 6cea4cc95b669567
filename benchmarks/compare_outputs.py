"""Are two output folders the same, but for the time they were made?

For checking that a change to the code changes no chapter, download or report: build the same
areas into a folder with the old code and with the new, then compare:

    python benchmarks/compare_outputs.py scenario DIR   # build a fixed set of outputs into DIR
    python benchmarks/compare_outputs.py diff OLD NEW   # every file that differs, and how

``scenario`` runs the ``jsna-kit`` on PATH (or ``--jsna-kit``) for a few contrasting cases: a local
caseload, a modelled Welsh area, the analyst's caseload and needs files, a batch of four areas (built,
then run again with nothing changed), the estimates table, the overview, and a build that must fail.
Build both sides into the same path (move the first aside before building the second), so that the
paths written into notebooks and manifests match.

``diff`` compares every file byte for byte after removing what records only when a file was
made: timestamps in notebooks (papermill, nbclient), manifests, workbooks and Word files (document
properties), PDFs (creation dates), build reports (seconds) and the batch's run record. Anything
else that differs is printed, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
PDF_DATE = re.compile(rb"\(D:\d{14}Z?\)")
PDF_IDS = re.compile(rb"(ID>)[^<]*(<)|/ID ?\[[^\]]*\]")
SECONDS = re.compile(rb'"(seconds|duration|bundle|execute|render)": [0-9.]+')
MARKDOWN_SECONDS = re.compile(rb"\| [0-9]+\.[0-9]+ \|")
LOG_SECONDS = re.compile(rb"(\d+:\d\d:\d\d|\d+\.\d+)")


def normalise(path: Path) -> bytes:
    """The file's content without the moments it records."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in sorted(archive.namelist()):
                if name == "docProps/core.xml":
                    continue
                parts.append(name.encode() + b"\n" + TIMESTAMP.sub(b"<time>", archive.read(name)))
        return b"\n".join(parts)
    if suffix == ".pdf":
        data = PDF_IDS.sub(b"<id>", PDF_DATE.sub(b"(D:<time>)", data))  # the IDs hash the dates
        # XMP metadata repeats the dates as ISO timestamps
        return TIMESTAMP.sub(b"<time>", data)
    if suffix == ".ipynb":
        nb = json.loads(data)
        nb.get("metadata", {}).pop("papermill", None)
        for cell in nb.get("cells", []):
            cell.pop("id", None)  # random for the cells papermill and the build add
            cell.get("metadata", {}).pop("papermill", None)
            cell.get("metadata", {}).pop("execution", None)
        return json.dumps(nb, sort_keys=True, indent=1).encode()
    if suffix in (".json", ".md", ".txt", ".html", ".qmd", ".csv"):
        data = TIMESTAMP.sub(b"<time>", data)
        data = SECONDS.sub(rb'"\1": <s>', data)
        if path.name == "build-report.md":
            data = MARKDOWN_SECONDS.sub(b"| <s> |", data)
        if path.name == "log.txt":
            data = LOG_SECONDS.sub(b"<t>", data)
        return data
    return data


def ignored(relative: Path) -> bool:
    # The run record and kept caches hold digests of the package's own files, which a code change
    # changes by design.
    return ".jsna-cache" in relative.parts


def diff(old: Path, new: Path) -> int:
    files = {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
    files |= {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    problems = 0
    same = 0
    for rel in sorted(files):
        if ignored(rel):
            continue
        a, b = old / rel, new / rel
        if not a.exists() or not b.exists():
            print(f"only in {'new' if b.exists() else 'old'}: {rel}")
            problems += 1
            continue
        if normalise(a) != normalise(b):
            print(f"differs: {rel}")
            problems += 1
        else:
            same += 1
    print(f"{same} files the same, {problems} different or missing")
    return 1 if problems else 0


def scenario(out: Path, jsna_kit: str, data_dir: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "areas.txt").write_text("Cardiff\nCornwall\nHartlepool\nE08000019\n", encoding="utf-8")
    shutil.copy(ROOT / "templates" / "caseload.csv", out / "caseload.csv")
    shutil.copy(ROOT / "templates" / "needs.csv", out / "needs.csv")
    data = ["--data-dir", str(data_dir)]
    files = ["--caseload-file", str(out / "caseload.csv"), "--needs-file", str(out / "needs.csv")]
    batch = ["build", "--areas", str(out / "areas.txt"), *data, *files, "--out", str(out / "batch"), "--workers", "2"]
    runs = [
        ["build", "--area", "E08000019", "--area-name", "Sheffield", "--caseload", "2000",
         "--out", str(out / "single_local")],
        ["build", "--area", "Cardiff", *data, "--out", str(out / "single_modelled")],
        ["build", "--area", "Hartlepool", *data, *files, "--out", str(out / "single_files")],
        batch,
        batch,
        ["estimates", "--all", *data, "--out", str(out / "estimates_all.csv")],
        ["estimates", "--area", "Sheffield", "--caseload", "2000", "--out", str(out / "estimates_one.xlsx")],
        ["overview", *data, "--out", str(out / "batch")],
        ["build", "--area", "Cardiff", "--data-dir", str(out / "no-data"), "--out", str(out / "no_population")],
    ]
    with open(out / "log.txt", "wb") as log:
        for args in runs:
            done = subprocess.run([jsna_kit, *args], capture_output=True, cwd=ROOT)
            log.write(f"### jsna-kit {' '.join(args[:3])} ... -> exit {done.returncode}\n".encode())
            print(f"jsna-kit {' '.join(args[:3])} ... -> exit {done.returncode}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("scenario", help="build the fixed set of outputs into DIR")
    build.add_argument("out", type=Path)
    build.add_argument("--jsna-kit", default=shutil.which("jsna-kit") or str(ROOT / ".venv" / "bin" / "jsna-kit"))
    build.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    compare = commands.add_parser("diff", help="compare two output folders")
    compare.add_argument("old", type=Path)
    compare.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "scenario":
        scenario(args.out.resolve(), args.jsna_kit, args.data_dir.resolve())
        return 0
    return diff(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
