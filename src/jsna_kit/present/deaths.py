"""Expected suicides and drug-related deaths a year among the area's people on probation
(``chapter.json``'s ``expected_deaths``, worked out by ``model.deaths``), as the Markdown of the
suicide prevention section: one paragraph, one small table, the assumptions in one sentence."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..model.rounding import fixed, fixed_range
from .markdown import cite, escape_text, heading, possessive, table
from .numbers import count, is_missing

GRADE_WORDS = {"A": "strong", "B": "moderate", "C": "limited", "D": "weak"}
CAUSE_TITLES = {"suicide": "Suicide", "drug_related": "Drug-related death"}


def _deaths(value: object) -> str:
    """An expected number of deaths a year: one decimal place (they are small, and estimates); two
    below 0.1, as the build rounds them (``batch.local_figures.round_outward``), so 0.04 is not 0.0."""
    if is_missing(value):
        return "not available"
    return f"{float(value):.2f}" if 0 < float(value) < 0.1 else f"{float(value):.1f}"


def rate_figure(value: object, lower: object = None, upper: object = None) -> str:
    """A death rate per 100,000 as the context tables print it: one decimal place, halves up (10.95
    is 11.0, as in "Local context", never 10.9); its interval, when given, rounded outwards."""
    if is_missing(lower) or is_missing(upper):
        return fixed(value)
    return "{} ({} to {})".format(fixed(value), *fixed_range(lower, upper))


#: One of each cause, for "fewer than one suicide a year".
CAUSE_SINGULAR = {"suicide": "suicide", "drug_related": "drug-related death"}


def deaths_words(row: dict) -> str:
    """An expected number of deaths a year as a reader takes it in: ``about 3.9 drug-related
    deaths``, or, below one, ``fewer than one suicide a year (about one every 10 years)`` (the
    interval from the unrounded rate per 1,000, to a round number of years)."""
    value = row.get("expected")
    words = escape_text(str(row.get("cause_words") or "deaths"))
    if is_missing(value):
        return f"an unknown number of {words} a year"
    per_1000, caseload = row.get("expected_per_1000"), row.get("caseload")
    exact = (float(per_1000) * float(caseload) / 1000 if not is_missing(per_1000) and not is_missing(caseload)
             else float(value))
    if exact >= 0.95:
        return f"about {float(value):.1f} {words} a year" if exact < 10 else f"about {exact:.0f} {words} a year"
    one = escape_text(CAUSE_SINGULAR.get(str(row.get("cause")), "death"))
    if exact <= 0:
        return f"almost no {words} a year"
    years = 1 / exact
    if years < 1.75:  # 0.7 a year is not "one every 2 years": say how many in ten years
        return f"fewer than one {one} a year (about {round(exact * 10)} in 10 years)"
    nice = min((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100), key=lambda n: abs(n - years))
    return f"fewer than one {one} a year (about one every {nice} years)" if years < 110 else \
        f"fewer than one {one} a year (less than one a century)"


def _period(text: object) -> str:
    return escape_text(str(text).replace(" - ", "-"))


def _nation(row: dict) -> str:
    """The nation whose rate stands in for a missing local one: Wales's for a Welsh area."""
    return "Wales" if row.get("rate_area") == "wales" else "England"


def _rate_where(row: dict, area_name: str) -> str:
    return escape_text(area_name) if row.get("rate_area") == "local" else _nation(row)


def expected_deaths_sentence(data: ChapterData) -> str:
    """The first sentence of the block, or "" when nothing could be estimated."""
    rows = data.area.get("expected_deaths") or []
    if not rows:
        return ""
    caseload = rows[0]["caseload"]
    parts = []
    for r in rows:
        words = deaths_words(r)
        said, _, years = words.partition(" (")  # "(about one every 10 years)" joins the range's brackets
        parts.append(f"**{said}** ({years.rstrip(')') + '; ' if years else ''}95% uncertainty range "
                     f"{_deaths(r['expected_lower'])} to {_deaths(r['expected_upper'])})")
    kind = "modelled " if rows[0].get("caseload_kind") == "modelled" else ""
    return (f"If the {count(caseload)} people on probation in {escape_text(data.area_name)} ({kind}caseload) died "
            "at the general-population death rates used here times the higher risk found nationally for people "
            "under probation supervision, " + " and ".join(parts)
            + " would be expected. These are indirect estimates of what the national risks imply here, not counts "
            "of deaths that happened.")


#: A local death rate within this fraction of the nation's is "close to" it.
RATE_CLOSE = 0.1


def local_rates_sentence(data: ChapterData) -> str:
    """Why the expected numbers here differ from what the caseload alone implies: the area's own
    general-population death rates against its nation's (from the local indicators), in words."""
    rows = data.area.get("expected_deaths") or []
    nation = "Wales" if data.area["area_code"].startswith("W") else "England"
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
        said.append((CAUSE_TITLES[r["cause"]].lower(), way))
    if not said:
        return ""
    if len(said) > 1 and len({way for _, way in said}) == 1:
        words = f"its {' and '.join(c for c, _ in said)} rates are both {said[0][1]} {nation}'s"
    else:
        words = " and ".join(f"its {cause} rate is {way} {nation}'s" for cause, way in said)
    return f"The numbers follow {possessive(data.area_name)} own death rates in the whole population: {words}."


def assumptions_sentence(data: ChapterData) -> str:
    """The assumptions, in one sentence."""
    rows = data.area.get("expected_deaths") or []
    if not rows:
        return ""
    risks = " and ".join(f"about {r['relative_risk']:g} times for {CAUSE_TITLES[r['cause']].lower()}" for r in rows)
    without = [r for r in rows if not r.get("relative_risk_interval")]
    approximate = [r for r in rows if r.get("rate_interval") == "approximate"]
    text = (f"Expected deaths = people on probation x the general-population death rate x the national relative "
            f"risk ({risks}), assuming that the caseload counted on one day stands for a year of exposure, that "
            "the national relative risk, measured in England and Wales in 2011-2021, holds here, and that the "
            "recent general-population rate still applies; the range carries the caseload's "
            + ("assumed band" if rows[0].get("caseload_kind") == "modelled" else "(exact) count")
            + " and the rate's 95% interval"
            + (" (approximate, from the number of deaths the rate implies)" if approximate else "")
            + (", but not the relative risk's, whose interval is not published in the sources used" if without else "")
            + ".")
    return text


def expected_deaths_block(data: ChapterData) -> str:
    """Markdown for the suicide prevention section: expected suicides and drug-related deaths a
    year among the local caseload, a table of how each was worked out, and the assumptions.
    Says what is missing when nothing could be estimated."""
    rows = data.area.get("expected_deaths") or []
    parts = [heading(3, "Expected deaths among people on probation", identifier="sec-suicide-prevention-deaths")]
    if not rows:
        parts.append("No expected number of deaths could be worked out: the chapter has no general-population "
                     f"suicide or drug-misuse death rate for the area, nor {data.country}'s to fall back on.")
        return "\n\n".join(parts)
    parts.append(expected_deaths_sentence(data))
    if any(r.get("rate_area") != "local" for r in rows):
        parts.append(f"{escape_text(data.area_name)} has no local "
                     + " or ".join("suicide rate" if r["cause"] == "suicide" else "drug-misuse death rate"
                                   for r in rows if r.get("rate_area") != "local")
                     + f" in the data used, so {data.country}'s rate is used; "
                     f"how far the area differs from {data.country} is not known, and the range does not allow for "
                     "it.")
    keys = sorted({r["relative_risk_source"] for r in rows if r.get("relative_risk_source")})
    columns = {
        "Cause of death": [CAUSE_TITLES.get(r["cause"], escape_text(r["cause"])) for r in rows],
        "General-population rate per 100,000 (95% interval)": [
            f"{rate_figure(r['rate_per_100000'], r['rate_lower'], r['rate_upper'])}; "
            f"{_rate_where(r, data.area_name)}, {_period(r['rate_period'])}" for r in rows],
        "Relative risk on probation (grade)": [
            f"about {r['relative_risk']:g} ({r['relative_risk_grade']}: "
            f"{GRADE_WORDS.get(r['relative_risk_grade'], 'not graded')})" for r in rows],
        "Expected a year (95% uncertainty range)": [
            f"{_deaths(r['expected'])} ({_deaths(r['expected_lower'])} to {_deaths(r['expected_upper'])})"
            for r in rows],
        "Per 1,000 people on probation a year": [
            "not available" if is_missing(r.get("expected_per_1000")) else f"{r['expected_per_1000']:.2f}"
            for r in rows],
    }
    parts.append(table(columns, caption=f"Expected deaths a year among people on probation in {data.area_name} "
                       "(indirect estimates)", identifier="table-suicide-prevention-deaths",
                       align=["left", "right", "right", "right", "right"]))
    where = ("OHID Fingertips (suicide rate, indicator 41001; deaths from drug misuse, 92432)"
             if data.country != "Wales" else
             "Wales's own published figures (ONS suicide rates, 2021-23, and deaths related to drug poisoning, 2022)")
    parts.append(f"*Assumptions.* {assumptions_sentence(data)} Relative risks: {cite(keys)}; general-population "
                 f"rates: {where}.")
    return "\n\n".join(p for p in parts if p)
