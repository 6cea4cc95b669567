"""Statistical neighbours: for each upper-tier area, the areas of its own nation most like it, and
where the area stands among them on a measure. Pure and vectorised; no I/O.

Method (the nearest-neighbour distance model of CIPFA's Nearest Neighbours Model and of the DfE
children's services statistical neighbours, Benton et al., NFER 2007): each variable is
standardised within the nation (z-scores: mean 0, standard deviation 1 across that nation's
areas), and the distance between two areas is the weighted Euclidean distance between their
z-scores,

    d(i, j) = sqrt( sum_v w_v (z_iv - z_jv)^2 / sum_v w_v ),

divided by the total weight so that a distance of 1 means the two areas are, on a weighted
average, one standard deviation apart on each variable. Each area's neighbours are the ``k``
others of its nation nearest to it; ties go to the smaller distance, then the smaller area code.
England and Wales are kept apart: their deprivation indices are not on one scale, and a Welsh
area is compared with Wales.

Missing values: a variable missing for every area of a nation, or the same for all of them (the
caseload per adult when none is given: the adult population share gives every area the same
rate), is left out for that nation. An area missing some other variable is compared on the
variables both areas have, their weights rescaled to the full weight (the distance is the same
weighted mean squared difference, over fewer terms); a pair with no variable in common is never
neighbours. The result does not depend on the order of the input rows: the areas are sorted by
code before anything is computed.

See ``docs/statistical_neighbours.md`` for the variables, the weights and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

ENGLAND, WALES = "E92000001", "W92000004"
NATIONS = {"E": "England", "W": "Wales"}
NATION_CODES = {"England": ENGLAND, "Wales": WALES}

#: Fingertips indicator 94240: IMD 2025 average score of each English upper-tier area.
IMD_2025_INDICATOR = 94240
WELSH_INDEX = "WIMD2025"

#: The variables compared and their weights (see docs/statistical_neighbours.md). Deprivation and
#: the caseload per adult count twice: they are what a probation caseload's size and health most
#: depend on. The two age shares together describe one thing, the age structure.
WEIGHTS: dict[str, float] = {
    "log_adults": 1.0,
    "share_18_34": 0.75,
    "share_65_plus": 0.75,
    "deprivation": 2.0,
    "log_density": 1.0,
    "caseload_per_1000_adults": 2.0,
}
#: Neighbours per area: 10 in England (as the DfE model; 153 areas), 5 in Wales (22 areas: a
#: quarter of the others, so that the neighbours are still the areas most like it).
NEIGHBOUR_COUNTS: dict[str, int] = {"England": 10, "Wales": 5}

FEATURE_COLUMNS = ("area_code", "nation", "adult_population", "adults_per_sq_km", *WEIGHTS)
NEIGHBOUR_COLUMNS = ("area_code", "neighbour_code", "rank", "distance")


def nation_of(codes: pd.Series) -> pd.Series:
    """``England`` or ``Wales`` from a GSS code's first letter."""
    nation = codes.astype(str).str[:1].map(NATIONS)
    if nation.isna().any():
        bad = codes[nation.isna()].iloc[0]
        raise ValueError(f"area code {bad!r} is neither English (E...) nor Welsh (W...)")
    return nation


def _by_area(values: pd.DataFrame | pd.Series | None, column: str, name: str) -> pd.Series | None:
    """A table (``area_code`` and ``column``) or a Series indexed by area code, as a Series."""
    if values is None:
        return None
    if isinstance(values, pd.DataFrame):
        missing = [c for c in ("area_code", column) if c not in values.columns]
        if missing:
            raise ValueError(f"{name} needs the column(s) {', '.join(missing)}")
        values = values.set_index("area_code")[column]
    if values.index.duplicated().any():
        raise ValueError(f"{name} has area {values.index[values.index.duplicated()][0]!r} more than once")
    return pd.to_numeric(values, errors="coerce").astype(float)


def deprivation_scores(deprivation: pd.DataFrame, fingertips: pd.DataFrame) -> pd.DataFrame:
    """Each area's deprivation on its own nation's measure, higher = more deprived:
    ``area_code, deprivation_score, measure``.

    England: the IMD 2025 average score (Fingertips indicator 94240, every current upper-tier
    area). Wales: WIMD 2025, which publishes ranks only, so the mean rank of the area's small
    areas (LSOAs) turned into a percentage, 100 x (1 - mean rank / LSOAs in Wales): 0 would be
    every LSOA the least deprived in Wales. ``deprivation`` is ``load.snapshot.deprivation_table``,
    ``fingertips`` is ``load.snapshot.fingertips_snapshot``."""
    imd = fingertips.loc[(fingertips["indicator_id"] == IMD_2025_INDICATOR)
                         & (fingertips["area_code"].astype(str).str[:1] == "E")
                         & (fingertips["area_code"] != ENGLAND), ["area_code", "value"]]
    england = pd.DataFrame({"area_code": imd["area_code"].to_numpy(), "deprivation_score": imd["value"].to_numpy(),
                            "measure": "IMD 2025 average score"})
    wimd = deprivation.loc[deprivation["index_name"] == WELSH_INDEX]
    lsoas = wimd["small_areas"].sum()
    wales = pd.DataFrame({"area_code": wimd["area_code"].to_numpy(),
                          "deprivation_score": (100 * (1 - wimd["mean_small_area_rank"] / lsoas)).to_numpy(),
                          "measure": "WIMD 2025 mean LSOA rank, as % from the least deprived"})
    return pd.concat([england, wales], ignore_index=True).sort_values("area_code", ignore_index=True)


def neighbour_features(adults: pd.DataFrame, deprivation_score: pd.DataFrame | pd.Series,
                       land: pd.DataFrame | pd.Series,
                       caseload_per_adult: pd.DataFrame | pd.Series | None = None) -> pd.DataFrame:
    """One row per area of ``adults``, sorted by code: ``area_code, nation, adult_population,
    adults_per_sq_km`` and the compared variables ``log_adults`` (natural log of adults 18+),
    ``share_18_34``, ``share_65_plus`` (proportions of adults), ``deprivation`` (the nation's own
    measure, ``deprivation_scores``), ``log_density`` (log adults per km² of land) and
    ``caseload_per_1000_adults`` (blank when not given).

    ``adults``: ``area_code, age_band, population`` by sex and age band
    (``load.snapshot.adult_population_table``); ``deprivation_score``: ``area_code,
    deprivation_score`` or a Series by area code; ``land``: ``area_code, land_sq_km``
    (``load.snapshot.area_land_table``) or a Series; ``caseload_per_adult``: ``area_code,
    caseload_per_1000_adults`` or a Series (the batch passes the headline modelled caseload per
    1,000 adults). An area missing from one of these has that variable blank."""
    missing = [c for c in ("area_code", "age_band", "population") if c not in adults.columns]
    if missing:
        raise ValueError(f"adults needs the column(s) {', '.join(missing)}")
    by_band = adults.pivot_table(index="area_code", columns="age_band", values="population", aggfunc="sum",
                                 fill_value=0).sort_index().astype(float)
    total = by_band.sum(axis=1)
    if (total <= 0).any():
        raise ValueError(f"area {total.index[total <= 0][0]!r} has no adults")
    young = by_band.reindex(columns=["18-24", "25-34"], fill_value=0).sum(axis=1)
    old = by_band.reindex(columns=["65+"], fill_value=0).sum(axis=1)
    codes = total.index
    deprivation = _by_area(deprivation_score, "deprivation_score", "deprivation_score")
    land_km = _by_area(land, "land_sq_km", "land")
    land_km = land_km.where(land_km > 0).reindex(codes)
    density = total / land_km
    caseload = _by_area(caseload_per_adult, "caseload_per_1000_adults", "caseload_per_adult")
    frame = pd.DataFrame({
        "area_code": codes.astype(str),
        "nation": nation_of(pd.Series(codes, index=codes)).to_numpy(),
        "adult_population": total.to_numpy(),
        "adults_per_sq_km": density.to_numpy(),
        "log_adults": np.log(total.to_numpy()),
        "share_18_34": (young / total).to_numpy(),
        "share_65_plus": (old / total).to_numpy(),
        "deprivation": deprivation.reindex(codes).to_numpy(),
        "log_density": np.log(density.to_numpy()),
        "caseload_per_1000_adults": (caseload.reindex(codes).to_numpy() if caseload is not None
                                     else np.full(len(codes), np.nan)),
    })
    return frame.reset_index(drop=True)


def standardise(features: pd.DataFrame, variables: Sequence[str]) -> pd.DataFrame:
    """Z-scores of ``variables`` within each nation (population standard deviation, over the
    areas that have a value); a variable with no spread in a nation is blank there."""
    grouped = features.groupby("nation")[list(variables)]
    mean, sd = grouped.transform("mean"), grouped.transform(lambda s: s.std(ddof=0))
    return (features[list(variables)] - mean) / sd.where(sd > 0)


def _distances(z: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted Euclidean distances between the rows of ``z`` (areas x variables), over the
    variables each pair both has, rescaled by the weight those variables carry; NaN where a pair
    has none in common (and on the diagonal)."""
    present = ~np.isnan(z)
    filled = np.where(present, z, 0.0)
    both = present[:, None, :] & present[None, :, :]
    squared = np.where(both, (filled[:, None, :] - filled[None, :, :]) ** 2, 0.0)
    weight_used = (both * weights).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.sqrt((squared * weights).sum(axis=2) / weight_used)
    distance[weight_used == 0] = np.nan
    np.fill_diagonal(distance, np.nan)
    return distance


def statistical_neighbours(features: pd.DataFrame, *, k: int | Mapping[str, int] = NEIGHBOUR_COUNTS,
                           weights: Mapping[str, float] = WEIGHTS) -> pd.DataFrame:
    """Each area's ``k`` nearest areas of its own nation: ``area_code, neighbour_code, rank``
    (1 = nearest) ``, distance``, sorted by area code and rank.

    ``features``: ``neighbour_features`` (any row order); ``k``: one number, or one per nation
    (``NEIGHBOUR_COUNTS``); a nation with fewer areas gives each all the others. ``weights``:
    variable -> weight (``WEIGHTS``); variables with weight 0 are ignored."""
    if features["area_code"].duplicated().any():
        raise ValueError(f"area {features.loc[features['area_code'].duplicated(), 'area_code'].iloc[0]!r} "
                         "has more than one row of features")
    variables = [v for v, w in weights.items() if w > 0]
    missing = [v for v in ["area_code", "nation", *variables] if v not in features.columns]
    if missing:
        raise ValueError(f"features need the column(s) {', '.join(missing)}")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must be 0 or more")
    ordered = features.sort_values("area_code", ignore_index=True)
    z = standardise(ordered, variables)
    parts = []
    for nation, rows in ordered.groupby("nation", sort=True):
        count = k.get(nation, 0) if isinstance(k, Mapping) else int(k)
        if count <= 0:
            continue
        block = z.loc[rows.index].to_numpy(dtype=float)
        used = ~np.isnan(block).all(axis=0)  # a variable blank (or flat) for the whole nation is left out
        distance = _distances(block[:, used], np.array([weights[v] for v in variables], dtype=float)[used])
        codes = rows["area_code"].to_numpy()
        i, j = np.nonzero(~np.isnan(distance))
        pairs = pd.DataFrame({"area_code": codes[i], "neighbour_code": codes[j],
                              "distance": distance[i, j].round(12)})
        # Rounded so that float noise can never decide a tie; then distance, then code.
        pairs = pairs.sort_values(["area_code", "distance", "neighbour_code"], ignore_index=True)
        pairs["rank"] = pairs.groupby("area_code").cumcount() + 1
        parts.append(pairs[pairs["rank"] <= count])
    if not parts:
        return pd.DataFrame(columns=list(NEIGHBOUR_COLUMNS))
    result = pd.concat(parts, ignore_index=True).sort_values(["area_code", "rank"], ignore_index=True)
    return result[list(NEIGHBOUR_COLUMNS)]


def standing_among_neighbours(values: pd.DataFrame, area_code: str, neighbour_codes: Sequence[str]) -> pd.DataFrame:
    """Where an area stands among itself and its neighbours on each indicator of ``values``
    (``area_code, indicator_name, value, polarity, unit``; rows of other areas, and the nation's,
    may be there too): one row per indicator the area has a value for, in the order first seen,

    ``indicator_name, polarity, unit, value, position`` (1 = highest value; tied values share the
    higher position), ``position_from_lowest`` (1 = lowest), ``joint`` (another area has the same
    value), ``compared`` (areas with a
    value, the area included), ``lowest, highest`` (among the neighbours with a value),
    ``neighbours_compared``, ``nation_value``."""
    nation = NATION_CODES[nation_of(pd.Series([area_code])).iloc[0]]
    group = [area_code, *[c for c in dict.fromkeys(neighbour_codes) if c != area_code]]
    wanted = {*group, nation}
    # One pass over the rows (a chapter's table is a few hundred rows): by indicator, each area's
    # first figure, and the indicator's first row for its polarity and unit.
    first_row: dict[str, dict] = {}
    figures: dict[str, dict[str, float]] = {}
    kept = values.loc[values["area_code"].isin(wanted)]
    for r in kept.assign(value=pd.to_numeric(kept["value"], errors="coerce")).to_dict("records"):
        name = r["indicator_name"]
        first_row.setdefault(name, r)
        if not pd.isna(r["value"]):
            figures.setdefault(name, {}).setdefault(r["area_code"], float(r["value"]))
    order = list(dict.fromkeys(values["indicator_name"]))
    rows = []
    for name in order:
        these = figures.get(name, {})
        if area_code not in these:
            continue
        value = these[area_code]
        others = np.array([these[c] for c in group[1:] if c in these], dtype=float)
        first = first_row[name]
        rows.append({
            "indicator_name": name, "polarity": str(first.get("polarity") or "no_judgement"),
            "unit": str(first.get("unit") or ""), "value": value,
            "position": 1 + int((others > value).sum()),
            "position_from_lowest": 1 + int((others < value).sum()), "joint": bool((others == value).any()),
            "compared": 1 + len(others),
            "lowest": float(others.min()) if len(others) else np.nan,
            "highest": float(others.max()) if len(others) else np.nan,
            "neighbours_compared": len(others),
            "nation_value": these.get(nation, np.nan),
        })
    return pd.DataFrame(rows, columns=["indicator_name", "polarity", "unit", "value", "position",
                                       "position_from_lowest", "joint",
                                       "compared", "lowest", "highest", "neighbours_compared", "nation_value"])


def neighbours_from_tables(adults: pd.DataFrame, deprivation: pd.DataFrame, fingertips: pd.DataFrame,
                           land: pd.DataFrame, caseload_per_1000: pd.Series | None = None) -> pd.DataFrame:
    """Every area's statistical neighbours from the embedded tables as ``load.snapshot`` gives them
    (adults by area, sex and age band; deprivation; the Fingertips snapshot; land area) and, when
    given, the modelled caseload per 1,000 adults by area code: ``statistical_neighbours``' table."""
    rate = None if caseload_per_1000 is None or caseload_per_1000.empty else pd.DataFrame(
        {"area_code": caseload_per_1000.index, "caseload_per_1000_adults": caseload_per_1000.to_numpy()})
    return statistical_neighbours(neighbour_features(adults, deprivation_scores(deprivation, fingertips), land,
                                                     caseload_per_adult=rate))


def caseload_rate(caseloads: pd.Series, adults: pd.DataFrame) -> pd.Series:
    """Caseloads (by area code) per 1,000 adults, by area code, and each nation's rate (its areas'
    caseloads over their adults, under its ``NATION_CODES`` code). ``adults``: by area, sex and age
    band (``area_code``, ``population``), as ``load.snapshot.adult_population_table`` gives them."""
    caseloads = pd.to_numeric(caseloads, errors="coerce").dropna()
    per_area = adults.groupby("area_code")["population"].sum()
    rate = (1000 * caseloads / per_area.reindex(caseloads.index)).dropna()
    for code in NATION_CODES.values():
        members = [c for c in rate.index if c.startswith(code[:1])]
        if members:
            rate[code] = 1000 * caseloads[members].sum() / per_area[members].sum()
    return rate
