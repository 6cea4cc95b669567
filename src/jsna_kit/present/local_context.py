"""A priority area's local context in words, for its section of the chapter: each local
indicator against its nation's and where the area stands among the areas most like it; or, where
no indicator bears on the need, what sets the area apart (its caseload per adult, or for social
care, the age of its adults). Also the priority areas' titles in the chapter's language."""

from __future__ import annotations

import math

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .lang import N_, topic, translate
from .local import compared_words, indicator_value, printed_decimals
from .markdown import escape_text, heading, possessive
from .nation import nation_name
from .numbers import is_missing


def priority_title(language: str, key: str) -> str:
    """A priority area's title in ``language`` (its Welsh is in chapter.po, context "priority")."""
    return translate(language, PRIORITY_TITLES[key], context="priority")


def priority_topic(language: str, key: str) -> str:
    """A priority area's title mid-sentence: lower case in English ("mental health and wellbeing");
    in Welsh only its first letter, so a name in it keeps its capitals."""
    return topic(language, PRIORITY_TITLES[key])


def per_head_sentence(data: ChapterData) -> str:
    """For a need no local indicator bears on: the estimate follows the caseload alone, so what
    sets the area apart is how many people are on probation per adult, against the nation."""
    lang = data.language
    local, national = data.area.get("caseload_per_1000_adults"), data.area.get("national_caseload_per_1000_adults")
    if is_missing(local) or is_missing(national) or not float(national):
        return ""
    ratio = float(local) / float(national)
    where = escape_text(data.area_name)
    modelled = "" if data.area.get("caseload_kind") == "local" else translate(lang, " (modelled)")
    if abs(ratio - 1) < 0.15:
        return translate(lang, "The estimate follows the caseload alone, and {area} has about as many people on "
                         "probation per adult as {nation} as a whole{modelled}, so this need is likely about as common "
                         "per head of population as nationally.", area=where, modelled=modelled,
                         nation=nation_name(lang, "Wales" if data.country == "Wales" else "England"))
    values = {"local": f"{float(local):.1f}", "national": f"{float(national):.1f}", "modelled": modelled,
              "area": where}
    if ratio > 1:
        return translate(lang, "The estimate follows the caseload alone: with {local} people on probation per 1,000 "
                         "adults{modelled} against {national} for England and Wales, {area} is likely to have more "
                         "people with this need per head of population than most areas.", **values)
    return translate(lang, "The estimate follows the caseload alone: with {local} people on probation per 1,000 "
                     "adults{modelled} against {national} for England and Wales, {area} is likely to have fewer "
                     "people with this need per head of population than most areas.", **values)


def context_brief(data: ChapterData, key: str, ident: str) -> str:
    """The priority area's local indicators in one paragraph, each against England (better,
    similar or worse where it has an interval; higher or lower where it has none); the table is
    in the appendix."""
    lang = data.language
    rows = data.rows("context", key)
    head = heading(3, translate(lang, "Local context"), identifier=f"sec-{ident}-context")
    if not rows:
        if data.area.get("context_source") in (None, "none"):
            return ""  # said once, under the caseload, rather than in every section
        older = older_adults_sentence(data) if key == "social_care" else ""
        # No local indicator bears on the pathway: how many people on probation there are per
        # adult is what sets the area apart on it.
        per_head = " " + per_head_sentence(data) if key == "opd_pathway" else ""
        return head + "\n\n" + (older or translate(lang, "No local indicator for {topic} was available.",
                                                    topic=priority_topic(lang, key))
                                  + per_head)
    standing = neighbour_positions(data)

    def distance(r: dict) -> float:  # furthest from the nation's value first
        value, nation = r.get("value"), r.get("england_value")
        if is_missing(value) or is_missing(nation) or not float(nation) or float(value) <= 0:
            return 0.0
        return abs(math.log(float(value) / float(nation)))

    items = []
    for r in sorted(rows, key=lambda r: -distance(r)):
        nation = escape_text(nation_name(lang, r.get("comparator_name") or "England"))
        place = standing.get(str(r["indicator_name"]), "")
        decimals = printed_decimals(r)
        value = indicator_value(r["value"], r["unit"], decimals, language=lang)
        national = indicator_value(r["england_value"], r["unit"], decimals, language=lang)
        compared = compared_words(r, r["benchmark_england_95"], language=lang)
        items.append(f"{escape_text(r['indicator_name'])}: {value} ({compared}; {nation} {national}"
                     f"{'; ' + place if place else ''})")
    return head + "\n\n" + translate(lang, "For the whole population of {area}: {indicators}. [Appendix "
                                       "B](#sec-local-indicators) gives the periods and sources.",
                                       area=escape_text(data.area_name), indicators="; ".join(items))


#: Social care's local context: what the area's share of adults aged 50 or over suggests.
OLDER_WORDS = {
    "older": N_("An older population than the nation's suggests the illustration above may understate need here."),
    "younger": N_("A younger population than the nation's suggests care needs may be a little less common here."),
    "close": N_("That is close to the national share, so age gives no reason to expect care needs to differ here."),
}


def older_adults_sentence(data: ChapterData) -> str:
    """Social care's local context: no indicator measures care needs among people on probation, but
    need for care rises with age, and the area's adults may be older or younger than its nation's."""
    lang = data.language
    shares = data.area.get("adult_age_shares") or {}
    area, nation = shares.get("area") or {}, shares.get("nation") or {}
    if not area or not nation:
        return ""
    older = area.get("50-64", 0) + area.get("65+", 0)
    national = nation.get("50-64", 0) + nation.get("65+", 0)
    name = escape_text(nation_name(lang, shares.get("nation_name") or data.country))
    what = "older" if older - national >= 2 else "younger" if national - older >= 2 else "close"
    # {whose}: the area as the adults' owner ("Gwynedd's" in English; Welsh puts the bare name after the noun).
    whose = possessive(data.area_name) if lang == "en" else escape_text(data.area_name)
    shares_said = {"older": f"{older:.0f}", "national": f"{national:.0f}"}
    return translate(lang, "No indicator measures care and support needs among people on probation, but need for "
                     "care rises with age. {older}% of {whose} adults are 50 or over ({nation}: {national}%). {what}",
                     whose=whose, nation=name, what=translate(lang, OLDER_WORDS[what]), **shares_said)


def neighbour_positions(data: ChapterData) -> dict[str, str]:
    """By indicator name: ``3rd highest of 11 similar areas``, from the bundle's neighbours table."""
    from .neighbour_chart import the_ordinal
    from .neighbours import area_standing

    if "positions" in data._records:
        return data._records["positions"]
    lang = data.language
    standing = area_standing(data)
    out: dict[str, str] = {}
    data._records["positions"] = out
    if standing is None:
        return out
    # a place in a ranking as the chart's words say it: "3rd", "y 3ydd" (English's "the" is the message's)
    def place(n: int) -> str:
        return the_ordinal(n, lang)

    for r in standing.to_dict("records"):
        if int(r["compared"]) < 2:
            continue
        high, low = int(r["position"]), int(r["position_from_lowest"])
        compared = r["compared"]
        where = (translate(lang, "the highest of {compared} similar areas", compared=compared) if high == 1 else
                 translate(lang, "the lowest of {compared} similar areas", compared=compared) if low == 1 else
                 translate(lang, "{place} highest of {compared} similar areas", place=place(high), compared=compared)
                 if high <= low else
                 translate(lang, "{place} lowest of {compared} similar areas", place=place(low), compared=compared))
        out[str(r["indicator_name"])] = where
    return out
