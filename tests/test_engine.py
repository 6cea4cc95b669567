"""The warm-kernel papermill engine: after a notebook that leaves every kind of state behind, the
next notebook on the same kernel sees what a fresh kernel would show it."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import papermill as pm
import pytest

from jsna_kit.execute.engine import ENGINE_NAME
from jsna_kit.execute.kernel import ensure_kernel
from jsna_kit.execute.kernel_state import _memoise
from jsna_kit.execute.warm_kernel import WarmKernel

POLLUTER = [
    "leftover = 42\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    "matplotlib.rcParams['lines.linewidth'] = 7\nplt.figure()",
    "import os, sys, warnings\nos.environ['JSNA_PROBE'] = 'polluted'\nsys.path.insert(0, '/polluted')\n"
    "os.chdir('/')\nwarnings.simplefilter('ignore')",
    "import probe_module\nprobe_module.warn()",
]
PROBE = [
    "import json, os, sys, matplotlib\nimport matplotlib.pyplot as plt",
    "print(json.dumps({'names': sorted(k for k in globals() if not k.startswith('_')),\n"
    "                  'cwd': os.getcwd(), 'linewidth': matplotlib.rcParams['lines.linewidth'],\n"
    "                  'figures': plt.get_fignums(), 'env': os.environ.get('JSNA_PROBE'),\n"
    "                  'polluted_path': '/polluted' in sys.path}))",
    "import probe_module\nprobe_module.warn()",  # a module's warning, shown once per location
    "1 + 1",
]


def notebook(path, sources):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "jsna-kit", "language": "python",
                                                           "display_name": "Python (jsna-kit)"}})
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def outputs(path):
    """Each cell's execution count and outputs, a stream's consecutive chunks joined: one print may
    reach the notebook as one chunk or as two, depending on when the kernel flushes (under load)."""
    nb = nbformat.read(path, as_version=4)
    return [(c.execution_count, _joined(c.outputs)) for c in nb.cells]


def _joined(cell_outputs) -> list[dict]:
    joined: list[dict] = []
    for output in cell_outputs:
        output = dict(output)
        before = joined[-1] if joined else None
        if (before is not None and output.get("output_type") == "stream" == before.get("output_type")
                and output.get("name") == before.get("name")):
            before["text"] += output["text"]
        else:
            joined.append(output)
    return joined


@pytest.fixture
def probe_env(tmp_path, monkeypatch):
    (tmp_path / "probe_module.py").write_text("import warnings\n\ndef warn():\n    warnings.warn('probe warning')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the kernels inherit it
    return tmp_path


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_the_next_notebook_on_a_warm_kernel_sees_a_fresh_kernel(probe_env):
    tmp = probe_env
    probe, polluter = notebook(tmp / "probe.ipynb", PROBE), notebook(tmp / "polluter.ipynb", POLLUTER)
    pm.execute_notebook(probe, tmp / "fresh.ipynb", kernel_name=ensure_kernel(), cwd=tmp, progress_bar=False)
    kernel = WarmKernel(preload=())
    try:
        for name, source in (("p1", polluter), ("w1", probe), ("p2", polluter), ("w2", probe)):
            pm.execute_notebook(source, tmp / f"{name}.ipynb", engine_name=ENGINE_NAME, warm_kernel=kernel,
                                kernel_cwd=str(tmp), progress_bar=False)
        assert kernel.notebooks == 4
    finally:
        kernel.shutdown()
    fresh = outputs(tmp / "fresh.ipynb")
    state = json.loads(fresh[1][1][0]["text"])
    assert state["cwd"] == str(tmp) and state["linewidth"] != 7 and state["env"] is None
    assert "leftover" not in state["names"] and not state["polluted_path"]
    assert "probe warning" in fresh[2][1][0]["text"]
    assert [c for c, _ in fresh] == [1, 2, 3, 4]
    assert outputs(tmp / "w1.ipynb") == fresh
    assert outputs(tmp / "w2.ipynb") == fresh


def test_a_loader_kept_between_chapters_is_reread_when_its_file_changes(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    table = data / "table.csv"
    table.write_text("x\n1\n")
    calls = []

    def load_table(data_dir=None):
        calls.append(data_dir)
        return pd.read_csv(table)

    load = _memoise(load_table)
    first = load(data)
    first.loc[0, "x"] = 99  # a chapter changing what it was given
    assert load(data)["x"].tolist() == [1], "each caller gets its own copy"
    assert len(calls) == 1
    table.write_text("x\n2\n3\n")
    assert load(data)["x"].tolist() == [2, 3]
    assert len(calls) == 2


# Cells that exercise what nbclient does with a cell's messages: streams (split, interleaved,
# with a carriage return), rich displays with and without a result, a display updated in
# place, a warning, an error allowed by its tag, then an error that stops the notebook.
OUTPUTS = [
    "import sys, warnings\nprint('a', end='')\nprint('b')\nsys.stderr.write('err\\n')\nprint('c\\rC')",
    "from IPython.display import Markdown, display\ndisplay(Markdown('**shown**'))\nMarkdown('*result*')",
    "h = display(Markdown('first'), display_id=True)\nh.update(Markdown('second'))",
    "warnings.warn('careful')\n40 + 2",
    "",  # empty: not executed, no count
    "raise ValueError('allowed')",
    "x = 1",
    "raise KeyError('stops here')",
    "print('never run')",
]


@pytest.mark.e2e  # builds, renders or runs a kernel: the full suite's, not the fast stage's
def test_batched_cells_give_what_one_request_per_cell_gives(tmp_path):
    """The warm engine runs all cells as one kernel request (``build.multiplex``); papermill on a
    fresh kernel runs one request per cell. Outputs, execution counts, the stopping cell and
    papermill's error report are the same."""
    path = notebook(tmp_path / "outputs.ipynb", OUTPUTS)
    nb = nbformat.read(path, as_version=4)
    nb.cells[5].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, path)
    errors = {}
    for name, options in (("fresh", {"kernel_name": ensure_kernel(), "cwd": tmp_path}),
                          ("warm", {"engine_name": ENGINE_NAME, "warm_kernel": WarmKernel(preload=()),
                                    "kernel_cwd": str(tmp_path)})):
        try:
            with pytest.raises(pm.PapermillExecutionError) as caught:
                pm.execute_notebook(path, tmp_path / f"{name}.ipynb", progress_bar=False, **options)
        finally:
            if "warm_kernel" in options:
                options["warm_kernel"].shutdown()
        errors[name] = (caught.value.cell_index, caught.value.exec_count, caught.value.ename, caught.value.evalue)

    def seen(name):
        """What a reader sees. Tracebacks and warnings name the kernel's own temporary files
        (``/tmp/ipykernel_<pid>/``), which differ between any two kernels, fresh ones included."""
        cells = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4).cells
        text = json.dumps([(c.cell_type, c.get("execution_count"), c.get("outputs", [])) for c in cells])
        return json.loads(re.sub(r"ipykernel_\d+", "ipykernel_PID", text))

    assert seen("warm") == seen("fresh")
    assert errors["warm"] == errors["fresh"] == (7, 7, "KeyError", "'stops here'")
    # papermill's error notice first, and its marker before the failing cell (In [7])
    assert [c for _, c, _ in seen("fresh")] == [None, 1, 2, 3, 4, None, 5, 6, None, 7, None]
    assert any("stops here" in line for line in seen("warm")[9][2][0]["traceback"])


def test_a_kernel_warms_for_an_output_folder_not_made_yet(tmp_path):
    """A first build makes its output folder only after its areas are checked, while the workers'
    kernels are already warming for it: the warming must not fail (it once did, so each worker's
    first chapter waited 1.3 s for a new kernel)."""
    kernel = WarmKernel(preload=())
    try:
        kernel.begin_warming(str(tmp_path / "not" / "made" / "yet"))
        kernel.finish_warming()  # raises KernelResetError if the kernel's reset failed
        assert kernel.km is not None and kernel.kc is not None
    finally:
        kernel.shutdown()


def test_a_run_with_nothing_to_build_imports_no_statistics():
    """The no-change path (``cache.current_run``) answers before pandas is imported: the command
    line and the batch runner must not import it at their top level."""
    import subprocess
    import sys

    code = ("import sys, jsna_kit.cli, jsna_kit.cli.build, jsna_kit.batch.run, jsna_kit.batch.jobs\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'pandera') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_modules_a_worker_preloads_exist():
    import importlib

    from jsna_kit.batch.worker import PRELOAD

    for name in PRELOAD:  # a misspelt name would be skipped in silence, and the first job would wait
        importlib.import_module(name)
