"""The candidate caseload models (model.caseload_models): closed forms worked out by hand, pools
that keep their totals, the band that holds every alternative for all 175 areas, the real-figure
validation table (load.caseload_validation), and what reaches chapter.json and the estimates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jsna_kit.errors import EstimateInputError, InputFileError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.caseload_validation import COLUMNS, read_caseload_validation
from jsna_kit.load.reference import load_reference
from jsna_kit.model.caseload import CASELOAD_COLUMNS
from jsna_kit.model.caseload_models import (
    HEADLINE_MODEL,
    MODELS,
    RANK_TO_SCORE_SLOPE,
    modelled_caseloads,
    wales_deprivation_score,
)

NATIONAL = 244_209.0

# Three areas worked out by hand: adults A 100, B 100, C 200; deprivation ratio 2, 0.5, 1;
# density ratio 4, 1, 0.25; one pool of 1,000 people. With a = 1 and b = 0.5 the weights are
# deprivation 2, 0.5, 1 (adults x weight 200, 50, 200 of 450); urban 2, 1, 0.5 (200, 100, 100
# of 400); both 4, 0.5, 0.5 (400, 50, 100 of 550).
HAND = pd.DataFrame({"area_code": ["A", "B", "C"], "nation": ["England", "England", "Wales"],
                     "adult_population": [100.0, 100.0, 200.0], "deprivation": [40.0, 10.0, 3.0],
                     "deprivation_ratio": [2.0, 0.5, 1.0], "density": [4.0, 1.0, 0.25],
                     "density_ratio": [4.0, 1.0, 0.25], "probation_region_code": ["R0", "R0", "R1"]})
BY_HAND = {"population": [250, 250, 500], "deprivation": [1000 * 200 / 450, 1000 * 50 / 450, 1000 * 200 / 450],
           "urban": [500, 250, 250], "deprivation_urban": [1000 * 400 / 550, 1000 * 50 / 550, 1000 * 100 / 550]}


@pytest.fixture(scope="module")
def areas():
    return load_areas(None)


@pytest.fixture(scope="module")
def every(areas):
    from jsna_kit.batch.inputs import all_modelled_caseloads

    return all_modelled_caseloads(areas, load_reference().caseload, None)


def _hand(**kwargs):
    return modelled_caseloads(HAND, kwargs.pop("totals", {"national": 1000.0}), deprivation_exponent=1.0,
                              density_exponent=0.5, **kwargs).set_index("area_code")


@pytest.mark.parametrize("model", MODELS)
def test_each_model_by_hand(model):
    out = _hand(headline=model, margin=1.2)
    assert out[f"caseload_alt_{model}"].tolist() == pytest.approx(BY_HAND[model])
    assert out["caseload"].tolist() == pytest.approx(BY_HAND[model])
    assert set(out["caseload_model"]) == {model}


def test_the_band_is_the_envelope_of_every_model_widened_by_the_margin():
    out = _hand(headline="deprivation", margin=1.2)
    assert list(out.reset_index().columns[:len(CASELOAD_COLUMNS)]) == list(CASELOAD_COLUMNS)
    # A: lowest model population 250, highest both 727.27; C: lowest both 181.82, highest population 500
    assert out.loc["A", "caseload_lower"] == pytest.approx(250 / 1.2)
    assert out.loc["A", "caseload_upper"] == pytest.approx(1000 * 400 / 550 * 1.2)
    assert out.loc["C", "caseload_lower"] == pytest.approx(1000 * 100 / 550 / 1.2)
    assert out.loc["C", "caseload_upper"] == pytest.approx(500 * 1.2)


def test_without_a_margin_it_is_the_models_typical_disagreement():
    out = _hand(headline="population")
    # largest factor from population: A 727.27/250, B 250/90.91, C 500/181.82 -> 2.909, 2.75, 2.75
    assert out["caseload_margin"].iloc[0] == pytest.approx(2.75)


def test_a_regional_total_is_shared_by_the_headline_weights_within_its_region():
    out = _hand(headline="deprivation", margin=1.0, totals={"national": 1000.0, "R1": 300.0})
    assert out.loc["C", "caseload"] == pytest.approx(300)  # the only area of R1
    assert out.loc["C", "caseload_model"] == "regional" and out.loc["C", "caseload_pool"] == "R1"
    assert out.loc["A", "caseload_model"] == "deprivation" and out.loc["A", "caseload_pool"] == "national"
    assert out.loc["A", "caseload_alt_regional"] == pytest.approx(BY_HAND["deprivation"][0])
    assert out.loc["C", "caseload_lower"] == pytest.approx(1000 * 100 / 550)  # the envelope still holds all five


def test_unknown_headline_and_missing_total_are_refused():
    with pytest.raises(EstimateInputError, match="unknown caseload model"):
        modelled_caseloads(HAND, {"national": 1.0}, headline="prisons")
    with pytest.raises(EstimateInputError, match="national total"):
        modelled_caseloads(HAND, {"R1": 1.0})


def test_wales_score_is_the_england_fitted_transform_of_the_mean_rank():
    # mean rank 959 of 1,917 small areas: percentile 1 - 959/1918 = 0.5
    assert wales_deprivation_score([959.0], 1917)[0] == pytest.approx(math.exp(RANK_TO_SCORE_SLOPE * 0.5))


def test_the_rank_to_score_slope_is_what_the_embedded_english_data_give():
    from jsna_kit.load.snapshot import deprivation_table, fingertips_snapshot

    iod = deprivation_table()
    iod = iod[iod["index_name"] == "IoD2025"].set_index("area_code")
    scores = fingertips_snapshot().query("indicator_id == 94240").set_index("area_code")["value"]
    q = iod["mean_small_area_rank"] / (33_755 + 1)  # IoD summaries rank the most deprived highest
    slope = np.polyfit(q, np.log(scores[iod.index]), 1)[0]
    assert slope == pytest.approx(RANK_TO_SCORE_SLOPE, abs=0.01)


def test_drivers_closed_form_for_tower_hamlets(areas, every):
    drivers = every.drivers.set_index("area_code")
    th = drivers.loc["E09000030"]
    assert th["deprivation_ratio"] == pytest.approx(th["deprivation"] / 21.81)
    land = pd.read_csv("data/reference/area_land.csv").set_index("area_code")["land_sq_km"]
    national_density = drivers["adult_population"].sum() / land.sum()
    assert th["density_ratio"] == pytest.approx(th["adult_population"] / land["E09000030"] / national_density)
    wales = drivers[drivers["nation"] == "Wales"]
    assert np.average(wales["deprivation_ratio"], weights=wales["adult_population"]) == pytest.approx(1)


def test_every_pool_keeps_its_total(every):
    for model in MODELS:
        assert every.table[f"caseload_alt_{model}"].sum() == pytest.approx(NATIONAL)


def test_the_band_contains_every_alternative_for_all_175_areas(every):
    table = every.table
    assert len(table) == 175
    outside = 0
    for column in [c for c in table.columns if c.startswith("caseload_alt_")]:
        outside += int(((table[column] < table["caseload_lower"]) | (table[column] > table["caseload_upper"])).sum())
    assert outside == 0
    assert (table["caseload_model"] == HEADLINE_MODEL).all()


def test_the_band_holds_the_regional_model_too(tmp_path, areas):
    from jsna_kit.batch.inputs import all_modelled_caseloads

    (tmp_path / "caseload").mkdir()
    (tmp_path / "caseload" / "caseload_by_region.csv").write_text(
        "probation_region_code,date,caseload\nN07,2025-06-30,38000\nN03,2025-06-30,16209\n", encoding="utf-8")
    table = all_modelled_caseloads(areas, load_reference().caseload, tmp_path).table
    for column in [c for c in table.columns if c.startswith("caseload_alt_")]:
        assert ((table[column] >= table["caseload_lower"]) & (table[column] <= table["caseload_upper"])).all()
    london = table[table["caseload_pool"] == "N07"]
    assert london["caseload"].sum() == pytest.approx(38000) and len(london) == 33


def test_tower_hamlets_is_not_below_its_population_share_under_the_deprivation_model(every):
    th = every.table.set_index("area_code").loc["E09000030"]
    assert th["caseload_alt_deprivation"] >= th["caseload_alt_population"]


def test_the_validation_table_is_read_and_every_figure_has_its_source_and_date(areas):
    table = read_caseload_validation(known_areas=areas["area_code"])
    assert list(table.columns[:len(COLUMNS)]) == list(COLUMNS)
    assert len(table) >= 1
    for column in ("source_title", "url", "date"):
        assert (table[column].str.strip() != "").all()
    assert (table["value"] > 0).all() and (table["value"] % 1 == 0).all()
    assert all(code in set(areas["area_code"]) for codes in table["area_codes"] for code in codes)


def test_a_figure_with_no_source_or_date_names_file_row_and_column(tmp_path, areas):
    header = ",".join(COLUMNS)
    good = ("CV01,local_authority,Kirklees,E08000034,whole,2000,2000,2023-03-01,people,unknown,Report,HMIP,"
            "2023-03-01,https://example.org,p. 3,")
    no_source = "CV02,local_authority,Kirklees,E08000034,whole,2000,2000,2023-03-01,people,unknown,,HMIP,,,p. 3,"
    no_date = ("CV03,pdu,Leeds,E08000035;E99999999,whole,2.5,2.5,,people,maybe,Report,HMIP,,https://example.org,"
               "p. 3,")
    path = tmp_path / "caseload_validation.csv"
    path.write_text("\n".join([header, good, no_source, no_date]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_caseload_validation(path, known_areas=areas["area_code"])
    text = [str(p) for p in caught.value.problems]
    assert any("caseload_validation.csv, row 3, column 'source_title': is blank" in t for t in text)
    assert any("row 3, column 'url': is blank" in t for t in text)
    assert any("row 4, column 'date': is blank" in t for t in text)
    assert any("row 4, column 'area_codes'" in t and "E99999999" in t for t in text)
    assert any("row 4, column 'value': is not a whole number" in t for t in text)
    assert any("row 4, column 'includes_custody'" in t for t in text)
    assert not any("row 2" in t for t in text)


def test_chapter_json_carries_each_model_with_why_and_the_band(areas, every):
    from jsna_kit.batch.local_figures import caseload_candidates

    row = every.table.set_index("area_code").loc["E08000012"]
    published = {"E08000012": {"caseload": 0.0, "caseload_lower": 1.0, "caseload_upper": 2.0,
                               "caseload_kind": "modelled"}}
    found = caseload_candidates(["E08000012"], published, every, areas)["E08000012"]
    models = {m["model"]: m for m in found["caseload_models"]}
    assert set(models) == set(MODELS)
    assert models[HEADLINE_MODEL]["is_headline"] and models[HEADLINE_MODEL]["differs_pct"] == 0
    assert models["population"]["caseload"] == 5 * round(row["caseload_alt_population"] / 5)
    assert models["deprivation"]["why"] == "Liverpool is more deprived than most of England."
    assert found["caseload_band"]["kind"] == "model_envelope" and found["caseload_band"]["lower"] == 1.0
    assert found["caseload_sensitivity"]["models"] == found["caseload_models"]


def test_the_estimates_table_carries_the_model_and_each_alternative():
    from jsna_kit.batch.estimates import estimates_for_areas

    table, _ = estimates_for_areas(["E09000030"])
    assert (table["caseload_model"] == HEADLINE_MODEL).all()
    for model in MODELS:
        column = f"caseload_alt_{model}"
        assert (table[column] % 5 == 0).all()
        assert ((table["caseload_lower"] <= table[column]) & (table[column] <= table["caseload_upper"])).all()
