"""Benchmark rendering every chapter, with Quarto and with the pandoc + typst fallback, on the same
executed chapters, in one run. See benchmarks/README.md.

    .venv/bin/python benchmarks/render_all.py --work /tmp/render-bench             # all 175 areas
    .venv/bin/python benchmarks/render_all.py --work /tmp/render-bench --limit 4   # a quick run

With Quarto on PATH it times (a) a naive ``quarto render reports/<chapter>.ipynb`` of each chapter in
turn, (b) ``jsna-kit``'s render of every chapter in three formats, site index and overview included,
and (c) the HTML site alone; then, with Quarto taken off PATH, (d) the fallback renderer on every
chapter in three formats and (e) one changed area rebuilt and rendered by ``jsna-kit build``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_all import NO_POPULATION, caseload_file, summary_row, timed  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"ratio": 1.8, "quarto_all_s": 900.0, "quarto_html_s": 300.0, "fallback_all_s": 180.0,
           "one_changed_s": 10.0, "peak_memory_mb": 2048.0}
RENDER = ("import json, sys; from pathlib import Path; from jsna_kit.publish.render import render_chapters; "
          "out = Path(sys.argv[1]); formats = tuple(sys.argv[2].split(',')); "
          "notebooks = sorted(p for p in out.glob('*.ipynb') if not p.name.endswith('.partial.ipynb')); "
          "result = render_chapters(notebooks, out_dir=out, formats=formats); "
          "print('SECONDS ' + json.dumps({'renderer': result.renderer, 'seconds': result.seconds}))")


def copy_project(copy: Path) -> Path:
    """The project's own files (tracked, or new and not ignored) in ``copy``: Quarto renders a
    project's own reports/ into its _site/, so the benchmark works in a copy, not the repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        if name and (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    return copy


def env_for(project: Path, *, quarto: bool) -> dict:
    """The copy's own source first; without Quarto: PATH with no folder holding a ``quarto``."""
    path = os.environ.get("PATH", "")
    if not quarto:
        path = os.pathsep.join(p for p in path.split(os.pathsep) if not shutil.which("quarto", path=p))
    return {**os.environ, "PATH": path, "PYTHONPATH": str(project / "src")}


def run(command: list[str], *, cwd: Path, env: dict, memory: bool = False, expect: str | None = None):
    """Wall seconds, peak memory of the process tree (bytes) and output of ``command``."""
    return timed(command, expect=expect, memory=memory, cwd=cwd, env=env)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from jsna_kit.cli import main; main()", *args]


def render(project: Path, out: Path, formats: str, *, quarto: bool) -> tuple[float, int, dict]:
    """jsna-kit's render of every chapter in ``out`` (as ``jsna-kit render`` does it), timed."""
    seconds, peak, output = run([sys.executable, "-c", RENDER, str(out), formats], cwd=project,
                                env=env_for(project, quarto=quarto), memory=True)
    line = next(line for line in output.splitlines() if line.startswith("SECONDS "))
    detail = json.loads(line.removeprefix("SECONDS "))
    if detail["renderer"] != ("quarto" if quarto else "pandoc"):
        sys.exit(f"expected the {'Quarto' if quarto else 'fallback'} renderer, got {detail['renderer']}")
    return seconds, peak, detail["seconds"]


def check_site(site: Path, reports: Path, formats: tuple[str, ...], *, index: bool = True) -> None:
    """Every executed chapter in ``reports`` has its page and files in ``site``; each page links its
    PDF and Word file; the index (with Quarto) links every page and the overview, which exists. A
    benchmark of a site that was not all made fails instead of printing a flattering time."""
    stems = sorted(p.stem for p in reports.glob("*.ipynb"))
    missing = [f"reports/{stem}.{fmt}" for stem in stems for fmt in formats
               if not (site / "reports" / f"{stem}.{fmt}").is_file()]
    unlinked = [stem for stem in stems if "html" in formats
                and not all(f'{stem}.{fmt}"' in (site / "reports" / f"{stem}.html").read_text(encoding="utf-8")
                            for fmt in formats if fmt != "html" and (site / "reports" / f"{stem}.html").is_file())]
    if index:
        page = (site / "index.html").read_text(encoding="utf-8") if (site / "index.html").is_file() else ""
        missing += [] if (site / "reports" / "overview.html").is_file() else ["reports/overview.html"]
        unlinked += [f"index -> {stem}" for stem in stems if f"reports/{stem}.html" not in page]
        unlinked += [] if "reports/overview.html" in page else ["index -> overview"]
    if missing or unlinked:
        sys.exit(f"the site in {site} is incomplete: missing {missing[:5]} ({len(missing)}), "
                 f"links missing {unlinked[:5]} ({len(unlinked)})")


def fresh_site(project: Path) -> None:
    for generated in (project / "_site", project / ".quarto"):
        shutil.rmtree(generated, ignore_errors=True)


def phases(report: Path) -> dict[str, float]:
    """Mean seconds per chapter of each phase in a build report."""
    areas = [a for a in json.loads(report.read_text())["areas"] if a.get("phases")]
    names = sorted({k for a in areas for k in a["phases"]})
    return {k: sum(a["phases"].get(k, 0) for a in areas) / max(1, len(areas)) for k in names}


def per_chapter(seconds: dict[str, float], n: int) -> str:
    return ", ".join(f"{k} {v / n:.2f} s" for k, v in seconds.items() if k != "site") + (
        f"; site index and overview {seconds['site']:.1f} s in all" if "site" in seconds else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N areas (a quick run)")
    parser.add_argument("--work", type=Path, required=True, help="an empty folder for the outputs")
    parser.add_argument("--no-naive", action="store_true", help="leave out the naive Quarto loop (it is long)")
    args = parser.parse_args()
    from jsna_kit.load.areas import load_areas

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, float] = {}
    areas = load_areas(args.data_dir)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    codes = sorted(names)[: args.limit]
    changed = codes[0]
    local = {changed: 1000, **{c: v for c, v in NO_POPULATION.items() if c in codes}}
    caseloads = caseload_file(work / "caseload.csv", local, names)
    listing = work / "areas.txt"
    listing.write_text("\n".join(codes) + "\n", encoding="utf-8")
    has_quarto = shutil.which("quarto") is not None
    print(f"{len(codes)} areas, {os.cpu_count()} cores, Quarto: {shutil.which('quarto') or 'none'}; in {work}",
          flush=True)

    project = copy_project(work / "project")
    reports = project / "reports"
    build = cli("build", "--areas", str(listing), "--data-dir", str(args.data_dir.resolve()), "--caseload-file",
                str(caseloads))
    to_build = f"{len(codes)} chapter(s) to build, 0 up to date"
    if has_quarto:
        # (b) The whole site from nothing, as `jsna-kit build --all` makes it: every chapter executed
        # and rendered in three formats, the overview written, the index and overview rendered.
        fresh_site(project)
        seconds, peak, output = run(build, cwd=project, env=env_for(project, quarto=True), memory=True,
                                    expect=to_build)
        n = len(list(reports.glob("*.ipynb")))
        split = phases(reports / "build-report.json")
        check_site(project / "_site", reports, ("html", "docx", "pdf"))
        print(f"(b) jsna-kit build, Quarto, {n} chapters executed and rendered in HTML + Word + PDF, overview and "
              f"index: {seconds:.1f} s [{summary_row(output)}], peak memory {peak / 2**20:.0f} MB; the site checked; "
              "per chapter: " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()), flush=True)
        results.update(quarto_all_s=round(seconds, 1), quarto_peak_mb=round(peak / 2**20))
        results.update({f"per_chapter_{k}_s": round(v, 3) for k, v in split.items()})
        fresh_site(project)
        html, html_peak, timing = render(project, reports, "html", quarto=True)
        check_site(project / "_site", reports, ("html",))
        print(f"(c) jsna-kit render, Quarto, HTML site alone (the same chapters): {html:.1f} s, peak memory "
              f"{html_peak / 2**20:.0f} MB; {per_chapter(timing, n)}", flush=True)
        results.update(quarto_html_s=round(html, 1))
        if not args.no_naive:
            # (a) The naive way on the same executed chapters: one `quarto render` a chapter, in turn.
            fresh_site(project)
            started = time.perf_counter()
            for i, notebook in enumerate(sorted(reports.glob("*.ipynb")), 1):
                run(["quarto", "render", f"reports/{notebook.name}"], cwd=project, env=env_for(project, quarto=True))
                if i % 25 == 0:
                    print(f"  naive: {i}/{n} after {time.perf_counter() - started:.0f} s", flush=True)
            naive = time.perf_counter() - started
            print(f"(a) naive: `quarto render reports/<chapter>.ipynb` for each of {n} chapters in turn: "
                  f"{naive:.1f} s ({naive / n:.1f} s a chapter); (a)/(b) = {naive / seconds:.2f}x (b also executes "
                  "the chapters)", flush=True)
            results.update(naive_quarto_s=round(naive, 1), ratio=round(naive / seconds, 2))
    else:
        n = len(codes)

    out = work / "fallback"  # outside the project: the fallback renderer, as without Quarto
    no_quarto = env_for(project, quarto=False)
    fb_build = [*build, "--out", str(out)]
    run([*fb_build, "--no-render"], cwd=project, env=no_quarto, expect=to_build)
    # Word's PNG copies of the figures, made once beforehand, as (b) made them for Quarto.
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from jsna_kit.publish.rasterise "
                    "import rasterise; [rasterise(sorted(f.glob('*.svg'))) "
                    "for f in Path(sys.argv[1]).glob('*/figures')]", str(out)], check=True, env=no_quarto)
    fallback, fb_peak, timing = render(project, out, "html,docx,pdf", quarto=False)
    check_site(out / "_site", out, ("html", "docx", "pdf"), index=False)
    print(f"(d) jsna-kit render, fallback, {n} chapters, HTML + Word + PDF: {fallback:.1f} s, peak memory "
          f"{fb_peak / 2**20:.0f} MB; per chapter in a worker: {per_chapter(timing, n)}", flush=True)
    results.update(fallback_all_s=round(fallback, 1), fallback_peak_mb=round(fb_peak / 2**20))
    seconds, _, output = run(fb_build, cwd=project, env=no_quarto)  # records every chapter as rendered
    print(f"    jsna-kit build rendering every chapter in its workers (not a target): {seconds:.1f} s "
          f"[{summary_row(output)}]", flush=True)
    caseload_file(caseloads, {**local, changed: 1010}, names)
    one, _, output = run(fb_build, cwd=project, env=no_quarto, expect=f"1 chapter(s) to build, {n - 1} up to date")
    split = phases(out / "build-report.json")
    print(f"(e) one changed area rebuilt and rendered (fallback): {one:.1f} s [{summary_row(output)}]; "
          + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()), flush=True)
    results.update(one_changed_s=round(one, 1))

    (work / "render-results.json").write_text(json.dumps(results, indent=2))
    peak_mb = max(results.get("quarto_peak_mb", 0), results["fallback_peak_mb"])
    rows = [("(a) naive Quarto loop", results.get("naive_quarto_s"), "", None),
            ("(b) Quarto, three formats", results.get("quarto_all_s"), "<= 900 s",
             results.get("quarto_all_s", 1e9) <= TARGETS["quarto_all_s"] if has_quarto else None),
            ("(a) / (b)", results.get("ratio"), ">= 1.8x",
             results["ratio"] >= TARGETS["ratio"] if "ratio" in results else None),
            ("(c) Quarto, HTML site alone", results.get("quarto_html_s"), "<= 300 s",
             results.get("quarto_html_s", 1e9) <= TARGETS["quarto_html_s"] if has_quarto else None),
            ("(d) fallback, three formats", results["fallback_all_s"], "<= 180 s",
             results["fallback_all_s"] <= TARGETS["fallback_all_s"]),
            ("(e) one changed area, fallback", results["one_changed_s"], "<= 10 s",
             results["one_changed_s"] <= TARGETS["one_changed_s"]),
            ("peak memory of a whole render (MB)", peak_mb, "<= 2048", peak_mb <= TARGETS["peak_memory_mb"])]
    print("\n| measure | result | target | met |\n|---|---:|---:|---|")
    for label, value, target, met in rows:
        print(f"| {label} | {'-' if value is None else value} | {target} | {'' if met is None else met} |")


if __name__ == "__main__":
    main()
