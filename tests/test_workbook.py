"""The Excel download: every table as a sheet with its values as they are, text never read as a
formula, and a workbook whose shared sheet was reused reads back exactly like one written whole."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from jsna_kit.publish.workbook import SharedSheets, write_workbook


def estimates(area: str, caseload: float) -> pd.DataFrame:
    return pd.DataFrame({
        "area_code": [area, area, area],
        "measure": ["Current mental illness", "=HYPERLINK(\"http://x\")", "Café ünïcode & <tags>"],
        "caseload": [caseload, caseload, caseload],
        "expected": [780.0, np.nan, 15.0],
        "suppressed": [False, True, False],
        "count": pd.array([3, None, 12], dtype="Int64"),
    })


EVIDENCE = pd.DataFrame({"estimate_id": ["MH1", "MH2"], "value": [39.0, 28.5], "note": ["a", None],
                         "year": [2012, 2013]})


def test_values_round_trip_and_text_stays_text(tmp_path):
    path = write_workbook(tmp_path / "one.xlsx", [("estimates", estimates("E1", 2000.0)),
                                                 ("national evidence", EVIDENCE)])
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["estimates", "national evidence"]
    back = sheets["estimates"]
    assert back["measure"].tolist()[1] == '=HYPERLINK("http://x")'
    assert back["measure"].tolist()[2] == "Café ünïcode & <tags>"
    assert back["expected"].isna().tolist() == [False, True, False]  # missing stays blank, not 0
    assert back["suppressed"].tolist() == [False, True, False]
    assert back["count"].tolist()[0] == 3 and pd.isna(back["count"].tolist()[1])
    cell = load_workbook(path)["estimates"]["B3"]
    assert cell.data_type == "s", "a value starting with = is text, not a formula"
    assert not list(tmp_path.glob("*.partial*"))


def test_a_reused_shared_sheet_reads_back_like_one_written_whole(tmp_path):
    shared = SharedSheets([("national evidence", EVIDENCE)])
    for area, caseload in (("E1", 2000.0), ("E2", 35.0)):
        reused = write_workbook(tmp_path / f"{area}-reused.xlsx", [("estimates", estimates(area, caseload)),
                                                                    ("local observed", EVIDENCE.head(1))], shared)
        whole = write_workbook(tmp_path / f"{area}-whole.xlsx", [("estimates", estimates(area, caseload)),
                                                                  ("local observed", EVIDENCE.head(1)),
                                                                  ("national evidence", EVIDENCE)])
        a, b = pd.read_excel(reused, sheet_name=None), pd.read_excel(whole, sheet_name=None)
        assert list(a) == list(b) == ["estimates", "local observed", "national evidence"]
        for name in a:
            pd.testing.assert_frame_equal(a[name], b[name])
        with zipfile.ZipFile(reused) as x, zipfile.ZipFile(whole) as y:
            assert x.namelist() == y.namelist()
            assert x.read("xl/worksheets/sheet3.xml") == y.read("xl/worksheets/sheet3.xml")
            assert x.testzip() is None
        assert load_workbook(reused)["estimates"]["C2"].value == caseload  # Excel opens it


def test_only_shared_sheets(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", [], SharedSheets([("national evidence", EVIDENCE)]))
    assert pd.read_excel(path, sheet_name=None)["national evidence"]["estimate_id"].tolist() == ["MH1", "MH2"]
