"""What the analyst's local data add to a priority section: locally identified needs beside
what the national rate predicts, and Fingertips indicators for the whole local population
against the region and England."""

from __future__ import annotations

from pathlib import Path

from ..load.chapter_data import ChapterData
from ..model.context import PRINTED_DECIMALS
from ..model.rounding import fixed, fixed_range, half_up, outward
from ..priorities import PRIORITY_TITLES
from .figures import BENCHMARK_WORDS, relative_to_england_chart
from .markdown import escape_text, figure, heading, table
from .numbers import about, count, interval, is_missing, percent

SUPPRESSED = "suppressed"
COMPARISON_WORDS = {"higher": "higher than", "lower": "lower than", "similar": "similar to"}
UNIT_SUFFIX = {"percent": "%", "per_100000": " per 100,000", "per_1000": " per 1,000", "per_100": " per 100"}
#: Without an interval, a value this far from England's (either way) is mentioned in the findings.
CLEAR_DIFFERENCE = 0.20


def indicator_value(value: object, unit: object, decimals: int = PRINTED_DECIMALS) -> str:
    if is_missing(value):
        return SUPPRESSED + " or not available"
    return f"{fixed(value, decimals)}{UNIT_SUFFIX.get(str(unit), '')}"


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


def row_figures(row: dict) -> tuple[str, str, str]:
    """The area's value (with its 95% interval where it has one), its nation's and its region's
    (``–`` when none), each printed to the row's ``printed_decimals``."""
    d = printed_decimals(row)
    unit = row.get("unit")
    local = indicator_value(row["value"], unit, d)
    if not is_missing(row.get("lower_95")) and not is_missing(row.get("value")):
        local += " ({} to {})".format(*fixed_range(row["lower_95"], row["upper_95"], d))
    region = ("–" if is_missing(row.get("region_value")) else indicator_value(row["region_value"], unit, d))
    return local, indicator_value(row["england_value"], unit, d), region


def _p(value: object) -> str:
    """A p-value as printed: ``p < 0.001``, ``p = 0.042``."""
    return "p not available" if is_missing(value) else ("p < 0.001" if float(value) < 0.001
                                                         else f"p = {float(value):.3f}")


def _points(r: dict) -> str:
    difference = float(r["difference_pp"])
    return f"{abs(difference):.1f} percentage points ({'higher' if difference > 0 else 'lower'} locally)"


def _untested(r: dict) -> bool:
    """A value without an interval (the embedded snapshot): only its direction can be given."""
    return str(r.get("benchmark_england_95")) == "not_compared" and not is_missing(r.get("value"))


def _difference(r: dict) -> float | None:
    if is_missing(r.get("value")) or is_missing(r.get("england_value")) or not float(r["england_value"]):
        return None
    return float(r["value"]) / float(r["england_value"]) - 1


def nation_of(row: dict) -> str:
    """The nation a context row is compared with (``comparator_name``): England, or Wales for Wales's own figures."""
    name = row.get("comparator_name")
    return "England" if is_missing(name) or not str(name).strip() else str(name)


def compared_words(row: dict, label: object, *, with_region: bool = False) -> str:
    nation = nation_of(row)
    if _untested(row) and not with_region:
        direction = {"higher": f"higher than {nation}", "lower": f"lower than {nation}",
                     "same": f"the same as {nation}"}.get(str(row.get("direction_england")), "not compared")
        return direction + " (no interval: not tested)"
    words = BENCHMARK_WORDS.get(label, "not compared") if isinstance(label, str) else "not compared"
    return words.replace("England", "the region") if with_region else words.replace("England", nation)


def _missing_context(data: ChapterData, key: str) -> str:
    """What is missing when a priority area has no local indicator, and how to add it."""
    if data.area.get("context_source") in (None, "none"):
        return escape_text(data.area.get("context_note") or "No local indicators are in the data used.")
    return f"No local indicator for {PRIORITY_TITLES[key].lower()} was available for this chapter."


def context_section(data: ChapterData, key: str, ident: str, *, title: str = "Local context",
                    identifier: str | None = None) -> str:
    """The area's local indicators against England and its region: better / similar / worse by the
    Fingertips method where a value has a 95% interval, only higher / lower where it has none (the
    embedded snapshot). Says what is missing when the priority area has none. ``identifier``: the
    heading's (default ``sec-<ident>-context``; the appendix gives its own, as the priority area's
    section has a "Local context" heading too)."""
    rows = data.rows("context", key)
    heading_md = heading(3, title, identifier=identifier or f"sec-{ident}-context")
    if not rows:
        return heading_md + "\n\n" + _missing_context(data, key)
    with_region = any(not is_missing(r.get("region_value")) for r in rows)
    nation = nation_of(rows[0])
    figures = [row_figures(r) for r in rows]
    columns = {
        "Indicator": [r["indicator_name"] for r in rows],
        "Period": [str(r["time_period"]).replace(" - ", "-") for r in rows],
        escape_text(data.area_name): [f[0] for f in figures],
        nation: [f[1] for f in figures],
        f"Compared with {nation}": [compared_words(r, r["benchmark_england_95"]) for r in rows],
    }
    if with_region:
        columns["Region"] = [f[2] for f in figures]
        columns["Compared with region"] = [compared_words(r, r["benchmark_region_95"], with_region=True) for r in rows]
    untested = [r for r in rows if _untested(r)]
    method = ("Values with a 95% confidence interval are compared with " + ("the region and " if with_region else "")
              + "England by the Fingertips method: a difference is shown only where the comparator lies outside "
              "the local interval.")
    where = ("Indicators for the whole local population from OHID's Fingertips. " if nation == "England" else
             "Indicators for the whole local population from Wales's own published figures (Appendix D names "
             "each source). ")
    intro = where + method
    if untested:
        intro = (where + ("" if len(untested) == len(rows) else method + " ")
                 + "Latest published values without an interval are described only as higher or "
                 f"lower than {nation}'s, because without an interval a difference cannot be tested.")
    parts = [heading_md, intro,
             table(columns, caption=f"{PRIORITY_TITLES[key]}: local context indicators",
                   identifier=f"table-{ident}-context",
                   align=["left", "left", "right", "right", "left"] + (["right", "left"] if with_region else []),
                   # explicit widths: the period and the values must not run into each other in the PDF
                   widths=[30, 13, 17, 15, 25] + ([15, 20] if with_region else []))]
    plotted = [r for r in rows if not is_missing(r["relative_to_england"]) and not is_missing(r.get("lower_95"))]
    if plotted:
        path = Path(data.assets) / "figures" / f"{ident}-context.svg"
        alt = relative_to_england_chart(plotted, path, area_name=data.area_name, topic=PRIORITY_TITLES[key].lower())
        parts.append(figure(f"{Path(data.assets).name}/figures/{path.name}",
                            caption=f"{PRIORITY_TITLES[key]}: local indicators relative to {nation}",
                            alt=alt, identifier=f"figure-{ident}-context"))
    return "\n\n".join(parts)


def observed_section(data: ChapterData, key: str, ident: str) -> str:
    """Locally identified needs beside what the national headline rate would predict."""
    rows = data.rows("observed", key)
    if not rows:
        return ""
    head = [r for r in data.rows("estimates", key) if r["role"] == "headline"]
    lines = []
    for r in rows:
        label = escape_text(r["need"])
        where = ", ".join(escape_text(v) for v in (r.get("source"), r.get("period")) if not is_missing(v))
        if bool(r["suppressed"]) or is_missing(r["observed_count"]):
            lines.append(f"- **{label}:** not shown to protect confidentiality: the count, or the number of "
                         f"people without the need, is fewer than 5{f' ({where})' if where else ''}.")
            continue
        ci = interval(100 * r["lower_95_ci"], 100 * r["upper_95_ci"], kind="percent")
        observed = "none" if round(float(r["observed_count"])) == 0 else f"about {count(r['observed_count'])}"
        text = (f"- **{label}:** {observed} of {count(r['caseload'])} people "
                f"({percent(100 * r['observed_p'])}, {ci}){f' ({where})' if where else ''}.")
        if head and not is_missing(r.get("expected_p")):
            text += (f" The national headline rate ({escape_text(head[0]['measure'])}, "
                     f"{percent(100 * r['expected_p'])}) would predict {about(r['expected_count'])}")
            verdict = str(r.get("significance_95"))
            if verdict in COMPARISON_WORDS:
                text += (f"; allowing for the uncertainty in both figures, the local figure is "
                         f"{COMPARISON_WORDS[verdict]} that (two-sample z-test, {_p(r['p_value'])}).")
                if verdict != "similar":
                    text += " Local recording and the national measure may define the need differently."
            elif verdict == "not_tested":
                text += (f"; the local figure differs by {_points(r)}, but the national study gives no sample size "
                         "or interval, so whether the difference is more than chance cannot be tested.")
            else:
                text += "; the two could not be compared."
        lines.append(text)
    return (heading(3, "What local records show", identifier=f"sec-{ident}-observed") + "\n\n"
            + "\n".join(lines))
