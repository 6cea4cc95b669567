"""What makes each chapter local, for the chosen areas at once: the adult population (ONS
mid-2023), deprivation (each nation's own index), the deprivation sensitivity of a modelled
caseload, and the expected suicides and drug-related deaths a year among the area's people on
probation. Read from the embedded snapshot (``load.snapshot``) and the area's context indicators;
computed by ``model.deaths`` and ``model.caseload_shares``; returned as ``chapter.json`` keys.

Every count of people is published by ``model.disclosure.publish_count`` (rounded to 5, fewer
than 5 not shown); expected deaths are estimates, not counts of real deaths, and are given to one
decimal place."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..load.snapshot import (
    POPULATION_VINTAGE,
    adult_population_table,
    adults_by_area,
    deprivation_table,
    fingertips_snapshot,
)
from ..model.caseload import latest_national_caseload
from ..model.caseload_shares import DEPRIVATION_SENSITIVITY, deprivation_sensitivity
from ..model.deaths import approximate_rate_interval, expected_deaths, years_in_period
from ..model.disclosure import publish_count, round_interval

__all__ = ["caseload_totals", "context_sources", "fingertips_snapshot", "local_figures", "national_total"]

ENGLAND = "E92000001"
#: cause -> (Fingertips indicator of the general-population rate, national estimate of the relative risk)
DEATH_CAUSES = {"suicide": (41001, "SP15"), "drug_related": (92432, "SP16")}
CAUSE_WORDS = {"suicide": "suicides", "drug_related": "drug-related deaths"}
#: The index the deprivation sensitivity uses in each nation, and the fallback for areas it misses.
SENSITIVITY_INDEX = {"England": ("IoD2019", "IoD2025"), "Wales": ("WIMD2019",)}


def _round(value: float, digits: int = 1) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _sensitivity_share(deprivation: pd.DataFrame, areas: pd.DataFrame) -> pd.Series:
    """Each area's share of small areas among its nation's most deprived 10%, from its nation's
    first index that covers it (England: IoD 2019, else IoD 2025 for areas created since)."""
    shares = {}
    nation_of = dict(zip(areas["area_code"], areas["country"], strict=True))
    by_index = {name: rows.set_index("area_code")["share_most_deprived_10pct"]
                for name, rows in deprivation.groupby("index_name")}
    for code in areas["area_code"]:
        for index in SENSITIVITY_INDEX.get(nation_of.get(code, ""), ()):
            value = by_index.get(index, pd.Series(dtype=float)).get(code)
            if value is not None and not pd.isna(value):
                shares[code] = float(value)
                break
    return pd.Series(shares, dtype=float)


def _deprivation_rows(deprivation: pd.DataFrame) -> dict[str, list[dict]]:
    columns = ["index_name", "nation", "period", "average_score", "rank_of_average_score", "areas_ranked",
               "share_most_deprived_10pct", "share_most_deprived_20pct", "note"]
    out: dict[str, list[dict]] = {}
    for row in deprivation[["area_code", *columns]].itertuples(index=False):
        record = {c: (None if isinstance(v, float) and math.isnan(v) else
                      int(v) if c in ("rank_of_average_score", "areas_ranked") else v)
                  for c, v in zip(columns, row[1:], strict=True)}
        out.setdefault(row.area_code, []).append(record)
    return out


def _rates(context: pd.DataFrame | None, snapshot_england: dict[int, dict]) -> tuple[dict, dict]:
    """(by (area, indicator): the local rate row; by indicator: England's rate row)."""
    local, england = {}, dict(snapshot_england)
    if context is not None and not context.empty:
        ids = [i for i, _ in DEATH_CAUSES.values()]
        rows = context[context["indicator_id"].astype(int).isin(ids)]
        for r in rows.to_dict("records"):
            local[(r["area_code"], int(r["indicator_id"]))] = r
            if not pd.isna(r.get("england_value")) and int(r["indicator_id"]) not in england:
                england[int(r["indicator_id"])] = {"value": r["england_value"], "time_period": r["time_period"]}
    return local, england


def expected_deaths_by_area(codes: list[str], published: dict[str, dict], adults: pd.Series, *,
                            context: pd.DataFrame | None, snapshot_england: dict[int, dict],
                            england_adults: float, estimates: pd.DataFrame) -> dict[str, list[dict]]:
    """For each area: the expected suicides and drug-related deaths a year among its people on
    probation (``model.deaths.expected_deaths``), from its published caseload and band."""
    local, england = _rates(context, snapshot_england)
    risks = estimates.set_index("estimate_id") if "estimate_id" in estimates.columns else pd.DataFrame()
    out: dict[str, list[dict]] = {code: [] for code in codes}
    for cause, (indicator, estimate_id) in DEATH_CAUSES.items():
        if estimate_id not in risks.index or pd.isna(risks.at[estimate_id, "value"]):
            continue
        risk = risks.loc[estimate_id]
        rows = []
        for code in codes:
            if code not in published:
                continue
            row = local.get((code, indicator))
            if row is not None and not pd.isna(row.get("value")):
                rate, period = float(row["value"]), str(row["time_period"])
                where, population = "local", float(adults.get(code, np.nan))
                lower, upper = row.get("lower_95"), row.get("upper_95")
                source = str(row.get("source") or "")
            elif indicator in england:
                rate, period = float(england[indicator]["value"]), str(england[indicator]["time_period"])
                where, population, lower, upper, source = "england", england_adults, None, None, "snapshot"
            else:
                continue
            rows.append({"area_code": code, "rate": rate, "period": period, "where": where, "population": population,
                         "lower": lower, "upper": upper, "source": source, **published[code]})
        if not rows:
            continue
        frame = pd.DataFrame(rows)
        frame["lower"] = pd.to_numeric(frame["lower"], errors="coerce")
        frame["upper"] = pd.to_numeric(frame["upper"], errors="coerce")
        published_interval = frame["lower"].notna() & frame["upper"].notna()
        approx_lo, approx_hi = approximate_rate_interval(frame["rate"], frame["population"].fillna(england_adults),
                                                         [years_in_period(p) for p in frame["period"]])
        frame["rate_lower"] = np.where(published_interval, frame["lower"], approx_lo)
        frame["rate_upper"] = np.where(published_interval, frame["upper"], approx_hi)
        found = expected_deaths(frame["caseload"], frame["rate"], float(risk["value"]),
                                caseload_lower=frame["caseload_lower"], caseload_upper=frame["caseload_upper"],
                                rate_lower=frame["rate_lower"], rate_upper=frame["rate_upper"],
                                rr_lower=risk.get("ci_lower"), rr_upper=risk.get("ci_upper"))
        for r, e, has_interval in zip(frame.to_dict("records"), found.to_dict("records"), published_interval,
                                      strict=True):
            out[r["area_code"]].append({
                "cause": cause, "cause_words": CAUSE_WORDS[cause], "indicator_id": indicator,
                "rate_per_100000": _round(r["rate"], 2), "rate_lower": _round(r["rate_lower"], 2),
                "rate_upper": _round(r["rate_upper"], 2), "rate_period": r["period"],
                "rate_interval": "published" if has_interval else "approximate",
                "rate_area": r["where"], "rate_source": r["source"],
                "relative_risk": float(risk["value"]), "relative_risk_id": estimate_id,
                "relative_risk_grade": str(risk.get("grade", "")),
                "relative_risk_source": str(risk.get("source_keys", "")).split(";")[0],
                "relative_risk_interval": not (pd.isna(risk.get("ci_lower")) or pd.isna(risk.get("ci_upper"))),
                "caseload": r["caseload"], "caseload_kind": r["caseload_kind"],
                "expected": _round(e["expected"]), "expected_lower": _round(e["expected_lower"]),
                "expected_upper": _round(e["expected_upper"]),
                "expected_per_1000": _round(1000 * e["expected"] / r["caseload"], 2) if r["caseload"] else None,
            })
    return out


def local_figures(codes: list[str], totals: pd.DataFrame, *, areas: pd.DataFrame, estimates: pd.DataFrame,
                  context: pd.DataFrame | None, snapshot: pd.DataFrame | None, national_total: float,
                  pools: dict[str, tuple[str, float]] | None = None) -> dict[str, dict]:
    """``chapter.json`` keys for each area in ``codes``. ``totals``: each area's caseload total row
    (``caseload``, ``caseload_lower``, ``caseload_upper``, ``caseload_kind``), indexed by area code.
    ``estimates``: the reference national estimates (relative risks). ``snapshot``: the Fingertips
    snapshot (England's rates, for Wales). ``pools``: by area, the pool its modelled caseload was
    shared from (``national`` or a probation region code) and that pool's total."""
    population = adult_population_table(areas)
    adults = adults_by_area(population).set_index("area_code")["adult_population"]
    deprivation = deprivation_table(areas)
    by_area = _deprivation_rows(deprivation[deprivation["area_code"].isin(codes)])
    total_adults = float(adults.sum())
    england_adults = float(adults[[c for c in adults.index if c.startswith("E")]].sum())
    published = {}
    for code in codes:
        if code not in totals.index:
            continue
        row = totals.loc[code]
        if row["caseload_kind"] == "modelled":
            value, lower, upper = round_interval(row["caseload"], row["caseload_lower"], row["caseload_upper"])
        else:
            value = lower = upper = float(publish_count(row["caseload"]) or 0)
        published[code] = {"caseload": float(value), "caseload_lower": float(lower), "caseload_upper": float(upper),
                           "caseload_kind": str(row["caseload_kind"])}
    snapshot_england = ({} if snapshot is None else
                        {int(r.indicator_id): {"value": r.value, "time_period": r.period}
                         for r in snapshot[snapshot["area_code"] == ENGLAND].itertuples()})
    deaths = expected_deaths_by_area(codes, published, adults, context=context, snapshot_england=snapshot_england,
                                     england_adults=england_adults, estimates=estimates)
    pools = pools or {}
    shares = _sensitivity_share(deprivation, areas)
    pool_of = {code: pools.get(code, ("national", national_total)) for code in adults.index}
    frame = pd.DataFrame({"area_code": adults.index, "adult_population": adults.to_numpy(),
                          "share_most_deprived_10pct": [shares.get(c, np.nan) for c in adults.index],
                          "pool": [pool_of[c][0] for c in adults.index],
                          "pool_total": [pool_of[c][1] for c in adults.index]})
    sensitivity = deprivation_sensitivity(frame).set_index("area_code")
    national_rate = 1000 * national_total / total_adults
    out = {}
    for code in codes:
        figures: dict = {"population_vintage": POPULATION_VINTAGE,
                         "deprivation": by_area.get(code, []), "expected_deaths": deaths.get(code, [])}
        if code in adults.index:
            figures["adult_population"] = publish_count(adults[code])
            figures["adult_share_pct"] = _round(100 * adults[code] / total_adults, 3)
            figures["national_caseload_per_1000_adults"] = _round(national_rate, 2)
            if code in published and adults[code] > 0:
                figures["caseload_per_1000_adults"] = _round(1000 * published[code]["caseload"] / adults[code], 2)
        if code in published and published[code]["caseload_kind"] == "modelled" and code in sensitivity.index:
            figures["caseload_sensitivity"] = {
                "caseload_deprivation": publish_count(sensitivity.at[code, "caseload_deprivation"]),
                "deprivation_weight": _round(sensitivity.at[code, "deprivation_weight"], 3),
                "share_most_deprived_10pct": _round(shares.get(code, np.nan), 2),
                "assumption": DEPRIVATION_SENSITIVITY}
        figures["local_sources"] = _sources(code, figures, pools)
        out[code] = figures
    return out


DEPRIVATION_WORDS = {"IoD2019": "English Indices of Deprivation 2019 (MHCLG)",
                     "IoD2025": "English Indices of Deprivation 2025 (MHCLG)",
                     "WIMD2019": "Welsh Index of Multiple Deprivation 2019 (Welsh Government)",
                     "WIMD2025": "Welsh Index of Multiple Deprivation 2025 (Welsh Government)"}


def _sources(code: str, figures: dict, pools: dict) -> dict[str, str]:
    """Where each local figure in the chapter came from, in words, for its methods section."""
    sources = {"adult population": f"{POPULATION_VINTAGE} (embedded in jsna-kit)"}
    if figures["deprivation"]:
        sources["deprivation"] = "; ".join(DEPRIVATION_WORDS.get(r["index_name"], r["index_name"])
                                           for r in figures["deprivation"])
    pool = pools.get(code, ("national", None))[0]
    sources["modelled caseload"] = ("the national probation caseload (MoJ, Offender Management Statistics)"
                                    if pool == "national" else
                                    f"the caseload of probation region {pool}, from the regional caseload file")
    deaths = figures["expected_deaths"]
    if deaths:
        where = {("England's rate" if r["rate_area"] != "local" else
                  "the Fingertips download" if r["rate_source"] == "fingertips_download" else
                  "jsna-kit's embedded snapshot of Fingertips") for r in deaths}
        sources["expected deaths"] = ("general-population suicide and drug-misuse death rates from OHID Fingertips ("
                                      + ", ".join(sorted(where)) + "); relative risks from ONS linked data, "
                                      "2011-2021")
    return sources


def caseload_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Each area's caseload total row (sex and age band ``all``), indexed by area code."""
    return table[(table["sex"] == "all") & (table["age_band"] == "all")].set_index("area_code")


def national_total(reference) -> float:
    return float(latest_national_caseload(reference.caseload)["value"])


# Said to the chapter's reader; how an analyst adds indicators is in the README.
NO_WELSH_INDICATORS = ("Local indicators for the whole population of Welsh areas (published by Public Health Wales "
                       "and StatsWales) are not yet part of this chapter.")
NO_INDICATORS = "No local indicators for the whole population were available for this chapter."


def context_sources(context: pd.DataFrame | None, country: object) -> dict:
    """Where the chapter's local indicators came from, and what is missing, for ``chapter.json``:
    ``context_source`` (``fingertips_download``, ``snapshot``, both joined by ``+``, or ``none``)
    and ``context_note`` (one sentence for the methods)."""
    if context is None or context.empty:
        return {"context_source": "none",
                "context_note": NO_WELSH_INDICATORS if str(country) == "Wales" else NO_INDICATORS}
    sources = sorted(set(context["source"].dropna()), key=lambda s: s != "fingertips_download")
    note = {"snapshot": "OHID Fingertips, the latest published values (without intervals).",
            "fingertips_download": "OHID Fingertips, downloaded into the data directory (with 95% intervals)."}
    return {"context_source": "+".join(sources) or "none", "context_note": " ".join(note[s] for s in sources
                                                                                    if s in note)}
