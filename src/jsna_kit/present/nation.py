"""The words of each nation's system. England assesses local need through the Joint Strategic
Needs Assessment of its health and wellbeing boards, with integrated care boards commissioning
the NHS; Wales through the population needs assessment of the Social Services and Well-being
(Wales) Act 2014 and regional partnership boards, with local health boards. A chapter for a
Welsh area never names the English bodies, and an English chapter never the Welsh ones."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .lang import N_, translate


@dataclass(frozen=True)
class System:
    """A nation's system in words. Its phrases are English (marked ``N_``); ``system_for`` with a
    ``language`` gives them translated. ``nation`` is a key ("England", "Wales"), never translated."""

    nation: str
    assessment: str        # the assessment this chapter is part of
    assessment_short: str
    board: str             # who owns the assessment
    nhs: str               # who commissions NHS services
    public_health: str
    substance_misuse: str  # who plans substance misuse services
    probation: str
    title: str


ENGLAND = System(
    nation="England",
    assessment=N_("Joint Strategic Needs Assessment (JSNA)"),
    assessment_short=N_("JSNA"),
    board=N_("the health and wellbeing board"),
    nhs=N_("the integrated care board (ICB)"),
    public_health=N_("the local authority's public health team"),
    substance_misuse=N_("the local authority's public health team, which commissions drug and alcohol services"),
    probation=N_("the Probation Service's local probation delivery unit"),
    title=N_("Joint Strategic Needs Assessment: health needs of people in contact with probation"),
)

WALES = System(
    nation="Wales",
    assessment=N_("population needs assessment (Social Services and Well-being (Wales) Act 2014)"),
    assessment_short=N_("population needs assessment"),
    board=N_("the regional partnership board"),
    nhs=N_("the local health board"),
    public_health=N_("Public Health Wales and the local authority"),
    substance_misuse=N_("the area planning board for substance misuse"),
    probation=N_("HM Prison and Probation Service in Wales and its local probation delivery unit"),
    title=N_("Population needs assessment: health needs of people in contact with probation"),
)


def system_for(country: str | None, area_code: str = "", *, language: str = "en") -> System:
    """Wales for a Welsh area (country, or a W code), England otherwise; its words in ``language``
    (a Welsh chapter names Welsh bodies by their official Welsh names)."""
    system = WALES if (country or "").strip().lower() == "wales" or str(area_code).startswith("W") else ENGLAND
    return system if language == "en" else system_in(system, language)


def system_in(system: System, language: str) -> System:
    """``system`` with its phrases (all but the ``nation`` key) in ``language``."""
    if language == "en":
        return system
    phrases = {name: translate(language, value) for name, value in vars(system).items() if name != "nation"}
    return replace(system, **phrases)


#: The nations' names, for sentences that name a nation (reference data names it in English).
NATION_NAMES = {"England": N_("England"), "Wales": N_("Wales")}


def nation_name(language: str, name: object) -> str:
    """A nation's name in ``language`` ("Wales" -> "Cymru"); any other name as it is."""
    text = str(name)
    return translate(language, NATION_NAMES[text]) if text in NATION_NAMES else text


def applies_in(row_nation: object, country: str) -> bool:
    """Whether a reference row for ``row_nation`` (England, Wales, England and Wales, or blank for
    both) applies in ``country``."""
    nation = "england and wales" if row_nation is None or (isinstance(row_nation, float)) \
        else str(row_nation).strip().lower() or "england and wales"
    return nation == "england and wales" or nation == country.strip().lower()


#: Said once, in "About this chapter": translated where it is used.
STRATEGY_NOTE = N_(
    "The National Probation Service Health and Social Care Strategy 2019-22 has ended, and no national "
    "successor has been published. Its seven priority areas remain a sound frame for assessing the health "
    "needs of people on probation, and this chapter keeps them."
)
