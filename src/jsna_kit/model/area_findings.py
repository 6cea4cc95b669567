"""An area's findings, in the vocabulary the recommendation rules read (``model.recommendations``):
what its own data say that should change which recommendations lead. Pure: every input is a table
or a record the build already made.

Thresholds (the finder's, stated once so a reviewer can change them):

- a local indicator is *worse* (or *better*) than its nation's when its 95% benchmark says so, or,
  with no interval (the embedded snapshot), when it differs by at least ``MARKED`` (20%) in the
  direction its polarity calls worse (better); indicators with no polarity are never judged;
- it is *worse than most similar areas* when it is among the worst third of the area and its
  statistical neighbours (at least ``MIN_NEIGHBOURS`` of them with a value);
- the locally adjusted need is *higher* (*lower*) when the adjusted share is at least 10% above
  (below) the national rate (``present.adjusted`` says "more common" on the same rule);
- the caseload per 1,000 adults is *high* (*low*) at 1.25 times (0.8 times) the nation's or beyond,
  for a counted caseload only (a modelled one is the model's output);
- expected deaths count from 1 a year (``model.recommendations.MIN_EXPECTED_DEATHS``)."""

from __future__ import annotations

import math

import pandas as pd

MARKED = 0.20
MIN_NEIGHBOURS = 4
ADJUSTED_CHANGE = 0.10
CASELOAD_HIGH, CASELOAD_LOW = 1.25, 0.8
FINDING_COLUMNS = ("finding", "value", "comparator", "comparator_value", "indicator", "detail")
#: Each priority area's need as the object of "more likely to have ...", for the rules' reasons.
NEED_OBJECTS = {"mental_health": "a mental illness", "substance_misuse": "a drug or alcohol problem",
                "suicide_prevention": "attempted suicide", "social_care": "needs for care and support",
                "physical_health": "a physical health need (smoking)",
                "learning_disability_autism": "a learning disability or challenge",
                "opd_pathway": "a personality disorder"}


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _judged(polarity: str, value: float, nation: float, benchmark: str) -> str | None:
    """``worse``, ``better`` or None for one indicator against its nation."""
    if benchmark in ("worse", "better"):
        return benchmark
    if polarity not in ("low_is_good", "high_is_good") or not (nation and math.isfinite(value)):
        return None
    change = value / nation - 1
    if abs(change) < MARKED:
        return None
    higher_is_worse = polarity == "low_is_good"
    return "worse" if (change > 0) == higher_is_worse else "better"


def indicator_findings(context: list[dict]) -> list[dict]:
    """``indicator_worse:<id>`` / ``indicator_better:<id>`` from the area's context rows (``england_value``
    holds the nation's value, ``comparator_name`` the nation)."""
    out = []
    for r in context:
        value, nation = _number(r.get("value")), _number(r.get("england_value"))
        judged = _judged(str(r.get("polarity") or ""), value, nation, str(r.get("benchmark_england_95") or ""))
        if judged is None or not math.isfinite(nation):
            continue
        name = str(r.get("indicator_name") or "")
        out.append({"finding": f"indicator_{judged}:{int(r['indicator_id'])}", "value": value,
                    "comparator": str(r.get("comparator_name") or "England"), "comparator_value": nation,
                    "indicator": name[:1].lower() + name[1:] if name[1:2].islower() else name, "detail": ""})
    return out


def neighbour_findings(standing: pd.DataFrame | list[dict] | None, ids_by_name: dict[str, int]) -> list[dict]:
    """``neighbours_worse:<id>`` where the area is among the worst third of itself and its
    neighbours (``model.neighbours.standing_among_neighbours``' rows, as a table or records)."""
    if standing is None or len(standing) == 0:
        return []
    out = []
    for r in (standing.to_dict("records") if isinstance(standing, pd.DataFrame) else standing):
        polarity, compared = str(r.get("polarity")), int(r.get("compared") or 0)
        if polarity not in ("low_is_good", "high_is_good") or compared - 1 < MIN_NEIGHBOURS:
            continue
        from_worst = r["position"] if polarity == "low_is_good" else r["position_from_lowest"]
        if from_worst <= max(1, compared // 3) and r["indicator_name"] in ids_by_name:
            name = str(r["indicator_name"])
            middle = _number(r.get("neighbours_median", r.get("nation_value")))
            out.append({"finding": f"neighbours_worse:{ids_by_name[name]}", "value": float(r["value"]),
                        "comparator": "similar areas", "comparator_value": middle,
                        "indicator": name[:1].lower() + name[1:] if name[1:2].islower() else name,
                        "detail": f"{int(from_worst)} of {compared}"})
    return out


def adjusted_findings(headlines: list[dict]) -> list[dict]:
    """``adjusted_need_higher:<area>`` / ``adjusted_need_lower:<area>`` from the headline rows."""
    out = []
    for r in headlines:
        adjusted, national = _number(r.get("adjusted_pct")), _number(r.get("prevalence_pct"))
        if not (math.isfinite(adjusted) and national):
            continue
        change = adjusted / national - 1
        if abs(change) >= ADJUSTED_CHANGE:
            out.append({"finding": f"adjusted_need_{'higher' if change > 0 else 'lower'}:{r['priority_area']}",
                        "value": adjusted, "comparator": "the national rate", "comparator_value": national,
                        "indicator": NEED_OBJECTS.get(str(r["priority_area"]), str(r["priority_area"])),
                        "detail": ""})
    return out


def observed_findings(observed: list[dict]) -> list[dict]:
    """``observed_higher:<area>`` / ``observed_lower:<area>`` where the analyst's records differ
    significantly from what the national rate predicts."""
    out = []
    for r in observed:
        way = str(r.get("significance_95") or "")
        if way in ("higher", "lower") and r.get("priority_area"):
            out.append({"finding": f"observed_{way}:{r['priority_area']}", "value": 100 * _number(r.get("observed_p")),
                        "comparator": "the national rate", "comparator_value": 100 * _number(r.get("expected_p")),
                        "indicator": str(r.get("need") or r["priority_area"]).lower(), "detail": ""})
    return out


def area_findings(**given) -> pd.DataFrame:
    """Every finding of one area, one row each (``FINDING_COLUMNS``), in a fixed order
    (``finding_records``' arguments)."""
    return pd.DataFrame(finding_records(**given), columns=list(FINDING_COLUMNS))


def finding_records(*, context: list[dict], standing: pd.DataFrame | list[dict] | None, ids_by_name: dict[str, int],
                    headlines: list[dict], observed: list[dict], expected_deaths: list[dict],
                    caseload_per_1000: float | None, national_per_1000: float | None, caseload_kind: str,
                    nation: str) -> list[dict]:
    """Every finding of one area, one dict each (``FINDING_COLUMNS``), in a fixed order: what a
    batch scores (``model.recommendations_batch``) without a table per area."""
    rows = [*indicator_findings(context), *neighbour_findings(standing, ids_by_name), *adjusted_findings(headlines),
            *observed_findings(observed)]
    for death in expected_deaths:
        if math.isfinite(_number(death.get("expected"))):
            rows.append({"finding": f"expected_deaths:{death['cause']}", "value": float(death["expected"]),
                         "comparator": "", "comparator_value": math.nan,
                         "indicator": str(death.get("cause_words") or death["cause"]), "detail": ""})
    rate, national = _number(caseload_per_1000), _number(national_per_1000)
    # Only a counted caseload: a modelled one per adult is the model's own output (its deprivation
    # weight), not evidence about the area.
    if caseload_kind == "local" and math.isfinite(rate) and national:
        ratio = rate / national
        if ratio >= CASELOAD_HIGH or ratio <= CASELOAD_LOW:
            rows.append({"finding": f"caseload_per_adult_{'high' if ratio >= CASELOAD_HIGH else 'low'}",
                         "value": rate, "comparator": nation, "comparator_value": national,
                         "indicator": "people on probation per 1,000 adults", "detail": ""})
    if caseload_kind != "local":
        rows.append({"finding": "no_local_caseload", "value": math.nan, "comparator": "", "comparator_value": math.nan,
                     "indicator": "", "detail": ""})
    return rows
