"""An area against its statistical neighbours (``model.neighbours``): where it stands among them
on the caseload per adult and on each local indicator, in plain English and in one chart. Reads
no file: the chart is returned as SVG text with its alt text, built from the same data.

``values`` is a tidy table, one row per area x indicator: ``area_code, indicator_name, value,
polarity`` (``low_is_good``, ``high_is_good``, ``no_judgement``) ``, unit``, with the nation's
own row (England ``E92000001``, Wales ``W92000004``) where there is one. The modelled caseload per
1,000 adults is one more indicator in it (``no_judgement``: a higher caseload is neither good nor
bad)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..model.neighbours import NATION_CODES, nation_of, standing_among_neighbours
from ..model.rounding import fixed
from .figures import OKABE_ITO
from .markdown import escape_text, possessive
from .numbers import in_words, is_missing
from .sentences import listed
from .svg import Drawing, text_width, wrap_to_width

# As the spine chart (context_chart): narrow, 15 px type, so text is still 12 px on a 390 px phone.
WIDTH, TEXT_SIZE = 440, 15
NAME_LINE, STRIP_LINE, GAP = 19, 24, 8
ROW = NAME_LINE + STRIP_LINE + GAP
VALUE_WIDTH = 126  # at least, for the area's value and the nation's, right of the strip
# Each mark at least 3:1 against white and the band (WCAG 1.4.11); shape repeats what colour says.
AREA_COLOUR, NEIGHBOUR_COLOUR, NATION_COLOUR = OKABE_ITO["blue"], "#595959", OKABE_ITO["black"]
BAND, INK = "#e8e8e8", "#222222"
UNIT_WORDS = {"per_100000": " per 100,000", "per_1000": " per 1,000", "percent": "%"}


@dataclass(frozen=True)
class NeighbourComparison:
    """The comparison in words (Markdown, escaped) and as a chart (SVG text, its alt text)."""

    sentences: list[str]
    summary: str
    svg: str
    alt: str


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _figure(value: float, unit: str) -> str:
    """``12.3 per 100,000``, ``14.2%``, ``612.3 per 100,000``: as "Local context" prints the same
    figure, to one decimal place, halves up."""
    return fixed(value) + UNIT_WORDS.get(unit, "")


def _name(name: str) -> str:
    """An indicator's name inside a sentence: first letter lower case unless it starts an acronym."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _place(row: dict) -> str:
    """``the highest``, ``the lowest``, ``the joint 2nd highest``, ``the 3rd lowest``."""
    high, low, compared = int(row["position"]), int(row["position_from_lowest"]), int(row["compared"])
    joint = "joint " if row["joint"] else ""
    if high == 1:
        return f"the {joint}highest"
    if low == 1:
        return f"the {joint}lowest"
    return f"the {joint}{ordinal(high)} highest" if high <= (compared + 1) // 2 else f"the {joint}{ordinal(low)} lowest"


def _judgement(row: dict) -> str:
    """``, the least favourable of the group`` for an extreme of an indicator with a direction."""
    polarity = row["polarity"]
    if polarity not in ("low_is_good", "high_is_good") or int(row["compared"]) < 2:
        return ""
    best = row["position_from_lowest"] == 1 if polarity == "low_is_good" else row["position"] == 1
    worst = row["position"] == 1 if polarity == "low_is_good" else row["position_from_lowest"] == 1
    return ", the most favourable of the group" if best else ", the least favourable of the group" if worst else ""


def _figures(row: dict, nation: str) -> str:
    own = _figure(row["value"], row["unit"])
    if is_missing(row["nation_value"]):
        return own
    return f"{own}; {nation} {_figure(row['nation_value'], 'percent' if row['unit'] == 'percent' else '')}"


#: The groups a measure falls in, in the order the chapter gives them: what is least favourable first.
STANDING_GROUPS = (
    ("least favourable", "has the least favourable figure of the group for"),
    ("less favourable half", "is in the less favourable half of the group for"),
    ("more favourable half", "is in the more favourable half for"),
    ("most favourable", "has the most favourable figure of the group for"),
    ("highest", "has the highest figure for"),
    ("lowest", "has the lowest figure for"),
    ("middle", "is in the middle of the group for"),
)


def _group(row: dict) -> str:
    """Which of ``STANDING_GROUPS`` a measure of ``standing_among_neighbours`` falls in."""
    high, low, compared = int(row["position"]), int(row["position_from_lowest"]), int(row["compared"])
    polarity = row["polarity"]
    if polarity in ("low_is_good", "high_is_good"):
        from_worst = high if polarity == "low_is_good" else low
        from_best = low if polarity == "low_is_good" else high
        if from_worst == 1:
            return "least favourable"
        if from_best == 1:
            return "most favourable"
        return "less favourable half" if from_worst <= (compared + 1) // 2 else "more favourable half"
    return "highest" if high == 1 else "lowest" if low == 1 else "middle"


def standing_sentences(standing: pd.DataFrame, *, area_name: str, neighbour_count: int, nation: str) -> list[str]:
    """Where the area stands among itself and its similar areas (``standing``:
    ``model.neighbours.standing_among_neighbours``), the measures grouped by standing, least
    favourable first: "Of Liverpool and its 10 most similar areas, Liverpool has the least
    favourable figure of the group for deaths from drug misuse (12.3 per 100,000; England 5.8).
    It is in the less favourable half of the group for adults who smoke (the 3rd highest of 11;
    14.0%; England 10.4%) ..." Markdown, escaped."""
    area = escape_text(area_name)
    sentences, grouped = [], {kind: [] for kind, _ in STANDING_GROUPS}
    full = neighbour_count + 1
    for row in standing.to_dict("records"):
        name, compared = escape_text(_name(str(row["indicator_name"]))), int(row["compared"])
        figures = escape_text(_figures(row, nation))
        if compared < 2:
            sentences.append(f"{possessive(area_name)} figure for {name} is {figures}; none of its similar areas "
                             "has one.")
            continue
        kind = _group(row)
        extreme = kind in ("least favourable", "most favourable", "highest", "lowest")
        place = (f"{_place(row)} of {compared}; " if not extreme else
                 ("shared with another area; " if row["joint"] else "")
                 + ("" if compared == full else f"of the {compared}; "))
        grouped[kind].append(f"{name} ({place}{figures})")
    said = []
    for kind, words in STANDING_GROUPS:
        if grouped[kind]:
            said.append(f"{words} {listed(grouped[kind])}")
    if said:
        first = f"Of {area} and its {neighbour_count} most similar areas, {area} {said[0]}."
        sentences.insert(0, first)
        sentences[1:1] = [f"It {part}." for part in said[1:]]
    return sentences



def summary_sentence(standing: pd.DataFrame, *, area_name: str, neighbour_count: int) -> str:
    """One sentence for the chapter's first screen: where the area stands out among the areas
    most like it (the least and most favourable of the group, the highest and lowest where a
    measure has no direction), or that it stands out on none. Markdown, escaped."""
    area = escape_text(area_name)
    lead = f"Among the {neighbour_count} areas most like it, {area}"
    rows = [r for r in standing.to_dict("records") if int(r["compared"]) >= 2]
    if not rows:
        return f"{lead} cannot yet be compared on any measure: none has a figure for both."
    groups: dict[str, list[str]] = {"least favourable": [], "most favourable": [], "highest": [], "lowest": []}
    for r in rows:
        name = escape_text(_name(str(r["indicator_name"])))
        judged = _judgement(r)
        if judged:
            groups["most favourable" if "most" in judged else "least favourable"].append(name)
        elif r["polarity"] not in ("low_is_good", "high_is_good"):
            if r["position"] == 1:
                groups["highest"].append(name)
            elif r["position_from_lowest"] == 1:
                groups["lowest"].append(name)
    parts = [f"the {kind} for {listed(names)}" for kind, names in groups.items() if names]
    if parts:
        parts[0] = parts[0].replace(" for ", " figure of the group for ", 1)
        return f"{lead} has " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]) + "."
    directed = [r for r in rows if r["polarity"] in ("low_is_good", "high_is_good")]
    worse = sum(1 for r in directed if (r["position"] if r["polarity"] == "low_is_good"
                                        else r["position_from_lowest"]) <= int(r["compared"]) // 2)
    middle = f"{lead} is neither the highest nor the lowest on any of the {len(rows)} measures compared"
    said = in_words

    return middle + (f"; it is in the less favourable half on {said(worse)} of the {said(len(directed))} with a "
                     "direction."
                     if directed else ".")


def neighbour_chart(area_code: str, area_name: str, neighbours: Mapping[str, str], values: pd.DataFrame,
                    standing: pd.DataFrame | None = None) -> tuple[str, str]:
    """A dot strip per indicator: the similar areas (grey circles; the band is their range), the
    nation (black line) and the area (blue diamond, drawn last, so never hidden), on the
    indicator's own scale, lowest on the left. Returns ``(svg, alt)``."""
    nation_code = NATION_CODES[nation_of(pd.Series([area_code])).iloc[0]]
    nation = {v: k for k, v in NATION_CODES.items()}[nation_code]
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
        label = _figure(r["value"], percent)
        return label + (f" ({_figure(r['nation_value'], percent)})" if not is_missing(r["nation_value"]) else "")

    # the values column as wide as its widest value, so that no value runs into a strip
    left = 10
    right = WIDTH - max([VALUE_WIDTH, *(text_width(value_label(r), TEXT_SIZE) + 12 for r in rows)])
    legend = [(area_name, "diamond"), (f"{len(neighbours)} most similar areas", "circle"), (nation, "line")]
    top = 10 + 22 * len(legend) + 8
    # each measure's name (and its unit) wrapped over the lines it needs, never cut short (issue 30)
    names = []
    for r in rows:
        per = UNIT_WORDS.get(r["unit"], "") if r["unit"].startswith("per_") else ""
        names.append(wrap_to_width(str(r["indicator_name"]) + (f" ({per.strip()})" if per else ""), WIDTH - 14,
                                   TEXT_SIZE) or [""])
    tops = [top + i * ROW + NAME_LINE * sum(len(n) - 1 for n in names[:i]) for i in range(len(rows) + 1)]
    height = (tops[-1] if rows else top + ROW) + 30
    parts = []
    for r in rows:
        words = _place(r) if int(r["compared"]) >= 2 else "no similar area has a figure"
        spread = ("" if is_missing(r["lowest"]) else
                  f"similar areas {_figure(r['lowest'], '')} to {_figure(r['highest'], r['unit'])}; ")
        national = "" if is_missing(r["nation_value"]) else f"{nation} {_figure(r['nation_value'], r['unit'])}"
        of = "" if int(r["compared"]) < 2 else f" of {r['compared']}"
        parts.append(f"{r['indicator_name']}: {area_name} {_figure(r['value'], r['unit'])}, {words}{of}; "
                     f"{spread}{national}".rstrip("; "))
    alt = (f"Chart comparing {area_name} with its {len(neighbours)} most similar areas and {nation} on "
           f"{len(rows)} measure{'s' if len(rows) != 1 else ''}. " + ". ".join(parts) + ("." if parts else ""))
    svg = Drawing(WIDTH, height, title=alt)
    for i, (label, shape) in enumerate(legend):
        y = 10 + 22 * i + 8
        if shape == "line":
            svg.line(left + 8, y - 9, left + 8, y + 9, stroke=NATION_COLOUR, width=2.5)
        else:
            svg.marker(shape, left + 8, y, 13 if shape == "diamond" else 10,
                       fill=AREA_COLOUR if shape == "diamond" else NEIGHBOUR_COLOUR)
        svg.text(left + 24, y + 5, label, size=TEXT_SIZE, fill=INK, weight="bold" if shape == "diamond" else None)
    svg.text(WIDTH - 4, top - 4, "value (" + nation + ")", size=TEXT_SIZE, anchor="end", fill=INK)
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
    svg.text(left, height - 10, "Each measure on its own scale, lowest on the left.", size=TEXT_SIZE, fill=INK)
    return svg.to_svg(), alt


def compare_with_neighbours(area_code: str, area_name: str, neighbours: Mapping[str, str],
                            values: pd.DataFrame, standing: pd.DataFrame | None = None) -> NeighbourComparison:
    """The area against its neighbours (``neighbours``: code -> name, nearest first) on every
    indicator of ``values`` it has a figure for: sentences, the summary sentence and the chart."""
    nation = {v: k for k, v in NATION_CODES.items()}[NATION_CODES[nation_of(pd.Series([area_code])).iloc[0]]]
    standing = standing if standing is not None else standing_among_neighbours(values, area_code, list(neighbours))
    count = len(neighbours)
    svg, alt = neighbour_chart(area_code, area_name, neighbours, values, standing)
    return NeighbourComparison(
        sentences=standing_sentences(standing, area_name=area_name, neighbour_count=count, nation=nation),
        summary=summary_sentence(standing, area_name=area_name, neighbour_count=count), svg=svg, alt=alt)


def neighbour_list_sentence(area_name: str, neighbour_names: list[str]) -> str:
    """For the overview and the downloads: "Areas most like Liverpool (statistical neighbours,
    nearest first): Leicester, Birmingham and Nottingham." Markdown, escaped."""
    if not neighbour_names:
        return f"No statistical neighbours were found for {escape_text(area_name)}."
    return (f"Areas most like {escape_text(area_name)} (statistical neighbours, nearest first): "
            + listed([escape_text(n) for n in neighbour_names]) + ".")


def similar_areas_block(data, *, heading_level: int = 3) -> str:
    """The chapter's comparison with the areas most like it (``data.neighbours``, the bundle's
    ``neighbours.csv``): who they are, where the area stands among them, and the chart. Blank
    when the build found none."""
    from pathlib import Path

    from .markdown import figure, heading

    table = data.neighbours
    listed = data.area.get("neighbours") or []
    if table is None or table.empty or not listed:
        return ""
    names = {n["code"]: n["name"] for n in listed}
    comparison = compare_with_neighbours(data.area["area_code"], data.area_name, names, table, area_standing(data))
    path = Path(data.assets) / "figures" / "similar-areas.svg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comparison.svg, encoding="utf-8")
    nation = "Wales" if data.area["area_code"].startswith("W") else "England"
    how = (f"Similar areas are the {len(names)} areas of {nation} most like {escape_text(data.area_name)} in the "
           "number and ages of their adults, deprivation, how densely they are populated and the modelled number of "
           "people on probation per adult (statistical neighbours: Appendix D says how they are found). "
           "Their own figures show what is usual for an area like this one, which England or Wales as a whole "
           "cannot.")
    parts = [heading(heading_level, f"How {data.area_name} compares with similar areas",
                     identifier="sec-similar-areas"),
             neighbour_list_sentence(data.area_name, list(names.values())) + " " + how,
             " ".join(comparison.sentences),
             figure(f"{Path(data.assets).name}/figures/{path.name}",
                    caption=f"{data.area_name} (diamond) against its similar areas (circles) and {nation} (line)",
                    alt=comparison.alt, identifier="figure-similar-areas", width="60%")]
    return "\n\n".join(p for p in parts if p)


def similar_areas_summary(data) -> str:
    """One sentence for the first screen: where the area stands among the areas most like it."""
    table = data.neighbours
    listed = data.area.get("neighbours") or []
    if table is None or table.empty or not listed:
        return ""
    return summary_sentence(area_standing(data), area_name=data.area_name, neighbour_count=len(listed))


def area_standing(data) -> pd.DataFrame | None:
    """Where the chapter's area stands among its similar areas on each measure
    (``model.neighbours.standing_among_neighbours``), worked out once per chapter and kept with its
    data; None when the build found no neighbours."""
    if "standing" not in data._records:
        table, listed = data.neighbours, data.area.get("neighbours") or []
        data._records["standing"] = (None if table is None or table.empty or not listed else
                                     standing_among_neighbours(table, data.area["area_code"],
                                                               [n["code"] for n in listed]))
    return data._records["standing"]
