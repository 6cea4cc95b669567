"""After the priority areas: the groups whose needs differ, what we don't know, and the views of
people on probation and services (the analyst's own words). Worded only from what the reference
data and the area's bundle hold: a group without figures is said to have none, never given one."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..model.rounding import fixed_range
from ..priorities import PRIORITY_TITLES
from .commentary import commentary
from .glossary import expand_first_use, glossary_for
from .lang import N_, translate
from .markdown import MarkdownBlock, cite, escape_text, heading, possessive
from .numbers import in_words, is_missing, percent
from .sentences import setting_words, source_keys

PROBATION = ("probation_caseload", "probation_co_starters", "probation_other")
GROUP_NAMES = {"female": N_("Women"), "male": N_("Men")}
#: The nations a chapter compares an area with, named in the chapter's language.
NATION_NAMES = {"England": N_("England"), "Wales": N_("Wales")}


def _language(data) -> str:
    return getattr(data, "language", "en")


def nation_name(language: str, name: str) -> str:
    """A nation's name in ``language`` ("Wales" / "Cymru"); another name as it is."""
    return translate(language, NATION_NAMES[name]) if name in NATION_NAMES else name


def _owner(language: str, name: str) -> str:
    """The area's name as the owner of what follows: "Cardiff's" in English; in Welsh the name
    follows the noun it owns ("oedolion Caerdydd"), so it stands alone."""
    return possessive(name) if language == "en" else escape_text(name)


def _group(row: dict, language: str = "en") -> str | None:
    sex, age = str(row.get("sex") or "all"), str(row.get("age_band") or "all")
    if sex != "all":
        return translate(language, GROUP_NAMES[sex]) if sex in GROUP_NAMES else sex.capitalize()
    if age != "all" and age not in ("18+", "16+", "16-64", "16-74", "10+"):
        if age.endswith("+"):
            return translate(language, "People aged {age} and over", age=age[:-1])
        return translate(language, "People aged {age}", age=age)
    return None


def group_sentences(data: ChapterData) -> list[str]:
    """A sentence for each figure the reference data hold for women, men, an age group, in
    probation settings, set beside the figure for everyone where there is one."""
    language = data.language
    evidence = data.rows("evidence")
    by_id = {r["estimate_id"]: r for r in evidence}
    out = []
    for row in evidence:
        group = _group(row, language)
        if (group is None or str(row.get("setting_type")) not in PROBATION or is_missing(row.get("value"))
                or str(row.get("unit")) != "percent" or str(row.get("status")) == "gap"):
            continue
        text = translate(language, "**{group}:** {share} of {setting}", group=group, share=percent(row["value"]),
                         setting=escape_text(setting_words(row)))
        if str(row.get("measure_kind")) != "age_profile":  # for an age profile, the group is the measure
            measure = escape_text(str(row["measure"]).rstrip("."))
            text += f": {measure[:1].lower()}{measure[1:]}" if measure[1:2].islower() else f": {measure}"
        parent = by_id.get(row.get("parent_estimate_id"))
        if parent is not None and not is_missing(parent.get("value")):
            text += translate(language, ", against {share} of everyone in the same study",
                              share=percent(parent["value"]))
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
    language = data.language
    text = translate(language, "Of {whose} adults, {young:.0f}% are aged 18 to 34 ({nation}: {young_nation:.0f}%) "
                     "and {older:.0f}% are 50 or over ({older_nation:.0f}%).",
                     whose=_owner(language, data.area_name), young=young,
                     nation=escape_text(nation_name(language, name)), young_nation=young_nation, older=older,
                     older_nation=older_nation)
    if young - young_nation >= AGE_DIFFERENCE_POINTS:
        text += " " + translate(
            language, "With more young adults than most areas, and most people on probation aged under 35, the "
            "local caseload is likely to be younger than the national one: services for young adults moving from "
            "youth justice, and for drug use, matter more here.")
    elif young_nation - young >= AGE_DIFFERENCE_POINTS:
        text += " " + translate(language, "With fewer young adults than most areas, the local caseload is likely to "
                                "be a little older than the national one.")
    if older - older_nation >= AGE_DIFFERENCE_POINTS:
        text += " " + translate(
            language, "An older population also means more older people on probation, a growing group nationally, "
            "whose physical health, mobility and social care needs are greater, and who are more often on licence "
            "after long sentences.")
    if abs(young - young_nation) < AGE_DIFFERENCE_POINTS and abs(older - older_nation) < AGE_DIFFERENCE_POINTS:
        text += " " + translate(language, "Its age structure is close to the national one, so the national age "
                                "profile of people on probation is a fair guide here.")
    return text


def groups_section(data: ChapterData) -> MarkdownBlock:
    language = data.language
    sentences = group_sentences(data)
    parts = [heading(2, translate(language, "Groups with different needs"), identifier="sec-groups"),
             age_structure(data)]
    if sentences:
        parts.append(translate(language, "Some national figures are given for particular groups of people on "
                               "probation (women, men, older people): [Appendix C](#sec-appendix-groups) lists them. "
                               "They show where needs differ; the local estimates above apply to everyone."))
    parts.append(translate(language, "The national evidence used here has no figures for people on probation by "
                           "ethnic group, and none for young adults (aged 18 to 24) separately; local records are the "
                           "only source for these groups."))
    return MarkdownBlock(expand_first_use("\n\n".join(parts), entries=glossary_for(data)))


def unknowns(data: ChapterData) -> list[str]:
    """Every gap in what this chapter can say, in one list."""
    language = data.language
    items = []
    evidence = data.rows("evidence")
    gaps = national_gaps(data)
    if gaps:
        # English spells a small count in words; Welsh gives the figure. Two messages rather than
        # translate_plural: the catalogue check finds only a plural entry's singular id.
        if len(gaps) > 1:
            items.append(translate(language, "National evidence is missing for {words} measures of need among "
                                   "people on probation ([Appendix C](#sec-appendix-gaps) lists them), so no local "
                                   "estimate can be made for them.", words=_number(language, len(gaps))))
        else:
            items.append(translate(language, "National evidence is missing for {words} measure of need among people "
                                   "on probation ([Appendix C](#sec-appendix-gaps) lists it), so no local estimate "
                                   "can be made for it.", words=_number(language, len(gaps))))
    for key, title in PRIORITY_TITLES.items():
        if not any(r["role"] == "headline" for r in data.rows("estimates", key)):
            items.append(translate(language, "{title}: no confirmed national figure describes this need among "
                                   "people on probation, so the chapter can only illustrate it from another setting.",
                                   title=translate(language, title, context="priority")))
    heads = [r for r in evidence if r["role"] == "headline"]
    old = [r for r in heads if not is_missing(r.get("year_end")) and float(r["year_end"]) < 2015]
    single = [r for r in heads if str(r.get("coverage")) == "single_site"]
    if old or single:
        items.append(translate(language, "Of the {heads} headline figures, {single} come from a single county or "
                               "site and {old} from data collected before 2015; newer national studies of people on "
                               "probation are needed.", heads=_number(language, len(heads)),
                               single=_number(language, len(single)), old=_number(language, len(old))))
    area = data.area
    if area.get("caseload_kind") != "local":
        items.append(caseload_unknown(data))
    items += imprecise_rates(data)
    if not data.rows("observed"):
        items.append(translate(language, "Local records of identified needs (for example from probation "
                               "assessments) were not available for this chapter."))
    if data.country == "England" and not data.rows("context"):
        items.append(translate(language, "Local indicators for the whole population (such as the suicide rate) "
                               "were not available for this chapter."))
    return items


def _number(language: str, n: int) -> str:
    """A small count of things: in words in English ("four"), in figures in Welsh (as Welsh public
    documents write them)."""
    return in_words(n) if language == "en" else str(n)


def caseload_unknown(data: ChapterData) -> str:
    """How much the modelled caseload is in doubt here: how far apart the caseload models are."""
    language = _language(data)
    figures = [float(m["caseload"]) for m in data.area.get("caseload_models") or []
               if not is_missing(m.get("caseload")) and float(m["caseload"]) > 0]
    if len(figures) < 2:
        return translate(language, "The number of people on probation here is modelled from the national total, "
                         "not counted locally.")
    spread = max(figures) / min(figures)
    if spread < 1.25:
        return translate(language, "The number of people on probation here is modelled from the national total, "
                         "not counted locally, but the caseload models broadly agree here, so the figure is less in "
                         "doubt than in most areas.")
    if spread < 1.55:
        return translate(language, "The number of people on probation here is modelled from the national total, "
                         "not counted locally, and the caseload models differ by up to half again here: a local "
                         "count would settle it.")
    if spread < 2.8:  # the factor itself: "up to half again" was said of 655 against 380 (1.7 times)
        return translate(language, "The number of people on probation here is modelled from the national total, "
                         "not counted locally, and the caseload models differ by a factor of {spread:.1f} here: a "
                         "local count is the single most useful figure this chapter lacks.", spread=spread)
    return translate(language, "The number of people on probation here is modelled from the national total, not "
                     "counted locally, and the caseload models differ by three times or more here, because the area "
                     "is unlike most in its deprivation or density: every estimate in this chapter depends on a local "
                     "count.")


#: A local death rate whose 95% interval is wider than this share of the rate rests on few deaths.
IMPRECISE_WIDTH = 1.0
#: What a death rate resting on few deaths is said to be, by cause (None: any other cause).
DEATH_RATES = {
    "suicide": N_("{whose} suicide rate rests on few deaths (95% interval {low} to {high} per 100,000), so it can "
                  "change a lot from one period to the next; the expected deaths and any estimate adjusted by it "
                  "share that uncertainty."),
    "drug_related": N_("{whose} rate of drug-related deaths rests on few deaths (95% interval {low} to {high} per "
                       "100,000), so it can change a lot from one period to the next; the expected deaths and any "
                       "estimate adjusted by it share that uncertainty."),
    None: N_("{whose} death rate rests on few deaths (95% interval {low} to {high} per 100,000), so it can change a "
             "lot from one period to the next; the expected deaths and any estimate adjusted by it share that "
             "uncertainty."),
}


def imprecise_rates(data: ChapterData) -> list[str]:
    """Local death rates that rest on few deaths (a wide interval), which the expected deaths and
    the locally adjusted estimates carry."""
    language = data.language
    out = []
    for r in data.area.get("expected_deaths") or []:
        rate, low, high = r.get("rate_per_100000"), r.get("rate_lower"), r.get("rate_upper")
        if r.get("rate_area") != "local" or any(is_missing(v) for v in (rate, low, high)) or not float(rate):
            continue
        if (float(high) - float(low)) / float(rate) > IMPRECISE_WIDTH:
            cause = DEATH_RATES.get(r["cause"], DEATH_RATES[None])
            shown_low, shown_high = fixed_range(low, high)
            out.append(translate(language, cause, whose=_owner(language, data.area_name), low=shown_low,
                                 high=shown_high))
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
    return MarkdownBlock(expand_first_use(heading(2, translate(data.language, "What we don't know"),
                                                  identifier="sec-unknowns") + "\n\n"
                                          + "\n".join(f"- {i}" for i in items), entries=glossary_for(data)))


def lived_experience(data: ChapterData) -> MarkdownBlock:
    """The views of people on probation and of services, when the analyst has written them."""
    text = commentary(data, "lived_experience")
    if not text:
        return MarkdownBlock("")
    return MarkdownBlock(heading(2, translate(data.language, "Views of people on probation and of services"),
                                 identifier="sec-views")
                         + "\n\n" + text)
