"""``jsna-kit compare A B``: two estimates tables (or output folders) side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import console, err, reported, styled


def compare(
    baseline: Annotated[Path, typer.Argument(help="Baseline: a file from `jsna-kit estimates`, or an output folder.")],
    scenario: Annotated[Path, typer.Argument(help="Scenario: the same kind of table, made another way.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the comparison (CSV, XLSX, summary, chart).")]
    = Path("comparison"),
) -> None:
    """Compare two runs: which areas and priority areas moved, by how much, and whether by more
    than the uncertainty."""
    from ..load.estimates_table import read_estimates, read_evidence
    from ..model.compare import area_differences, changed_reference_rows, compare_estimates
    from ..publish.compare import write_comparison

    with reported(out):
        a, versions_a = read_estimates(baseline)
        b, versions_b = read_estimates(scenario)
        only_a, only_b = area_differences(a, b)
        compared = compare_estimates(a, b)
        feeding, feeding_none = changed_reference_rows(a, b, read_evidence(baseline), read_evidence(scenario))
        written = write_comparison(compared, out, label_a=str(baseline), label_b=str(scenario), only_a=only_a,
                                   only_b=only_b, versions=(versions_a, versions_b))
    for side, codes in (("baseline", only_a), ("scenario", only_b)):
        if codes:
            err.print(styled("note:", "yellow", f"{len(codes)} area(s) only in the {side}, left out: "
                                                f"{', '.join(codes)}"))
    if versions_a and versions_b and versions_a != versions_b:
        err.print(styled("note:", "yellow", f"made by different jsna-kit versions ({', '.join(sorted(versions_a))} "
                                            f"and {', '.join(sorted(versions_b))})"))
    if feeding:
        console.print(f"Reference rows that differ between the runs: {', '.join(feeding)}.", highlight=False)
    if feeding_none:
        err.print(styled("warning:", "yellow", f"{len(feeding_none)} reference row(s) differ but feed no estimate "
                                               f"(comparators, context or gaps), so no estimate moves for them: "
                                               f"{', '.join(feeding_none)}"))
    kept = compared[compared["status"].isin(["same", "moved", "headline changed"])]
    console.print(f"{int((kept['status'] != 'same').sum())} of {len(kept)} headline estimates moved, "
                  f"{int(kept['beyond_uncertainty'].sum())} by more than their uncertainty.", highlight=False)
    for path in written:
        console.print(f"  {path}", highlight=False)
