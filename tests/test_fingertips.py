"""Fingertips: the CSV export's quirks, latest values, the API through fingertips_py against a
local server replaying hand-made responses (tests/fixtures/fingertips/), the shipped catalogue and
its run-time check. Offline: nothing here reaches the internet."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import fingertips_py
import pandas as pd
import pytest

from jsna_kit.errors import InputFileError
from jsna_kit.load import fingertips as ft

FIXTURES = Path(__file__).parent / "fixtures" / "fingertips"
EXPORT = FIXTURES / "export_27col.csv"
SUPPRESSED = "Value suppressed for disclosure control due to small count"


def export_text() -> str:
    return EXPORT.read_text(encoding="utf-8-sig")


def read_variant(text: str) -> pd.DataFrame:
    return ft.read_fingertips_csv(b"\xef\xbb\xbf" + text.encode("utf-8"))


# --- the CSV export --------------------------------------------------------------------------

def test_export_is_read_into_the_canonical_columns():
    df = ft.read_fingertips_csv(EXPORT)
    assert list(df.columns) == ft.COLUMNS
    assert df["indicator_id"].dtype == "Int64" and df["value"].dtype == "float64"
    first = ["indicator_id", "area_code", "time_period", "time_period_sortable", "value"]
    assert df.loc[0, first].tolist() == [
        41001, "E92000001", "2019 - 21", 20190000, 10.4]
    assert set(df["parent_comparison_label"]) == {"Compared to percentiles"}
    assert set(df["sex"]) == {"all", "male"}


def test_england_listed_twice_is_kept_once():
    df = ft.read_fingertips_csv(EXPORT)
    england = df[(df["area_code"] == "E92000001") & ~df["is_breakdown"] & (df["indicator_id"] == 41001)]
    assert england["time_period"].tolist() == ["2019 - 21", "2020 - 22"]
    assert len(df) == 11  # 12 rows in the file, one the England duplicate


def test_suppressed_value_stays_missing_with_its_note():
    df = ft.read_fingertips_csv(EXPORT)
    row = df[df["area_code"] == "E06000002"].iloc[0]
    assert pd.isna(row["value"]) and pd.isna(row["count"]) and pd.isna(row["denominator"])
    assert row["value_note"] == SUPPRESSED
    assert row["row"] == 8


def test_inequality_breakdown_is_flagged_not_lost():
    df = ft.read_fingertips_csv(EXPORT)
    breakdown = df[df["is_breakdown"]]
    assert breakdown[["category", "value"]].values.tolist() == [["Most deprived decile (IMD2019)", 14.5]]


def test_older_26_column_export_with_target_data_and_a_region_parent():
    header, *rows = export_text().splitlines()
    old_header = (header.replace("Compared to percentiles", "Compared to Region value or percentiles")
                  .replace("Compared to goal", "Target data").replace(",Time period range", ""))
    old_rows = [r.rsplit(",", 1)[0] for r in rows]  # drop the last column
    df = read_variant("\n".join([old_header, *old_rows]) + "\n")
    assert set(df["parent_comparison_label"]) == {"Compared to Region value or percentiles"}
    assert df["time_period_range"].isna().all()
    assert df.loc[df["area_code"] == "E06000001", "compared_to_parent"].tolist()[:2] == ["Similar", "Worse"]


def test_fingertipsr_headers_without_spaces():
    header, *rows = export_text().splitlines()
    r_header = ",".join(h.replace(" ", "") for h in header.split(","))
    r_header = r_header.replace("Comparedtopercentiles", "ComparedtoParentvalueorpercentiles")
    df = read_variant("\n".join([r_header, *rows]) + "\n")
    assert df["lower_95"].iloc[0] == 10.2 and df["upper_998"].iloc[0] == 10.7
    assert set(df["parent_comparison_label"]) == {"ComparedtoParentvalueorpercentiles"}
    assert df["time_period_sortable"].iloc[-1] == 20220000


def test_phof_prefix_is_stripped_from_names():
    text = export_text().replace(",Suicide rate,", ",E10 - Suicide rate,").replace(
        ",Adults with substance", ",C20 - Adults with substance")
    df = read_variant(text)
    assert df["indicator_name"].unique().tolist() == [
        "Suicide rate", "Adults with substance misuse treatment need who successfully engage in community "
        "based structured treatment following release from prison"]


def test_missing_sortable_period_is_parsed_from_the_label():
    header, *rows = export_text().splitlines()
    position = header.split(",").index("Time period Sortable")
    blanked = [",".join("" if i == position else c for i, c in enumerate(r.split(","))) for r in rows
               if '"' not in r]  # rows without quoted commas
    df = read_variant("\n".join([header, *blanked]) + "\n")
    assert dict(zip(df["time_period"], df["time_period_sortable"], strict=False)) == {
        "2019 - 21": 20190000, "2020 - 22": 20200000, "2021/22": 20210000, "2022/23": 20220000}


@pytest.mark.parametrize("label, sortable", [
    ("2023", 20230000), ("2022/23", 20220000), ("2020 - 22", 20200000), ("2020/21 - 22/23", 20200000),
    ("2023/24 Q2", 20230200), ("Not a period", None),
])
def test_parse_time_period(label, sortable):
    parsed = ft.parse_time_period(pd.Series([label], dtype="str")).iloc[0]
    assert (pd.isna(parsed) and sortable is None) or parsed == sortable


def test_missing_column_and_bad_number_are_reported_with_row_and_column():
    with pytest.raises(InputFileError) as error:
        read_variant(export_text().replace("Area Code,", "Code,", 1))
    assert str(error.value) == (
        "Fingertips export, row 1, column 'area_code': Required Fingertips column 'area_code' is missing. "
        "Fix: Download the data again from Fingertips (Download > 'Data for ...' CSV)")
    with pytest.raises(InputFileError) as error:
        read_variant(export_text().replace(",13.5,", ",13.5*,"))
    assert str(error.value) == ("Fingertips export, row 5, column 'value': Not a number (value: '13.5*'). "
                                "Fix: Download the data again; Fingertips writes plain numbers")


def test_unreadable_export_is_an_input_file_error(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="blank.csv: Cannot read the file as a Fingertips CSV export"):
        ft.read_fingertips_csv(path)


# --- latest values ---------------------------------------------------------------------------

def test_latest_values_per_indicator_area_sex_age():
    latest = ft.latest_values(ft.read_fingertips_csv(EXPORT))
    got = {(r.indicator_id, r.area_code, r.sex):
           (r.time_period, "suppressed" if pd.isna(r.value) else r.value) for r in latest.itertuples()}
    assert got == {
        (41001, "E92000001", "all"): ("2020 - 22", 10.3),
        (41001, "E06000001", "all"): ("2020 - 22", 14.1),
        (41001, "E06000001", "male"): ("2020 - 22", 22.0),
        (41001, "E06000002", "all"): ("2020 - 22", "suppressed"),  # not an older value, not 0
        (92544, "E92000001", "all"): ("2022/23", 44.1),
        (92544, "E06000001", "all"): ("2022/23", 50.2),
    }


def test_latest_values_orders_by_sortable_not_file_order():
    df = ft.read_fingertips_csv(EXPORT).iloc[::-1]
    latest = ft.latest_values(df)
    hartlepool = latest[(latest["area_code"] == "E06000001") & (latest["indicator_id"] == 92544)]
    assert hartlepool["value"].tolist() == [50.2]


def test_latest_values_with_breakdowns_keeps_the_category():
    latest = ft.latest_values(ft.read_fingertips_csv(EXPORT), include_breakdowns=True)
    assert len(latest) == 7
    assert latest["category"].notna().sum() == 1


# --- the API through fingertips_py, against a local server ------------------------------------

class _Replay(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, dict]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).requests.append((url.path, query))
        if url.path == "/api/all_data/csv/by_indicator_id":
            wanted = query["indicator_ids"].split(",")[:100]  # the real API drops the rest silently
            header, *rows = export_text().splitlines()
            kept = [r for r in rows if r.split(",")[0] in wanted]
            self._send(b"\xef\xbb\xbf" + "\r\n".join([header, *kept, ""]).encode("utf-8"), "text/csv")
        elif url.path == "/api/indicator_metadata/by_indicator_id":
            metadata = json.loads((FIXTURES / "metadata_by_indicator_id.json").read_text())
            wanted = query["indicator_ids"].split(",")
            body = json.dumps({k: v for k, v in metadata.items() if k in wanted}).encode()
            self._send(body, "application/json")
        elif url.path == "/api/available_data":
            self._send((FIXTURES / "available_data.json").read_bytes(), "application/json")
        else:
            self._send(b"Not found", "text/plain", 404)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def calls():
    _Replay.requests.clear()
    return _Replay.requests


def test_data_via_fingertips_py(server, calls):
    df = ft.FingertipsClient(server).data([41001, 92544])
    assert len(df) == 11 and list(df.columns) == ft.COLUMNS
    assert calls == [("/api/all_data/csv/by_indicator_id", {
        "indicator_ids": "41001,92544", "child_area_type_id": "502", "parent_area_type_id": "15",
        "include_sortable_time_periods": "yes"})]
    assert df.loc[df["area_code"] == "E06000002", "value_note"].tolist() == [SUPPRESSED]
    assert df.loc[df["area_code"] == "E06000002", "value"].isna().all()


def test_more_than_100_ids_are_requested_in_batches(server, calls):
    ids = [41001] + list(range(1, 120)) + [92544] + list(range(500, 530))  # 92544 is the 121st id
    df = ft.FingertipsClient(server).data(ids)
    requested = [q["indicator_ids"].split(",") for _, q in calls]
    assert [len(r) for r in requested] == [100, 51]
    assert sorted(df["indicator_id"].unique().tolist()) == [41001, 92544]


def test_downloads_are_cached_per_day(server, calls, tmp_path):
    monday = ft.FingertipsClient(server, cache_dir=tmp_path, today=dt.date(2025, 6, 2))
    first = monday.data([41001])
    again = monday.data([41001])
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    assert [p.name for p in tmp_path.iterdir()] == ["data_parent15_profileNone_41001_at502_2025-06-02.csv"]
    ft.FingertipsClient(server, cache_dir=tmp_path, today=dt.date(2025, 6, 3)).data([41001])
    assert len(calls) == 2


def test_metadata_and_available_area_types(server, calls):
    client = ft.FingertipsClient(server)
    metadata = client.metadata([41001, 92544])
    assert metadata["41001"]["Descriptive"]["Name"] == "Suicide rate"
    assert metadata["92544"]["Unit"]["Label"] == "%"
    assert client.available_area_types()[92544] == {15, 6, 402}


def test_base_url_is_patched_only_inside_the_block(server):
    from fingertips_py import api_calls, metadata, retrieve_data

    with ft.fingertips_base_url(server):
        assert retrieve_data.base_url == metadata.base_url == api_calls.base_url == server
    assert retrieve_data.base_url == "https://fingertips.phe.org.uk/api/"
    assert fingertips_py.api_calls.base_url == "https://fingertips.phe.org.uk/api/"


def test_an_error_page_is_a_fingertips_error_and_not_cached(tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        client = ft.FingertipsClient(f"http://127.0.0.1:{httpd.server_address[1]}/api/", cache_dir=tmp_path)
        with pytest.raises(ft.FingertipsError):
            client.data([41001])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert list(tmp_path.iterdir()) == []


class _NotFound(_Replay):
    def do_GET(self):
        self._send(b"<html>Service unavailable</html>", "text/html", 503)


# --- the catalogue ---------------------------------------------------------------------------

def test_shipped_catalogue():
    catalogue = ft.load_catalogue()
    included = catalogue[catalogue["include"]]
    assert len(included) == 41 and included["indicator_id"].is_unique
    assert included["indicator_id"].notna().all() and (included["area_type"] == 502).all()
    assert set(catalogue["priority_area"]) == {
        "mental_health", "substance_misuse", "suicide_prevention", "social_care", "physical_health",
        "learning_disability_autism", "context"}
    gp = catalogue[catalogue["indicator_name"] == "GP registration of people on probation"].iloc[0]
    assert pd.isna(gp["indicator_id"]) and not gp["include"]
    assert gp["note"].startswith("No Fingertips indicator")
    assert 93495 not in set(catalogue["indicator_id"].dropna())  # only at pre-2019 geographies
    assert catalogue.loc[catalogue["indicator_id"] == 41001, "polarity"].tolist() == ["low_is_good"]


def test_catalogue_problems_name_row_and_column(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("priority_area,indicator_id,indicator_name,polarity,unit,area_type,include,note\n"
                    "mental health,41001,Suicide rate,low_is_good,per_100000,502,true,\n"
                    "context,,Re-offending,,,,yes,\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        ft.load_catalogue(path)
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "priority_area"), (3, "include")]


CATALOGUE = pd.DataFrame({
    "priority_area": ["suicide_prevention", "substance_misuse", "substance_misuse", "context", "context"],
    "indicator_id": pd.array([41001, 92544, 92544, 11501, None], dtype="Int64"),
    "indicator_name": ["E10 - Suicide  rate", "Adults with substance misuse treatment need who successfully "
                       "engage in community based structured treatment following release from prison",
                       "Continuity of care after prison", "Statutory homelessness", "Re-offending"],
    "include": [True, True, True, True, False],
})


def test_check_catalogue_ok_renamed_retired_not_at_502():
    metadata = json.loads((FIXTURES / "metadata_by_indicator_id.json").read_text())
    available = json.loads((FIXTURES / "available_data.json").read_text())
    report = ft.check_catalogue(CATALOGUE, metadata, available)
    assert report[["indicator_id", "status"]].values.tolist() == [
        [41001, "ok"], [92544, "not_at_area_type"], [92544, "renamed"], [11501, "retired"]]
    assert report.loc[2, "message"] == (
        "92544 is now called 'Adults with substance misuse treatment need who successfully engage in "
        "community based structured treatment following release from prison' in Fingertips, not "
        "'Continuity of care after prison'; 92544 is not published for area type 502")
    assert report.loc[3, "message"] == ("11501 is not in Fingertips any more (retired, or a wrong id); "
                                        "11501 is not published for area type 502")
    assert ft.check_catalogue(CATALOGUE, metadata, available, area_type=402)["status"].tolist()[:2] == [
        "ok", "ok"]


def test_client_checks_the_catalogue_against_the_server(server, calls):
    report = ft.FingertipsClient(server).check_catalogue(CATALOGUE)
    assert report["status"].tolist() == ["ok", "not_at_area_type", "renamed", "retired"]
    assert [path for path, _ in calls] == ["/api/indicator_metadata/by_indicator_id", "/api/available_data"]


def test_data_fingertips_command_writes_exports_the_chapter_reads(server, tmp_path):
    """`jsna-kit data fingertips` against the local server: it writes the exports into the data
    directory, and the chapter's loader reads them back as latest values."""
    from typer.testing import CliRunner

    from jsna_kit.cli.data import data_app
    from jsna_kit.load.context import latest_fingertips

    result = CliRunner().invoke(data_app, ["fingertips", "--data-dir", str(tmp_path), "--base-url", server])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fingertips" / "api_upper_tier_areas.csv").is_file()
    latest, files = latest_fingertips(tmp_path)
    assert len(files) == 2
    hartlepool = latest[(latest["area_code"] == "E06000001") & (latest["indicator_id"] == 41001)
                        & (latest["sex"] == "all")]
    assert hartlepool["value"].tolist() == [14.1]
