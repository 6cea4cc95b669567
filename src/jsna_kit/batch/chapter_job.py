"""One area's chapter, built by a batch worker (``batch.worker``) on its warm kernel: delete the
area's build record, write its data bundle, execute the template, write the record; render (the
fallback renderer) and write the record again. A failure is returned as the area's outcome,
naming the notebook cell and the traceback, never raised.

Writing an area's bundle (CSV, the XLSX download, the manifest) and papermill's bookkeeping cost
about 0.25 s of Python per chapter, which is why workers are processes (``batch.pool``).
"""

from __future__ import annotations

import datetime as dt
import re
import time
import traceback as tb
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import BuildError
from . import cache
from .jobs import AreaJob
from .report import AreaOutcome

if TYPE_CHECKING:
    import pandas as pd

    from ..publish.bundle import DownloadSheets

ENGINE = "jsna-warm"


@dataclass
class RunContext:
    """What every job of a run shares."""

    evidence: pd.DataFrame
    sources: pd.DataFrame
    template: Path
    out_dir: Path
    render: bool  # render in the worker (fallback renderer); Quarto renders at the end instead
    today: dt.date
    shared: dict = field(default_factory=dict)  # the run's shared digests, for keys the workers work out
    evidence_digest: str = ""
    side_by_side: bool = False  # render a chapter's formats side by side: the run leaves cores idle
    site_dir: Path = field(init=False)
    # The same in every area's bundle, so made once: the CSV text here, the workbook sheet by
    # each worker on its first area (a worker is sent the context once).
    evidence_csv: str = field(init=False)
    shared_sheets: DownloadSheets = field(init=False)

    def __post_init__(self):
        from ..publish.bundle import csv_text, shared_sheets
        from ..publish.names import site_dir_for

        self.site_dir = site_dir_for(self.out_dir) / "reports"
        self.evidence_csv = csv_text(self.evidence)
        self.shared_sheets = shared_sheets(self.evidence, self.sources)


def run_job(job: AreaJob, ctx: RunContext, kernel) -> AreaOutcome:
    """Build (or only render) one area on ``kernel`` (a ``WarmKernel``). Never raises: a failure
    is returned as an outcome naming the cell and traceback."""
    from ..execute.notebook import execute_chapter
    from ..publish.bundle import LOCAL_TABLES, write_bundle
    from ..publish.names import chapter_titles
    from ..publish.render import render_chapters

    plan = job.plan
    started = time.perf_counter()
    notebook = ctx.out_dir / f"{plan.slug}.ipynb"
    outcome = AreaOutcome(plan.area_code, plan.area_name, plan.slug, "built" if job.execute else "rendered",
                          job.reason, notebook=str(notebook))
    try:
        # An area that had to be built whatever its key was sent without one (``run._sort_out``).
        key, parts = (job.key, job.parts) if job.key is not None else cache.area_key(plan, ctx.shared,
                                                                                     ctx.evidence_digest)
        record = {"area_code": plan.area_code, "key": key, "parts": parts, "notebook": notebook,
                  "built": job.built or ctx.today.isoformat(), "local": plan.local}
        if job.execute:
            cache.forget(ctx.out_dir, plan.slug)  # stale from here until the record is written again
            cache.clear_partials(ctx.out_dir, plan.slug, ctx.site_dir)
            area = {**plan.area, "built": ctx.today.isoformat(), "jsna_kit_version": __version__}
            with _phase(outcome, "bundle"):
                write_bundle(ctx.out_dir / plan.slug, area=area, estimates=plan.tables["estimates.csv"],
                             evidence=ctx.evidence, sources=ctx.sources, parameters=plan.parameters,
                             inputs=plan.inputs, request=plan.request,
                             observed=plan.tables.get("observed.csv"), context=plan.tables.get("context.csv"),
                             local={name: plan.tables.get(name) for name in LOCAL_TABLES},
                             texts={"evidence.csv": ctx.evidence_csv},
                             shared=ctx.shared_sheets)
            welsh = welsh_chapter(plan, ctx)
            # each of a Welsh area's two chapters links the other (present.bilingual), when both are built
            english = {**plan.parameters, "other_chapter": f"{welsh.stem}.html"} if welsh else plan.parameters
            with _phase(outcome, "execute"):
                execute_chapter(ctx.template, notebook, english, area_code=plan.area_code, date=ctx.today,
                                engine_name=ENGINE, warm_kernel=kernel,
                                **chapter_titles(plan.area_code, plan.area_name, plan.slug))
            if welsh is not None:
                with _phase(outcome, "execute cy"):
                    execute_chapter(ctx.template, welsh, welsh_parameters(plan), area_code=plan.area_code,
                                    date=ctx.today, engine_name=ENGINE, warm_kernel=kernel,
                                    **chapter_titles(plan.area_code, plan.name_welsh, welsh.stem, language="cy"))
            cache.record_build(ctx.out_dir, plan.slug, **record)
        if ctx.render:
            chapters = [notebook, *chapters_beside(ctx.out_dir, plan.slug)]
            with _phase(outcome, "render"):
                rendered = render_chapters(chapters, out_dir=ctx.out_dir, workers=1, side_by_side=ctx.side_by_side)
            outcome.phases.update({f"render {step}": round(s, 3) for step, s in rendered.seconds.items()})
            cache.record_build(ctx.out_dir, plan.slug, **record, rendered=rendered.outputs)
            outcome.outputs = [str(p) for p in rendered.outputs]
            outcome.message = rendered.message
    except Exception as exc:  # noqa: BLE001 - one area's failure must not stop the others
        cache.clear_partials(ctx.out_dir, plan.slug, ctx.site_dir)
        outcome.status, outcome.error = "failed", error_details(exc, ctx.out_dir / plan.slug)
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


def welsh_chapter(plan, ctx: RunContext) -> Path | None:
    """Where a Welsh area's Welsh chapter is executed, with its own copy of the area's data folder
    beside it (``<slug>.cy/data``: the English chapter's, the same files), when the run builds the
    Welsh chapters; None otherwise. Any Welsh chapter left from an earlier run is removed first, so a
    run without them leaves none that is out of date."""
    import shutil

    from ..publish.names import welsh_slug

    slug = welsh_slug(plan.slug)
    old = ctx.out_dir / slug
    (ctx.out_dir / f"{slug}.ipynb").unlink(missing_ok=True)
    if old.is_dir():
        shutil.rmtree(old)
    if ctx.shared.get("languages") != cache.WITH_WELSH or not plan.area_code.startswith("W") or not plan.name_welsh:
        return None
    shutil.copytree(ctx.out_dir / plan.slug / "data", old / "data")
    return ctx.out_dir / f"{slug}.ipynb"


def welsh_parameters(plan) -> dict:
    """The Welsh chapter's notebook parameters: the area's, with its Welsh name, folder and language."""
    from ..publish.names import welsh_slug

    return {**plan.parameters, "area_name": plan.name_welsh, "chapter_assets": welsh_slug(plan.slug),
            "language": "cy", "other_chapter": f"{plan.slug}.html"}


def chapters_beside(out_dir: Path, slug: str) -> list[Path]:
    """The area's other executed chapters: its Welsh one, where it has one."""
    from ..publish.names import welsh_slug

    welsh = Path(out_dir) / f"{welsh_slug(slug)}.ipynb"
    return [welsh] if welsh.is_file() else []


@contextmanager
def _phase(outcome: AreaOutcome, name: str):
    """Record in ``outcome.phases`` how many seconds the block took (the build report shows them)."""
    started = time.perf_counter()
    yield
    outcome.phases[name] = round(time.perf_counter() - started, 3)


def error_details(exc: BaseException, folder: Path | None = None) -> dict:
    """What the failure report says about one failure: the cell, the error, the traceback."""
    from ..execute.notebook import CellError

    details = {"message": str(exc), "type": type(exc).__name__}
    if isinstance(exc, CellError):
        details.update(cell=exc.cell, cell_index=exc.cell_index, cell_source=exc.cell_source,
                       ename=exc.ename, evalue=exc.evalue, traceback=strip_ansi(exc.traceback))
    elif isinstance(exc, BuildError):
        details.update(cell=exc.cell, traceback=strip_ansi(exc.traceback) or _format(exc))
    elif isinstance(exc, OSError) and exc.strerror:
        from ..errors import cannot_write

        details.update(message=str(cannot_write(exc, folder or "the output folder")), output_folder=True,
                       traceback=_format(exc))
    else:
        details["message"] = f"{type(exc).__name__}: {exc}"
        details["traceback"] = _format(exc)
    return details


def failed(job: AreaJob, message: str) -> AreaOutcome:
    return AreaOutcome(job.plan.area_code, job.plan.area_name, job.plan.slug, "failed", job.reason,
                       error={"message": message, "traceback": ""})


def _format(exc: BaseException) -> str:
    return "".join(tb.format_exception(type(exc), exc, exc.__traceback__))


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text or "")
