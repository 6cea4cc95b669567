"""`data fetch` / `data status` against a local HTTP server on 127.0.0.1 (never the internet).

The server serves files from a temporary folder, counts requests, and can misbehave on purpose:
send a Content-Length larger than the body and close the connection (an interrupted transfer).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jsna_kit.cli.data import data_app
from jsna_kit.load import fetch as fetch_module
from jsna_kit.load.fetch import SOURCES, FetchError, Source, fetch, select_sources, status


class FileServer:
    """Serves ``root`` over HTTP/1.0; ``truncate`` holds paths to cut short."""

    def __init__(self, root: Path):
        self.root, self.requests, self.truncate = root, [], set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                path = self.path.lstrip("/")
                server.requests.append(path)
                file = server.root / path
                if not file.is_file():
                    self.send_error(404)
                    return
                body = file.read_bytes()
                self.send_response(200)
                cut = path in server.truncate
                self.send_header("Content-Length", str(len(body) + 1000 if cut else len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if cut else body)
                self.wfile.flush()  # HTTP/1.0: the connection closes after this

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    with FileServer(root) as server:
        yield server


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


CSV = b"areaCode,age,population\nE08000019,0_4,100\n"


@pytest.fixture
def one_csv_source(monkeypatch, served):
    """A single synthetic source whose pinned checksum is that of ``CSV``."""
    source = Source("population", "population/mid2019_population_by_age.csv", f"{served.url}/pop.csv",
                    "test", "test", "test", hashlib.sha256(CSV).hexdigest(), "tests",
                    "no population: give --caseload", "http://x")
    monkeypatch.setattr(fetch_module, "SOURCES", (source,))
    return source


# --- the pinned sources ----------------------------------------------------------------------------

def test_sources_are_complete_and_distinct():
    assert len({s.key for s in SOURCES}) == len({s.path for s in SOURCES}) == len(SOURCES) == 6
    for s in SOURCES:
        assert s.url.startswith("https://") and re.fullmatch(r"[0-9a-f]{64}", s.sha256)
        assert s.publisher and s.licence and s.vintage and s.enables and s.when_missing
    population = next(s for s in SOURCES if s.key == "population")
    assert "the embedded mid-2023 adults are used" in population.when_missing


def test_pinned_checksums_are_those_of_the_tested_files(shared_data_dir):
    for s in SOURCES:
        assert fetch_module.sha256_of(shared_data_dir / s.path) == s.sha256, s.path


def test_only_accepts_keys_and_folders():
    assert [s.key for s in select_sources("boundaries")] == ["ctyua_boundaries", "lad_boundaries",
                                                             "region_boundaries"]
    assert [s.key for s in select_sources(["population", "population"])] == ["population"]
    with pytest.raises(FetchError, match="unknown data source 'maps'; choose from ctyua_boundaries"):
        select_sources("maps")


# --- fetching the real files from a local mirror ---------------------------------------------------

def test_fetch_downloads_verifies_and_then_leaves_files_alone(shared_data_dir, served, tmp_path):
    for s in SOURCES:
        (served.root / s.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_data_dir / s.path, served.root / s.path)
    data = tmp_path / "data"
    before = status(data)
    assert not any(s.present for s in before)
    assert next(s for s in before if s.key == "population").disabled.startswith("nothing")

    results = fetch(data, base_url=served.url, timeout=10)
    assert [r.status for r in results] == ["downloaded"] * 6 and all(r.verified for r in results)
    assert len(served.requests) == 6
    for s in SOURCES:
        assert (data / s.path).read_bytes() == (shared_data_dir / s.path).read_bytes()
    after = status(data)
    assert all(s.present and s.checksum_ok and s.disabled == "" for s in after)

    again = fetch(data, base_url=served.url, timeout=10)
    assert [r.status for r in again] == ["present"] * 6
    assert len(served.requests) == 6  # nothing downloaded twice


# --- failures leave nothing behind ------------------------------------------------------------------

def test_checksum_mismatch_keeps_nothing_and_names_both_checksums(one_csv_source, served, tmp_path):
    served_bytes = CSV + b"E08000019,5_9,101\n"
    (served.root / "pop.csv").write_bytes(served_bytes)
    data = tmp_path / "data"
    with pytest.raises(FetchError) as info:
        fetch(data, timeout=10)
    message = str(info.value)
    assert "population/mid2019_population_by_age.csv" in message
    assert one_csv_source.sha256 in message and hashlib.sha256(served_bytes).hexdigest() in message
    assert "--no-verify" in message
    assert leftovers(data) == []
    assert served.requests == ["pop.csv"]


def test_no_verify_accepts_a_new_vintage_and_says_so(one_csv_source, served, tmp_path):
    (served.root / "pop.csv").write_bytes(CSV + b"E08000019,5_9,101\n")
    [result] = fetch(tmp_path / "data", verify=False, timeout=10)
    assert result.status == "downloaded" and not result.verified and "--no-verify" in result.message
    assert (tmp_path / "data" / one_csv_source.path).is_file()


def test_no_verify_still_refuses_an_error_page(one_csv_source, served, tmp_path):
    (served.root / "pop.csv").write_bytes(b"<html><body>Service unavailable</body></html>\n")
    with pytest.raises(FetchError, match="does not start with a CSV header"):
        fetch(tmp_path / "data", verify=False, timeout=10)
    assert leftovers(tmp_path / "data") == []


def test_interrupted_transfer_leaves_no_partial_file(one_csv_source, served, tmp_path):
    (served.root / "pop.csv").write_bytes(CSV * 50)
    served.truncate.add("pop.csv")
    data = tmp_path / "data"
    with pytest.raises(FetchError) as info:
        fetch(data, timeout=10)
    message = str(info.value)
    assert "stopped after" in message and "nothing was saved" in message
    assert "jsna-kit data fetch --only population" in message
    assert leftovers(data) == []
    assert served.requests == ["pop.csv"]


def test_offline_gives_one_clear_message(one_csv_source, monkeypatch, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/pop.csv"
    monkeypatch.setattr(fetch_module, "SOURCES", (replace(one_csv_source, url=url),))
    with pytest.raises(FetchError) as info:
        fetch(tmp_path / "data", timeout=10)
    message = str(info.value)
    assert f"Cannot reach {url}" in message and "copy it by hand" in message
    assert "\n" not in message
    assert leftovers(tmp_path / "data") == []


def test_http_error_names_the_status(one_csv_source, served, tmp_path):
    with pytest.raises(FetchError, match="answered HTTP 404"):
        fetch(tmp_path / "data", timeout=10)
    assert leftovers(tmp_path / "data") == []


def test_a_different_local_file_is_kept_unless_forced(one_csv_source, served, tmp_path):
    (served.root / "pop.csv").write_bytes(CSV)
    dest = tmp_path / "data" / one_csv_source.path
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"areaCode,age,population\nmine\n")
    [kept] = fetch(tmp_path / "data", timeout=10)
    assert kept.status == "kept" and dest.read_bytes().endswith(b"mine\n") and served.requests == []
    [forced] = fetch(tmp_path / "data", force=True, timeout=10)
    assert forced.status == "downloaded" and forced.verified and dest.read_bytes() == CSV


# --- the command line --------------------------------------------------------------------------------

def test_cli_status_then_fetch_then_status(one_csv_source, served, tmp_path):
    (served.root / "pop.csv").write_bytes(CSV)
    data = str(tmp_path / "data")
    runner = CliRunner()
    before = runner.invoke(data_app, ["status", "--data-dir", data])
    assert before.exit_code == 0 and "no population: give --caseload" in before.output
    fetched = runner.invoke(data_app, ["fetch", "--data-dir", data, "--only", "population"])
    assert fetched.exit_code == 0, fetched.output
    assert "downloaded" in fetched.output and len(served.requests) == 1
    after = runner.invoke(data_app, ["status", "--data-dir", data])
    assert after.exit_code == 0 and "give --caseload" not in after.output
    assert " ok " in after.output


def test_cli_fetch_failure_exits_1_with_the_message(one_csv_source, served, tmp_path):
    (served.root / "pop.csv").write_bytes(b"areaCode,age,population\nchanged\n")
    result = CliRunner().invoke(data_app, ["fetch", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1
    assert "checksum mismatch" in result.output and "Traceback" not in result.output
    ok = CliRunner().invoke(data_app, ["fetch", "--data-dir", str(tmp_path / "data"), "--no-verify"])
    assert ok.exit_code == 0 and "unverified" in ok.output
