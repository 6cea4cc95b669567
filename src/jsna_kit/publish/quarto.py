"""Render chapters with Quarto: several at once, every format, then the site's index and overview.

Quarto takes one input file per ``quarto render`` (further arguments go to pandoc), and two renders
of one project at once would share its ``.quarto`` folder and site files. So the chapters are shared
out in groups of at most ``CHAPTERS_PER_RUN``, rendered by as many workers as the machine has cores;
each group is rendered in its own copy of the project (the chapters as notebooks of Markdown, their
figure and data folders, the project's configuration with its render list and resources narrowed to
those chapters), one ``quarto render --to FORMAT`` per format,
so one Quarto process renders many chapters (its start-up and the project's set-up are paid once).
The pages, PDFs and Word files are then moved into the project's ``_site``, their search entries
merged into its ``search.json``, and the index (which lists every chapter) and the overview are
rendered in the project itself: the index is always rendered, so ``_site/index.html`` is the real
page, never Quarto's redirect.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import BuildError

TO = {"html": "html", "pdf": "typst", "docx": "docx"}  # jsna-kit's format names -> Quarto's
SITE_PAGES = ("index.qmd", "reports/overview.qmd")  # rendered in the project, after the chapters
#: Chapters in one Quarto run: at the end of a run Quarto's website processing holds memory in
#: proportion to the chapters rendered (about 6 MB each); more, smaller runs keep each Quarto
#: process under about 0.5 GB, at a second or two of start-up per run and format.
CHAPTERS_PER_RUN = 30
_PROGRESS = re.compile(r"^\s*\[\s*\d+/\d+\]\s+(\S+)", re.M)


def render_site(project_dir: Path, notebooks: list[Path], *, quarto: str, formats: tuple[str, ...],
                workers: int | None = None, site: Path | None = None, out_dir: Path | None = None) -> dict[str, float]:
    """Render ``notebooks`` (in ``project_dir/reports``, or in an analyst's working folder's output
    folder ``out_dir``) to ``formats``, then the site pages, into ``site`` (default the project's
    ``_site``). jsna-kit asks Quarto for the web pages and Word files only (``render.render_chapters``
    makes the PDF). Returns the seconds spent per format (summed over workers) and on the site
    pages ("site")."""
    project_dir = Path(project_dir).resolve()
    notebooks = sorted(Path(nb).resolve() for nb in notebooks)
    n = max(1, min(workers or os.cpu_count() or 1, len(notebooks)))
    groups = chapter_groups(notebooks, n)
    k = len(groups)
    seconds: dict[str, float] = {fmt: 0.0 for fmt in formats}
    site = Path(site) if site is not None else project_dir / "_site"
    elsewhere = out_dir is not None and Path(out_dir).resolve() != (project_dir / "reports").resolve()
    with tempfile.TemporaryDirectory(prefix="jsna-quarto-") as tmp:
        copies = [Path(tmp) / f"group-{i}" for i in range(k)]
        if formats:
            with ThreadPoolExecutor(max_workers=n) as pool:
                timings = list(pool.map(lambda pair: _render_group(project_dir, pair[0], pair[1], quarto, formats),
                                        list(zip(copies, groups, strict=True))))
            for timing in timings:
                for fmt, value in timing.items():
                    seconds[fmt] += value
        for copy in copies:
            _merge(copy / "_site", site)
    if "html" in formats:
        from .fold import fold_appendices_in

        for notebook in notebooks:  # each chapter page's appendices folded, as without Quarto
            page = site / "reports" / f"{notebook.stem}.html"
            if page.is_file():
                fold_appendices_in(page)
    started = time.perf_counter()
    if elsewhere:
        render_pages_elsewhere(project_dir, Path(out_dir), site, quarto=quarto)
    else:
        render_site_pages(project_dir, quarto=quarto)
    seconds["site"] = time.perf_counter() - started
    return seconds


def render_pages_elsewhere(project_dir: Path, out_dir: Path, site: Path, *, quarto: str) -> list[Path]:
    """The site pages (index, overview) of an output folder outside the project, an analyst's
    working folder: rendered in a copy of the project whose ``reports/`` holds that folder's
    chapters and overview, then moved into its ``site``; returns the pages."""
    notebooks = sorted(p for p in Path(out_dir).glob("*.ipynb") if ".partial" not in p.name)
    with tempfile.TemporaryDirectory(prefix="jsna-pages-") as tmp:
        copy = Path(tmp) / "project"
        _project_copy(project_dir, copy, notebooks)
        for page in SITE_PAGES:
            source = project_dir / page if page == "index.qmd" else Path(out_dir) / Path(page).name
            if source.is_file():
                shutil.copy2(source, copy / page)
                assets = source.with_suffix("")  # the overview's figures, beside it
                if page != "index.qmd" and assets.is_dir():
                    shutil.copytree(assets, copy / Path(page).with_suffix(""), dirs_exist_ok=True)
        import yaml

        config = yaml.safe_load((copy / "_quarto.yml").read_text(encoding="utf-8"))
        # the chapters listed as the project's (so the index links their pages), the pages added
        config["project"]["render"] += [page for page in SITE_PAGES if (copy / page).is_file()]
        (copy / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                                          encoding="utf-8")
        made = render_site_pages(copy, quarto=quarto)
        site.mkdir(parents=True, exist_ok=True)
        pages = []
        for page in made:
            target = site / page.relative_to(copy / "_site")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(page, target)
            pages.append(target)
        for shared in ("site_libs", "styles"):
            if (copy / "_site" / shared).is_dir():
                shutil.copytree(copy / "_site" / shared, site / shared, dirs_exist_ok=True)
    return pages


def chapter_groups(notebooks: list[Path], workers: int, per_run: int = CHAPTERS_PER_RUN) -> list[list[Path]]:
    """``notebooks`` shared out into groups, each rendered by one Quarto run per format: at least
    one group per worker, none over ``per_run`` chapters, sizes within one of each other."""
    k = max(1, workers, math.ceil(len(notebooks) / per_run))
    return [group for group in (notebooks[i::k] for i in range(k)) if group]


def render_site_pages(project_dir: Path, *, quarto: str) -> list[Path]:
    """The index (listing every chapter in ``reports/``) and the overview, if written, rendered in
    the project itself; returns the pages. Built from a researcher's own evidence, the index says
    so under its title (``scenario_metadata``); the overview says so in its own text."""
    pages = []
    with tempfile.TemporaryDirectory(prefix="jsna-index-") as tmp:
        extra = []
        notice = scenario_metadata()
        if notice:
            meta = Path(tmp) / "scenario.yml"
            meta.write_text(notice, encoding="utf-8")
            extra = ["--metadata-file", str(meta)]
        for page in SITE_PAGES:
            if (project_dir / page).is_file():
                _quarto(quarto, ["render", page, "--to", "html", *(extra if page == "index.qmd" else [])],
                        project_dir, [Path(page).stem])
                pages.append(project_dir / "_site" / Path(page).with_suffix(".html"))
    return pages


def scenario_metadata() -> str:
    """For a site built from a researcher's own evidence (``load.reference.scenario_changes``), the
    index page's metadata: the scenario notice as its abstract, titled "Scenario", so it is the
    first thing under the page's title; "" for the published reference data."""
    import yaml

    from ..load.reference import scenario_changes
    from ..present.scenario import scenario_words

    changes = scenario_changes()
    if not changes:
        return ""
    text = scenario_words(changes["files"], changes["estimates"], what="site")
    return yaml.safe_dump({"abstract-title": "Scenario", "abstract": text}, allow_unicode=True, width=1000)


def _render_group(project_dir: Path, copy: Path, group: list[Path], quarto: str,
                  formats: tuple[str, ...]) -> dict[str, float]:
    from .rasterise import rasterise

    if "docx" in formats:
        for notebook in group:
            rasterise(sorted((notebook.parent / notebook.stem / "figures").glob("*.svg")))
    # The web page alone: its appendices and references by the project's pandoc (publish.tail);
    # a Quarto PDF or Word file would need them from Quarto.
    split = tuple(formats) == ("html",)
    tails = _project_copy(project_dir, copy, group, split_tail=split)
    seconds = {}
    for fmt in formats:
        started = time.perf_counter()
        # --no-clean: a render of the whole (copied) project would otherwise empty its _site first,
        # taking the formats already rendered with it.
        _quarto(quarto, ["render", "--to", TO[fmt], "--no-clean"], copy, [nb.stem for nb in group])
        if fmt == "html" and split:
            from ..config import reference_file
            from .tail import fill_tail_in

            for notebook in group:
                main, tail = tails[notebook.stem]
                fill_tail_in(copy / "_site" / "reports" / f"{notebook.stem}.html", main, tail,
                             bibliography=reference_file("sources.json").resolve())
        seconds[fmt] = time.perf_counter() - started
    return seconds


def _project_copy(project_dir: Path, copy: Path, group: list[Path], *,
                  split_tail: bool = False) -> dict[str, tuple[str, list[str]]]:
    """A copy of the project that holds ``group``'s chapters only, with the project's configuration
    (render list and resources narrowed to them; bibliography and filters by absolute path).
    ``split_tail``: each chapter's appendices and references left as placeholders
    (``publish.tail``); returns, by chapter, its main text and those sections' bodies."""
    import yaml

    from ..config import reference_file
    from .rasterise import docx_figures_filter, docx_filter
    from .tools import CSL

    config = yaml.safe_load((project_dir / "_quarto.yml").read_text(encoding="utf-8"))
    project = config.setdefault("project", {})
    project["render"] = [f"reports/{nb.name}" for nb in group]
    # Each chapter's whole data folder (the page links some of its files; the dictionary and
    # chapter.json belong to the download too), and no other chapter's.
    project["resources"] = [f"reports/{nb.stem}/data/*" for nb in group]
    config["bibliography"] = str(reference_file("sources.json").resolve())
    config["csl"] = str(CSL)
    config["filters"] = [str(docx_filter()), {"path": str(docx_figures_filter()), "at": "post-render"}]
    (copy / "reports").mkdir(parents=True)
    (copy / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if (project_dir / "styles").is_dir():
        shutil.copytree(project_dir / "styles", copy / "styles")
    tails = {}
    for notebook in group:
        tails[notebook.stem] = _markdown_notebook(notebook, copy / "reports" / notebook.name, split_tail=split_tail)
        assets = notebook.parent / notebook.stem
        if assets.is_dir():
            shutil.copytree(assets, copy / "reports" / notebook.stem, ignore=shutil.ignore_patterns("*.partial*"))
    return tails


def _markdown_notebook(notebook: Path, target: Path, *, split_tail: bool = False) -> tuple[str, list[str]]:
    """The executed chapter as a notebook of Markdown alone: its front matter, then what its cells
    show (code hidden, outputs in place), as ``flatten.notebook_parts`` gives them. Quarto
    renders it to the same page faster than the notebook, whose 23 hidden code cells it would only
    take apart again (a .qmd of the same Markdown is as fast, but Quarto's end-of-run processing of
    a website then holds about 17 MB more per chapter). ``split_tail``: the appendices and
    references as placeholders (``publish.tail.split_tail``); returns the main text and their bodies."""
    import nbformat

    from .flatten import notebook_parts
    from .tail import split_tail as split

    front, body = notebook_parts(notebook, target.parent / f"{target.stem}_files", date_in_words=False)
    tail: list[str] = []
    if split_tail:
        body, tail = split(body)
        if tail and front.rstrip().endswith("---"):  # the appendices' works are in the list too
            from ..config import reference_file
            from .tail import nocite

            also = nocite(tail, reference_file("sources.json"))
            front = front.rstrip()[:-3] + (f"nocite: {json.dumps(also)}\n---" if also else "---")
    document = nbformat.v4.new_notebook()
    document.cells = ([nbformat.v4.new_raw_cell(front)] if front else []) + [nbformat.v4.new_markdown_cell(body)]
    nbformat.write(document, target)
    return body, tail


def _quarto(quarto: str, args: list[str], cwd: Path, chapters: list[str]) -> None:
    """Run Quarto; a failure is a ``BuildError`` naming the chapter it failed on, in plain text."""
    proc = subprocess.run([quarto, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    if proc.returncode == 0:
        return
    output = plain(proc.stdout + "\n" + proc.stderr)
    started = [Path(m).stem for m in _PROGRESS.findall(output)]
    name = started[-1] if started else chapters[0] if len(chapters) == 1 else ", ".join(chapters)
    detail = "\n".join(line for line in plain(proc.stderr).splitlines() if line.strip())
    raise BuildError(name, f"quarto render failed:\n{detail[-4000:]}")


def plain(text: str) -> str:
    """Quarto's messages without terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text or "")


def _merge(built: Path, site: Path) -> None:
    """Move a worker's rendered chapters into the site: each chapter's files and folder replace the
    old ones; the shared libraries and styles are the same in every copy; search entries merged."""
    if not built.is_dir():
        return
    site.mkdir(parents=True, exist_ok=True)
    for shared in ("site_libs", "styles"):
        if (built / shared).is_dir():
            shutil.copytree(built / shared, site / shared, dirs_exist_ok=True)
    reports = site / "reports"
    reports.mkdir(exist_ok=True)
    for path in sorted((built / "reports").iterdir()) if (built / "reports").is_dir() else []:
        target = reports / path.name
        if target.is_dir():
            shutil.rmtree(target)
        shutil.move(str(path), str(target))
    _merge_search(built / "search.json", site / "search.json")


def _merge_search(new: Path, into: Path) -> None:
    """Quarto's search index of the site, with the worker's pages' entries in place of their old ones."""
    if not new.is_file():
        return
    entries = json.loads(new.read_text(encoding="utf-8"))
    pages = {entry.get("href", "").split("#")[0] for entry in entries}
    kept = json.loads(into.read_text(encoding="utf-8")) if into.is_file() else []
    kept = [entry for entry in kept if entry.get("href", "").split("#")[0] not in pages]
    partial = into.with_name("search.partial.json")
    partial.write_text(json.dumps(kept + entries, ensure_ascii=False), encoding="utf-8")
    partial.replace(into)
