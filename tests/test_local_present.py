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


def test_wales_uses_its_own_index_and_rates(chapters):
    cardiff = chapters["Cardiff"]
    facts = " ".join(notable_facts(cardiff))
    assert ("17% of Cardiff's small areas are among the most deprived tenth in Wales (Welsh Index of Multiple "
            "Deprivation 2025") in facts
    assert "IoD" not in facts
    # Wales's own published rates (ONS: Cardiff's suicide rate 2021-23, 10.4 per 100,000), not England's
    rows = {r["cause"]: r for r in cardiff.area["expected_deaths"]}
    assert (rows["suicide"]["rate_area"], rows["suicide"]["rate_per_100000"]) == ("local", 10.4)
    assert rows["drug_related"]["rate_period"] == "2022"
    block = " ".join(expected_deaths_block(cardiff).split())
    assert "England's rate is used" not in block and "| Suicide | 10.4 (8.4 to 12.7); Cardiff, 2021-23" in block
    # its context compared with Wales, and said to come from Wales's own published figures
    assert cardiff.area["context_source"] == "wales_snapshot"
    assert "not yet part of this chapter" not in cardiff.area["context_note"]
    context = cardiff.rows("context")
    assert context and all(r["comparator_name"] == "Wales" for r in context)
    text = context_section(cardiff, "suicide_prevention", "suicide-prevention")
    assert "not yet part of this chapter" not in text and "Suicide rate" in text


def test_expected_deaths_follow_the_published_caseload(chapters):
    cornwall = chapters["Cornwall"]
    rows = {r["cause"]: r for r in cornwall.area["expected_deaths"]}
    caseload = cornwall.area["caseload"]  # published, rounded to 5
    assert rows["suicide"]["expected"] == pytest.approx(round(caseload * 15.04 / 100_000 * 6, 1))
    assert rows["drug_related"]["expected"] == pytest.approx(round(caseload * 7.12 / 100_000 * 16, 1))
    block = expected_deaths_block(cornwall)
    block = " ".join(block.split())
    assert "not counts of deaths that happened" in block
    assert "| Suicide | 15.0 (13.0 to 17.2); Cornwall, 2022-24" in block  # 13.09 to 17.2, rounded outwards


def test_modelled_caseload_is_from_mid_2023_with_every_models_figure(chapters):
    cornwall = chapters["Cornwall"].area
    assert cornwall["data_vintages"]["population"] == "ONS mid-2023 population estimates"
    assert cornwall["adult_population"] == 472_640  # 472,638 rounded to 5
    models = {m["model"]: m for m in cornwall["caseload_models"]}
    assert models["deprivation"]["is_headline"] and models["deprivation"]["caseload"] == cornwall["caseload"]
    assert all(cornwall["caseload_lower"] <= m["caseload"] <= cornwall["caseload_upper"] for m in models.values())
    assert "not a confidence interval" in cornwall["caseload_band"]["words"]


def test_context_section_says_higher_or_lower_without_an_interval(chapters):
    text = " ".join(context_section(chapters["Cornwall"], "suicide_prevention", "suicide-prevention").split())
    assert ("| Suicide rate | 2022-24 | 15.0 per 100,000 | 11.0 per 100,000 | higher than England (no interval: "
            "not tested)") in text
    assert "better" not in text.split("|", 1)[1]
    missing = context_section(chapters["Cornwall"], "mental_health", "mental-health")
    assert "No local indicator for mental health and wellbeing" in missing and "jsna-kit" not in missing


def test_one_spine_chart_with_alt_text(chapters):
    block = context_chart_block(chapters["Blackpool"])
    assert "#figure-context-spine" in block and "Spine chart of 14 local indicators for Blackpool" in block
    assert (Path(chapters["Blackpool"].assets) / "figures" / "context-spine.svg").is_file()


@pytest.mark.parametrize(("value", "polarity", "where"), [
    (10.0, "low_is_good", 0.5), (5.0, "low_is_good", 1.0), (20.0, "low_is_good", 0.0), (15.0, "low_is_good", 0.25),
    (15.0, "high_is_good", 0.75), (40.0, "low_is_good", 0.0)])
def test_spine_position(value, polarity, where):
    # England 10, range 5 to 20: the better half maps 10..best to 0.5..1, the worse half 10..worst to 0.5..0
    assert spine_position(value, 10.0, 5.0, 20.0, polarity) == pytest.approx(where)
