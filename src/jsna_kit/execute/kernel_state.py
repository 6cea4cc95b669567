"""Kernel side of the warm engine (``execute.engine``): runs *inside* a build worker's long-lived
Jupyter kernel, silently, before each notebook, to put the interpreter back in the state a fresh
kernel would be in after importing the package.

What a notebook can leave behind, and how each is undone:

- names it defined, ``In``/``Out``, ``_``, the execution counter: IPython's own reset, in a new
  history session so execution counts restart at 1 exactly as in a fresh kernel;
- open matplotlib figures and changed ``rcParams``: figures closed, parameters restored;
- warning filters, and the once-per-location memory of warnings already shown (so a warning a
  fresh kernel would print is printed again, in every chapter);
- ``sys.path``, environment variables and the working directory.

Imported modules are kept on purpose: that is what makes a warm kernel fast, and modules do not
hold chapter state. Once imported they are moved out of the garbage collector's way
(``gc.freeze``), so the full collection IPython's reset runs costs milliseconds, not 0.2 s.
The results of the loaders every chapter calls with the same files are kept too (``MEMOISED``:
the reference data, the area list, the boundaries; about a second per chapter).
In this kernel only, those functions are replaced in their modules by a memoised version: each
result is kept with a fingerprint of the files it could have read (path, size, modification
time) and handed out as a deep copy, so no chapter sees another's changes, and any warning the
loader gave is given again. (The load layer could keep such a cache itself, for every build.)
``tests/test_batch.py`` checks that a chapter run after other chapters in a warm kernel is
identical to one run in a fresh kernel, ``tests/test_engine.py`` each kind of leftover state.
"""

from __future__ import annotations

import copy
import functools
import gc
import importlib
import inspect
import os
import sys
import warnings

#: (module, function) of pure loaders whose results a warm kernel keeps between chapters.
MEMOISED = (("jsna_kit.load.reference", "load_reference"), ("jsna_kit.load.areas", "load_areas"),
            ("jsna_kit.load.geography", "load_boundaries"))

_baseline: dict | None = None


def _files_fingerprint(roots: list) -> tuple:
    entries = []
    for root in {str(r) for r in roots if r}:
        for folder, _, files in os.walk(root):
            for name in files:
                stat = os.stat(os.path.join(folder, name))
                entries.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


def _memoise(function):
    """``function`` with its results kept per (arguments, files fingerprint); deep copies out."""
    from jsna_kit import config

    signature = inspect.signature(function)
    kept: dict = {}

    @functools.wraps(function)
    def memoised(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        given = bound.arguments
        roots = [config.reference_dir(), config.own_reference_dir(), config.data_dir(given.get("data_dir")),
                 given.get("directory"), given.get("reference_dir")]
        key = (repr(sorted(given.items())), str(config.data_dir(given.get("data_dir"))),
               _files_fingerprint(roots))
        if key not in kept:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = function(*args, **kwargs)
            if len(kept) >= 8:  # a batch uses one set of files; keep memory bounded
                kept.pop(next(iter(kept)))
            kept[key] = (result, list(caught))
        result, caught = kept[key]
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return copy.deepcopy(result)

    memoised.__wrapped_by_jsna_kit__ = True
    return memoised


def _install_memos() -> None:
    for module_name, name in MEMOISED:
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        if getattr(original, "__wrapped_by_jsna_kit__", False):
            continue
        memoised = _memoise(original)
        # Also where another module imported the function by name.
        for loaded in list(sys.modules.values()):
            if getattr(loaded, "__name__", "").startswith("jsna_kit") and getattr(loaded, name, None) is original:
                setattr(loaded, name, memoised)


def _snapshot() -> dict:
    state = {"warnings": list(warnings.filters), "path": list(sys.path), "environ": dict(os.environ)}
    if "matplotlib" in sys.modules:
        import matplotlib

        state["rc"] = dict(matplotlib.rcParams)
    return state


def _expand(preload: tuple[str, ...]) -> list[str]:
    """Module names, ``package.*`` standing for every module of the package."""
    import pkgutil

    names = []
    for name in preload:
        if name.endswith(".*"):
            package = importlib.import_module(name[:-2])
            names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
        else:
            names.append(name)
    return names


def reset(cwd: str, preload: tuple[str, ...] = ()) -> None:
    """Called before every notebook. The first call imports ``preload`` (the modules the chapter
    template uses, which a fresh kernel imports as it runs) and records the clean state."""
    global _baseline
    if _baseline is None:
        for name in _expand(preload):
            importlib.import_module(name)
        _install_memos()
        _baseline = _snapshot()
        # IPython's reset ends with a full garbage collection, which walks every object of the
        # imported libraries: about 0.2 s a chapter. Moving what exists now (modules, not chapter
        # state) to the permanent generation leaves only the chapters' own objects to walk.
        gc.collect()
        gc.freeze()
    base = _baseline

    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # namespace, history, output cache; execution_count = 1

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "matplotlib" in sys.modules:
        import matplotlib

        # As after the preload, or (matplotlib first imported by a notebook) as after its import.
        clean = base.get("rc") or matplotlib.rcParamsOrig
        changed = {k: v for k, v in clean.items() if k != "backend" and matplotlib.rcParams.get(k) != v}
        if changed:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                matplotlib.rcParams.update(changed)

    # resetwarnings() also invalidates every module's record of warnings already shown.
    warnings.resetwarnings()
    warnings.filters.extend(base["warnings"])

    sys.path[:] = base["path"]
    for key in set(os.environ) - set(base["environ"]):
        del os.environ[key]
    for key, value in base["environ"].items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    os.chdir(cwd)


def prime(data_dir: str = "") -> None:
    """Call the memoised loaders as a chapter's first cell will (``read_chapter_data`` with the
    build's ``data_dir`` parameter), so that the first chapter on this kernel finds their results
    ready. A failure is left for that chapter to meet and report."""
    try:
        from jsna_kit.load.reference import load_reference

        load_reference(validate=False)  # as read_chapter_data calls it, so the kept result is found
        if data_dir:
            from jsna_kit.load.geography import load_boundaries

            load_boundaries("ctyua", data_dir)  # as region_boundaries calls it
        from jsna_kit.present.svg import text_width

        text_width("x", 12)  # the figures' font metrics
    except Exception:  # noqa: BLE001, S110 - see above
        pass
    gc.collect()
    gc.freeze()  # the loaders' kept results, like the modules, are out of the collector's way
