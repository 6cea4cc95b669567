"""Execute the chapter template for one area with papermill, then give the executed notebook the
YAML front matter Quarto reads (title, date, description), so Quarto renders it as it is without
executing it a second time."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import nbformat
import papermill as pm

from ..errors import BuildError
from ..present.markdown import yaml_string
from .kernel import ensure_kernel

TEMPLATE_NAME = "chapter.ipynb"


def front_matter(*, title: str, subtitle: str, date: dt.date, description: str,
                 extra: dict[str, str] | None = None) -> str:
    """YAML front matter as Quarto expects in a notebook's first raw cell. Every value is a
    quoted, escaped string, so an area name can never inject YAML, Markdown or HTML."""
    lines = ["---", f"title: {yaml_string(title)}", f"subtitle: {yaml_string(subtitle)}",
             f"date: {date.isoformat()}", f"description: {yaml_string(description)}"]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {yaml_string(value)}")
    lines.append("---")
    return "\n".join(lines)


def execute_chapter(template: Path, output: Path, parameters: dict, *, area_code: str,
                    title: str, subtitle: str, description: str, date: dt.date,
                    kernel_name: str | None = None) -> Path:
    """Run ``template`` with ``parameters`` into ``output`` (working directory = output's folder,
    so relative figure paths in the chapter resolve from the notebook), then add front matter.

    Writes to a temporary name and renames, so a killed build never leaves a half-written
    chapter under the real name."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.stem + ".partial.ipynb")
    try:
        pm.execute_notebook(
            str(template), str(partial), parameters=parameters,
            kernel_name=kernel_name or ensure_kernel(), cwd=str(output.parent),
            progress_bar=False, log_output=False, report_mode=False,
        )
    except pm.PapermillExecutionError as exc:
        partial.unlink(missing_ok=True)
        raise BuildError(area_code, f"{exc.ename}: {exc.evalue}", cell=exc.exec_count,
                         traceback="\n".join(exc.traceback)) from None
    nb = nbformat.read(partial, as_version=4)
    raw = nbformat.v4.new_raw_cell(front_matter(title=title, subtitle=subtitle, date=date,
                                                description=description))
    nb.cells.insert(0, raw)
    nbformat.write(nb, partial)
    os.replace(partial, output)
    return output
