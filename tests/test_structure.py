"""The package's layout holds: data flow one way through the rooms (load -> model -> present ->
execute / batch / publish -> cli), no module imports itself round a circle, no folder is named
like generated output, and a long module says why it is long.

Imports are read from the source with ``ast``, every one of them, including those made inside a
function to keep start-up light: a circle through a lazy import is still a circle for a reader.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jsna_kit"

#: What each room may import from the package, besides itself. The shared modules at the top
#: (``errors``, ``config``, ``priorities``, ``messages``, the package's own ``__init__``) are open to every room.
SHARED = {"jsna_kit", "jsna_kit.errors", "jsna_kit.config", "jsna_kit.priorities", "jsna_kit.messages"}
ROOMS = {
    "load": set(),
    "model": set(),
    "present": {"load", "model"},  # load: the chapter bundle's type (ChapterData); it reads no file itself
    "execute": {"load", "model", "present"},
    "publish": {"load", "model", "present"},
    "batch": {"load", "model", "present", "execute", "publish"},
    "cli": {"load", "model", "present", "execute", "publish", "batch"},
}
#: Names the widely used Python .gitignore template (and tools that skip build output) ignore.
OUTPUT_LIKE = {"build", "dist", "out", "output", "eggs", "develop-eggs", "downloads", "lib", "lib64", "parts",
               "sdist", "var", "wheels", "env", "venv", "target", "site"}
LONG = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every jsna_kit module ``path`` imports, wherever in the file (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}  # ``from . import cache``
    return {m for m in found if m == "jsna_kit" or m.startswith("jsna_kit.")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def test_the_import_graph_is_read():
    """A guard for the tests below: the reader finds the imports it should."""
    edges = graph()
    assert "jsna_kit.batch.plan" in edges["jsna_kit.batch.run"]  # a lazy, relative import
    assert "jsna_kit.batch.cache" in edges["jsna_kit.batch.run"]  # ``from . import cache``
    assert "jsna_kit.model.caseload" in edges["jsna_kit.batch.inputs"]
    assert len(edges) > 60


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_circle():
    assert circles(graph()) == []


def test_each_room_imports_only_the_rooms_before_it():
    wrong = []
    for module, targets in sorted(graph().items()):
        here = room(module)
        if here is None:
            continue
        for target in sorted(targets):
            there = room(target)
            allowed = there == here or target in SHARED or there in ROOMS[here]
            if not allowed:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_shared_modules_import_no_room():
    for module, targets in graph().items():
        if module in SHARED:
            assert not {t for t in targets if room(t)}, module


@pytest.mark.parametrize("folder", sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"))
def test_no_folder_is_named_like_generated_output(folder):
    assert folder.lower() not in OUTPUT_LIKE


def test_a_module_over_400_lines_says_why_at_its_top():
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > LONG and not re.search(r"longer than 400 lines", docstring, re.IGNORECASE):
            unexplained.append(f"{path.relative_to(PACKAGE)} ({lines} lines)")
    assert unexplained == []
