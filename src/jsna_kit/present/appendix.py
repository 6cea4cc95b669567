"""The appendices, for analysts: the full national evidence for each priority area, the methods,
the data downloads and the glossary. The main chapter before them is what a board reads."""

from __future__ import annotations

from pathlib import Path

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .deaths import expected_deaths_block
from .evidence import evidence_table
from .glossary import expand_first_use, glossary
from .local import context_section
from .markdown import MarkdownBlock, cite, escape_text, heading
from .numbers import is_missing
from .sentences import source_keys
from .services import all_recommendations, commissioners, commissioning_table, pathways_appendix


def local_indicators_appendix(data: ChapterData) -> MarkdownBlock:
    """Appendix B: each priority area's local indicators against England (and the region), and
    how the expected deaths were worked out."""
    parts = [heading(2, "Appendix B: Local indicators and expected deaths", identifier="sec-local-indicators")]
    note = data.area.get("context_note")
    if note:
        parts.append(escape_text(note))
    if data.rows("context"):
        from .context_chart import context_chart_block

        parts += [heading(3, "Every local indicator at a glance", identifier="sec-local-indicators-chart"),
                  context_chart_block(data)]
    for key, title in PRIORITY_TITLES.items():
        if data.rows("context", key):
            ident = key.replace("_", "-")
            parts.append(context_section(data, key, ident, title=title,
                                         identifier=f"sec-{ident}-indicators"))
    parts.append(expected_deaths_block(data))
    return MarkdownBlock(expand_first_use("\n\n".join(p for p in parts if p)))


def evidence_appendix(data: ChapterData) -> MarkdownBlock:
    """Appendix C: every national figure recorded for each priority area, those applied locally
    and those kept for comparison (prisons, the general population, counts and rates)."""
    parts = [heading(2, "Appendix C: National evidence", identifier="sec-appendix"),
             "Each priority area's national figures: the headline applied to the local caseload, the other "
             "probation figures that give the range, and figures from other settings kept for comparison."]
    for key, title in PRIORITY_TITLES.items():
        rows = data.rows("evidence", key)
        if not rows:
            continue
        ident = key.replace("_", "-")
        parts.append(heading(3, title, identifier=f"sec-appendix-{ident}"))
        parts.append(evidence_table(rows, title=title, ident=ident))
    from .findings import group_sentences, national_gaps

    gaps = national_gaps(data)
    if gaps:
        parts += [heading(3, "Gaps in the national evidence", identifier="sec-appendix-gaps"),
                  "No usable national figure exists for people on probation for these measures:",
                  "\n".join(f"- {g}" for g in gaps)]
    groups = group_sentences(data)
    if groups:
        parts += [heading(3, "Figures for particular groups", identifier="sec-appendix-groups"),
                  "National figures for women, men and age groups of people on probation, beside the figure for "
                  "everyone in the same study where there is one:", "\n".join(f"- {s}" for s in groups)]
    return MarkdownBlock("\n\n".join(parts))


def methods(data: ChapterData) -> MarkdownBlock:
    """Appendix D: how the estimates are made, which figure heads each area, the modelled caseload,
    the grades and the limitations."""
    from ..model.headline import HEADLINE_RULE
    from ..model.synthetic import SYNTHETIC_METHOD

    parts = [heading(2, "Appendix D: Methods and limitations", identifier="sec-methods"),
             heading(3, "How the local estimates are made", identifier="sec-methods-synthetic"),
             escape_text(SYNTHETIC_METHOD),
             heading(3, "Which national figure is used", identifier="sec-methods-headline"),
             escape_text(HEADLINE_RULE)]
    if data.area.get("caseload_kind") == "modelled":
        from ..model.caseload import CASELOAD_METHOD

        parts += [heading(3, "The modelled caseload", identifier="sec-methods-caseload"),
                  escape_text(CASELOAD_METHOD)]
    parts += local_methods(data)
    parts += [heading(3, "How strong is the evidence", identifier="sec-methods-grades"),
              "Each national figure carries a grade: **A** (strong), **B** (moderate), **C** (limited) or "
              "**D** (weak), with the reason shown in the evidence tables. Grades weigh whether the study "
              "covered the whole country or one site, whether need was assessed clinically or self-reported, "
              "how old the data are and how many people were measured.",
              heading(3, "Limitations", identifier="sec-methods-limitations"),
              "- The estimates assume people on probation locally are like the people in the national "
              "studies; local differences in age, sex, offence mix and services are not captured.\n"
              "- Several figures come from one county or from prisons, and some are more than ten years old.\n"
              "- Published estimates are rounded to the nearest 5; small counts are suppressed. Every share, "
              "interval and test of a local count is worked out from the rounded counts shown, so none of "
              "them gives back a number that was rounded or hidden."
              + _no_address_limitation(data.rows("caseload_national"))]
    return MarkdownBlock(expand_first_use("\n\n".join(parts)))


#: The assumptions of the locally adjusted estimates, for Appendix D (``model.local_adjustment``).
ADJUSTMENT_ASSUMPTIONS = (
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

SIMILAR_AREAS_METHOD = (
    "Similar areas (statistical neighbours) are found by the nearest-neighbour method of CIPFA and of the "
    "Department for Education's children's services statistical neighbours: each area's adults (their number, "
    "and the shares aged 18 to 34 and 65 and over), deprivation on its nation's own index, adults per square "
    "kilometre and the modelled caseload per 1,000 adults are standardised within its nation, and the areas "
    "nearest on a weighted average of those differences are its neighbours (deprivation and the caseload per "
    "adult count twice). English areas are compared with English areas (10 neighbours) and Welsh with Welsh "
    "(5). Four of the Department for Education's ten published neighbours of an English area are among ours on "
    "average.")

RECOMMENDATION_METHOD = (
    "The recommendations come from a table of actions for the local system, each with an owner and a measure "
    "of progress. A rule table, open to review by a public health consultant, says which local finding raises, "
    "lowers or rewords which recommendation: a local indicator markedly worse than the nation's (20% or more, "
    "or significantly where it has an interval) or among the worst third of the similar areas; a locally "
    "adjusted need 10% or more above or below the national rate; the analyst's own records; one or more "
    "expected deaths a year; a caseload per adult a quarter above or a fifth below the nation's; a modelled "
    "caseload. The top three are those the area's own findings raised, at most one per priority area, each "
    "with the finding that raised it; where fewer than three were raised, the strategy's standing priorities "
    "fill the places, and say so.")


def local_methods(data: ChapterData) -> list[str]:
    """Appendix D's account of what makes the chapter local: the adjusted estimates, the similar
    areas and how the recommendations were chosen."""
    from ..model.local_adjustment import LOCAL_ADJUSTMENT_METHOD

    parts = []
    if any(not is_missing(r.get("adjusted_pct")) for r in data.rows("estimates")):
        parts += [heading(3, "The locally adjusted estimates", identifier="sec-methods-adjusted"),
                  escape_text(LOCAL_ADJUSTMENT_METHOD) + " " + ADJUSTMENT_ASSUMPTIONS]
    if data.area.get("neighbours"):
        parts += [heading(3, "Similar areas", identifier="sec-methods-similar"), SIMILAR_AREAS_METHOD]
    parts += [heading(3, "How the recommendations were chosen", identifier="sec-methods-recommendations"),
              RECOMMENDATION_METHOD]
    return parts


def _no_address_limitation(national: list[dict]) -> str:
    """The share of people on probation who cannot be placed in any area, from the reference data."""
    rows = [r for r in national if r["measure"] in ("no_fixed_address_share_pct_min", "no_fixed_address_share_pct_max")
            and not is_missing(r["value"])]
    if len(rows) < 2:
        return ""
    low, high = sorted(float(r["value"]) for r in rows)
    keys = sorted({k for r in rows for k in source_keys(r["source_key"])})
    return (f"\n- Between {low:g}% and {high:g}% of people on probation have no fixed or recorded address "
            f"{cite(keys)}, so they cannot be placed in any area and any local count is itself uncertain.")


DOWNLOADS = (("estimates.csv", "every estimate in this chapter (CSV)"),
             ("estimates.xlsx", "every estimate, with the evidence and local data, as an Excel workbook"),
             ("evidence.csv", "the national evidence used (CSV)"),
             ("observed.csv", "locally identified needs compared with national rates (CSV)"),
             ("context.csv", "local context indicators compared with the region and the nation (CSV)"),
             ("neighbours.csv", "the area, its similar areas and its nation on each compared measure (CSV)"),
             ("services.csv", "the local services figures this chapter shows (CSV)"),
             ("recommendations.csv", "every recommendation in this chapter's order, with the finding that raised it "
                                     "and its score (CSV)"),
             ("dictionary.csv", "what every column of these files means (CSV)"),
             ("manifest.json", "how to build this chapter again: the public data and software it was built from, "
                               "with checksums, the analyst's own files by name, and the tool and version that "
                               "made each format (JSON)"))


def downloads(data: ChapterData) -> MarkdownBlock:
    base = Path(data.assets).name
    folder = Path(data.assets) / "data"
    # The manifest and workbook are written with the bundle, before the notebook runs.
    # Described, not named: a file name means nothing to a reader; the link carries it.
    items = [f"- [{escape_text(text[:1].upper() + text[1:])}]({base}/data/{name})" for name, text in DOWNLOADS
             if (folder / name).exists()]
    return MarkdownBlock(heading(2, "Appendix E: Data downloads", identifier="sec-download") + "\n\n"
                         + "Every number in this chapter can be downloaded:\n\n" + "\n".join(items))


def services_appendix(data: ChapterData) -> MarkdownBlock:
    """Appendix A: the organisations that work across all priority areas, what each does and since
    when; and every pathway and treatment requirement."""
    rows = commissioners(data, "all")
    parts = [heading(2, "Appendix A: Who does what", identifier="sec-who-does-what")]
    if rows:
        parts.append(commissioning_table(rows, caption=f"Who commissions or provides what across all priority "
                                         f"areas ({data.country})", identifier="table-commissioning"))
    for key, title in PRIORITY_TITLES.items():
        own = commissioners(data, key)
        if own:
            parts.append(commissioning_table(own, caption=f"Who commissions or provides what for {title.lower()} "
                                             f"({data.country})",
                                             identifier=f"table-{key.replace('_', '-')}-commissioning"))
    recommendations = all_recommendations(data)
    if recommendations:
        parts += [heading(3, "All recommendations", identifier="sec-all-recommendations"), recommendations]
    pathways = pathways_appendix(data)
    if pathways:
        parts += [heading(3, "Treatment requirements and pathways", identifier="sec-pathways"), pathways]
    return MarkdownBlock(expand_first_use("\n\n".join(parts)))


def policy_checked(data: ChapterData) -> str:
    """The date this nation's national policy statements were last checked, in words ("" for none)."""
    from ..model.policy import last_checked, statements_for

    if data.policy is None:
        return ""
    day = last_checked(statements_for(data.policy, data.country))
    return day.strftime("%-d %B %Y") if day else ""


def policy_section(data: ChapterData) -> MarkdownBlock:
    """Appendix F: the national policy that has moved since the 2019 strategy, statement by statement
    with its sources, for this nation, and the date it was last checked (``model.policy``)."""
    from ..model.policy import statements_for

    policy = statements_for(data.policy, data.country) if data.policy is not None else None
    if policy is None or policy.empty:
        return MarkdownBlock("")
    checked = policy_checked(data)
    parts = [heading(2, "Appendix F: National policy since 2019", identifier="sec-policy"),
             f"The probation strategy this chapter follows ran from 2019 to 2022, and national policy has moved "
             f"since. What follows applies in {escape_text(data.country)}; it was last checked against its "
             f"sources on {checked}."]
    for topic, rows in policy.groupby("topic", sort=False):
        parts.append(f"**{escape_text(str(topic))}.** " + " ".join(
            f"{escape_text(str(r.statement))} {cite(source_keys(r.source_keys))}" for r in rows.itertuples()))
    return MarkdownBlock(expand_first_use("\n\n".join(parts)))


def glossary_section(data: ChapterData) -> MarkdownBlock:
    """Appendix G: the terms a chapter for this nation uses."""
    return MarkdownBlock(heading(2, "Appendix G: Glossary", identifier="sec-glossary") + "\n\n"
                         + glossary(data.country))
