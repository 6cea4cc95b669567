"""The parts of a chapter a board reads, tested without building one: the summary's words, each
nation's system, acronyms spelled out, and the analyst's own words shown safely."""

from __future__ import annotations

import pytest

from jsna_kit.present.commentary import safe_markdown
from jsna_kit.present.glossary import ENGLAND_ONLY, GLOSSARY, expand_first_use, glossary
from jsna_kit.present.nation import ENGLAND, WALES, applies_in, system_for
from jsna_kit.present.services import since_words
from jsna_kit.present.summary import share_words


@pytest.mark.parametrize("p,words", [(0.39, "about 4 in 10"), (0.6, "about 6 in 10"), (0.052, "about 1 in 20"),
                                     (0.97, "nearly all"), (0.004, "fewer than 1 in 100"),
                                     (0.124, "about 1 in 10")])
def test_shares_are_said_as_people_say_them(p, words):
    assert share_words(p) == words


def test_each_nation_speaks_its_own_system():
    assert system_for("Wales") is WALES and system_for("", "W06000015") is WALES
    assert system_for("England", "E06000001") is ENGLAND
    welsh = " ".join(str(v) for v in vars(WALES).values()).lower()
    for english in ("integrated care board", "health and wellbeing board", "jsna", "joint strategic"):
        assert english not in welsh
    english_words = " ".join(str(v) for v in vars(ENGLAND).values()).lower()
    for welsh_body in ("regional partnership board", "local health board", "public health wales"):
        assert welsh_body not in english_words
    assert applies_in("England and Wales", "Wales") and applies_in(None, "England")
    assert not applies_in("England", "Wales") and not applies_in("Wales", "England")


def test_a_welsh_glossary_has_no_english_only_terms():
    assert "ICB (integrated care board)" in glossary("England")
    welsh = glossary("Wales")
    for term in ENGLAND_ONLY:
        assert f"| {term}" not in welsh and f"{term} (" not in welsh


def test_acronyms_are_spelled_out_once_per_section_and_not_in_citations_or_tables():
    text = ("The ICB funds MHTRs. The ICB again [@ICB2020].\n\n| ICB | table |\n\n"
            "Probation Service (HMPPS) staff use OASys (Offender Assessment System).")
    out = expand_first_use(text)
    assert out.count("ICB (integrated care board)") == 1
    assert "[@ICB2020]" in out and "| ICB | table |" in out
    assert "(HMPPS)" in out and "HMPPS (HM Prison" not in out, "an acronym already in brackets is left alone"
    assert out.count("Offender Assessment System") == 1
    # a spelled-out term reads mid-sentence: lower case unless it is a name (a capitalised word)
    for term, (spelled, _) in GLOSSARY.items():
        if spelled:
            assert spelled[0].isalpha() and not spelled.endswith("."), term
            assert spelled.casefold() != term.casefold() and spelled.strip() == spelled, term


@pytest.mark.parametrize("raw,never", [
    ("<script>alert(1)</script>", "<script"),
    ("```{=html}\n<b>x</b>\n```", "{=html}"),
    ("`<img src=x onerror=alert(1)>`{=html}", "{=html}"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("{{< include /etc/passwd >}}", "{{<"),
])
def test_the_analysts_words_cannot_run_or_inject_markup(raw, never):
    assert never not in safe_markdown(raw)


def test_the_analysts_markdown_keeps_its_formatting():
    text = "# Our area\n\nWe have **two** services.\n\n> \"It helped me.\" (a person on probation)\n\n[Site](https://example.org)"
    out = safe_markdown(text)
    assert out.startswith("### Our area") and "**two**" in out and "> \"It helped me.\"" in out
    assert "[Site](https://example.org)" in out


@pytest.mark.parametrize("value,words", [("2013-04", "April 2013"), ("2022-07-01", "July 2022"), ("1998", "1998"),
                                         ("", ""), (None, "")])
def test_since_dates_are_written_in_words(value, words):
    assert since_words(value) == words


class _Rows:
    """Just enough of ChapterData for ``reading_the_numbers``: the estimates rows."""

    def __init__(self, kinds):
        self._rows = [{"role": "headline", "expected": 100.0, "range_kind": k} for k in kinds]

    def rows(self, table, priority_area=None):
        return self._rows


@pytest.mark.parametrize("kinds, said", [
    (["confidence_interval", "uncertainty_range", "caseload_range"],
     "In the charts a solid line is a 95% CI, a dashed line a 95% uncertainty range, a dotted line the caseload "
     "alone;"),
    (["uncertainty_range", "caseload_range"],  # the first line style always has its verb
     "In the charts a dashed line is a 95% uncertainty range, a dotted line the caseload alone;"),
])
def test_the_line_styles_are_said_in_a_whole_sentence(kinds, said):
    from jsna_kit.present.chapter import reading_the_numbers

    assert said in reading_the_numbers(_Rows(kinds))
    assert "In the charts" not in reading_the_numbers(_Rows(["uncertainty_range"]))  # one style: no key needed


@pytest.mark.parametrize("figures, said", [
    ([655, 380, 380, 645], "differ by a factor of 1.7 here"),  # Hartlepool: was "up to half again"
    ([500, 380], "differ by up to half again here"),
    ([300, 290], "broadly agree here"),
])
def test_how_far_apart_the_caseload_models_are_is_said_as_it_is(figures, said):
    from types import SimpleNamespace

    from jsna_kit.present.findings import caseload_unknown

    data = SimpleNamespace(area={"caseload_models": [{"caseload": f} for f in figures]})
    assert said in caseload_unknown(data)


@pytest.mark.parametrize("unit, text, shown", [
    ("count", "49881", "49,881"), ("count", "1413", "1,413"), ("count", "33757 (provisional)", "33,757 (provisional)"),
    ("count", "2023-24 12345", "2023-24 12,345"), ("count", "392 (provisional)", "392 (provisional)"),
    ("percent", "c.48 (75,000 of about 156,000)", "about 48% (75,000 of about 156,000)"),
])
def test_appendix_c_prints_counts_with_thousands_separators_but_not_years(unit, text, shown):
    """A reviewer found '49881' and '1413' beside '244,209' in Appendix C."""
    from jsna_kit.present.evidence import value_words

    assert value_words({"status": "ok", "unit": unit, "value_text": text, "value": 1.0}) == shown
