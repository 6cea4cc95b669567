"""Benchmark `jsna-kit build --all` against a naive loop of papermill calls, on the same template
and inputs, and time the incremental cases. See benchmarks/README.md.

    .venv/bin/python benchmarks/build_all.py                 # every area (the naive loop takes ~30 min)
    .venv/bin/python benchmarks/build_all.py --limit 6       # a quick run on six areas
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NO_POPULATION = {"E09000001": 40, "E06000053": 25}  # City of London, Isles of Scilly: benchmark figures
TARGETS = {"build_all": 60.0, "ratio": 5.0, "no_change": 0.5, "one_changed": 5.0, "peak_memory_mb": 1536.0}


def caseload_file(path: Path, local: dict[str, float], names: dict[str, str]) -> Path:
    """Local caseloads (a made-up benchmark figure) for the areas the population file cannot model,
    so that every area can be built, and for the area the benchmark changes."""
    rows = [f"{code},{names[code]},all,all,{value},2025-03-31,benchmark figure" for code, value in local.items()]
    path.write_text("area_code,area_name,sex,age_band,caseload,date,source\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def prepare_bundles(codes: list[str], folder: Path, data_dir: Path, caseloads: Path) -> list[dict]:
    """Each area's data bundle, written once, as `jsna-kit build` writes it; returns the papermill
    parameters of each area."""
    from jsna_kit import __version__
    from jsna_kit.batch.plan import plan_areas
    from jsna_kit.load.areas import code_changes, load_areas
    from jsna_kit.publish.bundle import write_bundle

    areas = load_areas(data_dir)
    chosen = areas.set_index("area_code").loc[codes].reset_index()
    batch = plan_areas(chosen, areas=areas, changes=code_changes(), data_dir=data_dir, caseload_file=caseloads)
    for plan in batch.plans:
        write_bundle(folder / plan.slug, area={**plan.area, "built": dt.date.today().isoformat(),
                                               "jsna_kit_version": __version__},
                     estimates=plan.tables["estimates.csv"], evidence=batch.evidence, sources=batch.sources,
                     parameters=plan.parameters, inputs=plan.inputs, request=plan.request,
                     observed=plan.tables.get("observed.csv"), context=plan.tables.get("context.csv"))
    return [plan.parameters for plan in batch.plans]


class PeakMemory:
    """Peak of the summed resident memory of a process and all its descendants, sampled."""

    def __init__(self, pid: int, every: float = 0.1):
        self.root, self.every, self.peak = psutil.Process(pid), every, 0
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.root.is_running() and self.root.status() != psutil.STATUS_ZOMBIE:
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(self.every)


def timed(command: list[str], *, expect: str | None = None, memory: bool = False, cwd: Path | None = None,
          env: dict | None = None) -> tuple[float, int, str]:
    """Run ``command`` (in ``cwd``, default the repository, with ``env``, default this process's);
    wall seconds, peak memory of its process tree (bytes) and its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd or REPO,
                            env=env)
    sampler = PeakMemory(proc.pid) if memory else None
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(command)}\n{output[-3000:]}")
    if expect and expect not in " ".join(output.split()):
        sys.exit(f"expected {expect!r} in the output of {' '.join(command)}:\n{output[-3000:]}")
    return seconds, (sampler.peak if sampler else 0), output


def summary_row(output: str) -> str:
    """The counts line of the build summary table (built, rendered only, cached, skipped, failed)."""
    rows = [line for line in output.splitlines() if line.startswith("│")]
    return " ".join(rows[-1].replace("│", " ").split()) if rows else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N areas (a quick run)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="folder for the outputs (default: a new temp folder)")
    args = parser.parse_args()
    from jsna_kit.config import notebooks_dir
    from jsna_kit.execute.kernel import ensure_kernel
    from jsna_kit.load.areas import load_areas

    work = args.work or Path(tempfile.mkdtemp(prefix="jsna-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    template, kernel = notebooks_dir() / "chapter.ipynb", ensure_kernel()
    areas = load_areas(args.data_dir)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    codes = sorted(names)[: args.limit]
    changed = codes[0]  # the area whose local caseload the benchmark changes in (d)
    local = {changed: 1000, **{c: v for c, v in NO_POPULATION.items() if c in codes}}
    caseloads = caseload_file(work / "caseload.csv", local, names)
    listing = work / "areas.txt"
    listing.write_text("\n".join(codes) + "\n", encoding="utf-8")
    print(f"{len(codes)} areas, {args.workers} workers, data {args.data_dir}, outputs in {work}", flush=True)

    naive_dir = work / "naive"
    parameters = prepare_bundles(codes, naive_dir, args.data_dir.resolve(), caseloads)
    started = time.perf_counter()
    for i, params in enumerate(parameters, 1):
        subprocess.run([str(BIN / "papermill"), str(template), str(naive_dir / f"{params['chapter_assets']}.ipynb"),
                        "-k", kernel, "--cwd", str(naive_dir), "-y", json.dumps(params), "--no-progress-bar",
                        "--log-level", "ERROR"], check=True, capture_output=True)
        if i % 25 == 0:
            print(f"  naive loop: {i}/{len(parameters)} after {time.perf_counter() - started:.0f} s", flush=True)
    naive = time.perf_counter() - started
    print(f"(a) naive loop of {len(parameters)} papermill calls: {naive:.1f} s", flush=True)

    out = work / "batch"
    build = [str(BIN / "jsna-kit"), "build", "--areas", str(listing), "--data-dir", str(args.data_dir),
             "--out", str(out), "--caseload-file", str(caseloads), "--workers", str(args.workers)]
    batch, peak, output = timed([*build, "--no-render"], memory=True)
    print(f"(b) jsna-kit build --no-render: {batch:.1f} s [{summary_row(output)}]; peak memory {peak / 2**20:.0f} MB",
          flush=True)
    render_all, _, output = timed(build)
    print(f"    rendering every chapter (fallback renderer, not a target): {render_all:.1f} s "
          f"[{summary_row(output)}]", flush=True)
    no_change, _, output = timed(build, expect=f"0 chapter(s) to build, {len(parameters)} up to date")
    print(f"(c) no-change rebuild: {no_change:.2f} s [{summary_row(output)}]", flush=True)
    caseload_file(caseloads, {**local, changed: 1010}, names)
    one, _, output = timed(build, expect=f"1 chapter(s) to build, {len(parameters) - 1} up to date")
    print(f"(d) one changed area rebuilt and rendered: {one:.2f} s [{summary_row(output)}]", flush=True)

    results = {"areas": len(parameters), "workers": args.workers, "naive_s": round(naive, 1),
               "build_all_s": round(batch, 1), "ratio": round(naive / batch, 2), "no_change_s": round(no_change, 2),
               "one_changed_s": round(one, 2), "peak_memory_mb": round(peak / 2**20),
               "render_all_s": round(render_all, 1)}
    (work / "results.json").write_text(json.dumps(results, indent=2))
    met = {"build_all": batch <= TARGETS["build_all"], "ratio": naive / batch >= TARGETS["ratio"],
           "no_change": no_change <= TARGETS["no_change"], "one_changed": one <= TARGETS["one_changed"],
           "peak_memory_mb": peak / 2**20 <= TARGETS["peak_memory_mb"]}
    print("\n| measure | result | target | met |\n|---|---:|---:|---|")
    print(f"| (a) naive papermill loop | {naive:.1f} s | | |")
    print(f"| (b) jsna-kit build, {len(parameters)} areas executed | {batch:.1f} s | <= 60 s | {met['build_all']} |")
    print(f"| (a) / (b) | {naive / batch:.1f}x | >= 5x | {met['ratio']} |")
    print(f"| (c) no-change rebuild | {no_change:.2f} s | <= 0.5 s | {met['no_change']} |")
    print(f"| (d) one changed area, rebuilt and rendered | {one:.2f} s | <= 5 s | {met['one_changed']} |")
    print(f"| (e) peak memory, {args.workers} workers (sum of RSS) | {peak / 2**20:.0f} MB | <= 1536 MB | "
          f"{met['peak_memory_mb']} |")


if __name__ == "__main__":
    main()
