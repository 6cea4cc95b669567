"""Which recommendations lead an area's chapter: the reference recommendations, scored by a rule
table (``data/reference/recommendation_rules.csv``) against the area's own findings. Pure: no I/O.

How a recommendation is scored
------------------------------
``score = base score + the points of every rule whose finding the area has``.

The **base score** comes from the recommendation's ``priority`` in ``recommendations.csv``:
1 -> 30, 2 -> 20, 3 -> 10, 4 -> 0 (``BASE_SCORES``). With no findings the order is therefore the
reference data's own: its top three for the nation, then the rest.

A **rule** names a finding and a recommendation (``applies_to``, a ``recommendation_id``). When
the area has the finding, the rule adds its ``weight`` (``raise``), takes it away (``lower``) or
adds it and replaces the recommendation's text (``reword``, weight often 0). Weights are points on
the base score's scale: 10 a supporting or indirect signal, 20 a clear one, 30-40 a strong, direct
one (40 on its own lifts any recommendation above a nation's first, 30).

**Rank** (1 = first) orders by score, then base score, then priority area in the strategy's order
(``jsna_kit.priorities``), then ``recommendation_id``: a total order, so the same inputs in any row
order give the same ranks. The **reason** is the clause of the matched rule that added the most
points (``raise`` or ``reword``; ties to the lower ``rule_id``), with the finding's values put in;
``finding`` is that rule's finding key. A recommendation no rule raised has no reason;
``top_recommendations`` gives it the base reason, the national strategy's objective it serves.

The findings table (the vocabulary)
-----------------------------------
One area's findings, one row per finding. Columns: ``finding`` (the key, required), and as the
finding has them ``value``, ``comparator`` (what it is compared with, in words: "England",
"Wales", "similar areas"), ``comparator_value``, ``pct_diff`` (``(value / comparator_value - 1) x
100``, worked out when absent), ``ratio`` (``value / comparator_value``, likewise), ``indicator``
(the indicator or need in words: "deaths from drug misuse", "a mental illness"), ``detail``;
optionally ``area_code`` (one area only) and ``area_name``.

==================================  ==================================================================
key                                 meaning (value; comparator_value)
==================================  ==================================================================
``indicator_worse:<id>``            a local indicator (a Fingertips id, as in ``fingertips_snapshot.csv``,
                                    or a Welsh one of ``wales_indicators.csv``) is significantly worse
                                    than the nation's (95% benchmark), or, with no interval, markedly
                                    worse (the finder's threshold); local; nation's
``indicator_better:<id>``           the same, better
``neighbours_worse:<id>``           worse than most of the area's statistical neighbours; local;
                                    the neighbours' middle value
``adjusted_need_higher:<area>``     the locally adjusted prevalence for a priority area (key as in
                                    ``jsna_kit.priorities``) is above the national rate; both in %
``adjusted_need_lower:<area>``      the same, below
``observed_higher:<area>``          the analyst's own records (e.g. OASys) show significantly more
                                    need than national rates predict; observed %, expected %
``observed_lower:<area>``           the same, significantly less
``expected_deaths:<kind>``          ``suicide`` or ``drug_related``: expected deaths a year among people
                                    on probation here (``model.deaths``); counts only when at least
                                    ``MIN_EXPECTED_DEATHS`` (1) a year
``caseload_per_adult_high``         the caseload per 1,000 adults is above the nation's; ``ratio``
``caseload_per_adult_low``          the same, below
``no_local_caseload``               the caseload is modelled, not counted; no values
==================================  ==================================================================

Placeholders a rule's ``reason_template`` and ``reword_text`` may use (``PLACEHOLDERS``): ``{area}``
(the area's name), ``{indicator}``, ``{comparator}``, ``{detail}`` as given; ``{value}`` and
``{comparator_value}`` (whole numbers with thousands separators from 100, else one decimal place);
``{pct_diff}`` (the size of the difference, always positive, whole per cent), ``{ratio}`` (one
decimal place) and ``{above}`` ("2.4 times" from twice the comparator up, else "40% above" or
"30% below"). ``docs/recommendation_rules.md`` is the reviewer's guide.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.rounding import fixed
from jsna_kit.priorities import PRIORITY_KEYS

from .reason_words import TIMES_FROM, above_words, finding_words  # noqa: F401 - TIMES_FROM: where it was

#: Base score by the reference data's ``priority``.
BASE_SCORES: Mapping[str, float] = {"1": 30.0, "2": 20.0, "3": 10.0, "4": 0.0}
ACTIONS = ("raise", "lower", "reword")
#: The sign each action gives its weight.
ACTION_SIGNS: Mapping[str, float] = {"raise": 1.0, "lower": -1.0, "reword": 1.0}
INDICATOR_ID = "indicator_id"
DEATH_KINDS = ("suicide", "drug_related")
#: Finding key stems and what may follow the colon: None (nothing), a tuple of allowed values, or
#: ``INDICATOR_ID`` (an indicator id, digits: Fingertips's, or jsna-kit's Welsh ones).
FINDING_KINDS: Mapping[str, object] = {
    "indicator_worse": INDICATOR_ID,
    "indicator_better": INDICATOR_ID,
    "neighbours_worse": INDICATOR_ID,
    "adjusted_need_higher": PRIORITY_KEYS,
    "adjusted_need_lower": PRIORITY_KEYS,
    "observed_higher": PRIORITY_KEYS,
    "observed_lower": PRIORITY_KEYS,
    "expected_deaths": DEATH_KINDS,
    "caseload_per_adult_high": None,
    "caseload_per_adult_low": None,
    "no_local_caseload": None,
}
PLACEHOLDERS = ("area", "indicator", "comparator", "detail", "value", "comparator_value", "pct_diff", "ratio",
                "above")
#: An ``expected_deaths`` finding below this many deaths a year raises nothing.
MIN_EXPECTED_DEATHS = 1.0
#: The reason a recommendation no finding raised is in the top: the strategy objective it serves.
BASE_REASON = "because the national strategy asks every area to {objective}"
NO_AREA_NAME = "this area"

RECOMMENDATION_COLUMNS = ("recommendation_id", "priority_area", "recommendation", "nation", "owner", "measure",
                          "priority")
RULE_COLUMNS = ("rule_id", "finding", "applies_to", "action", "weight", "reword_text", "reason_template", "nation")
#: A rule's Welsh wording, beside the English (optional: a Welsh chapter needs it, issue 27).
WELSH_RULE_COLUMNS = ("reword_text_cy", "reason_template_cy")
_TEXT_FIELDS = ("indicator", "comparator", "detail")
_NUMBER_FIELDS = ("value", "comparator_value", "pct_diff", "ratio")


def template_fields(template: str) -> list[str]:
    """The placeholder names in a template (``ValueError`` on unbalanced braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def score_recommendations(recommendations: pd.DataFrame, rules: pd.DataFrame, findings: pd.DataFrame | None, *,
                          nation: str, area_name: str | None = None, area_name_cy: str | None = None) -> pd.DataFrame:
    """Every recommendation that applies in ``nation``, scored against the area's ``findings`` by
    ``rules`` and sorted by rank. Adds to the recommendation's own columns (``recommendation`` keeps
    the reference wording): ``text`` (the wording to show: reworded where a reword rule matched),
    ``reworded``,
    ``base_score``, ``points`` (all matched rules together), ``rule_points`` (each matched rule and
    its points, e.g. ``R01 +40; R25 +20``), ``score``, ``rank``, ``reason`` and ``finding``.
    ``area_name`` fills ``{area}`` (else the findings' ``area_name``, else "this area"). In Wales,
    with the rules' Welsh columns, also ``reason_cy`` and ``text_cy`` (blank when not reworded): the
    same from the Welsh templates, ``{area}`` filled with ``area_name_cy``."""
    if nation not in ("England", "Wales"):
        raise EstimateInputError(f"nation must be England or Wales, not {nation!r}")
    _require(recommendations, RECOMMENDATION_COLUMNS, "recommendations")
    _require(rules, RULE_COLUMNS, "rules")
    recs = recommendations[_applies(recommendations["nation"], nation)].copy()
    recs["recommendation_id"] = recs["recommendation_id"].astype(str).str.strip()
    repeated = recs["recommendation_id"].duplicated() | recs["recommendation_id"].eq("")
    if repeated.any():
        raise EstimateInputError(f"recommendation ids must be unique and not blank: "
                                 f"{sorted(set(recs.loc[repeated, 'recommendation_id']))}")
    base = recs["priority"].astype(str).str.strip().map(BASE_SCORES)
    if base.isna().any():
        raise EstimateInputError(f"priority must be one of {', '.join(BASE_SCORES)}: "
                                 f"{sorted(set(recs.loc[base.isna(), 'priority'].astype(str)))}")
    found, name = _findings(findings, area_name)
    matched = _matched(rules, found, nation, set(recs["recommendation_id"]))

    by_rec = matched.groupby("applies_to")
    points = by_rec["points"].sum()
    listed = by_rec["listed"].agg("; ".join)
    raising = matched[(matched["points"] > 0) & (matched["reason_template"] != "")].drop_duplicates("applies_to")
    reason = pd.Series({r.applies_to: _fill(r.reason_template, r, name) for r in raising.itertuples()}, dtype=object)
    finding = raising.set_index("applies_to")["finding"]
    rewords = (matched[matched["action"] == "reword"].sort_values(["weight", "rule_id"], ascending=[False, True])
               .drop_duplicates("applies_to"))
    reworded = pd.Series({r.applies_to: _fill(r.reword_text, r, name) for r in rewords.itertuples()}, dtype=object)

    ids = recs["recommendation_id"]
    recs["text"] = _lookup(ids, reworded).where(ids.isin(reworded.index), recs["recommendation"])
    recs["reworded"] = ids.isin(reworded.index)
    recs["base_score"] = base.astype(float)
    recs["points"] = ids.map(points.to_dict()).fillna(0.0).astype(float)
    recs["rule_points"] = _lookup(ids, listed)
    recs["score"] = recs["base_score"] + recs["points"]
    recs["reason"] = _lookup(ids, reason)
    recs["finding"] = _lookup(ids, finding)
    if nation == "Wales" and "reason_template_cy" in matched.columns:
        name_cy = area_name_cy or name
        recs["reason_cy"] = _lookup(ids, pd.Series({r.applies_to: _fill(r.reason_template_cy, r, name_cy, "cy")
                                                    for r in raising.itertuples()}, dtype=object))
        recs["text_cy"] = _lookup(ids, pd.Series({r.applies_to: _fill(r.reword_text_cy, r, name_cy, "cy")
                                                  for r in rewords.itertuples()}, dtype=object))
    order = {key: i for i, key in enumerate(PRIORITY_KEYS)}
    recs["_area_order"] = recs["priority_area"].map(order).fillna(len(order))
    recs = recs.sort_values(["score", "base_score", "_area_order", "recommendation_id"],
                            ascending=[False, False, True, True], kind="mergesort").drop(columns="_area_order")
    recs["rank"] = np.arange(1, len(recs) + 1)
    return recs.reset_index(drop=True)


def top_recommendations(scored: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The first ``n`` of ``score_recommendations``' table, at most one per priority area: down the
    ranks of those a local finding raised, then of the rest, each recommendation whose area has not
    yet been chosen. When the table covers fewer than
    ``n`` priority areas (a researcher's own, shorter recommendations file), the places left go to the
    next recommendations by rank, whatever their area. Only recommendations with an owner (its
    ``owner``, else its ``audience``) and a measure of progress are chosen. One without a reason gets
    the base reason (``BASE_REASON``); ``reason_source`` says which: ``local finding`` or
    ``national strategy``. Sorted by rank."""
    if n < 1:
        raise EstimateInputError(f"n must be at least 1, not {n}")
    ranked = scored.sort_values("rank", kind="mergesort").copy()
    ranked["owner"] = _text(ranked, "owner").where(_text(ranked, "owner") != "", _text(ranked, "audience"))
    usable = ranked[(ranked["owner"] != "") & (_text(ranked, "measure") != "")]
    # The top three come from the area's own findings: those a finding raised first, by rank, then
    # (when fewer than n were raised) the national strategy's own order.
    raised = _text(usable, "reason") != ""
    usable = pd.concat([usable[raised], usable[~raised]])
    chosen: list = []
    areas: set[str] = set()
    for index, area in usable["priority_area"].items():
        if area not in areas:
            chosen.append(index)
            areas.add(area)
        if len(chosen) == n:
            break
    chosen += [i for i in usable.index if i not in chosen][: n - len(chosen)]
    top = ranked.loc[chosen].sort_values("rank", kind="mergesort")
    local = _text(top, "reason") != ""
    top["reason_source"] = np.where(local, "local finding", "national strategy")
    top["reason"] = _text(top, "reason").where(local, _text(top, "strategy_objective").map(_base_reason))
    return top.reset_index(drop=True)


def ordered_recommendations(scored: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Every scored recommendation in reading order: the top ``n`` (``top_recommendations``, with
    their reasons) first, then the rest by rank; ``top`` says which, ``order`` counts from 1. A
    priority area's section and Appendix A show their rows in this order."""
    top = top_recommendations(scored, n)
    rest = scored[~scored["recommendation_id"].isin(top["recommendation_id"])].sort_values("rank", kind="mergesort")
    out = pd.concat([top.assign(top=True), rest.assign(top=False)], ignore_index=True)
    out["order"] = np.arange(1, len(out) + 1)
    return out


# --- helpers ---------------------------------------------------------------------------------

def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise EstimateInputError(f"the {what} table has no column(s) {', '.join(missing)}")


def _applies(nations: pd.Series, nation: str) -> pd.Series:
    return nations.fillna("").astype(str).str.strip().isin([nation, "England and Wales"]).astype(bool)


def _lookup(ids: pd.Series, values: pd.Series) -> pd.Series:
    """Text by recommendation id, blank where there is none."""
    found = values.to_dict()
    return pd.Series([found.get(i, "") for i in ids], index=ids.index, dtype=object)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype(object).fillna("").astype(str).str.strip()


def _findings(findings: pd.DataFrame | None, area_name: str | None) -> tuple[pd.DataFrame, str]:
    """One row per finding key, with every field (numbers as floats, the missing ones worked out)."""
    columns = ["finding", *_TEXT_FIELDS, *_NUMBER_FIELDS]
    if findings is None or len(findings) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), area_name or NO_AREA_NAME
    _require(findings, ("finding",), "findings")
    if "area_code" in findings.columns and _text(findings, "area_code").replace("", np.nan).nunique() > 1:
        raise EstimateInputError("the findings are for more than one area; score one area at a time")
    if not area_name:
        names = [n for n in _text(findings, "area_name") if n]
        area_name = names[0] if names else NO_AREA_NAME
    out = pd.DataFrame({"finding": _text(findings, "finding")})
    for column in _TEXT_FIELDS:
        out[column] = _text(findings, column)
    for column in _NUMBER_FIELDS:
        out[column] = (pd.to_numeric(findings[column], errors="coerce") if column in findings.columns
                       else np.nan)
    comparable = out["comparator_value"].notna() & (out["comparator_value"] != 0)
    ratio = out["value"] / out["comparator_value"].where(comparable)
    out["ratio"] = out["ratio"].fillna(ratio)
    out["pct_diff"] = out["pct_diff"].fillna((ratio - 1) * 100)
    out = out[out["finding"] != ""]
    repeated = out["finding"].duplicated()
    if repeated.any():
        raise EstimateInputError(f"a finding is given twice: {sorted(set(out.loc[repeated, 'finding']))}")
    too_few = out["finding"].str.startswith("expected_deaths:") & ~(out["value"] >= MIN_EXPECTED_DEATHS)
    return out[~too_few].reset_index(drop=True), area_name


def _matched(rules: pd.DataFrame, found: pd.DataFrame, nation: str, ids: set[str]) -> pd.DataFrame:
    """The rules that act here, joined to their findings, strongest first within each recommendation."""
    welsh = [c for c in WELSH_RULE_COLUMNS if c in rules.columns]
    here = rules.assign(**{c: _text(rules, c) for c in (*RULE_COLUMNS, *welsh) if c != "weight"})
    here = here[_applies(here["nation"], nation) & here["applies_to"].isin(ids)]
    here = here.assign(weight=pd.to_numeric(here["weight"], errors="raise").astype(float))
    unknown = ~here["action"].isin(ACTIONS)
    if unknown.any():
        raise EstimateInputError(f"unknown rule action(s): {sorted(set(here.loc[unknown, 'action']))}")
    matched = here[["rule_id", "finding", "applies_to", "action", "weight", "reword_text", "reason_template",
                    *welsh]].merge(found, on="finding", how="inner")
    matched["points"] = matched["weight"].astype(float) * matched["action"].map(ACTION_SIGNS).astype(float)
    matched["listed"] = [f"{rule} {points:+g}" for rule, points in zip(matched["rule_id"], matched["points"],
                                                                       strict=True)]
    return matched.sort_values(["applies_to", "points", "rule_id"], ascending=[True, False, True],
                               kind="mergesort").reset_index(drop=True)


def _number(value: float) -> str:
    """Rounded half up, as every figure in the chapter is (14.85 prints 14.9 here as in Local context;
    Python's own formatting would print the binary 14.8499... as 14.8)."""
    if abs(value) >= 100:
        return fixed(value, 0)
    return fixed(value, 1).removesuffix(".0")


def _fill(template: str, finding, area_name: str, language: str = "en") -> str:
    """A template with the finding's values put in, as a sentence in ``language`` says them (the
    text fields and ``{above}`` in its words: ``reason_words``); an error names the rule and the
    missing value."""
    values = {"area": area_name}
    for field in template_fields(template):
        if field == "area":
            continue
        raw = getattr(finding, "ratio" if field == "above" else field, None)
        if field == "above" and raw is not None and not pd.isna(raw):
            values[field] = above_words(raw, language)
            continue
        if field in _TEXT_FIELDS:
            text = "" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else str(raw)
            if text and language != "en":
                text = finding_words(field, text, finding.finding, language)
        elif raw is None or pd.isna(raw):
            text = ""
        elif field == "pct_diff":
            text = fixed(abs(raw), 0) if abs(raw) >= 1 else fixed(abs(raw), 1)
        elif field == "ratio":
            text = fixed(raw, 1)
        else:
            text = _number(float(raw))
        if text == "":
            raise EstimateInputError(f"rule {finding.rule_id} needs the finding {finding.finding}'s {field}, "
                                     "which it does not have")
        values[field] = text
    return template.format_map(values)


def _base_reason(objective: str) -> str:
    objective = objective.strip().rstrip(".")
    if not objective:
        return "because it is a national priority for every area"
    if len(objective) > 1 and objective[1].islower():
        objective = objective[0].lower() + objective[1:]
    return BASE_REASON.format(objective=objective)
