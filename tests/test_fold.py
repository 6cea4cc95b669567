"""The web page's appendices and references folded (issue 30): each is a <details> element whose
summary is its own heading, so the main chapter is short to scroll; nothing else changes."""

from __future__ import annotations

import re

from jsna_kit.publish.fold import OPEN_TARGET, fold_appendices

PAGE = """<html><body><main>
<section id="sec-summary" class="level2">
<h2>Summary</h2>
<p>See <a href="#sec-methods">Appendix D</a>.</p>
</section>
<section id="sec-who-does-what" class="level2">
<h2 class="anchored" data-anchor-id="sec-who-does-what">Appendix A: Who does what</h2>
<section id="sec-who-all" class="level3"><h3>All recommendations</h3><p>A table.</p></section>
</section>
<section id="sec-methods" class="level2">
<h2>Appendix D: Methods and limitations</h2>
<p>How.</p>
</section>
<section id="sec-references" class="level2">
<h2>References</h2>
<div id="refs"><div id="ref-X">X 2020.</div></div>
</section>
</main></body></html>"""


def test_appendices_and_references_fold_under_their_own_headings():
    folded = fold_appendices(PAGE)
    assert folded.count('<details class="appendix">') == 3
    for heading in ("Appendix A: Who does what", "Appendix D: Methods and limitations", "References"):
        assert re.search(r'<details class="appendix">\s*<summary><h2[^>]*>' + re.escape(heading) + r"</h2></summary>",
                         folded), heading
    # the summary stays open to read, and every section, heading and anchor is still there
    assert "<h2>Summary</h2>\n<p>See" in folded and folded.count("<section") == PAGE.count("<section")
    assert folded.count("</section>") == PAGE.count("</section>")
    assert 'id="sec-who-all"' in folded and 'id="ref-X"' in folded
    # each fold closes inside its own section, before the next one starts
    assert re.search(r"<p>How\.</p>\s*</details>\s*</section>", folded)
    assert folded.count(OPEN_TARGET) == 1 and folded.index(OPEN_TARGET) < folded.index("</body>")
    assert fold_appendices(folded) == folded, "folding twice changes nothing"
    # Quarto's heading links (class "anchored") would put a link inside the summary: axe's nested-interactive
    assert '<summary><h2 data-anchor-id="sec-who-does-what">Appendix A' in folded


def test_a_page_without_appendices_is_left_as_it_is():
    page = '<html><body><section id="a" class="level2"><h2>Summary</h2></section></body></html>'
    assert fold_appendices(page) == page
