"""The data bundle's CSV text (what the files hold), the tables' digests (what the build key
hashes), and results kept between runs (``keep.kept``)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from jsna_kit.batch import cache, keep
from jsna_kit.publish.bundle import csv_text, table_digest, table_digests_by, table_digests_of

FRAME = pd.DataFrame({
    "area_code": ["E1", "E1", "E2", "E3", "E2"],
    "measure": ["plain", 'has "quotes", and a comma', "two\nlines", None, "café"],
    "expected": [780.0, np.nan, 0.1, 1e-07, 12.0],
    "count": pd.array([3, None, 12, 0, 7], dtype="Int64"),
    "flag": [True, False, True, False, True],
})


def test_csv_text_reads_back_as_the_table():
    back = pd.read_csv(io.StringIO(csv_text(FRAME)), dtype={"count": "Int64"})
    assert back["measure"].tolist()[1:3] == ['has "quotes", and a comma', "two\nlines"]
    assert pd.isna(back["measure"][3]) and back["measure"][4] == "café"
    assert back["expected"].tolist()[2:4] == [0.1, 1e-07] and pd.isna(back["expected"][1])
    assert back["count"].isna().tolist() == [False, True, False, False, False]
    assert back["flag"].tolist() == FRAME["flag"].tolist()
    assert csv_text(FRAME).splitlines()[0] == "area_code,measure,expected,count,flag"


def test_digests_by_area_are_each_areas_own_digest():
    digests = table_digests_by(FRAME, "area_code")
    assert list(digests) == ["E1", "E2", "E3"]
    for code, digest in digests.items():
        assert digest == table_digest(FRAME[FRAME["area_code"] == code].reset_index(drop=True))
    assert len(set(digests.values())) == 3


def test_a_digest_changes_whenever_the_written_table_would():
    base = table_digest(FRAME)
    changed = FRAME.copy()
    changed.loc[2, "expected"] = 0.1000001
    assert table_digest(changed) != base, "a value"
    assert table_digest(FRAME.rename(columns={"flag": "flagged"})) != base, "a column's name"
    assert table_digest(FRAME.astype({"count": "float64"})) != base, "a column's type (3 would be 3.0)"
    assert table_digest(FRAME.iloc[::-1].reset_index(drop=True)) != base, "the order of the rows"
    assert table_digest(FRAME.copy()) == base and table_digest(None) is None and table_digest(FRAME.iloc[:0]) is None
    listed = pd.DataFrame({"codes": [["E1", "E2"], None], "n": [1, 2]})  # a cell may hold a list
    assert table_digest(listed) != table_digest(listed.assign(codes=[["E1"], None]))


def test_digests_of_many_tables_are_each_tables_own_digest():
    whole = pd.DataFrame({"n": [1, 2], "label": ["a", "b,c"]})
    with_gap = pd.DataFrame({"n": [3.0, None], "label": ["d", None]})  # a missing count: floats
    tables = {"E1": FRAME.iloc[:2], "E2": whole, "E3": FRAME.iloc[2:], "E4": with_gap, "E5": None,
              "E6": FRAME.iloc[:0], "E7": whole.iloc[1:]}
    digests = table_digests_of(tables)
    assert list(digests) == ["E1", "E2", "E3", "E4", "E7"], "empty and missing tables have no digest"
    for key, digest in digests.items():
        assert digest == table_digest(tables[key].reset_index(drop=True))


def test_a_kept_result_is_reused_until_its_key_changes(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"x": [len(calls)]})

    assert keep.kept(tmp_path / "out" / ".cache", "table", "k", compute)["x"].tolist() == [1]
    assert not (tmp_path / "out").exists(), "no output folder yet: nothing is written"
    calls.clear()
    first = keep.kept(tmp_path, "table", "key-1", compute)
    again = keep.kept(tmp_path, "table", "key-1", compute)
    pd.testing.assert_frame_equal(first, again)
    assert len(calls) == 1
    changed = keep.kept(tmp_path, "table", "key-2", compute)
    assert changed["x"].tolist() == [2] and len(calls) == 2
    (tmp_path / "table.pickle").write_bytes(b"not a pickle")
    assert keep.kept(tmp_path, "table", "key-2", compute)["x"].tolist() == [3], "a damaged file is remade"
    assert keep.kept(None, "table", "key-2", compute)["x"].tolist() == [4], "no folder: nothing kept"


def test_results_kept_by_area_are_computed_only_for_areas_whose_rows_changed(tmp_path):
    seen = []

    def compute(table):
        seen.append(sorted(set(table["area_code"])))
        return table.assign(y=table["x"] * 10)

    table = pd.DataFrame({"area_code": ["B", "A", "B", "C"], "x": [1, 2, 3, 4]}, index=[7, 5, 9, 2])
    edited = table.assign(x=[1, 2, 3, 40])  # C's row changed
    alone = edited[edited["area_code"] == "B"]  # one area, as a rebuild of it plans it
    expected = {"table": compute(table), "edited": compute(edited), "alone": compute(alone)}
    seen.clear()
    pd.testing.assert_frame_equal(keep.kept_by_area(tmp_path, "t", table, compute, salt="code"), expected["table"])
    assert seen == [["A", "B", "C"]]
    pd.testing.assert_frame_equal(keep.kept_by_area(tmp_path, "t", edited, compute, salt="code"), expected["edited"])
    assert seen[1:] == [["C"]], "only the changed area is computed"
    pd.testing.assert_frame_equal(keep.kept_by_area(tmp_path, "t", alone, compute, salt="code"), expected["alone"])
    assert len(seen) == 2, "B alone is taken from what was kept"
    keep.kept_by_area(tmp_path, "t", alone, compute, salt="other code")
    assert seen[2:] == [["B"]], "another code: computed again"
    keep.kept_by_area(None, "t", alone, compute, salt="code")
    assert len(seen) == 4, "no folder: always computed"


def test_estimates_from_kept_prevalence_are_the_estimates_computed_afresh(shared_data_dir, tmp_path):
    from jsna_kit.batch.plan import plan_areas
    from jsna_kit.load.areas import code_changes, load_areas

    areas = load_areas(shared_data_dir)
    chosen = areas[areas["region_name"] == "North East"]
    plans = [plan_areas(chosen, areas=areas, changes=code_changes(), data_dir=shared_data_dir, cache_dir=folder)
             for folder in (None, tmp_path, tmp_path)]  # afresh, computed and kept, read back
    assert (tmp_path / "prevalence.pickle").is_file() and (tmp_path / "adjusted.pickle").is_file()
    for plan in plans[1:]:
        pd.testing.assert_frame_equal(plan.estimates, plans[0].estimates)
        assert [p.digests for p in plan.plans] == [p.digests for p in plans[0].plans]
    for plan in plans[0].plans:  # every table the plan made a digest for, as the table alone gives it
        assert set(plan.digests) >= {"estimates.csv", "context.csv", "neighbours.csv", "recommendations.csv"}
        for name, digest in plan.digests.items():
            assert digest == table_digest(plan.tables[name]), (plan.area_code, name)


def test_csv_cells_have_no_float_noise_and_counts_are_whole_numbers():
    frame = pd.DataFrame({"count": [3860.0, 0.0, None], "share": [63.349999999999994, 0.1 + 0.2, 1e-07],
                          "label": ["a", "b", None]})
    lines = csv_text(frame).splitlines()
    assert lines[1:] == ["3860,63.35,a", "0,0.3,b", ",1e-07,"]


def test_why_a_chapter_is_built_again_is_said_in_words(tmp_path):
    """The build report's 'why' names what changed, not 'changed: bundle' (issue 26)."""
    shared = {"template": "t", "reference": "r", "data_files": "d", "package": "p", "commentary": "c"}
    bundle = {"chapter.json": "a", "estimates.csv": "e", "observed.csv": "o"}
    key, parts = cache.build_key(shared, {"area_code": "E1"}, bundle)
    notebook = tmp_path / "E1.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    record = {"key": key, "parts": parts}
    edited = cache.build_key(shared, {"area_code": "E1"}, {**bundle, "chapter.json": "b", "observed.csv": "p"})
    assert cache.stale_reason(record, *edited, notebook=notebook) == (
        "changed: the area's caseload and figures, the locally identified needs")
    moved = cache.build_key({**shared, "commentary": "c2"}, {"area_code": "E1"}, bundle)
    assert cache.stale_reason(record, *moved, notebook=notebook) == (
        "changed: the analyst's own words or chapter details")
