"""Text from data files must come out as text in every output format."""

import re

import pandas as pd

from jsna_kit.execute.notebook import front_matter
from jsna_kit.present.markdown import cite, escape_text, figure, table, yaml_string


def test_escape_text_neutralises_html_and_markdown():
    out = escape_text('<script>alert("x")</script> **bold** [link](http://x) # h')
    assert "<" not in out and ">" not in out
    assert "&lt;script&gt;" in out
    assert "\\*\\*bold\\*\\*" in out and "\\[link\\]" in out


def test_escape_text_collapses_newlines_so_no_new_block_can_start():
    assert escape_text("Sheffield\n# Heading\n- item") == "Sheffield # Heading - item"
    assert escape_text("# Heading") == "\\# Heading"
    assert escape_text("1. item") == "1\\. item"


def test_escape_text_keeps_ampersand_entities_intact():
    assert escape_text("Brighton & Hove") == "Brighton &amp; Hove"


def test_yaml_string_is_a_quoted_scalar():
    import yaml

    value = 'Shef"field\n---\ntitle: x <b>'
    parsed = yaml.safe_load(f"title: {yaml_string(value)}")
    assert parsed == {"title": escape_text(value)}


def test_front_matter_parses_and_keeps_the_name_as_text():
    import datetime as dt

    import yaml

    fm = front_matter(title='A "quoted"\nname', subtitle="s", date=dt.date(2026, 1, 2), description="d")
    meta = yaml.safe_load(fm.strip("-\n"))
    assert meta["title"] == 'A "quoted" name'
    assert str(meta["date"]) == "2026-01-02"


def test_a_chapters_front_matter_names_its_nation_and_links_its_files_for_the_index():
    import datetime as dt

    import yaml

    from jsna_kit.publish.names import chapter_titles

    welsh = chapter_titles("W06000015", "Cardiff", "W06000015-cardiff")
    meta = yaml.safe_load(front_matter(date=dt.date(2026, 1, 2), **welsh).strip("-\n"))
    assert meta["nation"] == "Wales" and meta["assessment"] == "population needs assessment"
    assert meta["subtitle"].startswith("Population needs assessment")
    assert meta["downloads"] == "[PDF](reports/W06000015-cardiff.pdf) · [Word](reports/W06000015-cardiff.docx)"
    english = chapter_titles("E06000001", "Hartlepool", "E06000001-hartlepool")
    assert english["extra"] == {"nation": "England", "assessment": "JSNA"}
    # the links are made from a slug jsna-kit made; anything else gets none
    assert "links" not in chapter_titles("E06000001", "Hartlepool", 'x"](javascript:alert(1))')


def test_table_shows_missing_as_dash_not_zero_and_escapes_cells():
    frame = pd.DataFrame({"Measure": ["a|b", "<i>x</i>"], "Value": [1.5, float("nan")]})
    out = table(frame, caption="Cap", identifier="table-x")
    lines = out.splitlines()[1:]
    # the identifier is the region's: pandoc 3.6 (Quarto 1.7's) gives typst no label for a table
    assert out.splitlines()[0] == '::: {#table-x .table-scroll role="region" tabindex="0" aria-label="Cap"}'
    assert lines[0] == "| Measure | Value |"
    assert re.fullmatch(r"\|:-+\|-+:\|", lines[1]) and len(lines[1]) > 72  # wraps with set widths
    assert lines[2] == "| a\\|b | 1.5 |"
    assert lines[3] == "| &lt;i&gt;x&lt;/i&gt; | – |"
    assert out.rstrip().endswith(": Cap\n:::")


def test_cite_drops_keys_that_are_not_bibliography_keys():
    assert cite(["BROOKER2012", "PLUCK2015"]) == "[@BROOKER2012; @PLUCK2015]"
    assert cite(["bad key<script>"]) == ""


def test_figure_has_alt_text_attribute():
    out = figure("a/b.png", caption="Cap", alt='say "hi"', identifier="fig-x")
    # fig-alt for Quarto and alt for pandoc: the description of the data, not a copy of the caption
    assert out == "![Cap](a/b.png){#fig-x fig-alt=\"say 'hi'\" alt=\"say 'hi'\"}"
