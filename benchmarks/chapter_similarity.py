"""How alike two areas' chapters read, once their numbers and place names are masked.

    .venv/bin/python benchmarks/chapter_similarity.py                       # the issue's three pairs
    .venv/bin/python benchmarks/chapter_similarity.py --pair E06000009 E06000041

Builds each area's chapter with no data directory (`jsna-kit build --no-render` in a temporary
folder, the embedded defaults), takes the main chapter's visible text from the Summary heading to
Appendix A (the notebook's Markdown, turned into plain text by pandoc, so markup, figure alt text
and link targets are gone), masks every number and the names of every area, region and probation
region (so a place name cannot make two chapters differ), and compares the two word sequences with
``difflib.SequenceMatcher``: 1.0 means the same words in the same order. It prints each pair's
ratio beside the issue's ceiling and, with ``--show N``, the first N differing passages.
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: (area, area, most alike allowed) from issue 24's "Done when".
PAIRS = (("E06000009", "E06000041", 0.85),   # Blackpool, Wokingham
         ("E08000012", "E10000020", 0.90),   # Liverpool, Norfolk
         ("W06000022", "W06000002", 0.90))   # Newport, Gwynedd
START, END = "Summary", "Appendix A:"


def build(codes: list[str], out: Path) -> None:
    areas = out / "areas.txt"
    areas.write_text("\n".join(codes) + "\n", encoding="utf-8")
    subprocess.run([str(BIN / "jsna-kit"), "build", "--areas", str(areas), "--out", str(out), "--no-render"],
                   check=True, cwd=out, capture_output=True, env={"PATH": str(BIN) + ":/usr/bin:/bin",
                                                                   "JSNA_KIT_DATA_DIR": str(out / "no-data")})


def visible_text(notebook: Path) -> str:
    """The chapter's main text, Summary to Appendix A, as a reader sees it."""
    import pypandoc

    from jsna_kit.publish.flatten import notebook_parts

    _, body = notebook_parts(notebook)
    plain = pypandoc.convert_text(body, "plain", format="markdown", extra_args=["--wrap=none"])
    start = re.search(rf"^{START}\s*$", plain, re.M)
    end = re.search(rf"^{END}", plain, re.M)
    return plain[start.start() if start else 0:end.start() if end else None]


def place_names() -> list[str]:
    from jsna_kit.load.areas import load_areas

    areas = load_areas(None, validate=False)
    names = set(areas["area_name"])
    for column in ("region_name", "probation_region_name"):
        if column in areas.columns:
            names |= set(areas[column].dropna())
    names |= {"England and Wales", "England", "Wales"}
    return sorted((n for n in names if n), key=len, reverse=True)


def masked_words(text: str, names: list[str]) -> list[str]:
    for name in names:
        text = re.sub(re.escape(name) + r"(?:'s|’s)?", " PLACE ", text)
    text = re.sub(r"\d[\d,.]*", " N ", text)
    return text.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", nargs=2, action="append", metavar=("AREA", "AREA"))
    parser.add_argument("--show", type=int, default=0, help="print the first N differing passages of each pair")
    args = parser.parse_args()
    pairs = [(a, b, None) for a, b in args.pair] if args.pair else list(PAIRS)
    codes = sorted({c for a, b, _ in pairs for c in (a, b)})
    names = place_names()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(codes, out)
        notebooks = {p.name.split("-")[0]: p for p in out.glob("*.ipynb")}
        for a, b, ceiling in pairs:
            wa, wb = (masked_words(visible_text(notebooks[c]), names) for c in (a, b))
            matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
            ratio = matcher.ratio()
            verdict = "" if ceiling is None else (" ok" if ratio <= ceiling else " TOO ALIKE")
            failed |= ceiling is not None and ratio > ceiling
            print(f"{a} {b}: {len(wa)} and {len(wb)} words, ratio {ratio:.3f}"
                  + (f" (at most {ceiling:.2f}){verdict}" if ceiling is not None else ""))
            shown = 0
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal" and shown < args.show:
                    print(f"  - {' '.join(wa[i1:i2])[:200]}\n  + {' '.join(wb[j1:j2])[:200]}")
                    shown += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
