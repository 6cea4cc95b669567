"""How many people on probation each area has: a local figure where the analyst has one, otherwise
the national caseload apportioned by adult population, with a stated band of uncertainty.

Every function returns the same tidy columns, one row per area x sex x age_band (``all`` for
totals): ``area_code, sex, age_band, caseload, caseload_lower, caseload_upper, caseload_kind
(local|modelled), caseload_basis`` (a sentence saying where the figure came from).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError

from ..messages import N_

CASELOAD_COLUMNS: tuple[str, ...] = (
    "area_code", "sex", "age_band", "caseload", "caseload_lower", "caseload_upper", "caseload_kind",
    "caseload_basis",
)

#: Default half-width of the modelled caseload band: the interval is [N / 1.5, N x 1.5].
DEFAULT_RELATIVE_UNCERTAINTY = 0.5

NO_FIXED_ADDRESS = N_(
    "About 12-14% of people on probation have no fixed address or no recorded postcode, so no area can be "
    "given for them. The model shares them out with everyone else, in the same proportion: the whole caseload "
    "is divided among the areas, on the assumption that people without a fixed address are spread like the rest "
    "(they still live, and are supervised, somewhere). Leaving them out would make every modelled figure about "
    "13% lower, well inside the range shown.")

#: The caseload model, for Appendix D: three messages a translator sees one by one (the middle one
#: is ``NO_FIXED_ADDRESS``), printed joined by spaces.
CASELOAD_METHOD_PARTS: tuple[str, ...] = (N_(
    "Where no local figure was supplied, the number of people on probation in this area is modelled: "
    "the probation caseload (for England and Wales, or for the probation region when a regional caseload "
    "file is in the data directory) is shared out in proportion to each area's adults (18 and over, ONS "
    "mid-2023 estimates) weighted by its deprivation against its own nation's: the Index of Multiple "
    "Deprivation 2025 average score in England, and in Wales the average rank of the area's small areas in the "
    "Welsh Index of Multiple Deprivation 2025, put on a score-like scale. An area twice as deprived as its "
    "nation is taken to have twice as many people on probation per adult."), NO_FIXED_ADDRESS, N_(
    "Three other models were tried: adults alone, adults weighted by urban concentration (adults per square "
    "kilometre), and both weights together. Against the few real local figures published (a Welsh and a "
    "Yorkshire Probation Delivery Unit, the London region, and the relative sizes of two former probation "
    "areas), the deprivation model was closest (a median error of about 6%, against 18% for adults alone), "
    "but these are too few figures to be sure, so the range shown runs from the lowest to the highest figure "
    "of all four models, widened by their typical disagreement (a factor of about 1.4 either way) for what no"
    " model captures, such as Approved Premises. It is a spread of plausible figures, not a statistical "
    "confidence interval. A caseload from the local Probation Delivery Unit is always better and replaces the"
    " modelled figure."))
CASELOAD_METHOD = " ".join(CASELOAD_METHOD_PARTS)


def _area_label(df: pd.DataFrame, i: int) -> str:
    row = df.iloc[i]
    label = f"area {row['area_code']}"
    if "area_name" in df.columns and isinstance(row["area_name"], str):
        label += f" ({row['area_name']})"
    for col in ("sex", "age_band"):
        if col in df.columns and row[col] != "all":
            label += f", {col} {row[col]}"
    return label


def _numbers(df: pd.DataFrame, column: str, *, allow_zero: pd.Series | None = None) -> pd.Series:
    """``df[column]`` as floats; every value must be a number above 0 (or 0 where ``allow_zero``)."""
    raw = df[column].astype(object)
    numbers = pd.to_numeric(raw, errors="coerce").astype(float)
    zero_ok = allow_zero if allow_zero is not None else pd.Series(False, index=df.index)
    problems = [
        (numbers.isna() & raw.notna(), "is not a number"),
        (numbers.isna(), "is missing"),
        (np.isinf(numbers), "is not a finite number"),
        (numbers < 0, "is negative"),
        ((numbers == 0) & ~zero_ok, "is 0; a caseload must be at least 1 person"),
    ]
    for mask, message in problems:
        if mask.any():
            i = int(np.flatnonzero(mask.to_numpy())[0])
            raise EstimateInputError(f"{_area_label(df, i)}: {column} {raw.iloc[i]!r} {message}")
    return numbers


def _check_area_codes(df: pd.DataFrame, keys: list[str], what: str) -> None:
    if "area_code" not in df.columns:
        raise EstimateInputError(f"the {what} table has no 'area_code' column")
    codes = df["area_code"].astype(object)
    blank = codes.isna() | (codes.astype(str).str.strip() == "")
    if blank.any():
        raise EstimateInputError(f"the {what} table has a row with no area code (row {blank.idxmax()})")
    duplicated = df.duplicated(keys, keep=False)
    if duplicated.any():
        i = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise EstimateInputError(f"{_area_label(df, i)} appears more than once in the {what} table")


def modelled_caseload(
    adult_population: pd.DataFrame,
    national_total: float,
    *,
    total_adult_population: float | None = None,
    relative_uncertainty: float = DEFAULT_RELATIVE_UNCERTAINTY,
    national_date: str | None = None,
    population_vintage: str = "",
) -> pd.DataFrame:
    """National probation caseload apportioned by each area's share of the adult (18+) population.

    ``caseload = national_total x adult_population / total_adult_population``, where the total
    adult population defaults to the sum over the areas given (pass the England and Wales figure
    when only some areas are given).

    Uncertainty. This is not sampling error: the national count is exact, but caseloads are not
    proportional to population. They are concentrated in deprived and urban areas and around
    Approved Premises and prison-release hubs. The 12-14% of people on probation with no fixed or
    recorded address (MoJ written answer, 2024) are shared out with everyone else, pro rata: the
    whole ``national_total`` is divided (``NO_FIXED_ADDRESS``). The band is a
    multiplicative assumption: with ``k = 1 + relative_uncertainty`` the interval is
    ``[N / k, N x k]``, symmetric on the log scale, which suits a ratio that can be too high or too
    low by the same factor. The default ``k = 1.5`` (two-thirds to one and a half times the
    population-share figure) is a judgement meant to cover most areas, not a fitted quantity;
    areas with many Approved Premises beds may lie outside it. Downstream, the synthetic
    estimates treat the band as if it were a 95% interval (see ``model.synthetic``). A local
    caseload replaces this figure whenever one is supplied (``choose_caseload``).
    """
    if not {"area_code", "adult_population"} <= set(adult_population.columns):
        raise EstimateInputError(
            "the adult population table needs the columns area_code and adult_population")
    _check_area_codes(adult_population, ["area_code"], "adult population")
    population = _numbers(adult_population, "adult_population")
    national = _scalar(national_total, "national caseload (national_total)")
    if not np.isscalar(relative_uncertainty) or not relative_uncertainty >= 0:
        raise EstimateInputError(
            f"relative_uncertainty {relative_uncertainty!r} must be 0 or more (0.5 means N/1.5 to N x 1.5)")
    total = population.sum()
    if total_adult_population is not None:
        given = _scalar(total_adult_population, "total adult population")
        if given < total * (1 - 1e-9):
            raise EstimateInputError(
                f"total adult population {given:,.0f} is smaller than the sum of the areas given "
                f"({total:,.0f}); it should be the England and Wales 18+ population")
        total = given

    share = population / total
    caseload = national * share
    k = 1 + float(relative_uncertainty)
    when = f" ({national_date})" if national_date else ""
    of = f" ({population_vintage})" if population_vintage else ""
    basis = [
        f"modelled: national caseload {national:,.0f}{when} x this area's {s:.3%} share of the adult (18+) "
        f"population of England and Wales{of}; range is the population share divided and multiplied by {k:g} "
        "(an assumption)"
        for s in share
    ]
    return pd.DataFrame({
        "area_code": adult_population["area_code"].to_numpy(),
        "sex": "all",
        "age_band": "all",
        "caseload": caseload.to_numpy(),
        "caseload_lower": (caseload / k).to_numpy(),
        "caseload_upper": (caseload * k).to_numpy(),
        "caseload_kind": "modelled",
        "caseload_basis": basis,
    })


def _scalar(value: object, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EstimateInputError(f"{what} {value!r} is not a number") from None
    if not np.isfinite(number) or number <= 0:
        raise EstimateInputError(f"{what} must be a number above 0, not {value!r}")
    return number


def local_caseload(local: pd.DataFrame, *,
                   basis: str = "local figure supplied by the analyst") -> pd.DataFrame:
    """Caseload columns from analyst-supplied counts (``caseload_kind='local'``).

    ``local`` has ``area_code`` and ``caseload``, optionally ``sex`` and ``age_band`` (missing ->
    ``all``) and a ``caseload_basis`` column (otherwise ``basis`` is used for every row). A local
    count is taken as exact, so ``caseload_lower = caseload_upper = caseload``. Totals (sex and
    age_band ``all``) must be at least 1; subgroup rows may be 0.
    """
    if not {"area_code", "caseload"} <= set(local.columns):
        raise EstimateInputError("the local caseload table needs the columns area_code and caseload")
    table = local.copy()
    for col in ("sex", "age_band"):
        table[col] = table[col].astype(object).fillna("all") if col in table.columns else "all"
    _check_area_codes(table, ["area_code", "sex", "age_band"], "local caseload")
    is_subgroup = (table["sex"] != "all") | (table["age_band"] != "all")
    caseload = _numbers(table, "caseload", allow_zero=is_subgroup)
    given_basis = (table["caseload_basis"].astype(object).fillna(basis) if "caseload_basis" in table.columns
                   else pd.Series(basis, index=table.index))
    return pd.DataFrame({
        "area_code": table["area_code"].to_numpy(),
        "sex": table["sex"].to_numpy(),
        "age_band": table["age_band"].to_numpy(),
        "caseload": caseload.to_numpy(),
        "caseload_lower": caseload.to_numpy(),
        "caseload_upper": caseload.to_numpy(),
        "caseload_kind": "local",
        "caseload_basis": given_basis.to_numpy(),
    })


def choose_caseload(local: pd.DataFrame | None, modelled: pd.DataFrame) -> pd.DataFrame:
    """One caseload per area: every local row for areas that have any, modelled rows for the rest.

    Both inputs are outputs of ``local_caseload`` / ``modelled_caseload``. An area is taken whole
    from one source, so a local total is never mixed with modelled subgroups. Areas only in
    ``local`` are kept.
    """
    for name, table in (("local", local), ("modelled", modelled)):
        if table is not None and not set(CASELOAD_COLUMNS) <= set(table.columns):
            missing = ", ".join(c for c in CASELOAD_COLUMNS if c not in table.columns)
            raise EstimateInputError(f"the {name} caseload table is missing columns: {missing}")
    if local is None or local.empty:
        chosen = modelled
    else:
        chosen = pd.concat([local, modelled[~modelled["area_code"].isin(local["area_code"])]],
                           ignore_index=True)
    return chosen.loc[:, list(CASELOAD_COLUMNS)].sort_values(
        ["area_code", "sex", "age_band"], ignore_index=True)


NATIONAL_TOTAL_MEASURE = "total"


def latest_national_caseload(caseload_national: pd.DataFrame) -> pd.Series:
    """The latest national caseload total (``measure`` "total" with a value) of the reference
    table ``caseload_national.csv``: the row, with its ``date`` and ``value``."""
    rows = caseload_national[(caseload_national["measure"] == NATIONAL_TOTAL_MEASURE)
                             & caseload_national["value"].notna()]
    if rows.empty:
        raise EstimateInputError("the national caseload table has no total with a value")
    return rows.sort_values("date").iloc[-1]
