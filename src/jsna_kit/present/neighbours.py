"""An area against its statistical neighbours (``model.neighbours``): where it stands among them
on the caseload per adult and on each local indicator, in plain English and in one chart. Reads
no file: the chart is returned as SVG text with its alt text, built from the same data.

``values`` is a tidy table, one row per area x indicator: ``area_code, indicator_name, value,
polarity`` (``low_is_good``, ``high_is_good``, ``no_judgement``) ``, unit``, with the nation's
own row (England ``E92000001``, Wales ``W92000004``) where there is one. The modelled caseload per
1,000 adults is one more indicator in it (``no_judgement``: a higher caseload is neither good nor
bad).

A Welsh chapter (``data.language == "cy"``) says all of it in Welsh, from the catalogue
(``locale/cy/neighbours.po``): the similar areas by their official Welsh names, places in a ranking
as figures with the Welsh ordinal ending, as Welsh Government statistical releases write them ("y
3ydd uchaf o 6"). The indicators' names are printed as the neighbours table gives them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..model.neighbours import NATION_CODES, nation_of, standing_among_neighbours
from .bodies import nation_name
from .lang import N_, of_place, to_place, translate
from .markdown import escape_text, possessive
from .neighbour_chart import _figure, _place, neighbour_chart, ordinal  # noqa: F401 - ordinal: where it was
from .numbers import in_words, is_missing
from .sentences import listed, listed_places


@dataclass(frozen=True)
class NeighbourComparison:
    """The comparison in words (Markdown, escaped) and as a chart (SVG text, its alt text)."""

    sentences: list[str]
    summary: str
    svg: str
    alt: str


def _name(name: str) -> str:
    """An indicator's name inside a sentence: first letter lower case unless it starts an acronym."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _extreme(row: dict) -> str:
    """``most favourable`` or ``least favourable`` where the area is an extreme of the group on an
    indicator with a direction; blank otherwise."""
    polarity = row["polarity"]
    if polarity not in ("low_is_good", "high_is_good") or int(row["compared"]) < 2:
        return ""
    best = row["position_from_lowest"] == 1 if polarity == "low_is_good" else row["position"] == 1
    worst = row["position"] == 1 if polarity == "low_is_good" else row["position_from_lowest"] == 1
    return "most favourable" if best else "least favourable" if worst else ""


def _figures(row: dict, nation: str, language: str = "en") -> str:
    own = _figure(row["value"], row["unit"], language)
    if is_missing(row["nation_value"]):
        return own
    return f"{own}; {nation} {_figure(row['nation_value'], 'percent' if row['unit'] == 'percent' else '')}"


#: The groups a measure falls in, in the order the chapter gives them: what is least favourable first.
#: Each with the sentence that opens the comparison ({area}, {n} similar areas, the {measures}) and
#: the one that goes on with "It" (Welsh words the two differently, so each is a whole sentence).
STANDING_GROUPS = (
    ("least favourable",
     N_("Of {area} and its {n} most similar areas, {area} has the least favourable figure of the group for "
        "{measures}."),
     N_("It has the least favourable figure of the group for {measures}.")),
    ("less favourable half",
     N_("Of {area} and its {n} most similar areas, {area} is in the less favourable half of the group for "
        "{measures}."),
     N_("It is in the less favourable half of the group for {measures}.")),
    ("more favourable half",
     N_("Of {area} and its {n} most similar areas, {area} is in the more favourable half for {measures}."),
     N_("It is in the more favourable half for {measures}.")),
    ("most favourable",
     N_("Of {area} and its {n} most similar areas, {area} has the most favourable figure of the group for "
        "{measures}."),
     N_("It has the most favourable figure of the group for {measures}.")),
    ("highest",
     N_("Of {area} and its {n} most similar areas, {area} has the highest figure for {measures}."),
     N_("It has the highest figure for {measures}.")),
    ("lowest",
     N_("Of {area} and its {n} most similar areas, {area} has the lowest figure for {measures}."),
     N_("It has the lowest figure for {measures}.")),
    ("middle",
     N_("Of {area} and its {n} most similar areas, {area} is in the middle of the group for {measures}."),
     N_("It is in the middle of the group for {measures}.")),
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


def standing_sentences(standing: pd.DataFrame, *, area_name: str, neighbour_count: int, nation: str,
                       language: str = "en") -> list[str]:
    """Where the area stands among itself and its similar areas (``standing``:
    ``model.neighbours.standing_among_neighbours``), the measures grouped by standing, least
    favourable first: "Of Liverpool and its 10 most similar areas, Liverpool has the least
    favourable figure of the group for deaths from drug misuse (12.3 per 100,000; England 5.8).
    It is in the less favourable half of the group for adults who smoke (the 3rd highest of 11;
    14.0%; England 10.4%) ..." Markdown, escaped. ``nation``: its name in ``language``."""
    area = escape_text(area_name)
    sentences, grouped = [], {kind: [] for kind, _, _ in STANDING_GROUPS}
    full = neighbour_count + 1
    for row in standing.to_dict("records"):
        name, compared = escape_text(_name(str(row["indicator_name"]))), int(row["compared"])
        figures = escape_text(_figures(row, nation, language))
        if compared < 2:
            # {whose}: the area as the figure's owner ("Gwynedd's"; Welsh puts the bare name after the noun)
            whose = possessive(area_name) if language == "en" else area
            sentences.append(translate(language, "{whose} figure for {name} is {figures}; none of its similar areas "
                                       "has one.", whose=whose, name=name, figures=figures))
            continue
        kind = _group(row)
        extreme = kind in ("least favourable", "most favourable", "highest", "lowest")
        said_place = ([translate(language, "{place} of {compared}", place=_place(row, language), compared=compared)]
                      if not extreme else
                      ([translate(language, "shared with another area")] if row["joint"] else [])
                      + ([] if compared == full else [translate(language, "of the {compared}", compared=compared)]))
        grouped[kind].append(f"{name} ({'; '.join([*said_place, figures])})")
    said = [(first, then, grouped[kind]) for kind, first, then in STANDING_GROUPS if grouped[kind]]
    if said:
        # The measures are printed as the neighbours table names them: Welsh joins them without
        # mutating them ("a", "ac" before a vowel), as they may be English.
        first, _, measures = said[0]
        sentences.insert(0, translate(language, first, area=area, n=neighbour_count,
                                      measures=listed(measures, language=language)))
        sentences[1:1] = [translate(language, then, measures=listed(measures, language=language))
                          for _, then, measures in said[1:]]
    return sentences


#: Where the summary says the area stands out, in its order: the phrase that comes first (with
#: "figure of the group"), one that follows, and the last (with "and").
SUMMARY_PARTS = {
    "least favourable": (N_("the least favourable figure of the group for {measures}"),
                         N_("the least favourable for {measures}"), N_("and the least favourable for {measures}")),
    "most favourable": (N_("the most favourable figure of the group for {measures}"),
                        N_("the most favourable for {measures}"), N_("and the most favourable for {measures}")),
    "highest": (N_("the highest figure of the group for {measures}"), N_("the highest for {measures}"),
                N_("and the highest for {measures}")),
    "lowest": (N_("the lowest figure of the group for {measures}"), N_("the lowest for {measures}"),
               N_("and the lowest for {measures}")),
}


def summary_sentence(standing: pd.DataFrame, *, area_name: str, neighbour_count: int, language: str = "en") -> str:
    """One sentence for the chapter's first screen: where the area stands out among the areas
    most like it (the least and most favourable of the group, the highest and lowest where a
    measure has no direction), or that it stands out on none. Markdown, escaped."""
    area = escape_text(area_name)
    rows = [r for r in standing.to_dict("records") if int(r["compared"]) >= 2]
    if not rows:
        return translate(language, "Among the {n} areas most like it, {area} cannot yet be compared on any measure: "
                         "none has a figure for both.", n=neighbour_count, area=area)
    groups: dict[str, list[str]] = {kind: [] for kind in SUMMARY_PARTS}
    for r in rows:
        name = escape_text(_name(str(r["indicator_name"])))
        extreme = _extreme(r)
        if extreme:
            groups[extreme].append(name)
        elif r["polarity"] not in ("low_is_good", "high_is_good"):
            if r["position"] == 1:
                groups["highest"].append(name)
            elif r["position_from_lowest"] == 1:
                groups["lowest"].append(name)
    kinds = [kind for kind, names in groups.items() if names]
    if kinds:
        parts = [translate(language, SUMMARY_PARTS[kind][0 if i == 0 else 2 if i == len(kinds) - 1 else 1],
                           measures=listed(groups[kind], language=language)) for i, kind in enumerate(kinds)]
        return translate(language, "Among the {n} areas most like it, {area} has {parts}.", n=neighbour_count,
                         area=area, parts=", ".join(parts))
    directed = [r for r in rows if r["polarity"] in ("low_is_good", "high_is_good")]
    worse = sum(1 for r in directed if (r["position"] if r["polarity"] == "low_is_good"
                                        else r["position_from_lowest"]) <= int(r["compared"]) // 2)
    values = {"n": neighbour_count, "area": area, "compared": len(rows),
              "directed": in_words(len(directed), language=language)}
    if not directed:
        return translate(language, "Among the {n} areas most like it, {area} is neither the highest nor the lowest "
                         "on any of the {compared} measures compared.", **values)
    if worse == 0:
        return translate(language, "Among the {n} areas most like it, {area} is neither the highest nor the lowest "
                         "on any of the {compared} measures compared; it is in the less favourable half on none "
                         "of the {directed} with a direction.", **values)
    return translate(language, "Among the {n} areas most like it, {area} is neither the highest nor the lowest on "
                     "any of the {compared} measures compared; it is in the less favourable half on {worse} of "
                     "the {directed} with a direction.", worse=in_words(worse, language=language), **values)


def compare_with_neighbours(area_code: str, area_name: str, neighbours: Mapping[str, str],
                            values: pd.DataFrame, standing: pd.DataFrame | None = None, *,
                            language: str = "en") -> NeighbourComparison:
    """The area against its neighbours (``neighbours``: code -> name, nearest first) on every
    indicator of ``values`` it has a figure for: sentences, the summary sentence and the chart."""
    nation = {v: k for k, v in NATION_CODES.items()}[NATION_CODES[nation_of(pd.Series([area_code])).iloc[0]]]
    standing = standing if standing is not None else standing_among_neighbours(values, area_code, list(neighbours))
    count = len(neighbours)
    svg, alt = neighbour_chart(area_code, area_name, neighbours, values, standing, language=language)
    return NeighbourComparison(
        sentences=standing_sentences(standing, area_name=area_name, neighbour_count=count,
                                     nation=nation_name(nation, language), language=language),
        summary=summary_sentence(standing, area_name=area_name, neighbour_count=count, language=language),
        svg=svg, alt=alt)


def neighbour_list_sentence(area_name: str, neighbour_names: list[str], *, language: str = "en") -> str:
    """For the overview and the downloads: "Areas most like Liverpool (statistical neighbours,
    nearest first): Leicester, Birmingham and Nottingham." Markdown, escaped. The names are given
    in ``language`` (a Welsh chapter: the Welsh areas' Welsh names)."""
    if not neighbour_names:
        return translate(language, "No statistical neighbours were found for {area}.", area=escape_text(area_name))
    return translate(language, "Areas most like {area} (statistical neighbours, nearest first): {names}.",
                     area=escape_text(area_name), names=listed_places(language, neighbour_names))


def named_neighbours(data) -> dict[str, str]:
    """The chapter's similar areas, code -> name, nearest first: in a Welsh chapter a Welsh area by
    its official Welsh name (``name_cy`` where the build gives one, else ``load.welsh_names``), an
    English one by its English name."""
    listed = data.area.get("neighbours") or []
    if data.language != "cy":
        return {n["code"]: n["name"] for n in listed}
    from ..load.welsh_names import welsh_names

    welsh = {} if all(n.get("name_cy") for n in listed) else welsh_names()
    return {n["code"]: n.get("name_cy") or welsh.get(n["code"]) or n["name"] for n in listed}


def similar_areas_block(data, *, heading_level: int = 3) -> str:
    """The chapter's comparison with the areas most like it (``data.neighbours``, the bundle's
    ``neighbours.csv``): who they are, where the area stands among them, and the chart. Blank
    when the build found none."""
    from pathlib import Path

    from .markdown import figure, heading

    lang = data.language
    table = data.neighbours
    listed = data.area.get("neighbours") or []
    if table is None or table.empty or not listed:
        return ""
    names = named_neighbours(data)
    comparison = compare_with_neighbours(data.area["area_code"], data.area_name, names, table, area_standing(data),
                                         language=lang)
    path = Path(data.assets) / "figures" / "similar-areas.svg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comparison.svg, encoding="utf-8")
    nation = nation_name("Wales" if data.area["area_code"].startswith("W") else "England", lang)
    area = escape_text(data.area_name)
    # {of_nation}, {like_area}: whole phrases, as Welsh mutates the name after "o" and "i" ("o Gymru", "i Wynedd")
    how = translate(lang, "Similar areas are the {n} areas {of_nation} most {like_area} in the number and ages of "
                    "their adults, deprivation, how densely they are populated and the modelled number of people on "
                    "probation per adult (statistical neighbours: Appendix D says how they are found). Their own "
                    "figures show what is usual for an area like this one, which England or Wales as a whole cannot.",
                    n=len(names), of_nation=of_place(lang, nation),
                    like_area=to_place(lang, area) if lang == "cy" else "like " + area)
    parts = [heading(heading_level, translate(lang, "How {area} compares with similar areas", area=data.area_name),
                     identifier="sec-similar-areas"),
             neighbour_list_sentence(data.area_name, list(names.values()), language=lang) + " " + how,
             " ".join(comparison.sentences),
             figure(f"{Path(data.assets).name}/figures/{path.name}",
                    caption=translate(lang, "{area} (diamond) against its similar areas (circles) and {nation} (line)",
                                      area=data.area_name, nation=nation),
                    alt=comparison.alt, identifier="figure-similar-areas", width="60%")]
    return "\n\n".join(p for p in parts if p)


def similar_areas_summary(data) -> str:
    """One sentence for the first screen: where the area stands among the areas most like it."""
    table = data.neighbours
    listed = data.area.get("neighbours") or []
    if table is None or table.empty or not listed:
        return ""
    return summary_sentence(area_standing(data), area_name=data.area_name, neighbour_count=len(listed),
                            language=data.language)


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
