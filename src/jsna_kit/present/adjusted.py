"""The locally adjusted estimates in words: beside the national-rate figure, what the area's own
whole-population measure suggests, which of the two is the better guide here, and why. The
numbers come from the estimates table (``batch.adjustment``); the range of the adjusted figure is
a 95% uncertainty range (the link's strength is an assumption), kept apart from the national
study's confidence interval."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .markdown import escape_text, possessive
from .numbers import count, is_missing, percent

#: The adjusted share is "higher" or "lower" than the national rate when it differs by at least
#: this fraction of it; nearer, the two are "close".
DIRECTION_THRESHOLD = 0.10
#: The local measure is "far" from its nation's (and the adjusted figure the better guide) when
#: its ratio lies outside 1/1.25 to 1.25.
FAR_RATIO = 1.25

#: The need in a few words, for "... is probably more common here".
NEED_WORDS = {"mental_health": "mental illness", "substance_misuse": "drug and alcohol problems",
              "suicide_prevention": "past suicide attempts", "social_care": "care and support needs",
              "physical_health": "smoking", "learning_disability_autism": "learning disabilities",
              "opd_pathway": "personality disorder"}
PLURAL_NEEDS = {"drug and alcohol problems", "care and support needs", "learning disabilities", "alcohol problems",
                "past suicide attempts"}
#: A second need within a priority area, named by the local measure that adjusts it.
NEED_BY_INDICATOR = {"Alcohol-specific hospital admissions": "alcohol problems",
                     "Hospital admissions for alcohol": "alcohol problems"}


def need_words(row: dict) -> str:
    """The need a row's adjusted figure describes, in a few words."""
    if row.get("role") != "headline":
        named = NEED_BY_INDICATOR.get(str(row.get("adjustment_indicator")))
        if named:
            return named
        measure = str(row.get("measure") or "this need").rstrip(".")
        return measure[:1].lower() + measure[1:]
    key = str(row.get("priority_area"))
    return NEED_WORDS.get(key, PRIORITY_TITLES.get(key, "this need").lower())


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


def ratio_words(ratio: float, comparator: str) -> str:
    """``3.7 times Wales's``, ``53% higher than England's``, ``about the same as England's``."""
    whose = f"{escape_text(comparator)}'s"
    if ratio >= 2:
        return f"{ratio:.1f} times {whose}"
    change = round(100 * (ratio - 1))
    if change == 0:
        return f"about the same as {whose}"
    return f"{abs(change)}% {'higher' if change > 0 else 'lower'} than {whose}"


def _verb(need: str) -> str:
    return "are" if need in PLURAL_NEEDS else "is"


def _measure_words(row: dict, area_name: str) -> str:
    """``Blackpool's deaths from drug misuse are 3.7 times England's``."""
    indicator = escape_text(str(row.get("adjustment_indicator") or "local measure"))
    if indicator[1:2].islower():
        indicator = indicator[:1].lower() + indicator[1:]
    comparator = str(row.get("adjustment_comparator") or "the nation")
    if "deprivation" in indicator.lower() or "deprived" in indicator.lower():  # a score or share, not a rate
        local, national = row.get("adjustment_local_value"), row.get("adjustment_national_value")
        if not is_missing(local) and not is_missing(national):
            unit = "%" if "share" in indicator.lower() else ""
            return (f"{possessive(area_name)} {indicator} is {float(local):.1f}{unit}, against "
                    f"{float(national):.1f}{unit} for {escape_text(comparator)}")
    words = indicator.lower().split()
    plural = indicator.lower().startswith("adults") or "deaths" in words or "admissions" in words
    return (f"{possessive(area_name)} {indicator} {'are' if plural else 'is'} "
            f"{ratio_words(float(row['adjustment_ratio']), comparator)}")


def adjusted_paragraph(row: dict, *, area_name: str) -> str:
    """The adjusted figure beside the national-rate one, for a priority area's "What it means"."""
    if not has_adjustment(row):
        return ""
    need = need_words(row)
    way = direction(row)
    ratio = float(row["adjustment_ratio"])
    reason = escape_text(str(row.get("adjustment_reason") or "").strip())
    lead = ("" if row.get("role") == "headline" else
            f"{escape_text(need[:1].upper() + need[1:])} ({escape_text(str(row['measure']).rstrip('.'))[:1].lower()}"
            f"{escape_text(str(row['measure']).rstrip('.'))[1:]}; {percent(row['prevalence_pct'])} nationally), ")
    figure = (f"**{lead}{'a' if lead else 'A'}djusted for {escape_text(area_name)}: about "
              f"{count(row['adjusted_expected'])} people** "
              f"({percent(row['adjusted_pct'])}; 95% uncertainty range {count(row['adjusted_expected_lower'])} "
              f"to {count(row['adjusted_expected_upper'])}, allowing for how closely the local measure follows "
              "this need, which is not known).")
    measure = _measure_words(row, area_name)
    if way == "close":
        judgement = (f"{measure}, so the adjusted figure is close to the national-rate one "
                     f"({percent(row['prevalence_pct'])}); "
                     "the national-rate figure is a fair guide here, and the simpler of the two.")
    elif (ratio >= FAR_RATIO or ratio <= 1 / FAR_RATIO) and way == "higher":
        judgement = (f"{measure}; {reason}. So {need} {_verb(need)} probably more common among people on "
                     f"probation here than the national rate of {percent(row['prevalence_pct'])} suggests. The "
                     f"adjusted figure is the better guide for planning in {escape_text(area_name)}: services sized "
                     "on the national rate would probably fall short, and the national-rate figure sits in the lower "
                     "part of the adjusted range.")
    elif ratio >= FAR_RATIO or ratio <= 1 / FAR_RATIO:
        judgement = (f"{measure}; {reason}. Fewer people on probation here are likely to have {need} than the "
                     f"national rate of {percent(row['prevalence_pct'])} implies, and the adjusted figure is the "
                     "better central estimate; but the need is still common, and planning for the national-rate "
                     f"figure (about {count(row['expected'])}) would be prudent: the adjusted range runs up to "
                     f"{count(row['adjusted_expected_upper'])}.")
    else:
        judgement = (f"{measure}, so the adjusted figure is a little {way} than the national-rate one "
                     f"({percent(row['prevalence_pct'])}); the difference is within the range of either, so plan "
                     "on the national-rate figure and watch local records.")
    return f"{figure} {judgement}".replace("..", ".")


def needs_compared(data: ChapterData) -> list[tuple[str, dict]]:
    """Each priority area whose headline figure has an adjustment, with its direction, the
    furthest from the national rate first."""
    rows = [(direction(r), r) for key in PRIORITY_TITLES for r in adjusted_rows(data, key)]
    return sorted(rows, key=lambda pair: -abs(float(pair[1]["adjusted_pct"]) / float(pair[1]["prevalence_pct"]) - 1))


def needs_summary(data: ChapterData, *, limit: int | None = None) -> tuple[list[str], set[str]]:
    """For the first screen: which needs are likely higher or lower here than nationally, and
    by how much (at most ``limit``, the furthest from the national rate first); the ones close to
    the national rate in one sentence. Also the local measures the lines name."""
    lines, close, named = [], [], set()
    for way, row in needs_compared(data):
        need = need_words(row)
        if way == "close":
            close.append(need)
            continue
        if limit is not None and len(lines) >= limit:
            continue
        named.add(str(row.get("adjustment_indicator")))
        lines.append(f"**{escape_text(need[:1].upper() + need[1:])} {_verb(need)} likely "
                     f"{'more' if way == 'higher' else 'less'} common here:** about "
                     f"{percent(row['adjusted_pct'])} of people on probation (about "
                     f"{count(row['adjusted_expected'])} people) against {percent(row['prevalence_pct'])} nationally, "
                     f"because {_measure_words(row, data.area_name)}.")
    if close:
        listed = close[0] if len(close) == 1 else ", ".join(close[:-1]) + " and " + close[-1]
        lines.append(f"For {escape_text(listed)}, the locally adjusted estimates are within 10% of the national "
                     "rates, so the national rates are a fair guide.")
    return lines, named
