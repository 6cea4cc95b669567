"""``jsna-kit compare``'s outputs: the comparison table (CSV and XLSX), a Markdown summary and its
chart (SVG), in one folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..present.compare import by_priority_area, comparison_chart, comparison_markdown
from .bundle import csv_text
from .workbook import write_workbook


def write_comparison(compared: pd.DataFrame, out_dir: Path, *, label_a: str, label_b: str, only_a: list[str],
                     only_b: list[str], versions: tuple[set[str], set[str]]) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = out_dir / "comparison.csv"
    table.write_text(csv_text(compared), encoding="utf-8")
    workbook = write_workbook(out_dir / "comparison.xlsx", [("comparison", compared),
                                                           ("by priority area", by_priority_area(compared))])
    chart = out_dir / "comparison.svg"
    comparison_chart(compared, chart)
    summary = out_dir / "comparison.md"
    summary.write_text(comparison_markdown(compared, label_a=label_a, label_b=label_b, only_a=only_a,
                                           only_b=only_b, versions=versions, chart=chart.name), encoding="utf-8")
    return [table, workbook, summary, chart]
