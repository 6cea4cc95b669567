"""The chapter's one compact chart of local context: a spine chart (the Fingertips area profile's
shape) of every local indicator against England. Each row is one indicator; England's value is
the centre line, the shaded bar is England's range across upper-tier areas (lightest: lowest to
highest; darker: the middle half, 25th to 75th percentile), scaled so that the better end is on
the right where the indicator has a polarity; the marker is the area. Colour and marker shape say
how the area compares (better / similar / worse where an interval exists; higher / lower / the same
as printed where it does not), so the chart does not rely on colour alone."""

from __future__ import annotations

from pathlib import Path

from ..load.chapter_data import ChapterData
from ..model.rounding import fixed
from ..priorities import PRIORITY_TITLES
from .figures import BENCHMARK_COLOURS, BENCHMARK_WORDS, MARKERS, OKABE_ITO
from .findings import nation_name
from .lang import N_, translate
from .local import printed_decimals
from .markdown import escape_text, figure
from .numbers import is_missing
from .svg import Drawing, text_width, wrap_to_width

# Narrow and in large type, like the estimate charts (figures.WIDTH): on a 390 px phone the text is
# still 12 px. Each indicator takes two lines: its name, then its spine and value.
WIDTH, TOP = 440, 48
NAME_LINE, SPINE_LINE, GAP = 19, 22, 8
ROW = NAME_LINE + SPINE_LINE + GAP
TEXT_SIZE = 15
VALUE_WIDTH = 150  # at least, for the area's value and England's, right of the spine
# Light shading, so that every marker keeps 3:1 contrast against it (WCAG 1.4.11); each band is
# outlined in a grey with 4.5:1 against the page and 3:1 against the bands, so that where the
# range and its middle half lie can be seen without telling the two light greys apart.
RANGE, MIDDLE, CENTRE, INK, EDGE = "#f0f0f0", "#d9d9d9", "#444444", "#222222", "#6b6b6b"
SECTION_ORDER = [*PRIORITY_TITLES, "context"]
SECTION_TITLES = {**PRIORITY_TITLES, "context": "Wider determinants"}
#: How the area compares with each nation, said in full for each: a Welsh phrase mutates the
#: nation's name differently after each word ("gwell na Chymru", "tebyg i Gymru").
NATION_WORDS = {
    "England": BENCHMARK_WORDS,
    "Wales": {"better": N_("better than Wales"), "worse": N_("worse than Wales"), "similar": N_("similar to Wales"),
              "higher": N_("higher than Wales"), "lower": N_("lower than Wales"), "same": N_("the same as Wales"),
              "not_compared": N_("not compared")},
}


def compared_with(language: str, kind: str, nation: str) -> str:
    """How the area compares with ``nation`` ("better than Wales"), in ``language``."""
    if nation in NATION_WORDS:
        words = NATION_WORDS[nation]
        return translate(language, words.get(kind, words["not_compared"]))
    # another comparator: English only (a chapter compares an area with England or Wales)
    return BENCHMARK_WORDS.get(kind, "not compared").replace("England", nation)
UNIT_SUFFIX = {"percent": "%", "per_100000": " per 100k", "per_1000": " per 1,000", "score": ""}


def _label(row: dict) -> str:
    """How the area compares: the Fingertips judgement where there is an interval, else the direction."""
    judged = str(row.get("benchmark_england_95"))
    if judged in ("better", "worse", "similar", "higher", "lower"):
        return judged
    direction = str(row.get("direction_england"))
    return direction if direction in ("higher", "lower", "same") else "not_compared"


def spine_position(value: float, england: float, lowest: float, highest: float, polarity: str) -> float | None:
    """Where ``value`` sits on the spine, 0 (worst end of England's range) to 1 (best end), with
    England at 0.5. Without a polarity, 0 is the lowest value and 1 the highest. Values outside
    England's range are held at its ends."""
    if any(is_missing(v) for v in (value, england, lowest, highest)):
        return None
    low_is_good = polarity == "low_is_good"
    best, worst = (lowest, highest) if low_is_good else (highest, lowest)
    better = (value < england) if low_is_good else (value > england)
    span = (best - england) if better else (england - worst)
    if span == 0:
        return 0.5
    offset = (value - england) / span if better else (england - value) / span
    position = 0.5 + 0.5 * offset if better else 0.5 - 0.5 * offset
    return min(1.0, max(0.0, position))


def _rows(data: ChapterData) -> list[dict]:
    rows = [r for r in data.rows("context")
            if not is_missing(r.get("value")) and not is_missing(r.get("england_value"))]
    order = {key: i for i, key in enumerate(SECTION_ORDER)}
    return sorted(rows, key=lambda r: (order.get(str(r.get("priority_area")), 99), str(r["indicator_name"])))


def spine_chart(rows: list[dict], path: Path, *, area_name: str, language: str = "en") -> str:
    """Draw the spine chart of ``rows`` (context rows) to ``path``; returns its alt text. The values
    column is as wide as its widest value, so no value runs into a spine. Its words are in
    ``language``; the indicators' names are reference text."""
    values = [f"{fixed(r['value'], printed_decimals(r))}{UNIT_SUFFIX.get(str(r.get('unit')), '')} "
              f"({fixed(r['england_value'], printed_decimals(r))})" for r in rows]
    left = 4
    right = WIDTH - max([VALUE_WIDTH, *(text_width(v, TEXT_SIZE) + 12 for v in values)])
    shown = [k for k in MARKERS if k in {_label(r) for r in rows}]
    legend_lines = len(shown) + 2
    # each indicator's name wrapped over as many lines as it needs, never cut short (issue 30)
    names = [wrap_to_width(str(r["indicator_name"]), WIDTH - 8, TEXT_SIZE) or [""] for r in rows]
    tops = [TOP + i * ROW + NAME_LINE * sum(len(n) - 1 for n in names[:i]) for i in range(len(rows) + 1)]
    height = tops[-1] + 18 + 20 * legend_lines
    nation = str(rows[0].get("comparator_name") or "England") if rows else "England"
    named = nation_name(language, nation)
    words = {r["indicator_name"]: compared_with(language, _label(r), nation) for r in rows}
    alt = (translate(language, "Spine chart of {n} local indicators for {area} against {nation}.", n=len(rows),
                     area=area_name, nation=named)
           + " " + "; ".join(f"{name}: {word}" for name, word in words.items()) + ".")
    svg = Drawing(WIDTH, height, title=alt)
    svg.text(left, 18, translate(language, "Worse"), size=TEXT_SIZE, fill=INK)
    svg.text(right, 18, translate(language, "Better"), size=TEXT_SIZE, anchor="end", fill=INK)
    svg.text((left + right) / 2, 38, named, size=TEXT_SIZE, anchor="middle", fill=INK)
    svg.text(WIDTH - 4, 38, translate(language, "here ({nation})", nation=named), size=TEXT_SIZE, anchor="end",
             fill=INK)
    for i, r in enumerate(rows):
        top = tops[i]
        for n, line in enumerate(names[i]):
            svg.text(left, top + 14 + n * NAME_LINE, line, size=TEXT_SIZE, fill=INK)
        y = top + NAME_LINE * len(names[i]) + SPINE_LINE / 2
        polarity = str(r.get("polarity") or "no_judgement")
        lo, q1, q3, hi = (r.get(k) for k in ("england_lowest", "england_q1", "england_q3", "england_highest"))
        england = float(r["england_value"])
        ends = [spine_position(v, england, lo, hi, polarity) for v in (lo, hi, q1, q3)]
        if None not in ends:
            a, b, c, d = (left + e * (right - left) for e in ends)
            svg.rect(min(a, b), y - 8, abs(b - a), 16, fill=RANGE, stroke=EDGE)
            svg.rect(min(c, d), y - 8, abs(d - c), 16, fill=MIDDLE, stroke=EDGE)
        svg.line((left + right) / 2, y - 10, (left + right) / 2, y + 10, stroke=CENTRE, width=1.5)
        svg.text(WIDTH - 4, y + 5, values[i], size=TEXT_SIZE, anchor="end", fill=INK)
        where = spine_position(float(r["value"]), england, lo, hi, polarity)
        if where is not None:
            kind = _label(r)
            svg.marker(MARKERS.get(kind, "circle"), left + where * (right - left), y, 12,
                       fill=BENCHMARK_COLOURS.get(kind, OKABE_ITO["black"]))
    y = tops[-1] + 18
    for kind in shown:
        svg.marker(MARKERS[kind], left + 7, y - 5, 11, fill=BENCHMARK_COLOURS[kind])
        svg.text(left + 20, y, compared_with(language, kind, nation), size=TEXT_SIZE, fill=INK)
        y += 20
    svg.rect(left, y - 11, 18, 11, fill=RANGE, stroke=EDGE)
    svg.text(left + 24, y, translate(language, "{nation}'s range across areas", nation=named), size=TEXT_SIZE,
             fill=INK)
    svg.rect(left, y + 9, 18, 11, fill=MIDDLE, stroke=EDGE)
    svg.text(left + 24, y + 20, translate(language, "middle half of areas"), size=TEXT_SIZE, fill=INK)
    svg.save(path)
    return alt


def context_chart_block(data: ChapterData) -> str:
    """The chapter's one compact chart of every local indicator against England (a Markdown
    figure), or, for an area with no local indicators, a sentence saying what is missing and how
    to add it."""
    language = data.language
    rows = _rows(data)
    if not rows:
        # the note is the build's (model-made English); without one, this chapter's own sentence
        note = data.area.get("context_note") or translate(language, "No local indicators were available for this "
                                                                    "chapter.")
        return escape_text(note)
    path = Path(data.assets) / "figures" / "context-spine.svg"
    alt = spine_chart(rows, path, area_name=data.area_name, language=language)
    nation = nation_name(language, str(rows[0].get("comparator_name") or "England"))
    with_interval = any(str(r.get("benchmark_england_95")) not in ("not_compared", "None", "nan") for r in rows)
    how = (translate(language, "better, similar or worse than {nation} where the value has a 95% interval "
                     "(Fingertips method), otherwise only higher, lower or the same as printed", nation=nation)
           if with_interval else
           translate(language, "only higher, lower or the same as {nation} as printed: these latest values have no "
                     "interval, so no difference is tested", nation=nation))
    caption = translate(language, "{area}: local indicators against {nation} ({how}). Better and worse only where an "
                        "indicator has a direction. Shading: {nation}'s range across areas, darker for the middle "
                        "half.", area=data.area_name, nation=nation, how=how)
    # In the PDF and Word at 60% of the text width (a tall chart; web pages show it at its own size).
    return figure(f"{Path(data.assets).name}/figures/{path.name}", caption=caption, alt=alt,
                  identifier="figure-context-spine", width="60%")
