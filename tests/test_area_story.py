"""Issue 24's chapters, built with no data directory: two contrasting areas get different first
screens for stated reasons, and each chapter shows locally adjusted estimates for at least four
needs, each with its range and why it differs from the national-rate figure."""

from __future__ import annotations

import datetime as dt
import re

import nbformat
import pytest

from jsna_kit.batch.run import build_batch

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("story")
    build_batch(codes=["E06000009", "E06000041"], out_dir=folder / "out", data_dir=folder / "no-data",
                render=False, workers=2, today=dt.date(2026, 12, 7))
    out = {}
    for code, slug in (("E06000009", "blackpool"), ("E06000041", "wokingham")):
        nb = nbformat.read(folder / "out" / f"{code}-{slug}.ipynb", as_version=4)
        out[slug] = "\n".join(o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", [])
                              if "text/markdown" in o.get("data", {}))
    return out


def _summary(text: str) -> str:
    return text[:text.index("### Key messages")]


def test_blackpool_and_wokingham_get_different_summaries_for_stated_reasons(chapters):
    blackpool, wokingham = _summary(chapters["blackpool"]), _summary(chapters["wokingham"])
    # the caseload per adult against the nation's
    assert "well above the rate for England and Wales" in blackpool
    assert "well below the rate for England and Wales" in wokingham
    # needs likely higher here, and lower there, each with the local measure that says so
    assert re.search(r"\*\*Drug and alcohol problems are likely more common here:\*\* about \d+% .* because "
                     r"Blackpool's deaths from drug misuse are \d\.\d times England's", blackpool)
    assert re.search(r"\*\*Mental illness is likely less common here:\*\* about \d+% .* because Wokingham's "
                     r"deprivation score \(IMD 2025\) is [\d.]+, against [\d.]+ for England", wokingham)
    # where each stands among the areas most like it
    assert "Among the 10 areas most like it, Blackpool has the least favourable figure" in blackpool
    assert "Among the 10 areas most like it, Wokingham has the most favourable figure" in wokingham
    # and the other caseload models, where they differ by more than 20%, with why
    assert "Blackpool is more deprived than most of England, so the model used gives more than the other models (by " \
           "adult population, about" in blackpool
    assert "Wokingham is less deprived than most of England, so the model used gives fewer than the other models " \
           "(by adult population, about" in wokingham


def test_at_least_four_needs_are_adjusted_each_with_a_range_and_a_reason(chapters):
    for slug, text in chapters.items():
        adjusted = re.findall(r"djusted for [A-Z][a-z]+: about [\d,]+ people\*\* \([\d.]+%; 95% uncertainty range "
                              r"[\d,]+ to [\d,]+, allowing for how closely the local measure follows this need, which "
                              r"is not known\)\. (.+?)(?:;|\. [A-Z])", text)
        assert len(adjusted) >= 4, (slug, len(adjusted))
        assert all(re.search(r"(times|higher than|lower than|about the same as) England's|against [\d.]+ for England",
                             a) for a in adjusted), adjusted
