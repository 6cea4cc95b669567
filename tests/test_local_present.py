"""What a chapter says about its own area on the embedded defaults (no data directory): notable
facts that differ between contrasting areas, expected deaths, the spine chart, the local context
section, and what an area without local indicators is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsna_kit.load.chapter_data import ChapterData
from jsna_kit.present.context_chart import context_chart_block, spine_position
from jsna_kit.present.deaths import expected_deaths_block
from jsna_kit.present.local import context_section
from jsna_kit.present.notable import notable_facts


@pytest.fixture(scope="module")
def chapters(tmp_path_factory) -> dict[str, ChapterData]:
    """The planned bundles of four contrasting areas, as the notebook would read them."""
    from jsna_kit.batch.plan import plan_areas
    from jsna_kit.load.areas import code_changes, load_areas
    from jsna_kit.load.reference import load_reference

    areas = load_areas(None)
    codes = ["E06000009", "E06000041", "E06000052", "W06000015"]  # Blackpool, Wokingham, Cornwall, Cardiff
    plan = plan_areas(areas[areas["area_code"].isin(codes)], areas=areas, changes=code_changes(),
                      data_dir=tmp_path_factory.mktemp("empty"))
    reference = load_reference()
    out = {}
    for p in plan.plans:
        assets = tmp_path_factory.mktemp(p.slug)
        out[p.area_name] = ChapterData(
            area=p.area, estimates=p.tables["estimates.csv"], evidence=plan.evidence,
            commissioning=reference.commissioning, pathways=reference.pathways,
            recommendations=reference.recommendations, sources=reference.sources,
            caseload_national=reference.caseload, assets=assets, context=p.tables["context.csv"])
    return out


def test_contrasting_areas_read_differently(chapters):
    blackpool = " ".join(notable_facts(chapters["Blackpool"]))
    wokingham = " ".join(notable_facts(chapters["Wokingham"]))
    assert "Blackpool's suicide rate is 56% higher than England's (17.1 per 100,000 in 2022-24" in blackpool
    assert "among the most deprived fifth of areas in England: ranked 1 of 151" in blackpool
    assert "Wokingham's suicide rate is 22% lower than England's" in wokingham
    assert "among the least deprived fifth" in wokingham
    assert "not tested for significance" in blackpool  # the snapshot has no intervals: never "significantly"
    assert "significantly" not in blackpool


def test_wales_uses_its_own_index_and_englands_rates(chapters):
    cardiff = chapters["Cardiff"]
    facts = " ".join(notable_facts(cardiff))
    assert "17% of Cardiff's small areas are among the most deprived tenth in Wales (Welsh Index of Multiple Deprivation 2025" in facts
    assert "IoD" not in facts
    block = expected_deaths_block(cardiff)
    assert "England's rate is used" in block
    assert cardiff.area["context_source"] == "none"
    for text in (context_section(cardiff, "suicide_prevention", "suicide-prevention"), context_chart_block(cardiff)):
        assert "Welsh areas" in text and "not yet part of this chapter" in text and "jsna-kit" not in text


def test_expected_deaths_follow_the_published_caseload(chapters):
    cornwall = chapters["Cornwall"]
    rows = {r["cause"]: r for r in cornwall.area["expected_deaths"]}
    caseload = cornwall.area["caseload"]  # published, rounded to 5
    assert rows["suicide"]["expected"] == pytest.approx(round(caseload * 15.04 / 100_000 * 6, 1))
    assert rows["drug_related"]["expected"] == pytest.approx(round(caseload * 7.12 / 100_000 * 16, 1))
    block = expected_deaths_block(cornwall)
    block = " ".join(block.split())
    assert "not counts of deaths that happened" in block
    assert "| Suicide | 15.0 (13.1 to 17.2); Cornwall, 2022-24" in block


def test_modelled_caseload_is_from_mid_2023_with_a_sensitivity_figure(chapters):
    cornwall = chapters["Cornwall"].area
    assert cornwall["data_vintages"]["population"] == "ONS mid-2023 population estimates"
    assert cornwall["adult_population"] == 472_640  # 472,638 rounded to 5
    sensitivity = cornwall["caseload_sensitivity"]
    assert sensitivity["caseload_deprivation"] != cornwall["caseload"] and "not the figure used" in sensitivity[
        "assumption"]


def test_context_section_says_higher_or_lower_without_an_interval(chapters):
    text = " ".join(context_section(chapters["Cornwall"], "suicide_prevention", "suicide-prevention").split())
    assert ("| Suicide rate | 2022-24 | 15.0 per 100,000 | 10.9 per 100,000 | higher than England (no interval: "
            "not tested)") in text
    assert "better" not in text.split("|", 1)[1]
    missing = context_section(chapters["Cornwall"], "mental_health", "mental-health")
    assert "No local indicator for mental health and wellbeing" in missing and "jsna-kit" not in missing


def test_one_spine_chart_with_alt_text(chapters):
    block = context_chart_block(chapters["Blackpool"])
    assert "#fig-context-spine" in block and "Spine chart of 14 local indicators for Blackpool" in block
    assert (Path(chapters["Blackpool"].assets) / "figures" / "context-spine.svg").is_file()


@pytest.mark.parametrize(("value", "polarity", "where"), [
    (10.0, "low_is_good", 0.5), (5.0, "low_is_good", 1.0), (20.0, "low_is_good", 0.0), (15.0, "low_is_good", 0.25),
    (15.0, "high_is_good", 0.75), (40.0, "low_is_good", 0.0)])
def test_spine_position(value, polarity, where):
    # England 10, range 5 to 20: the better half maps 10..best to 0.5..1, the worse half 10..worst to 0.5..0
    assert spine_position(value, 10.0, 5.0, 20.0, polarity) == pytest.approx(where)
