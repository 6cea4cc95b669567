"""A Welsh area's two chapters on their first screen (issue 27): each links the other, in the
language it leads to; the Welsh one says its text is unreviewed until the catalogue is reviewed."""

from __future__ import annotations

import dataclasses

from jsna_kit.present import bilingual
from jsna_kit.present.lang import Catalogue, catalogue
from jsna_kit.publish.spelling import unknown_welsh_words


def test_an_english_area_s_chapter_links_no_other_language(chapter_data):
    assert bilingual.first_screen(chapter_data("E06000001")) == ""


def test_a_welsh_area_s_chapters_link_each_other_and_the_welsh_one_says_it_is_unreviewed(chapter_data):
    slug = chapter_data("W06000002").assets.name
    english = dataclasses.replace(chapter_data("W06000002"), other_chapter=f"{slug}.cy.html")
    welsh = dataclasses.replace(english, language="cy", other_chapter=f"{slug}.html")
    assert bilingual.first_screen(chapter_data("W06000002")) == ""  # built alone: no link to a missing page
    to_welsh, to_english = bilingual.first_screen(english), bilingual.first_screen(welsh)
    assert to_welsh == f'[Darllenwch y bennod hon yn Gymraeg]({slug}.cy.html){{lang="cy" hreflang="cy"}}'
    assert to_english.startswith(f'[Read this chapter in English]({slug}.html){{lang="en" hreflang="en"}}')
    assert "Heb ei adolygu eto" in to_english and not catalogue("cy").reviewed
    notice = to_english.split("\n\n", 1)[1]
    assert unknown_welsh_words(notice) == []


def test_once_reviewed_the_welsh_chapter_no_longer_says_so(chapter_data, monkeypatch):
    reviewed = dataclasses.replace(catalogue("cy"), reviewed_by="Welsh-language translator",
                                   reviewed_on=__import__("datetime").date(2027, 1, 31))
    assert isinstance(reviewed, Catalogue) and reviewed.reviewed
    monkeypatch.setattr(bilingual, "catalogue", lambda language: reviewed)
    welsh = dataclasses.replace(chapter_data("W06000002"), language="cy", other_chapter="x.html")
    assert "Read this chapter in English" in bilingual.first_screen(welsh)
    assert "adolygu" not in bilingual.first_screen(welsh)


def test_the_overview_links_a_welsh_area_s_welsh_chapter_by_its_welsh_name():
    import pandas as pd

    from jsna_kit.present.overview import overview_markdown

    wide = pd.DataFrame({"area_code": ["W06000015", "E06000001"], "area_name": ["Cardiff", "Hartlepool"],
                         "caseload": [1500.0, 655.0], "caseload_kind": ["modelled", "modelled"]})
    links = {"W06000015": "W06000015-cardiff.html", "E06000001": "E06000001-hartlepool.html"}
    page = overview_markdown(wide, links=links,
                             map_md="", notes=[], welsh={"W06000015": ("Caerdydd", "W06000015-cardiff.cy.html")})
    assert '[Cardiff](W06000015-cardiff.html) · [Caerdydd](W06000015-cardiff.cy.html){lang="cy"}' in page
    assert "Caerdydd" not in page.split("Hartlepool")[1].split("\n")[0]


def test_the_welsh_chapter_shows_the_analyst_s_welsh_commentary_or_the_english_marked_as_english(tmp_path,
                                                                                                 chapter_data):
    from jsna_kit.load.commentary import commentary_files, read_commentary
    from jsna_kit.present.commentary import commentary

    (tmp_path / "W06000002").mkdir()
    (tmp_path / "W06000002" / "introduction.md").write_text("Our area.", encoding="utf-8")
    (tmp_path / "W06000002" / "introduction.cy.md").write_text("Ein hardal ni.", encoding="utf-8")
    (tmp_path / "W06000002" / "services.md").write_text("Our services.", encoding="utf-8")
    files = commentary_files("W06000002", tmp_path)
    assert set(files) == {"introduction", "introduction.cy", "services"}
    english = chapter_data("W06000002")
    english = dataclasses.replace(english, area={**english.area, "commentary": read_commentary(files)})
    welsh = dataclasses.replace(english, language="cy")
    assert commentary(english, "introduction") == "Our area." and commentary(welsh, "introduction") == "Ein hardal ni."
    marked = commentary(welsh, "services")
    assert marked.startswith("*Yn Saesneg:") and '::: {lang="en"}\nOur services.\n:::' in marked
    assert commentary(english, "services") == "Our services." and commentary(welsh, "lived_experience") == ""
