"""The analyst's own data: the three templates (caseload, local needs, local services), their
vocabularies, and how they are written out as CSV, XLSX and a README (``write_templates``), so the
documentation cannot drift from the code. Reading a filled-in template is ``load.cells`` (cells)
and ``load.validate`` (checks); ``load.local_data`` returns the tidy tables.

Vocabularies:

Vocabularies:

- ``sex``: ``all``, ``male``, ``female`` (any capitalisation).
- ``age_band``: ``all``, ``18-24``, ``25-34``, ``35-49``, ``50+``: age in completed years on the
  date of the count. The probation caseload is adults, so there is no under-18 band. Finer groups
  add up into these (25-29 + 30-34 = 25-34); ``50+`` is the older group the evidence on older
  people in contact with probation uses. An en dash (``18–24``, as Excel's autocorrect types it)
  is read as a hyphen.
- ``priority_area``: one of the seven keys (``mental_health`` ...) or its title from the NPS
  strategy (``Substance misuse``), any capitalisation.
- Suppressed figures: ``*``, ``c``, ``..``, ``x``, ``[c]``, ``[x]``, or a required figure left blank
  with a note in the ``note`` column. They are kept as missing (NaN) with a ``<column>_suppressed``
  flag, never 0.
- Duplicates: one row per area x sex x age band x date (caseload; a file may hold several dates),
  area x priority area x need x period (needs), area x priority area x service x measure x period
  (services).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from jsna_kit.priorities import PRIORITY_AREAS

SEXES: tuple[str, ...] = ("all", "male", "female")
AGE_BANDS: tuple[str, ...] = ("all", "18-24", "25-34", "35-49", "50+")
SUPPRESSION_MARKERS: frozenset[str] = frozenset({"*", "c", "..", "x", "[c]", "[x]"})
EXAMPLE_NOTE = "Example row: replace with your own figures"
KINDS: tuple[str, ...] = ("caseload", "needs", "services")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template. ``kind`` says how cells are read: ``code``, ``text``, ``sex``,
    ``age_band``, ``priority_area``, ``count`` (whole number >= 0, may be suppressed), ``number``
    (may be suppressed), ``date`` (ISO YYYY-MM-DD) or ``period`` (free text such as 2024/25)."""

    name: str
    kind: str
    required: bool
    description: str


_AREA_CODE = TemplateColumn(
    "area_code", "code", True,
    "ONS code of a current county or unitary authority in England or Wales (e.g. E06000001). "
    "Old codes of merged or recoded areas are mapped to the current area with a warning.")
_AREA_NAME = TemplateColumn("area_name", "text", False,
                            "Area name, for your own reference; the code is what counts.")
_PRIORITY = TemplateColumn(
    "priority_area", "priority_area", True,
    "One of: " + ", ".join(p.key for p in PRIORITY_AREAS)
    + " (or the area's title, e.g. 'Substance misuse').")
_PERIOD = TemplateColumn("period", "period", True,
                         "Period the figure covers, as the source gives it (e.g. 2024/25, 2024, 2025-03-31).")
_SOURCE = TemplateColumn("source", "text", True,
                         "Where the figure comes from (e.g. 'MoJ data request, nDelius extract').")
_NOTE = TemplateColumn("note", "text", False,
                       "Anything a reader should know, e.g. why a figure is suppressed or partial.")

TEMPLATES: dict[str, tuple[TemplateColumn, ...]] = {
    "caseload": (
        _AREA_CODE, _AREA_NAME,
        TemplateColumn("sex", "sex", True, "all, male or female."),
        TemplateColumn("age_band", "age_band", True,
                       "all, 18-24, 25-34, 35-49 or 50+ (age in completed years on the date)."),
        TemplateColumn("caseload", "count", True,
                       "People under Probation Service supervision living in the area on the date, "
                       "each person counted once."),
        TemplateColumn("date", "date", True, "Date of the count, as YYYY-MM-DD (e.g. 2025-03-31)."),
        _SOURCE,
        TemplateColumn("court_orders", "count", False,
                       "Of the caseload, people on community orders or suspended sentence orders "
                       "with requirements."),
        TemplateColumn("licence", "count", False,
                       "Of the caseload, people on licence or post-sentence supervision (pre- or post-"
                       "release). A person can be on a court order and a licence, so the two can add "
                       "up to more than the caseload; neither can exceed it."),
        _NOTE,
    ),
    "needs": (
        _AREA_CODE, _AREA_NAME, _PRIORITY,
        TemplateColumn("need", "text", True,
                       "The need, in your words (e.g. 'Mental health need identified in OASys')."),
        TemplateColumn("numerator", "count", True, "People with the need."),
        TemplateColumn("denominator", "count", True, "People assessed (the numerator's population)."),
        _PERIOD, _SOURCE, _NOTE,
    ),
    "services": (
        _AREA_CODE, _AREA_NAME, _PRIORITY,
        TemplateColumn("service", "text", True, "The service (e.g. 'Community drug and alcohol service')."),
        TemplateColumn("measure", "text", True,
                       "What is counted, with its unit (e.g. 'Referrals from probation', "
                       "'Median wait in days')."),
        TemplateColumn("value", "number", True, "The figure (0 or more)."),
        _PERIOD, _SOURCE, _NOTE,
    ),
}

_EXAMPLES: dict[str, list[dict[str, str]]] = {
    "caseload": [
        {"area_code": "E06000001", "area_name": "Hartlepool", "sex": sex, "age_band": "all",
         "caseload": n, "date": "2025-03-31", "source": "Example: MoJ data request (nDelius)",
         "court_orders": co, "licence": lic, "note": EXAMPLE_NOTE}
        for sex, n, co, lic in (("all", "1000", "450", "600"), ("male", "880", "390", "540"),
                                ("female", "120", "60", "60"))
    ],
    "needs": [
        {"area_code": "E06000001", "area_name": "Hartlepool", "priority_area": "mental_health",
         "need": "Mental health need identified in OASys", "numerator": "300", "denominator": "800",
         "period": "2024/25", "source": "Example: OASys extract", "note": EXAMPLE_NOTE},
    ],
    "services": [
        {"area_code": "E06000001", "area_name": "Hartlepool", "priority_area": "substance_misuse",
         "service": "Community drug and alcohol service", "measure": "Referrals from probation",
         "value": "120", "period": "2024/25", "source": "Example: provider quarterly return",
         "note": EXAMPLE_NOTE},
    ],
}


def template_columns(kind: str) -> tuple[TemplateColumn, ...]:
    """The columns of template ``kind`` (caseload, needs or services)."""
    try:
        return TEMPLATES[kind]
    except KeyError:
        raise ValueError(f"unknown template {kind!r}; expected one of {', '.join(KINDS)}") from None


def priority_key(text: str) -> str | None:
    """The priority-area key for a key or title typed in any capitalisation, else None."""
    wanted = " ".join(str(text).replace("_", " ").split()).casefold()
    for p in PRIORITY_AREAS:
        if wanted in (p.key.replace("_", " "), " ".join(p.title.split()).casefold()):
            return p.key
    return None


# --- writing the templates -------------------------------------------------------------------

def _readme() -> str:
    lines = ["# Templates for your own data", "",
             "Generated by `python -m jsna_kit.load.templates templates/` "
             "(`jsna_kit.load.templates.write_templates`); do not edit by hand.", "",
             "Fill in one row per area (and subgroup). Check a file with `jsna-kit validate FILE`: it "
             "lists every problem at once with the row and column to fix. Save from Excel as "
             "'CSV UTF-8' or keep the .xlsx (the first sheet is read).", "",
             "Suppressed figures: write `[c]` (or `*`, `c`, `..`, `x`, `[x]`), or leave the cell blank "
             "and say why in `note`. They stay missing, never zero.", "",
             "Numbers may use thousands separators (`1,234`). The example rows are marked in `note`; "
             "replace them with your own figures.", "",
             "Age bands: `all`, `18-24`, `25-34`, `35-49`, `50+` (age in completed years on the date). "
             "The caseload is adults, so there is no under-18 band; add finer groups together "
             "(25-29 + 30-34 = 25-34).", "",
             "What `jsna-kit validate` checks, besides types and allowed values:", "",
             "- one row per area x sex x age band x date (caseload), area x priority area x need x period "
             "(needs), area x priority area x service x measure x period (services);",
             "- male + female cannot exceed the `all` row, nor a sex's age bands its `all` row (falling "
             "short is a warning: people with no recorded sex or age);",
             "- `court_orders` and `licence` cannot exceed `caseload`; `numerator` cannot exceed "
             "`denominator`; no figure is negative and counts are whole numbers;",
             "- old area codes of merged or recoded areas are mapped to the current area (warning); codes "
             "of areas that were split (e.g. Northamptonshire) are refused: give one row per successor.", ""]
    for kind, columns in TEMPLATES.items():
        lines += [f"## {kind} (`{kind}.csv`, `{kind}.xlsx`)", "", "| column | required | meaning |",
                  "|---|---|---|"]
        lines += [f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.description} |" for c in columns]
        lines.append("")
    lines += ["## regional caseload (`regional_caseload.csv`)", "",
              "People on probation by probation region, as MoJ publishes them (Offender Management Statistics "
              "Quarterly, caseload by region). Put the filled-in file in the data directory as "
              "`caseload/caseload_by_region.csv`: each modelled caseload then shares its region's caseload among "
              "the region's areas, by adult population, instead of the national total. `jsna-kit validate` "
              "checks it (unknown region, a date in the future, a total far from the national caseload).", "",
              "| column | required | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | {need} | {meaning} |" for name, need, meaning in REGIONAL_COLUMNS]
    lines.append("")
    return "\n".join(lines)


REGIONAL_COLUMNS = (
    ("probation_region_code", "yes", "Probation region code, e.g. N54 (North East); the 12 codes are in "
                                     "data/reference/probation_regions.csv and in the template's rows."),
    ("probation_region_name", "no", "Region name, for your own reference; the code is what counts."),
    ("date", "yes", "Date of the count, as YYYY-MM-DD; the latest date of each region is used."),
    ("caseload", "yes", "People under Probation Service supervision in the region on the date."),
)


def _write_regional(path: Path) -> None:
    from jsna_kit.config import reference_file

    with reference_file("probation_regions.csv").open(encoding="utf-8") as fh:
        regions = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([name for name, _, _ in REGIONAL_COLUMNS])
        for region in regions:
            writer.writerow([region["probation_region_code"], region["probation_region_name"], "2025-06-30", ""])


def _write_xlsx(path: Path, kind: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = TEMPLATES[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = kind
    ws.append([c.name for c in columns])
    for example in _EXAMPLES[kind]:
        # numbers as numbers, so the template behaves like a real spreadsheet
        ws.append([float(example[c.name]) if c.kind in ("count", "number") else example[c.name]
                   for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    about = wb.create_sheet("columns")
    about.append(["column", "required", "meaning"])
    for c in columns:
        about.append([c.name, "yes" if c.required else "no", c.description])
    wb.save(path)


def write_templates(directory: str | Path) -> list[Path]:
    """Write ``<kind>.csv`` and ``<kind>.xlsx`` for each template, and ``README.md``, into
    ``directory``. CSVs are UTF-8 with a byte-order mark so Excel keeps them as 'CSV UTF-8' and
    accented names (Ynys Môn) survive a save."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, columns in TEMPLATES.items():
        csv_path = directory / f"{kind}.csv"
        with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([c.name for c in columns])
            for example in _EXAMPLES[kind]:
                writer.writerow([example[c.name] for c in columns])
        xlsx_path = directory / f"{kind}.xlsx"
        _write_xlsx(xlsx_path, kind)
        written += [csv_path, xlsx_path]
    regional = directory / "regional_caseload.csv"
    _write_regional(regional)
    written.append(regional)
    readme = directory / "README.md"
    readme.write_text(_readme(), encoding="utf-8")
    return [*written, readme]


if __name__ == "__main__":  # python -m jsna_kit.load.templates templates/
    for written_path in write_templates(sys.argv[1] if len(sys.argv) > 1 else "templates"):
        print(written_path)
