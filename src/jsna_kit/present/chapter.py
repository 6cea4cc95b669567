"""The sections of an area's chapter, each a function the notebook calls once. Each returns a
``MarkdownBlock`` built only from the chapter's data bundle (``ChapterData``): the numbers come
from the estimates table, the national figures from the reference data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES, priority_area
from .evidence import ROLE_ORDER, SECTION_ROLES, evidence_table
from .figures import estimate_range_chart
from .local import SUPPRESSED, context_finding, context_section, observed_finding, observed_section
from .maps import location_map
from .markdown import MarkdownBlock, cite, escape_text, figure, heading, table
from .numbers import count, is_missing
from .ranges import range_across_studies
from .sentences import gap_sentence, headline_sentence, proxy_sentence, source_keys, source_label

PLOTTED_ROLES = ("headline", "alternative", "proxy")


def _area_rows(data: ChapterData, key: str) -> list[dict]:
    """The area's estimates for one priority area: headline first, then by role, largest first."""
    def order(row: dict) -> tuple:
        expected = row["expected"]
        return (ROLE_ORDER.get(row["role"], 9), is_missing(expected), -(0.0 if is_missing(expected) else expected))

    return sorted(data.rows("estimates", key), key=order)


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
        bounds = f"{count(area.get('caseload_lower'))} to {count(area.get('caseload_upper'))}"
        lines.append(f"- **Caseload:** about {count(caseload)} people on probation — **modelled**, not a "
                     f"local count ({escape_text(area.get('caseload_basis', ''))}; plausible range {bounds})")
    lines.append(f"- **Built:** {built} with jsna-kit {escape_text(area.get('jsna_kit_version', ''))}")
    vintages = area.get("data_vintages") or {}
    if vintages:
        lines.append("- **Data used:** " + "; ".join(f"{escape_text(k)}: {escape_text(v)}"
                                                     for k, v in vintages.items()))
    lines += ["", reading_the_numbers(data), "", _location(data)]
    return MarkdownBlock("\n".join(lines))


def reading_the_numbers(data: ChapterData) -> str:
    """What the chapter's numbers and ranges mean, said once, for the kinds of range it shows."""
    kinds = {str(r.get("range_kind")) for r in data.rows("estimates")
             if r["role"] in PLOTTED_ROLES and not is_missing(r.get("expected"))}
    parts = ["**How to read the figures.** Every number of people is rounded to the nearest 5, and numbers "
             "of fewer than 5 real people are not shown, so no one can be identified."]
    if "confidence_interval" in kinds:
        parts.append("A *95% confidence interval* (95% CI) shows how precise a national study was: had the study "
                     "been repeated many times, 95 in 100 such ranges would contain the true figure. It covers "
                     "only the chance of who happened to be in the study, not whether people on probation here "
                     "differ from those studied.")
    if "uncertainty_range" in kinds:
        parts.append("A *95% uncertainty range* adds to that the uncertainty in the modelled number of people "
                     "on probation here; because that part is an assumption rather than a sample, it is not a "
                     "confidence interval.")
    if "caseload_range" in kinds:
        parts.append("Where a national study gives no sample size, the range shown covers only the modelled "
                     "number of people on probation, and the true range is wider.")
    return " ".join(parts)


def _location(data: ChapterData) -> str:
    """A map of the area within its region, or one line saying why there is none."""
    if data.region_areas is None or len(data.region_areas) == 0:
        return escape_text(data.map_note) if data.map_note else ""
    region = data.area.get("region_name") or "the region"
    path = Path(data.assets) / "figures" / "location.svg"
    alt = location_map(data.region_areas, data.area["area_code"], path, area_name=data.area_name,
                       region_name=region)
    return figure(f"{Path(data.assets).name}/figures/location.svg",
                  caption=f"{data.area_name} within {region}", alt=alt, identifier="fig-location")


def key_findings(data: ChapterData) -> MarkdownBlock:
    """One finding per priority area, worded from what the numbers hold: an estimate with or
    without an interval, a recorded gap with an illustration, local records higher, similar or
    lower than the national rate predicts, suppressed counts, local indicators against England."""
    caseload, kind = _caseload(data)
    bullets = []
    for key, title in PRIORITY_TITLES.items():
        rows = _area_rows(data, key)
        head = [r for r in rows if r["role"] == "headline"]
        if head:
            text = headline_sentence(head[0], area_name=data.area_name, caseload=caseload, caseload_kind=kind)
        else:
            text = ("No national figure describes this need among people on probation, so no local estimate "
                    "can be made: this is a gap in the evidence.")
            proxy = [r for r in rows if r["role"] == "proxy"]
            if proxy:
                text += " " + proxy_sentence(proxy[0], area_name=data.area_name)
        text += observed_finding(data, key) + context_finding(data, key)
        bullets.append(f"- **{escape_text(title)}.** {text}")
    return MarkdownBlock("\n".join(bullets))


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
    elif area.get("court_orders_licence_suppressed"):
        parts.append("The split between court orders and licence is not shown: one of the groups, or the "
                     "difference between a group and the total, is fewer than 5 people.")
    breakdown = area.get("caseload_breakdown") or []
    if breakdown:
        frame = {"Sex": [b["sex"] for b in breakdown], "Age band": [b["age_band"] for b in breakdown],
                 "People on probation": [SUPPRESSED if is_missing(b["caseload"]) else count(b["caseload"])
                                         for b in breakdown]}
        parts.append(table(frame, caption=f"People on probation in {data.area_name} by sex and age",
                           align=["left", "left", "right"]))
        if any(is_missing(b["caseload"]) for b in breakdown):
            parts.append(f"*{SUPPRESSED}*: fewer than 5 people, or hidden so that a small number cannot be "
                         "worked out from the totals.")
    if area.get("caseload_note"):
        parts.append(escape_text(area["caseload_note"]))
    national = data.rows("caseload_national")
    total = [r for r in national if r["measure"] == "total" and not is_missing(r["value"])]
    if total:
        latest = sorted(total, key=lambda r: str(r["date"]))[-1]
        orders = [r for r in national if r["measure"] == "court_orders" and r["date"] == latest["date"]]
        text = (f"Nationally, {count(latest['value'])} people were under Probation Service supervision in "
                f"England and Wales on {_date_words(latest['date'])} {cite(source_keys(latest['source_key']))}")
        if orders:
            text += (f", of whom {count(orders[0]['value'])} were on court orders (community orders "
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
    evidence = data.rows("evidence", key)
    parts = [heading(3, "Local estimate", identifier=f"sec-{ident}-estimate")]
    head = [r for r in rows if r["role"] == "headline"]
    if head:
        parts.append(headline_sentence(head[0], area_name=data.area_name, caseload=caseload, caseload_kind=kind))
    parts += [gap_sentence(gap) for gap in evidence if gap["role"] == "gap"]
    parts += [proxy_sentence(r, area_name=data.area_name) for r in rows if r["role"] == "proxy"]
    plotted = [{**r, "source_label": source_label(r["source_keys"], data.source)} for r in rows
               if r["role"] in PLOTTED_ROLES and not is_missing(r["expected"])]
    if plotted:
        parts.append(range_across_studies(plotted, area_name=data.area_name))
        path = Path(data.assets) / "figures" / f"{ident}-estimates.svg"
        alt = estimate_range_chart(plotted, path, area_name=data.area_name, topic=pa.title.lower())
        # The notebook runs beside its asset folder, so links are relative to that folder's parent.
        rel = f"{Path(data.assets).name}/figures/{path.name}"
        ranged = [r for r in plotted if not is_missing(r.get("expected_lower"))]
        drawn = ("; lines show each figure's range where it has one (see the text for what each range covers)"
                 if ranged else "; none of these figures has a range that can be drawn")
        parts.append(figure(rel, caption=f"{pa.title}: estimated number of people on probation in "
                            f"{data.area_name} with the need, by national source{drawn}",
                            alt=alt, identifier=f"fig-{ident}"))
    parts.append(observed_section(data, key, ident))
    parts.append(context_section(data, key, ident))
    parts.append(heading(3, "National evidence", identifier=f"sec-{ident}-evidence"))
    main = [e for e in evidence if e["role"] in SECTION_ROLES]
    parts.append(evidence_table(main, title=pa.title, ident=ident))
    others = len(evidence) - len(main)
    if others:
        parts.append(f"A further {others} figures from prisons, the general population or other measures "
                     f"are listed for comparison in the [appendix](#sec-appendix-{ident}).")
    parts.append(_pathways(data, key, ident))
    parts.append(_commissioning(data, key, ident))
    parts.append(_recommendations(data, key, ident))
    return MarkdownBlock("\n\n".join(p for p in parts if p))


def _nation_filter(rows: list[dict], country: str) -> list[dict]:
    """Rows that apply in ``country``: those for it, for England and Wales, or for no nation."""
    def applies(row: dict) -> bool:
        nation = row.get("nation")
        nation = "england and wales" if is_missing(nation) else str(nation).lower()
        return country.lower() in nation or "england and wales" in nation

    return [r for r in rows if applies(r)]


def _pathways(data: ChapterData, key: str, ident: str) -> str:
    def covers(row: dict) -> bool:
        keys = "" if is_missing(row.get("priority_areas")) else str(row["priority_areas"])
        return key in [k.strip() for k in keys.split(";")]

    applies = _nation_filter([r for r in data.rows("pathways") if covers(r)], data.country)
    if not applies:
        return ""
    items = [f"- **{escape_text(r['name'])}** — {escape_text(r['what_it_is'])} "
             f"*Commissioned by:* {escape_text(r['who_commissions'])}." for r in applies]
    return heading(3, "Treatment requirements and pathways", identifier=f"sec-{ident}-pathways") + "\n\n" + \
        "\n".join(items)


def _commissioning_table(rows: list[dict], *, caption: str, identifier: str) -> str:
    columns = {
        "Organisation": [r["organisation"] for r in rows],
        "What it does for people on probation": [r["role"] for r in rows],
        "Since": [r["as_of"] for r in rows],
        "Basis": [cite(source_keys(r["basis"])) or escape_text(r["basis"]) for r in rows],
    }
    return table(columns, caption=caption, identifier=identifier, align=["left"] * 4, raw_columns=["Basis"],
                 widths=[18, 52, 10, 20])


def _commissioners(data: ChapterData, key: str) -> list[dict]:
    rows = _nation_filter(data.rows("commissioning", key), data.country)
    return sorted(rows, key=lambda r: str(r["organisation"]))


def commissioning_overview(data: ChapterData) -> MarkdownBlock:
    """The organisations whose responsibilities cut across every priority area, once."""
    rows = _commissioners(data, "all")
    if not rows:
        return MarkdownBlock("")
    intro = (f"These organisations' responsibilities for the health of people on probation in {data.country} "
             "apply across all seven priority areas; each priority area's section adds who does what for that "
             "need.")
    return MarkdownBlock(intro + "\n\n" + _commissioning_table(
        rows, caption=f"Who commissions or provides what across all priority areas ({data.country})",
        identifier="tbl-commissioning"))


def _commissioning(data: ChapterData, key: str, ident: str) -> str:
    rows = _commissioners(data, key)
    if not rows:
        return ""
    return (heading(3, "Who commissions what", identifier=f"sec-{ident}-commissioning") + "\n\n"
            + "In addition to the [organisations that work across all priority areas](#sec-commissioning):\n\n"
            + _commissioning_table(rows, caption=f"Who commissions or provides what for "
                                   f"{PRIORITY_TITLES[key].lower()} ({data.country})",
                                   identifier=f"tbl-{ident}-commissioning"))


def _recommendations(data: ChapterData, key: str, ident: str) -> str:
    rec = data.rows("recommendations", key)
    if not rec:
        return ""
    items = [f"{i}. **{escape_text(r['audience'])}:** {escape_text(r['recommendation'])}"
             for i, r in enumerate(rec, start=1)]
    return heading(3, "Recommendations for the local system", identifier=f"sec-{ident}-recommendations") + \
        "\n\n" + "\n".join(items)


def appendix(data: ChapterData) -> MarkdownBlock:
    """Comparators (prisons, general population) and context figures (counts, rates, service
    measures) for each priority area: evidence a reader may want, but not what the local
    estimates rest on."""
    parts = ["Figures from other settings and other kinds of measure, kept for comparison. None of them is "
             "applied to the local caseload."]
    for key, title in PRIORITY_TITLES.items():
        ev = [e for e in data.rows("evidence", key) if e["role"] not in SECTION_ROLES]
        if not ev:
            continue
        ident = key.replace("_", "-")
        parts.append(heading(3, title, identifier=f"sec-appendix-{ident}"))
        parts.append(evidence_table(ev, title=f"{title} (comparators and context)", ident=f"{ident}-appendix"))
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
              + _no_address_limitation(data.rows("caseload_national"))]
    return MarkdownBlock("\n\n".join(parts))


def _no_address_limitation(national: list[dict]) -> str:
    """The share of people on probation who cannot be placed in any area, from the reference data."""
    rows = [r for r in national if r["measure"] in ("no_fixed_address_share_pct_min", "no_fixed_address_share_pct_max")
            and not is_missing(r["value"])]
    if len(rows) < 2:
        return ""
    low, high = sorted(float(r["value"]) for r in rows)
    keys = sorted({k for r in rows for k in source_keys(r["source_key"])})
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
