"""Candidate models of each area's probation caseload, and the band that holds them all.

No table publishes people on probation by local authority (the Ministry of Justice counts them by
home address only on request: written answer on Sherwood Forest, 2024, ``PQ_SHERWOOD``), so a
chapter without a local figure models it. Every model here shares a known total (the national
caseload, or a probation region's when a regional caseload file is given) among the areas of its
pool in proportion to adults x a weight:

    caseload_i = T_pool x A_i x w_i / sum over the pool (A_j x w_j)

with ``A`` the adults (18+, ONS mid-2023) and ``w`` the model's weight per adult:

- ``population``: ``w = 1`` (the area's share of adults; the kit's model until 2026);
- ``deprivation``: ``w = (D / D_nation) ^ a``, ``D`` the area's deprivation on its own nation's
  index: in England the IMD 2025 average score (Fingertips indicator 94240; ``D_nation`` England's
  21.81); in Wales a score-like transform of the mean WIMD 2025 rank of the area's small areas
  (``wales_deprivation_score``; ``D_nation`` the adult-weighted mean over Wales, so that, as in
  England, the nation's adults average a ratio of 1). Indices are never compared across nations:
  each nation's areas are measured against their own nation;
- ``urban``: ``w = (density / national density) ^ b``, density = adults per km² of land (ONS
  December 2023 boundaries), national density that of England and Wales together;
- ``deprivation_urban``: both weights multiplied;
- ``regional`` (only when a regional caseload file is given): the headline model's weights, but
  each probation region's published total shared among its own areas.

Why these drivers. Convictions, and so supervision, are concentrated in deprived and urban
neighbourhoods, and the Ministry of Justice counts people on probation by home address
(``PQ_SHERWOOD``), so an area's caseload follows where deprived adults live; the 12-14% with no
fixed or recorded address are mostly supervised in towns and cities. Approved Premises and
prison-release hubs concentrate people further; no published table allows that to be modelled.

Exponents. Fitted, by least squares on the log scale, only when at least ``MIN_FIGURES_TO_FIT``
real local figures comparable with the model exist (``benchmarks/caseload_validation.py``).
Until then they are set by judgement, said as such: ``a = 1`` (an area whose average deprivation
score is twice its nation's has twice as many people on probation per adult: proportionality,
the simplest dose-response, with no evidence for a steeper or flatter one) and ``b = 0.1`` (a
gentle urban gradient: the densest London boroughs, about 50 times the national density, get
1.45 times their population share, the sparsest rural areas about 0.75 times). The headline is
``deprivation``: against the real figures found (``data/reference/caseload_validation.csv``; five
comparisons, too few to fit) it was the closest, with a median absolute log error of 0.06 against
0.16 for population alone. ``docs/caseload_models.md`` has the result.

The band. The chapter's range is the envelope of every candidate's figure for the area (so no
alternative model lies outside it: 0 of 175 by construction), widened by ``x/÷ margin``: the
median absolute log error against real figures when there are enough, otherwise the median over
areas of the largest disagreement between the headline and any other model (``band_margin``), so
that an area where the models happen to agree is not given false precision.

Pure, vectorised, no I/O: every area at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError

from .caseload import CASELOAD_COLUMNS

MODELS: tuple[str, ...] = ("population", "deprivation", "urban", "deprivation_urban")
REGIONAL = "regional"
LABELS = {"population": "adult population", "deprivation": "adult population weighted by deprivation",
          "urban": "adult population weighted by urban concentration",
          "deprivation_urban": "adult population weighted by deprivation and urban concentration",
          REGIONAL: "probation region's published caseload"}

#: ``a``: elasticity of caseload per adult with the area's deprivation relative to its nation's.
DEPRIVATION_EXPONENT = 1.0
#: ``b``: elasticity of caseload per adult with adults per km² relative to England and Wales's.
DENSITY_EXPONENT = 0.1
#: The figure a chapter leads with (see docs/caseload_models.md for why).
HEADLINE_MODEL = "deprivation"
#: Real local figures needed before the exponents are fitted and the band's margin is their error.
MIN_FIGURES_TO_FIT = 10

#: Slope of log(IMD 2025 average score) on the IMD 2025 mean small-area rank as a fraction of
#: England's 33,755 LSOAs, over the 132 English unitary areas (least squares; r = 0.97): used to
#: turn Wales's mean WIMD rank into a score-like measure on the same kind of scale.
RANK_TO_SCORE_SLOPE = 2.55
ENGLAND_LSOAS_2025 = 33_755

DRIVER_COLUMNS = ("area_code", "nation", "adult_population", "deprivation", "deprivation_ratio", "density",
                  "density_ratio", "probation_region_code")


def wales_deprivation_score(mean_small_area_rank, small_areas_ranked: float) -> np.ndarray:
    """A score-like deprivation measure for a Welsh area: ``exp(s x q)``, with
    ``q = 1 - mean_rank / (N + 1)`` the mean WIMD deprivation percentile of its small areas (rank 1
    = most deprived of ``N``, so higher ``q`` is more deprived) and ``s = RANK_TO_SCORE_SLOPE``.

    Why. WIMD publishes ranks, not a score that averages over an area. The share of small areas in
    the most deprived 10% or 20% counts only the tail (0 for Monmouthshire, and it jumps with one
    small area in a small county); the mean rank uses every small area, but ranks are uniform while
    deprivation scores are skewed, so a mean rank understates how far a deprived area is from the
    average. In England, where both exist, log(IMD average score) is close to linear in the mean
    rank percentile (slope 2.55, r = 0.97 over 132 areas): the same transform puts Wales's areas on
    a scale like England's IMD score, and only ratios within Wales are then used."""
    rank = pd.to_numeric(pd.Series(np.atleast_1d(mean_small_area_rank)), errors="coerce").to_numpy(float)
    q = 1 - rank / (float(small_areas_ranked) + 1)
    return np.exp(RANK_TO_SCORE_SLOPE * q)


def caseload_drivers(adults: pd.DataFrame, *, areas: pd.DataFrame, deprivation: pd.DataFrame,
                     fingertips: pd.DataFrame, land: pd.DataFrame) -> pd.DataFrame:
    """One row per area of ``adults`` with what drives the models (``DRIVER_COLUMNS``).

    ``adults``: ``area_code, adult_population`` (``load.snapshot.adults_by_area``); ``areas``: the
    area list (``country``, ``probation_region_code``); ``deprivation``: ``load.snapshot.deprivation_table``;
    ``fingertips``: ``load.snapshot.fingertips_snapshot`` (indicator 94240, IMD 2025 average score,
    for English areas and England); ``land``: ``load.snapshot.area_land_table``. An area whose
    deprivation is unknown gets ratio 1 (its nation's average), so it falls back to population."""
    frame = adults[["area_code", "adult_population"]].copy()
    frame["adult_population"] = frame["adult_population"].astype(float)
    by_code = areas.set_index("area_code")
    frame["nation"] = frame["area_code"].map(by_code["country"]) if "country" in by_code else np.where(
        frame["area_code"].str.startswith("W"), "Wales", "England")
    frame["nation"] = frame["nation"].fillna(pd.Series(np.where(frame["area_code"].str.startswith("W"), "Wales",
                                                                "England"), index=frame.index))
    frame["probation_region_code"] = frame["area_code"].map(by_code.get("probation_region_code", pd.Series(dtype=str)))

    scores = fingertips[fingertips["indicator_id"].astype(int) == 94240].set_index("area_code")["value"].astype(float)
    england_score = float(scores.get("E92000001", np.nan))
    wimd = deprivation[deprivation["index_name"] == "WIMD2025"].set_index("area_code")
    welsh = wales_deprivation_score(wimd["mean_small_area_rank"], float(wimd["small_areas"].sum()))
    welsh = pd.Series(welsh, index=wimd.index)
    is_wales = (frame["nation"] == "Wales").to_numpy()
    score = np.where(is_wales, frame["area_code"].map(welsh), frame["area_code"].map(scores)).astype(float)
    in_wales = is_wales & ~np.isnan(score)
    wales_mean = (np.average(score[in_wales], weights=frame["adult_population"].to_numpy()[in_wales])
                  if in_wales.any() else np.nan)
    ratio = np.where(is_wales, score / wales_mean, score / england_score)
    frame["deprivation"] = score
    frame["deprivation_ratio"] = np.where(np.isfinite(ratio) & (ratio > 0), ratio, 1.0)

    land_km2 = frame["area_code"].map(land.set_index("area_code")["land_sq_km"].astype(float)).to_numpy(float)
    density = frame["adult_population"].to_numpy() / land_km2
    national = frame["adult_population"].sum() / np.nansum(land_km2)
    frame["density"] = density
    frame["density_ratio"] = np.where(np.isfinite(density) & (density > 0), density / national, 1.0)
    return frame.loc[:, list(DRIVER_COLUMNS)]


def model_weights(drivers: pd.DataFrame, *, deprivation_exponent: float = DEPRIVATION_EXPONENT,
                  density_exponent: float = DENSITY_EXPONENT) -> pd.DataFrame:
    """Each model's weight per adult for every area (columns ``MODELS``), indexed like ``drivers``."""
    deprived = drivers["deprivation_ratio"].astype(float).to_numpy() ** deprivation_exponent
    urban = drivers["density_ratio"].astype(float).to_numpy() ** density_exponent
    return pd.DataFrame({"population": 1.0, "deprivation": deprived, "urban": urban,
                         "deprivation_urban": deprived * urban}, index=drivers.index)


def share_pool(adults, weight, pool, totals) -> np.ndarray:
    """``T_pool x A x w / sum_pool(A x w)`` for every area: each pool's total shared among its
    areas in proportion to adults x weight (``totals``: by pool, its total). Areas of a pool with
    no total get NaN."""
    weighted = pd.Series(np.asarray(adults, float) * np.asarray(weight, float))
    pool = pd.Series(np.asarray(pool, object))
    pooled = weighted.groupby(pool).transform("sum").to_numpy()
    total = pool.map(totals).astype(float).to_numpy()
    return total * weighted.to_numpy() / pooled


def band_margin(figures: pd.DataFrame, headline: str) -> float:
    """The median over areas of the largest factor by which any candidate differs from the
    headline: ``exp(median_i max_m |log(c_im / c_i,headline)|)``, the typical disagreement between
    the models, used to widen the band when too few real figures exist to measure the error."""
    logs = np.log(figures.to_numpy(float) / figures[[headline]].to_numpy(float))
    return float(np.exp(np.nanmedian(np.nanmax(np.abs(logs), axis=1))))


def modelled_caseloads(drivers: pd.DataFrame, pool_totals: dict[str, float], *, headline: str = HEADLINE_MODEL,
                       margin: float | None = None, deprivation_exponent: float = DEPRIVATION_EXPONENT,
                       density_exponent: float = DENSITY_EXPONENT, dates: dict[str, str] | None = None,
                       population_vintage: str = "") -> pd.DataFrame:
    """Every candidate's caseload for every area of ``drivers``, and the headline with its band.

    ``pool_totals``: ``{"national": T}`` and, when a regional caseload file is given, each of its
    probation regions' totals by region code (then the ``regional`` model: the headline's weights
    within each region; the headline figure of an area whose region is given is the regional one).
    ``margin``: the band's factor beyond the envelope (``None``: ``band_margin``). ``dates``: by
    pool, the date of its total (for the basis sentence).

    Returns ``CASELOAD_COLUMNS`` (sex and age band ``all``) plus ``caseload_model`` (the headline's
    name, ``regional`` where a region's total was shared), ``caseload_pool`` (``national`` or the
    region code), ``caseload_margin`` and one ``caseload_alt_<model>`` per candidate. The band,
    ``caseload_lower``/``caseload_upper``, is ``[min_m c_m / margin, max_m c_m x margin]``."""
    if headline not in MODELS:
        raise EstimateInputError(f"unknown caseload model {headline!r}: use one of {', '.join(MODELS)}")
    if "national" not in pool_totals:
        raise EstimateInputError("the caseload models need the national total (pool 'national')")
    missing = [c for c in DRIVER_COLUMNS if c not in drivers.columns]
    if missing:
        raise EstimateInputError("the caseload drivers table is missing " + ", ".join(missing))
    adults = drivers["adult_population"].astype(float).to_numpy()
    if not (np.isfinite(adults) & (adults > 0)).all():
        bad = drivers["area_code"].iloc[int(np.flatnonzero(~(np.isfinite(adults) & (adults > 0)))[0])]
        raise EstimateInputError(f"area {bad}: adult population must be a number above 0")
    weights = model_weights(drivers, deprivation_exponent=deprivation_exponent, density_exponent=density_exponent)
    figures = pd.DataFrame({m: share_pool(adults, weights[m], np.repeat("national", len(drivers)), pool_totals)
                            for m in MODELS}, index=drivers.index)
    region = drivers["probation_region_code"].astype(object)
    in_given_region = region.isin([p for p in pool_totals if p != "national"]).to_numpy()
    caseload = figures[headline].to_numpy().copy()
    model = np.repeat(headline, len(drivers)).astype(object)
    pool = np.repeat("national", len(drivers)).astype(object)
    if in_given_region.any():
        by_region = share_pool(adults, weights[headline], region.where(in_given_region, "national"), pool_totals)
        figures[REGIONAL] = np.where(in_given_region, by_region, figures[headline])
        caseload = figures[REGIONAL].to_numpy().copy()
        model[in_given_region] = REGIONAL
        pool[in_given_region] = region[in_given_region]
    factor = float(margin) if margin is not None else band_margin(figures, headline)
    lower = figures.min(axis=1).to_numpy() / factor
    upper = figures.max(axis=1).to_numpy() * factor
    dates = dates or {}
    of = f" ({population_vintage})" if population_vintage else ""
    basis = [_basis(p, pool_totals[p], dates.get(p), m, headline, factor, of) for p, m in zip(pool, model, strict=True)]
    out = pd.DataFrame({"area_code": drivers["area_code"].to_numpy(), "sex": "all", "age_band": "all",
                        "caseload": caseload, "caseload_lower": lower, "caseload_upper": upper,
                        "caseload_kind": "modelled", "caseload_basis": basis, "caseload_model": model,
                        "caseload_pool": pool, "caseload_margin": factor})
    for name in figures.columns:
        out[f"caseload_alt_{name}"] = figures[name].to_numpy()
    return out.loc[:, [*CASELOAD_COLUMNS, *[c for c in out.columns if c not in CASELOAD_COLUMNS]]]


def _basis(pool: str, total: float, date: str | None, model: str, headline: str, margin: float, of: str) -> str:
    when = f" ({date})" if date else ""
    what = (f"the national caseload {total:,.0f}{when}" if pool == "national"
            else f"probation region {pool}'s caseload {total:,.0f}{when}")
    return (f"modelled: {what} shared out by {LABELS[headline]}{of}; the range covers every candidate model's "
            f"figure (population, deprivation, urban, both{', regional' if model == REGIONAL else ''}), "
            f"widened by a factor of {margin:.2f} either way")


def area_drivers(drivers: pd.DataFrame) -> dict[str, dict[str, str]]:
    """By area, how it stands on what drives the models, each ``more``, ``less`` or ``about``:
    ``deprivation`` against its nation (10% either way), ``density`` against England and Wales
    (1.5 times either way). ``model_reasons`` words them in English; a Welsh chapter in Welsh."""
    out = {}
    for row in drivers.itertuples(index=False):
        d, u = float(row.deprivation_ratio), float(row.density_ratio)
        out[row.area_code] = {"deprivation": "more" if d >= 1.1 else "less" if d <= 0.9 else "about",
                              "density": "more" if u >= 1.5 else "less" if u <= 0.67 else "about"}
    return out


def model_reasons(drivers: pd.DataFrame, *, names: dict[str, str] | None = None,
                  region_names: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """By area and model, one plain sentence on why that model gives the area a different figure
    from its share of adults (e.g. 'Liverpool is more deprived than most of England')."""
    names, region_names = names or {}, region_names or {}
    stands = area_drivers(drivers)
    out: dict[str, dict[str, str]] = {}
    for row in drivers.itertuples(index=False):
        name = names.get(row.area_code, row.area_code)
        nation = "Wales" if row.nation == "Wales" else "England"
        d, u = stands[row.area_code]["deprivation"], stands[row.area_code]["density"]
        deprived = (f"{name} is more deprived than most of {nation}" if d == "more" else
                    f"{name} is less deprived than most of {nation}" if d == "less" else
                    f"{name} is about as deprived as {nation} as a whole")
        urban = (f"{name} is more densely populated than most of England and Wales" if u == "more" else
                 f"{name} is less densely populated than most of England and Wales" if u == "less" else
                 f"{name} is about as densely populated as England and Wales as a whole")
        region = region_names.get(row.probation_region_code, row.probation_region_code)
        out[row.area_code] = {
            "population": f"Shares the caseload by adults alone: {name} has its share of adults.",
            "deprivation": f"{deprived}.", "urban": f"{urban}.",
            "deprivation_urban": f"{deprived}, and {urban[len(name) + 1:]}.",
            REGIONAL: f"The published caseload of the {region} probation region is shared among its areas.",
        }
    return out
