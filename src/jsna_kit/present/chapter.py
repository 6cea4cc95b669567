"""The sections of an area's chapter, each a function the notebook calls once. Each returns a
``MarkdownBlock`` built only from the chapter's data bundle (``ChapterData``): the numbers come
from the estimates table, the national figures from the reference data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES, priority_area
from .figures import BENCHMARK_WORDS, estimate_range_chart, relative_to_england_chart
from .maps import location_map
from .markdown import MarkdownBlock, cite, escape_text, figure, heading, table
from .numbers import count, interval, is_missing, percent
from .sentences import (
    GRADE_WORDS,
    gap_sentence,
    headline_sentence,
    proxy_sentence,
    source_keys,
    source_label,
)

SUPPRESSED = "suppressed"
#: Evidence shown in a priority area's own section; comparators and context go to the appendix.
SECTION_ROLES = ("headline", "alternative", "subgroup", "proxy", "gap")
ROLE_ORDER = {"headline": 0, "alternative": 1, "subgroup": 2, "proxy": 3, "comparator": 4, "context": 5, "gap": 6}
ROLE_NAMES = {"headline": "Headline", "alternative": "Alternative", "subgroup": "Subgroup",
              "proxy": "Illustration (other setting)", "comparator": "Comparator", "context": "Context",
              "gap": "Gap"}


def _area_rows(data: ChapterData, key: str) -> pd.DataFrame:
    rows = data.estimates[data.estimates["priority_area"] == key].copy()
    rows["_order"] = rows["role"].map(ROLE_ORDER).fillna(9)
    return rows.sort_values(["_order", "expected"], ascending=[True, False])


def _caseload(data: ChapterData) -> tuple[float, str]:
    area = data.area
    return float(area["caseload"]), str(area["caseload_kind"])


def about(data: ChapterData) -> MarkdownBlock:
    area = data.area
    caseload, kind = _caseload(data)
    built = dt.date.fromisoformat(area["built"]).strftime("%-d %B %Y")
    where = escape_text(data.area_name) + f" ({escape_text(area['area_code'])})"
    if area.get("region_name"):
        where += f", {escape_text(area['region_name'])}"
    lines = [
        "This chapter estimates the health and social care needs of people on probation living in "
        f"{escape_text(data.area_name)}, for the seven priority areas of the probation service's health "
        "and social care strategy. It applies national evidence to the local caseload: the figures are "
        "estimates of need, not counts of people known to services.",
        "",
        f"- **Area:** {where}",
    ]
    if area.get("probation_region_name"):
        lines.append(f"- **Probation region:** {escape_text(area['probation_region_name'])}")
    if kind == "local":
        source = area.get("caseload_source") or "given by the analyst"
        lines.append(f"- **Caseload:** {count(caseload)} people on probation (local figure; "
                     f"{escape_text(source)})")
    else:
        bounds = interval(area.get("caseload_lower"), area.get("caseload_upper")).replace("95% CI ", "")
        lines.append(f"- **Caseload:** about {count(caseload)} people on probation — **modelled**, not a "
                     f"local count ({escape_text(area.get('caseload_basis', ''))}; plausible range {bounds})")
    lines.append(f"- **Built:** {built} with jsna-kit {escape_text(area.get('jsna_kit_version', ''))}")
    vintages = area.get("data_vintages") or {}
    if vintages:
        lines.append("- **Data used:** " + "; ".join(f"{escape_text(k)}: {escape_text(v)}"
                                                     for k, v in vintages.items()))
    lines += ["", _location(data)]
    return MarkdownBlock("\n".join(lines))


def _location(data: ChapterData) -> str:
    """A map of the area within its region, or one line saying why there is none."""
    if data.region_areas is None or len(data.region_areas) == 0:
        return escape_text(data.map_note) if data.map_note else ""
    region = data.area.get("region_name") or "the region"
    path = Path(data.assets) / "figures" / "location.png"
    alt = location_map(data.region_areas, data.area["area_code"], path, area_name=data.area_name,
                       region_name=region)
    return figure(f"{Path(data.assets).name}/figures/location.png",
                  caption=f"{data.area_name} within {region}", alt=alt, identifier="fig-location")


def key_findings(data: ChapterData) -> MarkdownBlock:
    """One finding per priority area, worded from what the numbers hold: an estimate with or
    without an interval, a recorded gap with an illustration, local records higher, similar or
    lower than the national rate predicts, suppressed counts, local indicators against England."""
    caseload, kind = _caseload(data)
    bullets = []
    for key, title in PRIORITY_TITLES.items():
        rows = _area_rows(data, key)
        head = rows[rows["role"] == "headline"]
        if not head.empty:
            text = headline_sentence(head.iloc[0], area_name=data.area_name, caseload=caseload,
                                     caseload_kind=kind)
        else:
            text = ("No national figure describes this need among people on probation, so no local estimate "
                    "can be made: this is a gap in the evidence.")
            proxy = rows[rows["role"] == "proxy"]
            if not proxy.empty:
                text += " " + proxy_sentence(proxy.iloc[0], area_name=data.area_name)
        text += _observed_finding(data, key) + _context_finding(data, key)
        bullets.append(f"- **{escape_text(title)}.** {text}")
    return MarkdownBlock("\n".join(bullets))


def _observed_finding(data: ChapterData, key: str) -> str:
    obs = data.observed
    if obs is None or obs.empty:
        return ""
    sentences = []
    for _, r in obs[obs["priority_area"] == key].iterrows():
        need = escape_text(r["need"])
        if bool(r["suppressed"]) or is_missing(r["observed_count"]):
            sentences.append(f"Local records ({need}) hold fewer than 5 people, too few to show or compare.")
        elif str(r["significance_95"]) in COMPARISON_WORDS:
            sentences.append(f"Local records ({need}: {percent(100 * r['observed_p'])}) are "
                             f"{COMPARISON_WORDS[str(r['significance_95'])]} the national rate predicts "
                             f"({percent(100 * r['expected_p'])}).")
    return (" " + " ".join(sentences)) if sentences else ""


def _context_finding(data: ChapterData, key: str) -> str:
    ctx = data.context
    if ctx is None or ctx.empty:
        return ""
    rows = ctx[ctx["priority_area"] == key]
    judged = rows[rows["benchmark_england_95"].isin(["better", "worse"])]
    if rows.empty:
        return ""
    if judged.empty:
        subject = ("the one local indicator is not" if len(rows) == 1
                   else f"none of the {len(rows)} local indicators is")
        return f" Across the whole population, {subject} significantly better or worse than England."
    words = [f"{escape_text(r['indicator_name'])} ({BENCHMARK_WORDS[r['benchmark_england_95']]})"
             for _, r in judged.iterrows()]
    return " Across the whole population: " + "; ".join(words) + "."


def caseload_section(data: ChapterData) -> MarkdownBlock:
    area = data.area
    caseload, kind = _caseload(data)
    if kind == "local":
        first = (f"{escape_text(data.area_name)} has **{count(caseload)}** people on probation "
                 f"({escape_text(area.get('caseload_source') or 'figure given by the analyst')}).")
    else:
        first = (f"No local caseload was supplied, so the chapter uses a **modelled** figure of about "
                 f"**{count(caseload)}** people: {escape_text(area.get('caseload_basis', ''))}. Replace it "
                 "with the probation delivery unit's own count as soon as one is available.")
    parts = [first]
    if area.get("court_orders") is not None or area.get("licence") is not None:
        bits = []
        if area.get("court_orders") is not None:
            bits.append(f"{count(area['court_orders'])} on court orders")
        if area.get("licence") is not None:
            bits.append(f"{count(area['licence'])} on licence or post-sentence supervision")
        parts.append("Of these, " + " and ".join(bits) + " (some people are on both).")
    breakdown = area.get("caseload_breakdown") or []
    if breakdown:
        frame = pd.DataFrame(breakdown)
        frame["caseload"] = [SUPPRESSED if is_missing(v) else count(v) for v in frame["caseload"]]
        frame = frame.rename(columns={"sex": "Sex", "age_band": "Age band", "caseload": "People on probation"})
        parts.append(table(frame, caption=f"People on probation in {data.area_name} by sex and age",
                           align=["left", "left", "right"]))
        if any(is_missing(b["caseload"]) for b in breakdown):
            parts.append(f"*{SUPPRESSED}*: fewer than 5 people, or hidden so that a small number cannot be "
                         "worked out from the totals.")
    if area.get("caseload_note"):
        parts.append(escape_text(area["caseload_note"]))
    national = data.caseload_national
    total = national[(national["measure"] == "total") & national["value"].notna()]
    if not total.empty:
        latest = total.sort_values("date").iloc[-1]
        orders = national[(national["measure"] == "court_orders") & (national["date"] == latest["date"])]
        text = (f"Nationally, {count(latest['value'])} people were under Probation Service supervision in "
                f"England and Wales on {_date_words(latest['date'])} {cite(source_keys(latest['source_key']))}")
        if not orders.empty:
            text += (f", of whom {count(orders.iloc[0]['value'])} were on court orders (community orders "
                     "and suspended sentence orders with requirements); the rest were on licence or "
                     "post-sentence supervision after prison, and some people are on both")
        parts.append(text + ".")
    return MarkdownBlock("\n\n".join(parts))


def _date_words(value: str) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%-d %B %Y")
    except ValueError:
        return escape_text(value)


def priority_section(data: ChapterData, key: str) -> MarkdownBlock:
    pa = priority_area(key)
    ident = key.replace("_", "-")
    caseload, kind = _caseload(data)
    rows = _area_rows(data, key)
    evidence = data.evidence[data.evidence["priority_area"] == key]
    parts = [heading(3, "Local estimate", identifier=f"sec-{ident}-estimate")]
    head = rows[rows["role"] == "headline"]
    if not head.empty:
        parts.append(headline_sentence(head.iloc[0], area_name=data.area_name, caseload=caseload,
                                       caseload_kind=kind))
    for _, gap in evidence[evidence["role"] == "gap"].iterrows():
        parts.append(gap_sentence(gap))
    proxy = rows[rows["role"] == "proxy"]
    for _, row in proxy.iterrows():
        parts.append(proxy_sentence(row, area_name=data.area_name))
    plotted = rows[rows["role"].isin(["headline", "alternative", "proxy"]) & rows["expected"].notna()].copy()
    if not plotted.empty:
        plotted["source_label"] = [source_label(k, data.sources) for k in plotted["source_keys"]]
        parts.append(_range_sentence(plotted, area_name=data.area_name))
        path = Path(data.assets) / "figures" / f"{ident}-estimates.png"
        alt = estimate_range_chart(plotted, path, area_name=data.area_name, topic=pa.title.lower())
        # The notebook runs beside its asset folder, so links are relative to that folder's parent.
        rel = f"{Path(data.assets).name}/figures/{path.name}"
        parts.append(figure(rel, caption=f"{pa.title}: estimated number of people on probation in "
                            f"{data.area_name} with the need, by national source (95% intervals)",
                            alt=alt, identifier=f"fig-{ident}"))
    parts.append(_observed(data, key, ident))
    parts.append(_context(data, key, ident))
    parts.append(heading(3, "National evidence", identifier=f"sec-{ident}-evidence"))
    main = evidence[evidence["role"].isin(SECTION_ROLES)]
    parts.append(evidence_table(main, data.sources, title=pa.title, ident=ident))
    others = len(evidence) - len(main)
    if others:
        parts.append(f"A further {others} figures from prisons, the general population or other measures "
                     f"are listed for comparison in the [appendix](#sec-appendix-{ident}).")
    parts.append(_pathways(data, key, ident))
    parts.append(_commissioning(data, key, ident))
    parts.append(_recommendations(data, key, ident))
    return MarkdownBlock("\n\n".join(p for p in parts if p))


UNIT_SUFFIX = {"percent": "%", "per_100000": " per 100,000", "per_1000": " per 1,000", "per_100": " per 100"}


def indicator_value(value: object, unit: object) -> str:
    if is_missing(value):
        return SUPPRESSED + " or not available"
    return f"{float(value):,.1f}{UNIT_SUFFIX.get(str(unit), '')}"


def _context(data: ChapterData, key: str, ident: str) -> str:
    """Fingertips indicators for the area against its region and England (Fingertips rules)."""
    ctx = data.context
    if ctx is None:
        return ""
    rows = ctx[ctx["priority_area"] == key]
    if rows.empty:
        return ""
    frame = pd.DataFrame({
        "Indicator": rows["indicator_name"],
        "Period": rows["time_period"],
        escape_text(data.area_name): [
            indicator_value(r["value"], r["unit"]) + (f" ({r['lower_95']:,.1f} to {r['upper_95']:,.1f})"
                                                      if not is_missing(r["lower_95"]) else "")
            for _, r in rows.iterrows()],
        "Region": [indicator_value(v, u) if not is_missing(v) else "–" for v, u in zip(rows["region_value"],
                                                                                         rows["unit"], strict=True)],
        "England": [indicator_value(v, u) for v, u in zip(rows["england_value"], rows["unit"], strict=True)],
        "Compared with England": rows["benchmark_england_95"].map(BENCHMARK_WORDS).fillna("not compared"),
        "Compared with region": rows["benchmark_region_95"].map(BENCHMARK_WORDS).fillna("not compared")
        .str.replace("England", "the region"),
    })
    parts = [heading(3, "Local context", identifier=f"sec-{ident}-context"),
             "Indicators for the whole local population from OHID's Fingertips, compared with the region and "
             "England by the Fingertips method: a difference is shown only where the comparator lies outside "
             "the local 95% confidence interval.",
             table(frame, caption=f"{PRIORITY_TITLES[key]}: local context indicators",
                   identifier=f"tbl-{ident}-context",
                   align=["left", "left", "right", "right", "right", "left", "left"],
                   widths=[30, 10, 16, 10, 10, 12, 12])]
    plotted = rows[rows["relative_to_england"].notna()]
    if not plotted.empty:
        path = Path(data.assets) / "figures" / f"{ident}-context.png"
        alt = relative_to_england_chart(plotted, path, area_name=data.area_name, topic=PRIORITY_TITLES[key].lower())
        parts.append(figure(f"{Path(data.assets).name}/figures/{path.name}",
                            caption=f"{PRIORITY_TITLES[key]}: local indicators relative to England",
                            alt=alt, identifier=f"fig-{ident}-context"))
    return "\n\n".join(parts)


COMPARISON_WORDS = {"higher": "higher than", "lower": "lower than", "similar": "similar to"}


def _observed(data: ChapterData, key: str, ident: str) -> str:
    """Locally identified needs beside what the national headline rate would predict."""
    obs = data.observed
    if obs is None or obs.empty:
        return ""
    rows = obs[obs["priority_area"] == key]
    if rows.empty:
        return ""
    head = data.estimates[(data.estimates["priority_area"] == key) & (data.estimates["role"] == "headline")]
    lines = []
    for _, r in rows.iterrows():
        label = escape_text(r["need"])
        where = ", ".join(escape_text(v) for v in (r.get("source"), r.get("period")) if not is_missing(v))
        if bool(r["suppressed"]) or is_missing(r["observed_count"]):
            lines.append(f"- **{label}:** fewer than 5 people ({SUPPRESSED} to protect confidentiality), so it "
                         f"is not compared with the national rate{f' ({where})' if where else ''}.")
            continue
        ci = interval(100 * r["lower_95_ci"], 100 * r["upper_95_ci"], kind="percent")
        text = (f"- **{label}:** {count(r['observed_count'])} of {count(r['caseload'])} people "
                f"({percent(100 * r['observed_p'])}, {ci}){f' ({where})' if where else ''}.")
        if not head.empty and not is_missing(r.get("expected_p")):
            word = COMPARISON_WORDS.get(str(r["significance_95"]))
            text += (f" The national headline rate ({escape_text(head.iloc[0]['measure'])}, "
                     f"{percent(100 * r['expected_p'])}) would predict about {count(r['expected_count'])}")
            text += (f"; the local figure is {word} that at the 95% level." if word
                     else "; the two could not be compared.")
            if str(r["significance_95"]) != "similar" and word:
                text += " Local recording and the national measure may define the need differently."
        lines.append(text)
    return (heading(3, "What local records show", identifier=f"sec-{ident}-observed") + "\n\n"
            + "\n".join(lines))


def _range_sentence(plotted: pd.DataFrame, *, area_name: str) -> str:
    sources = plotted[plotted["role"].isin(["headline", "alternative"])]
    if len(sources) < 2:
        return ("Only one national source gives a usable figure for this need, so no range across "
                "sources can be shown.")
    low = sources.loc[sources["expected"].idxmin()]
    high = sources.loc[sources["expected"].idxmax()]
    return (f"Across {len(sources)} national sources, the estimate for {escape_text(area_name)} ranges from "
            f"about {count(low['expected'])} ({escape_text(low['source_label'])}, grade {escape_text(low['grade'])}) "
            f"to about {count(high['expected'])} ({escape_text(high['source_label'])}, grade "
            f"{escape_text(high['grade'])}). The sources measure the need in different ways, which is why "
            "they differ.")


def evidence_table(evidence: pd.DataFrame, sources: pd.DataFrame, *, title: str, ident: str) -> str:
    if evidence.empty:
        return "No national evidence is recorded for this priority area."
    ev = evidence.copy()
    ev["_order"] = ev["role"].map(ROLE_ORDER).fillna(9)
    ev = ev.sort_values(["_order", "estimate_id"])
    frame = pd.DataFrame({
        "Measure and setting": ev["measure"].astype(str) + _subgroup(ev) + ". " + ev["setting"].astype(str),
        "Value": [_value_words(r) for _, r in ev.iterrows()],
        "Sample": [_sample_words(r) for _, r in ev.iterrows()],
        "Year": ev["year"],
        "Source": [cite(source_keys(k)) for k in ev["source_keys"]],
        "Grade": [f"{g} ({GRADE_WORDS.get(str(g), '?')})" if not is_missing(g) else None for g in ev["grade"]],
        "Use here": ev["role"].map(ROLE_NAMES).fillna(ev["role"]),
    })
    return table(frame, caption=f"{title}: national evidence", identifier=f"tbl-{ident}-evidence",
                 align=["left"] * len(frame.columns), raw_columns=["Source"],
                 widths=[32, 12, 11, 10, 16, 11, 11])


def _subgroup(ev: pd.DataFrame) -> pd.Series:
    labels = []
    for _, r in ev.iterrows():
        bits = [str(r[c]) for c in ("sex", "age_band") if not is_missing(r.get(c)) and str(r.get(c)) != "all"]
        labels.append(f" ({', '.join(bits)})" if bits else "")
    return pd.Series(labels, index=ev.index)


def _value_words(row: pd.Series) -> str | None:
    """The figure as published, with its published interval when there is one."""
    if str(row.get("status")) == "gap":
        return "gap: no figure"
    text = row.get("value_text")
    if is_missing(text) or not str(text).strip():
        if is_missing(row.get("value")):
            return None
        text = percent(row["value"]) if row.get("unit") == "percent" else count(row["value"])
    text = str(text)
    if row.get("unit") == "percent" and "%" not in text:
        text = re.sub(r"(\d+(?:\.\d+)?)", r"\1%", text, count=1)
    if not (is_missing(row.get("ci_lower")) or is_missing(row.get("ci_upper"))):
        level = row.get("ci_level")
        level = "95%" if is_missing(level) else f"{float(level) * 100:g}%" if float(level) < 1 else f"{level}%"
        text += f" ({level} CI {row['ci_lower']:g} to {row['ci_upper']:g})"
    return text


def _sample_words(row: pd.Series) -> str | None:
    if not is_missing(row.get("denominator")):
        return f"n = {count(row['denominator'])}"
    note = row.get("sample_size_note")
    return None if is_missing(note) else str(note)


def _nation_filter(frame: pd.DataFrame, country: str) -> pd.DataFrame:
    if "nation" not in frame:
        return frame
    nation = frame["nation"].fillna("England and Wales").astype(str)
    return frame[nation.str.contains(country, case=False) | nation.str.contains("England and Wales", case=False)]


def _pathways(data: ChapterData, key: str, ident: str) -> str:
    pw = data.pathways
    applies = pw[pw["priority_areas"].fillna("").str.split(";").apply(lambda ks: key in [k.strip() for k in ks])]
    applies = _nation_filter(applies, data.country)
    if applies.empty:
        return ""
    items = [f"- **{escape_text(r['name'])}** — {escape_text(r['what_it_is'])} "
             f"*Commissioned by:* {escape_text(r['who_commissions'])}." for _, r in applies.iterrows()]
    return heading(3, "Treatment requirements and pathways", identifier=f"sec-{ident}-pathways") + "\n\n" + \
        "\n".join(items)


def _commissioning_table(rows: pd.DataFrame, *, caption: str, identifier: str) -> str:
    frame = pd.DataFrame({
        "Organisation": rows["organisation"],
        "What it does for people on probation": rows["role"],
        "Since": rows["as_of"],
        "Basis": [cite(source_keys(b)) or escape_text(b) for b in rows["basis"]],
    })
    return table(frame, caption=caption, identifier=identifier, align=["left"] * 4, raw_columns=["Basis"],
                 widths=[18, 52, 10, 20])


def commissioning_overview(data: ChapterData) -> MarkdownBlock:
    """The organisations whose responsibilities cut across every priority area, once."""
    cm = data.commissioning
    rows = _nation_filter(cm[cm["priority_area"] == "all"], data.country).sort_values("organisation")
    if rows.empty:
        return MarkdownBlock("")
    intro = (f"These organisations' responsibilities for the health of people on probation in {data.country} "
             "apply across all seven priority areas; each priority area's section adds who does what for that "
             "need.")
    return MarkdownBlock(intro + "\n\n" + _commissioning_table(
        rows, caption=f"Who commissions or provides what across all priority areas ({data.country})",
        identifier="tbl-commissioning"))


def _commissioning(data: ChapterData, key: str, ident: str) -> str:
    cm = data.commissioning
    rows = _nation_filter(cm[cm["priority_area"] == key], data.country).sort_values("organisation")
    if rows.empty:
        return ""
    return (heading(3, "Who commissions what", identifier=f"sec-{ident}-commissioning") + "\n\n"
            + "In addition to the [organisations that work across all priority areas](#sec-commissioning):\n\n"
            + _commissioning_table(rows, caption=f"Who commissions or provides what for "
                                   f"{PRIORITY_TITLES[key].lower()} ({data.country})",
                                   identifier=f"tbl-{ident}-commissioning"))


def _recommendations(data: ChapterData, key: str, ident: str) -> str:
    rec = data.recommendations[data.recommendations["priority_area"] == key]
    if rec.empty:
        return ""
    items = [f"{i}. **{escape_text(r['audience'])}:** {escape_text(r['recommendation'])}"
             for i, (_, r) in enumerate(rec.iterrows(), start=1)]
    return heading(3, "Recommendations for the local system", identifier=f"sec-{ident}-recommendations") + \
        "\n\n" + "\n".join(items)


def appendix(data: ChapterData) -> MarkdownBlock:
    """Comparators (prisons, general population) and context figures (counts, rates, service
    measures) for each priority area: evidence a reader may want, but not what the local
    estimates rest on."""
    parts = ["Figures from other settings and other kinds of measure, kept for comparison. None of them is "
             "applied to the local caseload."]
    for key, title in PRIORITY_TITLES.items():
        ev = data.evidence[(data.evidence["priority_area"] == key) & ~data.evidence["role"].isin(SECTION_ROLES)]
        if ev.empty:
            continue
        ident = key.replace("_", "-")
        parts.append(heading(3, title, identifier=f"sec-appendix-{ident}"))
        parts.append(evidence_table(ev, data.sources, title=f"{title} (comparators and context)",
                                    ident=f"{ident}-appendix"))
    return MarkdownBlock("\n\n".join(parts))


def methods(data: ChapterData) -> MarkdownBlock:
    from ..model.headline import HEADLINE_RULE
    from ..model.synthetic import SYNTHETIC_METHOD

    parts = [heading(3, "How the local estimates are made", identifier="sec-methods-synthetic"),
             escape_text(SYNTHETIC_METHOD),
             heading(3, "Which national figure is used", identifier="sec-methods-headline"),
             escape_text(HEADLINE_RULE)]
    if data.area.get("caseload_kind") == "modelled":
        from ..model.caseload import CASELOAD_METHOD

        parts += [heading(3, "The modelled caseload", identifier="sec-methods-caseload"),
                  escape_text(CASELOAD_METHOD)]
    parts += [heading(3, "How strong is the evidence", identifier="sec-methods-grades"),
              "Each national figure carries a grade: **A** (strong), **B** (moderate), **C** (limited) or "
              "**D** (weak), with the reason shown in the evidence tables. Grades weigh whether the study "
              "covered the whole country or one site, whether need was assessed clinically or self-reported, "
              "how old the data are and how many people were measured.",
              heading(3, "Limitations", identifier="sec-methods-limitations"),
              "- The estimates assume people on probation locally are like the people in the national "
              "studies; local differences in age, sex, offence mix and services are not captured.\n"
              "- Several figures come from one county or from prisons, and some are more than ten years old.\n"
              "- Published estimates are rounded to the nearest 5; small counts are suppressed."
              + _no_address_limitation(data.caseload_national)]
    return MarkdownBlock("\n\n".join(parts))


def _no_address_limitation(national: pd.DataFrame) -> str:
    """The share of people on probation who cannot be placed in any area, from the reference data."""
    rows = national[national["measure"].isin(["no_fixed_address_share_pct_min", "no_fixed_address_share_pct_max"])
                    & national["value"].notna()]
    if len(rows) < 2:
        return ""
    low, high = sorted(rows["value"].astype(float))
    keys = sorted({k for v in rows["source_key"] for k in source_keys(v)})
    return (f"\n- Between {low:g}% and {high:g}% of people on probation have no fixed or recorded address "
            f"{cite(keys)}, so they cannot be placed in any area and any local count is itself uncertain.")


DOWNLOADS = (("estimates.csv", "every estimate in this chapter (CSV)"),
             ("estimates.xlsx", "the same, with the evidence and local data, as an Excel workbook"),
             ("evidence.csv", "the national evidence used (CSV)"),
             ("observed.csv", "locally identified needs compared with national rates (CSV)"),
             ("context.csv", "local context indicators compared with the region and England (CSV)"),
             ("manifest.json", "reproducibility manifest: inputs with SHA-256, package versions, parameters"))


def downloads(data: ChapterData) -> MarkdownBlock:
    base = Path(data.assets).name
    folder = Path(data.assets) / "data"
    # The manifest and workbook are written with the bundle, before the notebook runs.
    items = [f"- [{escape_text(name)}]({base}/data/{name}): {text}" for name, text in DOWNLOADS
             if (folder / name).exists()]
    return MarkdownBlock("Every number in this chapter can be downloaded:\n\n" + "\n".join(items))
