"""Render executed chapters: with Quarto when it is on PATH, otherwise with pandoc from the
``pypandoc_binary`` wheel (HTML, Word) and typst from the ``typst`` wheel (PDF).

The fallback reads the same executed notebooks, so both routes show the same numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..config import PROJECT_ROOT, reference_file
from ..errors import BuildError
from .flatten import read_chapter
from .names import in_project, site_dir_for

QUARTO_HINT = "install Quarto >= 1.5 (https://quarto.org/docs/get-started/) and run `jsna-kit render`"
FORMATS = ("html", "docx", "pdf")
TYPST_HEADER = "#show figure: set block(breakable: true)\n#set text(size: 10pt)"


@dataclass
class RenderResult:
    renderer: str
    outputs: list[Path] = field(default_factory=list)
    message: str = ""


def quarto_path() -> str | None:
    return shutil.which("quarto")


def render_chapters(notebooks: list[Path], *, out_dir: Path) -> RenderResult:
    """Render executed chapters with Quarto when it is on PATH and they are in the project's
    reports folder, otherwise with pandoc + typst into the output folder's site."""
    # Absolute from here: pandoc and typst run in the chapter's folder, and typst's root is the
    # drive, so a relative output folder ('--out .') would point elsewhere.
    out_dir = Path(out_dir).resolve()
    notebooks = [Path(nb).resolve() for nb in notebooks]
    quarto = quarto_path()
    if quarto and in_project(out_dir):
        return render_with_quarto(PROJECT_ROOT, notebooks, quarto=quarto)
    site = site_dir_for(out_dir) / "reports"
    css = PROJECT_ROOT / "styles" / "chapter.css"
    outputs: list[Path] = []
    for nb in notebooks:  # the fallback's own read of each notebook names a damaged one (flatten.read_chapter)
        outputs += render_chapter_fallback(nb, site, bibliography=reference_file("sources.bib"),
                                           css=css if css.is_file() else None)
    reason = ("Quarto was not found on PATH" if not quarto
              else "the output folder is outside the Quarto project")
    message = (f"{reason}: rendered HTML, Word and PDF with pandoc and typst from PyPI instead, "
               f"in {site}. For the full website, {QUARTO_HINT}.")
    return RenderResult("pandoc", outputs, message)


def render_with_quarto(project_dir: Path, targets: list[Path] | None = None,
                       quarto: str | None = None) -> RenderResult:
    """``quarto render`` the project, or each of ``targets`` in turn, every format in _quarto.yml.

    Quarto takes one input file: further arguments go to pandoc, so ``quarto render a.ipynb
    b.ipynb`` fails. Each chapter is therefore rendered by its own call, one after another (two
    renders of one project at once would share its ``.quarto`` folder and site index)."""
    quarto = quarto or quarto_path()
    if quarto is None:
        raise BuildError("-", "Quarto is not on PATH")
    from .rasterise import rasterise

    for notebook in targets or sorted((project_dir / "reports").glob("*.ipynb")):
        read_chapter(notebook)  # Quarto's message for a damaged notebook would not name it plainly
        rasterise(sorted((notebook.parent / notebook.stem / "figures").glob("*.svg")))  # for Word
    for target in targets if targets is not None else [None]:
        args = [quarto, "render"] + ([str(Path(target).resolve().relative_to(project_dir.resolve()))] if target else [])
        proc = subprocess.run(args, cwd=project_dir, capture_output=True, text=True)
        if proc.returncode != 0:
            name = Path(target).stem if target else "the project"
            raise BuildError(name, f"quarto render failed:\n{_plain(proc.stderr)[-4000:]}")
    return RenderResult("quarto", [project_dir / "_site"], "Rendered with Quarto.")


def _plain(text: str) -> str:
    """Quarto's messages without terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text or "")


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def docx_filter() -> Path:
    """The Lua filter that points Word output at the PNG copies of SVG figures."""
    return Path(__file__).resolve().parent / "filters" / "docx_png.lua"


def render_chapter_fallback(notebook: Path, site_dir: Path, *, bibliography: Path,
                            formats: tuple[str, ...] = FORMATS, css: Path | None = None) -> list[Path]:
    """Render one executed chapter to ``site_dir`` as HTML (single self-contained file), Word
    and PDF. Citations are resolved once (pandoc to its JSON document with citeproc, about half
    of each conversion's time), then the three conversions run side by side, the figures'
    PNG copies for Word being made meanwhile. Files the chapter links to (its asset folder) are
    copied alongside."""
    from concurrent.futures import ThreadPoolExecutor

    from .flatten import notebook_to_markdown
    from .rasterise import font_dirs, rasterise

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; expected one of {FORMATS}")
    site_dir.mkdir(parents=True, exist_ok=True)
    work = notebook.parent
    markdown = work / (notebook.stem + ".fallback.md")
    markdown.write_text(notebook_to_markdown(notebook), encoding="utf-8")
    document = work / f"{notebook.stem}.fallback.json"
    typ = work / f"{notebook.stem}.fallback.typ"
    pandoc = _pandoc()
    targets = {fmt: site_dir / f"{notebook.stem}.{fmt}" for fmt in formats}
    partials = {fmt: t.with_name(t.stem + ".partial" + t.suffix) for fmt, t in targets.items()}
    running: dict[str, subprocess.Popen] = {}
    with ThreadPoolExecutor(max_workers=1) as side:
        pngs = side.submit(rasterise, sorted((work / notebook.stem / "figures").glob("*.svg"))) \
            if "docx" in formats else None
        try:
            # markdown-smart: show names from data files exactly as given (no curly-quote rewriting).
            _finish(_start([pandoc, markdown.name, "--from", "markdown-smart", "--citeproc", "--bibliography",
                            str(bibliography.resolve()), "--metadata", "lang=en-GB", "--metadata",
                            "link-citations=true", "--to", "json", "-o", document.name], work), notebook)
            common = [pandoc, document.name, "--from", "json", "--resource-path", str(work)]
            if "html" in formats:
                extra = ["--to", "html5", "--standalone", "--embed-resources", "--toc", "--toc-depth=2",
                         "--section-divs"] + (["--css", str(css.resolve())] if css is not None else [])
                running["html"] = _start(common + extra + ["-o", str(partials["html"])], work)
            if "pdf" in formats:
                # Tables sit in figures, which typst keeps on one page unless told otherwise:
                # long evidence tables would overflow and overprint.
                # typst-citations: keep citeproc's citations and references, as in HTML and Word,
                # rather than typst's own (it would format them differently).
                running["typst"] = _start(common + ["--to", "typst-citations", "--standalone", "-o", str(typ),
                                                    "--variable", f"header-includes={TYPST_HEADER}"], work)
            if "docx" in formats:
                pngs.result()  # Word's copies of the figures, before pandoc reads the document
                running["docx"] = _start(common + ["--to", "docx", "--toc", "--lua-filter", str(docx_filter()),
                                                   "-o", str(partials["docx"])], work)
            if "pdf" in formats:
                _finish(running.pop("typst"), notebook)
                import typst

                typst.compile(str(typ), output=str(partials["pdf"]), root=str(work.anchor), font_paths=font_dirs())
            for fmt in list(running):
                _finish(running.pop(fmt), notebook)
            for fmt in formats:
                partials[fmt].replace(targets[fmt])
        finally:
            for proc in running.values():
                proc.kill()
                proc.wait()
            for leftover in (markdown, document, typ, *partials.values()):
                leftover.unlink(missing_ok=True)
    assets = work / notebook.stem
    if assets.is_dir():
        shutil.copytree(assets, site_dir / notebook.stem, dirs_exist_ok=True)
    return [targets[fmt] for fmt in formats]


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen, notebook: Path) -> None:
    _, stderr = proc.communicate()
    if proc.returncode != 0:
        raise BuildError(notebook.stem, f"pandoc failed: {stderr.strip()[-2000:]}")


def _run(args: list[str], cwd: Path, notebook: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(notebook.stem, f"pandoc failed: {proc.stderr.strip()[-2000:]}")
