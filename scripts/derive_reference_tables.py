"""Make the small derived tables in data/reference/ from the official files in ../shared/data.

    .venv/bin/python scripts/derive_reference_tables.py [--data-dir ../shared/data] [--check]

lower_tier_districts.csv: every current English lower-tier district (E07) with the county it lies
in, so a district code given where an upper-tier area is wanted can be answered with that county.
Source: mySociety, UK local authority names and codes (lookups/uk_local_authorities_current.csv,
2024), CC BY 4.0. ``--check`` compares instead of writing, and exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lower_tier_districts(data_dir: Path) -> str:
    with (data_dir / "lookups" / "uk_local_authorities_current.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    gss = {r["local-authority-code"]: r["gss-code"] for r in rows}
    names = {r["gss-code"]: r["nice-name"] for r in rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["district_code", "district_name", "upper_tier_code", "upper_tier_name"])
    for r in sorted(rows, key=lambda r: r["gss-code"]):
        if r["gss-code"].startswith("E07") and r["current-authority"].strip().lower() == "true":
            county = gss.get(r["county-la"], "")
            writer.writerow([r["gss-code"], r["nice-name"], county, names.get(county, "")])
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--check", action="store_true", help="compare with the committed tables instead")
    args = parser.parse_args()
    tables = {"lower_tier_districts.csv": lower_tier_districts(args.data_dir)}
    differ = False
    for name, text in tables.items():
        path = ROOT / "data" / "reference" / name
        if args.check:
            same = path.is_file() and path.read_text(encoding="utf-8") == text
            print(f"{name}: {'the same' if same else 'DIFFERS'}")
            differ |= not same
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
