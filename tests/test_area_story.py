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


def _messages(text: str) -> str:
    return text[text.index("### Key messages"):text.index("### Top three")]


def test_key_messages_are_chosen_from_each_areas_data(chapters):
    blackpool, wokingham = _messages(chapters["blackpool"]), _messages(chapters["wokingham"])
    # needs greater here, smaller there, each in figures against the national share
    assert re.search(r"Health needs among people on probation in Blackpool are likely greater than nationally: drug or "
                     r"alcohol problems \(\d+% here, against \d+% nationally\)", blackpool)
    assert re.search(r"Health needs among people on probation in Wokingham are likely smaller than nationally: mental "
                     r"illness \(\d+% here, against \d+% nationally\)", wokingham)
    assert "Others are estimated at national rates: personality disorder" in wokingham
    # deaths: enough for patterns in Blackpool; rare in Wokingham, said as one every so many years
    assert "enough to look for patterns locally" in blackpool and "fewer than one" not in blackpool
    assert re.search(r"fewer than one suicide a year \(about one every \d+ years\)", wokingham)
    assert "each death is a case to learn from" in wokingham
    # a small caseload: the other areas its probation delivery unit serves, by name
    assert "The probation delivery unit also serves Reading and West Berkshire" in wokingham
    assert "also serves" not in blackpool
    # both modelled: the ask to the probation delivery unit, named
    assert "Asking North West Lancashire probation delivery unit for its caseload" in blackpool
    assert "Asking West Berkshire probation delivery unit for its caseload" in wokingham


def test_what_we_dont_know_and_expected_deaths_follow_the_area(chapters):
    blackpool, wokingham = chapters["blackpool"], chapters["wokingham"]
    assert "its suicide and drug-related death rates are both above England's" in blackpool
    assert "its suicide and drug-related death rates are both below England's" in wokingham
    assert re.search(r"the caseload models differ by a factor of (1\.[6-9]|2\.\d) here", blackpool)
    assert "the caseload models differ by three times or more here" in wokingham
    # Wokingham's drug-death rate rests on few deaths (2.7, 95% interval 1.37 to 4.78 per 100,000,
    # printed rounded outwards)
    assert "Wokingham's rate of drug-related deaths rests on few deaths (95% interval 1.3 to 4.8 per 100,000)" \
        in wokingham
    assert "rate of drug-related deaths rests on few deaths" not in blackpool


def test_other_caseload_models_far_above_are_said_as_multiples(chapters):
    # Wokingham's headline (deprivation-weighted) model gives about 200; by adults alone about 710
    assert re.search(r"by adult population, about 710 \(3\.\d times as many\)", chapters["wokingham"])
    assert re.search(r"by adult population, about [\d,]+ \(\d+% fewer\)", chapters["blackpool"])
    assert "257%" not in chapters["wokingham"]
    assert "at the general-population death rates used here times the higher risk" in chapters["blackpool"]
