"""Statistical neighbours (model.neighbours) and the comparison with them (present.neighbours):
features and distances against values worked out by hand, one nation at a time, the same result
whatever the order of the input rows, and every area of the embedded data given its neighbours."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna_kit.load import snapshot
from jsna_kit.load.areas import load_areas
from jsna_kit.model import neighbours as nb
from jsna_kit.present.neighbours import compare_with_neighbours, neighbour_list_sentence, ordinal

FIXTURES = Path(__file__).parent / "fixtures"


def _adults(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Adult population rows split evenly between the sexes."""
    rows = [{"area_code": code, "sex": sex, "age_band": band, "population": n / 2}
            for code, bands in counts.items() for band, n in bands.items() for sex in ("female", "male")]
    return pd.DataFrame(rows)


def _tiny(b3: float = 0.0) -> pd.DataFrame:
    """Four English areas, two variables: a = 0, 1, 2, 3 and b = 0, 0, b3, 4."""
    return pd.DataFrame({"area_code": [f"E0600000{i}" for i in range(1, 5)], "nation": "England",
                         "a": [0.0, 1.0, 2.0, 3.0], "b": [0.0, 0.0, b3, 4.0]})


# --- features ---------------------------------------------------------------------------------


def test_features_of_a_hand_made_pair_of_areas():
    adults = _adults({"E06000001": {"18-24": 100, "25-34": 100, "35-49": 300, "50-64": 300, "65+": 200},
                      "W06000001": {"18-24": 50, "25-34": 50, "35-49": 100, "50-64": 100, "65+": 200}})
    deprivation = pd.DataFrame({"area_code": ["W06000001", "E06000001"], "deprivation_score": [40.0, 25.0]})
    land = pd.DataFrame({"area_code": ["E06000001", "W06000001"], "land_sq_km": [10.0, 100.0]})
    caseload = pd.Series({"E06000001": 6.5})
    features = nb.neighbour_features(adults, deprivation, land, caseload)
    assert features["area_code"].tolist() == ["E06000001", "W06000001"]
    assert features["nation"].tolist() == ["England", "Wales"]
    assert features["adult_population"].tolist() == [1000, 500]
    assert features["log_adults"].tolist() == pytest.approx([math.log(1000), math.log(500)])
    assert features["share_18_34"].tolist() == pytest.approx([0.2, 0.2])
    assert features["share_65_plus"].tolist() == pytest.approx([0.2, 0.4])
    assert features["deprivation"].tolist() == [25.0, 40.0]
    assert features["adults_per_sq_km"].tolist() == pytest.approx([100.0, 5.0])
    assert features["log_density"].tolist() == pytest.approx([math.log(100), math.log(5)])
    # The Welsh area has no caseload given: blank, not 0.
    assert features["caseload_per_1000_adults"].iloc[0] == 6.5
    assert np.isnan(features["caseload_per_1000_adults"].iloc[1])


def test_caseload_per_adult_defaults_to_blank():
    adults = _adults({"E06000001": {"18-24": 10, "65+": 10}})
    features = nb.neighbour_features(adults, pd.Series({"E06000001": 1.0}), pd.Series({"E06000001": 2.0}))
    assert features["caseload_per_1000_adults"].isna().all()


def test_welsh_deprivation_is_the_mean_lsoa_rank_as_a_percentage_from_the_least_deprived():
    deprivation = pd.DataFrame({"area_code": ["W06000001", "W06000002"], "index_name": "WIMD2025",
                                "mean_small_area_rank": [25.0, 75.0], "small_areas": [50, 50]})
    fingertips = pd.DataFrame({"area_code": ["E06000001", "E92000001", "E06000001"],
                               "indicator_id": [94240, 94240, 92432], "value": [30.5, 21.8, 9.0]})
    scores = nb.deprivation_scores(deprivation, fingertips).set_index("area_code")["deprivation_score"]
    assert scores.to_dict() == {"E06000001": 30.5, "W06000001": 75.0, "W06000002": 25.0}


# --- distances and ranks ----------------------------------------------------------------------


def test_distances_and_ranks_worked_out_by_hand():
    # Population sd of a is sqrt(1.25), of b sqrt(3); with weights 1 and 3 (total 4),
    # d^2 = (da^2 / 1.25 + 3 * db^2 / 3) / 4.
    result = nb.statistical_neighbours(_tiny(), k=3, weights={"a": 1.0, "b": 3.0})
    first = result[result["area_code"] == "E06000001"]
    assert first["neighbour_code"].tolist() == ["E06000002", "E06000003", "E06000004"]
    assert first["rank"].tolist() == [1, 2, 3]
    assert first["distance"].tolist() == pytest.approx([math.sqrt(0.2), math.sqrt(0.8), math.sqrt(5.8)])
    # E06000002 is sqrt(0.2) from both E06000001 and E06000003: the tie goes to the smaller code.
    second = result[result["area_code"] == "E06000002"]
    assert second["neighbour_code"].tolist()[:2] == ["E06000001", "E06000003"]
    assert second["distance"].tolist()[:2] == pytest.approx([math.sqrt(0.2), math.sqrt(0.2)])
    assert list(result.columns) == ["area_code", "neighbour_code", "rank", "distance"]


def test_an_area_missing_a_variable_is_compared_on_the_others():
    # b blank for E06000003: E06000001 and E06000003 differ only on a, z-difference 2 / sqrt(1.25).
    result = nb.statistical_neighbours(_tiny(b3=np.nan), k=3, weights={"a": 1.0, "b": 3.0})
    pair = result[(result["area_code"] == "E06000001") & (result["neighbour_code"] == "E06000003")]
    assert pair["distance"].iloc[0] == pytest.approx(2 / math.sqrt(1.25))
    assert len(result[result["area_code"] == "E06000003"]) == 3


def test_a_variable_blank_or_the_same_everywhere_changes_nothing():
    base = nb.statistical_neighbours(_tiny(), k=2, weights={"a": 1.0})
    blank = nb.statistical_neighbours(_tiny().assign(c=np.nan), k=2, weights={"a": 1.0, "c": 2.0})
    flat = nb.statistical_neighbours(_tiny().assign(c=5.0), k=2, weights={"a": 1.0, "c": 2.0})
    pd.testing.assert_frame_equal(base, blank)
    pd.testing.assert_frame_equal(base, flat)


def test_nations_are_kept_apart():
    features = pd.concat([_tiny(), _tiny().assign(area_code=lambda f: f["area_code"].str.replace("E", "W"),
                                                  nation="Wales")], ignore_index=True)
    result = nb.statistical_neighbours(features, k={"England": 3, "Wales": 2}, weights={"a": 1.0, "b": 1.0})
    assert (result["area_code"].str[0] == result["neighbour_code"].str[0]).all()
    assert result.groupby("area_code").size().to_dict() == {**{f"E0600000{i}": 3 for i in range(1, 5)},
                                                            **{f"W0600000{i}": 2 for i in range(1, 5)}}


# --- the embedded data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded():
    areas = load_areas(None, validate=False)
    deprivation = nb.deprivation_scores(snapshot.deprivation_table(areas), snapshot.fingertips_snapshot(areas))
    features = nb.neighbour_features(snapshot.adult_population_table(areas), deprivation,
                                     snapshot.area_land_table(areas))
    return areas, features, nb.statistical_neighbours(features)


def test_every_area_gets_its_neighbours_from_its_own_nation(embedded):
    areas, features, result = embedded
    assert len(features) == 175 and not features[[c for c in nb.WEIGHTS if c != "caseload_per_1000_adults"]
                                                 ].isna().any().any()
    counts = result.groupby("area_code").size()
    assert set(counts.index) == set(areas["area_code"])
    assert (counts[counts.index.str.startswith("E")] == 10).all()
    assert (counts[counts.index.str.startswith("W")] == 5).all()
    assert (result["area_code"].str[0] == result["neighbour_code"].str[0]).all()
    assert not (result["area_code"] == result["neighbour_code"]).any()
    assert (result.groupby("area_code")["distance"].apply(lambda d: d.is_monotonic_increasing)).all()


def test_deterministic_and_the_same_with_the_rows_in_another_order(embedded):
    _, features, result = embedded
    pd.testing.assert_frame_equal(result, nb.statistical_neighbours(features))
    for seed in (1, 2):
        shuffled = features.sample(frac=1, random_state=seed).reset_index(drop=True)
        shuffled = shuffled[list(reversed(shuffled.columns))]
        pd.testing.assert_frame_equal(result, nb.statistical_neighbours(shuffled))


def test_inputs_in_another_order_give_the_same_features(embedded):
    areas, features, _ = embedded
    adults = snapshot.adult_population_table(areas).sample(frac=1, random_state=3)
    deprivation = nb.deprivation_scores(snapshot.deprivation_table(areas), snapshot.fingertips_snapshot(areas))
    land = snapshot.area_land_table(areas).iloc[::-1]
    again = nb.neighbour_features(adults, deprivation.sample(frac=1, random_state=4), land)
    pd.testing.assert_frame_equal(features, again)


def test_a_caseload_per_adult_that_varies_is_used(embedded):
    _, features, result = embedded
    rate = pd.Series(np.linspace(2, 12, len(features)), index=features["area_code"])
    with_caseload = nb.statistical_neighbours(features.assign(caseload_per_1000_adults=rate.to_numpy()))
    assert not with_caseload.equals(result)


def test_english_lists_agree_with_dfe_well_beyond_chance(embedded):
    _, _, result = embedded
    published = pd.read_csv(FIXTURES / "published_neighbours_dfe_2025.csv", comment="#", dtype=str)
    theirs = published.set_index("area_code").apply(set, axis=1)
    ours = result.groupby("area_code")["neighbour_code"].agg(set)
    overlap = pd.Series({code: len(ours[code] & theirs[code]) for code in theirs.index})
    assert len(overlap) == 153
    # Two random lists of 10 from 152 share 0.66 on average.
    assert overlap.mean() > 3
    assert (overlap >= 1).mean() > 0.9


# --- present ----------------------------------------------------------------------------------


VALUES = pd.DataFrame([
    ("E06000001", "Deaths from drug misuse", 12.0, "low_is_good", "per_100000"),
    ("E06000002", "Deaths from drug misuse", 5.0, "low_is_good", "per_100000"),
    ("E06000003", "Deaths from drug misuse", 8.0, "low_is_good", "per_100000"),
    ("E92000001", "Deaths from drug misuse", 6.0, "low_is_good", "per_100000"),
    ("E06000001", "Adults who smoke", 10.0, "low_is_good", "percent"),
    ("E06000002", "Adults who smoke", 12.0, "low_is_good", "percent"),
    ("E06000003", "Adults who smoke", 8.0, "low_is_good", "percent"),
    ("E92000001", "Adults who smoke", 11.0, "low_is_good", "percent"),
    ("E06000009", "Adults who smoke", 99.0, "low_is_good", "percent"),  # not a neighbour: left out
], columns=["area_code", "indicator_name", "value", "polarity", "unit"])
NEIGHBOURS = {"E06000002": "Bravo", "E06000003": "Charlie"}


def test_sentences_and_summary_from_hand_made_values():
    result = compare_with_neighbours("E06000001", "Alpha", NEIGHBOURS, VALUES)
    assert result.sentences == [
        "Of Alpha and its 2 most similar areas, Alpha has the least favourable figure of the group for deaths from "
        "drug misuse (12.0 per 100,000; England 6.0).",
        "It is in the less favourable half of the group for adults who smoke (the 2nd highest of 3; 10.0%; "
        "England 11.0%).",
    ]
    assert result.summary == ("Among the 2 areas most like it, Alpha has the least favourable figure of the "
                              "group for deaths from drug misuse.")


def test_a_tie_and_no_extremes_are_said_plainly():
    values = VALUES.copy()
    values.loc[values["area_code"] == "E06000003", "value"] = [12.0, 11.0]
    values.loc[(values["area_code"] == "E06000001") & (values["indicator_name"] == "Adults who smoke"), "value"] = 11.5
    result = compare_with_neighbours("E06000001", "Alpha", NEIGHBOURS, values)
    assert ("has the least favourable figure of the group for deaths from drug misuse (shared with another area; "
            in result.sentences[0])
    values.loc[(values["area_code"] == "E06000001") & (values["indicator_name"] == "Deaths from drug misuse"),
               "value"] = 9.0
    summary = compare_with_neighbours("E06000001", "Alpha", NEIGHBOURS, values).summary
    assert summary == ("Among the 2 areas most like it, Alpha is neither the highest nor the lowest on any of the "
                       "2 measures compared; it is in the less favourable half on none of the two with a direction.")


def test_measures_are_grouped_by_where_the_area_stands_least_favourable_first():
    from jsna_kit.present.neighbours import standing_sentences

    standing = pd.DataFrame([
        {"indicator_name": "Adults who smoke", "polarity": "low_is_good", "unit": "percent", "value": 8.0,
         "position": 5, "position_from_lowest": 1, "joint": False, "compared": 5, "nation_value": 10.0},
        {"indicator_name": "Suicide rate", "polarity": "low_is_good", "unit": "per_100000", "value": 12.0,
         "position": 1, "position_from_lowest": 5, "joint": False, "compared": 5, "nation_value": 10.0},
        {"indicator_name": "Deaths from drug misuse", "polarity": "low_is_good", "unit": "per_100000", "value": 7.0,
         "position": 2, "position_from_lowest": 4, "joint": False, "compared": 4, "nation_value": 6.0},
        {"indicator_name": "People on probation per 1,000 adults", "polarity": "no_judgement", "unit": "per_1000",
         "value": 4.0, "position": 3, "position_from_lowest": 3, "joint": False, "compared": 5, "nation_value": 5.0},
    ])
    sentences = standing_sentences(standing, area_name="Alpha", neighbour_count=4, nation="England")
    assert sentences == [
        "Of Alpha and its 4 most similar areas, Alpha has the least favourable figure of the group for suicide rate "
        "(12.0 per 100,000; England 10.0).",
        "It is in the less favourable half of the group for deaths from drug misuse (the 2nd highest of 4; "
        "7.0 per 100,000; England 6.0).",
        "It has the most favourable figure of the group for adults who smoke (8.0%; England 10.0%).",
        "It is in the middle of the group for people on probation per 1,000 adults (the 3rd highest of 5; "
        "4.0 per 1,000; England 5.0).",
    ]


def test_names_are_escaped():
    result = compare_with_neighbours("E06000001", "Alpha <b>*", NEIGHBOURS, VALUES)
    assert "Alpha &lt;b&gt;\\*" in result.sentences[0] and "<b>" not in result.summary
    assert "<b>" not in result.svg and "Alpha &lt;b&gt;*" in result.svg
    assert neighbour_list_sentence("Alpha", ["Bravo", "Charlie"]) == (
        "Areas most like Alpha (statistical neighbours, nearest first): Bravo and Charlie.")


def test_chart_has_alt_text_from_the_data_and_the_area_highlighted():
    result = compare_with_neighbours("E06000001", "Alpha", NEIGHBOURS, VALUES)
    assert result.svg.startswith("<svg") and 'role="img"' in result.svg
    assert f"<title>{result.alt}</title>" in result.svg
    assert result.alt.startswith("Chart comparing Alpha with its 2 most similar areas and England on 2 measures.")
    assert "Deaths from drug misuse: Alpha 12.0 per 100,000, the highest of 3; similar areas 5.0 to 8.0 per " \
           "100,000; England 6.0 per 100,000" in result.alt
    # The area: one blue diamond per measure and one in the legend; its name in bold.
    assert result.svg.count('fill="#0072B2"') == 3
    assert '<text x="34" y="23" font-size="15" text-anchor="start" fill="#222222" font-weight="bold">Alpha</text>' \
        in result.svg
    # Neighbours: grey circles, two per measure and one in the legend.
    assert result.svg.count('fill="#595959"') == 5


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]


def test_the_batch_standings_agree_with_the_model_for_every_area():
    """``batch.area_recommendations.Standings`` (one array for all areas, for speed) gives each
    area the same positions, counts and nation values as ``standing_among_neighbours``."""
    from jsna_kit.batch.area_recommendations import Standings
    from jsna_kit.batch.similar_areas import similar_areas

    areas = load_areas(None)
    lists, _, values = similar_areas(list(areas["area_code"]), areas, None)
    table = Standings(values)
    compared = 0
    for code, listed in lists.items():
        neighbours = [n["code"] for n in listed]
        model = nb.standing_among_neighbours(values, code, neighbours)
        batch = pd.DataFrame(table.of(code, neighbours))
        assert len(batch) == len(model), code
        if model.empty:
            continue
        merged = model.merge(batch, on="indicator_name", suffixes=("", "_batch"))
        assert len(merged) == len(model), code
        for column in ("value", "position", "position_from_lowest", "compared", "polarity"):
            assert merged[column].tolist() == merged[f"{column}_batch"].tolist(), (code, column)
        assert np.allclose(merged["nation_value"], merged["nation_value_batch"], equal_nan=True), code
        compared += len(model)
    assert compared > 175 * 5  # every area, on most measures


@pytest.mark.parametrize("code", ["E06000001", "W06000015"])
def test_the_caseload_rate_among_similar_areas_is_the_summarys(chapter_data, code):
    """The rate per 1,000 adults is compared and shown from the published (rounded) caseload, as the
    summary states it: Hartlepool read 8.7 in its summary and 8.8 among its similar areas."""
    data = chapter_data(code)
    rows = data.neighbours[(data.neighbours["indicator_id"] == 0) & (data.neighbours["role"] == "area")]
    assert rows["value"].round(2).tolist() == [round(float(data.area["caseload_per_1000_adults"]), 2)]
