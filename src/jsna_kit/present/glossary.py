"""Words a board member may not know: each acronym is spelled out at its first use in a section
(``expand_first_use``), and the glossary lists every term the chapter uses (``glossary``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .lang import translate
from .markdown import table

#: term -> (spelled out, what it means). Spelled out is empty for words that are not acronyms.
GLOSSARY: dict[str, tuple[str, str]] = {
    "Approved Premises": ("", "Residential units for people on licence or bail who need close supervision, run or "
                              "commissioned by the Probation Service."),
    "APMS": ("Adult Psychiatric Morbidity Survey", "England's national survey of mental health among adults living "
                                                   "in private households."),
    "ATR": ("alcohol treatment requirement", "A requirement a court can add to a community sentence for treatment "
                                             "of alcohol dependence."),
    "95% CI": ("", "95% confidence interval: the range within which the true figure probably lies, given the "
                   "size of the study (see 'How to read the figures')."),
    "95% uncertainty range": ("", "The range within which the figure probably lies once every known source of "
                                  "doubt is allowed for: the study's size, the modelled number of people on "
                                  "probation and, for a locally adjusted figure, how strongly the local measure is "
                                  "assumed to bear on it (see 'How to read the figures')."),
    "plausible range": ("", "For a modelled number of people on probation: the range that holds the figure of "
                            "every way of modelling it the chapter compares, not a statistical interval."),
    "criminogenic": ("", "Linked to offending: a criminogenic need is one that, if met, makes reoffending less "
                         "likely."),
    "CSTR": ("community sentence treatment requirement", "The programme and protocol that help courts use "
                                                         "mental health, alcohol and drug treatment requirements."),
    "DRR": ("drug rehabilitation requirement", "A requirement a court can add to a community sentence for drug "
                                               "treatment and testing."),
    "HMPPS": ("HM Prison and Probation Service", "The agency that runs prisons and the Probation Service in "
                                                 "England and Wales."),
    "ICB": ("integrated care board", "The NHS body that plans and pays for NHS services for everyone living in its "
                                     "area in England."),
    "JSNA": ("Joint Strategic Needs Assessment", "England's assessment of the health and care needs of a local "
                                                 "population, owned by the health and wellbeing board."),
    "L&D": ("liaison and diversion", "NHS services in police custody and courts that identify people with health "
                                     "needs and give the court information for sentencing."),
    "layer 3": ("", "The full OASys assessment, covering all the needs linked to offending."),
    "MAPPA": ("multi-agency public protection arrangements", "How police, prisons and probation jointly manage "
                                                             "the risk from sexual and violent offenders."),
    "MHTR": ("mental health treatment requirement", "A requirement a court can add to a community sentence, with "
                                                    "the person's agreement, for mental health treatment."),
    "MINI": ("Mini International Neuropsychiatric Interview", "A short structured clinical interview used to "
                                                              "identify mental disorders."),
    "OASys": ("Offender Assessment System", "The assessment probation practitioners use to record risks and the "
                                            "needs linked to offending."),
    "OHID": ("Office for Health Improvement and Disparities", "The part of the Department of Health and Social "
                                                              "Care that leads on public health in England."),
    "OPD": ("Offender Personality Disorder", "The pathway, jointly commissioned by NHS England and HMPPS, for people "
                                             "likely to have a personality disorder who pose a high risk of harm."),
    "PDU": ("probation delivery unit", "The local team of the Probation Service, usually covering one or two "
                                       "local authorities."),
    "PHOF": ("Public Health Outcomes Framework", "England's set of indicators of public health, published on "
                                                 "Fingertips."),
    "PIPE": ("psychologically informed planned environment", "A unit in a prison or Approved Premises where staff "
                                                             "are trained to support people on the OPD pathway."),
    "RECONNECT": ("", "NHS England's care-after-custody service linking people leaving prison with community "
                      "health services."),
    "ADHD": ("attention deficit hyperactivity disorder", "A condition affecting attention, activity and impulse "
                                                          "control."),
    "area planning board": ("", "In Wales, the partnership that plans and commissions substance misuse services in "
                                "its area."),
    "DHSC": ("Department of Health and Social Care", "The UK government department for health and adult social "
                                                     "care in England."),
    "Fingertips": ("", "OHID's website of public health indicators for areas of England."),
    "local health board": ("", "In Wales, the NHS body that plans and provides health services for its area, "
                               "including for people on probation and in prison."),
    "MoJ": ("Ministry of Justice", "The UK government department responsible for courts, prisons and probation."),
    "NPS": ("National Probation Service", "The public probation service from 2014 to 2021, now part of the "
                                          "Probation Service."),
    "OMCCS": ("Offender Management Community Cohort Study", "A national study of adults starting community orders "
                                                            "in 2009 and 2010."),
    "population needs assessment": ("", "In Wales, the assessment of care and support needs each regional "
                                        "partnership board publishes under the Social Services and Well-being "
                                        "(Wales) Act 2014."),
    "PTSD": ("post-traumatic stress disorder", "A condition that can follow a frightening or distressing event."),
    "regional partnership board": ("", "In Wales, the board that brings local authorities, the local health board "
                                       "and partners together to plan care and support."),
    "upper-tier": ("", "Counties and unitary authorities: the councils responsible for public health and social "
                       "care."),
    "WIMD": ("Welsh Index of Multiple Deprivation", "The Welsh Government's measure of deprivation in small areas."),
    "UKHSA": ("UK Health Security Agency", "The agency responsible for protecting the public from infectious "
                                           "diseases and other health threats."),
    "ViSOR": ("Violent and Sex Offender Register", "The national database used under MAPPA to share information "
                                                   "about people who pose a risk of serious harm."),
}

#: Terms of England's system, which a chapter for a Welsh area never uses.
ENGLAND_ONLY = frozenset({"ICB", "JSNA", "OHID", "PHOF", "UKHSA", "Fingertips", "CSTR", "RECONNECT", "DHSC",
                          "upper-tier"})
#: Terms of the Welsh system, which a chapter for an English area never uses.
WALES_ONLY = frozenset({"area planning board", "local health board", "population needs assessment",
                        "regional partnership board", "WIMD"})

_PROTECTED = re.compile(r"\[@[^\]]*\]|\{[^}]*\}|\]\([^)]*\)|`[^`]*`|<[^>]+>")


def _term_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w&-]){re.escape(term)}(?![\w&-])")


#: Each term to spell out, with its pattern, compiled once.
_SPELLED = tuple((term, spelled, _term_pattern(term)) for term, (spelled, _) in GLOSSARY.items() if spelled)

def glossary_entries(language: str = "en") -> dict[str, tuple[str, str, str]]:
    """The glossary in ``language``: English term -> (term as printed, spelled out, meaning).
    English is ``GLOSSARY``; Welsh is the catalogue's (``locale/cy/glossary_terms.po``, context
    "glossary"), and a term without its Welsh fails (``MissingTranslation``), as any text does."""
    entries = {term: (term, spelled, meaning) for term, (spelled, meaning) in GLOSSARY.items()}
    if language == "en":
        return entries

    def said(text: str) -> str:
        return translate(language, text, context="glossary") if text else ""

    return {term: (said(term), said(spelled), said(meaning)) for term, (_, spelled, meaning) in entries.items()}


def glossary_for(data) -> dict[str, tuple[str, str, str]] | None:
    """A chapter's glossary in its language (None for English: ``GLOSSARY`` itself)."""
    language = getattr(data, "language", "en")
    return None if language == "en" else glossary_entries(language)


def _spelled(entries: Mapping[str, tuple[str, str, str]] | None) -> tuple:
    if entries is None:
        return _SPELLED
    return tuple((printed, spelled, _term_pattern(printed)) for printed, spelled, _ in entries.values() if spelled)


def expand_first_use(markdown: str, *, entries: Mapping[str, tuple[str, str, str]] | None = None) -> str:
    """Spell out each acronym at its first use in ``markdown`` (one section): ``ICB`` becomes
    ``ICB (integrated care board)`` unless it is already followed by a bracket. Headings, tables,
    figures, citations, links and attributes are left as they are. ``entries``: the glossary in
    the section's language (``glossary_entries``); English by default."""
    done: set[str] = set()
    spelled_terms = _spelled(entries)
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(("#", "|", "![", ":::", ": ")) or not line.strip():
            continue
        protected: list[tuple[int, int]] | None = None  # worked out once a term is found on the line
        for term, spelled, pattern in spelled_terms:
            if term in done or term not in line:
                continue
            if protected is None:
                protected = [m.span() for m in _PROTECTED.finditer(line)]
            for match in pattern.finditer(line):
                if any(a <= match.start() < b for a, b in protected):
                    continue
                done.add(term)
                after = line[match.end():match.end() + 2]
                bracketed = line[match.start() - 1:match.start()] == "(" and after[:1] == ")"
                # inside brackets already (a name's abbreviation, or an aside): spelling it out there
                # would nest brackets; the glossary has it
                nested = line[:match.start()].count("(") > line[:match.start()].count(")")
                if (not bracketed and not nested and not after.startswith(" (")
                        and spelled.lower() not in line[:match.start()].lower()):
                    line = f"{line[:match.end()]} ({spelled}){line[match.end():]}"
                    protected = None  # the line has changed: its spans are found again
                break
        lines[i] = line
    return "\n".join(lines)


def glossary(country: str, *, language: str = "en",
             entries: Mapping[str, tuple[str, str, str]] | None = None) -> str:
    """The glossary table: every term a chapter for an area in ``country`` may use, in ``language``
    (its terms from ``entries``, ``glossary_entries(language)``; English by default)."""
    entries = entries if entries is not None else glossary_entries(language)
    other = ENGLAND_ONLY if country == "Wales" else WALES_ONLY
    shown = sorted((entries[t] for t in entries if t not in other), key=lambda e: e[0].casefold())
    return table({translate(language, "Term"): [printed + (f" ({spelled})" if spelled else "")
                                                for printed, spelled, _ in shown],
                  translate(language, "Meaning"): [meaning for _, _, meaning in shown]},
                 caption=translate(language, "Terms used in this chapter"), identifier="table-glossary",
                 align=["left", "left"], widths=[30, 70])
