"""Issue 28's "Done when", on real chapters built with no data directory: each names its own
bodies (integrated care board or health board, the police and crime commissioner or the mayor who
holds those powers, the probation delivery unit), its similar areas, and top three
recommendations that follow its own findings."""

from __future__ import annotations

import csv
import datetime as dt
import json

import nbformat
import pytest

from jsna_kit.batch.run import build_batch

pytestmark = pytest.mark.e2e

AREAS = {"E06000052": "cornwall", "E08000019": "sheffield", "E08000012": "liverpool", "E10000020": "norfolk",
         "W06000015": "cardiff", "W06000002": "gwynedd"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("system")
    out = folder / "out"
    result = build_batch(codes=list(AREAS), out_dir=out, data_dir=folder / "no-data", render=False, workers=2,
                         today=dt.date(2026, 12, 7))
    assert {o.status for o in result.outcomes} == {"built"}
    chapters = {}
    for code, slug in AREAS.items():
        nb = nbformat.read(out / f"{code}-{slug}.ipynb", as_version=4)
        text = "\n".join(o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", [])
                         if "text/markdown" in o.get("data", {}))
        with (out / f"{code}-{slug}" / "data" / "recommendations.csv").open(encoding="utf-8") as fh:
            top = [r for r in csv.DictReader(fh) if r["top"] == "True"]
        area = json.loads((out / f"{code}-{slug}" / "data" / "chapter.json").read_text(encoding="utf-8"))
        chapters[slug] = {"text": text, "top": top, "area": area}
    return chapters


def test_each_chapter_names_the_bodies_a_board_would_write_to(built):
    cornwall, sheffield, cardiff = built["cornwall"]["text"], built["sheffield"]["text"], built["cardiff"]["text"]
    assert "NHS Cornwall and the Isles of Scilly Integrated Care Board" in cornwall
    assert "Devon and Cornwall Police and Crime Commissioner" in cornwall
    assert "NHS South Yorkshire Integrated Care Board" in sheffield
    assert "Mayor of South Yorkshire (police and crime commissioner functions)" in sheffield
    assert "Cardiff and Vale University Health Board" in cardiff
    assert "Cardiff and Vale Regional Partnership Board" in cardiff
    for slug, chapter in built.items():
        pdus = chapter["area"]["bodies"]["roles"]["probation_delivery_unit"]
        assert pdus and all(f"{p['name'].replace(' & ', ' and ')} probation delivery unit" in chapter["text"]
                            for p in pdus), slug
        assert "As at" in chapter["text"], slug  # every lookup dated


def test_recommendation_owners_are_named_bodies(built):
    sheffield = built["sheffield"]["text"]
    top = sheffield[sheffield.index("Top three recommendations"):]
    assert "**Sheffield council: public health:**" in top or "**NHS South Yorkshire Integrated Care Board:**" in top
    cardiff = built["cardiff"]["text"]
    section = cardiff[cardiff.index("{#sec-mental-health-recommendations}"):][:1500]
    assert "Cardiff and Vale University Health Board" in section or "Cardiff and Vale Regional Partnership Board" \
        in section or "Cardiff and Vale probation delivery unit" in section


def test_liverpool_and_norfolk_have_different_top_three_each_raised_by_a_finding(built):
    liverpool = [r["recommendation_id"] for r in built["liverpool"]["top"]]
    norfolk = [r["recommendation_id"] for r in built["norfolk"]["top"]]
    assert set(liverpool) != set(norfolk)
    for slug in ("liverpool", "norfolk"):
        assert all(r["finding"] and r["reason"].startswith("because") for r in built[slug]["top"]), slug
    assert "because deaths from drug misuse here are 2.4 times England's" in [r["reason"]
                                                                               for r in built["liverpool"]["top"]]
    # two Welsh areas with different profiles: Gwynedd's smoking (above Wales's) raises a physical health action
    cardiff = {r["recommendation_id"] for r in built["cardiff"]["top"]}
    gwynedd = {r["recommendation_id"] for r in built["gwynedd"]["top"]}
    assert cardiff != gwynedd


def test_every_chapter_names_its_similar_areas_and_compares_itself_with_them(built):
    for slug, chapter in built.items():
        names = [n["name"] for n in chapter["area"]["neighbours"]]
        assert len(names) == (5 if slug in ("cardiff", "gwynedd") else 10), slug
        assert f"statistical neighbours, nearest first): {names[0]}, {names[1]}" in chapter["text"], slug
        assert "most similar areas" in chapter["text"] and "{#figure-similar-areas" in chapter["text"], slug
        assert "areas most like it" in chapter["text"][:6000], slug  # the summary says where it stands
