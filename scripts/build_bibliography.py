"""Write ``data/reference/sources.json`` (the bibliography as CSL JSON) from ``data/reference/sources.csv``.

The bibliography a chapter prints is made from the publication fields of the sources table only
(``jsna_kit.publish.csl``): author or issuing body, year (or ``date not known``), title, journal or
publisher, volume, issue and pages where known, DOI, and the publisher's own address
(``public_url``; never where the text was read, which stays in ``url_seen`` for maintainers).
Nothing from ``note``, ``maintainer_note``, ``url_seen``, ``secondary`` or ``verify`` reaches it.
One item per row, in the table's order, keyed by ``source_key``. CSL JSON is what pandoc's
citeproc reads: no BibTeX round trip, so nothing is lost or needs patching on the way.

    python scripts/build_bibliography.py            # rewrite sources.json
    python scripts/build_bibliography.py --check    # exit 1 if the committed file differs
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from jsna_kit.publish.csl import csl_text

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"


def bibliography(sources_csv: Path) -> str:
    with sources_csv.open(encoding="utf-8-sig", newline="") as fh:
        return csl_text(list(csv.DictReader(fh)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=REFERENCE,
                        help="folder holding sources.csv and sources.json (default: data/reference)")
    parser.add_argument("--check", action="store_true", help="only check that sources.json is up to date")
    args = parser.parse_args(argv)
    made = bibliography(args.reference_dir / "sources.csv")
    target = args.reference_dir / "sources.json"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != made:
            print(f"{target} is out of date with sources.csv: run python scripts/build_bibliography.py",
                  file=sys.stderr)
            return 1
        print(f"{target} matches sources.csv")
        return 0
    target.write_text(made, encoding="utf-8")
    entries = made.count('"id":')
    print(f"wrote {target} ({entries} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
