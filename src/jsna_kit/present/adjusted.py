"""The locally adjusted estimates in words: beside the national-rate figure, what the area's own
whole-population measure suggests, which of the two is the better guide here, and why. The
numbers come from the estimates table (``batch.adjustment``); the range of the adjusted figure is
a 95% uncertainty range (the link's strength is an assumption), kept apart from the national
study's confidence interval."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .lang import N_, translate
from .markdown import escape_text, possessive
from .nation import nation_name
from .numbers import count, is_missing, percent
from .sentences import listed_in

#: The adjusted share is "higher" or "lower" than the national rate when it differs by at least
#: this fraction of it; nearer, the two are "close".
DIRECTION_THRESHOLD = 0.10
#: The local measure is "far" from its nation's (and the adjusted figure the better guide) when
#: its ratio lies outside 1/1.25 to 1.25.
FAR_RATIO = 1.25

#: The need in a few words, for "... is probably more common here".
NEED_WORDS = {"mental_health": N_("mental illness"), "substance_misuse": N_("drug and alcohol problems"),
              "suicide_prevention": N_("past suicide attempts"), "social_care": N_("care and support needs"),
              "physical_health": N_("smoking"), "learning_disability_autism": N_("learning disabilities"),
              "opd_pathway": N_("personality disorder")}
#: English needs that take a plural verb ("are"); Welsh needs no such choice.
PLURAL_NEEDS = {"drug and alcohol problems", "care and support needs", "learning disabilities", "alcohol problems",
                "past suicide attempts"}
#: A second need within a priority area, named by the local measure that adjusts it.
NEED_BY_INDICATOR = {"Alcohol-specific hospital admissions": N_("alcohol problems"),
                     "Hospital admissions for alcohol": N_("alcohol problems")}


def _english_need(row: dict) -> str | None:
    """The need's words as the English catalogue names them (None: the row's own measure)."""
    if row.get("role") != "headline":
        return NEED_BY_INDICATOR.get(str(row.get("adjustment_indicator")))
    return NEED_WORDS.get(str(row.get("priority_area")))


def need_words(row: dict, *, language: str = "en") -> str:
    """The need a row's adjusted figure describes, in a few words."""
    named = _english_need(row)
    if named:
        return translate(language, named)
    if row.get("role") != "headline":
        measure = str(row.get("measure") or translate(language, "this need")).rstrip(".")
        return measure[:1].lower() + measure[1:]
    key = str(row.get("priority_area"))
    if key in PRIORITY_TITLES:
        title = translate(language, PRIORITY_TITLES[key], context="priority")
        return title.lower() if language == "en" else title[:1].lower() + title[1:]
    return translate(language, "this need")


def _plural(row: dict) -> bool:
    """Whether the need's English words take "are"."""
    return (_english_need(row) or need_words(row)) in PLURAL_NEEDS


def _listed(language: str, items: list[str]) -> str:
    """``a, b and c`` (Welsh: ``a, b a c``, "ac" before a vowel, the aspirate mutation after "a")."""
    return listed_in(language, items)


def adjusted_rows(data: ChapterData, key: str) -> list[dict]:
    """The priority area's adjusted figures a chapter shows: the headline's, then one for each
    other local measure that adjusts another confirmed figure of the area (alcohol admissions for
    an alcohol problem, beside drug deaths for the headline), the largest first."""
    rows = data.rows("estimates", key)
    head = [r for r in rows if r["role"] == "headline" and has_adjustment(r)]
    seen = {str(r.get("adjustment_indicator")) for r in head}
    extra = []
    for r in sorted(rows, key=lambda r: -float(r["prevalence_pct"]) if not is_missing(r["prevalence_pct"]) else 0):
        indicator = str(r.get("adjustment_indicator"))
        if (r["role"] == "alternative" and has_adjustment(r) and str(r.get("status")) == "ok"
                and indicator not in seen and indicator in NEED_BY_INDICATOR):
            seen.add(indicator)
            extra.append(r)
    return head + extra


def has_adjustment(row: dict) -> bool:
    return not is_missing(row.get("adjusted_pct")) and not is_missing(row.get("adjusted_expected"))


def direction(row: dict) -> str:
    """``higher``, ``lower`` or ``close``: the adjusted share against the national rate."""
    national, adjusted = float(row["prevalence_pct"]), float(row["adjusted_pct"])
    change = adjusted / national - 1 if national else 0.0
    if change >= DIRECTION_THRESHOLD:
        return "higher"
    if change <= -DIRECTION_THRESHOLD:
        return "lower"
    return "close"


def ratio_words(ratio: float, comparator: str, *, language: str = "en") -> str:
    """``3.7 times Wales's``, ``53% higher than England's``, ``about the same as England's``."""
    # {whose}: the comparator as the figure's owner ("Wales's"; Welsh: "ffigur Cymru").
    whose = f"{escape_text(comparator)}'s" if language == "en" else escape_text(nation_name(language, comparator))
    if ratio >= 2:
        return translate(language, "{ratio} times {whose}", ratio=format(ratio, ".1f"), whose=whose)
    change = round(100 * (ratio - 1))
    if change == 0:
        return translate(language, "about the same as {whose}", whose=whose)
    if change > 0:
        return translate(language, "{change}% higher than {whose}", change=abs(change), whose=whose)
    return translate(language, "{change}% lower than {whose}", change=abs(change), whose=whose)


def _measure_words(row: dict, area_name: str, *, language: str = "en") -> str:
    """``Blackpool's deaths from drug misuse are 3.7 times England's`` (Welsh: a clause that starts
    with "mae", for the caller to capitalise where it starts a sentence)."""
    indicator = escape_text(str(row.get("adjustment_indicator") or translate(language, "local measure")))
    if indicator[1:2].islower():
        indicator = indicator[:1].lower() + indicator[1:]
    comparator = str(row.get("adjustment_comparator") or translate(language, "the nation"))
    # {whose}: the area as the measure's owner ("Blackpool's"; Welsh puts the bare name after the noun).
    whose = possessive(area_name) if language == "en" else escape_text(area_name)
    if "deprivation" in indicator.lower() or "deprived" in indicator.lower():  # a score or share, not a rate
        local, national = row.get("adjustment_local_value"), row.get("adjustment_national_value")
        if not is_missing(local) and not is_missing(national):
            unit = "%" if "share" in indicator.lower() else ""
            figures = {"local": format(float(local), ".1f") + unit, "national": format(float(national), ".1f") + unit}
            named = {"whose": whose, "indicator": indicator,
                     "comparator": escape_text(nation_name(language, comparator))}
            return translate(language, "{whose} {indicator} is {local}, against {national} for {comparator}",
                             **named, **figures)
    words = indicator.lower().split()
    plural = indicator.lower().startswith("adults") or "deaths" in words or "admissions" in words
    ratio = ratio_words(float(row["adjustment_ratio"]), comparator, language=language)
    if plural:
        return translate(language, "{whose} {indicator} are {ratio}", whose=whose, indicator=indicator, ratio=ratio)
    return translate(language, "{whose} {indicator} is {ratio}", whose=whose, indicator=indicator, ratio=ratio)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def adjusted_paragraph(row: dict, *, area_name: str, language: str = "en") -> str:
    """The adjusted figure beside the national-rate one, for a priority area's "What it means"."""
    if not has_adjustment(row):
        return ""
    lang = language
    need = need_words(row, language=lang)
    way = direction(row)
    ratio = float(row["adjustment_ratio"])
    reason = escape_text(str(row.get("adjustment_reason") or "").strip())
    values = {"area": escape_text(area_name), "n": count(row["adjusted_expected"], language=lang),
              "share": percent(row["adjusted_pct"], language=lang),
              "lower": count(row["adjusted_expected_lower"], language=lang),
              "upper": count(row["adjusted_expected_upper"], language=lang)}
    if row.get("role") == "headline":
        figure = translate(lang, "**Adjusted for {area}: about {n} people** ({share}; 95% uncertainty range {lower} "
                           "to {upper}, allowing for how closely the local measure follows this need, which is not "
                           "known).", **values)
    else:
        measure_name = escape_text(str(row["measure"]).rstrip("."))
        figure = translate(lang, "**{need} ({measure}; {national} nationally), adjusted for {area}: about {n} "
                           "people** ({share}; 95% uncertainty range {lower} to {upper}, allowing for how closely the "
                           "local measure follows this need, which is not known).",
                           need=escape_text(_capital(need)), measure=measure_name[:1].lower() + measure_name[1:],
                           national=percent(row["prevalence_pct"], language=lang), **values)
    measure = _measure_words(row, area_name, language=lang)
    if lang != "en":
        measure = _capital(measure)  # English starts with the area's name
    said = {"measure": measure, "national": percent(row["prevalence_pct"], language=lang), "need": need,
            "reason": reason, "area": escape_text(area_name)}
    if way == "close":
        judgement = translate(lang, "{measure}, so the adjusted figure is close to the national-rate one ({national}); "
                              "the national-rate figure is a fair guide here, and the simpler of the two.", **said)
    elif (ratio >= FAR_RATIO or ratio <= 1 / FAR_RATIO) and way == "higher":
        if _plural(row):
            judgement = translate(lang, "{measure}; {reason}. So {need} are probably more common among people on "
                                  "probation here than the national rate of {national} suggests. The adjusted figure "
                                  "is the better guide for planning in {area}: services sized on the national rate "
                                  "would probably fall short, and the national-rate figure sits in the lower part of "
                                  "the adjusted range.", **said)
        else:
            judgement = translate(lang, "{measure}; {reason}. So {need} is probably more common among people on "
                                  "probation here than the national rate of {national} suggests. The adjusted figure "
                                  "is the better guide for planning in {area}: services sized on the national rate "
                                  "would probably fall short, and the national-rate figure sits in the lower part of "
                                  "the adjusted range.", **said)
    elif ratio >= FAR_RATIO or ratio <= 1 / FAR_RATIO:
        judgement = translate(lang, "{measure}; {reason}. Fewer people on probation here are likely to have {need} "
                              "than the national rate of {national} implies, and the adjusted figure is the better "
                              "central estimate; but the need is still common, and planning for the national-rate "
                              "figure (about {expected}) would be prudent: the adjusted range runs up to {upper}.",
                              expected=count(row["expected"], language=lang), upper=values["upper"], **said)
    elif way == "higher":
        judgement = translate(lang, "{measure}, so the adjusted figure is a little higher than the national-rate one "
                              "({national}); the difference is within the range of either, so plan on the "
                              "national-rate figure and watch local records.", **said)
    else:
        judgement = translate(lang, "{measure}, so the adjusted figure is a little lower than the national-rate one "
                              "({national}); the difference is within the range of either, so plan on the "
                              "national-rate figure and watch local records.", **said)
    return f"{figure} {judgement}".replace("..", ".")


def needs_compared(data: ChapterData) -> list[tuple[str, dict]]:
    """Each priority area whose headline figure has an adjustment, with its direction, the
    furthest from the national rate first."""
    rows = [(direction(r), r) for key in PRIORITY_TITLES for r in adjusted_rows(data, key)]
    return sorted(rows, key=lambda pair: -abs(float(pair[1]["adjusted_pct"]) / float(pair[1]["prevalence_pct"]) - 1))


#: A need further from the national rate, for the first screen, by its English verb and direction.
NEED_LINES = {
    (False, "higher"): N_("**{need} is likely more common here:** about {share} of people on probation (about {n} "
                          "people) against {national} nationally, because {measure}."),
    (True, "higher"): N_("**{need} are likely more common here:** about {share} of people on probation (about {n} "
                         "people) against {national} nationally, because {measure}."),
    (False, "lower"): N_("**{need} is likely less common here:** about {share} of people on probation (about {n} "
                         "people) against {national} nationally, because {measure}."),
    (True, "lower"): N_("**{need} are likely less common here:** about {share} of people on probation (about {n} "
                        "people) against {national} nationally, because {measure}."),
}


def needs_summary(data: ChapterData, *, limit: int | None = None) -> tuple[list[str], set[str]]:
    """For the first screen: which needs are likely higher or lower here than nationally, and
    by how much (at most ``limit``, the furthest from the national rate first); the ones close to
    the national rate in one sentence. Also the local measures the lines name."""
    lang = data.language
    lines, close, named = [], [], set()
    for way, row in needs_compared(data):
        need = need_words(row, language=lang)
        if way == "close":
            close.append(need)
            continue
        if limit is not None and len(lines) >= limit:
            continue
        named.add(str(row.get("adjustment_indicator")))
        # English starts the line with the need; Welsh starts it with the verb ("Mae ...").
        lines.append(translate(lang, NEED_LINES[(_plural(row), way)],
                               need=escape_text(_capital(need) if lang == "en" else need),
                               share=percent(row["adjusted_pct"], language=lang),
                               n=count(row["adjusted_expected"], language=lang),
                               national=percent(row["prevalence_pct"], language=lang),
                               measure=_measure_words(row, data.area_name, language=lang)))
    if close:
        lines.append(translate(lang, "For {needs}, the locally adjusted estimates are within 10% of the national "
                               "rates, so the national rates are a fair guide.",
                               needs=escape_text(_listed(lang, close))))
    return lines, named
