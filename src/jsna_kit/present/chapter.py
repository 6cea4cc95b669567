"""The main sections of an area's chapter, each a function the notebook calls once, in the order
a board member reads them: the summary first, then the area, the caseload, who commissions what,
and the seven priority areas (``findings`` and ``appendix`` hold what follows). Each returns a
``MarkdownBlock`` with its own heading, built only from the chapter's data bundle
(``ChapterData``): the numbers come from the estimates table, the national figures from the
reference data, the words of the system from the area's nation (``nation``)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES, priority_area
from .adjusted import adjusted_paragraph, adjusted_rows
from .appendix import policy_checked
from .bodies import system_table
from .commentary import commentary
from .context_chart import context_chart_block
from .deaths import expected_deaths_sentence, local_rates_sentence
from .evidence import ROLE_ORDER
from .figures import estimate_range_chart
from .glossary import expand_first_use
from .local import SUPPRESSED, compared_words, indicator_value, observed_section, printed_decimals
from .maps import location_map
from .markdown import MarkdownBlock, cite, escape_text, figure, heading, possessive, table
from .nation import STRATEGY_NOTE, system_for
from .neighbours import similar_areas_block
from .notable import caseload_facts, notable_facts
from .numbers import count, in_words, is_missing, percent
from .ranges import range_across_studies
from .sentences import grade_sentence, headline_sentence, proxy_sentence, setting_words, source_keys, source_label
from .services import commissioners, commissioning_for, local_services_table, pathways, recommendations_for
from .summary import summary

PLOTTED_ROLES = ("headline", "alternative", "proxy")
#: A chart's share of the PDF's and Word's text width (at full width a 440 px chart would be drawn
#: half as large again, and push the page over); web pages show it at its own size (chapter.css).
CHART_WIDTH = "70%"


def _area_rows(data: ChapterData, key: str) -> list[dict]:
    """The area's estimates for one priority area: headline first, then by role, largest first."""
    def order(row: dict) -> tuple:
        expected = row["expected"]
        return (ROLE_ORDER.get(row["role"], 9), is_missing(expected), -(0.0 if is_missing(expected) else expected))

    return sorted(data.rows("estimates", key), key=order)


def _caseload(data: ChapterData) -> tuple[float, str]:
    area = data.area
    return float(area["caseload"]), str(area["caseload_kind"])


def summary_section(data: ChapterData, *, notable: list[str] | None = None) -> MarkdownBlock:
    """What this means for the area: at a glance, key messages, the top three recommendations."""
    notable = notable_facts(data) if notable is None else notable
    body = summary(data, notable=notable, introduction=commentary(data, "introduction"))
    return MarkdownBlock(heading(2, "Summary", identifier="sec-summary") + "\n\n" + expand_first_use(body))


def contents(data: ChapterData) -> MarkdownBlock:
    """The PDF's contents page, after the summary (the web page has its own "On this page"): its
    sections, which the PDF writes as headings of level 1 (``filters/chapter_formats.lua``)."""
    return MarkdownBlock("```{=typst}\n#pagebreak(weak: true)\n#columns(2)[#outline(title: [Contents], depth: 1)]\n```")


def about(data: ChapterData) -> MarkdownBlock:
    area = data.area
    caseload, kind = _caseload(data)
    system = system_for(data.country, area["area_code"])
    built = dt.date.fromisoformat(area["built"]).strftime("%-d %B %Y")
    where = escape_text(data.area_name)
    if area.get("region_name"):
        where += f", {escape_text(area['region_name'])}"
    lines = [
        f"This chapter of the {system.assessment} describes the health and social care needs of people on "
        f"probation living in {escape_text(data.area_name)}. It applies national evidence to the local caseload: "
        "the figures are estimates of need, not counts of people known to services.",
        "",
        escape_text(STRATEGY_NOTE),
        "",
        f"- **Area:** {where}",
    ]
    if area.get("probation_region_name"):
        lines.append(f"- **Probation region:** {escape_text(area['probation_region_name'])}")
    if kind == "local":
        lines.append(f"- **People on probation:** {count(caseload)} (a local count; "
                     f"{escape_text(area.get('caseload_source') or 'given by the local probation service')})")
    else:
        lines.append(f"- **People on probation:** about {count(caseload)}, modelled (plausible range "
                     f"{count(area.get('caseload_lower'))} to {count(area.get('caseload_upper'))})")
    details = area.get("chapter_details") or {}
    for key, label in (("author", "Published by"), ("contact", "Contact"), ("next_review", "Next review")):
        if details.get(key):
            lines.append(f"- **{label}:** {escape_text(details[key])}")
    lines.append(f"- **Produced:** {built}")
    checked = policy_checked(data)
    if checked:
        lines.append(f"- **National policy last checked:** {checked} ([Appendix F](#sec-policy))")
    lines += ["", reading_the_numbers(data), "", _location(data)]
    return MarkdownBlock(heading(2, "About this chapter", identifier="sec-about") + "\n\n" + "\n".join(lines))


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
    drawn = [k for k in ("confidence_interval", "uncertainty_range", "caseload_range") if k in kinds]
    if len(drawn) > 1:
        styles = {"confidence_interval": "solid|a 95% CI", "uncertainty_range": "dashed|a 95% uncertainty range",
                  "caseload_range": "dotted|the caseload alone"}
        parts.append("In the charts " + ", ".join(f"a {styles[k].replace('|', ' line is ' if i == 0 else ' line ')}"
                                                  for i, k in enumerate(drawn)) + "; each chart's key names them.")
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
                  caption=f"{data.area_name} within {region}", alt=alt, identifier="figure-location", width="55%")


def caseload_section(data: ChapterData) -> MarkdownBlock:
    """Who is on probation locally, the national picture, and the analyst's "what is happening
    locally"."""
    area = data.area
    caseload, kind = _caseload(data)
    if kind == "local":
        first = (f"{escape_text(data.area_name)} has **{count(caseload)}** people on probation "
                 f"({escape_text(area.get('caseload_source') or 'figure given by the analyst')}).")
    else:
        regional = str(area.get("caseload_pool") or "national") != "national"
        pool = "the probation region's published caseload" if regional else "the national caseload"
        first = (f"No local count of people on probation was available, so this chapter uses a **modelled** "
                 f"figure of about **{count(caseload)}** people (plausibly {count(area.get('caseload_lower'))} to "
                 f"{count(area.get('caseload_upper'))}): {pool} shared out by adults, weighted by how "
                 f"deprived each area is. [Appendix D](#sec-methods-caseload) explains the model and how it was "
                 "checked against published local figures. A count from the local probation delivery unit would "
                 "replace it. " + " ".join(caseload_facts(data)))
    parts = [first]
    if area.get("court_orders") is not None or area.get("licence") is not None:
        bits = []
        if area.get("court_orders") is not None:
            bits.append(f"{count(area['court_orders'])} are on court orders")
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
    parts.append(commentary(data, "local_picture"))
    compared = similar_areas_block(data)
    if compared:
        parts += [compared, "[Appendix B](#sec-local-indicators-chart) shows every local indicator against "
                  f"{'Wales' if data.country == 'Wales' else 'England'}."]
    elif not data.rows("context"):
        parts.append(context_chart_block(data))  # says what is missing
    return MarkdownBlock(heading(2, "Who is on probation locally", identifier="sec-caseload") + "\n\n"
                         + "\n\n".join(p for p in parts if p))


def _date_words(value: str) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%-d %B %Y")
    except ValueError:
        return escape_text(value)


def commissioning_overview(data: ChapterData) -> MarkdownBlock:
    """The organisations whose responsibilities cut across every priority area, named here and
    described in an appendix, and the analyst's map of local services."""
    rows = commissioners(data, "all")
    parts = [heading(2, "Who commissions what", identifier="sec-commissioning")]
    local = system_table(data)
    if local:
        parts += [f"These are the bodies that commission, provide or hold to account the services people on probation "
                  f"in {escape_text(data.area_name)} use. Where a body covers only part of the area, its share of "
                  "the area's neighbourhoods is shown.", local]
    if rows:
        parts.append(f"{in_words(len(rows), capital=True)} kinds of organisation share responsibility across all "
                     f"seven priority areas in {data.country}; [Appendix A](#sec-who-does-what) says what each one "
                     "does, and each priority area's section below names who does what here for that need.")
    parts += [local_services_table(data), commentary(data, "services")]
    return MarkdownBlock(expand_first_use("\n\n".join(p for p in parts if p)))


def national_prose(data: ChapterData, key: str) -> str:
    """What we know nationally, in prose: the headline figure, where it comes from and how sure
    we can be; or that no probation figure exists."""
    rows = _area_rows(data, key)
    head = [r for r in rows if r["role"] == "headline"]
    if not head:
        return ("No published national figure describes this need among people on probation, so no local "
                "estimate can be made from probation evidence: this is a gap in the evidence.")
    row = head[0]
    text = (f"The best national figure for people on probation is that {percent(row['prevalence_pct'])} "
            f"{escape_text(row['finding_phrase'])} ({escape_text(setting_words(row))}) "
            f"{cite(source_keys(row['source_keys']))}. {grade_sentence(row)}")
    return text.replace(" .", ".")


def priority_section(data: ChapterData, key: str) -> MarkdownBlock:
    pa = priority_area(key)
    ident = key.replace("_", "-")
    caseload, kind = _caseload(data)
    rows = _area_rows(data, key)
    plotted = [{**r, "source_label": source_label(r["source_keys"], data.source)} for r in rows
               if r["role"] in PLOTTED_ROLES and not is_missing(r["expected"])]
    parts = [heading(2, pa.title, identifier=f"sec-{ident}"),
             heading(3, "What we know nationally", identifier=f"sec-{ident}-national"),
             national_prose(data, key)]
    if plotted:
        parts.append(range_across_studies(plotted, area_name=data.area_name))
    parts.append(heading(3, f"What it means for {data.area_name}", identifier=f"sec-{ident}-estimate"))
    head = [r for r in rows if r["role"] == "headline"]
    if head:
        parts.append(headline_sentence(head[0], area_name=data.area_name, caseload=caseload, caseload_kind=kind,
                                       with_grade=False))
        parts += [adjusted_paragraph(r, area_name=data.area_name) for r in adjusted_rows(data, key)]
    parts += [proxy_sentence(r, area_name=data.area_name) for r in rows if r["role"] == "proxy"]
    if len(plotted) > 1:  # a chart of one figure says nothing the sentence does not
        path = Path(data.assets) / "figures" / f"{ident}-estimates.svg"
        alt = estimate_range_chart(plotted, path, area_name=data.area_name, topic=pa.title.lower())
        ranged = [r for r in plotted if not is_missing(r.get("expected_lower"))]
        drawn = ("; lines show each figure's range where it has one (see the text for what each range covers)"
                 if ranged else "; none of these figures has a range that can be drawn")
        # The notebook runs beside its asset folder, so links are relative to that folder's parent.
        parts.append(figure(f"{Path(data.assets).name}/figures/{path.name}",
                            caption=f"{pa.title}: estimated number of people on probation in {data.area_name} "
                                    f"with the need, by national source{drawn}",
                            alt=alt, identifier=f"figure-{ident}", width=CHART_WIDTH))
    parts += [observed_section(data, key, ident), context_brief(data, key, ident)]
    if key == "suicide_prevention":
        parts.append(expected_deaths_brief(data))
    parts += [pathways(data, key, ident), commissioning_for(data, key, ident), recommendations_for(data, key, ident)]
    return MarkdownBlock(expand_first_use("\n\n".join(p for p in parts if p)))


def per_head_sentence(data: ChapterData) -> str:
    """For a need no local indicator bears on: the estimate follows the caseload alone, so what
    sets the area apart is how many people are on probation per adult, against the nation."""
    local, national = data.area.get("caseload_per_1000_adults"), data.area.get("national_caseload_per_1000_adults")
    if is_missing(local) or is_missing(national) or not float(national):
        return ""
    ratio = float(local) / float(national)
    nation = "Wales" if data.country == "Wales" else "England"
    where = escape_text(data.area_name)
    kind = "" if data.area.get("caseload_kind") == "local" else " (modelled)"
    if abs(ratio - 1) < 0.15:
        return (f"The estimate follows the caseload alone, and {where} has about as many people on probation per "
                f"adult as {nation} as a whole{kind}, so this need is likely about as common per head of population "
                "as nationally.")
    way = "more" if ratio > 1 else "fewer"
    return (f"The estimate follows the caseload alone: with {float(local):.1f} people on probation per 1,000 adults"
            f"{kind} against {float(national):.1f} for England and Wales, {where} is likely to have {way} people "
            f"with this need per head of population than most areas.")


def context_brief(data: ChapterData, key: str, ident: str) -> str:
    """The priority area's local indicators in one paragraph, each against England (better,
    similar or worse where it has an interval; higher or lower where it has none); the table is
    in the appendix."""
    rows = data.rows("context", key)
    head = heading(3, "Local context", identifier=f"sec-{ident}-context")
    if not rows:
        if data.area.get("context_source") in (None, "none"):
            return ""  # said once, under the caseload, rather than in every section
        older = older_adults_sentence(data) if key == "social_care" else ""
        # No local indicator bears on the pathway: how many people on probation there are per
        # adult is what sets the area apart on it.
        per_head = " " + per_head_sentence(data) if key == "opd_pathway" else ""
        return head + "\n\n" + (older or f"No local indicator for {PRIORITY_TITLES[key].lower()} was available."
                                  + per_head)
    standing = neighbour_positions(data)

    def distance(r: dict) -> float:  # furthest from the nation's value first
        value, nation = r.get("value"), r.get("england_value")
        if is_missing(value) or is_missing(nation) or not float(nation) or float(value) <= 0:
            return 0.0
        return abs(math.log(float(value) / float(nation)))

    items = []
    for r in sorted(rows, key=lambda r: -distance(r)):
        nation = escape_text(str(r.get("comparator_name") or "England"))
        place = standing.get(str(r["indicator_name"]), "")
        decimals = printed_decimals(r)
        items.append(f"{escape_text(r['indicator_name'])}: {indicator_value(r['value'], r['unit'], decimals)} "
                     f"({compared_words(r, r['benchmark_england_95'])}; {nation} "
                     f"{indicator_value(r['england_value'], r['unit'], decimals)}{'; ' + place if place else ''})")
    return (head + "\n\n" + "For the whole population of " + escape_text(data.area_name) + ": " + "; ".join(items)
            + ". [Appendix B](#sec-local-indicators) gives the periods and sources.")


def older_adults_sentence(data: ChapterData) -> str:
    """Social care's local context: no indicator measures care needs among people on probation, but
    need for care rises with age, and the area's adults may be older or younger than its nation's."""
    shares = data.area.get("adult_age_shares") or {}
    area, nation = shares.get("area") or {}, shares.get("nation") or {}
    if not area or not nation:
        return ""
    older = area.get("50-64", 0) + area.get("65+", 0)
    national = nation.get("50-64", 0) + nation.get("65+", 0)
    name = escape_text(shares.get("nation_name") or data.country)
    if older - national >= 2:
        what = "An older population than the nation's suggests the illustration above may understate need here."
    elif national - older >= 2:
        what = "A younger population than the nation's suggests care needs may be a little less common here."
    else:
        what = "That is close to the national share, so age gives no reason to expect care needs to differ here."
    return (f"No indicator measures care and support needs among people on probation, but need for care rises with "
            f"age. {older:.0f}% of {possessive(data.area_name)} adults are 50 or over ({name}: {national:.0f}%). "
            f"{what}")


def neighbour_positions(data: ChapterData) -> dict[str, str]:
    """By indicator name: ``3rd highest of 11 similar areas``, from the bundle's neighbours table."""
    from .neighbours import area_standing, ordinal

    if "positions" in data._records:
        return data._records["positions"]
    standing = area_standing(data)
    out: dict[str, str] = {}
    data._records["positions"] = out
    if standing is None:
        return out
    for r in standing.to_dict("records"):
        if int(r["compared"]) < 2:
            continue
        high, low = int(r["position"]), int(r["position_from_lowest"])
        where = (f"the highest of {r['compared']} similar areas" if high == 1 else
                 f"the lowest of {r['compared']} similar areas" if low == 1 else
                 f"{ordinal(high)} highest of {r['compared']} similar areas" if high <= low else
                 f"{ordinal(low)} lowest of {r['compared']} similar areas")
        out[str(r["indicator_name"])] = where
    return out


def expected_deaths_brief(data: ChapterData) -> str:
    """Expected suicides and drug-related deaths a year among the local caseload, and how the
    area's own death rates move them; the working and its assumptions are in the appendix."""
    sentence = expected_deaths_sentence(data)
    if not sentence:
        return ""
    local = local_rates_sentence(data)
    return (heading(3, "Expected deaths among people on probation", identifier="sec-suicide-prevention-expected")
            + "\n\n" + sentence + (" " + local if local else "")
            + " [Appendix B](#sec-suicide-prevention-deaths) shows the working and the assumptions it rests on.")
