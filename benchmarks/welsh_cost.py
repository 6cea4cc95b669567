"""What the Welsh chapters cost (issue 27): every area built and rendered without them, then with
them (the default since the Welsh chapters were finished; ``--no-welsh`` leaves them out: 22
fewer chapters), in one run, each into an empty folder.

    .venv/bin/python benchmarks/welsh_cost.py --work /tmp/welsh-bench          # all 175 areas
    .venv/bin/python benchmarks/welsh_cost.py --work /tmp/welsh-bench --limit 30

Renders with the fallback (Quarto is taken off PATH for both runs, so both render the same way).
Prints each time and their ratio against the target (at most 1.2), and saves them as
``welsh-results.json`` in the work folder. Timings belong in benchmarks/README.md, never in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 1.2


def _env() -> dict:
    quarto = shutil.which("quarto")
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not quarto or Path(p) != Path(quarto).parent]
    return {**os.environ, "PATH": os.pathsep.join(path), "PYTHONPATH": str(REPO / "src")}


def _build(out: Path, areas: Path, data_dir: Path, *flags: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from jsna_kit.cli import main; main()", "build", "--areas",
                           str(areas), "--out", str(out), "--data-dir", str(data_dir), *flags],
                          cwd=REPO, capture_output=True, text=True, env=_env())
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the build into {out} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, done.stderr + done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N areas (and their Welsh ones)")
    parser.add_argument("--work", type=Path, required=True, help="an empty folder for the outputs")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO / "src"))
    from jsna_kit.load.areas import load_areas

    codes = load_areas(None)["area_code"].tolist()
    codes = codes[:args.limit] if args.limit else codes
    areas = args.work / "areas.txt"
    areas.write_text("\n".join(codes) + "\n", encoding="utf-8")
    welsh = sum(code.startswith("W") for code in codes)
    without, _ = _build(args.work / "without" / "reports", areas, args.data_dir, "--no-welsh")
    with_welsh, _ = _build(args.work / "with" / "reports", areas, args.data_dir)
    made = sorted((args.work / "with" / "reports" / "_site" / "reports").glob("*.cy.html"))
    if len(made) != welsh:
        raise SystemExit(f"expected {welsh} Welsh chapters, found {len(made)}")
    ratio = with_welsh / without
    results = {"areas": len(codes), "welsh_chapters": welsh, "without_s": round(without, 1),
               "with_welsh_s": round(with_welsh, 1), "ratio": round(ratio, 3), "target": TARGET,
               "met": ratio <= TARGET}
    (args.work / "welsh-results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"{len(codes)} areas: built and rendered (fallback) without the Welsh chapters {without:.1f} s; with the "
          f"{welsh} Welsh chapters {with_welsh:.1f} s; ratio {ratio:.2f} (target <= {TARGET}: "
          f"{'met' if ratio <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
