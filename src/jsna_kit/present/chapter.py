"""The main sections of an area's chapter, each a function the notebook calls once, in the order
a board member reads them: the summary first, then the area, the caseload, who commissions what,
and the seven priority areas (``findings`` and ``appendix`` hold what follows). Each returns a
``MarkdownBlock`` with its own heading, built only from the chapter's data bundle
(``ChapterData``): the numbers come from the estimates table, the national figures from the
reference data, the words of the system from the area's nation (``nation``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..load.chapter_data import ChapterData
from .adjusted import adjusted_paragraph, adjusted_rows
from .appendix import policy_checked
from .bodies import system_table
from .commentary import commentary
from .context_chart import context_chart_block
from .deaths import expected_deaths_sentence, local_rates_sentence
from .evidence import ROLE_ORDER
from .figures import estimate_range_chart
from .glossary import expand_first_use, glossary_for
from .lang import N_, in_place, long_date, translate
from .local import SUPPRESSED, observed_section
from .local_context import context_brief, priority_title, priority_topic
from .maps import location_map
from .markdown import MarkdownBlock, cite, escape_text, figure, heading, table
from .nation import STRATEGY_NOTE, nation_name, system_for
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
    return MarkdownBlock(heading(2, translate(data.language, "Summary"), identifier="sec-summary") + "\n\n"
                         + expand_first_use(body, entries=glossary_for(data)))


def contents(data: ChapterData) -> MarkdownBlock:
    """The PDF's contents page, after the summary (the web page has its own "On this page"): its
    sections, which the PDF writes as headings of level 1 (``filters/chapter_formats.lua``)."""
    title = translate(data.language, "Contents")
    outline = f"#columns(2)[#outline(title: [{title}], depth: 1)]"
    return MarkdownBlock(f"```{{=typst}}\n#pagebreak(weak: true)\n{outline}\n```")


#: The analyst's details "About this chapter" lists, with their labels.
DETAIL_LABELS = (("author", N_("Published by")), ("contact", N_("Contact")), ("next_review", N_("Next review")))


def about(data: ChapterData) -> MarkdownBlock:
    area = data.area
    lang = data.language
    caseload, kind = _caseload(data)
    system = system_for(data.country, area["area_code"], language=lang)
    built = long_date(lang, dt.date.fromisoformat(area["built"]))
    where = escape_text(data.area_name)
    if area.get("region_name"):  # a Welsh area's region is Wales, named in the chapter's language
        where += f", {escape_text(nation_name(lang, area['region_name']))}"

    def item(label: str, value: str) -> str:
        return f"- **{label}:** {value}"

    lines = [
        translate(lang, "This chapter of the {assessment} describes the health and social care needs of people on "
                  "probation living {in_area}. It applies national evidence to the local caseload: the figures are "
                  "estimates of need, not counts of people known to services.",
                  assessment=system.assessment, in_area=in_place(lang, escape_text(data.area_name))),
        "",
        escape_text(translate(lang, STRATEGY_NOTE)),
        "",
        item(translate(lang, "Area"), where),
    ]
    if area.get("probation_region_name"):
        lines.append(item(translate(lang, "Probation region"),
                          escape_text(nation_name(lang, area["probation_region_name"]))))
    people = translate(lang, "People on probation")
    if kind == "local":
        source = escape_text(area.get("caseload_source") or translate(lang, "given by the local probation service"))
        lines.append(item(people, translate(lang, "{n} (a local count; {source})", n=count(caseload, language=lang),
                                            source=source)))
    else:
        lines.append(item(people, translate(lang, "about {n}, modelled (plausible range {lower} to {upper})",
                                            n=count(caseload, language=lang),
                                            lower=count(area.get("caseload_lower"), language=lang),
                                            upper=count(area.get("caseload_upper"), language=lang))))
    details = area.get("chapter_details") or {}
    for key, label in DETAIL_LABELS:
        if details.get(key):
            lines.append(item(translate(lang, label), escape_text(details[key])))
    lines.append(item(translate(lang, "Produced"), built))
    checked = policy_checked(data)
    if checked:
        lines.append(item(translate(lang, "National policy last checked"),
                          translate(lang, "{checked} ([Appendix F](#sec-policy))", checked=checked)))
    lines += ["", reading_the_numbers(data), "", _location(data)]
    return MarkdownBlock(heading(2, translate(lang, "About this chapter", context="heading"), identifier="sec-about")
                         + "\n\n" + "\n".join(lines))


#: How each kind of range is drawn in the charts: said first (with its verb), then after it.
LINE_STYLES = {
    "confidence_interval": (N_("a solid line is a 95% CI"), N_("a solid line a 95% CI")),
    "uncertainty_range": (N_("a dashed line is a 95% uncertainty range"), N_("a dashed line a 95% uncertainty range")),
    "caseload_range": (N_("a dotted line is the caseload alone"), N_("a dotted line the caseload alone")),
}


def reading_the_numbers(data: ChapterData) -> str:
    """What the chapter's numbers and ranges mean, said once, for the kinds of range it shows."""
    lang = getattr(data, "language", "en")
    kinds = {str(r.get("range_kind")) for r in data.rows("estimates")
             if r["role"] in PLOTTED_ROLES and not is_missing(r.get("expected"))}
    parts = [translate(lang, "**How to read the figures.** Every number of people is rounded to the nearest 5, and "
                       "numbers of fewer than 5 real people are not shown, so no one can be identified.")]
    if "confidence_interval" in kinds:
        parts.append(translate(lang, "A *95% confidence interval* (95% CI) shows how precise a national study was: "
                               "had the study been repeated many times, 95 in 100 such ranges would contain the true "
                               "figure. It covers only the chance of who happened to be in the study, not whether "
                               "people on probation here differ from those studied."))
    if "uncertainty_range" in kinds:
        parts.append(translate(lang, "A *95% uncertainty range* adds to that the uncertainty in the modelled number "
                               "of people on probation here; because that part is an assumption rather than a sample, "
                               "it is not a confidence interval."))
    if "caseload_range" in kinds:
        parts.append(translate(lang, "Where a national study gives no sample size, the range shown covers only the "
                               "modelled number of people on probation, and the true range is wider."))
    drawn = [k for k in ("confidence_interval", "uncertainty_range", "caseload_range") if k in kinds]
    if len(drawn) > 1:
        lines = ", ".join(translate(lang, LINE_STYLES[k][0 if i == 0 else 1]) for i, k in enumerate(drawn))
        parts.append(translate(lang, "In the charts {lines}; each chart's key names them.", lines=lines))
    return " ".join(parts)


def _location(data: ChapterData) -> str:
    """A map of the area within its region, or one line saying why there is none."""
    if data.region_areas is None or len(data.region_areas) == 0:
        return escape_text(data.map_note) if data.map_note else ""
    lang = data.language
    region = nation_name(lang, data.area.get("region_name") or translate(lang, "the region"))
    path = Path(data.assets) / "figures" / "location.svg"
    alt = location_map(data.region_areas, data.area["area_code"], path, area_name=data.area_name,
                       region_name=region, language=lang)
    return figure(f"{Path(data.assets).name}/figures/location.svg",
                  caption=translate(lang, "{area} within {region}", area=data.area_name, region=region), alt=alt,
                  identifier="figure-location", width="55%")


def caseload_section(data: ChapterData) -> MarkdownBlock:
    """Who is on probation locally, the national picture, and the analyst's "what is happening
    locally"."""
    area = data.area
    lang = data.language
    caseload, kind = _caseload(data)
    if kind == "local":
        source = area.get("caseload_source") or translate(lang, "figure given by the analyst")
        first = translate(lang, "{area} has **{n}** people on probation ({source}).", area=escape_text(data.area_name),
                          n=count(caseload, language=lang), source=escape_text(source))
    else:
        regional = str(area.get("caseload_pool") or "national") != "national"
        pool = (translate(lang, "the probation region's published caseload") if regional
                else translate(lang, "the national caseload"))
        first = translate(lang, "No local count of people on probation was available, so this chapter uses a "
                          "**modelled** figure of about **{n}** people (plausibly {lower} to {upper}): {pool} shared "
                          "out by adults, weighted by how deprived each area is. [Appendix D](#sec-methods-caseload) "
                          "explains the model and how it was checked against published local figures. A count from "
                          "the local probation delivery unit would replace it. ",
                          n=count(caseload, language=lang), lower=count(area.get("caseload_lower"), language=lang),
                          upper=count(area.get("caseload_upper"), language=lang), pool=pool)
        first += " ".join(caseload_facts(data))
    parts = [first]
    orders, licence = area.get("court_orders"), area.get("licence")
    if orders is not None and licence is not None:
        parts.append(translate(lang, "Of these, {orders} are on court orders and {licence} on licence or "
                               "post-sentence supervision (some people are on both).",
                               orders=count(orders, language=lang), licence=count(licence, language=lang)))
    elif orders is not None:
        parts.append(translate(lang, "Of these, {orders} are on court orders (some people are on both).",
                               orders=count(orders, language=lang)))
    elif licence is not None:
        parts.append(translate(lang, "Of these, {licence} on licence or post-sentence supervision (some people are "
                               "on both).", licence=count(licence, language=lang)))
    elif area.get("court_orders_licence_suppressed"):
        parts.append(translate(lang, "The split between court orders and licence is not shown: one of the groups, or "
                               "the difference between a group and the total, is fewer than 5 people."))
    breakdown = area.get("caseload_breakdown") or []
    if breakdown:
        frame = {translate(lang, "Sex"): [b["sex"] for b in breakdown],
                 translate(lang, "Age band"): [b["age_band"] for b in breakdown],
                 translate(lang, "People on probation"): [SUPPRESSED if is_missing(b["caseload"])
                                                          else count(b["caseload"], language=lang)
                                                          for b in breakdown]}
        parts.append(table(frame, caption=translate(lang, "People on probation {in_area} by sex and age",
                                                    in_area=in_place(lang, data.area_name)),
                           align=["left", "left", "right"]))
        if any(is_missing(b["caseload"]) for b in breakdown):
            parts.append(translate(lang, "*{suppressed}*: fewer than 5 people, or hidden so that a small number "
                                   "cannot be worked out from the totals.", suppressed=SUPPRESSED))
    if area.get("caseload_note"):
        parts.append(escape_text(area["caseload_note"]))
    national = data.rows("caseload_national")
    total = [r for r in national if r["measure"] == "total" and not is_missing(r["value"])]
    if total:
        latest = sorted(total, key=lambda r: str(r["date"]))[-1]
        orders_then = [r for r in national if r["measure"] == "court_orders" and r["date"] == latest["date"]]
        values = {"n": count(latest["value"], language=lang), "date": _date_words(latest["date"], language=lang),
                  "citation": cite(source_keys(latest["source_key"]))}
        if orders_then:
            parts.append(translate(lang, "Nationally, {n} people were under Probation Service supervision in England "
                                   "and Wales on {date} {citation}, of whom {orders} were on court orders (community "
                                   "orders and suspended sentence orders with requirements); the rest were on licence "
                                   "or post-sentence supervision after prison, and some people are on both.",
                                   orders=count(orders_then[0]["value"], language=lang), **values))
        else:
            parts.append(translate(lang, "Nationally, {n} people were under Probation Service supervision in England "
                                   "and Wales on {date} {citation}.", **values))
    parts.append(commentary(data, "local_picture"))
    compared = similar_areas_block(data)
    if compared:
        parts += [compared, translate(lang, "[Appendix B](#sec-local-indicators-chart) shows every local indicator "
                                      "against Wales.") if data.country == "Wales" else
                  translate(lang, "[Appendix B](#sec-local-indicators-chart) shows every local indicator against "
                            "England.")]
    elif not data.rows("context"):
        parts.append(context_chart_block(data))  # says what is missing
    return MarkdownBlock(heading(2, translate(lang, "Who is on probation locally"), identifier="sec-caseload") + "\n\n"
                         + "\n\n".join(p for p in parts if p))


def _date_words(value: str, *, language: str = "en") -> str:
    try:
        return long_date(language, dt.date.fromisoformat(str(value)))
    except ValueError:
        return escape_text(value)


def commissioning_overview(data: ChapterData) -> MarkdownBlock:
    """The organisations whose responsibilities cut across every priority area, named here and
    described in an appendix, and the analyst's map of local services."""
    lang = data.language
    rows = commissioners(data, "all")
    parts = [heading(2, translate(lang, "Who commissions what"), identifier="sec-commissioning")]
    local = system_table(data)
    if local:
        parts += [translate(lang, "These are the bodies that commission, provide or hold to account the services "
                            "people on probation {in_area} use. Where a body covers only part of the area, its share "
                            "of the area's neighbourhoods is shown.",
                            in_area=in_place(lang, escape_text(data.area_name))), local]
    if rows:
        parts.append(translate(lang, "{number} kinds of organisation share responsibility across all seven priority "
                               "areas {in_nation}; [Appendix A](#sec-who-does-what) says what each one does, and each "
                               "priority area's section below names who does what here for that need.",
                               number=in_words(len(rows), capital=True, language=lang),
                               in_nation=in_place(lang, nation_name(lang, data.country))))
    parts += [local_services_table(data), commentary(data, "services")]
    return MarkdownBlock(expand_first_use("\n\n".join(p for p in parts if p), entries=glossary_for(data)))


def national_prose(data: ChapterData, key: str) -> str:
    """What we know nationally, in prose: the headline figure, where it comes from and how sure
    we can be; or that no probation figure exists."""
    lang = data.language
    rows = _area_rows(data, key)
    head = [r for r in rows if r["role"] == "headline"]
    if not head:
        return translate(lang, "No published national figure describes this need among people on probation, so no "
                         "local estimate can be made from probation evidence: this is a gap in the evidence.")
    row = head[0]
    text = translate(lang, "The best national figure for people on probation is that {share} {finding} ({setting}) "
                     "{citation}. {grade}", share=percent(row["prevalence_pct"], language=lang),
                     finding=escape_text(row["finding_phrase"]), setting=escape_text(setting_words(row, language=lang)),
                     citation=cite(source_keys(row["source_keys"])), grade=grade_sentence(row, language=lang))
    return text.replace(" .", ".")


def priority_section(data: ChapterData, key: str) -> MarkdownBlock:
    lang = data.language
    title = priority_title(lang, key)
    ident = key.replace("_", "-")
    caseload, kind = _caseload(data)
    rows = _area_rows(data, key)
    plotted = [{**r, "source_label": source_label(r["source_keys"], data.source, language=lang)} for r in rows
               if r["role"] in PLOTTED_ROLES and not is_missing(r["expected"])]
    parts = [heading(2, title, identifier=f"sec-{ident}"),
             heading(3, translate(lang, "What we know nationally"), identifier=f"sec-{ident}-national"),
             national_prose(data, key)]
    if plotted:
        parts.append(range_across_studies(plotted, area_name=data.area_name, language=lang))
    parts.append(heading(3, translate(lang, "What it means for {area}", area=data.area_name),
                         identifier=f"sec-{ident}-estimate"))
    head = [r for r in rows if r["role"] == "headline"]
    if head:
        parts.append(headline_sentence(head[0], area_name=data.area_name, caseload=caseload, caseload_kind=kind,
                                       with_grade=False, language=lang))
        parts += [adjusted_paragraph(r, area_name=data.area_name, language=lang) for r in adjusted_rows(data, key)]
    parts += [proxy_sentence(r, area_name=data.area_name, language=lang) for r in rows if r["role"] == "proxy"]
    if len(plotted) > 1:  # a chart of one figure says nothing the sentence does not
        path = Path(data.assets) / "figures" / f"{ident}-estimates.svg"
        alt = estimate_range_chart(plotted, path, area_name=data.area_name, topic=priority_topic(lang, key),
                                   language=lang)
        ranged = [r for r in plotted if not is_missing(r.get("expected_lower"))]
        in_area = in_place(lang, data.area_name)
        caption = (translate(lang, "{title}: estimated number of people on probation {in_area} with the need, by "
                             "national source; lines show each figure's range where it has one (see the text for "
                             "what each range covers)", title=title, in_area=in_area) if ranged else
                   translate(lang, "{title}: estimated number of people on probation {in_area} with the need, by "
                             "national source; none of these figures has a range that can be drawn",
                             title=title, in_area=in_area))
        # The notebook runs beside its asset folder, so links are relative to that folder's parent.
        parts.append(figure(f"{Path(data.assets).name}/figures/{path.name}", caption=caption,
                            alt=alt, identifier=f"figure-{ident}", width=CHART_WIDTH))
    parts += [observed_section(data, key, ident), context_brief(data, key, ident)]
    if key == "suicide_prevention":
        parts.append(expected_deaths_brief(data))
    parts += [pathways(data, key, ident), commissioning_for(data, key, ident), recommendations_for(data, key, ident)]
    return MarkdownBlock(expand_first_use("\n\n".join(p for p in parts if p), entries=glossary_for(data)))


def expected_deaths_brief(data: ChapterData) -> str:
    """Expected suicides and drug-related deaths a year among the local caseload, and how the
    area's own death rates move them; the working and its assumptions are in the appendix."""
    lang = data.language
    sentence = expected_deaths_sentence(data)
    if not sentence:
        return ""
    local = local_rates_sentence(data)
    return (heading(3, translate(lang, "Expected deaths among people on probation"),
                    identifier="sec-suicide-prevention-expected")
            + "\n\n" + sentence + (" " + local if local else "")
            + " " + translate(lang, "[Appendix B](#sec-suicide-prevention-deaths) shows the working and the "
                              "assumptions it rests on."))
