"""What makes each chapter local, for the chosen areas at once: the adult population (ONS
mid-2023), deprivation (each nation's own index), every candidate model's figure for a modelled
caseload with the band that holds them, and the expected suicides and drug-related deaths a year
among the area's people on probation. Read from the embedded snapshot (``load.snapshot``) and the
area's context indicators; computed by ``model.deaths`` and ``model.caseload_models``; returned as
``chapter.json`` keys.

Every count of people is published by ``model.disclosure.publish_count`` (rounded to 5, fewer
than 5 not shown); expected deaths are estimates, not counts of real deaths, and are given to one
decimal place."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..load.snapshot import (
    POPULATION_VINTAGE,
    WALES,
    WALES_INDICATOR_ID,
    adult_population_table,
    adults_by_area,
    deprivation_table,
    fingertips_snapshot,
    wales_indicators,
)
from ..messages import N_
from ..model.caseload import latest_national_caseload
from ..model.caseload_models import LABELS, area_drivers, model_reasons
from ..model.deaths import approximate_rate_interval, expected_deaths, years_in_period
from ..model.disclosure import publish_count, round_interval
from ..model.rounding import outward

__all__ = ["caseload_totals", "context_sources", "fingertips_snapshot", "local_figures", "national_total"]

ENGLAND = "E92000001"
#: cause -> (Fingertips indicator of the general-population rate, national estimate of the relative risk)
DEATH_CAUSES = {"suicide": (41001, "SP15"), "drug_related": (92432, "SP16")}
CAUSE_WORDS = {"suicide": "suicides", "drug_related": "drug-related deaths"}
#: cause -> Wales's own indicator of the general-population rate (``wales_indicators.csv``), used
#: for Welsh areas: the area's own rate, else Wales's, never England's.
WELSH_DEATH_RATES = {"suicide": WALES_INDICATOR_ID["W-suicide"], "drug_related": WALES_INDICATOR_ID["W-drug-deaths"]}


def _round(value: float, digits: int = 1) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def round_outward(value: float | None, *, down: bool) -> float | None:
    """A range's limit as printed, rounded away from the figure it bounds (``model.rounding.outward``):
    to 0.1, or to 0.01 below 0.1 so a small limit does not print as 0 (0.102 -> 0.1 down, 0.230 -> 0.3
    up, 0.045 -> 0.04 down). A printed range then always holds the range worked out."""
    if value is None or not math.isfinite(value):
        return None
    return outward(value, 1 if abs(value) >= 0.1 else 2, down=down)


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
    """(by (area, indicator): the local rate row; by indicator: its nation's rate row: England's
    for the Fingertips indicators, Wales's for Wales's own, ``WELSH_DEATH_RATES``)."""
    local, england = {}, dict(snapshot_england)
    if context is not None and not context.empty:
        ids = [i for i, _ in DEATH_CAUSES.values()] + list(WELSH_DEATH_RATES.values())
        rows = context[context["indicator_id"].astype(int).isin(ids)]
        for r in rows.to_dict("records"):
            local[(r["area_code"], int(r["indicator_id"]))] = r
            if not pd.isna(r.get("england_value")) and int(r["indicator_id"]) not in england:
                england[int(r["indicator_id"])] = {"value": r["england_value"], "time_period": r["time_period"]}
    return local, england


def _wales_rates() -> dict[int, dict]:
    """Wales's own suicide and drug-death rates (``wales_indicators.csv``'s Wales rows), by indicator."""
    table = wales_indicators()
    rows = table[(table["area_code"] == WALES) & table["indicator_id"].isin(list(WELSH_DEATH_RATES.values()))]
    return {int(r.indicator_id): {"value": r.value, "time_period": r.period, "note": r.note}
            for r in rows.itertuples() if not pd.isna(r.value)}


def expected_deaths_by_area(codes: list[str], published: dict[str, dict], adults: pd.Series, *,
                            context: pd.DataFrame | None, snapshot_england: dict[int, dict],
                            england_adults: float, estimates: pd.DataFrame) -> dict[str, list[dict]]:
    """For each area: the expected suicides and drug-related deaths a year among its people on
    probation (``model.deaths.expected_deaths``), from its published caseload and band. A Welsh
    area uses Wales's own rates (``WELSH_DEATH_RATES``): its own where published, else Wales's
    (``rate_area`` ``local`` or ``wales``), with the rate's caveats as ``rate_note``."""
    local, england = _rates(context, snapshot_england)
    welsh_ids = set(WELSH_DEATH_RATES.values())
    wales_adults = float(adults[[c for c in adults.index if str(c).startswith("W")]].sum())
    if any(str(code).startswith("W") for code in codes):
        england.update(_wales_rates())
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
            wanted = WELSH_DEATH_RATES[cause] if str(code).startswith("W") else indicator
            row = local.get((code, wanted))
            if row is not None and not pd.isna(row.get("value")):
                rate, period = float(row["value"]), str(row["time_period"])
                where, population = "local", float(adults.get(code, np.nan))
                lower, upper = row.get("lower_95"), row.get("upper_95")
                source, note = str(row.get("source") or ""), row.get("value_note")
            elif wanted in england:
                rate, period = float(england[wanted]["value"]), str(england[wanted]["time_period"])
                lower, upper, note = None, None, england[wanted].get("note")
                where, population, source = (("wales", wales_adults, "wales_snapshot") if wanted in welsh_ids else
                                             ("england", england_adults, "snapshot"))
            else:
                continue
            rows.append({"area_code": code, "indicator": wanted, "rate": rate, "period": period, "where": where,
                         "population": population, "lower": lower, "upper": upper, "source": source,
                         "note": note if wanted in welsh_ids and isinstance(note, str) and note else None,
                         **published[code]})
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
                "cause": cause, "cause_words": CAUSE_WORDS[cause], "indicator_id": int(r["indicator"]),
                "rate_per_100000": _round(r["rate"], 2), "rate_lower": _round(r["rate_lower"], 2),
                "rate_upper": _round(r["rate_upper"], 2), "rate_period": r["period"],
                "rate_interval": "published" if has_interval else "approximate",
                "rate_area": r["where"], "rate_source": r["source"],
                "relative_risk": float(risk["value"]), "relative_risk_id": estimate_id,
                "relative_risk_grade": str(risk.get("grade", "")),
                "relative_risk_source": str(risk.get("source_keys", "")).split(";")[0],
                "relative_risk_interval": not (pd.isna(risk.get("ci_lower")) or pd.isna(risk.get("ci_upper"))),
                "caseload": r["caseload"], "caseload_kind": r["caseload_kind"],
                "expected": _round(e["expected"], 1 if e["expected"] >= 0.1 else 2),
                "expected_lower": round_outward(e["expected_lower"], down=True),
                "expected_upper": round_outward(e["expected_upper"], down=False),
                "expected_per_1000": _round(1000 * e["expected"] / r["caseload"], 2) if r["caseload"] else None,
                **({"rate_note": r["note"]} if isinstance(r["note"], str) else {}),
            })
    return out


def age_shares(population: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Each area's adults by age band, as percentages of its adults (one decimal place), and each
    nation's (``England``, ``Wales``): the age structure the chapter's groups section compares."""
    by_band = population.groupby(["area_code", "age_band"])["population"].sum().unstack("age_band")
    nation = by_band.index.str[:1].map({"E": "England", "W": "Wales"})
    frames = pd.concat([by_band, by_band.groupby(nation).sum()])
    shares = frames.div(frames.sum(axis=1), axis=0).mul(100).round(1)
    return {code: {band: float(v) for band, v in row.items()} for code, row in shares.iterrows()}


def local_figures(codes: list[str], totals: pd.DataFrame, *, areas: pd.DataFrame, estimates: pd.DataFrame,
                  context: pd.DataFrame | None, snapshot: pd.DataFrame | None, national_total: float,
                  pools: dict[str, tuple[str, float]] | None = None, models=None) -> dict[str, dict]:
    """``chapter.json`` keys for each area in ``codes``. ``totals``: each area's caseload total row
    (``caseload``, ``caseload_lower``, ``caseload_upper``, ``caseload_kind``), indexed by area code.
    ``estimates``: the reference national estimates (relative risks). ``snapshot``: the Fingertips
    snapshot (England's rates, for Wales). ``pools``: by area, the pool its modelled caseload was
    shared from (``national`` or a probation region code) and that pool's total. ``models``: every
    area's figure under every candidate model (``batch.inputs.AllModelled``), for ``caseload_models``."""
    population = adult_population_table(areas)
    adults = adults_by_area(population).set_index("area_code")["adult_population"]
    deprivation = deprivation_table(areas)
    by_area = _deprivation_rows(deprivation[deprivation["area_code"].isin(codes)])
    ages = age_shares(population)
    total_adults = float(adults.sum())
    england_adults = float(adults[[c for c in adults.index if c.startswith("E")]].sum())
    published = {}
    for code in codes:
        if code not in totals.index:
            continue
        row = totals.loc[code]
        if row["caseload_kind"] == "modelled":
            value, lower, upper = round_interval(row["caseload"], row["caseload_lower"], row["caseload_upper"])
            if not float(lower) > 0:  # a tiny modelled caseload whose band rounds down to 0 (the Isles of
                lower = float(row["caseload_lower"])  # Scilly): its expected deaths need a band above 0
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
    candidates = caseload_candidates(codes, published, models, areas)
    national_rate = 1000 * national_total / total_adults
    out = {}
    for code in codes:
        figures: dict = {"population_vintage": POPULATION_VINTAGE,
                         "deprivation": by_area.get(code, []), "expected_deaths": deaths.get(code, [])}
        if code in adults.index:
            figures["adult_population"] = publish_count(adults[code])
            nation = "Wales" if code.startswith("W") else "England"
            figures["adult_age_shares"] = {"area": ages.get(code, {}), "nation": ages.get(nation, {}),
                                           "nation_name": nation}
            figures["adult_share_pct"] = _round(100 * adults[code] / total_adults, 3)
            figures["national_caseload_per_1000_adults"] = _round(national_rate, 2)
            if code in published and adults[code] > 0:
                figures["caseload_per_1000_adults"] = _round(1000 * published[code]["caseload"] / adults[code], 2)
        if code in candidates:
            figures.update(candidates[code])
        figures["local_sources"] = _sources(code, figures, pools)
        out[code] = figures
    return out


BAND_KIND = "model_envelope"


def caseload_candidates(codes: list[str], published: dict[str, dict], models, areas: pd.DataFrame) -> dict[str, dict]:
    """For each area with a modelled caseload: ``caseload_models`` (every candidate model's figure,
    published, how far it is from the headline and why), ``caseload_drivers`` (how the area stands
    on deprivation and density, ``model.caseload_models.area_drivers``: the why's facts, which a
    Welsh chapter words in Welsh), ``caseload_band`` (what the range is)
    and ``caseload_sensitivity`` (the same two, under the key the chapter's text read before)."""
    if models is None:
        return {}
    table = models.table.set_index("area_code")
    wanted = [c for c in codes if c in table.index and published.get(c, {}).get("caseload_kind") == "modelled"]
    if not wanted:
        return {}
    by_code = areas.set_index("area_code")
    drivers = models.drivers[models.drivers["area_code"].isin(wanted)]
    regions = (dict(zip(areas["probation_region_code"], areas["probation_region_name"], strict=True))
               if "probation_region_name" in areas.columns else None)
    reasons = model_reasons(drivers, names=by_code["area_name"].to_dict(), region_names=regions)
    stands = area_drivers(drivers)
    alternatives = [c for c in table.columns if c.startswith("caseload_alt_")]
    out = {}
    for code in wanted:
        row = table.loc[code]
        headline = float(row["caseload"])
        rows = []
        for column in alternatives:
            value = row[column]
            if pd.isna(value):
                continue
            model = column.removeprefix("caseload_alt_")
            rows.append({"model": model, "label": LABELS[model], "caseload": publish_count(value),
                         "differs_pct": _round(100 * (float(value) / headline - 1), 0) if headline else None,
                         "why": reasons[code][model], "is_headline": model == row["caseload_model"]})
        margin = float(row["caseload_margin"])
        band = {"kind": BAND_KIND, "lower": published[code]["caseload_lower"],
                "upper": published[code]["caseload_upper"], "margin": _round(margin, 2),
                "words": (f"The range runs from the lowest to the highest figure of the {len(rows)} models tried "
                          "(caseloads following adults alone, deprivation, urban concentration, or both), widened "
                          f"by a factor of {margin:.2f} either way for what no model captures (such as Approved "
                          "Premises): a spread of plausible figures, not a confidence interval.")}
        out[code] = {"caseload_models": rows, "caseload_band": band, "caseload_drivers": stands.get(code, {}),
                     "caseload_sensitivity": {"headline_model": str(row["caseload_model"]), "models": rows,
                                              "band": band}}
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
    if deaths and all(r["indicator_id"] in WELSH_DEATH_RATES.values() for r in deaths):
        where = {"the area's own rates" if r["rate_area"] == "local" else "Wales's rates" for r in deaths}
        sources["expected deaths"] = ("general-population death rates from Wales's own published figures ("
                                      + ", ".join(sorted(where)) + "): the suicide rate (ONS, age-standardised, "
                                      "deaths registered 2021-2023) and deaths related to drug poisoning (ONS, crude "
                                      "rate, deaths registered in 2022: a single year, not age-standardised, and "
                                      "wider than England's deaths from drug misuse); relative risks from ONS linked "
                                      "data, 2011-2021")
    elif deaths:
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
NO_WELSH_INDICATORS = N_("No local indicators for the whole population of this Welsh area (published by Public Health "
                       "Wales and StatsWales) were available for this chapter.")
NO_INDICATORS = "No local indicators for the whole population were available for this chapter."
WALES_INDICATORS_NOTE = N_("Wales's own published figures, compared with Wales (without intervals): ONS (suicide rate, "
                         "2021-2023; deaths related to drug poisoning, 2022), the Welsh Government's National Survey "
                         "for Wales (adult smoking, drinking, physical activity and obesity, 2021/22 and 2022/23), "
                         "Public Health Wales (hospital admissions for alcohol, 2023/24) and the Welsh Index of "
                         "Multiple Deprivation 2025 (Welsh Government).")


def context_sources(context: pd.DataFrame | None, country: object) -> dict:
    """Where the chapter's local indicators came from, and what is missing, for ``chapter.json``:
    ``context_source`` (``fingertips_download``, ``snapshot``, both joined by ``+``; for a Welsh
    area ``wales_snapshot``; or ``none``) and ``context_note`` (one sentence for the methods)."""
    if context is None or context.empty:
        return {"context_source": "none",
                "context_note": NO_WELSH_INDICATORS if str(country) == "Wales" else NO_INDICATORS}
    sources = sorted(set(context["source"].dropna()), key=lambda s: s != "fingertips_download")
    note = {"snapshot": "OHID Fingertips, the latest published values (without intervals).",
            "fingertips_download": "OHID Fingertips, downloaded into the data directory (with 95% intervals).",
            "wales_snapshot": WALES_INDICATORS_NOTE}
    return {"context_source": "+".join(sources) or "none", "context_note": " ".join(note[s] for s in sources
                                                                                    if s in note)}
