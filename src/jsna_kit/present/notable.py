"""What is notable about the area, as plain sentences for the chapter's summary: local indicators
clearly different from England's, high or low deprivation, a caseload well above or below the
area's share of the population, and the expected deaths among its people on probation. Worded
from the data, so two different areas read differently; an area with nothing notable gets only
what is always worth saying (its expected deaths). A Welsh chapter (``data.language`` "cy") takes
its wording from the catalogue (``locale/cy/notable.po``), the nation named in Welsh ("Cymru")."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..model.context import PRINTED_DECIMALS
from ..model.rounding import fixed
from .bodies import listed_in, nation_name
from .deaths import deaths_words
from .lang import N_, in_place, of_place, translate
from .local import printed_decimals
from .markdown import escape_text, possessive
from .numbers import count, is_missing

#: Indicators worth a sentence when they stand out, in the order they are mentioned. A Welsh
#: chapter takes them from the catalogue's context "after the article" ("Mae'r gyfradd ...").
KEY_INDICATORS = {41001: N_("suicide rate"), 92432: N_("rate of deaths from drug misuse"),
                  92906: N_("rate of alcohol-specific hospital admissions"), 92443: N_("adult smoking prevalence"),
                  # Wales's own figures (``wales_indicators.csv``), compared with Wales
                  9000001: N_("suicide rate"), 9000002: N_("rate of deaths related to drug poisoning"),
                  9000004: N_("rate of hospital admissions for alcohol"), 9000003: N_("adult smoking prevalence")}
#: Without an interval, a value this far from England's (either way) is worth a mention.
CLEAR_DIFFERENCE = 0.20
#: A caseload per adult this far from the national rate is "well above" or "well below" it.
CASELOAD_DIFFERENCE = 0.25
UNIT_WORDS = {"per_100000": N_(" per 100,000")}
UNIT_SYMBOLS = {"percent": "%"}


def _value(value: float, unit: str, decimals: int = PRINTED_DECIMALS, *, language: str = "en") -> str:
    after = translate(language, UNIT_WORDS[unit]) if unit in UNIT_WORDS else UNIT_SYMBOLS.get(unit, "")
    return f"{fixed(value, decimals)}{after}"


def indicator_facts(data: ChapterData, *, skip: set[int] | None = None) -> list[str]:
    """Key indicators significantly different from England (with an interval), or at least
    ``CLEAR_DIFFERENCE`` apart when there is no interval (and said to be untested); those in
    ``skip`` (already said) left out; the furthest from the nation's value first."""
    language = data.language
    facts: list[tuple[float, str]] = []
    # "{whose} {words}": "Gwynedd's suicide rate"; in Welsh the place follows ("Mae'r gyfradd
    # hunanladdiad yng Ngwynedd"), so the placeholder holds "yng Ngwynedd"
    whose = possessive(data.area_name) if language == "en" else in_place(language, escape_text(data.area_name))
    rows = {int(r["indicator_id"]): r for r in data.rows("context") if not is_missing(r.get("indicator_id"))}
    for indicator, words in KEY_INDICATORS.items():
        r = rows.get(indicator) if indicator not in (skip or set()) else None
        if r is None or is_missing(r.get("value")) or is_missing(r.get("england_value")):
            continue
        value, england, unit = float(r["value"]), float(r["england_value"]), str(r.get("unit"))
        nation = escape_text(nation_name(str(r.get("comparator_name") or "England"), language))
        period = escape_text(str(r.get("time_period", "")).replace(" - ", "-"))
        label = str(r.get("benchmark_england_95"))
        decimals = printed_decimals(r)
        named = translate(language, words, context="after the article")  # Welsh: "gyfradd", after "'r"
        shown = translate(language, "{value} in {period} against {national}", period=period,
                          value=_value(value, unit, decimals, language=language),
                          national=_value(england, unit, decimals, language=language))
        if label in ("better", "worse", "higher", "lower"):
            sentence = (translate(language, "{whose} {words} is significantly higher than {nation}'s ({shown}).",
                                  whose=whose, words=named, nation=nation, shown=shown) if value > england else
                        translate(language, "{whose} {words} is significantly lower than {nation}'s ({shown}).",
                                  whose=whose, words=named, nation=nation, shown=shown))
            facts.append((abs(value / england - 1), sentence))
        elif label == "similar":
            continue
        elif abs(value / england - 1) >= CLEAR_DIFFERENCE:
            pct = f"{abs(value / england - 1):.0%}"
            size = (translate(language, "{ratio:.1f} times {nation}'s", ratio=value / england, nation=nation)
                    if value / england >= 2 else
                    translate(language, "{pct} higher than {nation}'s", pct=pct, nation=nation) if value > england else
                    translate(language, "{pct} lower than {nation}'s", pct=pct, nation=nation))
            facts.append((abs(value / england - 1), translate(
                language, "{whose} {words} is {size} ({shown}; without a confidence interval, not tested for "
                          "significance).", whose=whose, words=named, size=size, shown=shown)))
    return [fact for _, fact in sorted(facts, key=lambda pair: -pair[0])]


#: The areas an English index ranks, by index.
DEPRIVATION_UNITS = {"IoD2019": N_("upper-tier local authorities"), "IoD2025": N_("local authority districts")}


def deprivation_facts(data: ChapterData) -> list[str]:
    """High or low deprivation, on the area's own nation's index (never compared across nations)."""
    language = data.language
    name = escape_text(data.area_name)
    # "{whose} small areas": "Gwynedd's"; in Welsh the name follows its noun ("ardaloedd bach Gwynedd")
    whose = possessive(data.area_name) if language == "en" else name
    rows = {r["index_name"]: r for r in data.area.get("deprivation") or []}
    if "IoD2019" in rows or "IoD2025" in rows:
        r = rows.get("IoD2019") or rows["IoD2025"]
        rank, of = r.get("rank_of_average_score"), r.get("areas_ranked")
        share = r.get("share_most_deprived_10pct")
        if is_missing(rank) or is_missing(of):
            return []
        rank, of = int(rank), int(of)
        kind = translate(language, DEPRIVATION_UNITS[r["index_name"]])
        year = r["index_name"][3:]
        where = translate(language, "ranked {rank} of {of} {kind} in England by average deprivation score "
                                    "(1 = most deprived; IoD {year})", rank=rank, of=of, kind=kind, year=year)
        if rank <= of / 5 and not is_missing(share):
            return [translate(language, "{name} is among the most deprived fifth of areas in England: {where}; "
                                        "{share:.0f}% of its neighbourhoods are among the most deprived tenth in "
                                        "England.", name=name, where=where, share=share)]
        if rank <= of / 5:
            return [translate(language, "{name} is among the most deprived fifth of areas in England: {where}.",
                              name=name, where=where)]
        if rank > of * 4 / 5:
            return [translate(language, "{name} is among the least deprived fifth of areas in England: {where}.",
                              name=name, where=where)]
        return []
    if "WIMD2025" in rows or "WIMD2019" in rows:
        r = rows.get("WIMD2025") or rows["WIMD2019"]
        share = r.get("share_most_deprived_10pct")
        if is_missing(share):
            return []
        text = translate(language, "{share:.0f}% of {whose} small areas are among the most deprived tenth in Wales "
                                   "(Welsh Index of Multiple Deprivation {year}; 10% for Wales as a whole)",
                         share=share, whose=whose, year=r["index_name"][4:])
        if share >= 15:
            return [translate(language, "{name} has more deprivation than most of Wales: {text}.", name=name,
                              text=text)]
        if share <= 5:
            return [translate(language, "{name} has less deprivation than most of Wales: {text}.", name=name,
                              text=text)]
    return []


#: An alternative model's caseload this far from the headline's is shown, with why (issue: 20%).
MODEL_DIFFERENCE = 0.20


def caseload_facts(data: ChapterData, *, short: bool = False) -> list[str]:
    """The caseload per 1,000 adults against the nation's, and, for a modelled caseload, each
    other model whose figure is more than ``MODEL_DIFFERENCE`` from it, with why."""
    area, facts, language = data.area, [], data.language
    local, national = area.get("caseload_per_1000_adults"), area.get("national_caseload_per_1000_adults")
    if not is_missing(local) and not is_missing(national) and national:
        ratio = float(local) / float(national) - 1
        values = dict(local=f"{float(local):.1f}", national=f"{float(national):.1f}")
        if ratio >= CASELOAD_DIFFERENCE:
            facts.append(translate(language, "That is {local} people on probation per 1,000 adults, well above the "
                                             "rate for England and Wales ({national} per 1,000).", **values))
        elif ratio <= -CASELOAD_DIFFERENCE:
            facts.append(translate(language, "That is {local} people on probation per 1,000 adults, well below the "
                                             "rate for England and Wales ({national} per 1,000).", **values))
        else:
            facts.append(translate(language, "That is {local} people on probation per 1,000 adults, close to the "
                                             "rate for England and Wales ({national} per 1,000).", **values))
    facts += model_facts(data, short=short)
    return facts


#: Models that leave deprivation out, for "without deprivation" wording.
WITHOUT_DEPRIVATION = ("population", "urban")


#: Why a model gives an area a different figure, from how the area stands on what drives it
#: (``chapter.json``'s ``caseload_drivers``; ``model.caseload_models.area_drivers``).
DEPRIVATION_WHY = {"more": N_("{name} is more deprived than most {of_nation}"),
                   "less": N_("{name} is less deprived than most {of_nation}"),
                   "about": N_("{name} is about as deprived as {nation} as a whole")}
DENSITY_WHY = {"more": N_("{name} is more densely populated than most of England and Wales"),
               "less": N_("{name} is less densely populated than most of England and Wales"),
               "about": N_("{name} is about as densely populated as England and Wales as a whole")}
#: The same after "and", the area already named.
DENSITY_AFTER_AND = {"more": N_("it is more densely populated than most of England and Wales"),
                     "less": N_("it is less densely populated than most of England and Wales"),
                     "about": N_("it is about as densely populated as England and Wales as a whole")}


def model_why(data: ChapterData, model: str) -> str:
    """Why ``model`` gives the area a different figure from its share of adults, in the chapter's
    language (what ``model.caseload_models.model_reasons`` says in English); blank where the build
    gave no facts to say it from (an older bundle) or the model is a region's shared total."""
    from .cymraeg import mutate

    language, stands = data.language, data.area.get("caseload_drivers") or {}
    name = escape_text(data.area_name)
    nation = nation_name(data.country, language)
    deprived, dense = stands.get("deprivation"), stands.get("density")
    if model == "population":
        return translate(language, "Shares the caseload by adults alone: {name} has its share of adults", name=name)
    if deprived not in DEPRIVATION_WHY or dense not in DENSITY_WHY or model not in (
            "deprivation", "urban", "deprivation_urban"):
        return ""
    with_nation = mutate(nation, "aspirate") if language == "cy" else nation  # "â Chymru"
    deprivation = translate(language, DEPRIVATION_WHY[deprived], name=name, nation=with_nation,
                            of_nation=of_place(language, nation))
    if model == "deprivation":
        return deprivation
    if model == "urban":
        return translate(language, DENSITY_WHY[dense], name=name)
    return translate(language, "{deprived}, and {dense}", deprived=deprivation,
                     dense=translate(language, DENSITY_AFTER_AND[dense]))


#: The caseload models by their key (``model.caseload_models``), named as the build labels them;
#: a Welsh chapter names them from the catalogue (the build's ``label`` is English).
MODEL_LABELS = {"population": N_("adult population"),
                "deprivation": N_("adult population weighted by deprivation"),
                "urban": N_("adult population weighted by urban concentration"),
                "deprivation_urban": N_("adult population weighted by deprivation and urban concentration")}


def _label(model: dict, language: str) -> str:
    """A model's name: the build's label in English; in Welsh, the catalogue's for its key."""
    if language == "en" or model.get("model") not in MODEL_LABELS:
        return escape_text(model["label"])
    return translate(language, MODEL_LABELS[model["model"]])


def _how_far(differs_pct: object, *, language: str = "en") -> str:
    """How far another model's figure is from the one used: ``13% more``, ``42% fewer``, or, from
    twice as many, as a multiple (``3.6 times as many``), as the rest of the chapter says it."""
    pct = float(differs_pct)
    if pct >= 100:
        return translate(language, "{times:.1f} times as many", times=1 + pct / 100)
    if pct > 0:
        return translate(language, "{pct:.0f}% more", pct=abs(pct))
    return translate(language, "{pct:.0f}% fewer", pct=abs(pct))


def model_facts(data: ChapterData, *, short: bool = False) -> list[str]:
    """For a modelled caseload: the other models' figures, and why the one used differs (``short``:
    in one sentence, for the summary, only where a model differs by more than 20%)."""
    area, language = data.area, data.language
    if area.get("caseload_kind") != "modelled" or not float(area.get("caseload") or 0):
        return []
    models = [m for m in area.get("caseload_models") or [] if not is_missing(m.get("caseload"))]
    others = [m for m in models if not m.get("is_headline") and not is_missing(m.get("differs_pct"))]
    far = [m for m in others if abs(float(m["differs_pct"])) > 100 * MODEL_DIFFERENCE]
    head = next((m for m in models if m.get("is_headline")), {})
    # The build's reason is English prose (``model.caseload_models.model_reasons``); a Welsh chapter
    # words it from the facts it came from (``caseload_drivers``).
    why = (escape_text(str(head.get("why") or "")).strip().rstrip(".") if language == "en" else
           model_why(data, str(head.get("model") or "")))
    if short:
        if not far:
            return []
        listed = "; ".join(translate(language, "by {label}, about {n}", label=_label(m, language),
                                     n=count(m["caseload"], language=language)) for m in far)
        if why and all(m["model"] in WITHOUT_DEPRIVATION for m in far):
            if float(far[0]["differs_pct"]) < 0:
                return [translate(language, "{why}, so the model used gives more than the other models ({listed}).",
                                  why=why, listed=listed)]
            return [translate(language, "{why}, so the model used gives fewer than the other models ({listed}).",
                              why=why, listed=listed)]
        return [translate(language, "The model used differs from the other models ({listed}).", listed=listed)]
    if not others:
        return []
    listed = "; ".join(translate(language, "by {label}, about {n} ({how_far})", label=_label(m, language),
                                 n=count(m["caseload"], language=language),
                                 how_far=_how_far(m["differs_pct"], language=language)) for m in others)
    text = translate(language, "The other models give: {listed}.", listed=listed)
    if far and why:
        text += " " + translate(language, "{why}; the published local figures suggest that caseloads follow "
                                          "deprivation.", why=why)
    elif not far:
        text += " " + translate(language, "All are within 20% of the figure used.")
    band = area.get("caseload_band") or {}
    if not is_missing(band.get("lower")) and not is_missing(band.get("upper")):
        text += " " + translate(language, "The plausible range, {lower} to {upper}, covers every model's figure, "
                                          "widened for what no model captures.",
                                lower=count(band["lower"], language=language),
                                upper=count(band["upper"], language=language))
    return [text]


#: Expected deaths a year (all causes shown) from which patterns can be looked for locally; below
#: one a year each, every death is rare enough to learn from on its own.
DEATHS_FOR_PATTERNS = 5.0


def death_facts(data: ChapterData) -> list[str]:
    """The expected deaths a year among the area's people on probation, in one sentence whose
    second half follows from how many there are: rare enough to learn from each one, or enough to
    look for patterns."""
    rows = [r for r in data.area.get("expected_deaths") or [] if not is_missing(r.get("expected"))]
    if not rows:
        return []
    language = data.language
    said = [deaths_words(r, language=language) for r in rows]
    parts = " and ".join(said) if language == "en" else listed_in(language, said)
    in_area = in_place(language, escape_text(data.area_name))
    total = sum(float(r["expected"]) for r in rows)
    how = translate(language, "(indirect estimates from national relative risks and local death rates, not counts "
                              "of deaths)")
    if all(float(r["expected"]) < 1 for r in rows):
        return [translate(language, "Deaths among people on probation {in_area} are rare: {parts} are expected {how}. "
                                    "At these numbers each death is a case to learn from, through the local suicide "
                                    "and drug-death reviews, rather than a trend to monitor.",
                          in_area=in_area, parts=parts, how=how)]
    if total >= DEATHS_FOR_PATTERNS:
        text = translate(language, "{parts} are expected among people on probation {in_area} {how}: enough to look "
                                   "for patterns locally, for example in real-time surveillance of suspected suicides "
                                   "and in drug-related death reviews.", parts=parts, in_area=in_area, how=how)
    else:
        text = translate(language, "{parts} are expected among people on probation {in_area} {how}.", parts=parts,
                         in_area=in_area, how=how)
    return [text[:1].upper() + text[1:]]


def notable_facts(data: ChapterData) -> list[str]:
    """Plain sentences on what is notable about the area, for the chapter's summary: key local
    indicators against England, deprivation, the caseload against the population share, the
    expected deaths. Each sentence is complete and escaped for Markdown."""
    return [*indicator_facts(data), *deprivation_facts(data), *caseload_facts(data), *death_facts(data)]
