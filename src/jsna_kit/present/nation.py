"""The words of each nation's system. England assesses local need through the Joint Strategic
Needs Assessment of its health and wellbeing boards, with integrated care boards commissioning
the NHS; Wales through the population needs assessment of the Social Services and Well-being
(Wales) Act 2014 and regional partnership boards, with local health boards. A chapter for a
Welsh area never names the English bodies, and an English chapter never the Welsh ones."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class System:
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
    assessment="Joint Strategic Needs Assessment (JSNA)",
    assessment_short="JSNA",
    board="the health and wellbeing board",
    nhs="the integrated care board (ICB)",
    public_health="the local authority's public health team",
    substance_misuse="the local authority's public health team, which commissions drug and alcohol services",
    probation="the Probation Service's local probation delivery unit",
    title="Joint Strategic Needs Assessment: health needs of people in contact with probation",
)

WALES = System(
    nation="Wales",
    assessment="population needs assessment (Social Services and Well-being (Wales) Act 2014)",
    assessment_short="population needs assessment",
    board="the regional partnership board",
    nhs="the local health board",
    public_health="Public Health Wales and the local authority",
    substance_misuse="the area planning board for substance misuse",
    probation="HM Prison and Probation Service in Wales and its local probation delivery unit",
    title="Population needs assessment: health needs of people in contact with probation",
)


def system_for(country: str | None, area_code: str = "") -> System:
    """Wales for a Welsh area (country, or a W code), England otherwise."""
    if (country or "").strip().lower() == "wales" or str(area_code).startswith("W"):
        return WALES
    return ENGLAND


def applies_in(row_nation: object, country: str) -> bool:
    """Whether a reference row for ``row_nation`` (England, Wales, England and Wales, or blank for
    both) applies in ``country``."""
    nation = "england and wales" if row_nation is None or (isinstance(row_nation, float)) \
        else str(row_nation).strip().lower() or "england and wales"
    return nation == "england and wales" or nation == country.strip().lower()


STRATEGY_NOTE = (
    "The National Probation Service Health and Social Care Strategy 2019-22 has ended, and no national "
    "successor has been published. Its seven priority areas remain a sound frame for assessing the health "
    "needs of people on probation, and this chapter keeps them."
)
