"""The web page's appendices by the project's pandoc beside Quarto (publish.tail): split, rendered
with the whole chapter's citations, and put back, reading as one document would."""

from __future__ import annotations

import json
import re

import pytest

from jsna_kit.publish.tail import cited_keys, fill_tail, render_tail, split_tail

BODY = """## Summary {#sec-summary}

Two studies [@SMITH2020A] found it.

## Appendix A: Who does what {#sec-who}

### Pathways {#sec-pathways}

| Who | What |
|:----|:-----|
| ICB | Pays [@SMITH2020B; @JONES2019] |

## Appendix B: Methods {#sec-methods}

As @JONES2019 says, and x@example.org does not.

## References {#sec-references}

::: {#refs}
:::
"""


def test_split_keeps_every_heading_and_the_references_and_takes_out_each_appendix_body():
    main, tail = split_tail(BODY)
    assert re.findall(r"^## .*$", main, flags=re.M) == re.findall(r"^## .*$", BODY, flags=re.M)
    assert main.count("::: {#jsna-tail-") == 2 and "::: {#refs}" in main and "Two studies" in main
    assert tail[0].startswith("### Pathways") and "| ICB |" in tail[0] and "ICB" not in main
    assert tail[1] == "As @JONES2019 says, and x@example.org does not."
    assert split_tail("## Summary\n\nNo appendix.") == ("## Summary\n\nNo appendix.", [])


def test_cited_keys_are_the_bibliography_s_in_order_once_never_an_email_address():
    known = {"SMITH2020A", "SMITH2020B", "JONES2019", "example"}
    assert cited_keys(BODY, known) == ["SMITH2020A", "SMITH2020B", "JONES2019"]


@pytest.fixture
def bibliography(tmp_path):
    works = [{"id": "SMITH2020A", "type": "report", "author": [{"family": "Smith", "given": "A."}],
              "title": "First", "issued": {"date-parts": [[2020]]}},
             {"id": "SMITH2020B", "type": "report", "author": [{"family": "Smith", "given": "A."}],
              "title": "Second", "issued": {"date-parts": [[2020]]}},
             {"id": "JONES2019", "type": "report", "author": [{"family": "Jones", "given": "B."}],
              "title": "Third", "issued": {"date-parts": [[2019]]}},
             {"id": "UNCITED", "type": "report", "author": [{"family": "Nobody", "given": "C."}],
              "title": "Fourth", "issued": {"date-parts": [[2018]]}}]
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(works), encoding="utf-8")
    return path


def test_the_appendices_cite_as_the_whole_chapter_would_and_link_to_its_list(bibliography):
    """Smith's two 2020 works are told apart ("2020a", "2020b") though one is cited only in the
    main text: the appendices' run counts the main text's citations. Its own reference list is
    left out (Quarto's page has the chapter's)."""
    main, tail = split_tail(BODY)
    parts = render_tail(main, tail, bibliography=bibliography, name="E06000001-hartlepool")
    assert len(parts) == 2
    assert re.search(r'<a href="#ref-SMITH2020B"[^>]*>Smith 2020b</a>', parts[0]), parts[0]
    assert 'href="#ref-JONES2019"' in parts[0] and "Jones" in parts[1]
    assert not any('id="refs"' in p or "csl-entry" in p for p in parts)
    assert '<table class="caption-top table"' in parts[0]
    assert '<h3 class="anchored" data-anchor-id="sec-pathways">' in parts[0]


def test_filled_page_has_each_body_in_its_placeholder_and_no_placeholder_left():
    page = ('<section id="sec-who"><h2>Appendix A</h2>\n<div id="jsna-tail-0">\n</div>\n</section>'
            '<section id="sec-methods"><h2>Appendix B</h2><div id="jsna-tail-1" class="x"></div></section>')
    filled = fill_tail(page, ["<p>first</p>", "<p>second</p>"])
    assert "jsna-tail" not in filled
    assert filled.index("first") < filled.index("Appendix B") < filled.index("second")


def test_quarto_s_copy_has_placeholders_and_counts_the_appendices_works(tmp_path):
    """What Quarto renders when it makes the web page alone: the appendices as placeholders, and
    their works named in ``nocite`` so that its reference list and its "2025a" are the chapter's."""
    import nbformat

    from jsna_kit.publish.quarto import _markdown_notebook

    executed = nbformat.v4.new_notebook()
    executed.cells = [nbformat.v4.new_raw_cell('---\ntitle: "Hartlepool"\n---'),
                      nbformat.v4.new_markdown_cell("## Summary\n\nSee [@NPS2019].\n\n## Appendix A: Methods\n\n"
                                                    "As [@BROOKER2012] found.\n\n## References\n\n::: {#refs}\n:::")]
    source, target = tmp_path / "E06000001-hartlepool.ipynb", tmp_path / "copy" / "E06000001-hartlepool.ipynb"
    target.parent.mkdir()
    nbformat.write(executed, source)
    main, tail = _markdown_notebook(source, target, split_tail=True)
    cells = nbformat.read(target, as_version=4).cells
    assert cells[0].source == '---\ntitle: "Hartlepool"\nnocite: "@BROOKER2012"\n---'
    assert cells[1].source == main and "::: {#jsna-tail-0}" in main and "BROOKER2012" not in main
    assert tail == ["As [@BROOKER2012] found."]
    assert _markdown_notebook(source, target) == (nbformat.read(target, as_version=4).cells[1].source, [])
