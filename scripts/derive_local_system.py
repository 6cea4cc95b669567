"""Make data/reference/local_system.csv, the local bodies of every upper-tier area, from the official
lookups in ../shared/data/lookups/system/ and the project's table of the April 2026 ICB mergers.

    .venv/bin/python scripts/derive_local_system.py [--data-dir ../shared/data] [--check]

``--check`` compares instead of writing, and exits 1 on a difference. The table, its sources and its
hard cases are described in data/reference/README_local_system.md.

One row per area x role x body (a tidy long table): the integrated care board and NHS England region,
the police force area, its policing body and community safety partnerships, the probation region and
delivery units, and in Wales the local health board, regional partnership board, area planning board
and Public Health Wales. Inputs, all read-only:

- CTYUA23_ICB24_NHSER_lsoa_shares.csv: ICB (April 2024) and NHS England region of each English area,
  with the area's share of 2021 LSOAs in each ICB (ONS, via geographr; OGL v3);
- data/reference/icb_mergers_2026.csv: which 2024 ICBs (or which councils' parts of them) belong to
  which ICB from 1 April 2026 (written statement of 9 September 2025 and NHS pages; rows with
  ``confirmed`` false are not applied);
- LAD24_CSP24_PFA24_EW_LU_from_geographr.csv and LTLA23_UTLA23_EW_LU_from_geographr.csv: police force
  area and community safety partnerships (ONS, December 2024);
- CTYUA23_PFA24_CSP24_governance.csv: the policing body of each area (transcribed);
- CTYUA23_probation_region_PDU_transcribed.csv and probation_regions_PDUs_HMPPS.csv: probation region
  and PDUs (MoJ/HMPPS code, MIT, Crown copyright; council-to-PDU matched by name, ``named``/``inferred``);
- Wales_UA_LHB22_RPB_APB_PFA24.csv: local health board (ONS 2022), regional partnership board and area
  planning board (transcribed) of each Welsh council;
- data/reference/local_system_welsh.csv: the Welsh names of the Welsh bodies no lookup names in Welsh
  (police forces and commissioners, boards, partnerships, probation delivery units), for the Welsh
  chapters (issue 27); its ``note`` marks the names not confirmed as the body's own.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
SYSTEM = ("lookups", "system")
MERGERS = "icb_mergers_2026.csv"
OUTPUT = "local_system.csv"
HEADER = ["area_code", "area_name", "role", "body_code", "body_name", "body_name_cy", "share_pct",
          "as_at", "basis", "source", "maintainer_note"]
ROLE_ORDER = ("integrated_care_board", "nhs_england_region", "local_health_board", "regional_partnership_board",
              "public_health_agency", "area_planning_board", "police_force_area", "policing_body",
              "community_safety_partnership", "probation_region", "probation_delivery_unit")

# The date each input's assignment is known to hold (the vintage the publisher gives, or for the
# geographr copies of undated ONS lookups, the download date).
AS_AT = {"icb_2024": "2024-04-01", "pfa_csp": "2024-12-01", "policing": "2024-05-07", "probation": "2025-06-01",
         "wales": "2022-12-30"}

# Official Welsh names, where a source was found (ONS LHB22NMW as served by the RCPCH NHS organisations
# API, and other public Welsh-language pages); blank where none was seen (Cwm Taf Morgannwg).
LHB_WELSH = {
    "W11000023": "Bwrdd Iechyd Prifysgol Betsi Cadwaladr",
    "W11000024": "Bwrdd Iechyd Addysgu Powys",
    "W11000025": "Bwrdd Iechyd Prifysgol Hywel Dda",
    "W11000028": "Bwrdd Iechyd Prifysgol Aneurin Bevan",
    "W11000029": "Bwrdd Iechyd Prifysgol Caerdydd a'r Fro",
    "W11000031": "Bwrdd Iechyd Prifysgol Bae Abertawe",
}
PUBLIC_HEALTH_WALES = ("Public Health Wales", "Iechyd Cyhoeddus Cymru")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _tidy(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def _shares(counts: dict[str, int]) -> dict[str, str]:
    """Percentages of a total to two decimals that add up to exactly 100 (largest remainder)."""
    total = sum(counts.values())
    hundredths = {key: 10_000 * n / total for key, n in counts.items()}
    floors = {key: int(value) for key, value in hundredths.items()}
    left = 10_000 - sum(floors.values())
    for key in sorted(hundredths, key=lambda k: (floors[k] - hundredths[k], k))[:left]:
        floors[key] += 1
    return {key: f"{value / 100:.2f}".rstrip("0").rstrip(".") for key, value in floors.items()}


def _row(area: tuple[str, str], role: str, code: str, name: str, *, share: str = "100", as_at: str,
         basis: str, source: str, name_cy: str = "", note: str = "") -> list[str]:
    if not name.strip():
        raise SystemExit(f"{area[0]} {role}: the source gives no name for body {code!r}")
    return [area[0], area[1], role, code, name, name_cy, share, as_at, basis, source, note]


def merger_rules(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    """(ICB code -> new name), ((ICB code, area) -> new name) for parts moved, and new name -> sources."""
    whole, parts, sources = {}, {}, {}
    for r in _read(path):
        if r["confirmed"].strip().lower() != "true":
            continue
        if r["area_codes"].strip():
            for area in _split(r["area_codes"]):
                parts[(r["old_icb_code"], area)] = r["new_icb_name"]
        else:
            whole[r["old_icb_code"]] = r["new_icb_name"]
        sources.setdefault(r["new_icb_name"], set()).update(_split(r["source"]))
    return whole, parts, {name: ";".join(sorted(keys)) for name, keys in sources.items()}


def health_rows(system: Path, names: dict[str, str], mergers: Path) -> list[list[str]]:
    """ICB and NHS England region of every English area; ICBs after the April 2026 mergers."""
    whole, parts, merger_sources = merger_rules(mergers)
    by_area = defaultdict(list)
    for r in _read(system / "CTYUA23_ICB24_NHSER_lsoa_shares.csv"):
        by_area[r["UTLA23CD"]].append(r)
    rows = []
    for code in sorted(by_area):
        area = (code, names[code])
        icbs, regions = defaultdict(int), defaultdict(int)
        old_of = defaultdict(list)
        for r in by_area[code]:
            n = int(r["lsoa21_count"])
            regions[(r["NHSER22CD"], r["NHSER22NM"])] += n
            moved = parts.get((r["ICB24CD"], code)) or whole.get(r["ICB24CD"])
            if r["ICB24CD"] in {icb for icb, _ in parts} and moved is None:
                raise SystemExit(f"{MERGERS}: the part of {r['ICB24NM']} in {code} {names[code]} has no new ICB; "
                                 f"add a row for it")
            key = ("", moved) if moved else (r["ICB24CD"], r["ICB24NM"])
            icbs[key] += n
            old_of[key].append(r["ICB24NM"])
        shares = _shares(icbs)
        for key in sorted(icbs, key=lambda k: (-icbs[k], k[1])):
            icb_code, icb_name = key
            if icb_code:
                rows.append(_row(area, "integrated_care_board", icb_code, icb_name, share=shares[key],
                                 as_at=AS_AT["icb_2024"], basis="official_lookup", source="ONS_ICB24"))
            else:
                before = sorted(set(old_of[key]) - {icb_name})
                note = (f"Before April 2026: {'; '.join(before)}" if before
                        else "Same ICB with a wider area from April 2026")
                rows.append(_row(area, "integrated_care_board", "", icb_name, share=shares[key], as_at="2026-04-01",
                                 basis="merger_2026", source=f"ONS_ICB24;{merger_sources[icb_name]}", note=note))
        shares = _shares(regions)
        for key in sorted(regions, key=lambda k: (-regions[k], k[1])):
            rows.append(_row(area, "nhs_england_region", key[0], f"NHS England {key[1]}", share=shares[key],
                             as_at=AS_AT["icb_2024"], basis="official_lookup", source="ONS_ICB24;ONS_NHSER22"))
    return rows


def _policing_body(governance: str, body: str, pfa: str) -> tuple[str, str]:
    """The name a reader writes to, from the transcribed governance, and a note."""
    if governance in ("PCC", "PFCC"):
        name = re.sub(r"\s*\(elected;[^)]*\)\s*$", "", body).replace(" & ", " and ")
        return name, ""
    if governance == "Combined authority mayor":
        mayor = re.match(r"^(Mayor of [A-Za-z ]+?) \(", body)
        if not mayor:
            raise SystemExit(f"policing body of {pfa}: cannot read the mayor in {body!r}")
        return f"{mayor.group(1)} (police and crime commissioner functions)", ""
    if governance == "Mayor of London":
        return "Mayor's Office for Policing and Crime", ""
    if governance.startswith("Police authority"):
        return "Court of Common Council of the City of London Corporation", "the police authority; no PCC"
    raise SystemExit(f"policing body of {pfa}: unknown governance type {governance!r}")


def police_rows(system: Path, names: dict[str, str]) -> list[list[str]]:
    """Police force area, policing body and community safety partnerships of every area."""
    upper = {r["LTLA23CD"]: r["UTLA23CD"] for r in _read(system / "LTLA23_UTLA23_EW_LU_from_geographr.csv")}
    pfas, csps = defaultdict(set), defaultdict(set)
    for r in _read(system / "LAD24_CSP24_PFA24_EW_LU_from_geographr.csv"):
        area = upper[r["LAD24CD"]]
        pfas[area].add((r["PFA24CD"], r["PFA24NM"]))
        csps[area].add((r["CSP24CD"], r["CSP24NM"]))
    governance = {r["UTLA23CD"]: r for r in _read(system / "CTYUA23_PFA24_CSP24_governance.csv")}
    rows = []
    for code in sorted(names):
        area = (code, names[code])
        for pfa_code, pfa_name in sorted(pfas[code]):
            rows.append(_row(area, "police_force_area", pfa_code, pfa_name, as_at=AS_AT["pfa_csp"],
                             basis="official_lookup", source="ONS_CSP_PFA24", share="100" if len(pfas[code]) == 1
                             else ""))
        g = governance[code]
        if {g["PFA24CD"]} != {c for c, _ in pfas[code]}:
            raise SystemExit(f"{code}: the governance file's force area {g['PFA24CD']} differs from the ONS lookup")
        name, note = _policing_body(g["governance_type"], g["policing_body"], g["PFA24NM"])
        rows.append(_row(area, "policing_body", "", name, as_at=AS_AT["policing"], basis="transcribed",
                         source="POLICE_GOV", note=note))
        many = len(csps[code]) > 1
        for csp_code, csp_name in sorted(csps[code]):
            rows.append(_row(area, "community_safety_partnership", csp_code, csp_name, share="" if many else "100",
                             as_at=AS_AT["pfa_csp"], basis="official_lookup", source="ONS_CSP_PFA24"))
    return rows


def probation_rows(system: Path, names: dict[str, str]) -> list[list[str]]:
    """Probation region and probation delivery units of every area."""
    pdus = {r["pdu_code"]: r for r in _read(system / "probation_regions_PDUs_HMPPS.csv")}
    rows = []
    for r in sorted(_read(system / "CTYUA23_probation_region_PDU_transcribed.csv"), key=lambda r: r["UTLA23CD"]):
        area = (r["UTLA23CD"], names[r["UTLA23CD"]])
        rows.append(_row(area, "probation_region", r["probation_region_code"], r["probation_region_name"],
                         as_at=AS_AT["probation"], basis="transcribed",
                         source="MOJ_PDU"))
        codes, bases = _split(r["pdu_codes"]), _split(r["basis"])
        if len(codes) != len(bases) or len(codes) != int(r["n_pdus"]):
            raise SystemExit(f"{area[0]}: PDU codes, bases and n_pdus do not agree")
        for pdu_code, basis in zip(codes, bases, strict=True):
            pdu = pdus[pdu_code]
            if pdu["region_code"] != r["probation_region_code"] or pdu["geographic"] != "True":
                raise SystemExit(f"{area[0]}: PDU {pdu_code} is not a geographic PDU of {r['probation_region_code']}")
            note = r["note"] if len(codes) > 1 or basis == "inferred" else ""
            rows.append(_row(area, "probation_delivery_unit", pdu_code, _tidy(pdu["pdu_name"]),
                             share="" if len(codes) > 1 else "100", as_at=AS_AT["probation"],
                             basis="inferred" if basis == "inferred" else "transcribed",
                             source="MOJ_PDU;MOJ_CAS", note=note))
    return rows


def _board(transcribed: str, short: str, long: str) -> str:
    if not transcribed.endswith(f" {short}"):
        raise SystemExit(f"cannot expand {transcribed!r}: expected a name ending in {short}")
    return transcribed[: -len(short)] + long


def wales_rows(system: Path, names: dict[str, str]) -> list[list[str]]:
    """Local health board, regional partnership board, area planning board and Public Health Wales."""
    rows = []
    for r in sorted(_read(system / "Wales_UA_LHB22_RPB_APB_PFA24.csv"), key=lambda r: r["UA22CD"]):
        area = (r["UA22CD"], names[r["UA22CD"]])
        rows.append(_row(area, "local_health_board", r["LHB22CD"], r["LHB22NM"],
                         name_cy=LHB_WELSH.get(r["LHB22CD"], ""), as_at=AS_AT["wales"], basis="official_lookup",
                         source="ONS_LHB22"))
        rows.append(_row(area, "regional_partnership_board", "",
                         _board(r["RPB_name_transcribed"], "RPB", "Regional Partnership Board"), as_at=AS_AT["wales"],
                         basis="transcribed", source="WG_BOARDS"))
        rows.append(_row(area, "area_planning_board", "",
                         _board(r["APB_name_transcribed"], "APB", "Area Planning Board"), as_at=AS_AT["wales"],
                         basis="transcribed", source="WG_BOARDS"))
        rows.append(_row(area, "public_health_agency", "", PUBLIC_HEALTH_WALES[0], name_cy=PUBLIC_HEALTH_WALES[1],
                         as_at=AS_AT["wales"], basis="transcribed", source="PHW"))
    return rows


def local_system(data_dir: Path, mergers: Path = REFERENCE / MERGERS) -> str:
    system = data_dir.joinpath(*SYSTEM)
    names = {r["UTLA23CD"]: r["UTLA23NM"] for r in _read(system / "LTLA23_UTLA23_EW_LU_from_geographr.csv")}
    if len(names) != 175:
        raise SystemExit(f"expected 175 upper-tier areas in the LTLA23 to UTLA23 lookup, found {len(names)}")
    rows = (health_rows(system, names, mergers) + police_rows(system, names) + probation_rows(system, names)
            + wales_rows(system, names))
    welsh = welsh_names()
    for row in rows:  # the Welsh name of a Welsh area's body, where no lookup gives one
        if row[0].startswith("W") and not row[5]:
            row[5] = welsh.get((row[2], row[4]), "")
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    rows.sort(key=lambda r: (r[0], order[r[2]]))  # stable: bodies keep their order within a role
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def welsh_names(path: Path | None = None) -> dict[tuple[str, str], str]:
    """(role, English name) -> Welsh name of the Welsh bodies no official lookup names in Welsh
    (``data/reference/local_system_welsh.csv``, written by translators; its ``note`` says which are
    not confirmed as the body's own)."""
    with (path or REFERENCE / "local_system_welsh.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["role"], r["body_name"]): r["body_name_cy"] for r in csv.DictReader(fh)}


TABLES = {OUTPUT: local_system}


def derive(data_dir: Path) -> dict[str, str]:
    return {name: make(data_dir) for name, make in TABLES.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--check", action="store_true", help="compare with the committed table instead")
    args = parser.parse_args()
    differ = False
    for name, text in derive(args.data_dir).items():
        path = REFERENCE / name
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
