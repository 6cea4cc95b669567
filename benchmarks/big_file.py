"""How long validating and loading a large caseload file takes, and how much memory.

    .venv/bin/python benchmarks/big_file.py [--rows 500000] [--work DIR]

Writes caseload files of the given number of rows (and of 50,000, the most an analyst's file may
have) with distinct rows (ten areas, one count a day), then runs, each as its own process,
`jsna-kit validate FILE` and a load (`load.local_data.read_caseload`), and prints the wall time and
the peak memory (the process's maximum resident set) of each. Target (issue: bad input): 500,000
rows validated and loaded in under 20 s and 500 MB, or stopped early with a clear message.
Timings belong here and in closing notes, never in a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "area_code,area_name,sex,age_band,caseload,date,source\n"
CODES = [f"E060000{n:02d}" for n in range(1, 11)]
LOAD = ("import sys\nfrom jsna_kit.errors import InputFileError\nfrom jsna_kit.load.local_data import read_caseload\n"
        "try:\n    print(len(read_caseload(sys.argv[1])), 'rows loaded')\n"
        "except InputFileError as exc:\n    print('refused:', str(exc)[:200])\n")


def write_file(path: Path, rows: int) -> Path:
    start = dt.date(1900, 1, 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(rows):
            day = start + dt.timedelta(days=i // len(CODES))
            fh.write(f"{CODES[i % len(CODES)]},Area,all,all,{100 + i % 50},{day.isoformat()},PDU count\n")
    return path


WRAP = ("import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(done.stdout + done.stderr)\n"
        "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def measure(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB) of the process (measured by a wrapper of its own, so one
    measurement's peak is not another's), and its last line of output."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAP, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    peak = int(lines[-1].split()[1]) / 1024
    said = [line for line in lines[:-1] if not set(line) <= set("│┃┏┓┗┛━─┡┩╇┳┻┠┨ ")]
    return seconds, peak, (said[-1] if said else "")[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="jsna-big-file-"))
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    print(f"files in {work}")
    print("| rows | MB | step | seconds | peak MB | said |\n|---:|---:|---|---:|---:|---|")
    for rows in (50_000, args.rows):
        path = write_file(work / f"caseload_{rows}.csv", rows)
        size = path.stat().st_size / 1e6
        for step, command in (("validate", [str(bin_dir / "jsna-kit"), "validate", str(path)]),
                              ("load", [sys.executable, "-c", LOAD, str(path)])):
            seconds, peak, last = measure(command)
            print(f"| {rows:,} | {size:.1f} | {step} | {seconds:.1f} | {peak:.0f} | {last} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
