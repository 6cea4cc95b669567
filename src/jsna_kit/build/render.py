"""Render executed chapters: with Quarto when it is on PATH, otherwise with pandoc from the
``pypandoc_binary`` wheel (HTML, Word) and typst from the ``typst`` wheel (PDF).

The fallback reads the same executed notebooks, so both routes show the same numbers."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from .flatten import notebook_to_markdown

QUARTO_INSTALL_HINT = "install Quarto >= 1.5 from https://quarto.org/docs/get-started/ and run `jsna-kit render`"
FORMATS = ("html", "docx", "pdf")
TYPST_HEADER = "#show figure: set block(breakable: true)\n#set text(size: 10pt)"


@dataclass
class RenderResult:
    renderer: str
    outputs: list[Path] = field(default_factory=list)
    message: str = ""


def quarto_path() -> str | None:
    return shutil.which("quarto")


def render_with_quarto(project_dir: Path, targets: list[Path] | None = None,
                       quarto: str | None = None) -> RenderResult:
    """``quarto render`` the project (or only ``targets``), every format in _quarto.yml."""
    quarto = quarto or quarto_path()
    if quarto is None:
        raise BuildError("-", "Quarto is not on PATH")
    args = [quarto, "render"] + [str(t.relative_to(project_dir)) for t in targets or []]
    proc = subprocess.run(args, cwd=project_dir, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError("-", f"quarto render failed:\n{proc.stderr[-4000:]}")
    return RenderResult("quarto", [project_dir / "_site"], "Rendered with Quarto.")


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def render_chapter_fallback(notebook: Path, site_dir: Path, *, bibliography: Path,
                            formats: tuple[str, ...] = FORMATS, css: Path | None = None) -> list[Path]:
    """Render one executed chapter to ``site_dir`` as HTML (single self-contained file),
    Word and PDF. Files the chapter links to (its asset folder) are copied alongside."""
    site_dir.mkdir(parents=True, exist_ok=True)
    work = notebook.parent
    markdown = work / (notebook.stem + ".fallback.md")
    markdown.write_text(notebook_to_markdown(notebook), encoding="utf-8")
    pandoc = _pandoc()
    # markdown-smart: show names from data files exactly as given (no curly-quote rewriting).
    common = [pandoc, str(markdown.name), "--from", "markdown-smart", "--citeproc",
              "--bibliography", str(bibliography.resolve()), "--metadata", "lang=en-GB",
              "--metadata", "link-citations=true", "--resource-path", str(work)]
    outputs: list[Path] = []
    try:
        for fmt in formats:
            if fmt == "html":
                target = site_dir / f"{notebook.stem}.html"
                extra = ["--to", "html5", "--standalone", "--embed-resources", "--toc", "--toc-depth=2",
                         "--section-divs"]
                if css is not None:
                    extra += ["--css", str(css.resolve())]
            elif fmt == "docx":
                target = site_dir / f"{notebook.stem}.docx"
                extra = ["--to", "docx", "--toc"]
            elif fmt == "pdf":
                target = site_dir / f"{notebook.stem}.pdf"
                typ = work / f"{notebook.stem}.fallback.typ"
                # Tables sit in figures, which typst keeps on one page unless told otherwise:
                # long evidence tables would overflow and overprint.
                _run(common + ["--to", "typst", "--standalone", "-o", str(typ),
                               "--variable", f"header-includes={TYPST_HEADER}"], work, notebook)
                import typst

                partial = target.with_suffix(".partial.pdf")
                typst.compile(str(typ), output=str(partial), root=str(work.anchor))
                partial.replace(target)
                outputs.append(target)
                continue
            else:
                raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
            partial = target.with_name(target.stem + ".partial" + target.suffix)
            _run(common + extra + ["-o", str(partial)], work, notebook)
            partial.replace(target)
            outputs.append(target)
    finally:
        markdown.unlink(missing_ok=True)
    assets = work / notebook.stem
    if assets.is_dir():
        shutil.copytree(assets, site_dir / notebook.stem, dirs_exist_ok=True)
    return outputs


def _run(args: list[str], cwd: Path, notebook: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(notebook.stem, f"pandoc failed: {proc.stderr.strip()[-2000:]}")
