"""The national policy a chapter describes (reference ``policy.csv``): sourced statements, each with
the date it was last checked, and a check that fails once any is more than a year old."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from jsna_kit.load.reference import load_reference
from jsna_kit.model.policy import STALE_AFTER_MONTHS, last_checked, stale_statements, statements_for


def _policy(*rows):
    return pd.DataFrame([{"statement_id": i, "nation": n, "checked_on": d} for i, n, d in rows])


def test_the_shipped_policy_was_checked_within_a_year_of_today():
    """Fails when a statement has not been checked against its sources for more than a year:
    policy moves (a strategy is replaced, a body abolished), and a chapter built today must not
    describe last year's. Check each statement again and update its ``checked_on``."""
    policy = load_reference().policy
    assert not policy.empty
    stale = stale_statements(policy, dt.date.today())
    assert not stale, f"policy.csv statements last checked more than {STALE_AFTER_MONTHS} months ago: {stale}"


def test_a_statement_is_stale_a_day_after_twelve_months():
    policy = _policy(("A", "England", "2025-12-07"), ("B", "Wales", "2026-06-01"))
    assert stale_statements(policy, dt.date(2026, 12, 7)) == []
    assert stale_statements(policy, dt.date(2026, 12, 8)) == ["A"]
    assert stale_statements(policy, dt.date(2027, 6, 2)) == ["A", "B"]
    # 31 March less twelve months is 31 March; 29 February 2028 less twelve months is 28 February 2027
    assert stale_statements(_policy(("C", "England", "2027-02-28")), dt.date(2028, 2, 29)) == []


def test_each_nation_gets_its_own_statements_and_the_shared_ones():
    policy = _policy(("E", "England", "2026-12-01"), ("W", "Wales", "2026-11-01"),
                     ("EW", "England and Wales", "2026-10-01"))
    assert list(statements_for(policy, "Wales")["statement_id"]) == ["W", "EW"]
    assert last_checked(statements_for(policy, "England")) == dt.date(2026, 10, 1)
    assert last_checked(policy.iloc[:0]) is None


def test_the_shipped_policy_names_the_current_frame():
    policy = load_reference().policy
    sources = " ".join(policy["source_keys"])
    for key in ("DHSC_SPS2023", "WG_SSHP2025", "DHSC_10YHP2025", "HO_CDP2024", "HANSARD_PCC2025", "MOJ_SENTACT2026"):
        assert key in sources
    assert set(policy["nation"]) == {"England", "Wales", "England and Wales"}


@pytest.mark.parametrize("column, value, message", [
    ("checked_on", "2026-12", "must be the day it was checked"),
    ("source_keys", "NO_SUCH_SOURCE", "source key"),
    ("nation", "Scotland", "must be one of"),
])
def test_a_bad_policy_row_is_named_by_file_row_and_column(tmp_path, column, value, message):
    from jsna_kit.config import reference_dir
    from jsna_kit.errors import InputFileError

    for path in reference_dir().iterdir():
        if path.is_file():
            (tmp_path / path.name).write_bytes(path.read_bytes())
    table = pd.read_csv(tmp_path / "policy.csv", dtype=str, keep_default_na=False)
    table.loc[1, column] = value
    table.to_csv(tmp_path / "policy.csv", index=False)
    with pytest.raises(InputFileError) as caught:
        load_reference(tmp_path)
    text = str(caught.value)
    assert "policy.csv" in text and "row 3" in text and column in text and message in text


def test_each_nation_is_told_what_replaces_its_police_and_crime_commissioners():
    """Wales has no elected mayors: its chapters say the UK government will work with the Welsh
    Government on moving the commissioners' role (written answer HL11959), England's that mayors or
    boards of council leaders take it on."""
    policy = load_reference().policy
    for nation, says, never in (("Wales", "Welsh Government", "mayors would take on"),
                                ("England", "mayors would take on", "Welsh Government")):
        policing = statements_for(policy, nation)
        policing = policing[policing["topic"] == "Policing"]
        assert len(policing) == 1, nation
        text = policing["statement"].iloc[0]
        assert says in text and never not in text, (nation, text)
