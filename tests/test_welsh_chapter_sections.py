"""The chapter's main sections in Welsh (issue 27): present/chapter.py, local_context.py, nation.py,
maps.py, evidence.py and adjusted.py give their text in Welsh from the catalogue (locale/cy/), naming Welsh
bodies by their official Welsh names, with the same figures, anchors and citations as the English,
no English function words outside names, citations and reference text, and every Welsh word known
to the Welsh dictionary. Their English is unchanged (tests/test_chapter_text.py, test_figures.py,
test_published_numbers.py, and the English checks here)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from jsna_kit.present import adjusted, chapter, evidence, local_context, maps, nation
from jsna_kit.priorities import PRIORITY_TITLES

#: English words that should not appear in Welsh text (outside names, citations, reference text);
#: not "is", which is Welsh too ("yn is na": lower than).
ENGLISH = {"the", "and", "of", "to", "for", "with", "that", "this", "people", "are", "in", "about"}
NAMES = {"Gwynedd", "Cardiff", "Caerdydd", "Hartlepool", "Cymru", "Lloegr"}


def english_words(text: str, *, allowed: str = "") -> list[str]:
    """The English function words of ``text``, once citations, anchors, link targets and
    ``allowed`` (text the chapter prints as others give it) are taken out."""
    for part in allowed.split("\n") if allowed else []:
        if part.strip():
            text = text.replace(part, " ")
    text = re.sub(r"\[@[^\]]*\]|\{#[^}]*\}|\]\(#[^)]*\)", " ", text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH]


def unknown(text: str, also: set[str] = frozenset()) -> list[str]:
    from jsna_kit.publish.spelling import NoDictionary, aspell, unknown_welsh_words

    try:
        aspell()
    except NoDictionary as exc:
        pytest.skip(str(exc))
    # link targets and anchors are identifiers, not words
    text = re.sub(r"\]\(#[^)]*\)|\{#[^}]*\}|#sec-[\w-]+", "] ", text)
    return unknown_welsh_words(text, also=NAMES | set(also))


@pytest.fixture(scope="module")
def welsh(welsh_data):
    return welsh_data


# nation.py --------------------------------------------------------------------------------

def test_a_welsh_chapter_names_welsh_bodies_by_their_welsh_names():
    system = nation.system_for("Wales", language="cy")
    assert system.nation == "Wales", "the nation is a key, not words"
    assert system.assessment == ("asesiad o anghenion y boblogaeth (Deddf Gwasanaethau Cymdeithasol a Llesiant "
                                 "(Cymru) 2014)")
    assert system.board == "y bwrdd partneriaeth rhanbarthol" and system.nhs == "y bwrdd iechyd lleol"
    assert system.public_health == "Iechyd Cyhoeddus Cymru a'r awdurdod lleol"
    assert system.substance_misuse == "y bwrdd cynllunio ardal ar gyfer camddefnyddio sylweddau"
    assert system.probation.startswith("Gwasanaeth Carchardai a Phrawf EF yng Nghymru")
    words = " ".join(str(v) for k, v in vars(system).items() if k != "nation")
    assert english_words(words) == [] and unknown(words) == []
    assert nation.nation_name("cy", "Wales") == "Cymru" and nation.nation_name("cy", "North East") == "North East"


def test_the_english_system_is_unchanged():
    assert nation.system_for("Wales") is nation.WALES
    assert nation.system_for("", "W06000015", language="en") is nation.WALES
    assert nation.WALES.board == "the regional partnership board"
    assert nation.ENGLAND.nhs == "the integrated care board (ICB)"
    assert nation.nation_name("en", "Wales") == "Wales"


def test_the_strategy_note_in_welsh():
    from jsna_kit.present.lang import translate

    text = translate("cy", nation.STRATEGY_NOTE)
    assert "2019-22" in text and "saith maes blaenoriaeth" in text
    assert english_words(text) == [] and unknown(text) == []


# maps.py ----------------------------------------------------------------------------------

def _squares(n: int):
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame({"area_code": [f"W0600000{i}" for i in range(n)], "area_name": list("ABCDEFG"[:n])},
                            geometry=[box(i * 1000, 0, i * 1000 + 900, 900) for i in range(n)], crs="EPSG:27700")


def test_the_location_maps_alt_text_in_welsh(tmp_path):
    alt = maps.location_map(_squares(3), "W06000001", tmp_path / "cy.svg", area_name="Gwynedd", region_name="Cymru",
                            language="cy")
    assert alt == "Map sy'n dangos 3 ardal awdurdod lleol Cymru mewn llwyd; dangosir Gwynedd mewn glas."
    assert "<title>" + alt.replace("'", "&#x27;") in (tmp_path / "cy.svg").read_text(encoding="utf-8") or \
        alt.split(";")[0] in (tmp_path / "cy.svg").read_text(encoding="utf-8")
    one = maps.location_map(_squares(1), "W06000000", tmp_path / "one.svg", area_name="Gwynedd", region_name="Cymru",
                            language="cy")
    assert one.endswith("(yr unig ardal a ddangosir).")
    assert english_words(alt + one) == [] and unknown(alt + one) == []
    english = maps.location_map(_squares(1), "W06000000", tmp_path / "en.svg", area_name="Gwynedd",
                                region_name="Wales")
    assert english == ("Map of Wales showing its 1 local authority areas in grey, with Gwynedd "
                       "highlighted in blue (the only area shown).")


# evidence.py ------------------------------------------------------------------------------

ROW = {"estimate_id": "MH03", "role": "headline", "grade": None, "measure": "Current mental illness",
       "setting": "People on probation", "sex": "all", "age_band": "all", "status": "ok", "unit": "percent",
       "value": 39.0, "value_text": "c.39", "ci_lower": 34.1, "ci_upper": 43.9, "ci_level": 0.95,
       "denominator": 1200, "year": "2019", "source_keys": "BROOKER2012"}


def test_evidence_values_in_welsh_keep_their_figures():
    assert evidence.value_words(ROW, language="cy") == "tua 39% (CI 95% 34.1 i 43.9)"
    assert evidence.value_words(ROW) == "about 39% (95% CI 34.1 to 43.9)"
    ranged = {**ROW, "value_text": "7-10", "ci_lower": None, "status": "verify"}
    assert evidence.value_words(ranged, language="cy") == (
        "7% i 10% (fel yr adroddwyd; ni chaiff ei ddefnyddio yn yr amcangyfrifon)")
    assert evidence.value_words(ranged) == "7% to 10% (as reported; not used in the estimates)"
    rate = {**ROW, "unit": "per_1000", "value": 2.04, "ci_lower": None, "setting_type": "probation_caseload"}
    assert evidence.value_words(rate, language="cy") == "2.0 i bob 1,000 o bobl ar brawf y flwyddyn"
    assert evidence.value_words(rate) == "2.0 per 1,000 people on probation a year"
    assert evidence.rate_words(12.25, "per_100000", "general_population", language="cy") == (
        "12.2 i bob 100,000 o bobl y flwyddyn")
    ratio = {**ROW, "unit": "ratio", "value": 2.5, "ci_lower": None}
    assert evidence.value_words(ratio, language="cy") == "2.5 gwaith yn uwch"
    assert evidence.value_words({"status": "gap"}, language="cy") == "bwlch: dim ffigur"


def test_the_evidence_table_in_welsh():
    rows = [ROW, {**ROW, "estimate_id": "MH09", "role": "proxy", "value_text": None, "value": 12.0, "ci_lower": None}]
    text = evidence.evidence_table(rows, title="Iechyd meddwl a llesiant", ident="mental-health", language="cy")
    for words in ("Mesur a lleoliad", "Gwerth", "Sampl a blwyddyn", "Ffynhonnell", "Defnydd a chryfder",
                  "Prif ffigur", "Darlun (lleoliad arall)", "(rhif adnabod MH03)", "Iechyd meddwl a llesiant: "
                  "tystiolaeth genedlaethol", "[@BROOKER2012]", "n = 1,200", "{#table-mental-health-evidence "):
        assert words in text, words
    said = re.sub(r"\{#[^}]*\}", "", text).replace("Current mental illness", "").replace("People on probation", "")
    assert english_words(said) == [] and unknown(said) == []
    english = evidence.evidence_table(rows, title="Mental health and wellbeing", ident="mental-health")
    assert "Measure and setting" in english and "(ID MH03)" in english and "Illustration (other setting)" in english
    assert evidence.evidence_table([], title="x", ident="x", language="cy") == (
        "Nid oes tystiolaeth genedlaethol wedi'i chofnodi ar gyfer y maes blaenoriaeth hwn.")


# adjusted.py ------------------------------------------------------------------------------

def _adjusted_row(**changes) -> dict:
    row = {"role": "headline", "priority_area": "substance_misuse", "measure": "Drug misuse",
           "prevalence_pct": 30.0, "adjusted_pct": 45.0, "expected": 300.0, "adjusted_expected": 450.0,
           "adjusted_expected_lower": 320.0, "adjusted_expected_upper": 610.0, "adjustment_ratio": 3.7,
           "adjustment_indicator": "Deaths from drug misuse", "adjustment_comparator": "Wales",
           "adjustment_reason": "drug deaths follow drug use", "status": "ok"}
    return {**row, **changes}


def test_an_adjusted_figure_far_above_the_national_rate_in_welsh():
    row = _adjusted_row()
    text = adjusted.adjusted_paragraph(row, area_name="Gwynedd", language="cy")
    assert text.startswith("**Ffigur wedi'i addasu ar gyfer Gwynedd: tua 450 o bobl** (45%; ystod ansicrwydd 95% "
                           "320 i 610,")
    assert ("Mae deaths from drug misuse yn ardal Gwynedd 3.7 gwaith cymaint â ffigur Cymru; drug deaths follow "
            "drug use. Felly mae problemau cyffuriau ac alcohol yn debygol o fod yn fwy cyffredin") in text
    said = text.replace("deaths from drug misuse", "").replace("drug deaths follow drug use", "")
    assert english_words(said) == [] and unknown(said) == []
    english = adjusted.adjusted_paragraph(row, area_name="Gwynedd")
    assert english.startswith("**Adjusted for Gwynedd: about 450 people** (45%; 95% uncertainty range 320 to 610, "
                              "allowing for how closely the local measure follows this need, which is not known). "
                              "Gwynedd's deaths from drug misuse are 3.7 times Wales's; drug deaths follow drug use. "
                              "So drug and alcohol problems are probably more common among people on probation here")


@pytest.mark.parametrize("changes, welsh, english", [
    ({"adjusted_pct": 31.0, "adjustment_ratio": 1.05}, "yn agos at y ffigur ar sail y gyfradd genedlaethol (30%)",
     "Gwynedd's deaths from drug misuse are 5% higher than Wales's, so the adjusted figure is close"),
    ({"adjusted_pct": 20.0, "adjustment_ratio": 0.5}, "yn debygol o fod yn llai cyffredin ymhlith pobl ar brawf yma",
     "Fewer people on probation here are likely to have drug and alcohol problems than"),
    ({"adjusted_pct": 34.0, "adjustment_ratio": 1.1}, "ychydig yn uwch na'r ffigur ar sail y gyfradd genedlaethol",
     "10% higher than Wales's, so the adjusted figure is a little higher than the national-rate one (30%)"),
    ({"adjusted_pct": 26.0, "adjustment_ratio": 0.9, "role": "alternative", "measure": "Alcohol dependence.",
      "adjustment_indicator": "Alcohol-specific hospital admissions"},
     "**Problemau alcohol (alcohol dependence; 30% yn genedlaethol), ffigur wedi'i addasu ar gyfer Gwynedd",
     "**Alcohol problems (alcohol dependence; 30% nationally), adjusted for Gwynedd: about 450 people**"),
])
def test_each_judgement_of_an_adjusted_figure_in_welsh(changes, welsh, english):
    row = _adjusted_row(**changes)
    text = adjusted.adjusted_paragraph(row, area_name="Gwynedd", language="cy")
    assert welsh in text
    said = re.sub(r"deaths from drug misuse|alcohol dependence|alcohol-specific hospital admissions|drug deaths "
                  r"follow drug use", "", text)
    assert english_words(said) == [] and unknown(said) == []
    assert english in adjusted.adjusted_paragraph(row, area_name="Gwynedd")


def test_welsh_ratios_and_lists():
    assert adjusted.ratio_words(1.53, "Wales", language="cy") == "53% yn uwch na ffigur Cymru"
    assert adjusted.ratio_words(0.8, "England", language="cy") == "20% yn is na ffigur Lloegr"
    assert adjusted.ratio_words(1.0, "Wales", language="cy") == "tua'r un faint â ffigur Cymru"
    assert adjusted.ratio_words(1.53, "Wales") == "53% higher than Wales's"
    assert adjusted._listed("cy", ["salwch meddwl", "problemau alcohol"]) == "salwch meddwl a phroblemau alcohol"
    assert adjusted._listed("cy", ["ysmygu", "anableddau dysgu"]) == "ysmygu ac anableddau dysgu"
    assert adjusted._listed("en", ["smoking", "mental illness", "learning disabilities"]) == (
        "smoking, mental illness and learning disabilities")


def test_the_first_screens_needs_in_welsh(welsh):
    data = welsh("W06000002")
    lines, named = adjusted.needs_summary(data)
    english, _ = adjusted.needs_summary(dataclasses.replace(data, language="en"))
    assert len(lines) == len(english) and lines
    for cy, en in zip(lines, english, strict=True):
        assert re.findall(r"\d[\d.,]*%?", cy) == re.findall(r"\d[\d.,]*%?", en), (cy, en)
        assert cy.startswith(("**Mae ", "Ar gyfer ")), cy


# chapter.py -------------------------------------------------------------------------------

def test_reading_the_numbers_in_welsh():
    class Rows:
        language = "cy"

        def rows(self, table, priority_area=None):
            return [{"role": "headline", "expected": 1.0, "range_kind": k}
                    for k in ("confidence_interval", "uncertainty_range", "caseload_range")]

    text = chapter.reading_the_numbers(Rows())
    assert text.startswith("**Sut i ddarllen y ffigurau.**") and "*cyfwng hyder 95%* (CI 95%)" in text
    assert ("Yn y siartiau, mae llinell solet yn dangos CI 95%, llinell doredig yn dangos ystod ansicrwydd 95%, "
            "llinell ddotiog yn dangos y llwyth achosion yn unig; mae allwedd pob siart yn eu henwi.") in text
    assert english_words(text) == [] and unknown(text) == []


def test_about_this_chapter_in_welsh(welsh):
    data = welsh("W06000002")
    text = chapter.about(data)
    assert text.startswith("## Am y bennod hon {#sec-about}")
    assert ("Mae'r bennod hon o'r asesiad o anghenion y boblogaeth (Deddf Gwasanaethau Cymdeithasol a Llesiant "
            "(Cymru) 2014) yn disgrifio anghenion iechyd a gofal cymdeithasol pobl ar brawf sy'n byw yng "
            "Ngwynedd.") in text
    assert "- **Ardal:** Gwynedd" in text and "- **Pobl ar brawf:**" in text and "- **Lluniwyd:**" in text
    built = data.area["built"]
    import datetime as dt

    from jsna_kit.present.cymraeg import welsh_date

    assert welsh_date(dt.date.fromisoformat(built)) in text
    english = str(chapter.about(dataclasses.replace(data, language="en")))
    assert "This chapter of the population needs assessment" in english and "living in Gwynedd." in english


def test_the_sections_anchors_and_figures_are_the_same_in_welsh(welsh):
    data = welsh("W06000002")
    english = dataclasses.replace(data, language="en")
    sections = [chapter.caseload_section, chapter.commissioning_overview, chapter.about,
                *[(lambda d, k=k: chapter.priority_section(d, k)) for k in PRIORITY_TITLES]]
    for section in sections:
        cy, en = section(data), section(english)
        assert re.findall(r"\{#[\w-]+", cy) == re.findall(r"\{#[\w-]+", en)
        assert re.findall(r"\[@[^\]]+\]", cy) == re.findall(r"\[@[^\]]+\]", en)
        assert re.findall(r"\]\(#[\w-]+\)", cy) == re.findall(r"\]\(#[\w-]+\)", en)
        for words in ("What we know nationally", "What it means for", "Local context", "For the whole population",
                      "Adjusted for", "Who is on probation locally", "Nationally,",
                      "kinds of organisation", "How to read the figures", "About this chapter"):
            assert words not in cy, (words, section)
        assert not re.search(r"(highest|lowest) of \d+ similar areas", cy)


def test_the_priority_sections_in_welsh(welsh):
    data = welsh("W06000002")
    text = chapter.priority_section(data, "mental_health")
    assert text.startswith("## Iechyd meddwl a llesiant {#sec-mental-health}\n\n### Yr hyn a wyddom yn genedlaethol")
    assert "### Beth mae'n ei olygu ar gyfer Gwynedd {#sec-mental-health-estimate}" in text
    assert "### Cyd-destun lleol {#sec-mental-health-context}" in text
    assert "nifer amcangyfrifedig y bobl ar brawf yng Ngwynedd sydd â'r angen" in text
    english = chapter.priority_section(dataclasses.replace(data, language="en"), "mental_health")
    assert "### What it means for Gwynedd {#sec-mental-health-estimate}" in english
    opd = local_context.context_brief(data, "opd_pathway", "opd-pathway")
    assert "Nid oedd dangosydd lleol ar gael ar gyfer llwybr Anhwylder Personoliaeth Troseddwyr." in opd
    assert english_words(opd) == [] and unknown(opd) == []


def test_about_and_who_commissions_what_in_welsh(welsh):
    data = welsh("W06000002")
    about = chapter.about(data)
    assert "- **Ardal:** Gwynedd, Cymru" in about and english_words(about) == [] and unknown(about) == []
    overview = chapter.commissioning_overview(data)
    english = chapter.commissioning_overview(dataclasses.replace(data, language="en"))
    count = re.search(r"(\w+) kinds of organisation share responsibility across all seven priority areas in Wales",
                      english).group(1)
    from jsna_kit.present.numbers import in_words

    n = next(i for i in range(1, 40) if in_words(i, capital=True) == count)
    assert (f"Mae {n} math o sefydliad yn rhannu cyfrifoldeb ar draws pob un o'r saith maes blaenoriaeth yng "
            "Nghymru") in overview
    assert "y gwasanaethau y mae pobl ar brawf yng Ngwynedd yn eu defnyddio" in overview


def test_who_is_on_probation_in_welsh_keeps_the_figures(welsh):
    data = welsh("W06000002")
    text = chapter.caseload_section(data)
    english = chapter.caseload_section(dataclasses.replace(data, language="en"))
    mine = [p for p in text.split("\n\n") if p.startswith(("Nid oedd cyfrif lleol", "Yn genedlaethol", "Mae **"))]
    theirs = [p for p in english.split("\n\n") if p.startswith(("No local count", "Nationally", "Gwynedd has **"))]
    assert len(mine) == len(theirs) == 2
    for cy, en in zip(mine, theirs, strict=True):
        # the first paragraph ends with the caseload models' facts (present/notable.py, its own slice)
        cy, en = cy.split("yn ei ddisodli.")[0], en.split("would replace it.")[0]
        assert re.findall(r"\d[\d,]*", cy) == re.findall(r"\d[\d,]*", en)
        assert english_words(cy) == [] and unknown(cy) == []
    assert "ar 30 Mehefin 2025" in text or re.search(r"ar \d+ \w+ \d{4} \[@", text)
    assert text.rstrip().endswith("yn dangos pob dangosydd lleol o'i gymharu â Chymru.")


def test_older_adults_and_positions_in_welsh(welsh):
    data = welsh("W06000002")
    older = local_context.older_adults_sentence(data)
    assert re.search(r"Mae \d+% o oedolion Gwynedd yn 50 oed neu'n hŷn \(Cymru: \d+%\)\.", older)
    assert english_words(older) == [] and unknown(older) == []
    positions = local_context.neighbour_positions(data)
    # a place as the similar-areas chart says it: "y 3ydd uchaf", "yr 2il isaf"
    assert positions and all(re.fullmatch(r"(yr uchaf|yr isaf|yr? \d+(af|il|ydd|ed|fed|eg|ain) (uchaf|isaf)) "
                                          r"ymhlith \d+ o ardaloedd tebyg", p) for p in positions.values())
    english = local_context.neighbour_positions(dataclasses.replace(data, language="en"))
    assert set(english) == set(positions) and all("similar areas" in p for p in english.values())


def test_every_welsh_message_of_the_slice_is_welsh():
    """Every message of this slice's catalogues: no English function words, every word known."""
    from pathlib import Path

    from jsna_kit.present.lang import LOCALE_DIR, read_catalogue

    for name in ("sections", "local_context", "nation", "maps", "evidence", "adjusted"):
        catalogue = read_catalogue(Path(LOCALE_DIR) / "cy" / f"{name}.po", "cy")
        assert catalogue.messages, name
        for welsh in catalogue.messages.values():
            said = re.sub(r"\{[^{}]*\}", " ", welsh)
            assert english_words(said) == [], (name, welsh)
        text = "\n".join(re.sub(r"\{[^{}]*\}", " ", w) for w in catalogue.messages.values())
        assert unknown(text, also={"JSNA", "ICB", "EF", "MH"}) == [], name
