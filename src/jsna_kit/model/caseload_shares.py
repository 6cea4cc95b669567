"""A published regional caseload shared among the region's areas by adult population alone (the
``population`` model within a region). Pure and vectorised. The candidate models a build uses,
and the band that holds them all, are in ``model.caseload_models``; the old deprivation
sensitivity is replaced by them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError

from .caseload import CASELOAD_COLUMNS, DEFAULT_RELATIVE_UNCERTAINTY


def regional_modelled_caseload(adults: pd.DataFrame, regional: pd.DataFrame, *,
                               relative_uncertainty: float = DEFAULT_RELATIVE_UNCERTAINTY,
                               population_vintage: str = "") -> pd.DataFrame:
    """Each probation region's caseload shared among its areas by adult (18+) population.

    ``adults``: ``area_code, adult_population, probation_region_code``. ``regional``:
    ``probation_region_code, caseload, date`` (one row per region: the latest, as
    ``load.regional_caseload`` gives it). Areas of regions with no row are not returned (the caller
    models them from the national total). The areas of a region sum to its caseload exactly.
    The band is the same assumption as the national model's (``[N / k, N x k]``)."""
    needed = {"area_code", "adult_population", "probation_region_code"}
    if not needed <= set(adults.columns):
        raise EstimateInputError("the adult population table needs area_code, adult_population and "
                                 "probation_region_code to share a regional caseload")
    if not {"probation_region_code", "caseload", "date"} <= set(regional.columns):
        raise EstimateInputError("the regional caseload table needs probation_region_code, caseload and date")
    if regional["probation_region_code"].duplicated().any():
        raise EstimateInputError("the regional caseload table has a region twice; give one row per region")
    population = pd.to_numeric(adults["adult_population"], errors="coerce")
    if (population.isna() | (population <= 0)).any():
        i = int(np.flatnonzero((population.isna() | (population <= 0)).to_numpy())[0])
        raise EstimateInputError(f"area {adults['area_code'].iloc[i]}: adult population "
                                 f"{adults['adult_population'].iloc[i]!r} is not a number above 0")
    k = 1 + float(relative_uncertainty)
    table = adults.assign(adult_population=population).merge(regional, on="probation_region_code", how="inner")
    region_adults = table.groupby("probation_region_code")["adult_population"].transform("sum")
    share = table["adult_population"] / region_adults
    caseload = table["caseload"].astype(float) * share
    of = f" ({population_vintage})" if population_vintage else ""
    basis = [f"modelled: probation region caseload {c:,.0f} ({d}) x this area's {s:.2%} share of the region's "
             f"adult (18+) population{of}; range is the population share divided and multiplied by {k:g} "
             "(an assumption)" for c, d, s in zip(table["caseload"], table["date"], share, strict=True)]
    out = pd.DataFrame({"area_code": table["area_code"].to_numpy(), "sex": "all", "age_band": "all",
                        "caseload": caseload.to_numpy(), "caseload_lower": (caseload / k).to_numpy(),
                        "caseload_upper": (caseload * k).to_numpy(), "caseload_kind": "modelled",
                        "caseload_basis": basis})
    return out.loc[:, list(CASELOAD_COLUMNS)]
