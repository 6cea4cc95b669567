"""A chapter built from the analyst's own files: caseload by sex (with a small cell that must be
suppressed, never shown as 0 nor recoverable) and locally identified needs compared with the
national rate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from jsna_kit.batch.run import build_area
from jsna_kit.model.local_caseload import publishable_breakdown

pytestmark = pytest.mark.e2e

CASELOAD = """area_code,area_name,sex,age_band,caseload,date,source,court_orders,licence,note
E08000019,Sheffield,all,all,2000,2025-03-31,PDU count,900,1200,
E08000019,Sheffield,male,all,1800,2025-03-31,PDU count,,,
E08000019,Sheffield,female,all,200,2025-03-31,PDU count,,,
E08000019,Sheffield,all,18-24,300,2025-03-31,PDU count,,,
E08000019,Sheffield,all,25-34,697,2025-03-31,PDU count,,,
E08000019,Sheffield,all,35-49,1000,2025-03-31,PDU count,,,
E08000019,Sheffield,all,50+,3,2025-03-31,PDU count,,,
"""

NEEDS = """area_code,area_name,priority_area,need,numerator,denominator,period,source,note
E08000019,Sheffield,mental_health,Mental health need identified in OASys,300,1600,2024/25,OASys extract,
E08000019,Sheffield,opd_pathway,Screened into the OPD pathway,3,1600,2024/25,OASys extract,
"""


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("local")
    (folder / "caseload.csv").write_text(CASELOAD, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    result = build_area("Sheffield", caseload_file=folder / "caseload.csv", needs_file=folder / "needs.csv",
                        out_dir=folder / "out", data_dir=folder, today=dt.date(2026, 11, 23))
    html = (folder / "out" / "_site" / "reports" / "E08000019-sheffield.html").read_text(encoding="utf-8")
    data = folder / "out" / "E08000019-sheffield" / "data"
    return result, html, data


def test_caseload_comes_from_the_file(chapter):
    _, html, data = chapter
    area = json.loads((data / "chapter.json").read_text())
    assert area["caseload"] == 2000 and area["caseload_kind"] == "local"
    assert "PDU count, 2025-03-31" in area["caseload_source"]
    assert "900 on court orders" in html and "1,200 on licence" in html


def test_small_age_cell_and_its_complement_are_suppressed(chapter):
    _, html, data = chapter
    cells = {(b["sex"], b["age_band"]): b["caseload"] for b in json.loads((data / "chapter.json").read_text())
             ["caseload_breakdown"]}
    assert cells[("all", "50+")] is None  # 3 people: primary suppression
    hidden = [k for k, v in cells.items() if v is None]
    assert len([k for k in hidden if k[0] == "all" and k[1] != "all"]) >= 2  # secondary: not recoverable
    assert cells[("male", "all")] == 1800 and cells[("all", "all")] == 2000
    assert "| all | 50+ | suppressed |" in (data.parent.parent / "E08000019-sheffield.ipynb").read_text() \
        or "suppressed" in html
    assert "| 3 |" not in html


def test_local_needs_are_compared_with_the_national_rate(chapter):
    """300 of 1,600 is 18.75%; the national headline (39%) predicts 624: the local figure is
    lower, and the Wilson interval excludes 39% by a wide margin."""
    _, html, data = chapter
    text = " ".join(html.split())
    assert "300 of 1,600 people (19%" in text
    assert "would predict about 624" in text
    assert "lower than that at the 95% level" in text
    assert "fewer than 5 people" in text and "OPD pathway" in text
    observed = (data / "observed.csv").read_text()
    assert ",3," not in observed.replace(",3,1600", "")  # the small count is not in the download


def test_breakdown_not_adding_up_falls_back_to_the_total(tmp_path):
    (tmp_path / "caseload.csv").write_text(
        "area_code,sex,age_band,caseload,date,source\n"
        "E08000019,all,all,2000,2025-03-31,PDU\nE08000019,male,all,1700,2025-03-31,PDU\n"
        "E08000019,female,all,200,2025-03-31,PDU\n", encoding="utf-8")
    result = build_area("E08000019", caseload_file=tmp_path / "caseload.csv", out_dir=tmp_path / "out",
                        data_dir=tmp_path, render=False, today=dt.date(2026, 11, 23))
    area = json.loads((Path(result.notebook).with_suffix("") / "data" / "chapter.json").read_text())
    assert "does not add up to the total of 2,000" in area["caseload_note"]


def test_publishable_breakdown_never_shows_zero_for_suppressed():
    import pandas as pd

    rows = pd.DataFrame({"sex": ["all", "male", "female"], "age_band": ["all"] * 3, "caseload": [50.0, 48, 2]})
    cells = {r["sex"]: r["caseload"] for r in publishable_breakdown(rows)}
    assert cells == {"all": 50.0, "male": None, "female": None}
