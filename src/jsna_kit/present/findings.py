"""After the priority areas: the groups whose needs differ, what we don't know, and the views of
people on probation and services (the analyst's own words). Worded only from what the reference
data and the area's bundle hold: a group without figures is said to have none, never given one."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..model.rounding import fixed_range
from ..priorities import PRIORITY_TITLES
from .commentary import commentary
from .glossary import expand_first_use
from .markdown import MarkdownBlock, cite, escape_text, heading, possessive
from .numbers import in_words, is_missing, percent
from .sentences import setting_words, source_keys

PROBATION = ("probation_caseload", "probation_co_starters", "probation_other")
GROUP_NAMES = {"female": "Women", "male": "Men"}


def _group(row: dict) -> str | None:
    sex, age = str(row.get("sex") or "all"), str(row.get("age_band") or "all")
    if sex != "all":
        return GROUP_NAMES.get(sex, sex.capitalize())
    if age != "all" and age not in ("18+", "16+", "16-64", "16-74", "10+"):
        return f"People aged {age[:-1]} and over" if age.endswith("+") else f"People aged {age}"
    return None


def group_sentences(data: ChapterData) -> list[str]:
    """A sentence for each figure the reference data hold for women, men, an age group, in
    probation settings, set beside the figure for everyone where there is one."""
    evidence = data.rows("evidence")
    by_id = {r["estimate_id"]: r for r in evidence}
    out = []
    for row in evidence:
        group = _group(row)
        if (group is None or str(row.get("setting_type")) not in PROBATION or is_missing(row.get("value"))
                or str(row.get("unit")) != "percent" or str(row.get("status")) == "gap"):
            continue
        text = f"**{group}:** {percent(row['value'])} of {escape_text(setting_words(row))}"
        if str(row.get("measure_kind")) != "age_profile":  # for an age profile, the group is the measure
            measure = escape_text(str(row["measure"]).rstrip("."))
            text += f": {measure[:1].lower()}{measure[1:]}" if measure[1:2].islower() else f": {measure}"
        parent = by_id.get(row.get("parent_estimate_id"))
        if parent is not None and not is_missing(parent.get("value")):
            text += f", against {percent(parent['value'])} of everyone in the same study"
        out.append(f"{text} {cite(source_keys(row['source_keys']))}.".replace(" .", "."))
    return out


#: A band's share of adults this many percentage points from the nation's is worth saying.
AGE_DIFFERENCE_POINTS = 2.0


def age_structure(data: ChapterData) -> str:
    """How the area's adults differ in age from its nation's, and what that means for the people
    on probation here: most are young adults, and older people on probation are a growing group
    with more physical and social care needs."""
    shares = data.area.get("adult_age_shares") or {}
    area, nation, name = shares.get("area") or {}, shares.get("nation") or {}, shares.get("nation_name") or ""
    if not area or not nation:
        return ""
    young = area.get("18-24", 0) + area.get("25-34", 0)
    young_nation = nation.get("18-24", 0) + nation.get("25-34", 0)
    older = area.get("50-64", 0) + area.get("65+", 0)
    older_nation = nation.get("50-64", 0) + nation.get("65+", 0)
    text = (f"Of {possessive(data.area_name)} adults, {young:.0f}% are aged 18 to 34 "
            f"({escape_text(name)}: {young_nation:.0f}%) and "
            f"{older:.0f}% are 50 or over ({older_nation:.0f}%).")
    if young - young_nation >= AGE_DIFFERENCE_POINTS:
        text += (" With more young adults than most areas, and most people on probation aged under 35, the local "
                 "caseload is likely to be younger than the national one: services for young adults moving from youth "
                 "justice, and for drug use, matter more here.")
    elif young_nation - young >= AGE_DIFFERENCE_POINTS:
        text += (" With fewer young adults than most areas, the local caseload is likely to be a little older than "
                 "the national one.")
    if older - older_nation >= AGE_DIFFERENCE_POINTS:
        text += (" An older population also means more older people on probation, a growing group nationally, whose "
                 "physical health, mobility and social care needs are greater, and who are more often on licence "
                 "after long sentences.")
    if abs(young - young_nation) < AGE_DIFFERENCE_POINTS and abs(older - older_nation) < AGE_DIFFERENCE_POINTS:
        text += (" Its age structure is close to the national one, so the national age profile of people on "
                 "probation is a fair guide here.")
    return text


def groups_section(data: ChapterData) -> MarkdownBlock:
    sentences = group_sentences(data)
    parts = [heading(2, "Groups with different needs", identifier="sec-groups"), age_structure(data)]
    if sentences:
        parts.append("Some national figures are given for particular groups of people on probation (women, men, "
                     "older people): [Appendix C](#sec-appendix-groups) lists them. They show "
                     "where needs differ; the local estimates above apply to everyone.")
    parts.append("The national evidence used here has no figures for people on probation by ethnic group, and none "
                 "for young adults (aged 18 to 24) separately; local records are the only source for these groups.")
    return MarkdownBlock(expand_first_use("\n\n".join(parts)))


def unknowns(data: ChapterData) -> list[str]:
    """Every gap in what this chapter can say, in one list."""
    items = []
    evidence = data.rows("evidence")
    gaps = national_gaps(data)
    if gaps:
        many = len(gaps) > 1
        items.append(f"National evidence is missing for {in_words(len(gaps))} measure{'s' * many} of need among "
                     f"people on probation ([Appendix C](#sec-appendix-gaps) lists {'them' if many else 'it'}), so "
                     f"no local estimate can be made for {'them' if many else 'it'}.")
    for key, title in PRIORITY_TITLES.items():
        if not any(r["role"] == "headline" for r in data.rows("estimates", key)):
            items.append(f"{title}: no confirmed national figure describes this need among people on probation, "
                         "so the chapter can only illustrate it from another setting.")
    heads = [r for r in evidence if r["role"] == "headline"]
    old = [r for r in heads if not is_missing(r.get("year_end")) and float(r["year_end"]) < 2015]
    single = [r for r in heads if str(r.get("coverage")) == "single_site"]
    if old or single:
        items.append(f"Of the {in_words(len(heads))} headline figures, {in_words(len(single))} come from a single "
                     f"county or site and {in_words(len(old))} from data collected before 2015; newer national "
                     "studies of people on probation are needed.")
    area = data.area
    if area.get("caseload_kind") != "local":
        items.append(caseload_unknown(data))
    items += imprecise_rates(data)
    if not data.rows("observed"):
        items.append("Local records of identified needs (for example from probation assessments) were not "
                     "available for this chapter.")
    if data.country == "England" and not data.rows("context"):
        items.append("Local indicators for the whole population (such as the suicide rate) were not available "
                     "for this chapter.")
    return items


def caseload_unknown(data: ChapterData) -> str:
    """How much the modelled caseload is in doubt here: how far apart the caseload models are."""
    said = "The number of people on probation here is modelled from the national total, not counted locally"
    figures = [float(m["caseload"]) for m in data.area.get("caseload_models") or []
               if not is_missing(m.get("caseload")) and float(m["caseload"]) > 0]
    if len(figures) < 2:
        return said + "."
    spread = max(figures) / min(figures)
    if spread < 1.25:
        return said + ", but the caseload models broadly agree here, so the figure is less in doubt than in most areas."
    if spread < 1.55:
        return said + ", and the caseload models differ by up to half again here: a local count would settle it."
    if spread < 2.8:  # the factor itself: "up to half again" was said of 655 against 380 (1.7 times)
        return (said + f", and the caseload models differ by a factor of {spread:.1f} here: a local count is the "
                "single most useful figure this chapter lacks.")
    return (said + ", and the caseload models differ by three times or more here, because the area is unlike most in "
            "its deprivation or density: every estimate in this chapter depends on a local count.")


#: A local death rate whose 95% interval is wider than this share of the rate rests on few deaths.
IMPRECISE_WIDTH = 1.0


def imprecise_rates(data: ChapterData) -> list[str]:
    """Local death rates that rest on few deaths (a wide interval), which the expected deaths and
    the locally adjusted estimates carry."""
    out = []
    for r in data.area.get("expected_deaths") or []:
        rate, low, high = r.get("rate_per_100000"), r.get("rate_lower"), r.get("rate_upper")
        if r.get("rate_area") != "local" or any(is_missing(v) for v in (rate, low, high)) or not float(rate):
            continue
        if (float(high) - float(low)) / float(rate) > IMPRECISE_WIDTH:
            cause = {"suicide": "suicide rate", "drug_related": "rate of drug-related deaths"}.get(r["cause"],
                                                                                              "death rate")
            shown_low, shown_high = fixed_range(low, high)
            out.append(f"{possessive(data.area_name)} {cause} rests on few deaths (95% interval "
                       f"{shown_low} to {shown_high} per 100,000), so it can change a lot from one period "
                       "to the next; the expected deaths and any estimate adjusted by it share that uncertainty.")
    return out


def national_gaps(data: ChapterData) -> list[str]:
    """Each measure for which no usable national figure exists for people on probation, with its note."""
    out = []
    for row in data.rows("evidence"):
        if row["role"] == "gap":
            note = "" if is_missing(row.get("quality_note")) else " " + escape_text(row["quality_note"])
            out.append(f"{escape_text(str(row['measure']).rstrip('.'))}.{note}")
    return out


def unknowns_section(data: ChapterData) -> MarkdownBlock:
    items = unknowns(data)
    return MarkdownBlock(expand_first_use(heading(2, "What we don't know", identifier="sec-unknowns") + "\n\n"
                                          + "\n".join(f"- {i}" for i in items)))


def lived_experience(data: ChapterData) -> MarkdownBlock:
    """The views of people on probation and of services, when the analyst has written them."""
    text = commentary(data, "lived_experience")
    if not text:
        return MarkdownBlock("")
    return MarkdownBlock(heading(2, "Views of people on probation and of services", identifier="sec-views")
                         + "\n\n" + text)
