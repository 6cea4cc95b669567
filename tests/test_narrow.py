"""A run that differs from the last only in some areas' rows of the analyst's files plans only
those areas (``batch.narrow``). That is sound only if an area's plan is the same whichever other
areas are planned with it: checked here on the embedded data, with a local caseload, a modelled
English area and a modelled Welsh one, alone and together."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsna_kit.batch import cache, narrow
from jsna_kit.batch.plan import plan_areas
from jsna_kit.batch.run import _choose

HARTLEPOOL, MIDDLESBROUGH, CARDIFF = "E06000001", "E06000002", "W06000015"
HEADER = "area_code,area_name,sex,age_band,caseload,date,source\n"


def caseload_file(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chosen_areas():
    return _choose([HARTLEPOOL, MIDDLESBROUGH, CARDIFF], None, None, None)


def test_an_area_is_planned_alike_alone_and_with_others(chosen_areas, tmp_path):
    chosen, areas, changes = chosen_areas
    path = caseload_file(tmp_path / "caseload.csv", f"{HARTLEPOOL},Hartlepool,all,all,950,2025-03-31,test figure")
    options = dict(areas=areas, changes=changes, data_dir=None, caseload_file=path)
    together = {p.area_code: p for p in plan_areas(chosen, **options).plans}
    assert set(together) == {HARTLEPOOL, MIDDLESBROUGH, CARDIFF}
    for code in (HARTLEPOOL, MIDDLESBROUGH, CARDIFF):
        if code != HARTLEPOOL:  # a file with no rows for the area alone is an error, rightly
            alone = plan_areas(chosen[chosen["area_code"] == code], areas=areas, changes=changes, data_dir=None)
        else:
            alone = plan_areas(chosen[chosen["area_code"] == code], **options)
        plan = alone.plans[0]
        assert plan.digests == together[code].digests, code
        assert plan.area == together[code].area, code
        assert plan.parameters == together[code].parameters, code


def test_each_areas_rows_have_their_own_digest(tmp_path):
    rows = [f"{HARTLEPOOL},Hartlepool,all,all,950,2025-03-31,x",
            f"{MIDDLESBROUGH},Middlesbrough,all,all,800,2025-03-31,x"]
    before = narrow.file_rows(caseload_file(tmp_path / "a.csv", *rows))
    assert set(before) == {narrow.WHOLE_FILE, HARTLEPOOL.casefold(), MIDDLESBROUGH.casefold()}
    edited = narrow.file_rows(caseload_file(tmp_path / "b.csv", rows[0].replace("950", "955"), rows[1]))
    assert [k for k in before if before[k] != edited[k]] == [HARTLEPOOL.casefold()]
    # a row moved: both areas' row numbers change, so both are planned again
    moved = narrow.file_rows(caseload_file(tmp_path / "c.csv", rows[1], rows[0]))
    assert {k for k in before if before[k] != moved[k]} == {HARTLEPOOL.casefold(), MIDDLESBROUGH.casefold()}
    # a new column changes the header: every area is planned
    (tmp_path / "d.csv").write_text(HEADER.replace("source", "source,note") + "".join(r + ",\n" for r in rows))
    assert narrow.file_rows(tmp_path / "d.csv")[narrow.WHOLE_FILE] != before[narrow.WHOLE_FILE]
    # cells are compared as the reader reads them: spaces and case aside
    spaced = narrow.file_rows(caseload_file(tmp_path / "e.csv", " " + rows[0].lower(), rows[1]))
    assert set(spaced) == set(before)
    assert narrow.file_rows(None) is None
    (tmp_path / "f.csv").write_text("code,caseload\nE06000001,5\n")
    assert narrow.file_rows(tmp_path / "f.csv") is None, "no area_code column: nothing is narrowed"


def _last_run(out: Path, frame: str, rows: dict) -> None:
    (out / cache.RECORD_DIR).mkdir(parents=True)
    cache.write_run(out, "fingerprint", [{"area_code": HARTLEPOOL, "area_name": "Hartlepool", "slug": "h",
                                          "status": "cached", "reason": "up to date", "key": "k"}],
                    frame=frame, rows=rows)


@pytest.mark.parametrize("now, expected", [
    ({"caseload_file": {"": "h", "e06000001": "2", "e06000002": "3"}}, ["e06000001"]),
    ({"caseload_file": {"": "h", "e06000001": "1", "e06000002": "3"}}, None),  # nothing changed in the rows
    ({"caseload_file": {"": "H", "e06000001": "2", "e06000002": "3"}}, None),  # the header changed
    ({"caseload_file": {"": "h", "e06000001": "2"}}, None),  # an area's rows went
    ({"caseload_file": {"": "h", "e06000001": "1", "e06000002": "3", "w06000015": "4"}}, None),  # came
    ({"caseload_file": None}, None),  # the file can no longer be read by area
])
def test_only_a_change_within_areas_rows_is_narrowed(tmp_path, now, expected):
    _last_run(tmp_path, "frame", {"caseload_file": {"": "h", "e06000001": "1", "e06000002": "3"}})
    found = narrow.narrowed(tmp_path, "frame", now, render=False, given={"caseload_file": tmp_path / "x.csv"})
    assert (found.changed if found else None) == expected


def test_another_frame_or_a_services_file_plans_every_area(tmp_path):
    _last_run(tmp_path, "frame", {"caseload_file": {"": "h", "e06000001": "1"}})
    now = {"caseload_file": {"": "h", "e06000001": "2"}}
    assert narrow.narrowed(tmp_path, "other frame", now, render=False, given={}) is None
    assert narrow.narrowed(tmp_path, "frame", now, render=False,
                           given={"services_file": tmp_path / "services.csv"}) is None
    assert narrow.narrowed(tmp_path, "frame", now, render=False, given={}).changed == ["e06000001"]
