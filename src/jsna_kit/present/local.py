"""What the analyst's local data add to a priority section: locally identified needs beside
what the national rate predicts, and Fingertips indicators for the whole local population
against the region and England."""

from __future__ import annotations

from pathlib import Path

from ..load.chapter_data import ChapterData
from ..model.context import PRINTED_DECIMALS
from ..model.rounding import fixed, fixed_range, half_up, outward
from ..priorities import PRIORITY_TITLES
from .bodies import nation_name
from .cymraeg import mutate
from .figures import relative_to_england_chart
from .lang import N_, topic, translate
from .markdown import escape_text, figure, heading, table
from .numbers import count, is_missing, percent

SUPPRESSED = N_("suppressed")
COMPARISON_WORDS = {"higher": "higher than", "lower": "lower than", "similar": "similar to"}
#: The local figure against the national rate's prediction, as the sentence says it.
COMPARISON_SENTENCES = {
    "higher": N_("; allowing for the uncertainty in both figures, the local figure is higher than that "
                 "(two-sample z-test, {p})."),
    "lower": N_("; allowing for the uncertainty in both figures, the local figure is lower than that "
                "(two-sample z-test, {p})."),
    "similar": N_("; allowing for the uncertainty in both figures, the local figure is similar to that "
                  "(two-sample z-test, {p})."),
}
UNIT_SUFFIX = {"percent": "%", "per_100000": N_(" per 100,000"), "per_1000": N_(" per 1,000"),
               "per_100": N_(" per 100")}
#: A benchmark (``figures.BENCHMARK_WORDS``, England as ``{nation}``), against a nation or the region.
BENCHMARK_SAID = {"better": N_("better than {nation}"), "worse": N_("worse than {nation}"),
                  "similar": N_("similar to {nation}"), "higher": N_("higher than {nation}"),
                  "lower": N_("lower than {nation}"), "same": N_("the same as {nation}"),
                  "not_compared": N_("not compared")}
#: Without an interval, a value this far from England's (either way) is mentioned in the findings.
CLEAR_DIFFERENCE = 0.20


def indicator_value(value: object, unit: object, decimals: int = PRINTED_DECIMALS, *, language: str = "en") -> str:
    if is_missing(value):
        return translate(language, "suppressed or not available")
    suffix = UNIT_SUFFIX.get(str(unit), "")
    return f"{fixed(value, decimals)}{translate(language, suffix) if suffix.startswith(' ') else suffix}"


def _verdict(lower: float, upper: float, comparator: float) -> str:
    return "higher" if lower > comparator else "lower" if upper < comparator else "similar"


def printed_decimals(row: dict, most: int = 3) -> int:
    """The fewest decimal places (one, or up to ``most``) at which a row's printed value, interval
    and comparators (its nation's value, and its region's) allow the comparison the unrounded
    figures make: a value called higher never prints inside or below its comparator, a similar one
    never prints an interval that misses it (the interval printed rounded outwards). One place for a
    value without an interval, whose direction is already made on the printed figures
    (``model.context.direction``)."""
    if any(is_missing(row.get(k)) for k in ("value", "lower_95", "upper_95")):
        return PRINTED_DECIMALS
    value, lower, upper = (float(row[k]) for k in ("value", "lower_95", "upper_95"))
    comparators = [float(row[k]) for k in ("england_value", "region_value") if not is_missing(row.get(k))]
    for d in range(PRINTED_DECIMALS, most + 1):
        low, high, shown = outward(lower, d, down=True), outward(upper, d, down=False), half_up(value, d)
        agrees = True
        for c in comparators:
            verdict, at = _verdict(lower, upper, c), half_up(c, d)
            side = {"higher": shown > at, "lower": shown < at}.get(verdict, True)
            agrees = agrees and side and _verdict(low, high, at) == verdict
        if agrees:
            return d
    return most


def row_figures(row: dict, *, language: str = "en") -> tuple[str, str, str]:
    """The area's value (with its 95% interval where it has one), its nation's and its region's
    (``–`` when none), each printed to the row's ``printed_decimals``."""
    d = printed_decimals(row)
    unit = row.get("unit")
    local = indicator_value(row["value"], unit, d, language=language)
    if not is_missing(row.get("lower_95")) and not is_missing(row.get("value")):
        lower, upper = fixed_range(row["lower_95"], row["upper_95"], d)
        local += translate(language, " ({lower} to {upper})", lower=lower, upper=upper)
    region = ("–" if is_missing(row.get("region_value"))
              else indicator_value(row["region_value"], unit, d, language=language))
    return local, indicator_value(row["england_value"], unit, d, language=language), region


def _p(value: object, language: str = "en") -> str:
    """A p-value as printed: ``p < 0.001``, ``p = 0.042``."""
    return translate(language, "p not available") if is_missing(value) else (
        "p < 0.001" if float(value) < 0.001 else f"p = {float(value):.3f}")


def _points(r: dict, language: str = "en") -> str:
    difference = float(r["difference_pp"])
    points = f"{abs(difference):.1f}"
    if difference > 0:
        return translate(language, "{points} percentage points (higher locally)", points=points)
    return translate(language, "{points} percentage points (lower locally)", points=points)


def _about(value: object, language: str = "en") -> str:
    """As ``numbers.about``: ``about 1,234``, ``fewer than one``, in the chapter's language."""
    if is_missing(value):
        return translate(language, "not available")
    return translate(language, "fewer than one") if float(value) < 0.5 else translate(language, "about {n}",
                                                                                        n=count(value))


def _percent_interval(lower: float, upper: float, language: str = "en") -> str:
    """As ``numbers.interval(kind="percent")``: ``95% CI 12% to 19%``."""
    if is_missing(lower) or is_missing(upper):
        return ""
    return translate(language, "95% CI {lower} to {upper}", lower=percent(lower), upper=percent(upper))


def _untested(r: dict) -> bool:
    """A value without an interval (the embedded snapshot): only its direction can be given."""
    return str(r.get("benchmark_england_95")) == "not_compared" and not is_missing(r.get("value"))


def _difference(r: dict) -> float | None:
    if is_missing(r.get("value")) or is_missing(r.get("england_value")) or not float(r["england_value"]):
        return None
    return float(r["value"]) / float(r["england_value"]) - 1


def nation_of(row: dict, *, language: str = "en") -> str:
    """The nation a context row is compared with (``comparator_name``): England, or Wales for Wales's own figures."""
    name = row.get("comparator_name")
    return nation_name("England" if is_missing(name) or not str(name).strip() else str(name), language)


def compared_words(row: dict, label: object, *, with_region: bool = False, language: str = "en") -> str:
    nation = nation_of(row, language=language)
    if _untested(row) and not with_region:
        key = str(row.get("direction_england"))
        direction = BENCHMARK_SAID[key] if key in ("higher", "lower", "same") else BENCHMARK_SAID["not_compared"]
        return translate(language, "{compared} (no interval: not tested)",
                         compared=translate(language, direction, nation=nation))
    said = BENCHMARK_SAID.get(label, BENCHMARK_SAID["not_compared"]) if isinstance(label, str) else \
        BENCHMARK_SAID["not_compared"]
    return translate(language, said, nation=translate(language, "the region") if with_region else nation)


def _missing_context(data: ChapterData, key: str) -> str:
    """What is missing when a priority area has no local indicator, and how to add it."""
    language = data.language
    if data.area.get("context_source") in (None, "none"):
        return escape_text(data.area.get("context_note") or translate(language, "No local indicators are in the "
                                                                                 "data used."))
    title = translate(language, PRIORITY_TITLES[key], context="priority")
    # English lowers the whole title; Welsh only its first letter (a name in it keeps its capitals)
    topic = title.lower() if language == "en" else title[:1].lower() + title[1:]
    return translate(language, "No local indicator for {topic} was available for this chapter.", topic=topic)


def context_section(data: ChapterData, key: str, ident: str, *, title: str | None = None,
                    identifier: str | None = None) -> str:
    """The area's local indicators against England and its region: better / similar / worse by the
    Fingertips method where a value has a 95% interval, only higher / lower where it has none (the
    embedded snapshot). Says what is missing when the priority area has none. ``identifier``: the
    heading's (default ``sec-<ident>-context``; the appendix gives its own, as the priority area's
    section has a "Local context" heading too)."""
    language = data.language
    rows = data.rows("context", key)
    title = translate(language, "Local context") if title is None else title
    heading_md = heading(3, title, identifier=identifier or f"sec-{ident}-context")
    if not rows:
        return heading_md + "\n\n" + _missing_context(data, key)
    with_region = any(not is_missing(r.get("region_value")) for r in rows)
    english_nation = nation_of(rows[0])
    nation = nation_of(rows[0], language=language)
    # Welsh "â" (with) takes the aspirate mutation: "o'i gymharu â Chymru"
    with_nation = nation if language == "en" else mutate(nation, "aspirate")
    priority = translate(language, PRIORITY_TITLES[key], context="priority")
    figures = [row_figures(r, language=language) for r in rows]
    columns = {
        translate(language, "Indicator"): [r["indicator_name"] for r in rows],
        translate(language, "Period"): [str(r["time_period"]).replace(" - ", "-") for r in rows],
        escape_text(data.area_name): [f[0] for f in figures],
        nation: [f[1] for f in figures],
        translate(language, "Compared with {nation}", nation=with_nation): [
            compared_words(r, r["benchmark_england_95"], language=language) for r in rows],
    }
    if with_region:
        columns[translate(language, "Region")] = [f[2] for f in figures]
        columns[translate(language, "Compared with region")] = [
            compared_words(r, r["benchmark_region_95"], with_region=True, language=language) for r in rows]
    untested = [r for r in rows if _untested(r)]
    method = (translate(language, "Values with a 95% confidence interval are compared with the region and England "
                        "by the Fingertips method: a difference is shown only where the comparator lies outside the "
                        "local interval.") if with_region else
              translate(language, "Values with a 95% confidence interval are compared with England by the "
                        "Fingertips method: a difference is shown only where the comparator lies outside the local "
                        "interval."))
    where = (translate(language, "Indicators for the whole local population from OHID's Fingertips. ")
             if english_nation == "England" else
             translate(language, "Indicators for the whole local population from Wales's own published figures "
                       "(Appendix D names each source). "))
    intro = where + method
    if untested:
        intro = (where + ("" if len(untested) == len(rows) else method + " ")
                 + translate(language, "Latest published values without an interval are described only as higher "
                             "or lower than {nation}'s, because without an interval a difference cannot be tested.",
                             nation=nation))
    parts = [heading_md, intro,
             table(columns, caption=translate(language, "{title}: local context indicators", title=priority),
                   identifier=f"table-{ident}-context",
                   align=["left", "left", "right", "right", "left"] + (["right", "left"] if with_region else []),
                   # explicit widths: the period and the values must not run into each other in the PDF
                   widths=[30, 13, 17, 15, 25] + ([15, 20] if with_region else []))]
    plotted = [r for r in rows if not is_missing(r["relative_to_england"]) and not is_missing(r.get("lower_95"))]
    if plotted:
        path = Path(data.assets) / "figures" / f"{ident}-context.svg"
        alt = relative_to_england_chart(plotted, path, area_name=data.area_name, language=language,
                                        topic=topic(language, PRIORITY_TITLES[key]))
        parts.append(figure(f"{Path(data.assets).name}/figures/{path.name}",
                            caption=translate(language, "{title}: local indicators relative to {nation}",
                                              title=priority, nation=with_nation),
                            alt=alt, identifier=f"figure-{ident}-context"))
    return "\n\n".join(parts)


def observed_section(data: ChapterData, key: str, ident: str) -> str:
    """Locally identified needs beside what the national headline rate would predict."""
    rows = data.rows("observed", key)
    if not rows:
        return ""
    language = data.language
    head = [r for r in data.rows("estimates", key) if r["role"] == "headline"]
    lines = []
    for r in rows:
        label = escape_text(r["need"])
        where = ", ".join(escape_text(v) for v in (r.get("source"), r.get("period")) if not is_missing(v))
        where = f" ({where})" if where else ""
        if bool(r["suppressed"]) or is_missing(r["observed_count"]):
            lines.append(translate(language, "- **{label}:** not shown to protect confidentiality: the count, or the "
                                   "number of people without the need, is fewer than 5{where}.",
                                   label=label, where=where))
            continue
        ci = _percent_interval(100 * r["lower_95_ci"], 100 * r["upper_95_ci"], language)
        observed = (translate(language, "none") if round(float(r["observed_count"])) == 0
                    else translate(language, "about {n}", n=count(r["observed_count"])))
        text = translate(language, "- **{label}:** {observed} of {caseload} people ({percent}, {ci}){where}.",
                         label=label, observed=observed, caseload=count(r["caseload"]),
                         percent=percent(100 * r["observed_p"]), ci=ci, where=where)
        if head and not is_missing(r.get("expected_p")):
            text += translate(language, " The national headline rate ({measure}, {percent}) would predict {about}",
                              measure=escape_text(head[0]["measure"]), percent=percent(100 * r["expected_p"]),
                              about=_about(r["expected_count"], language))
            verdict = str(r.get("significance_95"))
            if verdict in COMPARISON_SENTENCES:
                text += translate(language, COMPARISON_SENTENCES[verdict], p=_p(r["p_value"], language))
                if verdict != "similar":
                    text += translate(language, " Local recording and the national measure may define the need "
                                      "differently.")
            elif verdict == "not_tested":
                text += translate(language, "; the local figure differs by {points}, but the national study gives no "
                                  "sample size or interval, so whether the difference is more than chance cannot be "
                                  "tested.", points=_points(r, language))
            else:
                text += translate(language, "; the two could not be compared.")
        lines.append(text)
    return (heading(3, translate(language, "What local records show"), identifier=f"sec-{ident}-observed") + "\n\n"
            + "\n".join(lines))
