"""The tools that render a chapter beside Quarto, and what they share: the pandoc installed with the
package (the ``pypandoc_binary`` wheel) and the citation style every format and renderer uses."""

from __future__ import annotations

from pathlib import Path

#: The citation style of every format and renderer: Chicago author-date, 17th edition, the style
#: Quarto 1.7's pandoc has as its default (CC BY-SA 3.0, the Citation Style Language project).
#: Named rather than left to each pandoc, so a Quarto page cites as the PDF and the Word file do:
#: the project's newer pandoc defaults to the 18th edition ("Mawby et al. 2020" where Quarto's page
#: said "Mawby, Newman, and Wilkinson-Tough 2020"). The 17th, not the 18th: the 18th's style file
#: is seven times the size, and reading it doubled the time Quarto takes over a chapter's citations.
CSL = Path(__file__).with_name("templates") / "chicago-author-date.csl"


def pandoc() -> str:
    """The path of the pandoc installed with the package."""
    import pypandoc

    return pypandoc.get_pandoc_path()
