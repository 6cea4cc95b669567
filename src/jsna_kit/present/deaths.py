"""Expected suicides and drug-related deaths a year among the area's people on probation
(``chapter.json``'s ``expected_deaths``, worked out by ``model.deaths``), as the Markdown of the
suicide prevention section: one paragraph, one small table, the assumptions in one sentence."""

from __future__ import annotations

from functools import reduce

from ..load.chapter_data import ChapterData
from ..model.rounding import fixed, fixed_range
from .bodies import listed_in, nation_name
from .cymraeg import mutate
from .lang import N_, in_place, translate
from .markdown import cite, escape_text, heading, possessive, table
from .numbers import count, is_missing

GRADE_WORDS = {"A": N_("strong"), "B": N_("moderate"), "C": N_("limited"), "D": N_("weak")}
CAUSE_TITLES = {"suicide": N_("Suicide"), "drug_related": N_("Drug-related death")}
#: A cause inside a sentence ("its suicide rate", "about 8 times for suicide"): the catalogue's
#: context "cause" (CAUSE_TITLES in lower case, in English).
CAUSE_WORDS = {"suicide": N_("suicide"), "drug_related": N_("drug-related death")}
#: Deaths of a cause, plural, as the build names them (``batch.local_figures.CAUSE_WORDS``); a
#: Welsh chapter takes them from the catalogue (context "after o": soft-mutated after "o").
CAUSE_PLURAL = {"suicide": N_("suicides"), "drug_related": N_("drug-related deaths")}


def _deaths(value: object, language: str = "en") -> str:
    """An expected number of deaths a year: one decimal place (they are small, and estimates); two
    below 0.1, as the build rounds them (``batch.local_figures.round_outward``), so 0.04 is not 0.0."""
    if is_missing(value):
        return translate(language, "not available")
    return f"{float(value):.2f}" if 0 < float(value) < 0.1 else f"{float(value):.1f}"


def rate_figure(value: object, lower: object = None, upper: object = None, *, language: str = "en") -> str:
    """A death rate per 100,000 as the context tables print it: one decimal place, halves up (10.95
    is 11.0, as in "Local context", never 10.9); its interval, when given, rounded outwards."""
    if is_missing(lower) or is_missing(upper):
        return fixed(value)
    low, high = fixed_range(lower, upper)
    return translate(language, "{value} ({lower} to {upper})", value=fixed(value), lower=low, upper=high)


#: One of each cause, for "fewer than one suicide a year".
CAUSE_SINGULAR = {"suicide": N_("suicide"), "drug_related": N_("drug-related death")}


def deaths_words(row: dict, *, language: str = "en") -> str:
    """An expected number of deaths a year as a reader takes it in: ``about 3.9 drug-related
    deaths``, or, below one, ``fewer than one suicide a year (about one every 10 years)`` (the
    interval from the unrounded rate per 1,000, to a round number of years)."""
    value = row.get("expected")
    cause = str(row.get("cause"))
    if language == "en":
        words = escape_text(str(row.get("cause_words") or "deaths"))
        bare = words
    else:  # the build's words are English: the catalogue's, soft-mutated after "o" ("o farwolaethau")
        words = escape_text(translate(language, CAUSE_PLURAL.get(cause, N_("deaths")), context="after o"))
        bare = escape_text(translate(language, CAUSE_PLURAL.get(cause, N_("deaths")), context="after dim"))
    if is_missing(value):
        return translate(language, "an unknown number of {deaths} a year", deaths=words)
    per_1000, caseload = row.get("expected_per_1000"), row.get("caseload")
    exact = (float(per_1000) * float(caseload) / 1000 if not is_missing(per_1000) and not is_missing(caseload)
             else float(value))
    if exact >= 0.95:
        shown = f"{float(value):.1f}" if exact < 10 else f"{exact:.0f}"
        return translate(language, "about {value} {deaths} a year", value=shown, deaths=words)
    one = escape_text(translate(language, CAUSE_SINGULAR.get(cause, N_("death")), context="after one"))
    if exact <= 0:
        return translate(language, "almost no {deaths} a year", deaths=bare)
    years = 1 / exact
    if years < 1.75:  # 0.7 a year is not "one every 2 years": say how many in ten years
        return translate(language, "fewer than one {one} a year (about {n} in 10 years)", one=one,
                         n=round(exact * 10))
    nice = min((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100), key=lambda n: abs(n - years))
    if years < 110:
        return translate(language, "fewer than one {one} a year (about one every {n} years)", one=one, n=nice)
    return translate(language, "fewer than one {one} a year (less than one a century)", one=one)


def _period(text: object) -> str:
    return escape_text(str(text).replace(" - ", "-"))


def _nation(row: dict, language: str = "en") -> str:
    """The nation whose rate stands in for a missing local one: Wales's for a Welsh area."""
    return nation_name("Wales" if row.get("rate_area") == "wales" else "England", language)


def _rate_where(row: dict, area_name: str, language: str = "en") -> str:
    return escape_text(area_name) if row.get("rate_area") == "local" else _nation(row, language)


def expected_deaths_sentence(data: ChapterData) -> str:
    """The first sentence of the block, or "" when nothing could be estimated."""
    rows = data.area.get("expected_deaths") or []
    if not rows:
        return ""
    language = data.language
    caseload = rows[0]["caseload"]
    parts = []
    for r in rows:
        words = deaths_words(r, language=language)
        said, _, years = words.partition(" (")  # "(about one every 10 years)" joins the range's brackets
        parts.append(translate(language, "**{said}** ({years}95% uncertainty range {lower} to {upper})", said=said,
                               years=years.rstrip(")") + "; " if years else "",
                               lower=_deaths(r["expected_lower"], language),
                               upper=_deaths(r["expected_upper"], language)))
    kind = (translate(language, "modelled caseload") if rows[0].get("caseload_kind") == "modelled"
            else translate(language, "caseload"))
    joined = " and ".join(parts) if language == "en" else listed_in(language, parts)
    return translate(language, "If the {count} people on probation {in_area} ({caseload}) died at the "
                     "general-population death rates used here times the higher risk found nationally for people "
                     "under probation supervision, {deaths} would be expected. These are indirect estimates of "
                     "what the national risks imply here, not counts of deaths that happened.",
                     count=count(caseload), in_area=in_place(language, escape_text(data.area_name)), caseload=kind,
                     deaths=joined)


#: A local death rate within this fraction of the nation's is "close to" it.
RATE_CLOSE = 0.1
#: How a local rate compares with its nation's, one cause or both.
ONE_RATE = {"close to": N_("its {cause} rate is close to {nation}'s"),
            "above": N_("its {cause} rate is above {nation}'s"),
            "below": N_("its {cause} rate is below {nation}'s")}
BOTH_RATES = {"close to": N_("its {causes} rates are both close to {nation}'s"),
              "above": N_("its {causes} rates are both above {nation}'s"),
              "below": N_("its {causes} rates are both below {nation}'s")}


def local_rates_sentence(data: ChapterData) -> str:
    """Why the expected numbers here differ from what the caseload alone implies: the area's own
    general-population death rates against its nation's (from the local indicators), in words."""
    rows = data.area.get("expected_deaths") or []
    language = data.language
    nation = nation_name("Wales" if data.area["area_code"].startswith("W") else "England", language)
    compared = {}
    for r in data.rows("context"):
        if str(r.get("indicator_id")).split(".")[0].isdigit():
            compared[int(float(r["indicator_id"]))] = r
    said = []
    for r in rows:
        if r.get("rate_area") != "local" or is_missing(r.get("rate_per_100000")):
            continue
        row = compared.get(int(r.get("indicator_id") or 0))
        national = None if row is None else row.get("england_value")
        if national is None or is_missing(national) or not float(national):
            continue
        ratio = float(r["rate_per_100000"]) / float(national)
        way = ("close to" if abs(ratio - 1) < RATE_CLOSE else "above" if ratio > 1 else "below")
        said.append((translate(language, CAUSE_WORDS[r["cause"]], context="cause"), way))
    if not said:
        return ""
    if len(said) > 1 and len({way for _, way in said}) == 1:
        causes = " and ".join(c for c, _ in said) if language == "en" else listed_in(language, [c for c, _ in said])
        words = translate(language, BOTH_RATES[said[0][1]], causes=causes, nation=nation)
    else:
        each = [translate(language, ONE_RATE[way], cause=cause, nation=nation) for cause, way in said]
        words = " and ".join(each) if language == "en" else listed_in(language, each)
    # English says "Cardiff's own death rates"; Welsh puts the name after the noun ("cyfraddau Caerdydd")
    of_area = possessive(data.area_name) if language == "en" else escape_text(data.area_name)
    return translate(language, "The numbers follow {of_area} own death rates in the whole population: {words}.",
                     of_area=of_area, words=words)


def assumptions_sentence(data: ChapterData) -> str:
    """The assumptions, in one sentence."""
    rows = data.area.get("expected_deaths") or []
    if not rows:
        return ""
    language = data.language
    each = [translate(language, "about {risk} times for {cause}", risk=f"{r['relative_risk']:g}",
                      cause=translate(language, CAUSE_WORDS[r["cause"]], context="cause")) for r in rows]
    risks = " and ".join(each) if language == "en" else listed_in(language, each)
    without = [r for r in rows if not r.get("relative_risk_interval")]
    approximate = [r for r in rows if r.get("rate_interval") == "approximate"]
    carried = (translate(language, "the caseload's assumed band") if rows[0].get("caseload_kind") == "modelled"
               else translate(language, "the caseload's (exact) count"))
    return translate(
        language, "Expected deaths = people on probation x the general-population death rate x the national "
        "relative risk ({risks}), assuming that the caseload counted on one day stands for a year of exposure, "
        "that the national relative risk, measured in England and Wales in 2011-2021, holds here, and that the "
        "recent general-population rate still applies; the range carries {carried} and the rate's 95% "
        "interval{approximate}{without}.", risks=risks, carried=carried,
        approximate=translate(language, " (approximate, from the number of deaths the rate implies)") if approximate
        else "",
        without=translate(language, ", but not the relative risk's, whose interval is not published in the sources "
                          "used") if without else "")


def expected_deaths_block(data: ChapterData) -> str:
    """Markdown for the suicide prevention section: expected suicides and drug-related deaths a
    year among the local caseload, a table of how each was worked out, and the assumptions.
    Says what is missing when nothing could be estimated."""
    rows = data.area.get("expected_deaths") or []
    language = data.language
    country = nation_name(data.country, language)
    parts = [heading(3, translate(language, "Expected deaths among people on probation"),
                     identifier="sec-suicide-prevention-deaths")]
    if not rows:
        parts.append(translate(language, "No expected number of deaths could be worked out: the chapter has no "
                               "general-population suicide or drug-misuse death rate for the area, nor {country}'s "
                               "to fall back on.", country=country))
        return "\n\n".join(parts)
    parts.append(expected_deaths_sentence(data))
    if any(r.get("rate_area") != "local" for r in rows):
        missing = [translate(language, "suicide rate") if r["cause"] == "suicide"
                   else translate(language, "drug-misuse death rate") for r in rows if r.get("rate_area") != "local"]
        # "a or b" ("a neu b", soft-mutated after "neu" in Welsh)
        rates = reduce(lambda first, second: translate(
            language, "{first} or {second}", first=first,
            second=second if language == "en" else mutate(second, "soft")), missing)
        parts.append(translate(language, "{area} has no local {rates} in the data used, so {country}'s rate is used; "
                               "how far the area differs from {country} is not known, and the range does not allow "
                               "for it.", area=escape_text(data.area_name), rates=rates, country=country))
    keys = sorted({r["relative_risk_source"] for r in rows if r.get("relative_risk_source")})
    not_available = translate(language, "not available")
    columns = {
        translate(language, "Cause of death"): [
            translate(language, CAUSE_TITLES[r["cause"]]) if r["cause"] in CAUSE_TITLES else escape_text(r["cause"])
            for r in rows],
        translate(language, "General-population rate per 100,000 (95% interval)"): [
            f"{rate_figure(r['rate_per_100000'], r['rate_lower'], r['rate_upper'], language=language)}; "
            f"{_rate_where(r, data.area_name, language)}, {_period(r['rate_period'])}" for r in rows],
        translate(language, "Relative risk on probation (grade)"): [
            translate(language, "about {risk} ({grade}: {words})", risk=f"{r['relative_risk']:g}",
                      grade=r["relative_risk_grade"],
                      words=translate(language, GRADE_WORDS.get(r["relative_risk_grade"], N_("not graded"))))
            for r in rows],
        translate(language, "Expected a year (95% uncertainty range)"): [
            translate(language, "{value} ({lower} to {upper})", value=_deaths(r["expected"], language),
                      lower=_deaths(r["expected_lower"], language), upper=_deaths(r["expected_upper"], language))
            for r in rows],
        translate(language, "Per 1,000 people on probation a year"): [
            not_available if is_missing(r.get("expected_per_1000")) else f"{r['expected_per_1000']:.2f}"
            for r in rows],
    }
    parts.append(table(columns, caption=translate(language, "Expected deaths a year among people on probation "
                                                  "{in_area} (indirect estimates)",
                                                  in_area=in_place(language, data.area_name)),
                       identifier="table-suicide-prevention-deaths",
                       align=["left", "right", "right", "right", "right"]))
    where = (translate(language, "OHID Fingertips (suicide rate, indicator 41001; deaths from drug misuse, 92432)")
             if data.country != "Wales" else
             translate(language, "Wales's own published figures (ONS suicide rates, 2021-23, and deaths related to "
                       "drug poisoning, 2022)"))
    parts.append(translate(language, "*Assumptions.* {assumptions} Relative risks: {keys}; general-population "
                           "rates: {where}.", assumptions=assumptions_sentence(data), keys=cite(keys), where=where))
    return "\n\n".join(p for p in parts if p)
