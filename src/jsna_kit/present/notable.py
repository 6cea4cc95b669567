"""What is notable about the area, as plain sentences for the chapter's summary: local indicators
clearly different from England's, high or low deprivation, a caseload well above or below the
area's share of the population, and the expected deaths among its people on probation. Worded
from the data, so two different areas read differently; an area with nothing notable gets only
what is always worth saying (its expected deaths)."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..model.context import PRINTED_DECIMALS
from ..model.rounding import fixed
from .deaths import deaths_words
from .local import printed_decimals
from .markdown import escape_text, possessive
from .numbers import count, is_missing

#: Indicators worth a sentence when they stand out, in the order they are mentioned.
KEY_INDICATORS = {41001: "suicide rate", 92432: "rate of deaths from drug misuse",
                  92906: "rate of alcohol-specific hospital admissions", 92443: "adult smoking prevalence",
                  # Wales's own figures (``wales_indicators.csv``), compared with Wales
                  9000001: "suicide rate", 9000002: "rate of deaths related to drug poisoning",
                  9000004: "rate of hospital admissions for alcohol", 9000003: "adult smoking prevalence"}
#: Without an interval, a value this far from England's (either way) is worth a mention.
CLEAR_DIFFERENCE = 0.20
#: A caseload per adult this far from the national rate is "well above" or "well below" it.
CASELOAD_DIFFERENCE = 0.25
UNIT_WORDS = {"per_100000": " per 100,000", "percent": "%"}


def _value(value: float, unit: str, decimals: int = PRINTED_DECIMALS) -> str:
    return f"{fixed(value, decimals)}{UNIT_WORDS.get(unit, '')}"


def indicator_facts(data: ChapterData, *, skip: set[int] | None = None) -> list[str]:
    """Key indicators significantly different from England (with an interval), or at least
    ``CLEAR_DIFFERENCE`` apart when there is no interval (and said to be untested); those in
    ``skip`` (already said) left out; the furthest from the nation's value first."""
    facts: list[tuple[float, str]] = []
    whose = possessive(data.area_name)
    rows = {int(r["indicator_id"]): r for r in data.rows("context") if not is_missing(r.get("indicator_id"))}
    for indicator, words in KEY_INDICATORS.items():
        r = rows.get(indicator) if indicator not in (skip or set()) else None
        if r is None or is_missing(r.get("value")) or is_missing(r.get("england_value")):
            continue
        value, england, unit = float(r["value"]), float(r["england_value"]), str(r.get("unit"))
        nation = escape_text(str(r.get("comparator_name") or "England"))
        period = escape_text(str(r.get("time_period", "")).replace(" - ", "-"))
        label = str(r.get("benchmark_england_95"))
        decimals = printed_decimals(r)
        shown = f"{_value(value, unit, decimals)} in {period} against {_value(england, unit, decimals)}"
        if label in ("better", "worse", "higher", "lower"):
            direction = "higher" if value > england else "lower"
            facts.append((abs(value / england - 1),
                          f"{whose} {words} is significantly {direction} than {nation}'s ({shown})."))
        elif label == "similar":
            continue
        elif abs(value / england - 1) >= CLEAR_DIFFERENCE:
            direction = "higher" if value > england else "lower"
            size = (f"{value / england:.1f} times {nation}'s" if value / england >= 2 else
                    f"{abs(value / england - 1):.0%} {direction} than {nation}'s")
            facts.append((abs(value / england - 1), f"{whose} {words} is {size} ({shown}; without a confidence "
                                                    "interval, not tested for significance)."))
    return [fact for _, fact in sorted(facts, key=lambda pair: -pair[0])]


def deprivation_facts(data: ChapterData) -> list[str]:
    """High or low deprivation, on the area's own nation's index (never compared across nations)."""
    name = escape_text(data.area_name)
    whose = possessive(data.area_name)
    rows = {r["index_name"]: r for r in data.area.get("deprivation") or []}
    if "IoD2019" in rows or "IoD2025" in rows:
        r = rows.get("IoD2019") or rows["IoD2025"]
        rank, of = r.get("rank_of_average_score"), r.get("areas_ranked")
        share = r.get("share_most_deprived_10pct")
        if is_missing(rank) or is_missing(of):
            return []
        rank, of = int(rank), int(of)
        kind = "upper-tier local authorities" if r["index_name"] == "IoD2019" else "local authority districts"
        year = r["index_name"][3:]
        where = f"ranked {rank} of {of} {kind} in England by average deprivation score (1 = most deprived; IoD {year})"
        if rank <= of / 5:
            extra = (f"; {share:.0f}% of its neighbourhoods are among the most deprived tenth in England"
                     if not is_missing(share) else "")
            return [f"{name} is among the most deprived fifth of areas in England: {where}{extra}."]
        if rank > of * 4 / 5:
            return [f"{name} is among the least deprived fifth of areas in England: {where}."]
        return []
    if "WIMD2025" in rows or "WIMD2019" in rows:
        r = rows.get("WIMD2025") or rows["WIMD2019"]
        share = r.get("share_most_deprived_10pct")
        if is_missing(share):
            return []
        text = (f"{share:.0f}% of {whose} small areas are among the most deprived tenth in Wales (Welsh Index of "
                f"Multiple Deprivation {r['index_name'][4:]}; 10% for Wales as a whole)")
        if share >= 15:
            return [f"{name} has more deprivation than most of Wales: {text}."]
        if share <= 5:
            return [f"{name} has less deprivation than most of Wales: {text}."]
    return []


#: An alternative model's caseload this far from the headline's is shown, with why (issue: 20%).
MODEL_DIFFERENCE = 0.20


def caseload_facts(data: ChapterData, *, short: bool = False) -> list[str]:
    """The caseload per 1,000 adults against the nation's, and, for a modelled caseload, each
    other model whose figure is more than ``MODEL_DIFFERENCE`` from it, with why."""
    area, facts = data.area, []
    local, national = area.get("caseload_per_1000_adults"), area.get("national_caseload_per_1000_adults")
    if not is_missing(local) and not is_missing(national) and national:
        ratio = float(local) / float(national) - 1
        if abs(ratio) >= CASELOAD_DIFFERENCE:
            where = f"well {'above' if ratio > 0 else 'below'}"
        else:
            where = "close to"
        facts.append(f"That is {float(local):.1f} people on probation per 1,000 adults, {where} the rate for England "
                     f"and Wales ({float(national):.1f} per 1,000).")
    facts += model_facts(data, short=short)
    return facts


#: Models that leave deprivation out, for "without deprivation" wording.
WITHOUT_DEPRIVATION = ("population", "urban")


def _how_far(differs_pct: object) -> str:
    """How far another model's figure is from the one used: ``13% more``, ``42% fewer``, or, from
    twice as many, as a multiple (``3.6 times as many``), as the rest of the chapter says it."""
    pct = float(differs_pct)
    if pct >= 100:
        return f"{1 + pct / 100:.1f} times as many"
    return f"{abs(pct):.0f}% {'more' if pct > 0 else 'fewer'}"


def model_facts(data: ChapterData, *, short: bool = False) -> list[str]:
    """For a modelled caseload: the other models' figures, and why the one used differs (``short``:
    in one sentence, for the summary, only where a model differs by more than 20%)."""
    area = data.area
    if area.get("caseload_kind") != "modelled" or not float(area.get("caseload") or 0):
        return []
    models = [m for m in area.get("caseload_models") or [] if not is_missing(m.get("caseload"))]
    others = [m for m in models if not m.get("is_headline") and not is_missing(m.get("differs_pct"))]
    far = [m for m in others if abs(float(m["differs_pct"])) > 100 * MODEL_DIFFERENCE]
    head = next((m for m in models if m.get("is_headline")), {})
    why = escape_text(str(head.get("why") or "")).strip().rstrip(".")
    if short:
        if not far:
            return []
        listed = "; ".join(f"by {escape_text(m['label'])}, about {count(m['caseload'])}" for m in far)
        lead = (f"{why}, so the model used gives {'more' if float(far[0]['differs_pct']) < 0 else 'fewer'} than "
                if why and all(m["model"] in WITHOUT_DEPRIVATION for m in far) else "The model used differs from ")
        return [f"{lead}the other models ({listed})."]
    if not others:
        return []
    listed = "; ".join(f"by {escape_text(m['label'])}, about {count(m['caseload'])} ({_how_far(m['differs_pct'])})"
                       for m in others)
    text = f"The other models give: {listed}."
    if far and why:
        text += f" {why}; the published local figures suggest that caseloads follow deprivation."
    elif not far:
        text += " All are within 20% of the figure used."
    band = area.get("caseload_band") or {}
    if not is_missing(band.get("lower")) and not is_missing(band.get("upper")):
        text += (f" The plausible range, {count(band['lower'])} to {count(band['upper'])}, covers every model's "
                 "figure, widened for what no model captures.")
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
    parts = " and ".join(deaths_words(r) for r in rows)
    where = escape_text(data.area_name)
    total = sum(float(r["expected"]) for r in rows)
    how = "(indirect estimates from national relative risks and local death rates, not counts of deaths)"
    if all(float(r["expected"]) < 1 for r in rows):
        return [f"Deaths among people on probation in {where} are rare: {parts} are expected {how}. At these "
                "numbers each death is a case to learn from, through the local suicide and drug-death reviews, "
                "rather than a trend to monitor."]
    if total >= DEATHS_FOR_PATTERNS:
        return [f"{parts[:1].upper() + parts[1:]} are expected among people on probation in {where} {how}: "
                "enough to look for patterns locally, for example in real-time surveillance of suspected suicides "
                "and in drug-related death reviews."]
    return [f"{parts[:1].upper() + parts[1:]} are expected among people on probation in {where} {how}."]


def notable_facts(data: ChapterData) -> list[str]:
    """Plain sentences on what is notable about the area, for the chapter's summary: key local
    indicators against England, deprivation, the caseload against the population share, the
    expected deaths. Each sentence is complete and escaped for Markdown."""
    return [*indicator_facts(data), *deprivation_facts(data), *caseload_facts(data), *death_facts(data)]
