"""The shipped reference data: complete, consistent, traceable to the research notes, and a broken
file reported by file, row and column."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.config import reference_dir
from jsna_kit.errors import InputFileError
from jsna_kit.load.reference import FILES, load_reference
from jsna_kit.load.reference_rules import MAINTAINER_COLUMNS, READER_COLUMNS, WORKING_NOTE_PHRASES, mirror_address
from jsna_kit.model.headline import classify_estimates
from jsna_kit.priorities import PRIORITY_KEYS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reference():
    return load_reference()


@pytest.fixture(scope="module")
def estimates(reference):
    return reference.estimates


@pytest.fixture(scope="module")
def every_estimate(reference) -> pd.DataFrame:
    """Every row of national_estimates.csv, typed, the held ones too: traceability to the research
    notes covers what is kept back from chapters as well as what is published."""
    from jsna_kit.load.reference import _typed_estimates

    raw = pd.read_csv(reference.directory / "national_estimates.csv", dtype=str, keep_default_na=False)
    return _typed_estimates(raw.apply(lambda c: c.str.strip()))


@pytest.fixture(scope="module")
def research_notes(shared_data_dir: Path) -> list[dict[str, str]]:
    """/work/shared/evidence/estimates.csv as dicts, each with its line number (header = 1)."""
    path = shared_data_dir.parent / "evidence" / "estimates.csv"
    if not path.is_file():
        pytest.skip(f"research notes not found at {path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{**row, "line": str(i)} for i, row in enumerate(csv.DictReader(fh), start=2)]


def bib_keys(path: Path) -> list[str]:
    import json

    return [item["id"] for item in json.loads(path.read_text(encoding="utf-8"))]


def keys_in(cell: str) -> list[str]:
    return [k.strip() for k in str(cell).split(";") if k.strip()]


# --- the shipped data ------------------------------------------------------------------------

def test_every_source_key_used_anywhere_is_in_the_bibliography_and_sources_table(reference):
    bib = bib_keys(reference.bibliography)
    assert len(bib) == len(set(bib)), "duplicate bibliography ids"
    assert set(bib) == set(reference.sources["source_key"])
    used = set()
    for cell in reference.estimates["source_keys"]:
        used |= set(keys_in(cell))
    for cell in reference.caseload["source_key"]:
        used |= set(keys_in(cell))
    for frame in (reference.commissioning, reference.pathways, reference.recommendations):
        used |= {k for cell in frame["basis"] for k in keys_in(cell) if re.fullmatch(r"[A-Z][A-Z0-9_]*", k)}
    assert used - set(bib) == set()
    assert {"NPS2019", "NHSE_HJ2016", "OMSQ_Q2_2025"} <= used
    # The seed summary of organisations' roles is not a citable source: primary law and guidance are.
    assert "ORGROLES" not in used | set(bib)


def test_every_priority_area_has_a_headline_or_a_recorded_gap(estimates):
    classified = classify_estimates(estimates)
    for key in PRIORITY_KEYS:
        area = classified[classified["priority_area"] == key]
        assert (area["role"] == "headline").sum() == 1 or (area["status"] == "gap").any(), key
        assert (area["role"] == "headline").sum() <= 1


def test_percentages_are_within_0_to_100_and_intervals_contain_their_values(estimates):
    pct = estimates[estimates["unit"] == "percent"]
    for col in ("value", "range_low", "range_high", "ci_lower", "ci_upper"):
        assert pct[col].dropna().between(0, 100).all(), col
    with_ci = estimates.dropna(subset=["ci_lower", "ci_upper", "value"])
    assert len(with_ci) >= 8
    assert ((with_ci["ci_lower"] <= with_ci["value"]) & (with_ci["value"] <= with_ci["ci_upper"])).all()
    counts = estimates.dropna(subset=["numerator", "denominator"])
    assert (counts["numerator"] <= counts["denominator"]).all()


def test_numerators_and_denominators_reproduce_the_published_percentage(estimates):
    rows = estimates[(estimates["unit"] == "percent")].dropna(subset=["numerator", "denominator", "value"])
    worked = 100 * rows["numerator"] / rows["denominator"]
    assert ((worked - rows["value"]).abs() < 0.5).all(), rows.loc[(worked - rows["value"]).abs() >= 0.5,
                                                                  "estimate_id"].tolist()


def test_every_row_has_a_grade_and_a_reason_and_unique_id(estimates):
    assert estimates["grade"].isin(list("ABCD")).all()
    assert (estimates["grade_reason"].str.len() > 10).all()
    assert estimates["estimate_id"].is_unique


def test_gap_rows_have_no_value_and_say_what_is_missing(estimates):
    gaps = estimates[estimates["status"] == "gap"]
    assert gaps["value"].isna().all()
    assert (gaps["quality_note"].str.len() > 40).all()
    social = gaps[gaps["priority_area"] == "social_care"]
    assert len(social) == 1 and social["setting_type"].iloc[0].startswith("probation")
    assert pd.isna(social["brief_line"].iloc[0])


def test_verify_and_derived_statuses_stay_visible(estimates):
    status = estimates.set_index("estimate_id")["status"]
    assert status["SP04"] == "derived"  # the crude self-inflicted death rate
    # figures reported only by the press, or not found in their original: kept, as context only
    assert {"MH08", "MH09", "MH10", "PH01", "LD08"} <= set(status[status == "verify"].index)
    # confirmed against the survey and the paper (issue 29)
    assert (status[["MH23", "SP21", "LD07"]] == "ok").all()


def test_mental_health_headline_is_brooker_2012_39_percent(estimates):
    classified = classify_estimates(estimates)
    head = classified[(classified["priority_area"] == "mental_health") & (classified["role"] == "headline")]
    assert len(head) == 1
    row = head.iloc[0]
    assert keys_in(row["source_keys"])[0] == "BROOKER2012"
    assert (row["value"], row["denominator"], row["grade"]) == (39, 173, "B")
    assert row["setting_type"] == "probation_caseload"
    assert "county" in row["grade_reason"] and "2012" in row["grade_reason"]


def test_social_care_has_no_headline_but_a_labelled_prison_proxy(estimates):
    classified = classify_estimates(estimates)
    care = classified[classified["priority_area"] == "social_care"]
    assert not (care["role"] == "headline").any()
    proxy = care[care["role"] == "proxy"]
    assert len(proxy) == 1 and proxy["setting_type"].iloc[0] == "prison"


def test_national_caseload_facts(reference):
    c = reference.caseload
    def one(measure, date):
        rows = c[(c["measure"] == measure) & (c["date"] == date)]
        assert len(rows) >= 1, (measure, date)
        return rows
    assert one("total", "2025-06-30")["value"].tolist() == [244209]
    assert one("court_orders", "2025-06-30")["value"].tolist() == [108681]
    derived = c[c["status"] == "derived"]
    assert derived["value"].tolist() == [244209 - 108681]
    assert "approximation" in derived["note"].iloc[0]
    gaps = c[c["status"] == "gap"]
    assert {"by_sex", "by_age", "by_region"} <= set(gaps["measure"])
    assert gaps["value"].isna().all()


def test_commissioning_is_brought_up_to_date(reference):
    cm = reference.commissioning
    current = cm["organisation"].str.cat(cm["role"], sep=" ")
    assert not current.str.contains(r"clinical commissioning group|\bCCG|Public Health England|Community "
                                    r"Rehabilitation Compan", case=False).any()
    dated = {"Integrated care boards": "2022-07-01", "Office for Health Improvement": "2021-10-01",
             "UK Health Security Agency": "2021-10-01", "Probation Service (HMPPS)": "2021-06-26"}
    for organisation, date in dated.items():
        rows = cm[cm["organisation"].str.contains(organisation, regex=False)]
        assert len(rows) >= 1 and (rows["as_of"] == date).all(), organisation
    assert {"England", "Wales", "England and Wales"} == set(cm["nation"])


def test_since_dates_are_when_each_body_took_on_its_role_never_the_2019_documents(reference):
    cm = reference.commissioning
    since = {"Health and wellbeing boards": "2013-04-01", "Community safety partnerships": "1998",
             "MAPPA responsible authority": "2001", "HMPPS and NHS England (joint)": "2011",
             "Regional partnership boards": "2016-04", "Public Health Wales": "2009",
             "Police and crime commissioners": "2012-11"}
    for organisation, date in since.items():
        rows = cm[cm["organisation"].str.startswith(organisation)]
        assert len(rows) >= 1 and (rows["as_of"] == date).all(), organisation
    public_health = cm[cm["organisation"] == "Local authorities (public health)"]
    assert set(public_health["as_of"]) <= {"2013-04-01", ""}
    assert (public_health["as_of"] == "2013-04-01").any()
    local_health_boards = cm[cm["organisation"] == "Local health boards (Wales)"]
    assert set(local_health_boards["as_of"]) == {"2009"}
    # The strategy's and the roles summary's own dates are not when anyone took on a role.
    assert not cm["as_of"].isin(["2019-06", "2019"]).any()


@pytest.mark.parametrize("nation, other", [("England", "Wales"), ("Wales", "England")])
def test_each_nation_sees_its_own_bodies_for_every_priority_area(reference, nation, other):
    cm = reference.commissioning
    assert (cm["nation"] != "").all()
    seen = cm[cm["nation"].isin([nation, "England and Wales"])]
    for key in PRIORITY_KEYS:
        assert len(seen[seen["priority_area"] == key]) >= 1, (nation, key)
    names = " ".join(seen["organisation"])
    welsh = ["Regional partnership boards", "Local health boards", "Public Health Wales", "Area planning boards",
             "HMPPS in Wales", "Welsh Government", "Local authorities (social services)"]
    english = ["Integrated care boards", "Health and wellbeing boards", "Office for Health Improvement"]
    for body in (welsh if nation == "Wales" else english):
        assert body in names, (nation, body)
    for body in (english if nation == "Wales" else welsh):
        assert body not in names, (nation, body)


@pytest.mark.parametrize("nation", ["England", "Wales"])
def test_each_priority_area_has_pathways_and_three_to_five_recommendations(reference, nation):
    recs = reference.recommendations
    rec = recs[recs["nation"].isin([nation, "England and Wales"])].groupby("priority_area").size()
    assert set(rec.index) == set(PRIORITY_KEYS)
    assert rec.between(3, 5).all(), (nation, rec.to_dict())
    pathway_areas = {k for cell in reference.pathways["priority_areas"] for k in keys_in(cell)}
    assert pathway_areas == set(PRIORITY_KEYS)
    assert {"MHTR", "ATR", "DRR", "CSTR", "LIAISON_DIVERSION", "RECONNECT", "OPD", "MAPPA"} <= \
        set(reference.pathways["key"])


def test_readme_documents_every_column_of_every_file(reference):
    readme = (reference.directory / "README.md").read_text(encoding="utf-8")
    for name in FILES.values():
        assert name in readme
        header = next(csv.reader((reference.directory / name).open(encoding="utf-8-sig")))
        missing = [c for c in header if f"`{c}`" not in readme]
        assert not missing, (name, missing)


# --- what readers see ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def files(reference) -> dict[str, list[dict[str, str]]]:
    """Every reference table as its file holds it (maintainer columns included), rows as dicts."""
    out = {}
    for name, file in FILES.items():
        with (reference.directory / file).open(encoding="utf-8-sig", newline="") as fh:
            out[name] = list(csv.DictReader(fh))
    return out


def identifiers(files) -> set[str]:
    """Source keys and estimate ids: raw keys a reader must never see."""
    return {r["source_key"] for r in files["sources"]} | {r["estimate_id"] for r in files["estimates"]}


#: An all-capitals key with digits, like NPS2019 or OMSQ_Q2_2025 (SDS40 is a scheme's own name).
RAW_KEY = re.compile(r"\b[A-Z]{2,}[A-Z_]*\d[A-Z0-9_]*\b")
NAMES_WITH_DIGITS = {"SDS40"}


def test_no_working_note_language_mirror_or_raw_key_in_anything_a_reader_sees(files):
    keys = identifiers(files)
    phrases = re.compile("|".join(WORKING_NOTE_PHRASES), flags=re.I)
    found = []
    for table, columns in READER_COLUMNS.items():
        for i, row in enumerate(files[table], start=2):
            for column in columns:
                text = row.get(column, "")
                where = (FILES[table], i, column, text[:80])
                if phrases.search(text):
                    found.append(("working note: " + phrases.search(text).group(0), *where))
                if column == "public_url":
                    if mirror_address(text):
                        found.append(("mirror", *where))
                    continue
                if re.search(r"https?://", text) and column != "public_url":
                    found.append(("address in text", *where))
                if column != "basis":  # basis holds source keys by design; the chapter cites them
                    raw = [t for t in RAW_KEY.findall(text) if t not in NAMES_WITH_DIGITS]
                    raw += [t for t in re.findall(r"\b[A-Z][A-Z0-9_]+\b", text) if t in keys]
                    if raw:
                        found.append((f"raw key {raw}", *where))
    assert not found, "\n".join(map(str, found))


def test_the_test_above_catches_what_it_is_for(files):
    """The phrases and hosts the check looks for do match the research notes' own words."""
    phrases = re.compile("|".join(WORKING_NOTE_PHRASES), flags=re.I)
    for text in ("n not retrieved", "(to Verify)", "Added for this project; not a row of the research notes",
                 "2015/16 (by position in the series)", "n.d.", "seen only through a secondary source",
                 "take it from the OMSQ tables"):
        assert phrases.search(text), text
    for url in ("https://paperzz.com/doc/1", "http://47.251.13.51:8081/22548345", "https://staging.scite.ai/x",
                "https://doaj.org/cookie_consent?continue=x", "https://lboro-test-vufind.koha-ptfs.co.uk/x"):
        assert mirror_address(url), url
    assert not mirror_address("https://www.gov.uk/government/statistics/x")
    assert RAW_KEY.search("as quoted in NPS2019") and not RAW_KEY.search("indicator C20 (AQ-20)")


def test_what_was_moved_out_of_the_readers_text_is_kept_for_maintainers(files, reference):
    notes = {r["estimate_id"]: r["maintainer_note"] for r in files["estimates"]}
    assert "Added for this project" in notes["SC05"]
    assert "position" in notes["SP06"] and "not retrieved" in notes["MH01"].lower()
    assert "PRESS ONLY" in notes["PH01"]
    sources = {r["source_key"]: r for r in files["sources"]}
    assert sources["OMCCS2013"]["url_seen"].startswith("https://paperzz.com")  # provenance stays
    # ... but no build loads a maintainer-only column.
    for name in FILES:
        assert not set(MAINTAINER_COLUMNS) & set(getattr(reference, name).columns), name


def test_downloaded_evidence_has_no_maintainer_columns(reference):
    from jsna_kit.batch.plan import checked_evidence
    from jsna_kit.publish.bundle import sources_table
    from jsna_kit.publish.dictionary import DEFINITIONS

    evidence = checked_evidence(reference)
    assert "maintainer_note" not in evidence.columns
    assert set(evidence.columns) - {"role", "headline_rank"} <= set(DEFINITIONS["evidence.csv"])
    sheet = sources_table(reference.sources)
    assert not sheet["url"].map(mirror_address).any()
    assert "ORGROLES" not in set(sheet["source_key"])


def test_recommendations_say_nation_owner_measure_and_priority(reference):
    recs = reference.recommendations
    for column in ("nation", "owner", "measure", "priority"):
        assert (recs[column].str.strip() != "").all(), column
    assert (recs["measure"].str.len() > 25).all()
    for nation in ("England", "Wales"):
        seen = recs[recs["nation"].isin([nation, "England and Wales"])]
        top = seen[seen["priority"].isin(["1", "2", "3"])]
        assert sorted(top["priority"]) == ["1", "2", "3"], nation  # the top three, once each
        assert set(top["nation"]) == {nation}
    welsh_owners = set(recs.loc[recs["nation"] == "Wales", "owner"])
    assert {"local health board", "regional partnership board", "area planning board", "Public Health Wales",
            "HMPPS in Wales"} <= welsh_owners
    assert not welsh_owners & {"ICB", "health and wellbeing board", "local authority public health"}
    english = recs[recs["nation"] == "England"]
    assert not set(english["owner"]) & {"local health board", "regional partnership board", "area planning board"}


def test_every_english_recommendation_has_a_welsh_counterpart(reference):
    recs = reference.recommendations
    for key in PRIORITY_KEYS:
        area = recs[recs["priority_area"] == key]
        assert (area["nation"] == "England").sum() <= (area["nation"] == "Wales").sum() + 1, key
        assert (area["nation"] == "Wales").any(), key


def test_pathways_say_their_nation_and_wales_has_its_own(reference):
    pathways = reference.pathways
    assert pathways["nation"].isin(["England", "Wales", "England and Wales"]).all()
    welsh = set(pathways.loc[pathways["nation"] == "Wales", "key"])
    assert {"SSWBA_ASSESSMENT", "POPULATION_NEEDS_ASSESSMENT", "PRISON_TREATMENT_CONTINUITY_WALES", "MHTR_WALES",
            "ATR_WALES", "DRR_WALES", "GP_REGISTRATION_WALES"} <= welsh
    both = pathways[pathways["nation"] == "England and Wales"]
    assert not both["who_commissions"].str.contains(r"\(England\)|\(Wales\)").any()  # one wording per nation
    english = pathways[pathways["nation"] == "England"]
    assert not english["who_commissions"].str.contains("Wales|local health board", case=False).any()


# --- the bibliography ------------------------------------------------------------------------

#: Journal articles whose authors could not be confirmed: no chapter cites them (their rows are held).
#: Listed so that the list can only shrink.
WITHOUT_AUTHOR = {"HITT2023", "NE_PRISONS2023"}


def test_the_committed_bibliography_is_the_one_built_from_the_sources_table():
    script = ROOT / "scripts" / "build_bibliography.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_reference_has_publication_fields_only(reference):
    import json

    items = json.loads(reference.bibliography.read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == list(reference.sources["source_key"])  # same keys, same order
    lacking = set()
    for item in items:
        key = item["id"]
        assert set(item) <= {"id", "type", "author", "title", "issued", "container-title", "publisher", "volume",
                             "issue", "page", "DOI", "URL"}, key
        assert item["type"] in ("article-journal", "report", "webpage", "document"), key
        issued = item.get("issued") or {}
        dated = reference.sources.set_index("source_key").at[key, "year"] != "date not known"
        assert bool(issued.get("date-parts")) == dated, key  # no date: the source is cited by no published row
        if "author" not in item:
            lacking.add(key)
        if "URL" in item:
            assert not mirror_address(item["URL"]), key
    assert lacking == WITHOUT_AUTHOR


def test_csl_items_are_made_from_the_table_as_written():
    from jsna_kit.publish.csl import csl_item

    person = csl_item({"source_key": "A2012", "entry_type": "article", "authors": "Brooker C; O'Moore E; et al",
                       "year": "2012", "title": "Probation and mental illness", "publisher_or_journal": "J Forensic",
                       "pages": "522-537", "public_url": "https://doi.org/x", "url_seen": "https://mirror.example"})
    assert person["author"] == [{"family": "Brooker", "given": "C."}, {"family": "O'Moore", "given": "E."},
                                {"literal": "others"}]  # "et al.": citeproc prints "Brooker et al."
    assert person["container-title"] == "J Forensic" and person["issued"] == {"date-parts": [[2012]]}
    assert person["URL"] == "https://doi.org/x" and person["page"] == "522-537"
    body = csl_item({"source_key": "B", "entry_type": "online", "authors": "Department of Health and Social Care",
                     "year": "date not known", "title": "Thousands 'have undetected problems'",
                     "publisher_or_journal": "DHSC"})
    assert body["author"] == [{"literal": "Department of Health and Social Care"}]  # never split at "and"
    assert "issued" not in body and body["publisher"] == "DHSC"
    assert body["title"] == "Thousands 'have undetected problems'" and "URL" not in body


# --- traceability to the research notes ------------------------------------------------------

def test_every_line_of_the_research_notes_is_represented(every_estimate, research_notes):
    estimates = every_estimate
    assert len(research_notes) == 81
    lines = set(estimates["brief_line"].dropna().astype(int))
    assert {int(r["line"]) for r in research_notes} == lines == set(range(2, 83))


@pytest.mark.parametrize("line, n_rows", [(42, 10), (60, 2), (61, 2), (62, 3), (70, 2), (71, 2), (78, 2),
                                          (82, 2)])
def test_cells_packing_several_figures_are_split_one_row_per_figure(every_estimate, line, n_rows):
    rows = every_estimate[every_estimate["brief_line"] == line]
    assert len(rows) == n_rows
    assert rows["value"].notna().all()


def test_plain_numeric_figures_carry_over_unchanged(every_estimate, research_notes):
    estimates = every_estimate
    checked = 0
    for note in research_notes:
        cell = note["prevalence_pct"].strip()
        if re.fullmatch(r"\d+(\.\d+)?", cell):
            ours = estimates[estimates["brief_line"] == int(note["line"])]
            assert (ours["value"] == float(cell)).sum() == 1, (note["line"], cell)
            checked += 1
    assert checked >= 45


def test_ranges_and_bounds_are_not_turned_into_point_values(every_estimate, research_notes):
    estimates = every_estimate
    by_line = {int(r["line"]): r["prevalence_pct"] for r in research_notes}
    for line in (51, 67, 68, 69):  # "7-10", "1-10 (...)", "5-10", "20-30"
        row = estimates[estimates["brief_line"] == line].iloc[0]
        low, high = map(float, re.match(r"(\d+)-(\d+)", by_line[line]).groups())
        assert pd.isna(row["value"]) and (row["range_low"], row["range_high"]) == (low, high)
    bound = estimates[estimates["brief_line"] == 31].iloc[0]  # ">50"
    assert pd.isna(bound["value"]) and bound["range_low"] == 50 and bound["value_approximate"]


def test_gap_lines_of_the_notes_stay_gaps(every_estimate, research_notes):
    estimates = every_estimate
    for note in research_notes:
        if "GAP" in note["quality_note"]:
            rows = estimates[estimates["brief_line"] == int(note["line"])]
            # a gap, or held back when the figure exists but was not read (a task, not an evidence gap)
            assert rows["status"].isin(["gap", "held"]).all() and rows["value"].isna().all(), note["line"]


# --- a broken file ---------------------------------------------------------------------------

@pytest.fixture()
def reference_copy(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(reference_dir(), target)
    return target


def corrupt(path: Path, key_column: str, key: str, column: str, value: str) -> int:
    """Set one cell and return the spreadsheet row it is on (header = 1)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    index = next(i for i, r in enumerate(rows) if r[header.index(key_column)] == key)
    rows[index][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return index + 1


@pytest.mark.parametrize("file, key_column, key, column, value, words", [
    ("national_estimates.csv", "estimate_id", "MH05", "grade", "E", "one of: A, B, C, D"),
    ("national_estimates.csv", "estimate_id", "SP17", "value", "132.4", "between 0 and 100"),
    ("national_estimates.csv", "estimate_id", "MH13", "value", "5.0", "interval"),
    ("national_estimates.csv", "estimate_id", "PD07", "value", "60", "interval"),
    ("national_estimates.csv", "estimate_id", "SP18", "numerator", "200", "larger than denominator"),
    ("national_estimates.csv", "estimate_id", "PD01", "source_keys", "BROOKER2021", "source key"),
    ("national_estimates.csv", "estimate_id", "SC05", "value", "12", "gap"),
    ("national_estimates.csv", "estimate_id", "LD01", "grade_reason", "", "must not be blank"),
    ("national_estimates.csv", "estimate_id", "PH05", "denominator", "40,727 people", "number"),
    ("recommendations.csv", "recommendation", None, "priority_area", "housing", "one of"),
    ("commissioning.csv", "organisation", "Welsh Government", "as_of", "June 2019", "ISO date"),
    ("commissioning.csv", "organisation", "Welsh Government", "nation", "", "one of"),
    ("recommendations.csv", "recommendation", None, "owner", "the council", "one of"),
    ("recommendations.csv", "recommendation", None, "priority", "high", "one of"),
    ("recommendations.csv", "recommendation", None, "measure", "", "must not be blank"),
    ("sources.csv", "source_key", "OMCCS2013", "public_url", "https://paperzz.com/doc/8622559", "publisher's own"),
    ("sources.csv", "source_key", "PLUCK2015", "year", "n.d.", "four-digit year"),
    ("caseload_national.csv", "measure", "court_orders", "source_key", "OMSQ", "source key"),
    # a published row may cite only a source with a date and authors (issue 29)
    ("national_estimates.csv", "estimate_id", "MH05", "source_keys", "BROOKER2012;CEP_LINCS", "no date or no authors"),
    ("national_estimates.csv", "estimate_id", "PH05", "source_keys", "HITT2023", "no date or no authors"),
    ("caseload_national.csv", "measure", "court_orders", "source_key", "STRATEGYUNIT2025", "no date or no authors"),
    ("pathways.csv", "key", "LIAISON_DIVERSION", "basis", "NHSE_LIAISON;NPS2019", "no date or no authors"),
    ("sources.csv", "source_key", "BROOKER2012", "year", "date not known", "no date or no authors"),
])
def test_a_corrupted_cell_is_reported_by_file_row_and_column(reference_copy, file, key_column, key, column,
                                                              value, words):
    path = reference_copy / file
    if key is None:  # first data row
        key = next(csv.DictReader(path.open(encoding="utf-8")))[key_column]
    row = corrupt(path, key_column, key, column, value)
    with pytest.raises(InputFileError) as err:
        load_reference(reference_copy)
    message = str(err.value)
    if file == "sources.csv" and words == "no date or no authors":  # reported where the source is cited
        assert "national_estimates.csv, row" in message and "column 'source_keys'" in message and words in message
        return
    assert f"{file}, row {row}, column '{column}'" in message
    assert words in message
    assert "Traceback" not in message and "pandera" not in message.lower()
    assert [p.row for p in err.value.problems] == [row]


def test_held_rows_stay_in_the_files_but_reach_no_chapter(reference):
    """A row resting on a source with no date or no authors is held: listed, never loaded for a
    build. Every published row cites only sources with a year and authors (issue 29)."""
    from jsna_kit.load.reference_rules import uncitable

    held = reference.held
    assert set(held.loc[held["file"] == "national_estimates.csv", "row"]) == {
        "MH06", "SM04", "SM07", "SM08", "SC02", "PH07", "PH08", "PH09", "PH10"}
    assert list(held.loc[held["file"] == "caseload_national.csv", "row"]) == ["total 2024-09"]
    assert not set(held["row"]) & set(reference.estimates["estimate_id"])
    assert "held" not in set(reference.estimates["status"]) | set(reference.caseload["status"])
    cited = {k.strip() for table, column in ((reference.estimates, "source_keys"), (reference.caseload, "source_key"),
                                             (reference.commissioning, "basis"), (reference.pathways, "basis"),
                                             (reference.recommendations, "basis"), (reference.policy, "source_keys"))
             for cell in table[column] for k in cell.split(";") if re.fullmatch(r"[A-Z][A-Z0-9_]*", k.strip())}
    assert cited and not cited & uncitable(reference.sources), cited & uncitable(reference.sources)
    dated = reference.sources.set_index("source_key")
    assert all(re.fullmatch(r"\d{4}", dated.at[k, "year"]) and dated.at[k, "authors"] for k in cited)


def test_a_held_row_loads_again_once_its_source_is_dated(reference_copy):
    corrupt(reference_copy / "national_estimates.csv", "estimate_id", "MH05", "status", "held")
    assert "MH05" not in set(load_reference(reference_copy).estimates["estimate_id"])
    corrupt(reference_copy / "sources.csv", "source_key", "CEP_LINCS", "year", "2013")
    corrupt(reference_copy / "national_estimates.csv", "estimate_id", "SM08", "status", "ok")
    script = ROOT / "scripts" / "build_bibliography.py"
    subprocess.run([sys.executable, str(script), "--reference-dir", str(reference_copy)], check=True,
                   capture_output=True)
    assert "SM08" in set(load_reference(reference_copy).estimates["estimate_id"])


def test_a_missing_column_is_named(reference_copy):
    path = reference_copy / "pathways.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["who_commissions"])
    frame.to_csv(path, index=False)
    with pytest.raises(InputFileError, match=r"pathways.csv, row 1, column 'who_commissions'"):
        load_reference(reference_copy)


def test_a_bibliography_entry_missing_for_a_source_is_reported(reference_copy):
    bib = reference_copy / "sources.json"
    bib.write_text(bib.read_text(encoding="utf-8").replace('"id": "CMO2025"', '"id": "CMO2052"'), encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        load_reference(reference_copy)
    message = str(err.value)
    assert "sources.csv" in message and "'CMO2025'" in message and "sources.json" in message
    assert "sources.json" in message and "'CMO2052'" in message and "no row in sources.csv" in message


def test_a_file_saved_from_excel_with_a_byte_order_mark_still_loads(reference_copy):
    path = reference_copy / "national_estimates.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_reference(reference_copy).estimates.columns[0] == "estimate_id"


def test_a_missing_file_is_reported_not_raised_from_pandas(reference_copy):
    (reference_copy / "commissioning.csv").unlink()
    with pytest.raises(InputFileError, match="commissioning.csv: the reference file is missing"):
        load_reference(reference_copy)


def test_unchecked_reading_gives_the_same_tables_and_leaves_checking_to_the_build(reference_copy):
    """A chapter notebook reads the reference data with validate=False (its build has just
    loaded and checked the same files): the same typed tables, and no checks run."""
    checked, unchecked = load_reference(reference_copy), load_reference(reference_copy, validate=False)
    for name in ("estimates", "sources", "caseload", "commissioning", "pathways", "recommendations"):
        pd.testing.assert_frame_equal(getattr(unchecked, name), getattr(checked, name))
    corrupt(reference_copy / "national_estimates.csv", "estimate_id", "MH05", "grade", "E")
    with pytest.raises(InputFileError):
        load_reference(reference_copy)
    assert "E" in set(load_reference(reference_copy, validate=False).estimates["grade"])
