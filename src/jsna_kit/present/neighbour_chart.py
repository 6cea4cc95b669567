"""The similar areas' chart (``present.neighbours``): a dot strip per indicator, the area against
its statistical neighbours and its nation, as SVG text with its alt text, its words in the chapter's
language; and the figures and places in a ranking that its words and the sentences share."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..model.neighbours import NATION_CODES, nation_of, standing_among_neighbours
from ..model.rounding import fixed
from .bodies import nation_name
from .figures import OKABE_ITO
from .lang import N_, translate, translate_plural
from .numbers import is_missing
from .svg import Drawing, text_width, wrap_to_width

# As the spine chart (context_chart): narrow, 15 px type, so text is still 12 px on a 390 px phone.
WIDTH, TEXT_SIZE = 440, 15
NAME_LINE, STRIP_LINE, GAP = 19, 24, 8
ROW = NAME_LINE + STRIP_LINE + GAP
VALUE_WIDTH = 126  # at least, for the area's value and the nation's, right of the strip
# Each mark at least 3:1 against white and the band (WCAG 1.4.11); shape repeats what colour says.
AREA_COLOUR, NEIGHBOUR_COLOUR, NATION_COLOUR = OKABE_ITO["blue"], "#595959", OKABE_ITO["black"]
BAND, INK = "#e8e8e8", "#222222"
UNIT_WORDS = {"per_100000": N_(" per 100,000"), "per_1000": N_(" per 1,000"), "percent": "%"}


#: Welsh ordinal endings after a figure, as Welsh Government statistical releases write a place
#: in a ranking ("1af", "2il", "3ydd", "11eg", "22ain"): the traditional (vigesimal) ordinals to 39
#: (the masculine forms: "3ydd", not "3edd"), then the decimal ones ("40fed", "100fed").
WELSH_ORDINAL_ENDINGS = {1: "af", 2: "il", 3: "ydd", 4: "ydd", 5: "ed", 6: "ed", 7: "fed", 8: "fed", 9: "fed",
                         10: "fed", 11: "eg", 12: "fed", 13: "eg", 14: "eg", 15: "fed", 16: "eg", 17: "eg",
                         18: "fed", 19: "eg", 20: "fed", **{n: "ain" for n in range(21, 40)}}
#: Places whose Welsh ordinal begins with a vowel ("ail", "wythfed", "unfed ar ddeg", "ugeinfed"):
#: the article before them is "yr", not "y".
WELSH_ORDINALS_AFTER_YR = {2, 8, 11, 20, 21, 22, 28, 31}


def ordinal(n: int, *, language: str = "en") -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``; in Welsh ``1af``, ``2il``, ``3ydd``, ``11eg``,
    ``22ain``."""
    if language == "cy":
        return f"{n}{WELSH_ORDINAL_ENDINGS.get(n, 'fed')}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def the_ordinal(n: int, language: str) -> str:
    """The ordinal a place is put in with "the": English ``3rd`` (the message has its "the");
    Welsh with its article, ``y 3ydd``, ``yr 2il`` (the article depends on the number's word)."""
    if language != "cy":
        return ordinal(n)
    return ("yr " if n in WELSH_ORDINALS_AFTER_YR else "y ") + ordinal(n, language="cy")


def _place(row: dict, language: str = "en") -> str:
    """``the highest``, ``the lowest``, ``the joint 2nd highest``, ``the 3rd lowest`` (Welsh: ``yr
    uchaf``, ``yr isaf``, ``yr 2il uchaf ar y cyd``, ``y 3ydd isaf``)."""
    high, low, compared = int(row["position"]), int(row["position_from_lowest"]), int(row["compared"])
    joint = bool(row["joint"])
    if high == 1:
        return translate(language, "the joint highest") if joint else translate(language, "the highest")
    if low == 1:
        return translate(language, "the joint lowest") if joint else translate(language, "the lowest")
    if high <= (compared + 1) // 2:
        return (translate(language, "the joint {ordinal} highest", ordinal=the_ordinal(high, language)) if joint
                else translate(language, "the {ordinal} highest", ordinal=the_ordinal(high, language)))
    return (translate(language, "the joint {ordinal} lowest", ordinal=the_ordinal(low, language)) if joint
            else translate(language, "the {ordinal} lowest", ordinal=the_ordinal(low, language)))


def _figure(value: float, unit: str, language: str = "en") -> str:
    """``12.3 per 100,000``, ``14.2%``, ``612.3 per 100,000``: as "Local context" prints the same
    figure, to one decimal place, halves up (Welsh: ``12.3 fesul 100,000``)."""
    words = UNIT_WORDS.get(unit, "")
    return fixed(value) + (translate(language, words) if words.startswith(" per") else words)


def neighbour_chart(area_code: str, area_name: str, neighbours: Mapping[str, str], values: pd.DataFrame,
                    standing: pd.DataFrame | None = None, *, language: str = "en") -> tuple[str, str]:
    """A dot strip per indicator: the similar areas (grey circles; the band is their range), the
    nation (black line) and the area (blue diamond, drawn last, so never hidden), on the
    indicator's own scale, lowest on the left. Returns ``(svg, alt)``, their words in ``language``."""
    nation_code = NATION_CODES[nation_of(pd.Series([area_code])).iloc[0]]
    nation = nation_name({v: k for k, v in NATION_CODES.items()}[nation_code], language)
    if standing is None:
        standing = standing_among_neighbours(values, area_code, list(neighbours))
    rows = standing.to_dict("records")
    near = values.loc[values["area_code"].isin(list(neighbours))]
    by_indicator: dict[str, list[float]] = {}
    for name, value in zip(near["indicator_name"], pd.to_numeric(near["value"], errors="coerce"), strict=True):
        if not pd.isna(value):
            by_indicator.setdefault(name, []).append(float(value))
    def value_label(r: dict) -> str:
        percent = "percent" if r["unit"] == "percent" else ""
        label = _figure(r["value"], percent, language)
        return label + (f" ({_figure(r['nation_value'], percent, language)})" if not is_missing(r["nation_value"])
                        else "")

    # the values column as wide as its widest value, so that no value runs into a strip
    left = 10
    right = WIDTH - max([VALUE_WIDTH, *(text_width(value_label(r), TEXT_SIZE) + 12 for r in rows)])
    legend = [(area_name, "diamond"),
              (translate(language, "{n} most similar areas", n=len(neighbours)), "circle"), (nation, "line")]
    top = 10 + 22 * len(legend) + 8
    # each measure's name (and its unit) wrapped over the lines it needs, never cut short (issue 30)
    names = []
    for r in rows:
        unit_words = UNIT_WORDS.get(r["unit"], "") if r["unit"].startswith("per_") else ""
        per = translate(language, unit_words) if unit_words else ""
        names.append(wrap_to_width(str(r["indicator_name"]) + (f" ({per.strip()})" if per else ""), WIDTH - 14,
                                   TEXT_SIZE) or [""])
    tops = [top + i * ROW + NAME_LINE * sum(len(n) - 1 for n in names[:i]) for i in range(len(rows) + 1)]
    height = (tops[-1] if rows else top + ROW) + 30
    parts = []
    for r in rows:
        words = (translate(language, "{place} of {compared}", place=_place(r, language), compared=r["compared"])
                 if int(r["compared"]) >= 2 else translate(language, "no similar area has a figure"))
        said = [f"{r['indicator_name']}: {area_name} {_figure(r['value'], r['unit'], language)}, {words}"]
        if not is_missing(r["lowest"]):
            said.append(translate(language, "similar areas {lowest} to {highest}", lowest=_figure(r["lowest"], ""),
                                  highest=_figure(r["highest"], r["unit"], language)))
        if not is_missing(r["nation_value"]):
            said.append(f"{nation} {_figure(r['nation_value'], r['unit'], language)}")
        parts.append("; ".join(said))
    alt = (translate_plural(language, "Chart comparing {area} with its {neighbours} most similar areas and {nation} "
                            "on {n} measure.", "Chart comparing {area} with its {neighbours} most similar areas and "
                            "{nation} on {n} measures.", len(rows), area=area_name, neighbours=len(neighbours),
                            nation=nation)
           + " " + ". ".join(parts) + ("." if parts else ""))
    svg = Drawing(WIDTH, height, title=alt)
    for i, (label, shape) in enumerate(legend):
        y = 10 + 22 * i + 8
        if shape == "line":
            svg.line(left + 8, y - 9, left + 8, y + 9, stroke=NATION_COLOUR, width=2.5)
        else:
            svg.marker(shape, left + 8, y, 13 if shape == "diamond" else 10,
                       fill=AREA_COLOUR if shape == "diamond" else NEIGHBOUR_COLOUR)
        svg.text(left + 24, y + 5, label, size=TEXT_SIZE, fill=INK, weight="bold" if shape == "diamond" else None)
    svg.text(WIDTH - 4, top - 4, translate(language, "value ({nation})", nation=nation), size=TEXT_SIZE, anchor="end",
             fill=INK)
    for i, r in enumerate(rows):
        row_top = tops[i]
        for n, line in enumerate(names[i]):
            svg.text(left, row_top + 14 + n * NAME_LINE, line, size=TEXT_SIZE, fill=INK)
        y = row_top + NAME_LINE * len(names[i]) + STRIP_LINE / 2
        others = by_indicator.get(r["indicator_name"], [])
        shown = [r["value"], *others] + ([] if is_missing(r["nation_value"]) else [r["nation_value"]])
        low, high = min(shown), max(shown)
        pad = (high - low) * 0.06 or abs(high) * 0.06 or 1.0
        low, high = low - pad, high + pad

        def x(value: float, low=low, high=high) -> float:
            return left + 8 + (value - low) / (high - low) * (right - left - 16)

        if others:
            svg.rect(x(min(others)), y - 7, max(x(max(others)) - x(min(others)), 1.0), 14, fill=BAND)
        for value in others:
            svg.marker("circle", x(value), y, 10, fill=NEIGHBOUR_COLOUR)
        if not is_missing(r["nation_value"]):
            svg.line(x(r["nation_value"]), y - 11, x(r["nation_value"]), y + 11, stroke=NATION_COLOUR, width=2.5)
        svg.marker("diamond", x(r["value"]), y, 13, fill=AREA_COLOUR)
        svg.text(WIDTH - 4, y + 5, value_label(r), size=TEXT_SIZE, anchor="end", fill=INK)
    svg.text(left, height - 10, translate(language, "Each measure on its own scale, lowest on the left."),
             size=TEXT_SIZE, fill=INK)
    return svg.to_svg(), alt
