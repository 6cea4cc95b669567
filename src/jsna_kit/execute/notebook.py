"""Execute the chapter template for one area with papermill, then give the executed notebook the
YAML front matter Quarto reads (title, date, description), so Quarto renders it as it is without
executing it a second time."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..errors import BuildError
from ..present.markdown import yaml_string


def front_matter(*, title: str, subtitle: str, date: dt.date, description: str,
                 extra: dict[str, str | dict[str, str]] | None = None, links: dict[str, str] | None = None) -> str:
    """YAML front matter as Quarto expects in a notebook's first raw cell. Every value is a
    quoted, escaped string, so an area name can never inject YAML, Markdown or HTML; ``links``
    are Markdown jsna-kit makes from a chapter's file names alone (``publish.names.chapter_titles``),
    kept as Markdown (quoted, so never YAML), for the index to show as links."""
    import json

    lines = ["---", f"title: {yaml_string(title)}", f"subtitle: {yaml_string(subtitle)}",
             f"date: {date.isoformat()}", f"description: {yaml_string(description)}"]
    for key, value in (extra or {}).items():  # a mapping (Quarto's ``language``) as JSON, which is YAML
        lines.append(f"{key}: " + (yaml_string(value) if isinstance(value, str)
                                   else json.dumps(value, ensure_ascii=False)))
    for key, value in (links or {}).items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines)


class CellError(BuildError):
    """A notebook cell raised: which cell (its execution count, as ``In [n]``, and its position
    in the executed notebook, which has papermill's parameters cell), its first line, the
    exception and the traceback."""

    def __init__(self, area_code: str, exc):  # exc: papermill.PapermillExecutionError
        self.cell_index = exc.cell_index
        self.cell_source = (exc.source or "").strip().splitlines()[0] if (exc.source or "").strip() else ""
        self.ename, self.evalue = exc.ename, exc.evalue
        super().__init__(area_code, f"{exc.ename}: {exc.evalue}", cell=exc.exec_count,
                         traceback="\n".join(exc.traceback))


def execute_chapter(template: Path, output: Path, parameters: dict, *, area_code: str,
                    title: str, subtitle: str, description: str, date: dt.date,
                    extra: dict[str, str] | None = None, links: dict[str, str] | None = None,
                    kernel_name: str | None = None, engine_name: str | None = None,
                    **engine_kwargs) -> Path:
    """Run ``template`` with ``parameters`` into ``output`` (working directory = output's folder,
    so relative figure paths in the chapter resolve from the notebook), then add front matter.
    ``engine_name`` picks a papermill engine (default: a fresh kernel; ``execute.engine`` adds
    ``jsna-warm``, which reuses a running one).

    The notebook is written once, whole, under a temporary name and then renamed, so a killed
    build never leaves a half-written chapter under the real name."""
    import nbformat
    import papermill as pm

    from .kernel import ensure_kernel

    output.parent.mkdir(parents=True, exist_ok=True)
    # Papermill's own ``cwd`` changes the whole process's directory while the notebook runs,
    # which concurrent builds (threads) must not do: other engines get it as ``kernel_cwd``.
    where = {"cwd": str(output.parent)} if engine_name is None else {"kernel_cwd": str(output.parent)}
    try:
        nb = pm.execute_notebook(
            str(template), None, parameters=parameters,
            kernel_name=kernel_name or ensure_kernel(), progress_bar=False, log_output=False,
            report_mode=False, engine_name=engine_name, **where, **engine_kwargs,
        )
    except pm.PapermillExecutionError as exc:
        raise CellError(area_code, exc) from None
    raw = nbformat.v4.new_raw_cell(front_matter(title=title, subtitle=subtitle, date=date,
                                                description=description, extra=extra, links=links))
    nb.cells.insert(0, raw)
    partial = output.with_name(output.stem + ".partial.ipynb")
    try:
        # nbformat.write's schema check only logs, and costs 20 ms a chapter: the notebook is the
        # template's, executed; tests/test_build_e2e.py validates one.
        text = nbformat.v4.nbjson.writes(nb)
        partial.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return output
