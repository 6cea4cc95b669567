"""The official files the project reads, pinned in one place, and ``jsna-kit data fetch/status``.

Every source has a relative path inside the data directory (``config.data_dir()``), the
publisher's URL, licence, vintage and the SHA-256 of the file the project was tested with. A
download is streamed to a temporary file beside its destination, checked, and only then renamed
into place, so an interrupted or wrong download never leaves a file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from jsna_kit import __version__, config
from jsna_kit.errors import JsnaKitError

_ONS_QUERY = ("https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/{service}/FeatureServer/0/"
              "query?where=1%3D1&outFields=*&outSR=4326&f=geojson")
_ONS_NOTE = ("Pinned checksum is of the GeoJSON from the portal's Download button (pretty-printed). The "
             "FeatureServer URL serves the same features, possibly laid out differently; if the checksum "
             "then differs, check the file opens (jsna-kit areas) and accept it with --no-verify.")
_ONS_LICENCE = ("Open Government Licence v3.0; contains OS data (c) Crown copyright and database right 2023 "
                "(2024 for LAD)")


@dataclass(frozen=True)
class Source:
    """One official file: where it goes, where it comes from and what it is for."""

    key: str
    path: str  # relative to the data directory
    url: str
    publisher: str
    licence: str
    vintage: str
    sha256: str
    enables: str
    when_missing: str
    landing_page: str
    note: str = ""


SOURCES: tuple[Source, ...] = (
    Source("ctyua_boundaries", "boundaries/ctyua_2023_uk_bsc.geojson",
           _ONS_QUERY.format(service="Counties_and_Unitary_Authorities_December_2023_Boundaries_UK_BSC"),
           "Office for National Statistics (Open Geography Portal)", _ONS_LICENCE, "December 2023",
           "45cb114c2fa38e1af61cabfc9da86f76c7ebc535e1a81e440d49f27decbc9fc1",
           "area maps; official English and Welsh names of the 175 areas",
           "no area boundaries: maps are skipped and names come from the lookup or the project's own table",
           "https://geoportal.statistics.gov.uk/ (search: Counties and Unitary Authorities December 2023 "
           "Boundaries UK BSC)", _ONS_NOTE),
    Source("lad_boundaries", "boundaries/lad_2024_uk_bsc.geojson",
           _ONS_QUERY.format(service="Local_Authority_Districts_May_2024_Boundaries_UK_BSC"),
           "Office for National Statistics (Open Geography Portal)", _ONS_LICENCE, "May 2024",
           "cedadb0b75395354fd5adc90ec947c9cfb2a4fa6dddce9445877c67dfa195118",
           "district outlines inside county maps",
           "no district boundaries: district outlines on maps are skipped",
           "https://geoportal.statistics.gov.uk/datasets/ons::local-authority-districts-may-2024-boundaries-uk-bsc-2/about",
           _ONS_NOTE),
    Source("region_boundaries", "boundaries/regions_2023_en_buc.geojson",
           _ONS_QUERY.format(service="Regions_December_2023_Boundaries_EN_BUC"),
           "Office for National Statistics (Open Geography Portal)", _ONS_LICENCE, "December 2023",
           "259d10d19dced3b29d6885c08d3277e3a779fdcadaed5d41a937105e4531964e",
           "region and probation-region context maps; check of region names",
           "no region boundaries: regional context maps are skipped",
           "https://geoportal.statistics.gov.uk/ (search: Regions December 2023 Boundaries EN BUC)",
           _ONS_NOTE),
    Source("la_lookup", "lookups/uk_local_authorities_current.csv",
           "https://pages.mysociety.org/uk_local_authority_names_and_codes/data/uk_la_past_current/latest/"
           "uk_local_authorities_current.csv",
           "mySociety (uk_local_authority_names_and_codes)", "CC BY 4.0", "2024 release",
           "1ef7c9caf57e4a8d8caabf2927c29fdda248a41ff1af76c639d11a62fcd9f2c5",
           "which areas are current; alternative names for matching what users type",
           "no local-authority lookup: the area list comes from the project's own table "
           "(data/reference/probation_region_areas.csv) and fewer spellings are recognised",
           "https://pages.mysociety.org/uk_local_authority_names_and_codes/datasets/uk_la_past_current/latest",
           "The 'latest' URL follows mySociety's newest release, so its checksum changes when they update "
           "it; accept a newer release with --no-verify once `jsna-kit areas` still lists 175 areas."),
    Source("fingertips_hierarchy", "lookups/fingertips_area_hierarchy.csv",
           "https://raw.githubusercontent.com/dhsc-govuk/FingertipsNext/02ccd1f1ec9891f7e6acfcb5493035df941ed29b/"
           "DataCreator/DataCreator/data/out/areas.csv",
           "Department of Health and Social Care (FingertipsNext)", "Open Government Licence v3.0", "2025",
           "6b78a2de0b27df399b832352c16eeea9e74bebc5ae4040312532390b08a3e1b1",
           "check of each area's region against OHID's own hierarchy",
           "no Fingertips hierarchy: the region cross-check is skipped",
           "https://github.com/dhsc-govuk/FingertipsNext",
           "No byte-identical public URL was found for the tested copy: the URL is the same generated "
           "table (same columns) at a published commit, but a different snapshot, so expect a checksum "
           "mismatch and use --no-verify, or copy the file by hand."),
    Source("population", "population/mid2019_population_by_age.csv",
           "https://raw.githubusercontent.com/UKHSA-Internal/coronavirus-dashboard-pipeline-etl/"
           "8ac0b527d23bbba6a60bf29c60fcfcdad85cdbae/statics/supplements/age-demographic-population.csv",
           "UK Health Security Agency, from ONS mid-2019 population estimates",
           "Open Government Licence v3.0",
           "mid-2019", "f774af30581718486ae21929f50c172bace9765ab176bf55ac1333de7ae6544d",
           "the older (mid-2019) population by age band; the modelled caseload uses the embedded ONS mid-2023 "
           "adults (data/reference/population_adults_mid2023.csv) instead",
           "nothing: the embedded mid-2023 adults are used",
           "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/"
           "datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland",
           "UKHSA's five-year-band version of the ONS estimates, from the coronavirus dashboard's public "
           "repository (pinned commit). ONS publishes the same estimates by single year of age as a "
           "spreadsheet, not in this layout."),
)


class FetchError(JsnaKitError):
    """A download failed; nothing was written for that file. ``results`` holds the files done before."""

    def __init__(self, message: str, *, source_key: str = "", results: list[FetchResult] | None = None):
        super().__init__(message)
        self.source_key = source_key
        self.results = list(results or [])


@dataclass(frozen=True)
class FetchResult:
    key: str
    path: Path
    status: str  # "downloaded", "present" (already there, checksum ok) or "kept" (there, checksum differs)
    sha256: str
    verified: bool
    size: int
    message: str = ""


@dataclass(frozen=True)
class DataStatus:
    key: str
    path: Path
    present: bool
    size: int | None
    checksum_ok: bool | None  # None when the file is absent
    vintage: str
    enables: str
    disabled: str  # what does not work while the file is missing ("" when present)
    note: str = field(default="")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def select_sources(only: str | Iterable[str] | None = None) -> list[Source]:
    """Sources by key (``population``), folder (``boundaries``) or path; all when ``only`` is None."""
    if only is None:
        return list(SOURCES)
    wanted = [only] if isinstance(only, str) else list(only)
    chosen = []
    for item in wanted:
        matches = [s for s in SOURCES if item in (s.key, s.path, s.path.split("/")[0])]
        if not matches:
            raise FetchError(f"unknown data source {item!r}; choose from {', '.join(s.key for s in SOURCES)} "
                             "or a folder (boundaries, lookups, population)")
        chosen += [s for s in matches if s not in chosen]
    return chosen


def fetch(data_dir: str | Path | None = None, *, only: str | Iterable[str] | None = None,
          base_url: str | None = None, session: requests.Session | None = None, force: bool = False,
          verify: bool = True, timeout: float = 60.0) -> list[FetchResult]:
    """Download the pinned official files into the data directory.

    Files already present with the pinned checksum are left alone (no request); present files with
    another checksum are kept unless ``force``. ``verify=False`` accepts a file whose checksum
    differs (a new vintage) -- the CLI's ``--no-verify``. ``base_url`` replaces every publisher URL
    with ``<base_url>/<relative path>`` (a mirror, or a local server in tests). One request per file,
    no retries. Raises ``FetchError`` at the first failure; earlier files stay saved.
    """
    root = config.data_dir(data_dir)
    own_session = session is None
    session = session or requests.Session()
    session.headers.setdefault("User-Agent", f"jsna-kit/{__version__} (data fetch)")
    results: list[FetchResult] = []
    try:
        for source in select_sources(only):
            dest = root / source.path
            if dest.is_file() and not force:
                actual = sha256_of(dest)
                ok = actual == source.sha256
                results.append(FetchResult(
                    source.key, dest, "present" if ok else "kept", actual, ok, dest.stat().st_size,
                    "" if ok else "differs from the pinned checksum (another vintage?); kept - use --force "
                                  "to replace it"))
                continue
            url = f"{base_url.rstrip('/')}/{source.path}" if base_url else source.url
            try:
                results.append(_download(source, url, dest, session, verify=verify, timeout=timeout))
            except FetchError as exc:
                raise FetchError(str(exc), source_key=source.key, results=results) from exc.__cause__
    finally:
        if own_session:
            session.close()
    return results


def _download(source: Source, url: str, dest: Path, session: requests.Session, *, verify: bool,
              timeout: float) -> FetchResult:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    digest, size, expected_size, response = hashlib.sha256(), 0, None, None
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                response = session.get(url, stream=True, timeout=timeout)
                with response:
                    if response.status_code != 200:
                        raise FetchError(f"{url} answered HTTP {response.status_code} for {source.path}; "
                                         f"nothing was saved. Get the file from {source.landing_page} and "
                                         f"copy it by hand to {dest}.")
                    encoded = response.headers.get("Content-Encoding", "identity") not in ("", "identity")
                    length = response.headers.get("Content-Length")
                    expected_size = int(length) if length and length.isdigit() and not encoded else None
                    for chunk in response.iter_content(chunk_size=1 << 16):
                        fh.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
            except requests.RequestException as exc:
                if response is None:
                    raise FetchError(
                        f"Cannot reach {url} ({_reason(exc)}); are you offline or behind a proxy? Download "
                        f"{source.path} from {source.landing_page} and copy it by hand into {dest.parent}, "
                        "then check it with `jsna-kit data status`.") from exc
                raise FetchError(_interrupted(source, url, size, expected_size, _reason(exc))) from exc
            if expected_size is not None and size != expected_size:
                raise FetchError(_interrupted(source, url, size, expected_size, "connection closed early"))
            fh.flush()
            os.fsync(fh.fileno())
        actual = digest.hexdigest()
        if actual != source.sha256:
            if verify:
                raise FetchError(f"{source.path}: checksum mismatch - expected sha256 {source.sha256}, "
                                 f"got {actual}; nothing was saved. If the publisher has released a new "
                                 f"version, check it and rerun with --no-verify to accept it "
                                 f"(see {source.landing_page}).")
            _check_shape(source, url, tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    ok = actual == source.sha256
    return FetchResult(source.key, dest, "downloaded", actual, ok, size,
                       "" if ok else "checksum differs from the pinned one; accepted because of --no-verify")


def _check_shape(source: Source, url: str, path: Path) -> None:
    """Without a checksum to rely on, at least refuse an error page or an empty answer."""
    problem = ""
    if source.path.endswith(".geojson"):
        try:
            data = json.loads(path.read_bytes())
            if data.get("type") != "FeatureCollection" or not data.get("features"):
                problem = "is not a GeoJSON FeatureCollection with features"
        except (ValueError, AttributeError):
            problem = "is not JSON"
    else:
        with path.open("rb") as fh:
            header = fh.readline().decode("utf-8-sig", errors="replace")
        if header.count(",") < 2 or "<" in header:
            problem = "does not start with a CSV header"
    if problem:
        raise FetchError(f"{url} sent something that {problem}; nothing was saved for {source.path}.")


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker, words in (("Connection refused", "connection refused"),
                          ("Name or service not known", "unknown host name"),
                          ("Temporary failure in name resolution", "no DNS: offline?"),
                          ("Network is unreachable", "network unreachable"),
                          ("timed out", "timed out"),
                          ("IncompleteRead", "the connection closed before the end of the file"),
                          ("Connection broken", "the connection broke")):
        if marker in text:
            return words
    return type(exc).__name__


def _interrupted(source: Source, url: str, size: int, expected: int | None, reason: str) -> str:
    of = f" of {expected:,}" if expected else ""
    return (f"The download of {source.path} from {url} stopped after {size:,}{of} bytes ({reason}); nothing "
            f"was saved. Run `jsna-kit data fetch --only {source.key}` again.")


def status(data_dir: str | Path | None = None) -> list[DataStatus]:
    """For every pinned source: present?, size, checksum matches?, vintage, and what is off without it."""
    root = config.data_dir(data_dir)
    out = []
    for s in SOURCES:
        path = root / s.path
        if path.is_file():
            out.append(DataStatus(s.key, path, True, path.stat().st_size, sha256_of(path) == s.sha256,
                                  s.vintage, s.enables, "", s.note))
        else:
            out.append(DataStatus(s.key, path, False, None, None, s.vintage, s.enables, s.when_missing,
                                  s.note))
    return out
