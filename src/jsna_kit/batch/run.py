"""Build the chapters of the chosen areas, one or many: fast, incrementally, in parallel,
surviving failures. Building one area (``jsna-kit build --area``) is a batch of one.

1. If nothing the run depends on has changed since the last run of the same command (template,
   reference data, data files, package, analyst's files, choice of areas: ``cache.run_fingerprint``)
   and every chapter it built is still in place, there is nothing to do: no estimates are computed.
2. Otherwise every estimate is computed once, vectorised (``batch.plan``), and each area's build
   key (``batch.cache``) is compared with its build record: a current area is *cached* and
   nothing of it is touched.
3. The others are shared out to ``workers`` workers (``batch.pool``), each with one warm
   Jupyter kernel (``execute.engine``); the first kernel starts while the estimates are computed.
4. One area's failure is recorded (area, notebook cell, traceback) and the rest carry on. The
   run ends with ``build-report.json`` and ``build-report.md`` in the output folder.

With Quarto available and the project's own reports folder, the chapters that changed are
rendered with Quarto at the end instead (``publish.quarto``: several at once, each in its own copy
of the project), with the national overview written again to link every chapter built, and the
site's index and overview rendered.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import data_dir as resolve_data_dir
from ..config import notebooks_dir
from ..errors import BuildError
from . import cache, keep, narrow
from .jobs import AreaJob, GivenArea
from .report import AreaOutcome, BatchResult, write_report

if TYPE_CHECKING:
    import pandas as pd


def build_batch(*, codes: list[str] | None = None, region: str | None = None, areas_file: Path | None = None,
                given: dict[str, GivenArea] | None = None, data_dir: str | Path | None = None,
                reference: Path | None = None,
                out_dir: Path | None = None, template: Path | None = None, caseload_file: Path | None = None,
                sheet: str | None = None, replace_local: bool = False,
                needs_file: Path | None = None, services_file: Path | None = None, workers: int | None = None,
                force: bool = False, render: bool = True, today: dt.date | None = None,
                welsh: bool = True,
                on_start: Callable[[int, list[AreaOutcome]], None] | None = None,
                on_done: Callable[[AreaOutcome], None] | None = None) -> BatchResult:
    """Build the chapters of ``codes`` (codes or names), the areas in ``areas_file``, those of
    ``region``, or all 175 when none is given. ``given``: what the analyst said of an area on the
    command line (a name to show, a local caseload), keyed as in ``codes``. An area whose chapter
    in ``out_dir`` was built from the analyst's own caseload or files is built from them again when
    this run gives none for it (or kept as it is, if they are gone), unless ``replace_local``.
    ``reference``: a researcher's own reference folder (all the files of ``data/reference`` or only
    those that differ). ``on_start(jobs, settled)`` is called once the work is known (``settled``:
    cached and skipped areas); ``on_done(outcome)`` per area built. ``welsh`` (the default): each
    Welsh area's Welsh-language chapter too, beside its English one (``batch.chapter_job``, issue 27).

    The workers are new Python processes (``multiprocessing``'s spawn), so a script that calls
    this must guard its top level with ``if __name__ == "__main__":``, as for any process pool."""
    # Only light modules until the workers are started: their kernels boot while this process
    # imports pandas and the statistics.
    from ..config import own_reference_dir, reference_folder

    # Set before the workers start, so they and their kernels (whose working folder is elsewhere, away
    # from a jsna-kit.toml) read the same files.
    with reference_folder(reference or own_reference_dir()):
        return _build(codes=codes, region=region, areas_file=areas_file, given=given, data_dir=data_dir,
                      out_dir=out_dir, template=template, caseload_file=caseload_file, needs_file=needs_file,
                      services_file=services_file, sheet=sheet, replace_local=replace_local, workers=workers,
                      force=force, render=render, welsh=welsh,
                      today=today, on_start=on_start, on_done=on_done)


def _build(*, codes, region, areas_file, given, data_dir, out_dir, template, caseload_file, needs_file,
           services_file, sheet, replace_local, workers,
           force, render, today, on_start, on_done, welsh=True) -> BatchResult:
    from ..config import TEMPLATE_NAME, reports_dir

    started = time.perf_counter()
    today = today or dt.date.today()
    data_path = resolve_data_dir(data_dir)
    out_dir = Path(out_dir or reports_dir()).resolve()  # workers must not depend on the cwd
    writable(out_dir)
    template = Path(template).resolve() if template else notebooks_dir() / TEMPLATE_NAME
    shared = cache.shared_digests(template, data_path)
    if welsh:  # a part of every Welsh area's key: a run without the Welsh chapters rebuilds theirs
        shared["languages"] = cache.WITH_WELSH
    files = {"caseload_file": caseload_file, "needs_file": needs_file, "services_file": services_file}
    arguments = dict(shared=shared, data_dir=data_path, codes=codes, region=region, given=given,
                     areas_file=areas_file, sheet=sheet, replace_local=replace_local)
    fingerprint = cache.run_fingerprint(**arguments, **files)
    unchanged = None if force else cache.current_run(out_dir, fingerprint, render=render, given=files)
    if unchanged is not None:
        settled = [AreaOutcome(a["area_code"], a["area_name"], a["slug"], a["status"], a["reason"],
                               notebook=str(out_dir / f"{a['slug']}.ipynb") if a["status"] == "cached" else "")
                   for a in unchanged]
        if on_start:
            on_start(0, settled)
        return _finish(BatchResult(settled, 0, 0), started, out_dir)

    from .pool import WorkerPool

    wanted = max(1, workers or os.cpu_count() or 1)
    if codes:
        wanted = min(wanted, len(codes))  # no more kernels than chapters
    # Kernels start while the estimates are computed. A first build here will build most areas,
    # so every worker starts now; a later one usually rebuilds a few, so one starts now and the
    # others only if the plan finds more chapters to build (starting them would slow the plan).
    early = 1 if cache.run_path(out_dir).is_file() and not force else wanted
    # Only some areas' rows of the analyst's files changed since the last run: only they are planned.
    frame = narrow.frame(arguments, files)
    rows = {role: narrow.file_rows(path, sheet) for role, path in files.items() if path is not None}
    narrowing = None if force else narrow.narrowed(out_dir, frame, rows, render=render, given=files)
    with WorkerPool() as pool:
        for _ in range(early):
            pool.add_worker(warm=out_dir, data_dir=data_path)
        jobs, settled, keys, context, notes = _prepare(
            codes, region, areas_file, data_path, out_dir, template, shared, given=given or {},
            replace_local=replace_local, caseload_file=caseload_file, sheet=sheet,
                                                needs_file=needs_file, services_file=services_file, force=force,
                                                render=render, today=today, narrowing=narrowing)
        n_workers = max(1, min(wanted, len(jobs)))
        while len(pool.workers) < n_workers:
            pool.add_worker(warm=out_dir, data_dir=data_path)
        if on_start:
            on_start(len(jobs), settled)
        done = pool.run(jobs, context, n_workers, on_done) if jobs else []
    message = next((o.message for o in done if o.message), "")
    if render and context is not None and not context.render:
        message = _render_with_quarto(done, jobs, out_dir, today, data_path)
    result = _finish(BatchResult(settled + done, 0, n_workers if jobs else 0, message, notes=notes), started,
                     out_dir)
    cache.write_run(out_dir, fingerprint, [
        {"area_code": o.area_code, "area_name": o.area_name, "slug": o.slug,
         "status": "skipped" if o.status == "skipped" else "cached",
         "reason": o.reason if o.status == "skipped" else "up to date",
         "key": (keys.get(o.slug) or (cache.read_record(out_dir, o.slug) or {}).get("key")
                 if o.status in ("built", "rendered", "cached") else None)}
        for o in result.outcomes], frame=frame, rows=rows)
    return result


def writable(out_dir: Path) -> None:
    """Refuse at once an output folder that cannot be made or written (a file in its place, no
    permission); nothing is created here, so a build that fails for another reason leaves no folder."""
    from ..errors import OutputFolderError

    folder = out_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputFolderError(f"cannot write to {out_dir}: {folder} is a file, not a folder. Choose another "
                                "output folder with --out.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFolderError(f"cannot write to {out_dir}: no permission to write in {folder}. Choose an output "
                                "folder you can write to with --out.")


def _finish(result: BatchResult, started: float, out_dir: Path) -> BatchResult:
    result.seconds = round(time.perf_counter() - started, 2)
    result.report = write_report(result, out_dir)
    return result


def _prepare(codes, region, areas_file, data_path: Path, out_dir: Path, template: Path, shared: dict, *,
             given: dict[str, GivenArea], replace_local: bool, caseload_file, needs_file, services_file, sheet,
             force: bool,
             render: bool, today: dt.date, narrowing: narrow.Narrowing | None = None):
    """The jobs (areas to build or render), the settled areas (cached, skipped), every area's
    build key, and the run's shared context (None when nothing is planned). ``narrowing``: only
    the areas whose rows of the analyst's files changed are planned (``batch.narrow``)."""
    from ..load.areas import resolve_code
    from .chapter_job import RunContext
    from .plan import plan_areas

    kept = out_dir / cache.RECORD_DIR
    chosen, areas, changes = _choose(codes, region, areas_file, data_path, kept=kept, shared=shared)
    current = _narrowed(narrowing, chosen, areas, changes, out_dir, render=render,
                        given={"caseload_file": caseload_file, "needs_file": needs_file,
                               "services_file": services_file})
    if current is not None:
        chosen = chosen[~chosen["area_code"].isin({a["area_code"] for a in current})]
        current = [AreaOutcome(a["area_code"], a["area_name"], a["slug"], a["status"], a["reason"],
                               notebook=str(out_dir / f"{a['slug']}.ipynb") if a["status"] == "cached" else "")
                   for a in current]
        if chosen.empty:
            return [], current, {}, None, []
    given = {resolve_code(query, areas, changes): area for query, area in given.items()}
    remembered, notes = ({}, []) if replace_local else _remembered(chosen, out_dir, given)
    out_dir.mkdir(parents=True, exist_ok=True)  # the choice of areas is sound: results can be kept
    batch = plan_areas(chosen, areas=areas, changes=changes, data_dir=data_path, template=template, given=given,
                       caseload_file=caseload_file, needs_file=needs_file, services_file=services_file, sheet=sheet,
                       remembered=remembered,
                       cache_dir=kept, digests=shared)
    jobs, settled, keys = _sort_out(batch, shared, out_dir, force=force, render=render)
    for plan in (job.plan for job in jobs if job.execute):  # said of the chapters built, not the cached
        local = remembered.get(plan.area_code) or {}
        for role, given_file in (("caseload_file", caseload_file), ("needs_file", needs_file),
                                 ("services_file", services_file)):
            was = (local.get(role) or [None])[0]
            if was and plan.request.get(role) == Path(was).name and (
                    given_file is None or Path(given_file).resolve() != Path(was)):
                notes.append(f"{plan.area_code} {plan.area_name}: built again from {Path(was).name} ({was}), the "
                             "analyst's file it was built from before; --replace-local leaves it out")
        # what the chapter says of the analyst's breakdown by sex or age (validate warns of it)
        if plan.area.get("caseload_kind") == "local" and plan.area.get("caseload_note"):
            notes.append(f"{plan.area_code} {plan.area_name}: {plan.area['caseload_note']}")
    settled += current or []
    settled += [AreaOutcome(code, name, "", "skipped", why) for code, name, why in batch.skipped]
    settled += [AreaOutcome(code, name, "", "failed", "the analyst's file", error={"message": why, "traceback": ""})
                for code, name, why in batch.failed]
    quarto = render and _quarto_renders(out_dir)
    # Fewer chapters than cores: a worker's rendering may use the cores the run leaves idle.
    side_by_side = len(jobs) < (os.cpu_count() or 1)
    return jobs, settled, keys, RunContext(batch.evidence, batch.sources, template, out_dir, render and not quarto,
                                          today, shared, batch.evidence_digest, side_by_side), notes


def _narrowed(narrowing, chosen, areas, changes, out_dir: Path, *, render: bool, given: dict) -> list[dict] | None:
    """The last run's areas still current that this run need not plan, when it is narrowed to
    the areas whose rows changed (``batch.narrow``); None when every chosen area is planned: a
    changed row's area cannot be told, or the last run was of other areas."""
    from ..errors import JsnaKitError
    from ..load.areas import resolve_code

    if narrowing is None or {a["area_code"] for a in narrowing.current} != set(chosen["area_code"]):
        return None
    try:
        codes = {cell: resolve_code(cell, areas, changes) for cell in narrowing.changed}
    except (JsnaKitError, LookupError, ValueError):
        return None
    return narrow.settle(narrowing, codes, out_dir, render=render, given=given)


def _remembered(chosen, out_dir: Path, given: dict[str, GivenArea]) -> tuple[dict[str, dict], list[str]]:
    """The analyst's own inputs each chosen area's chapter in ``out_dir`` was built from, and the
    caseloads given before that are used again (added to ``given``), with a note for each."""
    remembered, notes = {}, []
    records = Path(out_dir) / cache.RECORD_DIR / "areas"
    by_code: dict[str, list[Path]] = {}  # the folder listed once, not once per area
    for path in records.glob("*.json") if records.is_dir() else []:
        by_code.setdefault(path.stem.split("-", 1)[0], []).append(path)
    for row in chosen.itertuples(index=False):
        found = sorted(by_code.get(row.area_code, []), key=lambda p: p.stat().st_mtime_ns)
        local = cache.remembered(out_dir, found[-1].stem) if found else None
        if not local:
            continue
        remembered[row.area_code] = local
        before = local.get("given")
        if before and row.area_code not in given:
            given[row.area_code] = GivenArea(**before)
            source = f", {before['caseload_source']}" if before.get("caseload_source") else ""
            notes.append(f"{row.area_code} {before.get('name') or row.area_name}: the caseload given before "
                         f"({before['caseload']:,.0f}{source}) is used again; --replace-local models it instead")
    return remembered, notes


def _choose(codes, region, areas_file, data_path, *, kept: Path | None = None,
            shared: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from ..load.areas import code_changes, load_areas
    from .selection import choose_areas

    # The area list follows from the data files, the reference data and the code: kept from the
    # last run while they are unchanged (reading and checking it takes half a second).
    key = (cache.sha256_text(f"{shared['data_files']} {shared['reference']} {shared['package']} {data_path}")
           if shared else "")
    areas = keep.kept(kept if shared else None, "areas", key, lambda: load_areas(data_path))
    changes = code_changes()
    return choose_areas(areas, changes, codes=codes, region=region, areas_file=areas_file), areas, changes


def _sort_out(batch, shared: dict, out_dir: Path, *, force: bool,
              render: bool) -> tuple[list[AreaJob], list[AreaOutcome], dict[str, str]]:
    """Jobs for the areas that need building or rendering; outcomes for those that are current.
    An area that must be built whatever its key (never built here, or ``force``) goes out without
    one: its worker works the key out (``cache.area_key``) while the others build, instead of this
    process doing it for every area before the first is sent."""
    jobs, cached, keys = [], [], {}
    for plan in batch.plans:
        record = cache.read_record(out_dir, plan.slug)
        notebook = out_dir / f"{plan.slug}.ipynb"
        if force or (record is None and not notebook.is_file()):
            jobs.append(AreaJob(plan, None, None, True, "forced (--force)" if force else "not built before"))
            continue
        key, parts = cache.area_key(plan, shared, batch.evidence_digest)
        keys[plan.slug] = key
        reason = cache.stale_reason(record, key, parts, notebook=notebook)
        if reason.startswith("changed:"):
            reason = "; ".join(filter(None, [_caseload_change(plan, out_dir), reason]))
        if reason:
            jobs.append(AreaJob(plan, key, parts, True, reason))
        elif render and not cache.rendered_outputs_present(record, out_dir):
            jobs.append(AreaJob(plan, key, parts, False, "not rendered yet", built=record.get("built", "")))
        else:
            cached.append(AreaOutcome(plan.area_code, plan.area_name, plan.slug, "cached", "up to date",
                                      notebook=str(notebook)))
    return jobs, cached, keys


def _caseload_change(plan, out_dir: Path) -> str:
    """The area's published caseload before and now, in words, when it changed ("caseload 3,400 ->
    3,460 in caseload.csv"), for the build report's why; "" otherwise."""
    import json

    try:
        before = json.loads((out_dir / plan.slug / "data" / "chapter.json").read_text(encoding="utf-8"))["caseload"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    now = plan.area.get("caseload")
    if before is None or now is None or float(before) == float(now):
        return ""
    source = plan.request.get("caseload_file") or ("--caseload" if plan.request.get("caseload") else "the model")
    return f"caseload {float(before):,.0f} \u2192 {float(now):,.0f} ({source})"


def _quarto_renders(out_dir: Path) -> bool:
    from ..publish.names import in_project, working_folder
    from ..publish.render import quarto_path

    return bool(quarto_path()) and (in_project(out_dir) or working_folder(out_dir) is not None)


def _render_with_quarto(done: list[AreaOutcome], jobs: list[AreaJob], out_dir: Path, today: dt.date,
                        data_path: Path) -> str:
    """The chapters executed or left unrendered in this run, rendered with Quarto; then the
    overview, written again so that it links every chapter built, and the site's index."""
    from ..publish.render import render_chapters

    by_code = {j.plan.area_code: j for j in jobs}
    ready = [o for o in done if o.status in ("built", "rendered")]
    if not ready:
        return ""
    note = _write_overview(out_dir, data_path, today)
    try:
        from .chapter_job import chapters_beside

        rendered = render_chapters([chapter for o in ready for chapter in
                                    (Path(o.notebook), *chapters_beside(out_dir, o.slug))], out_dir=out_dir)
    except BuildError as exc:
        for o in ready:
            o.status, o.error = "failed", {"message": f"rendering failed: {exc}", "traceback": ""}
        return ""
    for o in ready:
        job = by_code[o.area_code]
        page = rendered.outputs[0] / "reports" / f"{o.slug}.html" if rendered.outputs else None
        kept = cache.read_record(out_dir, o.slug) or {}  # the worker's, with the key it worked out
        cache.record_build(out_dir, o.slug, area_code=o.area_code, key=job.key or kept.get("key"),
                           parts=job.parts or kept.get("parts"),
                           notebook=Path(o.notebook), built=job.built or today.isoformat(),
                           rendered=[page] if page else [], local=job.plan.local)
        o.outputs = [str(page)] if page else []
        o.phases.update({f"render {step}": round(s / len(ready), 3) for step, s in rendered.seconds.items()})
    return rendered.message + (f" {note}" if note else "")


def _write_overview(out_dir: Path, data_path: Path, today: dt.date) -> str:
    """The national overview page (every area's modelled estimates), linking the chapters built;
    a note instead when the data files cannot model the estimates."""
    from ..errors import JsnaKitError
    from ..publish.overview import write_overview
    from .estimates import estimates_for_areas

    try:
        table, _ = estimates_for_areas(None, data_dir=data_path)
        write_overview(table, out_dir=out_dir, data_dir=data_path, today=today)
    except JsnaKitError as exc:
        return f"The national overview was not written: {exc}"
    return ""


def build_area(query: str, *, area_name: str | None = None, caseload: float | None = None,
               caseload_source: str | None = None, **options) -> AreaOutcome:
    """One area's chapter, as a batch of one (``build_batch(codes=[query], ...)``: the same plan,
    cache, workers and outputs). ``options`` are ``build_batch``'s. Returns the area's outcome
    (built, rendered only, or cached); a failed or skipped area raises ``BuildError`` naming it,
    where it failed and why (the build report in the output folder has the traceback)."""
    from .report import failure_where

    given = {query: GivenArea(area_name, caseload, caseload_source)}
    result = build_batch(codes=[query], given=given, **options)
    outcome = result.outcomes[0]
    outcome.notes = result.notes
    if outcome.status == "skipped":
        raise BuildError(outcome.area_code, outcome.reason)
    if outcome.status == "failed":
        error = outcome.error or {}
        if error.get("output_folder"):
            from ..errors import OutputFolderError

            raise OutputFolderError(error.get("message", ""))
        where = failure_where(error)
        raise BuildError(outcome.area_code, (f"failed in {where}: " if where else "") + error.get("message", "")
                         + (f" (the traceback is in {result.report})" if error.get("traceback") else ""),
                         traceback=error.get("traceback", ""))
    return outcome
