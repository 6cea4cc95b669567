"""Rendering with Quarto, in a copy of the project (Quarto renders the project's own reports/ into
its _site/, so no test writes into the repository).

Without Quarto (as in CI) a stub ``quarto`` on PATH records how it is called: the chapters are
shared out to copies of the project, each rendering its own chapters (and copying only their
resources) one format at a time, then the index and overview are rendered in the project itself.
With a real Quarto on PATH (../shared/tools/quarto builds one), three areas (one Welsh) are built
and rendered, and their pages, PDFs, Word files, the overview and the index are checked and
followed link by link; without it those tests skip, saying why."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from jsna_kit.priorities import PRIORITY_AREAS

HARTLEPOOL, CARDIFF, KENT = "E06000001-hartlepool", "W06000015-cardiff", "E10000016-kent"


def stub_quarto(folder: Path) -> tuple[dict, Path]:
    """A ``quarto`` that writes each call's arguments, working folder and that folder's
    ``_quarto.yml`` (the copies the chapters are rendered in are gone afterwards) to a log, and succeeds."""
    bin_dir, log = folder / "bin", folder / "quarto-calls.jsonl"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "quarto"
    script.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                      "config = open('_quarto.yml').read() if os.path.isfile('_quarto.yml') else ''\n"
                      "args = sys.argv[1:]\n"
                      "print('1.7.34') if args == ['--version'] else None\n"
                      "given = '--metadata-file' in args\n"
                      "meta = open(args[args.index('--metadata-file') + 1]).read() if given else ''\n"
                      f"with open({str(log)!r}, 'a') as fh:\n"
                      "    call = {'args': args, 'cwd': os.getcwd(), 'config': config, 'metadata': meta}\n"
                      "    fh.write(json.dumps(call) + '\\n')\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}, log


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.is_file() else []


def chapter_renders(made: list[dict], project: Path) -> dict[str, list[list[str]]]:
    """The Quarto calls made in copies of the project: each copy's chapters -> its calls."""
    import yaml

    by_copy: dict[str, list[dict]] = {}
    for call in made:
        if call["cwd"] != str(project):
            by_copy.setdefault(call["cwd"], []).append(call)
    out = {}
    for group in by_copy.values():
        config = yaml.safe_load(group[0]["config"])
        chapters = [Path(p).stem for p in config["project"]["render"]]
        # Each copy renders its own chapters and copies their data folders, and no other chapter's.
        assert config["project"]["resources"] == [f"reports/{c}/data/*" for c in chapters]
        out[" ".join(chapters)] = [c["args"] for c in group]
    return out


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_chapters_render_in_parallel_copies_of_the_project_then_the_index(project_copy, tmp_path,
                                                                            shared_data_dir):
    env, log = stub_quarto(tmp_path)
    listing = tmp_path / "areas.txt"
    listing.write_text("Hartlepool\nCardiff\n", encoding="utf-8")
    built = run_cli(project_copy, "build", "--areas", str(listing), "--data-dir", str(shared_data_dir), env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Rendered with Quarto." in built.stdout
    made = calls(log)
    # Quarto makes the web page; the Word file is the project's pandoc's, the PDF its typst's (PDF/UA-1).
    per_format = [["render", "--to", "html", "--no-clean"]]
    # Two cores or more: one copy per chapter; on one core, all in one copy. Cardiff has its Welsh
    # chapter too (the default for a Welsh area).
    chapters = sorted([HARTLEPOOL, CARDIFF, f"{CARDIFF}.cy"])
    renders = chapter_renders(made, project_copy)
    assert sorted(" ".join(renders).split()) == chapters
    assert all(args == per_format for args in renders.values()), renders
    assert all((project_copy / "_site" / "reports" / f"{slug}.{suffix}").stat().st_size > 50_000
               for slug in chapters for suffix in ("pdf", "docx"))
    assert all(not c["cwd"].startswith(str(project_copy)) for c in made if c["cwd"] != str(project_copy))
    # The overview is written to link the chapters built; the index and overview are rendered last,
    # in the project itself, so the index is always the real page.
    assert (project_copy / "reports" / "overview.qmd").is_file()
    assert [c["args"] for c in made if c["cwd"] == str(project_copy) and c["args"] != ["--version"]] == [
        ["render", "index.qmd", "--to", "html"], ["render", "reports/overview.qmd", "--to", "html"]]
    # each chapter's manifest names the tool that made each format
    manifest = json.loads((project_copy / "reports" / HARTLEPOOL / "data" / "manifest.json").read_text())
    made = manifest["rendered_with"]
    assert made["html"] == "Quarto 1.7.34"
    assert re.match(r"pandoc \d[\d.]* \(the pypandoc_binary Python package\)$", made["docx"])
    assert re.match(r"typst \d+\.\d+\.\d+ \(the typst Python package\), from pandoc \d", made["pdf"])

    log.unlink()
    rendered = run_cli(project_copy, "render", "--format", "html", "--workers", "1", env=env)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    renders = chapter_renders(calls(log), project_copy)
    assert len(renders) == 1 and sorted(next(iter(renders)).split()) == chapters
    assert list(renders.values()) == [[["render", "--to", "html", "--no-clean"]]]


def own_evidence(folder: Path) -> Path:
    """A researcher's own national estimates: MH05 (current mental illness) at 20% instead of 39%."""
    import csv

    from jsna_kit.config import reference_dir

    with (reference_dir() / "national_estimates.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["estimate_id"] == "MH05":
            row.update({k: "" for k in ("ci_lower", "ci_upper", "numerator", "denominator") if k in row}, value="20")
    folder.mkdir(parents=True)
    with (folder / "national_estimates.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_scenario_site_says_so_under_the_index_title(project_copy, tmp_path):
    """Built from a researcher's own evidence, the index Quarto renders gets the scenario notice as
    its abstract, titled "Scenario" (its first screen); built from the published data, nothing."""
    import yaml

    env, log = stub_quarto(tmp_path)
    own = own_evidence(tmp_path / "own")
    built = run_cli(project_copy, "build", "--area", "Hartlepool", "--data-dir", str(tmp_path), "--reference",
                    str(own), env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    index = [c for c in calls(log) if c["cwd"] == str(project_copy) and "index.qmd" in c["args"]]
    assert len(index) == 1 and "--metadata-file" in index[0]["args"]
    meta = yaml.safe_load(index[0]["metadata"])
    assert meta["abstract-title"] == "Scenario"
    assert "A scenario, not the published estimates" in meta["abstract"] and "MH05" in meta["abstract"]
    log.unlink()
    again = run_cli(project_copy, "build", "--area", "Hartlepool", "--data-dir", str(tmp_path), env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    index = [c for c in calls(log) if c["cwd"] == str(project_copy) and "index.qmd" in c["args"]]
    assert index and all("--metadata-file" not in c["args"] for c in index)


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_a_quarto_failure_names_the_chapter_in_plain_text(project_copy, tmp_path):
    env, _ = stub_quarto(tmp_path)
    failing = tmp_path / "bin" / "quarto"
    failing.write_text(f"#!{sys.executable}\nimport sys\n"
                       "print('[1/1] reports/E08000019-sheffield.ipynb')\n"
                       "sys.stderr.write('\\x1b[31mERROR: something in the chapter\\x1b[39m\\n')\nsys.exit(1)\n",
                       encoding="utf-8")
    result = run_cli(project_copy, "build", "--area", "Sheffield", "--caseload", "2000",
                     "--data-dir", str(tmp_path), env=env)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, output
    assert "E08000019-sheffield: quarto render failed" in output and "ERROR: something in the chapter" in output
    assert "\x1b[" not in output


def test_render_refuses_an_unknown_format(project_copy):
    result = run_cli(project_copy, "render", "--format", "typst")
    assert result.returncode != 0
    assert "--format typst: choose html, pdf or docx" in " ".join((result.stdout + result.stderr).split())


needs_quarto = pytest.mark.skipif(shutil.which("quarto") is None, reason="Quarto is not installed on this machine "
                                  "(../shared/tools/quarto/build.sh builds one; CI has none)")
AREAS = {HARTLEPOOL: "Hartlepool", CARDIFF: "Cardiff", KENT: "Kent"}
DATE = re.compile(r"\b[1-3]?[0-9] (January|February|March|April|May|June|July|August|September|October|"
                  r"November|December) 20[0-9]{2}\b")


@pytest.fixture(scope="module")
def quarto_site(tmp_path_factory, shared_data_dir):
    """Three areas (one Welsh) built with ``--areas`` and rendered by the real Quarto."""
    if shutil.which("quarto") is None:
        pytest.skip("Quarto is not installed on this machine (../shared/tools/quarto/build.sh builds one; CI has none)")
    from conftest import copy_project

    tmp = tmp_path_factory.mktemp("quarto-site")
    project = copy_project(tmp / "project")
    listing = tmp / "areas.txt"
    listing.write_text("\n".join(AREAS.values()) + "\n", encoding="utf-8")
    built = run_cli(project, "build", "--areas", str(listing), "--data-dir", str(shared_data_dir))
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "_site"


def links(page: Path) -> set[str]:
    """Where a page's links go, as paths from the site's root."""
    import posixpath

    root = page.parents[1] if page.parent.name == "reports" else page.parent
    base = page.parent.relative_to(root).as_posix()
    hrefs = re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8"))
    return {posixpath.normpath(posixpath.join(base, h)) for h in hrefs if "://" not in h}


@needs_quarto
def test_every_chapter_has_its_page_pdf_and_word_file_linked_both_ways(quarto_site):
    index, overview = quarto_site / "index.html", quarto_site / "reports" / "overview.html"
    assert 'http-equiv="refresh"' not in index.read_text(encoding="utf-8")  # the real page, not a redirect
    assert {"reports/overview.html"} <= links(index)
    for slug, name in AREAS.items():
        page = quarto_site / "reports" / f"{slug}.html"
        html = page.read_text(encoding="utf-8")
        assert f"Health needs of people on probation: {name}" in html
        for pa in PRIORITY_AREAS:
            assert re.search(r"<h2[^>]*>.*?" + re.escape(pa.title), html, flags=re.S), (slug, pa.title)
        assert (quarto_site / "reports" / f"{slug}.pdf").read_bytes().startswith(b"%PDF")
        assert (quarto_site / "reports" / f"{slug}.docx").read_bytes().startswith(b"PK")
        assert (quarto_site / "reports" / slug / "data" / "dictionary.csv").is_file()
        assert f"reports/{slug}.html" in links(index) and f"reports/{slug}.html" in links(overview)
        assert {"index.html", "reports/overview.html", f"reports/{slug}.pdf",
                f"reports/{slug}.docx", f"reports/{slug}/data/estimates.csv"} <= links(page)
        # The other formats are named for readers; dates as "2 December 2026".
        formats = re.search(r'quarto-alternate-formats.*?</ul>', html, flags=re.S).group(0)
        assert re.findall(r"</i>([^<]+)</a>", formats) == ["PDF", "Word"]
        assert DATE.search(html)
    assert DATE.search(index.read_text(encoding="utf-8"))


@needs_quarto
def test_citations_and_references_look_the_same_in_every_format(quarto_site):
    import zipfile

    slug = CARDIFF
    html = (quarto_site / "reports" / f"{slug}.html").read_text(encoding="utf-8")
    html = re.sub(r"<[^>]+>", " ", re.search(r"<main.*?</main>", html, flags=re.S).group(0))
    docx = zipfile.ZipFile(quarto_site / "reports" / f"{slug}.docx").read("word/document.xml").decode()
    docx = re.sub(r"<[^>]+>", "", docx)
    pdf = pdf_text(quarto_site / "reports" / f"{slug}.pdf")
    for text in (" ".join(html.split()), docx, pdf):
        assert re.search(r"\((\w[\w .&()-]*?) (19|20)\d\d[a-z]?[;)]", text), text[:300]  # author-date
        assert not re.search(r"\[\d+\]", text)  # no numbered citations
        assert "Bibliography" not in text  # one References section, not typst's own as well
        assert "References" in text


@needs_quarto
@pytest.mark.parametrize("slug", [HARTLEPOOL, CARDIFF])
def test_the_appendices_from_the_project_s_pandoc_read_and_link_as_quarto_s_text(quarto_site, slug):
    """Quarto renders the chapter with its appendices as placeholders, the project's pandoc their
    bodies (publish.tail): every placeholder is filled; every citation, main text or appendix,
    links to an entry of the one reference list, and reads exactly as in the Word file (one
    citation style, one list of works, so the same "2025a"); appendix tables and headings get what
    Quarto gives its own."""
    import html as html_lib
    import zipfile

    page = (quarto_site / "reports" / f"{slug}.html").read_text(encoding="utf-8")
    assert "jsna-tail" not in page
    appendix = page.index('id="sec-who-does-what"')
    cites = re.findall(r'<span class="citation"[^>]*>(.*?)</span>', page, flags=re.S)
    targets = re.findall(r'href="#ref-([^"]+)"', page)
    entries = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', page)
    assert len(set(targets)) > 20 and set(targets) == set(entries), set(targets) ^ set(entries)
    assert re.findall(r'href="#ref-', page[appendix:]) and re.findall(r'href="#ref-', page[:appendix])
    docx = zipfile.ZipFile(quarto_site / "reports" / f"{slug}.docx").read("word/document.xml").decode()
    word = "".join(html_lib.unescape(re.sub(r"<[^>]+>", "", docx)).split())
    for cite in cites:
        text = "".join(html_lib.unescape(re.sub(r"<[^>]+>", "", cite)).split())
        assert text in word, text
    tables = re.findall(r"<table\b[^>]*>", page[appendix:])
    assert tables and all('class="caption-top table"' in t for t in tables)
    assert re.search(r'<h3 class="anchored" data-anchor-id="sec-pathways">', page)


def pdf_text(path: Path) -> str:
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@needs_quarto
def test_page_contents_show_without_quarto_s_script(quarto_site):
    """Browsers do not run Quarto's module script for a page opened from disk (file://), and the
    page contents list waits for it to open; the site's style sheet shows it regardless."""
    page = (quarto_site / "reports" / f"{HARTLEPOOL}.html").read_text(encoding="utf-8")
    assert re.search(r'<nav id="TOC"[^>]*>\s*<h2 id="toc-title">On this page</h2>\s*<ul class="collapse">', page)
    css = (quarto_site / "styles" / "chapter.css").read_text(encoding="utf-8")
    assert "#TOC ul.collapse:not(.show) { display: block; }" in css


@needs_quarto
@pytest.mark.parametrize("slug", [HARTLEPOOL, CARDIFF])
def test_the_pdf_is_pdf_ua_and_the_word_file_is_navigable_and_described(quarto_site, slug):
    """With Quarto, the PDF is made by the typst the project installs: tagged, PDF/UA-1, alt text on
    every figure; the Word file, made by the project's pandoc, has Heading 1 to 3 and alt text on
    every picture, none in a layout table (issue 30)."""
    from accessible_formats import docx_problems, pdf_problems

    assert pdf_problems(quarto_site / "reports" / f"{slug}.pdf") == []
    assert docx_problems(quarto_site / "reports" / f"{slug}.docx") == []


@needs_quarto
@pytest.mark.parametrize("page", [f"reports/{HARTLEPOOL}.html", f"reports/{CARDIFF}.html", "reports/overview.html",
                                  "index.html"])
def test_quarto_pages_pass_axe_and_reflow_on_a_phone(quarto_site, page):
    """axe finds nothing serious or critical on Quarto's chapter pages, the overview and the index,
    nothing is loaded from elsewhere (no CDN), and at 390 and 320 px no page scrolls sideways."""
    import subprocess

    from test_browser import CHECK_PAGE, REPO_ROOT, _missing_tools

    if _missing_tools():
        pytest.skip("the browser check needs " + "; ".join(_missing_tools()))
    folder = REPO_ROOT / "test-artifacts" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    shot = "quarto-" + Path(page).stem + ".png"
    proc = subprocess.run(["node", str(CHECK_PAGE), str(quarto_site / page), str(folder), "--screenshot", shot],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)
    findings = json.loads(proc.stdout)
    assert "error" not in findings, findings.get("error")
    blocking = [(v["id"], v["impact"]) for v in findings["axe"]["violations"]
                if v["impact"] in ("serious", "critical", None)]
    assert blocking == []
    assert findings["blocked_requests"] == [] and findings["failed_requests"] == []
    assert {k: v["uncontained"] for k, v in findings["overflow"].items()} == {"desktop": 0, "phone": 0, "narrow": 0}


@needs_quarto
def test_the_index_names_each_nations_assessment_and_links_every_format(quarto_site):
    """The index: each chapter's nation and the assessment it is part of (the JSNA in England, the
    population needs assessment in Wales), and links to its PDF and Word file that reach them."""
    import html as html_lib

    page = (quarto_site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-index.*?</tr>", page, flags=re.S)
    # each Welsh area twice: its English chapter and its Welsh one (the default), by its Welsh title
    assert len(rows) == len(AREAS) + sum(slug.startswith("W") for slug in AREAS)
    subtitle = re.search(r'<p class="subtitle lead">(.*?)</p>', page, flags=re.S).group(1)
    assert "in England" in subtitle and "in Wales" in subtitle
    for row in rows:
        slug = re.search(r'href="\./reports/([^"]+)\.html"', row).group(1)
        nation = re.search(r'class="listing-nation">([^<]+)<', row).group(1)
        part = html_lib.unescape(re.search(r'class="listing-assessment">([^<]+)<', row).group(1))
        assert (nation, part) == (("Wales", "asesiad o anghenion y boblogaeth") if slug.endswith(".cy") else
                                  ("Wales", "population needs assessment") if slug.startswith("W")
                                  else ("England", "JSNA")), row
        for suffix in ("pdf", "docx"):
            assert f'href="reports/{slug}.{suffix}"' in row and (quarto_site / "reports" / f"{slug}.{suffix}").is_file()


@pytest.mark.parametrize("chapters, workers, sizes", [
    (175, 2, [30, 29, 29, 29, 29, 29]),  # every area: six Quarto runs a format, none over 30 chapters
    (3, 2, [2, 1]),
    (1, 2, [1]),
    (60, 2, [30, 30]),
    (61, 1, [21, 20, 20]),
])
def test_chapters_are_shared_out_in_groups_of_at_most_30(chapters, workers, sizes):
    from jsna_kit.publish.quarto import CHAPTERS_PER_RUN, chapter_groups

    notebooks = [Path(f"reports/E{i:08d}-area.ipynb") for i in range(chapters)]
    groups = chapter_groups(notebooks, workers)
    assert [len(g) for g in groups] == sizes
    assert sorted(nb for g in groups for nb in g) == notebooks and CHAPTERS_PER_RUN == 30


def test_quarto_gets_the_chapter_as_a_notebook_of_its_markdown(tmp_path):
    """What Quarto renders in a worker's copy: the front matter (its date as written, for Quarto's
    date-format), then one Markdown cell holding what the executed chapter shows, code left out."""
    import nbformat

    from jsna_kit.publish.quarto import _markdown_notebook

    executed = nbformat.v4.new_notebook()
    executed.cells = [nbformat.v4.new_raw_cell('---\ntitle: "Hartlepool"\ndate: 2026-12-02\n---'),
                      nbformat.v4.new_markdown_cell("## Summary {#sec-summary}"),
                      nbformat.v4.new_code_cell("print_secret_code()", outputs=[nbformat.v4.new_output(
                          "execute_result", data={"text/markdown": "About **1,010** people.", "text/plain": "x"},
                          execution_count=1)])]
    source, target = tmp_path / "E06000001-hartlepool.ipynb", tmp_path / "copy" / "E06000001-hartlepool.ipynb"
    target.parent.mkdir()
    nbformat.write(executed, source)
    _markdown_notebook(source, target)
    cells = nbformat.read(target, as_version=4).cells
    assert [c.cell_type for c in cells] == ["raw", "markdown"]
    assert cells[0].source == '---\ntitle: "Hartlepool"\ndate: 2026-12-02\n---'
    assert cells[1].source.split() == "## Summary {#sec-summary} About **1,010** people.".split()
    assert "print_secret_code" not in target.read_text(encoding="utf-8")


@needs_quarto
def test_a_scenario_says_so_on_the_first_screen_of_every_quarto_output(tmp_path):
    """With the real Quarto: the index's first screen, and the chapter's page, PDF and Word file
    (before their first section), say that they are a scenario from the researcher's own evidence."""
    import subprocess
    import zipfile

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    own = own_evidence(tmp_path / "own")
    built = run_cli(project, "build", "--area", "Hartlepool", "--data-dir", str(tmp_path), "--reference", str(own))
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "_site"
    index = " ".join(re.sub(r"<[^>]+>", " ", (site / "index.html").read_text(encoding="utf-8")).split())
    title = index.index("of the population needs assessment in Wales")
    assert index.index("Scenario A scenario, not the published estimates.") - title < 80
    page = " ".join(re.sub(r"<[^>]+>", " ", (site / "reports" / f"{HARTLEPOOL}.html").read_text(encoding="utf-8"))
                    .split())
    pdf = " ".join(subprocess.run(["pdftotext", "-l", "2", str(site / "reports" / f"{HARTLEPOOL}.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    with zipfile.ZipFile(site / "reports" / f"{HARTLEPOOL}.docx") as docx:
        word = " ".join(re.sub(r"<[^>]+>", " ", docx.read("word/document.xml").decode("utf-8")).split())
    for text in (page, pdf, word):
        notice = text.find("A scenario, not the published estimates.")
        assert 0 <= notice < text.find("Key messages for the board"), text[:600]


@needs_quarto
@pytest.mark.e2e
def test_a_working_folder_gets_its_own_quarto_site(tmp_path):
    """Issue 26: built from an analyst's working folder (``jsna-kit init``), the chapter and the
    site's index are rendered by Quarto into that folder's _site, not the project's."""
    from jsna_kit.batch.workspace import make_workspace
    from jsna_kit.config import PROJECT_ROOT

    folder = make_workspace("E10000007", "Derbyshire", tmp_path / "ws").folder
    project_index = PROJECT_ROOT / "_site" / "index.html"
    before = project_index.stat().st_mtime_ns if project_index.is_file() else None
    built = subprocess.run([sys.executable, "-c", "from jsna_kit.cli import main; main()", "build", "--area",
                            "Derbyshire"], cwd=folder, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    site = folder / "_site"
    slug = "E10000007-derbyshire"
    for name in (f"{slug}.html", f"{slug}.docx", f"{slug}.pdf", "overview.html"):
        assert (site / "reports" / name).is_file(), name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="./reports/{slug}.html"' in index and f'href="reports/{slug}.pdf"' in index
    assert "quarto" in (site / "reports" / f"{slug}.html").read_text(encoding="utf-8")[:3000].lower()
    after = project_index.stat().st_mtime_ns if project_index.is_file() else None
    assert after == before, "the project's own site is left alone"


@needs_quarto
@pytest.mark.e2e
def test_a_plain_quarto_render_of_a_chapter_still_makes_every_format(quarto_site, tmp_path):
    """The README says a plain ``quarto render`` works (the benchmark's naive road). With table
    identifiers on their regions, the pandoc Quarto 1.7 bundles labels them for typst, so a link to
    a table no longer stops the PDF ('label <table-...> does not exist'; issue 30). Rendered in a
    copy, so the site the other tests read keeps jsna-kit's own PDF and Word file."""
    project = tmp_path / "project"
    shutil.copytree(quarto_site.parent, project, ignore=shutil.ignore_patterns("_site", ".quarto"))
    done = subprocess.run(["quarto", "render", f"reports/{HARTLEPOOL}.ipynb"], cwd=project, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for suffix in ("html", "pdf", "docx"):
        assert (project / "_site" / "reports" / f"{HARTLEPOOL}.{suffix}").stat().st_size > 20_000, suffix


@needs_quarto
@pytest.mark.e2e
def test_quarto_renders_a_welsh_chapter_in_welsh_and_the_index_lists_it(tmp_path):
    """With the real Quarto (the Welsh chapter is the default): the Welsh chapter's page says lang="cy", carries
    Quarto's page words in Welsh, links the English chapter (and is linked from it), has every
    appendix filled and folded; the index lists it by its Welsh title; its PDF and Word file exist."""
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    built = run_cli(project, "build", "--area", "Gwynedd")
    assert built.returncode == 0, built.stdout + built.stderr
    reports = project / "_site" / "reports"
    welsh = (reports / "W06000002-gwynedd.cy.html").read_text(encoding="utf-8")
    english = (reports / "W06000002-gwynedd.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="cy"', welsh) and "Ar y dudalen hon" in welsh
    # the site's own words (its title, navbar and footer) in Welsh on the Welsh page only
    assert 'menu-text">Pob ardal<' in welsh and "All areas" not in welsh and "Built with jsna-kit" not in welsh
    assert 'menu-text">All areas<' in english
    assert 'href="W06000002-gwynedd.html"' in welsh and 'href="W06000002-gwynedd.cy.html"' in english
    assert "jsna-tail" not in welsh and 'class="appendix"' in welsh and "Atodiad A" in welsh
    assert "Cyfeiriadau" in welsh and re.search(r'<div id="ref-[^"]+" class="csl-entry"', welsh)
    for suffix in ("pdf", "docx"):
        assert (reports / f"W06000002-gwynedd.cy.{suffix}").stat().st_size > 10_000
    index = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Anghenion iechyd pobl ar brawf: Gwynedd" in index and "W06000002-gwynedd.cy.html" in index
