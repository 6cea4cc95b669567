"""The Welsh text of the local slice (issue 27): the area's own bodies by their Welsh names, the
expected deaths, who commissions what and the local services, and the local context and records.
Each Welsh output is checked for English function words left outside names, citations, anchors and
reference text, for the Welsh spelling check, and for its figures; the English output is the
modules' existing tests' (and the checks here on the same data)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from jsna_kit.present import bodies as B
from jsna_kit.present import deaths as D
from jsna_kit.present import local as L
from jsna_kit.present import services as S
from jsna_kit.priorities import PRIORITY_TITLES
from jsna_kit.publish.spelling import unknown_welsh_words

GWYNEDD, CARDIFF = "W06000002", "W06000015"
ENGLISH_WORDS = {"the", "and", "of", "to", "for", "with", "that", "this", "people"}
#: Link targets, anchors, citations and Markdown table rules: not words a reader reads.
_NOT_TEXT = re.compile(r"\]\([^)]*\)|\{#[^}]*\}|\[@[^\]]*\]|#[\w-]+|\|:?-+:?|\{[^{}]*\}")


def english_left(text: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """English function words in ``text`` once the given names (and reference text) are taken out."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _NOT_TEXT.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH_WORDS]


def welsh(chapter_data, code: str = GWYNEDD, **changes):
    return dataclasses.replace(chapter_data(code), language="cy", **changes)


def body_words(data) -> set[str]:
    """The words of the area's bodies' names, and of its name: names the spelling check is given."""
    names = [data.area_name] + [B.body_name(role, b, language="cy") for role, found in
                                ((data.area.get("bodies") or {}).get("roles") or {}).items() for b in found]
    return {w for n in names for w in re.findall(r"[^\W\d_]+", n)}


def body_names(data) -> tuple[str, ...]:
    return tuple(B.body_name(role, b, language="cy") for role, found in
                 ((data.area.get("bodies") or {}).get("roles") or {}).items() for b in found) + (data.area_name,)


# --- bodies ---------------------------------------------------------------------------------

def test_the_welsh_system_table_names_bodies_by_their_welsh_names(chapter_data):
    data = welsh(chapter_data)
    text = B.system_table(data)
    assert "Bwrdd Iechyd Prifysgol Betsi Cadwaladr" in text and "Iechyd Cyhoeddus Cymru" in text
    assert "Betsi Cadwaladr University Health Board" not in text and "Public Health Wales" not in text
    # the Welsh names the translators wrote for bodies no lookup names in Welsh (local_system_welsh.csv)
    assert "Bwrdd Partneriaeth Rhanbarthol Gogledd Cymru" in text and "North Wales Regional" not in text
    assert "Bwrdd iechyd lleol" in text and "| Rôl" in text and "System leol Gwynedd" in text
    assert re.search(r"Rhagfyr 2022", text)  # the month its lookup holds, in Welsh
    assert english_left(text, names=body_names(data)) == []
    assert unknown_welsh_words(text, also=body_words(data)) == []
    english = B.system_table(chapter_data(GWYNEDD))
    assert "Betsi Cadwaladr University Health Board" in english and "The local system for Gwynedd" in english
    assert "December 2022" in english


def test_welsh_owners_and_councils(chapter_data):
    data = welsh(chapter_data, CARDIFF)
    assert B.owner_name(data, "Local health boards (Wales)") == "Bwrdd Iechyd Prifysgol Caerdydd a'r Fro"
    assert B.owner_name(data, "local authorities (social services)") == "Cyngor Cardiff (gwasanaethau cymdeithasol)"
    assert B.owner_name(chapter_data(CARDIFF), "local authorities (social services)") == \
        "Cardiff Council (social services)"
    assert B.as_at_words(data) == "1 Mehefin 2025" and B.as_at_words(chapter_data(CARDIFF)) == "1 June 2025"


def test_shared_bodies_are_listed_with_a_and_ac(chapter_data):
    data = welsh(chapter_data)
    shared = dataclasses.replace(data, area={**data.area, "bodies": {"as_at": "2026-04-01", "roles": {
        "local_health_board": [{"name": "A Board", "name_cy": "Bwrdd Un", "share_pct": 57.0},
                               {"name": "B Board", "name_cy": "Bwrdd Dau", "share_pct": 23.0},
                               {"name": "C Board", "name_cy": "Iechyd Tri", "share_pct": 20.0}]}}})
    assert B.body_names(shared, "local_health_board") == \
        "Bwrdd Un (57% o'r ardal), Bwrdd Dau (23%) ac Iechyd Tri (20%)"
    assert B.as_at_words(shared) == "1 Ebrill 2026"
    assert B.listed_in("cy", ["hunanladdiad", "trais"]) == "hunanladdiad a thrais"
    assert B.listed_in("en", ["suicide", "violence"]) == "suicide and violence"


# --- deaths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("expected, per_1000, caseload, cause, words", [
    (3.94, 1.0, 3940, "drug_related", "tua 3.9 o farwolaethau sy'n gysylltiedig â chyffuriau y flwyddyn"),
    (12.4, 3.52, 3520, "suicide", "tua 12 o hunanladdiadau y flwyddyn"),
    (0.7, 1.0, 700, "suicide", "llai nag un hunanladdiad y flwyddyn (tua 7 mewn 10 mlynedd)"),
    (0.1, 0.51, 200, "drug_related",
     "llai nag un farwolaeth sy'n gysylltiedig â chyffuriau y flwyddyn (tua un bob 10 o flynyddoedd)"),
    (0.0, 0.01, 200, "suicide", "llai nag un hunanladdiad y flwyddyn (llai nag un bob canrif)"),
    (None, None, None, "suicide", "nifer anhysbys o hunanladdiadau y flwyddyn"),
])
def test_expected_deaths_in_welsh_words(expected, per_1000, caseload, cause, words):
    row = {"cause": cause, "cause_words": "suicides", "expected": expected, "expected_per_1000": per_1000,
           "caseload": caseload}
    assert D.deaths_words(row, language="cy") == words
    assert unknown_welsh_words(words) == []


def test_the_welsh_expected_deaths_block(chapter_data):
    data = welsh(chapter_data)
    rows = data.area.get("expected_deaths") or []
    assert rows, "Gwynedd's bundle should have expected deaths"
    text = D.expected_deaths_block(data)
    assert text.startswith("### Marwolaethau disgwyliedig ymhlith pobl ar brawf {#sec-suicide-prevention-deaths}")
    assert f"Pe bai'r {float(rows[0]['caseload']):,.0f} o bobl ar brawf yng Ngwynedd" in text
    assert "ystod ansicrwydd 95%" in text and "*Tybiaethau.*" in text
    for r in rows:  # every expected number and its range, as in English
        assert D._deaths(r["expected_lower"]) in text and D._deaths(r["expected_upper"]) in text
    english = D.expected_deaths_block(chapter_data(GWYNEDD))
    assert re.findall(r"\d+(?:\.\d+)?", text.replace("2011-2021", "")) != []
    assert english_left(text, names=("Gwynedd", "Wales's own")) == []
    assert unknown_welsh_words(text, also={"Gwynedd"}) == []
    # every figure of the English block is in the Welsh one
    figures = lambda t: sorted(re.findall(r"\d[\d,.]*", t))  # noqa: E731
    assert figures(text) == figures(english)
    variants = [dict(r, rate_area="wales", caseload_kind="modelled", relative_risk_interval=None,
                     rate_interval="approximate") for r in rows]
    other = dataclasses.replace(data, area={**data.area, "expected_deaths": variants})
    text = D.expected_deaths_block(other)
    assert "ar gyfer Gwynedd" in text and "cyfradd Cymru" in text and "llwyth achosion wedi'i fodelu" in text
    assert english_left(text, names=("Gwynedd",)) == [] and unknown_welsh_words(text, also={"Gwynedd"}) == []
    none = dataclasses.replace(data, area={**data.area, "expected_deaths": []})
    assert "na chyfradd Cymru i droi ati" in D.expected_deaths_block(none)


def test_welsh_local_death_rates_compared_with_wales(chapter_data):
    data = welsh(chapter_data, CARDIFF)
    text = D.local_rates_sentence(data)
    english = D.local_rates_sentence(chapter_data(CARDIFF))
    assert bool(text) == bool(english)
    if text:
        assert text.startswith("Mae'r niferoedd yn dilyn cyfraddau marwolaeth Cardiff")
        assert "Cymru" in text and english_left(text, names=("Cardiff",)) == []
        assert unknown_welsh_words(text, also={"Cardiff"}) == []


# --- services -------------------------------------------------------------------------------

SERVICES = pd.DataFrame([
    {"priority_area": "mental_health", "service": "Talking therapies", "measure": "Referrals", "shown": 125.0,
     "is_count": True, "value_suppressed": False, "period": "2024-25"},
    {"priority_area": "mental_health", "service": "Crisis team", "measure": "Contacts", "shown": None,
     "is_count": True, "value_suppressed": False, "period": None},
    {"priority_area": "mental_health", "service": "Alcohol service", "measure": "Waiting weeks", "shown": None,
     "is_count": False, "value_suppressed": True, "period": "2024"}])
SERVICE_TEXT = ("Talking therapies", "Crisis team", "Alcohol service", "referrals", "contacts", "waiting weeks",
                "Referrals", "Contacts", "Waiting weeks")


def test_welsh_pathways_commissioning_and_recommendations(chapter_data):
    data = welsh(chapter_data)
    names = body_names(data) + tuple(str(r[c]) for r in data.rows("pathways") for c in ("name", "who_commissions"))
    names += tuple(str(r["organisation"]) for r in data.rows("commissioning"))
    for key in PRIORITY_TITLES:
        pathways, who = S.pathways(data, key, "x"), S.commissioning_for(data, key, "x")
        if pathways:
            assert "### Gofynion triniaeth a llwybrau {#sec-x-pathways}" in pathways
            assert "Mae [Atodiad A](#sec-pathways) yn esbonio" in pathways
            assert english_left(pathways, names=names) == []
        if who:
            assert "### Pwy sy'n comisiynu beth {#sec-x-commissioning}" in who and "[Atodiad A](#table-x-" in who
            assert english_left(who, names=names) == []
            assert unknown_welsh_words(_NOT_TEXT.sub(" ", who), also=body_words(data)) == []
        recommendations = S.recommendations_for(data, key, "x")
        if recommendations:
            assert recommendations.startswith("### Argymhellion {#sec-x-recommendations}")
            more = len(S._recommendations(data, key)) - S.SECTION_RECOMMENDATIONS
            if more > 0:  # the number in figures
                assert f"yn rhestru {more} arall ar gyfer yr angen hwn." in recommendations
    appendix = S.pathways_appendix(data)
    assert appendix.count("*Comisiynir gan:*") == len(S._pathway_rows(data, None))
    assert S.since_words("2013-04", language="cy") == "Ebrill 2013" and S.since_words("1998", language="cy") == "1998"
    assert S.since_words("2013-04") == "April 2013"


def test_welsh_local_services(chapter_data):
    data = welsh(chapter_data, services=SERVICES)
    table = S.local_services_table(data)
    assert table.startswith("Gwasanaethau lleol, fel y'u cofnodwyd gan ddadansoddwyr Gwynedd")
    assert "Gwasanaethau lleol i bobl ar brawf yng Ngwynedd" in table and "| Maes blaenoriaeth" in table
    assert "Iechyd meddwl a llesiant" in table and "heb ei ddangos (llai na 5 o bobl)" in table
    assert "wedi'i atal gan ddarparwr y data" in table and "| 125" in table
    assert english_left(table, names=SERVICE_TEXT + ("Gwynedd",)) == []
    text = _NOT_TEXT.sub(" ", table)
    for name in SERVICE_TEXT:
        text = text.replace(name, " ")
    assert unknown_welsh_words(text, also={"Gwynedd"}) == []
    line = S.local_services_line(data, "mental_health")
    assert line.startswith("**Gwasanaethau lleol:** Talking therapies (referrals: 125, 2024-25)")
    english = S.local_services_table(dataclasses.replace(chapter_data(GWYNEDD), services=SERVICES))
    assert english.startswith("Local services, as Gwynedd's analysts recorded them (sources in the download).")


# --- local context and records --------------------------------------------------------------

OBSERVED = pd.DataFrame([
    {"priority_area": "mental_health", "need": "Depression", "source": "Local audit", "period": "2024",
     "suppressed": False, "observed_count": 40.0, "caseload": 300.0, "observed_p": 0.133, "lower_95_ci": 0.1,
     "upper_95_ci": 0.17, "expected_p": 0.2, "expected_count": 60.0, "significance_95": verdict, "p_value": p,
     "difference_pp": difference}
    for verdict, p, difference in (("higher", 0.0004, 3.2), ("similar", 0.31, 0.1), ("not_tested", None, -4.4),
                                   ("unknown", None, 1.0))] + [
    {"priority_area": "mental_health", "need": "Anxiety", "source": None, "period": None, "suppressed": True,
     "observed_count": None, "caseload": 300.0, "observed_p": None, "lower_95_ci": None, "upper_95_ci": None,
     "expected_p": None, "expected_count": None, "significance_95": None, "p_value": None, "difference_pp": None}])


def test_welsh_local_context(chapter_data):
    data = welsh(chapter_data)
    assert data.rows("context"), "Gwynedd's bundle should have local indicators"
    for key in PRIORITY_TITLES:
        text = L.context_section(data, key, "x")
        reference = tuple(str(r["indicator_name"]) for r in data.rows("context", key))
        assert text.startswith("### Cyd-destun lleol {#sec-x-context}")
        assert english_left(text, names=reference + ("Gwynedd",)) == []
        plain = _NOT_TEXT.sub(" ", text)
        for name in reference:
            plain = plain.replace(name, " ")
        assert unknown_welsh_words(plain, also={"Gwynedd"}) == []
        english = L.context_section(dataclasses.replace(data, language="en"), key, "x")
        figures = lambda t: sorted(re.findall(r"\d[\d,.]*", t))  # noqa: E731
        assert figures(text) == figures(english)
    with_rows = next(key for key in PRIORITY_TITLES if data.rows("context", key))
    assert "O'i gymharu â Chymru" in L.context_section(data, with_rows, "x")
    assert L.compared_words({"comparator_name": "Wales"}, "better", language="cy") == "gwell na ffigur Cymru"
    assert L.compared_words({}, "similar", with_region=True, language="cy") == "tebyg i ffigur y rhanbarth"
    assert L.indicator_value(12.34, "per_100000", language="cy") == "12.3 fesul 100,000"
    assert L.indicator_value(None, "percent", language="cy") == "wedi'i atal neu ddim ar gael"


def test_welsh_local_records(chapter_data):
    data = welsh(chapter_data, observed=OBSERVED)
    text = L.observed_section(data, "mental_health", "x")
    assert text.startswith("### Beth mae cofnodion lleol yn ei ddangos {#sec-x-observed}")
    assert "- **Depression:** tua 40 o blith 300 o bobl (13%, cyfwng hyder 95% 10% i 17%) (Local audit, 2024)." in text
    assert "(prawf z dau sampl, p < 0.001)" in text and "(prawf z dau sampl, p = 0.310)" in text
    assert "yn wahanol o 4.4 pwynt canran (yn is yn lleol)" in text and "nid oedd modd cymharu'r ddau" in text
    assert "- **Anxiety:** heb ei ddangos er mwyn diogelu cyfrinachedd" in text and "yn rhagweld tua 60" in text
    measure = str(next(r for r in data.rows("estimates", "mental_health") if r["role"] == "headline")["measure"])
    names = ("Depression", "Anxiety", "Local audit", measure)
    assert english_left(text, names=names) == []
    plain = _NOT_TEXT.sub(" ", text)
    for name in names:
        plain = plain.replace(name, " ")
    assert unknown_welsh_words(plain) == []
    english = L.observed_section(dataclasses.replace(data, language="en"), "mental_health", "x")
    assert "- **Depression:** about 40 of 300 people (13%, 95% CI 10% to 17%) (Local audit, 2024)." in english


def test_one_welsh_and_for_every_list():
    """One joiner for every Welsh list (``sentences.and_word``): "ac" before a vowel, "a" before a
    consonant and before a name whose W is a consonant; the aspirate mutation of a word after "a"."""
    from jsna_kit.present.adjusted import _listed
    from jsna_kit.present.sentences import and_word, listed, listed_in

    assert [and_word("cy", w) for w in ("Ynys Môn", "wrth", "Wrecsam", "Caerdydd", "anableddau")] == [
        "ac", "ac", "a", "a", "ac"]
    assert listed(["Sir y Fflint", "Wrecsam"], language="cy") == "Sir y Fflint a Wrecsam"
    # "ac" before the words that take it: "... yn uwch na chyfradd Cymru ac mae'r gyfradd ..."
    assert [and_word("cy", w) for w in ("mae'r gyfradd", "felly", "mewn", "mwy")] == ["ac", "ac", "ac", "a"]
    assert listed_in("cy", ["ysmygu", "pwysau"]) == _listed("cy", ["ysmygu", "pwysau"]) == "ysmygu a phwysau"
    assert B.listed_in is listed_in
