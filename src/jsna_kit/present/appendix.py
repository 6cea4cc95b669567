"""The appendices, for analysts: the full national evidence for each priority area, the methods,
the data downloads and the glossary. The main chapter before them is what a board reads."""

from __future__ import annotations

from pathlib import Path

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .deaths import expected_deaths_block
from .evidence import evidence_table
from .findings import nation_name
from .glossary import expand_first_use, glossary, glossary_for
from .lang import N_, in_place, long_date, topic, translate
from .local import context_section
from .markdown import MarkdownBlock, cite, escape_text, heading
from .numbers import is_missing
from .sentences import source_keys
from .services import all_recommendations, commissioners, commissioning_table, pathways_appendix


def local_indicators_appendix(data: ChapterData) -> MarkdownBlock:
    """Appendix B: each priority area's local indicators against England (and the region), and
    how the expected deaths were worked out."""
    language = data.language
    parts = [heading(2, translate(language, "Appendix B: Local indicators and expected deaths"),
                     identifier="sec-local-indicators")]
    note = data.area.get("context_note")
    if note:
        parts.append(escape_text(note))
    if data.rows("context"):
        from .context_chart import context_chart_block

        parts += [heading(3, translate(language, "Every local indicator at a glance"),
                          identifier="sec-local-indicators-chart"),
                  context_chart_block(data)]
    for key, title in PRIORITY_TITLES.items():
        if data.rows("context", key):
            ident = key.replace("_", "-")
            parts.append(context_section(data, key, ident, title=translate(language, title, context="priority"),
                                         identifier=f"sec-{ident}-indicators"))
    parts.append(expected_deaths_block(data))
    return MarkdownBlock(expand_first_use("\n\n".join(p for p in parts if p), entries=glossary_for(data)))


def evidence_appendix(data: ChapterData) -> MarkdownBlock:
    """Appendix C: every national figure recorded for each priority area, those applied locally
    and those kept for comparison (prisons, the general population, counts and rates)."""
    language = data.language
    parts = [heading(2, translate(language, "Appendix C: National evidence"), identifier="sec-appendix"),
             translate(language, "Each priority area's national figures: the headline applied to the local caseload, "
                       "the other probation figures that give the range, and figures from other settings kept for "
                       "comparison.")]
    for key, title in PRIORITY_TITLES.items():
        rows = data.rows("evidence", key)
        if not rows:
            continue
        ident = key.replace("_", "-")
        parts.append(heading(3, translate(language, title, context="priority"), identifier=f"sec-appendix-{ident}"))
        parts.append(evidence_table(rows, title=translate(language, title, context="priority"), ident=ident,
                                    language=language))
    from .findings import group_sentences, national_gaps

    gaps = national_gaps(data)
    if gaps:
        parts += [heading(3, translate(language, "Gaps in the national evidence"), identifier="sec-appendix-gaps"),
                  translate(language, "No usable national figure exists for people on probation for these measures:"),
                  "\n".join(f"- {g}" for g in gaps)]
    groups = group_sentences(data)
    if groups:
        parts += [heading(3, translate(language, "Figures for particular groups"), identifier="sec-appendix-groups"),
                  translate(language, "National figures for women, men and age groups of people on probation, "
                            "beside the figure for everyone in the same study where there is one:"),
                  "\n".join(f"- {s}" for s in groups)]
    return MarkdownBlock("\n\n".join(parts))


def methods(data: ChapterData) -> MarkdownBlock:
    """Appendix D: how the estimates are made, which figure heads each area, the modelled caseload,
    the grades and the limitations."""
    from ..model.headline import HEADLINE_RULE
    from ..model.synthetic import SYNTHETIC_METHOD

    language = data.language
    # SYNTHETIC_METHOD, HEADLINE_RULE and the caseload model's parts are model/'s English, marked N_
    # where model/ defines them and translated here.
    parts = [heading(2, translate(language, "Appendix D: Methods and limitations"), identifier="sec-methods"),
             heading(3, translate(language, "How the local estimates are made"), identifier="sec-methods-synthetic"),
             escape_text(translate(language, SYNTHETIC_METHOD)),
             heading(3, translate(language, "Which national figure is used"), identifier="sec-methods-headline"),
             escape_text(translate(language, HEADLINE_RULE))]
    if data.area.get("caseload_kind") == "modelled":
        from ..model.caseload import CASELOAD_METHOD_PARTS

        # CASELOAD_METHOD in English: its parts (NO_FIXED_ADDRESS the middle one), each a message.
        parts += [heading(3, translate(language, "The modelled caseload"), identifier="sec-methods-caseload"),
                  escape_text(" ".join(translate(language, part) for part in CASELOAD_METHOD_PARTS))]
    parts += local_methods(data)
    parts += [heading(3, translate(language, "How strong is the evidence"), identifier="sec-methods-grades"),
              translate(language, "Each national figure carries a grade: **A** (strong), **B** (moderate), **C** "
                        "(limited) or **D** (weak), with the reason shown in the evidence tables. Grades weigh "
                        "whether the study covered the whole country or one site, whether need was assessed "
                        "clinically or self-reported, how old the data are and how many people were measured."),
              heading(3, translate(language, "Limitations"), identifier="sec-methods-limitations"),
              "- " + translate(language, "The estimates assume people on probation locally are like the people in "
                               "the national studies; local differences in age, sex, offence mix and services are "
                               "not captured.") + "\n"
              "- " + translate(language, "Several figures come from one county or from prisons, and some are more "
                               "than ten years old.") + "\n"
              "- " + translate(language, "Published estimates are rounded to the nearest 5; small counts are "
                               "suppressed. Every share, interval and test of a local count is worked out from the "
                               "rounded counts shown, so none of them gives back a number that was rounded or "
                               "hidden.")
              + _no_address_limitation(data.rows("caseload_national"), language=language)]
    return MarkdownBlock(expand_first_use("\n\n".join(parts), entries=glossary_for(data)))


#: The assumptions of the locally adjusted estimates, for Appendix D (``model.local_adjustment``).
ADJUSTMENT_ASSUMPTIONS = N_(
    "It rests on three assumptions. First, people on probation differ from the whole population in the same "
    "way in every area, on the odds scale: where the whole population's measure is twice the national rate, "
    "the need among people on probation moves by a factor of between one (no link) and two (full "
    "proportionality) on the odds. Second, the local measure (a death rate, hospital admissions, a survey "
    "share or deprivation) is a fair guide to the need itself, which is what the national studies measured "
    "and the local measure does not. Third, the national figure holds for an average area. The method is the "
    "ratio-synthetic and composite estimation of small area estimation [@RAO_MOLINA2015], as used for the "
    "local estimates of alcohol dependence made for Public Health England [@PRYCE2017] and in estimating drug"
    " problems from drug deaths [@KRAUS2003]. Where a local measure has a 95% interval, its uncertainty is "
    "included too. Local services' own records, where the analyst adds them, are the check on it.")

SIMILAR_AREAS_METHOD = N_(
    "Similar areas (statistical neighbours) are found by the nearest-neighbour method of CIPFA and of the "
    "Department for Education's children's services statistical neighbours: each area's adults (their number, "
    "and the shares aged 18 to 34 and 65 and over), deprivation on its nation's own index, adults per square "
    "kilometre and the modelled caseload per 1,000 adults are standardised within its nation, and the areas "
    "nearest on a weighted average of those differences are its neighbours (deprivation and the caseload per "
    "adult count twice). English areas are compared with English areas (10 neighbours) and Welsh with Welsh "
    "(5). Four of the Department for Education's ten published neighbours of an English area are among ours on "
    "average.")

RECOMMENDATION_METHOD = N_(
    "The recommendations come from a table of actions for the local system, each with an owner and a measure "
    "of progress. A rule table, open to review by a public health consultant, says which local finding raises, "
    "lowers or rewords which recommendation: a local indicator markedly worse than the nation's (20% or more, "
    "or significantly where it has an interval) or among the worst third of the similar areas; a locally "
    "adjusted need 10% or more above or below the national rate; the analyst's own records; one or more "
    "expected deaths a year; a caseload per adult a quarter above or a fifth below the nation's; a modelled "
    "caseload. The top three are those the area's own findings raised, at most one per priority area, each "
    "with the finding that raised it; where the findings raised recommendations in fewer than three priority "
    "areas, the strategy's standing priorities for other areas fill the places, and say so.")


def local_methods(data: ChapterData) -> list[str]:
    """Appendix D's account of what makes the chapter local: the adjusted estimates, the similar
    areas and how the recommendations were chosen."""
    from ..model.local_adjustment import LOCAL_ADJUSTMENT_METHOD

    language = data.language
    parts = []
    if any(not is_missing(r.get("adjusted_pct")) for r in data.rows("estimates")):
        # LOCAL_ADJUSTMENT_METHOD is model/'s English, marked N_ there and translated here.
        parts += [heading(3, translate(language, "The locally adjusted estimates"), identifier="sec-methods-adjusted"),
                  escape_text(translate(language, LOCAL_ADJUSTMENT_METHOD)) + " "
                  + translate(language, ADJUSTMENT_ASSUMPTIONS)]
    if data.area.get("neighbours"):
        parts += [heading(3, translate(language, "Similar areas"), identifier="sec-methods-similar"),
                  translate(language, SIMILAR_AREAS_METHOD)]
    parts += [heading(3, translate(language, "How the recommendations were chosen"),
                      identifier="sec-methods-recommendations"),
              translate(language, RECOMMENDATION_METHOD)]
    return parts


def _no_address_limitation(national: list[dict], *, language: str = "en") -> str:
    """The share of people on probation who cannot be placed in any area, from the reference data."""
    rows = [r for r in national if r["measure"] in ("no_fixed_address_share_pct_min", "no_fixed_address_share_pct_max")
            and not is_missing(r["value"])]
    if len(rows) < 2:
        return ""
    low, high = sorted(float(r["value"]) for r in rows)
    keys = sorted({k for r in rows for k in source_keys(r["source_key"])})
    return "\n- " + translate(language, "Between {low:g}% and {high:g}% of people on probation have no fixed or "
                              "recorded address {cite}, so they cannot be placed in any area and any local count is "
                              "itself uncertain.", low=low, high=high, cite=cite(keys))


DOWNLOADS = (("estimates.csv", N_("every estimate in this chapter (CSV)")),
             ("estimates.xlsx", N_("every estimate, with the evidence and local data, as an Excel workbook")),
             ("evidence.csv", N_("the national evidence used (CSV)")),
             ("observed.csv", N_("locally identified needs compared with national rates (CSV)")),
             ("context.csv", N_("local context indicators compared with the region and the nation (CSV)")),
             ("neighbours.csv", N_("the area, its similar areas and its nation on each compared measure (CSV)")),
             ("services.csv", N_("the local services figures this chapter shows (CSV)")),
             ("recommendations.csv", N_("every recommendation in this chapter's order, with the finding that raised "
                                        "it and its score (CSV)")),
             ("dictionary.csv", N_("what every column of these files means (CSV)")),
             ("manifest.json", N_("how to build this chapter again: the public data and software it was built from, "
                                  "with checksums, the analyst's own files by name, and the tool and version that "
                                  "made each format (JSON)")))


def downloads(data: ChapterData) -> MarkdownBlock:
    base = Path(data.assets).name
    folder = Path(data.assets) / "data"
    # The manifest and workbook are written with the bundle, before the notebook runs.
    # Described, not named: a file name means nothing to a reader; the link carries it.
    language = data.language
    described = [(name, translate(language, text)) for name, text in DOWNLOADS if (folder / name).exists()]
    items = [f"- [{escape_text(text[:1].upper() + text[1:])}]({base}/data/{name})" for name, text in described]
    return MarkdownBlock(heading(2, translate(language, "Appendix E: Data downloads"), identifier="sec-download")
                         + "\n\n" + translate(language, "Every number in this chapter can be downloaded:") + "\n\n"
                         + "\n".join(items))


def services_appendix(data: ChapterData) -> MarkdownBlock:
    """Appendix A: the organisations that work across all priority areas, what each does and since
    when; and every pathway and treatment requirement."""
    language = data.language
    country = nation_name(language, data.country)
    rows = commissioners(data, "all")
    parts = [heading(2, translate(language, "Appendix A: Who does what"), identifier="sec-who-does-what")]
    if rows:
        parts.append(commissioning_table(rows, caption=translate(
            language, "Who commissions or provides what across all priority areas ({country})", country=country),
            identifier="table-commissioning", language=language))
    for key, title in PRIORITY_TITLES.items():
        own = commissioners(data, key)
        if own:
            parts.append(commissioning_table(own, caption=translate(
                language, "Who commissions or provides what for {topic} ({country})",
                topic=topic(language, title), country=country),
                identifier=f"table-{key.replace('_', '-')}-commissioning", language=language))
    recommendations = all_recommendations(data)
    if recommendations:
        parts += [heading(3, translate(language, "All recommendations"), identifier="sec-all-recommendations"),
                  recommendations]
    pathways = pathways_appendix(data)
    if pathways:
        parts += [heading(3, translate(language, "Treatment requirements and pathways"), identifier="sec-pathways"),
                  pathways]
    return MarkdownBlock(expand_first_use("\n\n".join(parts), entries=glossary_for(data)))


def policy_checked(data: ChapterData) -> str:
    """The date this nation's national policy statements were last checked, in words ("" for none)."""
    from ..model.policy import last_checked, statements_for

    if data.policy is None:
        return ""
    day = last_checked(statements_for(data.policy, data.country))
    return long_date(data.language, day) if day else ""


def policy_section(data: ChapterData) -> MarkdownBlock:
    """Appendix F: the national policy that has moved since the 2019 strategy, statement by statement
    with its sources, for this nation, and the date it was last checked (``model.policy``)."""
    from ..model.policy import statements_for

    policy = statements_for(data.policy, data.country) if data.policy is not None else None
    if policy is None or policy.empty:
        return MarkdownBlock("")
    language = data.language
    checked = policy_checked(data)
    parts = [heading(2, translate(language, "Appendix F: National policy since 2019"), identifier="sec-policy"),
             translate(language, "The probation strategy this chapter follows ran from 2019 to 2022, and national "
                       "policy has moved since. What follows applies {in_country}; it was last checked against its "
                       "sources on {checked}.",
                       in_country=escape_text(in_place(language, nation_name(language, data.country))),
                       checked=checked)]
    for subject, rows in policy.groupby("topic", sort=False):
        parts.append(f"**{escape_text(str(subject))}.** " + " ".join(
            f"{escape_text(str(r.statement))} {cite(source_keys(r.source_keys))}" for r in rows.itertuples()))
    return MarkdownBlock(expand_first_use("\n\n".join(parts), entries=glossary_for(data)))


def glossary_section(data: ChapterData) -> MarkdownBlock:
    """Appendix G: the terms a chapter for this nation uses, in the chapter's language."""
    entries = glossary_for(data)
    return MarkdownBlock(heading(2, translate(data.language, "Appendix G: Glossary"), identifier="sec-glossary")
                         + "\n\n" + glossary(data.country, language=data.language, entries=entries))
