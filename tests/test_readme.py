"""The README's two commands are what users and CI run: keep them honest."""

import re

from jsna_kit.priorities import PRIORITY_AREAS


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_has_setup_and_test_commands_first(repo_root):
    blocks = _bash_blocks((repo_root / "README.md").read_text())
    assert "pip install" in blocks[0] and "jsna-kit build --area E08000019" in blocks[0]
    assert "--caseload 2000" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command(repo_root):
    test_command = _bash_blocks((repo_root / "README.md").read_text())[1]
    ci = (repo_root / ".ci" / "run").read_text()
    assert test_command in ci
    assert "status\" -eq 5" in ci  # pytest's "no tests ran" is a failure


def test_notebook_template_has_a_section_per_priority_area(repo_root):
    import nbformat

    nb = nbformat.read(repo_root / "notebooks" / "chapter.ipynb", as_version=4)
    assert nb.cells[0].metadata.get("tags") == ["parameters"]
    calls = [c.source for c in nb.cells if c.cell_type == "code"]
    for pa in PRIORITY_AREAS:  # each section writes its own heading (its words follow the area's nation)
        assert f'chapter.priority_section(data, "{pa.key}")' in calls, pa.title
    code = "\n".join(c.source for c in nb.cells[1:] if c.cell_type == "code")
    # thin notebook: no statistics or data wrangling in the template itself
    for forbidden in ("import pandas", "pd.", "read_csv", "groupby", "np."):
        assert forbidden not in code


def test_ci_runs_the_fast_stage_the_readme_describes_before_the_full_suite(repo_root):
    readme = (repo_root / "README.md").read_text()
    ci = (repo_root / ".ci" / "run").read_text()
    fast = '.venv/bin/python -m pytest -m "not e2e"'
    assert f"`{fast}`" in readme
    full = _bash_blocks(readme)[1]
    assert fast in ci and ci.index(fast) < ci.index(full + "\n")
