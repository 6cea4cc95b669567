"""The chapter's figures: SVG written by ``present.svg``, checked for what a reader relies on
(one mark per estimate at the right place on the axis, text that fits, alt text from the same
numbers, byte-identical output for the same data) and rasterised to PNG for Word."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from jsna_kit.present.figures import WIDTH, estimate_range_chart, relative_to_england_chart
from jsna_kit.present.svg import nice_ticks, text_width, tick_label

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("low, high, ticks", [
    (0, 1830, [0, 500, 1000, 1500, 2000]),
    (0, 940, [0, 200, 400, 600, 800, 1000]),
    (0, 7.3, [0, 2, 4, 6, 8]),
    (0, 0.4, [0, 0.1, 0.2, 0.3, 0.4]),
    (0.62, 1.41, [0.6, 0.8, 1.0, 1.2, 1.4, 1.6]),
    (0, 12, [0, 2, 4, 6, 8, 10, 12]),
    (5, 5, [5, 6, 7, 8, 9, 10]),  # a zero-width range is widened, never divided by zero
])
def test_ticks_are_round_and_cover_the_data(low, high, ticks):
    assert nice_ticks(low, high) == pytest.approx(ticks)


def test_ticks_refuse_missing_limits():
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(0, float("nan"))


def test_tick_labels_have_separators_and_no_spare_decimals():
    assert [tick_label(v) for v in (0, 1250.0, 0.5, 2.25, 12000)] == ["0", "1,250", "0.5", "2.25", "12,000"]


def test_text_is_measured_with_the_font_it_is_drawn_in():
    """Widths agree with matplotlib's own layout of DejaVu Sans (kerning aside), plus the slack."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    text = "Self-reported current mental health condition"
    reference, _, _ = TextToPath().get_text_width_height_descent(text, FontProperties(family="DejaVu Sans",
                                                                                      size=12), False)
    assert text_width(text, 12) == pytest.approx(reference * 1.06, rel=0.02)
    assert text_width("WWW", 12) > text_width("iii", 12) * 2


def rows():
    return [
        {"measure": "Current mental illness", "source_label": "Brooker et al. 2012", "grade": "B",
         "role": "headline", "expected": 780.0, "expected_lower": 690.0, "expected_upper": 870.0},
        {"measure": "Self-reported mental health condition at the start of a community order, a long measure "
                    "name that wraps onto more than two lines and is shortened", "source_label": "Cattell et al.",
         "grade": "C", "role": "alternative", "expected": 1200.0, "expected_lower": None, "expected_upper": None},
        {"measure": "Prisoners <with> \"quotes\" & ampersands", "source_label": "Singleton et al. 1998",
         "grade": "C", "role": "proxy", "expected": 300.0, "expected_lower": 250.0, "expected_upper": 350.0},
    ]


def _x_axis(root) -> dict[float, float]:
    """Tick value -> x position, from the tick labels under the axis."""
    texts = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle" and
             re.fullmatch(r"[\d,.]+", t.text or "")]
    return {float(t.text.replace(",", "")): float(t.get("x")) for t in texts}


def test_range_chart_puts_each_estimate_where_its_value_is(tmp_path):
    path = tmp_path / "figures" / "mh.svg"
    alt = estimate_range_chart(rows(), path, area_name="Sheffield", topic="mental health")
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    axis = _x_axis(root)
    (v0, x0), (v1, x1) = sorted(axis.items())[0], sorted(axis.items())[-1]
    def at(value):  # noqa: E306 - the axis' own scale, worked out from its tick labels
        return x0 + (value - v0) * (x1 - x0) / (v1 - v0)

    circles = list(root.iter(f"{SVG}circle"))
    squares = [p for p in root.iter(f"{SVG}polygon") if len(p.get("points").split()) == 4]
    headline = [c for c in circles if c.get("fill") == "#0072B2"]
    assert len(headline) == 2  # the estimate and its legend key
    assert any(abs(float(c.get("cx")) - at(780)) < 0.2 for c in headline)
    # the interval of the headline: a line from 690 to 870 in its colour
    lines = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke") == "#0072B2" and ln.get("stroke-width") == "3.5"]
    assert any(abs(float(ln.get("x1")) - at(690)) < 0.2 and abs(float(ln.get("x2")) - at(870)) < 0.2 for ln in lines)
    assert max(axis) >= 1200 and min(axis) == 0
    assert squares, "the alternative source is drawn as a square"
    # every label fits to the left of the plot, and text from data is escaped, not markup
    labels = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert all(float(t.get("x")) - text_width(t.text, 12) >= 0 for t in labels)
    shown = " ".join(t.text for t in labels)
    assert 'Prisoners <with> "quotes" &' in shown  # shortened to fit, and text, not markup
    assert "about 780 (95% CI 690 to 870)" in alt and "about 1,200" in alt
    assert root.find(f"{SVG}title").text == alt
    assert not list(path.parent.glob("*.partial"))


def test_each_kind_of_range_is_drawn_its_own_way_with_a_key(tmp_path):
    path = tmp_path / "kinds.svg"
    kinds = rows()
    kinds[0]["range_kind"] = "uncertainty_range"
    kinds[2]["range_kind"] = "caseload_range"
    alt = estimate_range_chart(kinds, path, area_name="Rutland", topic="mental health")
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    whiskers = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-width") == "3.5"]
    headline = [ln.get("stroke-dasharray") for ln in whiskers if ln.get("stroke") == "#0072B2"]
    proxy = [ln.get("stroke-dasharray") for ln in whiskers if ln.get("stroke") == "#CC79A7"]
    assert "8 4" in headline and "2 4" in proxy  # dashed uncertainty range, dotted caseload range
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "95% uncertainty range" in texts and "Range from the modelled caseload alone" in texts
    assert "95% uncertainty range 690 to 870" in alt
    # a sampling interval alone is solid, and named
    path2 = tmp_path / "ci.svg"
    estimate_range_chart([dict(rows()[0], range_kind="confidence_interval")], path2, area_name="Rutland", topic="t")
    root = ET.fromstring(path2.read_text(encoding="utf-8"))
    assert all(ln.get("stroke-dasharray") is None for ln in root.iter(f"{SVG}line"))
    assert "95% CI" in [t.text for t in root.iter(f"{SVG}text")]


def test_same_data_same_bytes(tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    estimate_range_chart(rows(), first, area_name="Kent", topic="t")
    estimate_range_chart(rows(), second, area_name="Kent", topic="t")
    assert first.read_bytes() == second.read_bytes()


def test_relative_chart_marks_england_and_uses_shape_as_well_as_colour(tmp_path):
    path = tmp_path / "ctx.svg"
    data = [{"indicator_name": "Suicide rate", "relative_to_england": 1.37, "relative_lower": 1.05,
             "relative_upper": 1.76, "benchmark_england_95": "worse"},
            {"indicator_name": "Smoking prevalence in adults with a long-term mental health condition",
             "relative_to_england": 0.95, "relative_lower": 0.8, "relative_upper": 1.1,
             "benchmark_england_95": "similar"},
            {"indicator_name": "Not shown: no ratio", "relative_to_england": float("nan"), "relative_lower": None,
             "relative_upper": None, "benchmark_england_95": "not_compared"}]
    alt = relative_to_england_chart(data, path, area_name="Hartlepool", topic="suicide prevention")
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    axis = _x_axis(root)
    (v0, x0), (v1, x1) = sorted(axis.items())[0], sorted(axis.items())[-1]
    england = x0 + (1 - v0) * (x1 - x0) / (v1 - v0)
    reference = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-width") == "1.5"]
    assert len(reference) == 1 and abs(float(reference[0].get("x1")) - england) < 0.2
    assert len([c for c in root.iter(f"{SVG}circle")]) == 2  # "similar": the point and its legend key
    assert "Suicide rate: 1.37 times England, worse than England" in alt and "Not shown" not in alt


def test_png_copies_for_word(tmp_path):
    from jsna_kit.publish.rasterise import rasterise

    svg = tmp_path / "figures" / "mh.svg"
    estimate_range_chart(rows(), svg, area_name="Sheffield", topic="mental health")
    (png,) = rasterise([svg])
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG")
    width = int.from_bytes(data[16:20], "big")
    assert width == round(WIDTH * 0.75 / 72 * 150)  # WIDTH px at 96 per inch, rasterised at 150 ppi
    before = png.stat().st_mtime_ns
    assert rasterise([svg]) == [png] and png.stat().st_mtime_ns == before, "a current PNG is kept"


def test_location_map_highlights_the_area(shared_data_dir, tmp_path):
    from jsna_kit.load.chapter_data import region_boundaries
    from jsna_kit.present.maps import location_map

    region, note = region_boundaries(shared_data_dir, "E06000001")
    assert note == ""
    path = tmp_path / "map.svg"
    alt = location_map(region, "E06000001", path, area_name="Hartlepool", region_name="North East")
    svg = path.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == len(region) == 12
    assert [p.get("fill") for p in paths].count("#0072B2") == 1 and paths[-1].get("fill") == "#0072B2"
    numbers = [float(v) for p in paths for v in re.findall(r"-?\d+(?:\.\d+)?", p.get("d"))]
    assert min(numbers) >= 0 and max(numbers) <= 560  # everything inside the square
    assert alt.startswith("Map of North East showing its 12 upper-tier local authority areas")



def _contrast_with_white(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour.lstrip("#")[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_marks_have_3_to_1_contrast_and_labels_stay_legible_on_a_phone():
    """WCAG 1.4.11: every colour a mark is drawn in has at least 3:1 against the white page; on a
    390 px screen (about 358 px of text column) a chart's smallest text is still at least 11 px."""
    from jsna_kit.present import context_chart
    from jsna_kit.present.figures import BENCHMARK_COLOURS, LABEL_SIZE, ROLE_COLOURS

    for colour in [*ROLE_COLOURS.values(), *BENCHMARK_COLOURS.values()]:
        assert _contrast_with_white(colour) >= 3, colour
    shading = _contrast_with_white(context_chart.MIDDLE)  # the spine chart's darker band, behind its markers
    for colour in BENCHMARK_COLOURS.values():
        assert _contrast_with_white(colour) / shading >= 3, colour
    # the bands' edges: 3:1 against the page and against both bands (issue 30: #f0f0f0 was 1.1:1)
    edge = _contrast_with_white(context_chart.EDGE)
    assert edge >= 3 and all(edge / _contrast_with_white(band) >= 3 for band in (context_chart.RANGE,
                                                                                  context_chart.MIDDLE))
    assert LABEL_SIZE * min(1.0, 358 / WIDTH) >= 12
    assert context_chart.TEXT_SIZE * min(1.0, 358 / context_chart.WIDTH) >= 12
    from jsna_kit.present import neighbour_chart as neighbours

    assert neighbours.TEXT_SIZE * min(1.0, 358 / neighbours.WIDTH) >= 12


def _contrast(a: str, b: str) -> float:
    ca, cb = _contrast_with_white(a), _contrast_with_white(b)
    return max(ca, cb) / min(ca, cb)


def test_the_overview_maps_shades_and_outlines_keep_3_to_1_against_their_neighbours():
    """Issue 30: each map shades areas by their third, in colours at least 3:1 from the next; every
    shade has 3:1 against one of the two outline colours, so neighbours in the same third stay
    separate shapes; the 'no figure' hatching has 3:1 against its white ground."""
    import pandas as pd

    from jsna_kit.present.overview import (
        CLASS_COLOURS,
        HATCH,
        OUTLINE_DARK,
        OUTLINE_LIGHT,
        class_labels,
        map_breaks,
        map_classes,
    )

    for low, high in zip(CLASS_COLOURS, CLASS_COLOURS[1:], strict=False):
        assert _contrast(low, high) >= 3, (low, high)
    for shade in CLASS_COLOURS:
        assert max(_contrast(shade, OUTLINE_DARK), _contrast(shade, OUTLINE_LIGHT)) >= 3, shade
    assert _contrast(HATCH, "#ffffff") >= 3 and OUTLINE_LIGHT == "#ffffff"

    values = pd.Series([0.281, 0.5778, 0.5, 0.5784, 0.7, 0.95, 1.22, None, 0.4])
    breaks = map_breaks(values, 2)
    classes = map_classes(values, breaks)
    assert classes.isna().tolist() == values.isna().tolist()
    assert classes[0] == 0 and classes[6] == 2
    # the key's ranges are exact at the places it prints: a break is where a class begins
    labels = [text for _, text in class_labels(values, breaks, 2)]
    assert labels == [f"Lowest third: under {breaks[0]:.2f}", f"Middle third: {breaks[0]:.2f} to under {breaks[1]:.2f}",
                      f"Highest third: {breaks[1]:.2f} or more"]
    for value, c in zip(values, classes, strict=True):
        if value == value:
            assert (c == 0) == (value < breaks[0]) and (c == 2) == (value >= breaks[1]), value
    tied = pd.Series([1.0, 1.0, 1.0, 2.0])  # ties leave fewer distinct classes
    assert class_labels(tied, map_breaks(tied, 1), 1) == [(CLASS_COLOURS[0], "Lower: under 2.0"),
                                                          (CLASS_COLOURS[2], "Higher: 2.0 or more")]
    same = pd.Series([3.0, 3.0])
    assert map_breaks(same, 1) == [] and class_labels(same, [], 1) == [(CLASS_COLOURS[1], "All areas: 3.0 to 3.0")]


def _texts(path) -> list[ET.Element]:
    return list(ET.fromstring(path.read_text(encoding="utf-8")).iter(f"{SVG}text"))


def _fits(text: ET.Element, width: float, size: float) -> bool:
    x, w = float(text.get("x")), text_width(text.text or "", size)
    start = {"end": x - w, "middle": x - w / 2}.get(text.get("text-anchor"), x)
    return start >= -0.5 and start + w <= width + 0.5


def test_chart_labels_wrap_and_are_never_cut_short(tmp_path):
    """Issue 30: labels were cut ("HM Inspectorate of Probation…"). Every word of a long measure,
    source and indicator name is drawn, across lines, and every line fits inside the figure."""
    from jsna_kit.present.context_chart import TEXT_SIZE, spine_chart
    from jsna_kit.present.context_chart import WIDTH as SPINE_WIDTH
    from jsna_kit.present.figures import LABEL_SIZE

    long_rows = rows()
    long_rows[1]["source_label"] = "HM Inspectorate of Probation and the Care Quality Commission 2021"
    path = tmp_path / "mh.svg"
    estimate_range_chart(long_rows, path, area_name="Sheffield", topic="mental health")
    texts = _texts(path)
    drawn = " ".join(t.text for t in texts)
    assert "…" not in drawn
    for words in (long_rows[1]["measure"], long_rows[1]["source_label"] + ", limited"):
        assert all(word in drawn for word in words.split()), words
    assert all(_fits(t, WIDTH, LABEL_SIZE) for t in texts), [t.text for t in texts if not _fits(t, WIDTH, LABEL_SIZE)]

    name = "Deaths attributable to fine particulate air pollution among adults aged 30 and over, a long name"
    spine = tmp_path / "spine.svg"
    spine_chart([{"indicator_name": name, "value": 4.1, "england_value": 5.3, "unit": "percent",
                  "polarity": "lower_is_better", "england_lowest": 2.0, "england_q1": 4.0, "england_q3": 6.0,
                  "england_highest": 8.0, "comparison": "lower"}], spine, area_name="Sheffield")
    texts = _texts(spine)
    drawn = " ".join(t.text for t in texts)
    assert "…" not in drawn and all(word in drawn for word in name.split())
    assert all(_fits(t, SPINE_WIDTH, TEXT_SIZE) for t in texts), [t.text for t in texts
                                                                   if not _fits(t, SPINE_WIDTH, TEXT_SIZE)]
