"""The national overview page: a choropleth of estimated need and a sortable index of areas."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from jsna_kit.batch.estimates import estimates_for_areas
from jsna_kit.batch.run import build_area
from jsna_kit.publish.overview import render_overview_fallback, write_overview

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(shared_data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    build_area("Sheffield", caseload=2000, out_dir=out, data_dir=shared_data_dir, render=False,
               today=dt.date(2026, 11, 23))
    estimates, _ = estimates_for_areas(None, data_dir=shared_data_dir)
    page = write_overview(estimates, out_dir=out, data_dir=shared_data_dir, today=dt.date(2026, 11, 23))
    outputs = render_overview_fallback(estimates, out_dir=out, data_dir=shared_data_dir, site_dir=out / "_site",
                                       today=dt.date(2026, 11, 23))
    return out, page, outputs, estimates


def test_overview_lists_every_area_with_its_headline_estimates(site):
    out, page, _, estimates = site
    text = page.read_text()
    rows = [line for line in text.splitlines() if re.match(r"^\| (\[|[A-Z])", line) and "| Code |" not in line]
    assert len(rows) == estimates["area_code"].nunique() == 175  # all modelled from the mid-2023 snapshot
    sheffield = next(r for r in rows if "E08000019" in r)
    # Sheffield's chapter was built with a local caseload of 2,000: the page shows the chapter's own figures
    own = pd.read_csv(out / "E08000019-sheffield" / "data" / "estimates.csv")
    mh = own[(own["priority_area"] == "mental_health") & (own["role"] == "headline")]["expected"].iloc[0]
    assert f"| {mh:,.0f} |" in sheffield and "| 2,000 |" in sheffield
    barnsley = next(r for r in rows if "E08000016" in r)
    modelled = estimates[(estimates["area_code"] == "E08000016") & (estimates["priority_area"] == "mental_health")
                         & (estimates["role"] == "headline")]["expected"].iloc[0]
    assert f"| {modelled:,.0f} |" in barnsley and "(modelled)" in barnsley


def test_overview_maps_rates_not_counts_and_explains_every_column(site):
    _, page, _, estimates = site
    text = page.read_text()
    assert "per 1,000 people on probation" in text and "London" in text
    sheffield = next(line for line in text.splitlines() if "E08000019" in line and line.startswith("|"))
    # 2,000 people x Sheffield's suicide rate x 6 / 100,000, to one decimal
    from jsna_kit.load.snapshot import fingertips_snapshot

    rates = fingertips_snapshot().set_index(["area_code", "indicator_id"])["value"]
    assert f"| {2000 * rates[('E08000019', 41001)] * 6 / 100_000:.1f} |" in sheffield
    header = next(line for line in text.splitlines() if line.startswith("| Area"))
    for column in ("Caseload", "Suicides a year", "Per 1,000", "Drug deaths a year", "IMD score (England)",
                   "WIMD most deprived 10% (Wales)"):
        assert column in header and f"- **{column}**:" in text
    # each nation's deprivation on its own scale, in its own column; Wales's own death rates
    cells = [c.strip() for c in sheffield.strip("|").split("|")]
    names = [c.strip() for c in header.strip("|").split("|")]
    imd, wimd = names.index("IMD score (England)"), names.index("WIMD most deprived 10% (Wales)")
    assert cells[wimd] == "–" and cells[imd] != "–"
    cardiff = next(line for line in text.splitlines() if "W06000015" in line and line.startswith("|"))
    cells = [c.strip() for c in cardiff.strip("|").split("|")]
    assert cells[imd] == "–" and cells[wimd] != "–"
    from jsna_kit.load.snapshot import wales_indicators

    welsh = wales_indicators().set_index(["area_code", "indicator_id"])["value"]
    caseload = float(cells[names.index("Caseload")].split()[0].replace(",", ""))
    assert cells[names.index("Suicides a year")] == f"{caseload * welsh[('W06000015', 9000001)] * 6 / 100_000:.1f}"
    assert 'role="region"' in text and "aria-label=" in text  # the table scrolls in a labelled region


def test_the_maps_are_stacked_at_a_legible_size(site):
    """Issue 30: the three maps were side by side, drawn about 530 px wide, their titles unreadable;
    now one per row, each about 600 px wide: a 390 px phone shows them at 0.6, their 12-point titles
    and 11-point scale labels at 12 px or more (130 dpi)."""
    from PIL import Image

    from jsna_kit.present.overview import LABEL_POINTS, PANEL_WIDTH

    out, _, _, _ = site
    with Image.open(out / "overview_files" / "map.png") as image:
        width, height = image.size
    assert 580 <= width <= 620 and height > 3 * width * 0.9
    assert LABEL_POINTS * 130 / 72 * min(1.0, 358 / (PANEL_WIDTH * 130)) >= 12


def test_built_chapters_are_linked_and_the_front_page_points_into_reports(site):
    _, page, outputs, _ = site
    assert "[Sheffield](E08000019-sheffield.html)" in page.read_text()
    front = outputs[1].read_text(encoding="utf-8")
    assert 'href="reports/E08000019-sheffield.html"' in front
    assert "Barnsley" in front and 'href="reports/E08000016' not in front  # not built: no dead link


def test_map_has_alt_text_from_the_data_and_the_table_can_be_sorted(site):
    _, _, outputs, _ = site
    html = outputs[0].read_text(encoding="utf-8")
    alt = re.search(r'<img[^>]*alt="(Maps of England and Wales[^"]*)"', html)
    assert alt and "highest" in alt.group(1) and "London enlarged" in alt.group(1)
    assert 'querySelectorAll("#area-index table")' in html
    assert 'id="area-index"' in html


def test_overview_command_writes_and_renders_the_front_page(shared_data_dir, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from jsna_kit.cli import app

    monkeypatch.setenv("PATH", str(tmp_path))  # no quarto: the fallback renders it
    result = CliRunner().invoke(app, ["overview", "--out", str(tmp_path / "reports"), "--data-dir",
                                      str(shared_data_dir)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "overview.qmd").is_file()
    front = (tmp_path / "reports" / "_site" / "index.html").read_text(encoding="utf-8")
    assert "National overview" in front and "Sheffield" in front


def test_without_boundaries_the_page_says_so_to_its_reader_without_a_command(tmp_path):
    """A page for readers never tells them to run a jsna-kit command (the analyst has the README)."""
    from jsna_kit.publish.overview import overview_document

    estimates, _ = estimates_for_areas(["Hartlepool", "Cardiff"], data_dir=tmp_path)
    text = overview_document(estimates, out_dir=tmp_path / "reports", data_dir=tmp_path, today=dt.date(2026, 12, 7))
    assert "No map: the boundaries of the areas were not available" in text
    assert "jsna-kit" not in text.split("---", 2)[2].replace("Built with jsna-kit", "")
