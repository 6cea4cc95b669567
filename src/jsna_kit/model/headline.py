"""Which national figure heads each priority area: a pure, documented ranking of the reference
estimates. Nothing here reads files; ``classify_estimates`` takes the estimates table
(``load.reference.load_reference().estimates`` or any table with the same columns) and returns a
copy with each row's ``role`` and, for headline and alternative rows, its ``headline_rank``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.priorities import priority_area

from ..messages import N_

PROBATION_SETTINGS = ("probation_caseload", "probation_co_starters", "probation_other")
COMPARATOR_SETTINGS = ("prison", "criminal_justice_mixed", "general_population")
ELIGIBLE_STATUSES = ("ok",)  # "verify": reported only in the press, or not found in its original
INSTRUMENT_ORDER = ("clinical_interview", "screening_tool", "administrative_record", "practitioner_record",
                    "self_report")  # anything else ranks after these, as "other"
ROLES = ("gap", "context", "comparator", "subgroup", "headline", "alternative", "proxy")

HEADLINE_RULE = N_(
    "Each priority area is headed by one national figure, chosen by a fixed rule so that the same "
    "evidence always gives the same headline. Only figures measured among people on probation can be "
    "the headline: a prevalence, stated as a percentage, with a single published value (not only a "
    "range or a bound), checked against its source. A figure reported only in the press, or not "
    "found in its original publication, is shown as context, never as the headline or in a range. "
    "Figures for women only, men "
    "only, one age group or one probation region are shown as subgroups instead. Among the rest, the "
    "headline is the first after sorting by: (1) a measure of the need as a whole (for example any "
    "current mental illness) before a narrower one (for example alcohol only); (2) a sample of the "
    "whole probation caseload before people starting community orders or other probation groups; (3) "
    "how need was measured: clinical interview, then screening tool, then administrative record, then"
    " practitioner record, then self-report, then anything else; (4) a figure "
    "with a known sample size or published interval "
    "before one without; (5) the more recent; (6) the larger sample; (7) the estimate's identifier, "
    "so ties are always broken the same way. If only subgroup figures exist, the best of them is used"
    " by the same order. The other eligible figures are alternatives and give the low-to-high range "
    "around the headline. Figures from prisons, the general population or mixed criminal justice "
    "settings are comparators; counts, rates, risks and service measures are context; recorded gaps "
    "stay gaps. Where a priority area has no probation figure at all, the best comparator prevalence "
    "with a known sample size (prisons first, then figures for everyone before subgroups) is shown as"
    " an illustration, clearly labelled as not describing people on probation."
)


def _text(frame: pd.DataFrame, column: str, default: str = "") -> pd.Series:
    if column not in frame.columns:
        return pd.Series(default, index=frame.index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), default).astype(str).str.strip()


def _number(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def _sort_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """One column per ranking criterion, smaller = better, in the order of ``HEADLINE_RULE``."""
    instrument = _text(frame, "instrument_type")
    year_end = _number(frame, "year_end")
    denominator = _number(frame, "denominator")
    precise = denominator.notna() | (_number(frame, "ci_lower").notna() & _number(frame, "ci_upper").notna())
    return pd.DataFrame({
        "k1_scope": (_text(frame, "measure_scope") != "overall").astype(int),
        "k2_setting": (_text(frame, "setting_type") != "probation_caseload").astype(int),
        "k3_instrument": instrument.map({t: i for i, t in enumerate(INSTRUMENT_ORDER)})
        .fillna(len(INSTRUMENT_ORDER)).astype(int),
        "k4_precision": (~precise).astype(int),
        "k5_recency": -year_end.fillna(-np.inf),
        "k6_size": -denominator.fillna(-np.inf),
        "k7_id": _text(frame, "estimate_id"),
    }, index=frame.index)


def _ranked(frame: pd.DataFrame, index: pd.Index) -> pd.Index:
    """``index`` (rows of ``frame``) in headline order."""
    keys = _sort_keys(frame.loc[index])
    return keys.sort_values(list(keys.columns), kind="mergesort").index


def classify_estimates(estimates: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``estimates`` with ``role`` (one of ``ROLES``) and ``headline_rank`` (1 for the
    headline, 2, 3, ... for alternatives in rule order; missing otherwise). See ``HEADLINE_RULE``.

    Expected columns: estimate_id, priority_area, setting_type, measure_kind, measure_scope, unit,
    value, status, sex, age_band, instrument_type, year_end, denominator (ci_lower, ci_upper and
    coverage are used when present). Percent values are 0-100, as in the reference files."""
    out = estimates.copy()
    setting = _text(out, "setting_type")
    status = _text(out, "status")
    kind = _text(out, "measure_kind")
    unit = _text(out, "unit")
    value = _number(out, "value")
    whole = ((_text(out, "sex", "all") == "all") & (_text(out, "age_band", "all") == "all")
             & (_text(out, "coverage") != "regional"))

    role = pd.Series("context", index=out.index, dtype=object)
    is_gap = status == "gap"
    is_context = ~is_gap & ((kind != "prevalence") | status.isin(("derived", "verify")) | (unit != "percent"))
    is_comparator = ~is_gap & ~is_context & setting.isin(COMPARATOR_SETTINGS)
    eligible = (~is_gap & ~is_context & setting.isin(PROBATION_SETTINGS) & value.notna()
                & status.isin(ELIGIBLE_STATUSES))
    role[is_gap] = "gap"
    role[is_comparator] = "comparator"
    role[eligible & ~whole] = "subgroup"

    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    area = _text(out, "priority_area")
    confirmed = status == "ok"
    for key in area[eligible].unique():
        in_area = area == key
        pool = out.index[eligible & whole & in_area]
        headable = pool[confirmed[pool].to_numpy()]
        if headable.empty:  # only subgroup figures: the best confirmed one heads the area
            headable = _ranked(out, out.index[eligible & in_area & confirmed])[:1]
            pool = pool.union(headable)
        order = _ranked(out, pool)
        if headable.empty:  # nothing confirmed: alternatives only, and an illustration may stand in
            role[order] = "alternative"
            rank[order] = np.arange(2, len(order) + 2)
            continue
        first = _ranked(out, headable)[0]
        order = pd.Index([first, *[i for i in order if i != first]])
        role[order[0]] = "headline"
        role[order[1:]] = "alternative"
        rank[order] = np.arange(1, len(order) + 1)

    candidates = (is_comparator & kind.eq("prevalence") & value.notna() & status.isin(ELIGIBLE_STATUSES)
                  & _number(out, "denominator").notna())
    for key in area[candidates].unique():
        if (role[area == key] == "headline").any():
            continue
        pool = out.index[candidates & (area == key)]
        # prisons first, then figures for everyone before sex/age/region-specific ones, then the rule
        preference = (setting[pool].map({s: i for i, s in enumerate(COMPARATOR_SETTINGS)}) * 2
                      + (~whole[pool]).astype(int))
        best = _ranked(out, pool[(preference == preference.min()).to_numpy()])
        role[best[0]] = "proxy"

    out["role"] = role
    out["headline_rank"] = rank
    return out


def headline_for(estimates: pd.DataFrame, priority_area_key: str) -> pd.Series | None:
    """The headline row for one priority area, or None when it has no eligible probation figure.
    Accepts a table already classified (with ``role``) or a raw estimates table."""
    priority_area(priority_area_key)  # KeyError naming the valid keys if unknown
    classified = estimates if "role" in estimates.columns else classify_estimates(estimates)
    rows = classified[(_text(classified, "priority_area") == priority_area_key)
                      & (classified["role"] == "headline")]
    return None if rows.empty else rows.iloc[0]


def unheaded_areas(classified: pd.DataFrame) -> list[str]:
    """Priority areas (keys) for which no figure is headline or proxy in ``classified``
    (``classify_estimates``' output): a chapter would have no local estimate for them."""
    from jsna_kit.priorities import PRIORITY_KEYS

    headed = set(classified.loc[classified["role"].isin(["headline", "proxy"]), "priority_area"])
    return [key for key in PRIORITY_KEYS if key not in headed]
