"""The analyst's own words for an area's chapter: Markdown files the build puts into named places
of the chapter (``PLACES``), found in ``config.commentary_dir()`` as ``<area code>/<place>.md``.
They survive rebuilds (they live outside the output folder) and are inputs of the build, so
editing one rebuilds that chapter. Presenting them safely is ``present.commentary``'s job."""

from __future__ import annotations

import re
from pathlib import Path

from ..config import commentary_dir
from ..errors import InputFileError

#: Where the analyst's words go, in the order they appear in a chapter.
PLACES: dict[str, str] = {
    "introduction": "at the start of the summary: the local introduction",
    "local_picture": "after the caseload: what is happening locally",
    "services": "before the priority areas: local services for people on probation (service mapping)",
    "lived_experience": "after the priority areas: the views of people on probation and of services",
}

#: A commentary file longer than this is not a commentary.
MAX_BYTES = 50_000


#: A commentary file's Welsh version, beside it: ``introduction.cy.md`` (issue 27); read by place
#: and this ending (``introduction.cy``), shown in the area's Welsh chapter.
WELSH = ".cy"


def commentary_files(area_code: str, folder: Path | None = None) -> dict[str, Path]:
    """The area's commentary files that exist, by place (and a Welsh version's by ``<place>.cy``)."""
    base = (folder or commentary_dir()) / area_code
    names = [name for place in PLACES for name in (place, place + WELSH)]
    return {name: base / f"{name}.md" for name in names if (base / f"{name}.md").is_file()}


#: Guidance in a commentary file (``jsna-kit init`` writes a line of it in each): never shown.
_GUIDANCE = re.compile(r"<!--.*?-->", re.S)


def read_commentary(files: dict[str, Path]) -> dict[str, str]:
    """Each file's text (UTF-8), by place, without its guidance (``<!-- ... -->``); a file with
    nothing else is left out. A file that is not UTF-8 text or is too long is an error naming it."""
    texts = {}
    for place, path in files.items():
        raw = path.read_bytes()
        if len(raw) > MAX_BYTES:
            raise InputFileError.single(path, f"the commentary file is {len(raw):,} bytes; the most is {MAX_BYTES:,}",
                                        fix="shorten it: a commentary is a few paragraphs")
        try:
            text = _GUIDANCE.sub("", raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise InputFileError.single(path, f"the commentary file is not UTF-8 text (byte {exc.start})",
                                        fix="save it as UTF-8 text") from None
        if text.strip():
            texts[place] = text
    return texts
