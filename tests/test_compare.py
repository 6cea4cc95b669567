"""jsna-kit compare: which national rows differ between two runs, and whether they feed an estimate."""

from __future__ import annotations

import pandas as pd


def test_changed_reference_rows_say_which_feed_an_estimate_and_which_feed_none():
    """compare lists the national rows that differ between two runs, and warns about those that feed
    no estimate (an edit there moves nothing, and '0 moved' alone would not say why)."""
    from jsna_kit.model.compare import changed_reference_rows

    def estimates(mh05):
        return pd.DataFrame({"area_code": ["E1", "E2"], "estimate_id": ["MH05", "MH05"],
                             "prevalence_pct": [mh05, mh05]})

    def evidence(mh05, sp21):
        return pd.DataFrame({"estimate_id": ["MH05", "SP21", "PH01"], "value": [mh05, sp21, 50.0],
                             "status": ["ok", "ok", "verify"]})

    assert changed_reference_rows(estimates(39.0), estimates(39.0), evidence(39.0, 6.7), evidence(39.0, 6.7)) \
        == ([], [])
    assert changed_reference_rows(estimates(39.0), estimates(20.0), evidence(39.0, 6.7), evidence(20.0, 9.9)) \
        == (["MH05"], ["SP21"])
    assert changed_reference_rows(estimates(39.0), estimates(20.0)) == (["MH05"], [])  # estimate files only
