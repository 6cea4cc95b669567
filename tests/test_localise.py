"""A Welsh chapter's reference text (issue 27): the Welsh beside the English in each reference file,
for every row a Welsh chapter prints; a missing one fails naming the file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.errors import InputFileError
from jsna_kit.load.localise import in_language

POLICY = pd.DataFrame({"statement_id": ["POL-E", "POL-W", "POL-EW"],
                       "nation": ["England", "Wales", "England and Wales"],
                       "topic": ["Suicide prevention"] * 3, "statement": ["England's.", "Wales's.", "Both."]})
WELSH = {"policy": pd.DataFrame({"statement_id": ["POL-W", "POL-EW"], "topic": ["Suicide prevention"] * 2,
                                 "topic_cy": ["Atal hunanladdiad"] * 2, "statement": ["Wales's.", "Both."],
                                 "statement_cy": ["Un Cymru.", "Y ddwy."], "_row": [3, 4]})}


def test_english_is_the_table_itself():
    assert in_language(POLICY, "policy", "en", WELSH) is POLICY


def test_welsh_replaces_the_text_of_every_row_a_welsh_chapter_prints_and_no_other():
    out = in_language(POLICY, "policy", "cy", WELSH)
    assert out["statement"].tolist() == ["England's.", "Un Cymru.", "Y ddwy."]
    assert out["topic"].tolist() == ["Suicide prevention", "Atal hunanladdiad", "Atal hunanladdiad"]
    assert POLICY["statement"].tolist() == ["England's.", "Wales's.", "Both."]  # the input is not changed


def test_a_printed_row_without_its_welsh_fails_naming_file_row_and_column():
    gap = {"policy": WELSH["policy"].assign(statement_cy=["Un Cymru.", ""])}
    with pytest.raises(InputFileError) as err:
        in_language(POLICY, "policy", "cy", gap, directory=Path("/ref"))
    text = str(err.value)
    assert "/ref/policy.csv" in text and "row 4" in text and "statement_cy" in text and "POL-EW" in text
    with pytest.raises(InputFileError, match="statement_cy"):
        in_language(POLICY, "policy", "cy", {})  # no Welsh at all


def test_an_area_s_recommendations_take_the_welsh_of_their_reference_row():
    area = pd.DataFrame({"recommendation_id": ["REC-W"], "nation": ["Wales"], "text": ["Commission it."],
                         "owner": ["Local health board"]})
    welsh = {"recommendations": pd.DataFrame({"recommendation_id": ["REC-W"], "recommendation_cy": ["Comisiynwch ef."],
                                              "owner_cy": ["Bwrdd iechyd lleol"], "_row": [2]})}
    out = in_language(area, "recommendations", "cy", welsh)
    assert out.loc[0, "text"] == "Comisiynwch ef." and out.loc[0, "owner"] == "Bwrdd iechyd lleol"
    with pytest.raises(ValueError, match="unknown language"):
        in_language(area, "recommendations", "fr", welsh)
