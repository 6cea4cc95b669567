"""What every command shares: the consoles, the ``--data-dir`` option, and how a user's error ends
the command (one clear message, exit code 1, never a traceback).

The consoles never read console markup: names, paths, cell values and messages are the analyst's
text and are printed exactly as given (``[c]`` stays ``[c]``, ``[/bold red]`` cannot break a
message). Styled words are ``Text`` objects (``styled``)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from ..errors import JsnaKitError


def plain_console(**options) -> Console:
    """A console that prints text as given: no markup, no highlighting."""
    return Console(markup=False, highlight=False, **options)


def styled(label: str, style: str, text: str = "") -> Text:
    """``label`` in ``style``, then ``text`` exactly as given."""
    return Text.assemble((label, style), (" " + text) if text else "")


def example(*lines: str) -> str:
    """A command's epilog of examples, kept as written (click's ``\\b`` stops it rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


console = plain_console()
err = plain_console(stderr=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder with the official data files (else JSNA_KIT_DATA_DIR, "
                 "jsna-kit.toml, or data/external).", show_default=False),
]


ReferenceOption = Annotated[
    Path | None,
    typer.Option("--reference", help="Your own reference folder (all of data/reference, or only the files you "
                 "changed; `jsna-kit reference export` writes a starting point). Else reference_dir in "
                 "jsna-kit.toml, or the built-in set.", show_default=False),
]


def one_choice(options: dict[str, object], named: str) -> None:
    """End the command unless exactly one of ``options`` (flag -> value given) was given;
    ``named``: the choices as the message lists them."""
    chosen = [flag for flag, given in options.items() if given]
    if len(chosen) != 1:
        fail(JsnaKitError(f"give exactly one of {named}" + (f" (got {', '.join(chosen)})" if chosen else "")))


def check_reference(folder: Path | None) -> None:
    """End the command with a clear message when ``--reference`` names no folder."""
    if folder is not None and not Path(folder).is_dir():
        fail(JsnaKitError(f"--reference {folder}: no such folder"))


def fail(exc: JsnaKitError) -> None:
    """Say what went wrong in one message and end: exit code 2 when the output folder cannot be
    written (the command was right, the place was not), 1 for anything else."""
    from ..errors import OutputFolderError

    err.print(styled("error:", "bold red", str(exc)))
    raise typer.Exit(2 if isinstance(exc, OutputFolderError) else 1)


def fail_write(exc: OSError, folder) -> None:
    """A write that failed outside any build step (a report, a page): one clear line, exit code 2."""
    from ..errors import cannot_write

    fail(cannot_write(exc, folder))


@contextmanager
def reported(folder):
    """Within the block, a user's error ends the command with its message (``fail``), and a write
    that fails, with one line naming ``folder`` (``fail_write``)."""
    try:
        yield
    except JsnaKitError as exc:
        fail(exc)
    except OSError as exc:
        fail_write(exc, folder)
