"""The ``jsna-kit`` command line: each command parses its arguments, calls into the package and
prints (one module per command group). Errors a user can cause are printed as one clear message
(exit code 1 or 2), never as a traceback."""

from __future__ import annotations

import typer

from .areas import areas
from .build import build
from .compare import compare
from .data import data_app
from .estimates import estimates
from .init import init
from .publish import overview, render
from .reference import reference_app
from .validate import validate_command

app = typer.Typer(
    name="jsna-kit",
    help="Build the JSNA chapter on the health needs of people in contact with probation.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(init)
app.command()(areas)
app.command()(build)
app.command()(estimates)
app.command("render")(render)
app.command()(overview)
app.command()(compare)
app.command("validate")(validate_command)
app.add_typer(data_app, name="data", help="Download the official data files and check what is present.")
app.add_typer(reference_app, name="reference", help="The reference data: export it to make your own evidence.")


def main() -> None:
    """The ``jsna-kit`` script. Once the command has finished and everything it wrote is closed,
    and the exit handlers have run (a kernel's shutdown, say), the process ends without the rest
    of Python's teardown: freeing every object of a 175-area build one by one takes about half a
    second, which a one-area rebuild should not wait for."""
    import atexit
    import os
    import sys

    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
