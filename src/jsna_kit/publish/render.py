"""Render executed chapters: with Quarto when it is on PATH, otherwise with pandoc from the
``pypandoc_binary`` wheel (HTML, Word) and typst from the ``typst`` wheel (PDF).

The fallback reads the same executed notebooks, so both routes show the same numbers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..config import PROJECT_ROOT, reference_file
from ..errors import BuildError
from .fold import fold_appendices_in
from .names import in_project, site_dir_for, working_folder
from .rasterise import docx_filter
from .tools import CSL
from .tools import pandoc as _pandoc_path

QUARTO_HINT = "install Quarto >= 1.5 (https://quarto.org/docs/get-started/) and run `jsna-kit render`"
FORMATS = ("html", "docx", "pdf")
LABELS = {"html": "HTML", "docx": "Word", "pdf": "PDF"}  # each format's name for readers
#: The fallback's worker processes are replaced after this many chapters: typst keeps what it compiled
#: in memory (about 100 MB a chapter), and a worker's memory would otherwise grow with every PDF.
CHAPTERS_PER_WORKER = 3
#: Long tables sit in figures, which typst keeps on one page unless told; the spacing is a little
#: tighter than typst's own, as in _quarto.yml, so the main chapter keeps to 12 A4 pages.
#: The sections are headings of level 1 (PDF/UA-1 asks the first heading to be), drawn at the size
#: they had as level 2, and their parts at level 3's, so the pages break as before: typst's own sizes
#: (1.4em for level 1, 1.2em for level 2) scaled to 1.2em and 1em.
TYPST_HEADER = ("#show figure: set block(breakable: true)\n#set text(size: 10pt)\n"
                "#set par(leading: 0.55em, spacing: 0.9em)\n#show heading: set block(above: 1.1em, below: 0.6em)\n"
                "#show heading.where(level: 1): set text(size: 0.857em)\n"
                "#show heading.where(level: 2): set text(size: 0.834em)")
#: The PDF meets PDF/UA-1 (accessible PDF), checked by typst as it writes it.
PDF_STANDARDS = ["ua-1"]
#: pandoc's html5 template with the chapter in a <main> landmark.
HTML_TEMPLATE = Path(__file__).with_name("templates") / "chapter.html5"
#: The PDF's page: A4 with page numbers, margins as Quarto's typst format is given in _quarto.yml.
TYPST_METADATA = Path(__file__).with_name("templates") / "typst-page.yaml"
#: The fallback's conversions of a chapter, in one pandoc process.
CHAPTER_FORMATS = Path(__file__).with_name("filters") / "chapter_formats.lua"


@dataclass
class RenderResult:
    renderer: str
    outputs: list[Path] = field(default_factory=list)
    message: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # per format (summed), and "site" with Quarto


def quarto_path() -> str | None:
    return shutil.which("quarto")


@lru_cache(maxsize=4)
def _tool_version(command: tuple[str, ...]) -> str:
    """The first line of a tool's ``--version``, its last word (``pandoc 3.6.4`` -> ``3.6.4``)."""
    try:
        out = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "version not known"
    first = out.strip().splitlines()[0] if out.strip() else ""
    return first.split()[-1] if first else "version not known"


def rendering_tools(formats: tuple[str, ...], quarto: str | None = None) -> dict[str, str]:
    """Which tool and version makes each format, as a chapter's manifest records it: the web page
    by Quarto, or else by the fallback's pandoc; the Word file always by the project's pandoc, and
    the PDF by the typst the project installs, from pandoc's typst writer (``render_chapters`` says
    why)."""
    from importlib.metadata import PackageNotFoundError, version

    pandoc = f"pandoc {_tool_version((_pandoc_path(),))}"
    try:
        typst = f"typst {version('typst')}"
    except PackageNotFoundError:
        typst = "typst (version not known)"
    page = f"Quarto {_tool_version((quarto,))}" if quarto else f"{pandoc} (jsna-kit's fallback renderer)"
    word = f"{pandoc} (the pypandoc_binary Python package)" if quarto else page
    tools = {"html": page, "docx": word, "pdf": f"{typst} (the typst Python package), from {pandoc}'s typst writer"}
    return {f: tools[f] for f in formats}


def _record_tools(notebooks: list[Path], tools: dict[str, str]) -> None:
    """Each chapter's manifest names the tools that make its formats, before they are made (the
    renderers copy the chapter's data folder, the manifest in it, beside the chapter)."""
    from .manifest import record_rendering

    for notebook in notebooks:
        record_rendering(notebook.with_suffix("") / "data" / "manifest.json", tools)


def render_chapters(notebooks: list[Path], *, out_dir: Path, formats: tuple[str, ...] = FORMATS,
                    workers: int | None = None, side_by_side: bool | None = None,
                    on_progress=None) -> RenderResult:
    """Render executed chapters with Quarto when it is on PATH and they are in the project's
    reports folder (``publish.quarto``: several at once, then the site's index and overview),
    otherwise with pandoc + typst into the output folder's site (``side_by_side``: as
    ``render_fallback``). ``on_progress(text)`` is told of each step as it ends: each chapter
    rendered by the fallback, and Quarto's run as a whole."""
    say = on_progress or (lambda text: None)
    _check_formats(formats)
    # Absolute from here: pandoc and typst run in the chapter's folder, and typst's root is the
    # drive, so a relative output folder ('--out .') would point elsewhere.
    out_dir = Path(out_dir).resolve()
    notebooks = [Path(nb).resolve() for nb in notebooks]
    quarto = quarto_path()
    if quarto and (in_project(out_dir) or working_folder(out_dir) is not None):
        from .quarto import render_site

        site = site_dir_for(out_dir)  # the project's _site, or the working folder's

        _record_tools(notebooks, rendering_tools(formats, quarto))  # before the data folders are copied
        # Quarto makes the web pages (and the site's index and overview). The PDF and the Word file
        # are made as without Quarto, from the same chapter Markdown and citations: the PDF by the
        # typst the project installs, which writes a tagged PDF and checks PDF/UA-1 as it writes,
        # whatever Quarto's version (Quarto 1.7's typst writes an untagged PDF); the Word file by
        # the project's pandoc, with alt text, real headings and no layout tables, in a tenth of
        # the time a Quarto run takes (benchmarks/README.md, issue 30).
        say(f"Quarto is rendering {len(notebooks)} chapter(s) and the site's pages")
        seconds = render_site(PROJECT_ROOT, notebooks, quarto=quarto, formats=tuple(f for f in formats if f == "html"),
                              workers=workers, site=site, out_dir=out_dir)
        say("Quarto has rendered the web pages")
        files = tuple(f for f in formats if f != "html")
        if files:
            _, made = render_fallback(notebooks, site / "reports", formats=files, workers=workers,
                                      on_done=lambda i, n, nb: say(f"{i}/{n} {' and '.join(LABELS[f] for f in files)}"
                                                                   f" of {nb.stem}"))
            seconds.update({f: made.get(f, 0.0) for f in files})
        return RenderResult("quarto", [site], "Rendered with Quarto.", seconds)
    site = site_dir_for(out_dir) / "reports"
    _record_tools(notebooks, rendering_tools(formats))  # before the data folders are copied to the site
    outputs, seconds = render_fallback(notebooks, site, formats=formats, workers=workers,
                                       side_by_side=side_by_side,
                                       on_done=lambda i, n, nb: say(f"{i}/{n} rendered {nb.stem}"))
    reason = ("Quarto was not found on PATH" if not quarto
              else "the output folder is outside the Quarto project")
    names = [LABELS[f] for f in formats]
    made = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    message = (f"{reason}: rendered {made} with pandoc and typst from PyPI instead, "
               f"in {site}. For the full website, {QUARTO_HINT}.")
    return RenderResult("pandoc", outputs, message, seconds)


def _check_formats(formats: tuple[str, ...]) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {unknown[0]!r}; expected one of {FORMATS}" if unknown
                         else "no format to render")


def render_fallback(notebooks: list[Path], site_dir: Path, *, formats: tuple[str, ...] = FORMATS,
                    workers: int | None = None, side_by_side: bool | None = None,
                    on_done=None) -> tuple[list[Path], dict[str, float]]:
    """Render ``notebooks`` with pandoc + typst into ``site_dir``, several chapters at once (one
    process per core, each rendering one chapter at a time). The bibliography is the reference
    data's CSL JSON (``sources.json``, made from ``sources.csv`` by ``publish.csl``), which
    pandoc reads as it is. ``side_by_side`` (``render_chapter_fallback``): None
    renders each chapter's formats side by side when there are fewer chapters than cores; a batch
    worker is told, as only the run knows whether other chapters are being built at the same time.
    ``on_done(i, n, notebook)`` is called as each chapter is done, in order. Returns the outputs and
    the seconds per step, summed over chapters."""
    css = PROJECT_ROOT / "styles" / "chapter.css"
    if side_by_side is None:
        side_by_side = len(notebooks) < (os.cpu_count() or 1)
    options = dict(formats=formats, css=css if css.is_file() else None, side_by_side=side_by_side)
    outputs: list[Path] = []
    seconds: dict[str, float] = {}
    n = max(1, min(workers or os.cpu_count() or 1, len(notebooks)))
    bibliography = reference_file("sources.json")  # CSL JSON, made from sources.csv (publish.csl)
    jobs = [(nb, site_dir, bibliography, options) for nb in notebooks]
    done = []

    def finished(result) -> None:
        done.append(result)
        if on_done is not None:
            on_done(len(done), len(jobs), jobs[len(done) - 1][0])

    if n == 1:  # the fallback's own read of each notebook names a damaged one (flatten.read_chapter)
        for job in jobs:
            finished(_render_one(*job))
    else:
        import multiprocessing

        # A worker is replaced after a few chapters (CHAPTERS_PER_WORKER).
        # (multiprocessing's pool: concurrent.futures' max_tasks_per_child can hang on Python 3.11.)
        with multiprocessing.get_context("spawn").Pool(n, maxtasksperchild=CHAPTERS_PER_WORKER) as pool:
            for result in pool.imap(_render_job, jobs, chunksize=1):  # in order, each as it is ready
                finished(result)
    failed = next((result for result in done if isinstance(result, _Failed)), None)
    if failed is not None:
        raise BuildError(failed.name, failed.message)
    for made, timing in done:
        outputs += made
        for step, value in timing.items():
            seconds[step] = seconds.get(step, 0.0) + value
    return outputs, seconds


def _render_job(job: tuple):
    return _render_one(*job)


def _render_one(notebook: Path, site_dir: Path, bibliography: Path, options: dict):
    """One chapter's outputs and timings, or why it failed: returned, not raised, as an exception
    raised in a worker process reaches the caller only if it can be rebuilt there."""
    timing: dict[str, float] = {}
    try:
        return render_chapter_fallback(notebook, site_dir, bibliography=bibliography, seconds=timing,
                                       **options), timing
    except BuildError as exc:
        return _Failed(exc.area_code, str(exc).removeprefix(f"{exc.area_code}: "))
    except Exception as exc:  # noqa: BLE001 - typst's own errors, named by chapter
        return _Failed(notebook.stem, f"rendering failed: {type(exc).__name__}: {exc}")


@dataclass
class _Failed:
    """A chapter the fallback could not render (a ``BuildError`` cannot cross from a worker process)."""

    name: str
    message: str


def render_chapter_fallback(notebook: Path, site_dir: Path, *, bibliography: Path,
                            formats: tuple[str, ...] = FORMATS, css: Path | None = None,
                            seconds: dict[str, float] | None = None, side_by_side: bool = False) -> list[Path]:
    """Render one executed chapter to ``site_dir`` as HTML (single self-contained file), Word
    and PDF. One pandoc process (``filters/chapter_formats.lua``) reads the chapter, resolves
    its citations and writes the HTML, the Word file and the PDF's typst source; typst then makes
    the PDF. The figures' PNG copies for Word are made first. Files the chapter links to (its asset
    folder) are copied alongside. ``seconds``, if given, gets each step's time ("citations", and
    each format: pandoc's CPU seconds for each writer, and for the PDF typst's too).

    ``side_by_side``: for a machine with a core to spare (a run that renders one chapter), two
    pandoc processes at once, one for the PDF's typst source and one for the HTML and Word, so
    that typst starts while the other writers run (each resolves the citations: more CPU, less
    waiting)."""
    from .flatten import notebook_to_markdown
    from .rasterise import font_dirs, rasterise

    _check_formats(formats)
    seconds = seconds if seconds is not None else {}
    site_dir.mkdir(parents=True, exist_ok=True)
    work = notebook.parent
    stem = notebook.stem
    markdown, job, rest, typ = (work / f"{stem}.fallback{suffix}" for suffix in (".md", ".json", ".2.json", ".typ"))
    targets = {fmt: site_dir / f"{stem}.{fmt}" for fmt in formats}
    partials = {fmt: t.with_name(t.stem + ".partial" + t.suffix) for fmt, t in targets.items()}
    try:
        markdown.write_text(notebook_to_markdown(notebook), encoding="utf-8")
        if "docx" in formats:  # Word's copies of the figures, before pandoc reads the document
            rasterise(sorted((work / stem / "figures").glob("*.svg")))
        spec = {
            "markdown": markdown.name, "bibliography": str(bibliography.resolve()), "csl": str(CSL),
            "html": str(partials["html"]) if "html" in formats else None,
            "docx": str(partials["docx"]) if "docx" in formats else None,
            "typst": typ.name if "pdf" in formats else None,
            "html_template": str(HTML_TEMPLATE), "css": str(css.resolve()) if css is not None else None,
            "other_formats": [{"label": LABELS[fmt], "href": targets[fmt].name} for fmt in ("pdf", "docx")
                              if fmt in formats] or None,
            "typst_header": TYPST_HEADER, "typst_metadata": str(TYPST_METADATA), "docx_filter": str(docx_filter()),
        }
        split = side_by_side and "pdf" in formats and len(formats) > 1
        jobs = ([(job, {**spec, "html": None, "docx": None}), (rest, {**spec, "typst": None})] if split
                else [(job, spec)])
        running = []
        for path, values in jobs:  # null is not nil in Lua: left out
            path.write_text(json.dumps({k: v for k, v in values.items() if v is not None}), encoding="utf-8")
            running.append(subprocess.Popen([_pandoc_path(), "lua", str(CHAPTER_FORMATS), path.name], cwd=work,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        try:
            _pandoc_steps(running[0], stem, seconds)  # the typst source, first when split
            if "pdf" in formats:
                import typst

                started = time.perf_counter()
                # PDF/UA-1: tagged, and typst refuses what the standard forbids (an image without
                # alt text, a first heading not of level 1), so a chapter that fails it says so
                typst.compile(str(typ), output=str(partials["pdf"]), root=str(work.anchor), font_paths=font_dirs(),
                              pdf_standards=PDF_STANDARDS)
                seconds["pdf"] = seconds.get("pdf", 0.0) + time.perf_counter() - started
            for proc in running[1:]:
                _pandoc_steps(proc, stem, seconds)
        finally:
            for proc in running:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        if "html" in formats:
            started = time.perf_counter()
            embed_resources(partials["html"], work)
            fold_appendices_in(partials["html"])
            seconds["html"] = seconds.get("html", 0.0) + time.perf_counter() - started
        for fmt in formats:
            partials[fmt].replace(targets[fmt])
    finally:
        for leftover in (markdown, job, rest, typ, *partials.values()):
            leftover.unlink(missing_ok=True)
    assets = work / stem
    if assets.is_dir():
        shutil.copytree(assets, site_dir / stem, dirs_exist_ok=True)
    return [targets[fmt] for fmt in formats]


def _pandoc_steps(proc: subprocess.Popen, stem: str, seconds: dict[str, float]) -> None:
    """Wait for a pandoc run of ``filters/chapter_formats.lua`` and add the CPU seconds it reports
    for each step to ``seconds``."""
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise BuildError(stem, f"pandoc failed: {err.strip()[-2000:]}")
    for step, value in json.loads(out).items():
        key = {"typst source": "pdf"}.get(step, step)
        seconds[key] = seconds.get(key, 0.0) + value


_MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif", ".webp": "image/webp"}


def embed_resources(page: Path, base: Path) -> None:
    """Make ``page`` a single self-contained file, as pandoc's ``--embed-resources`` does: each local
    stylesheet linked becomes a ``<style>`` element and each local image a ``data:`` URI (an SVG
    one with ``role="img"`` and its alt text as ``aria-label``, so that screen readers name it).
    Paths are read relative to ``base``; a file that is not there is left linked."""
    import base64
    import html
    import re

    text = page.read_text(encoding="utf-8")

    def local(ref: str) -> Path | None:
        ref = html.unescape(ref)
        if re.match(r"^[a-z][a-z0-9+.-]*:", ref, flags=re.I) or ref.startswith("//"):
            return None
        path = Path(ref) if Path(ref).is_absolute() else base / ref
        return path if path.is_file() else None

    def stylesheet(match: re.Match) -> str:
        path = local(match.group(1))
        return match.group(0) if path is None else f"<style>\n{path.read_text(encoding='utf-8')}\n</style>"

    def image(match: re.Match) -> str:
        tag = match.group(0)
        src = re.search(r'\ssrc="([^"]*)"', tag)
        path = local(src.group(1)) if src else None
        media = _MEDIA_TYPES.get(path.suffix.lower()) if path else None
        if media is None:
            return tag
        uri = f"data:{media};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
        tag = tag[:src.start(1)] + uri + tag[src.end(1):]
        alt = re.search(r'\salt="([^"]*)"', tag)
        if media == "image/svg+xml" and alt and not re.search(r"\srole=", tag):
            tag = f'<img role="img" aria-label="{alt.group(1)}"' + tag[len("<img"):]
        return tag

    text = re.sub(r'<link rel="stylesheet" href="([^"]*)"\s*/?>', stylesheet, text)
    text = re.sub(r"<img\b[^>]*>", image, text)
    page.write_text(text, encoding="utf-8")


def _run(args: list[str], cwd: Path, notebook: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(notebook.stem, f"pandoc failed: {proc.stderr.strip()[-2000:]}")
