from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.benchmark import benchmark_against, benchmark_label, normalise_polarity


@pytest.mark.parametrize("given,expected", [
    (0, "low_is_good"), (1, "high_is_good"), (99, "no_judgement"), (-1, "no_judgement"),
    (0.0, "low_is_good"), ("1", "high_is_good"), ("-1", "no_judgement"),
    ("RAG - Low is good   ", "low_is_good"), ("RAG - High is good", "high_is_good"),
    ("BOB - Blue orange blue", "no_judgement"), ("Not applicable", "no_judgement"),
    ("low_is_good", "low_is_good"), ("High is good", "high_is_good"), ("no judgement", "no_judgement"),
    (np.nan, "no_judgement"), (None, "no_judgement"),
])
def test_polarity_forms(given, expected):
    assert normalise_polarity(pd.Series([given], dtype=object))[0] == expected


def test_unknown_polarity_is_an_error_not_no_judgement():
    with pytest.raises(EstimateInputError, match="polarity 'Low is god'"):
        normalise_polarity(pd.Series(["RAG - High is good", "Low is god"]))


# comparator 10: interval wholly above, containing, wholly below, touching, and missing pieces
LOWER = [11.0, 8.0, 5.0, 10.0, np.nan, 8.0]
UPPER = [15.0, 12.0, 9.0, 14.0, 12.0, 12.0]
COMPARATOR = [10.0, 10.0, 10.0, 10.0, 10.0, np.nan]


@pytest.mark.parametrize("polarity,labels", [
    ("low_is_good", ["worse", "similar", "better", "similar", "not_compared", "not_compared"]),
    ("high_is_good", ["better", "similar", "worse", "similar", "not_compared", "not_compared"]),
    ("no_judgement", ["higher", "similar", "lower", "similar", "not_compared", "not_compared"]),
])
def test_labels_by_polarity(polarity, labels):
    assert list(benchmark_label(LOWER, UPPER, COMPARATOR, polarity)) == labels


def test_benchmark_against_tidy_table_at_both_levels():
    df = pd.DataFrame({
        "area_code": ["E06000001", "E06000002", "E06000003"],
        "indicator": ["suicide rate", "smoking in SMI", "QOF depression"],
        "value": [14.0, 30.0, 13.0],
        "lower_95_ci": [11.0, 27.0, 12.5],
        "upper_95_ci": [17.0, 33.0, 13.5],
        "lower_99_8_ci": [9.5, 26.5, 12.0],
        "upper_99_8_ci": [19.0, 35.0, 14.0],
        "england": [10.4, 26.0, 12.7],
        "polarity": ["RAG - Low is good   ", 0, 99],
    })
    at95 = benchmark_against(df, "england")
    assert at95["benchmark_95"].tolist() == ["worse", "worse", "similar"]
    at998 = benchmark_against(df, "england", level=0.998)
    assert at998["benchmark_99_8"].tolist() == ["similar", "worse", "similar"]
    assert "benchmark_95" not in df.columns  # input untouched


def test_benchmark_without_polarity_column_makes_no_judgement():
    df = pd.DataFrame({"lower_95_ci": [11.0], "upper_95_ci": [15.0], "region": [10.0]})
    assert benchmark_against(df, "region")["benchmark_95"].tolist() == ["higher"]


def test_benchmark_custom_columns():
    df = pd.DataFrame({"lo": [1.0], "hi": [2.0], "national": [3.0], "polarity": [1]})
    out = benchmark_against(df, "national", lower_col="lo", upper_col="hi", label_col="vs_national")
    assert out["vs_national"].tolist() == ["worse"]


def test_interval_out_of_order_names_the_area():
    df = pd.DataFrame({"area_code": ["E06000001", "E09000001"], "lower_95_ci": [1.0, 5.0],
                       "upper_95_ci": [2.0, 4.0], "england": [3.0, 3.0]})
    with pytest.raises(EstimateInputError, match="E09000001"):
        benchmark_against(df, "england")


def test_missing_comparator_column():
    with pytest.raises(EstimateInputError, match="'england'"):
        benchmark_against(pd.DataFrame({"lower_95_ci": [1.0], "upper_95_ci": [2.0]}), "england")
