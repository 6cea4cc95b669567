"""What the analyst's local data add to a priority section: locally identified needs beside
what the national rate predicts, and Fingertips indicators for the whole local population
against the region and England."""

from __future__ import annotations

from pathlib import Path

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .figures import BENCHMARK_WORDS, relative_to_england_chart
from .markdown import escape_text, figure, heading, table
from .numbers import count, interval, is_missing, percent

SUPPRESSED = "suppressed"
COMPARISON_WORDS = {"higher": "higher than", "lower": "lower than", "similar": "similar to"}
UNIT_SUFFIX = {"percent": "%", "per_100000": " per 100,000", "per_1000": " per 1,000", "per_100": " per 100"}


def indicator_value(value: object, unit: object) -> str:
    if is_missing(value):
        return SUPPRESSED + " or not available"
    return f"{float(value):,.1f}{UNIT_SUFFIX.get(str(unit), '')}"


def observed_finding(data: ChapterData, key: str) -> str:
    """Key-findings sentences on locally identified needs (empty without a needs file)."""
    sentences = []
    for r in data.rows("observed", key):
        need = escape_text(r["need"])
        if bool(r["suppressed"]) or is_missing(r["observed_count"]):
            sentences.append(f"Local records ({need}) are not shown: the numbers are too small to publish.")
        elif str(r.get("significance_95")) in COMPARISON_WORDS:
            sentences.append(f"Local records ({need}: {percent(100 * r['observed_p'])}) are "
                             f"{COMPARISON_WORDS[str(r['significance_95'])]} the national rate "
                             f"({percent(100 * r['expected_p'])}), allowing for the uncertainty in both.")
        elif str(r.get("significance_95")) == "not_tested":
            sentences.append(f"Local records ({need}: {percent(100 * r['observed_p'])}) differ from the national "
                             f"rate ({percent(100 * r['expected_p'])}) by {_points(r)}; the national figure's "
                             "precision is unknown, so no test is possible.")
    return (" " + " ".join(sentences)) if sentences else ""


def _p(value: object) -> str:
    return "not available" if is_missing(value) else ("< 0.001" if float(value) < 0.001 else f"{float(value):.3f}")


def _points(r: dict) -> str:
    difference = float(r["difference_pp"])
    return f"{abs(difference):.1f} percentage points ({'higher' if difference > 0 else 'lower'} locally)"


def context_finding(data: ChapterData, key: str) -> str:
    """A key-findings sentence on the local indicators (empty without Fingertips data)."""
    rows = data.rows("context", key)
    if not rows:
        return ""
    judged = [r for r in rows if r["benchmark_england_95"] in ("better", "worse")]
    if not judged:
        subject = ("the one local indicator is not" if len(rows) == 1
                   else f"none of the {len(rows)} local indicators is")
        return f" Across the whole population, {subject} significantly better or worse than England."
    words = [f"{escape_text(r['indicator_name'])} ({BENCHMARK_WORDS[r['benchmark_england_95']]})" for r in judged]
    return " Across the whole population: " + "; ".join(words) + "."


def _compared(label: object, *, with_region: bool = False) -> str:
    words = BENCHMARK_WORDS.get(label, "not compared") if isinstance(label, str) else "not compared"
    return words.replace("England", "the region") if with_region else words


def context_section(data: ChapterData, key: str, ident: str) -> str:
    """Fingertips indicators for the area against its region and England (Fingertips rules)."""
    rows = data.rows("context", key)
    if not rows:
        return ""
    columns = {
        "Indicator": [r["indicator_name"] for r in rows],
        "Period": [r["time_period"] for r in rows],
        escape_text(data.area_name): [
            indicator_value(r["value"], r["unit"]) + (f" ({r['lower_95']:,.1f} to {r['upper_95']:,.1f})"
                                                      if not is_missing(r["lower_95"]) else "") for r in rows],
        "Region": [indicator_value(r["region_value"], r["unit"]) if not is_missing(r["region_value"]) else "–"
                   for r in rows],
        "England": [indicator_value(r["england_value"], r["unit"]) for r in rows],
        "Compared with England": [_compared(r["benchmark_england_95"]) for r in rows],
        "Compared with region": [_compared(r["benchmark_region_95"], with_region=True) for r in rows],
    }
    parts = [heading(3, "Local context", identifier=f"sec-{ident}-context"),
             "Indicators for the whole local population from OHID's Fingertips, compared with the region and "
             "England by the Fingertips method: a difference is shown only where the comparator lies outside "
             "the local 95% confidence interval.",
             table(columns, caption=f"{PRIORITY_TITLES[key]}: local context indicators",
                   identifier=f"tbl-{ident}-context",
                   align=["left", "left", "right", "right", "right", "left", "left"],
                   widths=[30, 10, 16, 10, 10, 12, 12])]
    plotted = [r for r in rows if not is_missing(r["relative_to_england"])]
    if plotted:
        path = Path(data.assets) / "figures" / f"{ident}-context.svg"
        alt = relative_to_england_chart(plotted, path, area_name=data.area_name, topic=PRIORITY_TITLES[key].lower())
        parts.append(figure(f"{Path(data.assets).name}/figures/{path.name}",
                            caption=f"{PRIORITY_TITLES[key]}: local indicators relative to England",
                            alt=alt, identifier=f"fig-{ident}-context"))
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
        text = (f"- **{label}:** about {count(r['observed_count'])} of {count(r['caseload'])} people "
                f"({percent(100 * r['observed_p'])}, {ci}){f' ({where})' if where else ''}.")
        if head and not is_missing(r.get("expected_p")):
            text += (f" The national headline rate ({escape_text(head[0]['measure'])}, "
                     f"{percent(100 * r['expected_p'])}) would predict about {count(r['expected_count'])}")
            verdict = str(r.get("significance_95"))
            if verdict in COMPARISON_WORDS:
                text += (f"; allowing for the uncertainty in both figures, the local figure is "
                         f"{COMPARISON_WORDS[verdict]} that (two-sample z-test, p = {_p(r['p_value'])}).")
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
