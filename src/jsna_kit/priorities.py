"""The seven priority areas of the National Probation Service Health and Social Care Strategy
2019-22, in the strategy's order. Every table in the project keys priority areas by ``key``."""

from __future__ import annotations

from dataclasses import dataclass

from jsna_kit.messages import N_


@dataclass(frozen=True)
class PriorityArea:
    key: str
    title: str
    number: int


PRIORITY_AREAS: tuple[PriorityArea, ...] = (
    PriorityArea("mental_health", "Mental health and wellbeing", 1),
    PriorityArea("substance_misuse", "Substance misuse", 2),
    PriorityArea("suicide_prevention", "Suicide prevention", 3),
    PriorityArea("social_care", "Social care", 4),
    PriorityArea("physical_health", "Physical health", 5),
    PriorityArea("learning_disability_autism", "Learning disabilities and challenges and autism", 6),
    PriorityArea("opd_pathway", "The Offender Personality Disorder pathway", 7),
)

PRIORITY_KEYS: tuple[str, ...] = tuple(p.key for p in PRIORITY_AREAS)
PRIORITY_TITLES: dict[str, str] = {p.key: p.title for p in PRIORITY_AREAS}
#: Each priority area's need in a few words, for sentences that rank needs and for the reasons a
#: finding gives a recommendation (translated where they are printed).
NEED_WORDS = {"mental_health": N_("mental illness"), "substance_misuse": N_("drug or alcohol problems"),
              "suicide_prevention": N_("a past suicide attempt"), "social_care": N_("care and support needs"),
              "physical_health": N_("physical health needs"),
              "learning_disability_autism": N_("learning disabilities or challenges"),
              "opd_pathway": N_("personality disorder")}


def priority_area(key: str) -> PriorityArea:
    for p in PRIORITY_AREAS:
        if p.key == key:
            return p
    raise KeyError(f"unknown priority area {key!r}; expected one of {', '.join(PRIORITY_KEYS)}")
