"""The ``jsna-kit`` command line: each command parses its arguments, calls into the package and
prints (one module per command group). Errors a user can cause are printed as one clear message
(exit code 1 or 2), never as a traceback."""

from __future__ import annotations

import typer

from .areas import areas
from .build import build
from .common import example
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
    # click's own layout: at 80 columns each option's help keeps about 50 characters a line (the
    # boxed layout left about 20), and a summary is one line
    rich_markup_mode=None,
)


#: Each command: its one-line summary and its examples.
COMMANDS = {
    "init": (init, "Make a working folder for one area.",
             example("jsna-kit init Derbyshire", "jsna-kit init W06000015 --folder cardiff-jsna")),
    "areas": (areas, "List the areas: code, name, type, region.",
              example("jsna-kit areas --region \"North East\"", "jsna-kit areas --csv > areas.csv")),
    "build": (build, "Build one area's chapter, or many.",
              example("jsna-kit build --area Sheffield --caseload 2000",
                      "jsna-kit build --area Derbyshire --caseload-file caseload.csv",
                      "jsna-kit build --region \"North East\" --no-render",
                      "jsna-kit build --manifest reports/E08000019-sheffield/data/manifest.json")),
    "estimates": (estimates, "Write every estimate for the chosen areas as one table.",
                  example("jsna-kit estimates --all --out estimates.csv",
                          "jsna-kit estimates --region Wales --caseload-file caseload.csv --out w.xlsx")),
    "render": (render, "Render the executed chapters (HTML, Word, PDF).",
               example("jsna-kit render", "jsna-kit render --format pdf")),
    "overview": (overview, "Write the national overview page.",
                 example("jsna-kit overview", "jsna-kit overview --no-render")),
    "compare": (compare, "Compare two runs' estimates.",
                example("jsna-kit compare baseline.csv scenario.csv --out comparison")),
    "validate": (validate_command, "Check a file and list every problem in it.",
                 example("jsna-kit validate caseload.csv", "jsna-kit validate needs.xlsx --sheet needs")),
}
for command_name, (function, summary, examples) in COMMANDS.items():
    app.command(command_name, short_help=summary, epilog=examples)(function)
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
