"""The chapter's first screen: what the evidence means for this area, in plain sentences a board
member reads in a minute. Each fact gives the local number and the share ("about 4 in 10 ...:
around 945 people"), a comparison with the general adult population where the reference data
hold one, and how sure we can be, in words."""

from __future__ import annotations

from ..load.chapter_data import ChapterData
from ..priorities import NEED_WORDS, PRIORITY_TITLES
from .cymraeg import mutate
from .lang import N_, in_place, to_place, translate
from .markdown import escape_text
from .nation import applies_in, system_for
from .numbers import count, in_words, is_missing
from .recommendation_line import recommendation_line
from .scenario import scenario_notice, scenario_words  # noqa: F401 - scenario_words: where it was
from .sentences import EVIDENCE_WORDS, listed_in, listed_places

#: The general-population figure a priority area's headline may be set beside, and how to say it.
#: Only where the reference data hold one; the words say when the measures differ.
GENERAL_POPULATION = {
    "mental_health": ("MH20", N_("about {share} adults in the general population have a common mental health "
                                 "condition ({pct}; a different, narrower survey measure)")),
    "physical_health": ("PH04", N_("about {share} adults in the general population smoke ({pct})")),
    "suicide_prevention": ("SP15", N_("people on probation are about {value:g} times as likely as the general "
                                      "population to die by suicide")),
}


def _share(p: float, language: str) -> tuple[str, bool]:
    """A proportion in words without "about" (``4 in 10``), and whether "about" goes before it."""
    if is_missing(p):
        return translate(language, "an unknown share of"), False
    if p >= 0.95:
        return translate(language, "nearly all"), False
    if p >= 0.1:
        return translate(language, "{n} in 10", n=round(p * 10)), True
    if p >= 0.01:
        tens = round(1 / p)
        nice = min((5, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100), key=lambda d: abs(d - tens))
        return translate(language, "1 in {n}", n=nice), True
    return translate(language, "fewer than 1 in 100"), False


def share_words(p: float, *, language: str = "en") -> str:
    """A proportion as people say it: ``about 4 in 10``, ``about 1 in 20``, ``nearly all`` (Welsh:
    ``tua 4 o bob 10``)."""
    words, approximate = _share(p, language)
    return translate(language, "about {n}", n=words) if approximate else words


def _headline(data: ChapterData, key: str) -> dict | None:
    rows = [r for r in data.rows("estimates", key) if r["role"] == "headline" and not is_missing(r["expected"])]
    return rows[0] if rows else None


def _general_population(data: ChapterData, key: str) -> str:
    if key not in GENERAL_POPULATION:
        return ""
    estimate_id, words = GENERAL_POPULATION[key]
    rows = [r for r in data.rows("evidence") if r["estimate_id"] == estimate_id and not is_missing(r.get("value"))]
    if not rows:
        return ""
    value = float(rows[0]["value"])
    return translate(data.language, words, share=_share(value / 100, data.language)[0], pct=f"{value:.0f}%",
                     value=value)


def glance_facts(data: ChapterData) -> list[str]:
    """One plain sentence per priority area with a local estimate, largest share first."""
    facts = []
    language = data.language
    for key in PRIORITY_TITLES:
        row = _headline(data, key)
        if row is None:
            continue
        p = float(row["prevalence_pct"]) / 100
        grade = str(row.get("grade"))
        sure = translate(language, EVIDENCE_WORDS[grade] if grade in EVIDENCE_WORDS else
                         N_("evidence of unknown strength"))
        fact = translate(language, "**{share}** {finding}: around **{n}** people ({sure}).",
                         share=share_words(p, language=language).capitalize(),
                         finding=escape_text(row["finding_phrase"]), n=count(row["expected"]), sure=sure)
        comparison = _general_population(data, key)
        if comparison:
            fact += " " + translate(language, "By comparison, {comparison}.", comparison=comparison)
        facts.append((p, fact))
    return [fact for _, fact in sorted(facts, key=lambda pair: -pair[0])]


def caseload_fact(data: ChapterData) -> str:
    """The sentence the facts follow from: how many people are on probation here."""
    area, language = data.area, data.language
    in_area = in_place(language, escape_text(data.area_name))
    if area.get("caseload_kind") == "local":
        return translate(language, "About **{n}** people are on probation {in_area} (a local count).",
                         n=count(area["caseload"]), in_area=in_area)
    return translate(language, "About **{n}** people are likely to be on probation {in_area} (a modelled figure, "
                               "plausibly {lower} to {upper}).", n=count(area["caseload"]), in_area=in_area,
                     lower=count(area.get("caseload_lower"), language=language),
                     upper=count(area.get("caseload_upper"), language=language))


def top_recommendations(data: ChapterData, n: int = 3) -> list[dict]:
    """The chapter's top ``n`` recommendations for the area's nation: by the reference data's
    ``priority`` where it has one, else the first of each of the priority areas with the largest
    estimated shares."""
    rows = [r for r in data.rows("recommendations") if applies_in(r.get("nation"), data.country)]
    own = [r for r in rows if str(r.get("top")).lower() == "true"]
    if own:  # chosen from the area's own findings by the build (``batch.area_recommendations``)
        return sorted(own, key=lambda r: float(r["order"]))[:n]
    ranked = [r for r in rows if not is_missing(r.get("priority"))]
    if ranked:
        return sorted(ranked, key=lambda r: (float(r["priority"]), str(r["priority_area"])))[:n]
    shares = {key: float(row["prevalence_pct"]) for key in PRIORITY_TITLES if (row := _headline(data, key))}
    chosen = []
    for key in sorted(shares, key=lambda k: -shares[k]):
        first = [r for r in rows if r["priority_area"] == key]
        if first:
            chosen.append(first[0])
        if len(chosen) == n:
            break
    return chosen




#: Needs named in the plural take "are"; the others "is".
PLURAL_NEEDS = frozenset({"substance_misuse", "social_care", "physical_health", "learning_disability_autism"})
#: A locally adjusted share this far from the national one (as a ratio) is "likely more (less) common here".
NEED_DIFFERENCE = 0.1
#: Caseloads below this are small enough that each need involves tens of people, not hundreds; at
#: or above ``LARGE_CASELOAD`` the common needs each involve hundreds.
SMALL_CASELOAD, LARGE_CASELOAD = 500, 3000



def needs_message(data: ChapterData) -> str:
    """The first key message: whether needs here are likely greater or smaller than nationally
    (the locally adjusted shares against the national ones), and the largest."""
    heads = {key: row for key in PRIORITY_TITLES if (row := _headline(data, key))}
    if not heads:
        return ""
    language = data.language

    def share(row: dict) -> float:  # the locally adjusted share where there is one
        value = row.get("adjusted_pct")
        return float(row["prevalence_pct"] if is_missing(value) else value)

    def said(row: dict) -> str:
        words = share_words(share(row) / 100, language=language)
        national = share_words(float(row["prevalence_pct"]) / 100, language=language)
        if words == national:
            return words
        return translate(language, "{here} here, against {national} nationally", here=words,
                         national=_share(float(row["prevalence_pct"]) / 100, language)[0])

    def need(key: str) -> str:
        return (translate(language, NEED_WORDS[key]) if key in NEED_WORDS
                else translate(language, PRIORITY_TITLES[key], context="priority").lower())

    def joined(items: list[str]) -> str:  # Welsh "a" (and) takes the aspirate mutation after it
        return listed_in(language, items)

    def named(keys: list[str]) -> str:
        return joined([f"{need(k)} ({said(heads[k])})" for k in keys])

    def moved(keys: list[str]) -> str:  # a difference shown in figures, which words may round away
        return joined([translate(language, "{need} ({here} here, against {national} nationally)", need=need(k),
                                 here=f"{share(heads[k]):.0f}%", national=f"{float(heads[k]['prevalence_pct']):.0f}%")
                       for k in keys])

    def plural(keys: list[str]) -> bool:
        return len(keys) > 1 or keys[0] in PLURAL_NEEDS

    ratio = {k: share(r) / float(r["prevalence_pct"]) for k, r in heads.items() if float(r["prevalence_pct"])}
    higher = sorted((k for k, v in ratio.items() if v >= 1 + NEED_DIFFERENCE), key=lambda k: -ratio[k])
    lower = sorted((k for k, v in ratio.items() if v <= 1 - NEED_DIFFERENCE), key=lambda k: ratio[k])
    biggest = sorted(heads, key=lambda k: -share(heads[k]))[:2]
    in_area = in_place(language, escape_text(data.area_name))
    if higher and lower:
        values = dict(higher=moved(higher), lower=moved(lower), in_area=in_area)
        text = (translate(language, "Compared with people on probation nationally, {higher} are likely more common "
                                    "{in_area}, and {lower} less common.", **values) if plural(higher) else
                translate(language, "Compared with people on probation nationally, {higher} is likely more common "
                                    "{in_area}, and {lower} less common.", **values))
    elif higher:
        text = translate(language, "Health needs among people on probation {in_area} are likely greater than "
                                   "nationally: {higher}.", in_area=in_area, higher=moved(higher))
    elif lower:
        rest = [k for k in biggest if k not in lower]
        if rest:
            text = translate(language, "Health needs among people on probation {in_area} are likely smaller than "
                                       "nationally: {lower}. Others are estimated at national rates: {rest}.",
                             in_area=in_area, lower=moved(lower), rest=named(rest))
        else:
            text = translate(language, "Health needs among people on probation {in_area} are likely smaller than "
                                       "nationally: {lower}, though these needs are still common.",
                             in_area=in_area, lower=moved(lower))
    else:
        values = dict(in_area=in_area, largest=named(biggest))
        text = (translate(language, "Health needs among people on probation {in_area} are likely close to the "
                                    "national picture: the largest are {largest}.", **values) if plural(biggest) else
                translate(language, "Health needs among people on probation {in_area} are likely close to the "
                                    "national picture: the largest is {largest}.", **values))
    return text + " " + translate(language, "Most people with one need have others.")


def _asked(board: str, language: str) -> str:
    """The board as the sentence asking it to agree the top three names it: English "The health and
    wellbeing board"; Welsh with "i" (to) before it, "i'r bwrdd ...", "i Fwrdd ..." (the soft mutation)."""
    if language != "cy":
        return board.capitalize()
    bare = board.removeprefix("yr ").removeprefix("y ")
    return f"i'r {bare}" if bare != board else to_place(language, board)


def scale_message(data: ChapterData) -> str:
    """What the size of the caseload means for planning: small enough to plan with the other areas
    its probation delivery unit serves, or large enough for pathways of its own; "" in between."""
    from .bodies import bodies

    caseload = data.area.get("caseload")
    if is_missing(caseload):
        return ""
    caseload, language = float(caseload), data.language
    kind = "" if data.area.get("caseload_kind") == "local" else " " + translate(language, "(modelled)")
    values = dict(n=count(caseload), kind=kind)
    if caseload < SMALL_CASELOAD:
        key = "also_serves_cy" if language == "cy" else "also_serves"
        others = sorted({n for b in bodies(data, "probation_delivery_unit")
                         for n in b.get(key) or b.get("also_serves") or []})
        if others:
            names = listed_places(language, others)
            if len(others) > 1:
                return translate(language, "With about {n} people on probation{kind}, each need here involves tens "
                                           "of people rather than hundreds. The probation delivery unit also serves "
                                           "{names}: planning services with them may work better than planning "
                                           "alone.", names=names, **values)
            return translate(language, "With about {n} people on probation{kind}, each need here involves tens of "
                                       "people rather than hundreds. The probation delivery unit also serves {names}: "
                                       "planning services with it may work better than planning alone.",
                             names=names, **values)
        return translate(language, "With about {n} people on probation{kind}, each need here involves tens of people "
                                   "rather than hundreds: enough to plan for person by person, too few to justify a "
                                   "service of their own.", **values)
    if caseload >= LARGE_CASELOAD:
        return translate(language, "With about {n} people on probation{kind}, each of the common needs here involves "
                                   "hundreds of people: enough to plan pathways for this caseload itself, with named "
                                   "leads in each service.", **values)
    return ""


def key_messages(data: ChapterData, facts: list[str] | None = None) -> list[str]:
    """What the board should take away, each chosen and worded from this area's data: how its
    needs differ from the national picture, its expected deaths (``facts``), what the size of its
    caseload means, local records that differ from the national rates, how firm the evidence is
    and whether the caseload was counted."""
    language = data.language
    system = system_for(data.country, data.area["area_code"], language=language)
    heads = {key: row for key in PRIORITY_TITLES if (row := _headline(data, key))}
    messages = [m for m in (needs_message(data), *list(facts or [])[:1], scale_message(data)) if m]
    observed = [r for r in data.rows("observed") if str(r.get("significance_95")) in ("higher", "lower")]
    for r in observed[:2]:
        need = escape_text(str(r["need"]).lower())
        messages.append(
            translate(language, "Local records show more people with {need} than the national rate predicts: "
                                "recording practice, or real local difference, should be looked into.", need=need)
            if r["significance_95"] == "higher" else
            translate(language, "Local records show fewer people with {need} than the national rate predicts: "
                                "recording practice, or real local difference, should be looked into.", need=need))
    if data.area.get("caseload_kind") != "local":
        from .bodies import body_names

        pdu = body_names(data, "probation_delivery_unit", shares=False)
        several = " and " in pdu or (language == "cy" and (" a " in pdu or " ac " in pdu))
        asked = pdu or system.probation
        if language == "cy":  # "gofyn i": the soft mutation
            asked = mutate(asked, "soft")
        messages.append(
            translate(language, "The number of people on probation here is modelled, not counted. Asking {pdu} for "
                                "their caseload and the needs they record would make every figure in this chapter "
                                "more reliable.", pdu=asked) if several else
            translate(language, "The number of people on probation here is modelled, not counted. Asking {pdu} for "
                                "its caseload and the needs it records would make every figure in this chapter more "
                                "reliable.", pdu=asked))
    grades = [str(r.get("grade")) for r in heads.values()]
    weak = sum(g in ("C", "D") for g in grades)
    if grades:
        messages.append(translate(
            language, "The national evidence behind these estimates is thin: {weak} of the {total} headline figures "
                      "rest on limited or weak evidence, several from one county or from before 2015. Treat the "
                      "numbers as orders of magnitude, and check them against local records.",
            weak=in_words(weak, language=language), total=in_words(len(grades), language=language)))
    return messages[:5]


def national_line(data: ChapterData) -> str:
    """The national rates applied to the caseload here, in one paragraph (each priority area's
    section says how sure each figure is)."""
    items, language = [], data.language
    for key in PRIORITY_TITLES:
        row = _headline(data, key)
        if row is not None:
            items.append((float(row["prevalence_pct"]), f"**{count(row['expected'])}** "
                          f"{escape_text(row['finding_phrase']).removeprefix('have ').removeprefix('has ')} "
                          f"({share_words(float(row['prevalence_pct']) / 100, language=language)})"))
    if not items:
        return ""
    ordered = [text for _, text in sorted(items, key=lambda pair: -pair[0])]
    return translate(language, "**At national rates**, of the people on probation {in_area} about {items}; and "
                               "{last}. The sections below say how sure each figure is.",
                     in_area=in_place(language, escape_text(data.area_name)), items="; ".join(ordered[:-1]),
                     last=ordered[-1])


#: The first screen says at most this many things that set the area apart (the rest are in the sections).
MOST_DISTINCTIVE = 4


def distinctive(data: ChapterData) -> list[str]:
    """What is distinctive about the area, for the first screen: which needs are likely higher or
    lower here than nationally (the locally adjusted estimates), where it stands among the areas
    most like it, and its local indicators far from its nation's (those a need's line has not
    already named) and its deprivation."""
    from .adjusted import needs_summary
    from .neighbours import similar_areas_summary
    from .notable import deprivation_facts, indicator_facts

    similar = similar_areas_summary(data)
    needs, named = needs_summary(data, limit=MOST_DISTINCTIVE - 1 - bool(similar))
    skip = {int(r["indicator_id"]) for r in data.rows("context") if str(r.get("indicator_name")) in named}
    lines = needs[:MOST_DISTINCTIVE - 1 - bool(similar)] + ([similar] if similar else [])
    notable = [*indicator_facts(data, skip=skip), *deprivation_facts(data)]
    return (lines + [n for n in notable if n not in lines])[:MOST_DISTINCTIVE]


def summary(data: ChapterData, *, notable: list[str] | None = None, introduction: str = "") -> str:
    """The summary block: the analyst's introduction, at a glance (the caseload here against the
    nation's, then what is distinctive about the area, then what the national evidence means for
    its caseload), key messages, top three recommendations (Markdown, headings at level 3 under the
    section's own)."""
    from .notable import caseload_facts, death_facts

    language = data.language
    board = system_for(data.country, data.area["area_code"], language=language).board
    glance = translate(language, "At a glance", context="heading")
    key = translate(language, "Key messages for the board", context="heading")
    top = translate(language, "Top three recommendations", context="heading")
    parts = [scenario_notice(data)]
    if introduction:
        parts.append(introduction)
    parts += [f"### {glance} {{#sec-at-a-glance}}",
              " ".join([caseload_fact(data), *caseload_facts(data, short=True)]),
              translate(language, "**What stands out {in_area}**",
                        in_area=in_place(language, escape_text(data.area_name))),
              "\n".join(f"- {line}" for line in distinctive(data)),
              f"### {key} {{#sec-key-messages}}",
              "\n".join(f"{i}. {m}" for i, m in enumerate(key_messages(data, death_facts(data)), start=1)),
              f"### {top} {{#sec-top-recommendations}}",
              translate(language, "{board} is asked to agree these, and who leads each. Each says why it comes first "
                                  "here (a local finding, or a standing priority where no finding raised one), and "
                                  "how progress can be measured:", board=_asked(board, language)),
              "\n".join(f"{i}. {recommendation_line(r, data, with_reason=True)}"
                        for i, r in enumerate(top_recommendations(data), start=1))]
    return "\n\n".join(p for p in parts if p)
