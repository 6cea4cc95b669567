"""The Welsh text of the chapter's back half (issue 27): the groups, the gaps and the appendices
(present.findings, present.appendix), the glossary's own words (present.glossary) and the charts'
titles, keys and alt text (present.figures, present.context_chart). Each Welsh sentence is checked
for English function words and Welsh spelling; each English one is checked against its wording
before the translation layer, byte for byte."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from jsna_kit.present import appendix, context_chart, figures, findings
from jsna_kit.present.glossary import GLOSSARY, expand_first_use, glossary, glossary_entries
from jsna_kit.publish.spelling import unknown_welsh_words

GWYNEDD = "W06000002"
#: English words a Welsh sentence has no business printing (issue 27's 3% rule counts these); not
#: "is", which is Welsh too ("lower").
FUNCTION_WORDS = {"the", "and", "of", "to", "for", "with", "that", "this", "people", "in", "are", "on"}
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def _generated(text: str, reference: tuple[str, ...] = ()) -> str:
    """``text`` without what is not the code's own wording: reference text, citations and link
    targets (anchors and file names)."""
    for ref in sorted(reference, key=len, reverse=True):
        text = text.replace(ref, " ")
    return re.sub(r"\[@[^\]]*\]|\]\([^)]*\)|\{#[^}]*\}", " ", text)


def assert_welsh(text: str, *, reference: tuple[str, ...] = (), names: set[str] = frozenset()) -> None:
    own = _generated(text, reference)
    english = [w for w in re.findall(r"[A-Za-z]+", own) if w.lower() in FUNCTION_WORDS]
    assert not english, (english, text)
    assert unknown_welsh_words(own, also={"Gwynedd", "Bury", *names}) == [], text


@pytest.fixture
def welsh(chapter_data, tmp_path):
    """Gwynedd's chapter data in Welsh, its figures drawn into a folder of the test's own."""
    (tmp_path / "gwynedd" / "figures").mkdir(parents=True)
    return dataclasses.replace(chapter_data(GWYNEDD), language="cy", assets=tmp_path / "gwynedd")


def _shares(area_young=30.0, area_older=40.0):
    return {"area": {"18-24": area_young / 2, "25-34": area_young / 2, "50-64": area_older / 2,
                     "65+": area_older / 2},
            "nation": {"18-24": 11.0, "25-34": 15.0, "50-64": 22.0, "65+": 24.0}, "nation_name": "Wales"}


def _small(language: str, **area) -> SimpleNamespace:
    return SimpleNamespace(area=area, area_name="Bury", language=language, country="Wales",
                           rows=lambda table, key=None: [])


# findings -------------------------------------------------------------------------------------

def test_the_age_structure_is_said_in_welsh_and_the_english_is_unchanged():
    welsh = findings.age_structure(_small("cy", adult_age_shares=_shares(30.0, 50.0)))
    assert welsh.startswith("O oedolion Bury, mae 30% rhwng 18 a 34 oed (Cymru: 26%) ac mae 50% yn 50 oed")
    assert "Gan fod mwy o oedolion ifanc" in welsh and "poblogaeth hŷn" in welsh
    assert_welsh(welsh)
    close = findings.age_structure(_small("cy", adult_age_shares=_shares(26.0, 46.0)))
    assert "cyfansoddiad oedran" in close
    assert_welsh(close)
    english = findings.age_structure(_small("en", adult_age_shares=_shares(20.0, 46.0)))
    assert english == ("Of Bury's adults, 20% are aged 18 to 34 (Wales: 26%) and 46% are 50 or over (46%). With fewer "
                       "young adults than most areas, the local caseload is likely to be a little older than the "
                       "national one.")


@pytest.mark.parametrize("figures_, said", [
    ([655, 380, 380, 645], "gymaint â ffactor o 1.7 yma"), ([500, 380], "hyd at hanner cymaint eto"),
    ([300, 290], "yn cytuno'n fras"), ([1200, 300], "ffactor o 3 neu fwy"), ([300], "yn lleol."),
])
def test_how_far_apart_the_caseload_models_are_is_said_in_welsh(figures_, said):
    text = findings.caseload_unknown(_small("cy", caseload_models=[{"caseload": f} for f in figures_]))
    assert text.startswith("Mae nifer y bobl ar brawf yma wedi'i fodelu") and said in text
    assert_welsh(text)


def test_a_death_rate_on_few_deaths_is_said_in_welsh_and_the_english_is_unchanged():
    deaths = [{"rate_area": "local", "cause": "suicide", "rate_per_100000": 10.0, "rate_lower": 4.04,
               "rate_upper": 19.96}]
    welsh = findings.imprecise_rates(_small("cy", expected_deaths=deaths))
    assert welsh == ["Mae cyfradd hunanladdiad Bury yn seiliedig ar ychydig o farwolaethau (cyfwng 95% 4.0 i 20.0 "
                     "fesul 100,000), felly gall newid llawer o un cyfnod i'r llall; mae'r marwolaethau "
                     "disgwyliedig ac unrhyw amcangyfrif a addaswyd ganddi yn rhannu'r ansicrwydd hwnnw."]
    assert_welsh(welsh[0])
    english = findings.imprecise_rates(_small("en", expected_deaths=[dict(deaths[0], cause="drug_related")]))
    assert english == ["Bury's rate of drug-related deaths rests on few deaths (95% interval 4.0 to 20.0 per 100,000), "
                       "so it can change a lot from one period to the next; the expected deaths and any estimate "
                       "adjusted by it share that uncertainty."]


def test_the_groups_and_what_we_dont_know_are_in_welsh(welsh):
    groups = findings.groups_section(welsh)
    assert groups.startswith("## Grwpiau ag anghenion gwahanol {#sec-groups}")
    assert_welsh(groups)
    items = findings.unknowns(welsh)
    assert items and all(item.endswith(".") for item in items)
    for item in items:
        assert_welsh(item)
    gaps = len(findings.national_gaps(welsh))
    if gaps > 1:  # figures, not English words, in Welsh
        assert f"ar gyfer {gaps} o fesurau angen" in items[0]
    section = findings.unknowns_section(welsh)
    assert section.startswith("## Yr hyn nad ydym yn ei wybod {#sec-unknowns}")


def test_a_groups_figure_is_worded_in_welsh_around_its_reference_text(welsh):
    for sentence, row in zip(findings.group_sentences(welsh), _group_rows(welsh), strict=True):
        assert re.match(r"\*\*(Menywod|Dynion|Pobl [\d-]+ oed( a hŷn)?):\*\* [\d.]+% ymhlith ", sentence), sentence
        if row["parent"]:
            assert ", o'i gymharu â " in sentence and "o bawb yn yr un astudiaeth" in sentence
    assert findings._group({"sex": "female"}, "en") == "Women"
    assert findings._group({"age_band": "50+"}, "en") == "People aged 50 and over"
    assert findings._group({"age_band": "50+"}, "cy") == "Pobl 50 oed a hŷn"


def _group_rows(data):
    """The evidence rows group_sentences words, with whether each has a parent figure."""
    from jsna_kit.present.numbers import is_missing

    evidence = data.rows("evidence")
    by_id = {r["estimate_id"]: r for r in evidence}
    out = []
    for row in evidence:
        if (findings._group(row) is None or str(row.get("setting_type")) not in findings.PROBATION
                or is_missing(row.get("value")) or str(row.get("unit")) != "percent"
                or str(row.get("status")) == "gap"):
            continue
        parent = by_id.get(row.get("parent_estimate_id"))
        out.append({"parent": parent is not None and not is_missing(parent.get("value"))})
    return out


# appendix -------------------------------------------------------------------------------------

def test_appendix_d_is_in_welsh_but_for_the_models_own_accounts(welsh):
    from jsna_kit.model.caseload import CASELOAD_METHOD
    from jsna_kit.model.headline import HEADLINE_RULE
    from jsna_kit.model.local_adjustment import LOCAL_ADJUSTMENT_METHOD
    from jsna_kit.model.synthetic import SYNTHETIC_METHOD
    from jsna_kit.present.markdown import escape_text

    text = appendix.methods(welsh)
    assert text.startswith("## Atodiad D: Dulliau a chyfyngiadau {#sec-methods}")
    assert "### Pa mor gryf yw'r dystiolaeth" in text and "**A** (cryf)" in text
    assert "- Daw sawl ffigur o un sir neu o garchardai" in text
    model_text = tuple(escape_text(t) for t in (SYNTHETIC_METHOD, HEADLINE_RULE, CASELOAD_METHOD,
                                                LOCAL_ADJUSTMENT_METHOD))
    assert_welsh(text, reference=model_text)


def test_the_no_address_limitation_keeps_its_figures_and_citation():
    national = [{"measure": "no_fixed_address_share_pct_min", "value": 3.0, "source_key": "HMPPS2023"},
                {"measure": "no_fixed_address_share_pct_max", "value": 5.5, "source_key": "HMPPS2023"}]
    welsh = appendix._no_address_limitation(national, language="cy")
    assert welsh.startswith("\n- Mae rhwng 3% a 5.5% o bobl ar brawf heb gyfeiriad sefydlog")
    assert "[@HMPPS2023]" in welsh
    assert_welsh(welsh)
    assert appendix._no_address_limitation(national) == (
        "\n- Between 3% and 5.5% of people on probation have no fixed or recorded address [@HMPPS2023], so they "
        "cannot be placed in any area and any local count is itself uncertain.")


def test_the_appendix_headings_downloads_and_captions_are_in_welsh(welsh, chapter_data):
    assert appendix.evidence_appendix(welsh).startswith("## Atodiad C: Tystiolaeth genedlaethol {#sec-appendix}")
    downloads = appendix.downloads(dataclasses.replace(welsh, assets=chapter_data(GWYNEDD).assets))
    assert downloads.startswith("## Atodiad E: Lawrlwytho data {#sec-download}\n\nGellir lawrlwytho pob rhif")
    assert "- [Pob amcangyfrif yn y bennod hon (CSV)](" in downloads
    assert_welsh(downloads, names={"CSV", "JSON", "Excel"})
    english = appendix.downloads(chapter_data(GWYNEDD))
    assert "\n\nEvery number in this chapter can be downloaded:\n\n- [Every estimate in this chapter (CSV)](" in english
    services = appendix.services_appendix(welsh)
    assert services.startswith("## Atodiad A: Pwy sy'n gwneud beth {#sec-who-does-what}")
    assert "Pwy sy'n comisiynu neu'n darparu beth ar draws pob maes blaenoriaeth (Cymru)" in services
    assert "Pwy sy'n comisiynu neu'n darparu beth ar gyfer iechyd meddwl a llesiant (Cymru)" in services


def test_appendix_f_says_where_and_when_in_welsh(welsh, chapter_data):
    text = appendix.policy_section(welsh)
    if not text:
        pytest.skip("no policy statements for Wales in the reference data")
    intro = text.split("\n\n")[1]
    assert "yn berthnasol yng Nghymru; fe'i gwiriwyd ddiwethaf yn erbyn ei ffynonellau ar " in intro
    assert_welsh(intro)
    english_day = appendix.policy_checked(chapter_data(GWYNEDD))
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", english_day)
    assert appendix.policy_checked(welsh).split()[0] == english_day.split()[0]  # the same day, in Welsh words


def test_appendix_b_and_g_headings_are_in_welsh(welsh):
    assert appendix.local_indicators_appendix(welsh).startswith(
        "## Atodiad B: Dangosyddion lleol a marwolaethau disgwyliedig {#sec-local-indicators}")
    text = appendix.glossary_section(welsh)
    assert text.startswith("## Atodiad G: Geirfa {#sec-glossary}\n\n")
    assert "| Term | Ystyr |" in text and ": Termau a ddefnyddir yn y bennod hon" in text


# glossary -------------------------------------------------------------------------------------

def test_the_welsh_glossary_is_the_catalogue_s_and_england_s_terms_stay_out():
    assert glossary("Wales") == glossary("Wales", language="en", entries=glossary_entries("en"))
    entries = glossary_entries("cy")
    assert set(entries) == set(GLOSSARY)
    table = glossary("Wales", language="cy", entries=entries)
    assert "| Safleoedd Cymeradwy | Unedau preswyl" in table
    assert "| MAPPA (Trefniadau Amlasiantaethol Diogelu'r Cyhoedd) |" in table
    assert "| ICB" not in table  # England's terms stay out of a Welsh area's glossary
    assert all(meaning != GLOSSARY[term][1] for term, (_, _, meaning) in entries.items())
    assert expand_first_use("Mae MAPPA yn bwysig.", entries=entries) == (
        "Mae MAPPA (Trefniadau Amlasiantaethol Diogelu'r Cyhoedd) yn bwysig.")
    assert expand_first_use("MAPPA panels.") == "MAPPA (multi-agency public protection arrangements) panels."


# figures --------------------------------------------------------------------------------------

def _estimate_rows():
    return [
        {"measure": "Current mental illness", "source_label": "Brooker et al. 2012", "grade": "B",
         "role": "headline", "expected": 780.0, "expected_lower": 690.0, "expected_upper": 870.0,
         "range_kind": "uncertainty_range"},
        {"measure": "Prisoners with a mental illness", "source_label": "Singleton et al. 1998", "grade": "C",
         "role": "proxy", "expected": 300.0, "expected_lower": None, "expected_upper": None},
    ]


def _texts(path) -> list[str]:
    return [t.text for t in ET.fromstring(path.read_text(encoding="utf-8")).iter(SVG_TEXT)]


def test_the_estimate_chart_has_welsh_titles_keys_and_alt_text(tmp_path):
    path = tmp_path / "mh.svg"
    alt = figures.estimate_range_chart(_estimate_rows(), path, area_name="Gwynedd",
                                       topic="iechyd meddwl a llesiant", language="cy")
    assert alt == ("Siart o'r niferoedd amcangyfrifedig o bobl ar brawf yng Ngwynedd sydd ag anghenion iechyd meddwl a "
                   "llesiant, yn ôl ffynhonnell genedlaethol. prif ffigur: Current mental illness, Brooker et al. "
                   "2012, tua 780 (ystod ansicrwydd 95%: 690 i 870); lleoliad arall (enghraifft): Prisoners with a "
                   "mental illness, Singleton et al. 1998, tua 300 (dim ystod).")
    texts = _texts(path)
    assert "Nifer amcangyfrifedig y bobl ar brawf" in texts
    assert {"prif ffigur", "lleoliad arall (enghraifft)", "Ystod ansicrwydd 95%"} <= set(texts)
    assert any(t.startswith("Brooker et al. 2012, cymedrol") for t in texts)
    reference = ("Current mental illness", "Brooker et al. 2012", "Prisoners with a mental illness",
                 "Singleton et al. 1998")
    assert_welsh(alt, reference=reference)
    english = figures.estimate_range_chart(_estimate_rows(), tmp_path / "en.svg", area_name="Sheffield",
                                           topic="mental health")
    assert english == ("Chart of estimated numbers of people on probation in Sheffield with mental health needs, by "
                       "national source. headline: Current mental illness, Brooker et al. 2012, about 780 (95% "
                       "uncertainty range 690 to 870); other setting (illustration): Prisoners with a mental illness, "
                       "Singleton et al. 1998, about 300 (no range).")
    assert "Estimated number of people on probation" in _texts(tmp_path / "en.svg")


def test_the_chart_against_england_has_welsh_titles_keys_and_alt_text(tmp_path):
    rows = [{"indicator_name": "Suicide rate", "relative_to_england": 1.25, "relative_lower": 1.05,
             "relative_upper": 1.5, "benchmark_england_95": "worse"},
            {"indicator_name": "Smoking", "relative_to_england": 0.9, "relative_lower": None,
             "relative_upper": None, "benchmark_england_95": "similar"}]
    alt = figures.relative_to_england_chart(rows, tmp_path / "w.svg", area_name="Gwynedd", topic="atal hunanladdiad",
                                            language="cy")
    assert alt == ("Siart o ddangosyddion lleol ar gyfer atal hunanladdiad yng Ngwynedd o'u cymharu â Lloegr. "
                   "Suicide rate: 1.25 gwaith gwerth Lloegr, gwaeth na Lloegr; Smoking: 0.90 gwaith gwerth Lloegr, "
                   "tebyg i Loegr.")
    texts = _texts(tmp_path / "w.svg")
    assert {"O'i gymharu â Lloegr (Lloegr = 1), cyfwng hyder 95%", "gwaeth na Lloegr", "tebyg i Loegr",
            "cyfwng hyder 95%"} <= set(texts)
    assert_welsh(alt, reference=("Suicide rate", "Smoking"))
    english = figures.relative_to_england_chart(rows, tmp_path / "e.svg", area_name="Bury", topic="suicide prevention")
    assert english == ("Chart of local indicators for suicide prevention in Bury relative to England. Suicide rate: "
                       "1.25 times England, worse than England; Smoking: 0.90 times England, similar to England.")
    assert "Relative to England (England = 1), 95% CI" in _texts(tmp_path / "e.svg")


# context_chart --------------------------------------------------------------------------------

def _spine_rows(nation="Wales"):
    base = {"polarity": "low_is_good", "unit": "per_100000", "england_lowest": 5.0, "england_q1": 8.0,
            "england_q3": 12.0, "england_highest": 20.0, "comparator_name": nation}
    return [dict(base, indicator_name="Suicide rate", value=14.0, england_value=10.0, benchmark_england_95="worse"),
            dict(base, indicator_name="Drug deaths", value=9.0, england_value=10.0, benchmark_england_95="similar"),
            dict(base, indicator_name="Smoking", value=11.04, england_value=10.95, benchmark_england_95="not_compared",
                 direction_england="same")]


def test_the_spine_chart_is_in_welsh_with_each_comparison_mutated_as_welsh_needs(tmp_path):
    path = tmp_path / "spine.svg"
    alt = context_chart.spine_chart(_spine_rows(), path, area_name="Gwynedd", language="cy")
    assert alt == ("Siart asgwrn cefn o 3 dangosydd lleol ar gyfer Gwynedd o'u cymharu â gwerthoedd Cymru. "
                   "Suicide rate: gwaeth na Chymru; Drug deaths: tebyg i Gymru; Smoking: yr un fath â Chymru.")
    texts = _texts(path)
    assert {"Gwaeth", "Gwell", "Cymru", "yma (Cymru)", "gwaeth na Chymru", "tebyg i Gymru", "yr un fath â Chymru",
            "ystod ar draws ardaloedd Cymru", "hanner canol yr ardaloedd"} <= set(texts)
    assert_welsh(alt, reference=("Suicide rate", "Drug deaths", "Smoking"))
    english = context_chart.spine_chart(_spine_rows(), tmp_path / "en.svg", area_name="Gwynedd")
    assert english == ("Spine chart of 3 local indicators for Gwynedd against Wales. Suicide rate: worse than Wales; "
                       "Drug deaths: similar to Wales; Smoking: the same as Wales.")
    assert {"Worse", "Better", "here (Wales)", "Wales's range across areas", "middle half of areas"} <= set(
        _texts(tmp_path / "en.svg"))


def test_the_context_chart_block_has_a_welsh_caption_and_alt_text(welsh):
    block = context_chart.context_chart_block(welsh)
    if not welsh.rows("context"):
        assert_welsh(block)
        return
    caption = re.match(r"!\[(.*?)\]\(", block).group(1)
    assert caption.startswith("Gwynedd: dangosyddion lleol o'u cymharu â gwerthoedd Cymru (")
    assert "Lliw cefndir: ystod ar draws ardaloedd Cymru" in caption
    assert_welsh(caption)
    alt = re.search(r'fig-alt="([^"]*)"', block).group(1)
    names = tuple(str(r["indicator_name"]) for r in welsh.rows("context"))
    assert alt.startswith("Siart asgwrn cefn o ")
    assert_welsh(alt, reference=names)
