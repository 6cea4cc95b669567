"""Exceptions a user can cause, each carrying where the problem is and what would fix it.

Errors are data: a validation run collects ``Problem`` records and raises one ``InputFileError``
holding all of them, so the command line can print every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class JsnaKitError(Exception):
    """Base class for errors that should reach the user as a message, not a traceback."""


@dataclass(frozen=True)
class Problem:
    """One problem in one input file. ``row`` is the 1-based line number in the file as a
    spreadsheet user sees it (header = line 1), or None when the problem is about the whole file."""

    file: str
    row: int | None
    column: str | None
    value: object
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + ": " + self.message
        if self.value is not None and self.value != "":
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class InputFileError(JsnaKitError):
    """One or more problems in an input file (reference data, analyst data, downloads)."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str | Path, message: str, *, row: int | None = None,
               column: str | None = None, value: object = None, fix: str = "") -> InputFileError:
        return cls(Problem(str(file), row, column, value, message, fix))


class UnknownAreaError(JsnaKitError):
    """An area code or name that does not resolve to a current upper-tier area."""


class MissingDataError(JsnaKitError):
    """A data file the requested job needs is not in the data directory."""


class EstimateInputError(JsnaKitError, ValueError):
    """Bad input to a statistic (caseload <= 0, prevalence outside 0-100, ...)."""


class OutputFolderError(JsnaKitError):
    """The output folder cannot be written (no permission, not a folder, the disk is full)."""


def cannot_write(exc: OSError, folder) -> OutputFolderError:
    """One clear line for a failed write: the file or folder, why, and what to do."""
    where = exc.filename or folder
    return OutputFolderError(f"cannot write {where}: {exc.strerror or exc}. Choose an output folder you can write to "
                             f"with --out, or free some space on its disk.")


class BuildError(JsnaKitError):
    """A chapter failed to build; names the area, the notebook cell and the traceback."""

    def __init__(self, area_code: str, message: str, *, cell: int | None = None, traceback: str = ""):
        self.area_code = area_code
        self.cell = cell
        self.traceback = traceback
        where = f"{area_code}" + (f", notebook cell {cell}" if cell is not None else "")
        super().__init__(f"{where}: {message}")
