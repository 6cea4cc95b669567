"""An analyst's working folder (``jsna-kit init AREA``): the settings, the commentary files and
the templates for one area, so that builds run from that folder read its files and write their
chapters there (``config.reports_dir``, ``publish.names.site_dir_for``).

What it writes:
- ``jsna-kit.toml``: the output folder, the commentary folder, the data folder (commented out:
  the project's own, until the analyst chooses one), and who publishes the chapter (commented
  out: the chapter shows only what the analyst fills in);
- ``commentary/<code>/<place>.md``: the four places of the chapter (``load.commentary.PLACES``),
  each holding a line of guidance in an HTML comment, which the chapter leaves out;
- ``templates/``: the caseload, needs and services templates, each with a row for the area
  holding its code and name.

A file already there is kept as it is: running ``init`` again never overwrites the analyst's work."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_FILE
from ..load.commentary import PLACES
from ..publish.names import slugify

#: The line of guidance in each commentary file, by place.
GUIDANCE = {
    "introduction": "A few sentences that open the chapter: why this assessment, who it is for, and what is "
                    "new since the last one.",
    "local_picture": "What is happening locally that the figures do not show: services opening or closing, "
                     "changes in the probation delivery unit, local strategies.",
    "services": "The local services people on probation use, by priority area, and what is known of access "
                "and waits (the services template holds the figures).",
    "lived_experience": "What people on probation, and the staff who work with them, have said: surveys, "
                        "focus groups, case studies (no one identifiable).",
}


@dataclass
class Workspace:
    folder: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def settings_text(code: str, name: str, today: dt.date) -> str:
    review = today.replace(year=today.year + 1).strftime("%B %Y")
    return f'''# jsna-kit's settings for the working folder of {name} ({code}).
# Builds run from this folder read them; paths are relative to this folder.

# Where chapters are built (the rendered pages go to _site/ beside it).
output_dir = "reports"
# Your own words for the chapter, one folder per area: commentary/{code}/<place>.md.
commentary_dir = "commentary"
# The official data files (boundaries, population, Fingertips downloads). Without this line the
# project's data/external is used; `jsna-kit data fetch --data-dir data` downloads them here.
# data_dir = "data"

[chapter]
# Shown on every chapter once filled in: remove the # and write your own.
# author = "Public health intelligence, {name}"
# contact = "jsna@example.org"
# next_review = "{review}"
# The combating drugs partnership that covers {name} (no public list of their footprints exists).
# combating_drugs_partnership = ""
'''


def commentary_text(place: str) -> str:
    return (f"<!-- {GUIDANCE[place]} Write below this line in Markdown; the chapter shows nothing for this "
            f"place ({PLACES[place]}) until you do. Lines inside these marks are never shown. -->\n")


def _templates(folder: Path, code: str, name: str) -> list[tuple[Path, str]]:
    """The CSV templates (UTF-8 with a byte-order mark, as Excel saves 'CSV UTF-8'), each with one
    row holding the area's code and name and nothing else to fill in: no example figure that
    could reach a chapter unread. ``templates/README.md`` of the project describes each column."""
    import io

    from ..load.templates import TEMPLATES

    files = []
    for kind, columns in TEMPLATES.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        row = {"area_code": code, "area_name": name,
               **({"sex": "all", "age_band": "all"} if kind == "caseload" else {})}
        writer.writerow([row.get(c.name, "") for c in columns])
        files.append((folder / "templates" / f"{kind}.csv", "\ufeff" + out.getvalue()))
    return files


def make_workspace(code: str, name: str, folder: Path | None = None, *, today: dt.date | None = None) -> Workspace:
    """Write the working folder of area ``code`` (``name``) into ``folder`` (default: a new folder
    named after the area in the current one); files already there are kept."""
    folder = Path(folder) if folder is not None else Path.cwd() / slugify(code, name)
    today = today or dt.date.today()
    files = [(folder / CONFIG_FILE, settings_text(code, name, today)),
             *[(folder / "commentary" / code / f"{place}.md", commentary_text(place)) for place in PLACES],
             *_templates(folder, code, name)]
    made = Workspace(folder.resolve())
    for path, text in files:
        if path.exists():
            made.kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        made.written.append(path)
    return made
