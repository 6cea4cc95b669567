"""Other ways to share a known caseload among areas: by probation region (a published regional
caseload shared among the region's areas by adult population), and the deprivation sensitivity
(how an area's modelled caseload would change if caseloads followed deprivation as well as
population). Pure and vectorised; the national model is ``model.caseload.modelled_caseload``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError

from .caseload import CASELOAD_COLUMNS, DEFAULT_RELATIVE_UNCERTAINTY

#: Share of an area's small areas among its nation's most deprived 10%, by construction 10% for
#: the nation as a whole: the sensitivity's measure of deprivation, relative to this.
NATIONAL_SHARE_MOST_DEPRIVED_10PCT = 10.0

DEPRIVATION_SENSITIVITY = (
    "Sensitivity, not the figure used: if half of the caseload followed adult population alone and half "
    "followed adult population weighted by deprivation (the share of the area's small areas among its own "
    "nation's most deprived tenth, relative to the 10% of the nation as a whole: English Indices of Deprivation "
    "2019, or 2025 for the four areas created since; Welsh Index of Multiple Deprivation 2019), with the same "
    "total.")


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


def deprivation_weight(share_most_deprived_10pct) -> np.ndarray:
    """Weight per adult under the sensitivity: ``(1 + r) / 2`` with ``r`` the area's share of small
    areas among its nation's most deprived 10%, divided by 10% (``r = 1`` for the nation as a
    whole). Unknown shares give weight 1 (population alone)."""
    share = pd.to_numeric(pd.Series(np.atleast_1d(share_most_deprived_10pct)), errors="coerce").to_numpy(float)
    if (share[~np.isnan(share)] < 0).any() or (share[~np.isnan(share)] > 100).any():
        raise EstimateInputError("a share of small areas among the most deprived 10% must be 0 to 100")
    ratio = np.where(np.isnan(share), 1.0, share / NATIONAL_SHARE_MOST_DEPRIVED_10PCT)
    return (1 + ratio) / 2


def deprivation_sensitivity(frame: pd.DataFrame) -> pd.DataFrame:
    """The caseload each area would have if caseloads followed deprivation as well as population.

    ``frame``: one row per area with ``area_code, adult_population, share_most_deprived_10pct``
    (blank where unknown), ``pool`` (the areas sharing one total: ``national`` or a probation
    region) and ``pool_total`` (that total). Within each pool the total is kept:
    ``caseload_i = total x adults_i x w_i / sum(adults x w)`` with ``w = deprivation_weight``.
    Returns ``area_code, caseload_deprivation, deprivation_weight``."""
    needed = {"area_code", "adult_population", "share_most_deprived_10pct", "pool", "pool_total"}
    if not needed <= set(frame.columns):
        raise EstimateInputError("the sensitivity needs " + ", ".join(sorted(needed)))
    weight = deprivation_weight(frame["share_most_deprived_10pct"])
    weighted = frame["adult_population"].astype(float).to_numpy() * weight
    pooled = pd.Series(weighted, index=frame.index).groupby(frame["pool"]).transform("sum").to_numpy()
    caseload = frame["pool_total"].astype(float).to_numpy() * weighted / pooled
    return pd.DataFrame({"area_code": frame["area_code"].to_numpy(), "caseload_deprivation": caseload,
                         "deprivation_weight": weight})
