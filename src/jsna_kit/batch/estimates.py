"""Every estimate for the chosen areas as one table, with no chapter built: ``jsna-kit estimates``,
the overview page and researchers' comparisons. Caseloads are set as for a build
(``batch.inputs.area_caseloads``) and the estimates made by the same functions as a build's plan
(``batch.plan``), so a table and a chapter never disagree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import EstimateInputError
from ..load.reference import load_reference
from ..model.estimates import estimate_table, for_publication
from .adjustment import with_local_adjustment
from .inputs import area_caseloads, context_for_areas
from .jobs import GivenArea
from .plan import checked_evidence


def estimates_for_areas(queries: list[str] | None, *, data_dir: str | Path | None = None,
                        caseload: float | None = None, reference: Path | None = None, region: str | None = None,
                        areas_file: Path | None = None, caseload_file: Path | None = None,
                        ) -> tuple[pd.DataFrame, list[str]]:
    """The published estimates table for the chosen areas (``queries``, a ``region`` or an
    ``areas_file``; all 175 when none is given), with caseloads set as for a build: ``caseload`` for
    the one area given, or the analyst's ``caseload_file`` (areas it lacks are modelled), and notes
    on areas that could not be estimated. ``reference``: a researcher's own reference folder."""
    from ..config import own_reference_dir, reference_folder

    with reference_folder(reference or own_reference_dir()):
        return _estimates(queries, data_dir=data_dir, caseload=caseload, region=region, areas_file=areas_file,
                          caseload_file=caseload_file)


def _estimates(queries, *, data_dir, caseload, region, areas_file, caseload_file) -> tuple[pd.DataFrame, list[str]]:
    from ..config import data_dir as resolve_data_dir
    from ..load.areas import code_changes, load_areas
    from .selection import choose_areas

    data_path = resolve_data_dir(data_dir)
    areas = load_areas(data_path)
    changes = code_changes()
    chosen = (areas if queries is None and region is None and areas_file is None
              else choose_areas(areas, changes, codes=queries, region=region, areas_file=areas_file))
    if caseload is not None and len(chosen) != 1:
        raise EstimateInputError("--caseload applies to one area; give exactly one --area with it")
    codes = list(chosen["area_code"])
    reference = load_reference()
    given = {codes[0]: GivenArea(caseload=caseload)} if caseload is not None else {}
    caseloads = area_caseloads(codes, areas=areas, changes=changes, data_dir=data_path,
                               national=reference.caseload, given=given, caseload_file=caseload_file)
    notes = [f"{code}: no adult population in the population file, so no modelled caseload; build it with a "
             "local --caseload" for code in sorted(caseloads.unmodelled)]
    notes += [f"{code}: not estimated: {why}" for code, why in sorted(caseloads.failed.items())]
    evidence = checked_evidence(reference)
    context, _ = context_for_areas(data_path, areas, [c for c in codes if c not in caseloads.unmodelled])
    raw = estimate_table(caseloads.table, evidence, areas[["area_code", "area_name"]])
    estimates = for_publication(with_local_adjustment(raw, caseloads.table, areas, context))
    return estimates, notes
