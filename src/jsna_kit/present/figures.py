"""Figures for a chapter. Each function draws from a tidy table, writes one SVG and returns the
alt text it generated from the same data, so the description always matches the picture.

One colour-blind-safe palette throughout (Okabe and Ito 2008); marker shapes repeat what colour
says, so no figure relies on colour alone. Drawn with ``present.svg`` (see there for why not
matplotlib).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .lang import N_, in_place, translate
from .numbers import RANGE_NAMES, count, estimate_range, is_missing
from .svg import Drawing, nice_ticks, text_width, tick_label, wrap_to_width

OKABE_ITO = {
    # Okabe-Ito's orange (#E69F00) has 2.25:1 contrast with a white page, under the 3:1 WCAG 1.4.11
    # asks of a graphical mark; this darker orange keeps the hue at 4.7:1.
    "orange": "#B35C00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
ROLE_COLOURS = {"headline": OKABE_ITO["blue"], "alternative": OKABE_ITO["orange"],
                "proxy": OKABE_ITO["purple"]}
ROLE_LABELS = {"headline": N_("headline"), "alternative": N_("alternative source"),
               "proxy": N_("other setting (illustration)")}
#: The strength of each grade of evidence, beside its source in a chart's labels.
STRENGTH_WORDS = {"A": N_("strong"), "B": N_("moderate"), "C": N_("limited"), "D": N_("weak")}
ROLE_MARKERS = {"headline": "circle", "alternative": "square", "proxy": "diamond"}

# px. Narrow, with large type, so that on a 390 px phone (about 358 px of text column) the figure is
# scaled to 0.81 and its labels are still 12 px (WCAG's legible minimum for a phone, issue 30); wider
# screens show it at this size, the PDF at its text width.
WIDTH = 440
LABEL_SIZE, AXIS_SIZE = 15, 15
LINE_HEIGHT = 18
LABEL_SHARE = 0.6  # of the width, for the labels: the plot keeps 40%, enough for three ticks
LABEL_WIDTH = WIDTH * LABEL_SHARE - 23  # px: a label line, to fit the label column (less the tick)
GRID, AXIS, INK = "#dddddd", "#444444", "#222222"


def _records(rows: pd.DataFrame | list[dict]) -> list[dict]:
    return rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)


def _label(row: dict, width: float = LABEL_WIDTH, *, language: str = "en") -> list[str]:
    """The measure, then the source and the strength of its evidence, each wrapped to the label
    column, never cut short (issue 30: "HM Inspectorate of Probation…" hid the source). The
    measure and source are reference text, in the chapter's language."""
    grade = str(row.get("grade"))
    strength = translate(language, STRENGTH_WORDS[grade]) if grade in STRENGTH_WORDS else ""
    source = f"{row['source_label']}" + (f", {strength}" if strength else "")
    return [*wrap_to_width(str(row["measure"]), width, LABEL_SIZE), *wrap_to_width(source, width, LABEL_SIZE)]


@dataclass
class Dot:
    """One row of a dot-and-whisker chart."""

    label: list[str]  # lines
    value: float
    lower: float | None
    upper: float | None
    colour: str
    marker: str
    dash: str | None = None  # the whisker's dash pattern: what kind of range it is (RANGE_DASHES)


#: Each kind of range (``model.synthetic.RANGE_KINDS``) drawn its own way, named in the legend:
#: a sampling interval solid, a combined uncertainty range dashed, the caseload's band alone dotted.
RANGE_DASHES = {"confidence_interval": None, "uncertainty_range": "8 4", "caseload_range": "2 4"}


def _finite(value) -> float | None:
    return None if is_missing(value) or not math.isfinite(float(value)) else float(value)


def dot_whisker(dots: list[Dot], *, axis_title: str, legend: list[tuple[str, str, str]], title: str,
                from_zero: bool, reference: float | None = None,
                line_legend: list[tuple[str, str | None]] = ()) -> Drawing:
    """Rows of labelled points with interval lines on one horizontal axis, first row at the top.
    ``legend``: (label, colour, marker); ``line_legend``: (label, dash) for each kind of whisker
    drawn, a line without a marker; ``reference``: a value marked by a solid vertical line."""
    entries = [*legend, *((text, AXIS, None, dash) for text, dash in line_legend)]
    entries = [e if len(e) == 4 else (*e, None) for e in entries]
    label_width = max([text_width(line, LABEL_SIZE) for d in dots for line in d.label] + [40.0])
    left = min(label_width + 14, WIDTH * LABEL_SHARE)
    right = WIDTH - 24
    placed = _legend_layout(entries, 4, WIDTH - 4)  # the whole width: a long entry is never cut off
    legend_height = (placed[-1][1] + 12) if placed else 6
    # each row as tall as its own label (wrapped labels differ in length), at least 40 px
    heights = [max(LINE_HEIGHT * len(d.label) + 8, 40) for d in dots] or [40]
    top = legend_height + 8
    plot_height = sum(heights)
    height = top + plot_height + 58

    values = [v for d in dots for v in (d.value, d.lower, d.upper) if v is not None]
    if reference is not None:
        values.append(reference)
    low = 0.0 if from_zero else min(values, default=0.0)
    high = max(values, default=1.0)
    if not from_zero:
        pad = (high - low) * 0.05 or abs(high) * 0.05 or 0.1
        low, high = low - pad, high + pad
    ticks = nice_ticks(low, high, target=3)  # few, so their labels never touch on a narrow plot
    lo, hi = (0.0 if from_zero else ticks[0]), ticks[-1]

    def x(value: float) -> float:
        return left + (value - lo) / ((hi - lo) or 1.0) * (right - left)

    svg = Drawing(WIDTH, height, title=title)
    bottom = top + plot_height
    for tick in ticks:
        if lo <= tick <= hi:
            svg.line(x(tick), top, x(tick), bottom, stroke=GRID)
            svg.line(x(tick), bottom, x(tick), bottom + 5, stroke=AXIS)
            svg.text(x(tick), bottom + 20, tick_label(tick), size=LABEL_SIZE, anchor="middle", fill=INK)
    if reference is not None:
        svg.line(x(reference), top, x(reference), bottom, stroke="#333333", width=1.5)
    svg.line(left, bottom, right, bottom, stroke=AXIS)
    svg.line(left, top, left, bottom, stroke=AXIS)
    for i, dot in enumerate(dots):
        centre = top + sum(heights[:i]) + heights[i] / 2
        svg.line(left - 5, centre, left, centre, stroke=AXIS)
        first = centre - LINE_HEIGHT * (len(dot.label) - 1) / 2 + 4
        for n, line in enumerate(dot.label):
            svg.text(left - 9, first + n * LINE_HEIGHT, line, size=LABEL_SIZE, anchor="end", fill=INK)
        if dot.lower is not None and dot.upper is not None:
            svg.line(x(dot.lower), centre, x(dot.upper), centre, stroke=dot.colour, width=3.5, dash=dot.dash)
        svg.marker(dot.marker, x(dot.value), centre, 12, fill=dot.colour)
    # Centred on the whole figure: the plot area alone is too narrow for it.
    svg.text(WIDTH / 2, bottom + 44, axis_title, size=AXIS_SIZE, anchor="middle", fill=INK)
    for (text, colour, marker, dash), (at, middle) in zip(entries, placed, strict=True):
        svg.line(at, middle, at + 22, middle, stroke=colour, width=3.5, dash=dash)
        if marker:
            svg.marker(marker, at + 11, middle, 11, fill=colour)
        svg.text(at + 28, middle + 4, text, size=LABEL_SIZE, fill=INK)
    return svg


def _legend_layout(legend: list[tuple], left: float, right: float) -> list[tuple[float, float]]:
    """Where each legend entry starts (x) and its middle (y): in a row above the plot, starting
    a new row when the next entry would not fit."""
    placed, cursor, middle = [], left, 14.0
    for text, *_ in legend:
        width = 28 + text_width(text, LABEL_SIZE)
        if placed and cursor + width > right:
            cursor, middle = left, middle + 20
        placed.append((cursor, middle))
        cursor += width + 22
    return placed


def estimate_range_chart(rows: pd.DataFrame | list[dict], path: Path, *, area_name: str, topic: str,
                         language: str = "en") -> str:
    """Dot-and-whisker chart of the expected number of people on the local caseload with a need,
    one line per national source (headline first). ``rows`` needs measure, source_label, grade,
    role, expected, expected_lower, expected_upper. ``topic``: the priority area, mid-sentence, in
    ``language``. Returns the alt text."""
    rows = _records(rows)
    dots = [Dot(_label(r, language=language), float(r["expected"]), _finite(r["expected_lower"]),
                _finite(r["expected_upper"]),
                ROLE_COLOURS.get(r["role"], OKABE_ITO["black"]), ROLE_MARKERS.get(r["role"], "square"),
                RANGE_DASHES.get(str(r.get("range_kind"))))
            for r in rows]
    roles = {r["role"] for r in rows}
    legend = [(translate(language, ROLE_LABELS[r]), ROLE_COLOURS[r], ROLE_MARKERS[r])
              for r in ("headline", "alternative", "proxy") if r in roles]
    alt = range_chart_alt(rows, area_name=area_name, topic=topic, language=language)
    dot_whisker(dots, axis_title=translate(language, "Estimated number of people on probation"), legend=legend,
                line_legend=range_legend(rows, language=language), title=alt, from_zero=True).save(path)
    return alt


def range_legend(rows: list[dict], *, language: str = "en") -> list[tuple[str, str | None]]:
    """A legend line for each kind of range the chart draws, in ``RANGE_DASHES``' order."""
    drawn = {str(r.get("range_kind")) for r in rows
             if _finite(r.get("expected_lower")) is not None and _finite(r.get("expected_upper")) is not None}
    kinds = [k for k in RANGE_DASHES if k in drawn]
    names = {k: translate(language, RANGE_NAMES[k]) for k in kinds}
    return [(names[k][0].upper() + names[k][1:], RANGE_DASHES[k]) for k in kinds]


def range_chart_alt(rows: pd.DataFrame | list[dict], *, area_name: str, topic: str, language: str = "en") -> str:
    parts = []
    for row in _records(rows):
        named = estimate_range(row, language=language)
        bounds = f" ({named})" if named else translate(language, " (no range)")
        role = translate(language, ROLE_LABELS[row["role"]]) if row["role"] in ROLE_LABELS else row["role"]
        parts.append(translate(language, "{role}: {measure}, {source}, about {expected}{bounds}", role=role,
                               measure=row["measure"], source=row["source_label"], expected=count(row["expected"]),
                               bounds=bounds))
    return (translate(language, "Chart of estimated numbers of people on probation {in_area} with {topic} needs, by "
                      "national source.", in_area=in_place(language, area_name), topic=topic)
            + " " + "; ".join(parts) + ".")


# Each at least 3:1 against the page and against the darker shading of the spine chart (#d9d9d9):
# Okabe-Ito's blue; a darker vermillion; a dark grey; Tol's wine for a direction without a judgement.
# ``same``: a value without an interval that prints as England's does (not tested, so not "similar").
BENCHMARK_COLOURS = {"better": OKABE_ITO["blue"], "worse": "#B33C00", "similar": "#595959",
                     "higher": "#882255", "lower": "#882255", "same": "#882255", "not_compared": OKABE_ITO["black"]}
BENCHMARK_WORDS = {"better": N_("better than England"), "worse": N_("worse than England"),
                   "similar": N_("similar to England"), "higher": N_("higher than England"),
                   "lower": N_("lower than England"), "same": N_("the same as England"),
                   "not_compared": N_("not compared")}


MARKERS = {"better": "triangle-up", "worse": "triangle-down", "similar": "circle", "higher": "triangle-right",
           "lower": "triangle-left", "same": "square", "not_compared": "cross"}


def relative_to_england_chart(rows: pd.DataFrame | list[dict], path: Path, *, area_name: str, topic: str,
                              language: str = "en") -> str:
    """Each local indicator as a ratio to England's value (England = 1) with its 95% interval, so
    indicators in different units share one axis; colour and marker shape give the Fingertips
    comparison, so the chart does not rely on colour alone. ``topic``: the priority area,
    mid-sentence, in ``language``. Returns the alt text."""

    def words(kind: str) -> str:
        return translate(language, BENCHMARK_WORDS.get(kind, BENCHMARK_WORDS["not_compared"]))

    records = [r for r in _records(rows) if not is_missing(r["relative_to_england"])]
    dots = []
    for r in records:
        label = str(r["benchmark_england_95"])
        dots.append(Dot(wrap_to_width(str(r["indicator_name"]), LABEL_WIDTH, LABEL_SIZE),
                        float(r["relative_to_england"]), _finite(r["relative_lower"]), _finite(r["relative_upper"]),
                        BENCHMARK_COLOURS.get(label, OKABE_ITO["black"]), MARKERS.get(label, "circle")))
    shown = {str(r["benchmark_england_95"]) for r in records}
    legend = [(words(k), BENCHMARK_COLOURS[k], MARKERS[k]) for k in MARKERS if k in shown]
    parts = [translate(language, "{indicator}: {ratio:.2f} times England, {words}", indicator=r["indicator_name"],
                       ratio=r["relative_to_england"], words=words(str(r["benchmark_england_95"])))
             for r in records]
    alt = (translate(language, "Chart of local indicators for {topic} {in_area} relative to England.", topic=topic,
                     in_area=in_place(language, area_name)) + " " + "; ".join(parts) + ".")
    whiskers = [(translate(language, RANGE_NAMES["confidence_interval"]), None)] if any(
        d.lower is not None for d in dots) else []
    dot_whisker(dots, axis_title=translate(language, "Relative to England (England = 1), 95% CI"), legend=legend,
                line_legend=whiskers, title=alt, from_zero=False, reference=1.0).save(path)
    return alt
