"""The rules the project's reference data (``data/reference/``) must follow, one set per file, as
pandera schemas run lazily: allowed values, numbers, dates, source keys that the bibliography
knows, intervals that contain their value. Each check carries the message and the fix a user
reads; a failure becomes a ``Problem`` naming the file, the spreadsheet row and the column.
``load.reference`` reads the files and applies them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from jsna_kit.priorities import PRIORITY_KEYS

SETTING_TYPES = ("probation_caseload", "probation_co_starters", "probation_other", "criminal_justice_mixed",
                 "prison", "general_population")
COVERAGES = ("national", "regional", "single_site", "international")
SEXES = ("all", "male", "female")
MEASURE_KINDS = ("prevalence", "count", "rate", "relative_risk", "service_indicator", "age_profile",
                 "screen_accuracy")
MEASURE_SCOPES = ("overall", "specific")
#: The period a prevalence describes; only figures with the same time frame are set side by side.
TIME_FRAMES = ("current", "past_month", "past_year", "lifetime", "not_applicable")
UNITS = ("percent", "per_1000", "per_100000", "count", "ratio")
INSTRUMENT_TYPES = ("clinical_interview", "screening_tool", "administrative_record", "practitioner_record",
                    "self_report", "modelled", "literature_review", "derived")
#: ``held``: kept in the file for maintainers but never published: a source it rests on cannot be
#: cited in full (no date or no authors found), or a published figure has not been read yet (so it
#: is not a gap in the evidence); ``load_reference`` sets such rows aside.
STATUSES = ("ok", "verify", "gap", "derived", "held")
GRADES = ("A", "B", "C", "D")
NATIONS = ("England", "Wales", "England and Wales")
AUDIENCES = ("HWB", "ICB", "local authority", "probation delivery unit", "public health", "NHS England",
             "local health board", "police and crime commissioner", "HMPPS", "regional partnership board",
             "area planning board", "Public Health Wales", "HMPPS in Wales", "regional safeguarding board")
#: Who owns a recommendation, by role: England's bodies, Wales's bodies, and probation in both.
OWNERS = ("ICB", "local authority public health", "local authority adult social care", "health and wellbeing board",
          "safeguarding adults board", "NHS England", "probation delivery unit", "local health board",
          "regional partnership board", "area planning board", "Public Health Wales", "HMPPS in Wales",
          "local authority social services", "regional safeguarding board", "Welsh Government")
#: A recommendation's priority: 1-3 are the chapter's top three for a nation, each used once among
#: the rows that nation sees; 4 is every other recommendation.
PRIORITIES = ("1", "2", "3", "4")
ENTRY_TYPES = ("article", "report", "online", "misc")
#: A source's year: four digits, or one of these labels (printed in citations in place of a year).
#: A personal author as the sources table writes one: surname, then initials ("Brooker C", "O'Moore E").
AUTHOR_PERSON = re.compile(r"^(?P<surname>[A-Z][\w'’-]*(?: [a-z]+)*(?: [A-Z][\w'’-]*)?) (?P<initials>[A-Z]{1,3})$")
YEAR_LABELS = ("date not known",)  # the source is dated, but the date is not known here


def uncitable(sources: pd.DataFrame) -> set[str]:
    """The source keys no chapter may cite: the date is not known, or no author (people or an
    issuing body) is. A citation without them is not publication text ("n.d.", a title alone)."""
    lacking = sources["year"].isin(YEAR_LABELS) | (sources["authors"].str.strip() == "")
    return set(sources.loc[lacking, "source_key"])

#: Columns kept for maintainers only: where a figure was read, what was moved out of the reader's
#: text and what is left to check. ``load_reference`` never loads them, so no build shows them.
MAINTAINER_COLUMNS = ("maintainer_note",)
#: Columns a chapter, its bibliography or its downloads show to readers, by table.
READER_COLUMNS = {
    "estimates": ("measure", "finding_phrase", "setting", "value_text", "sample_size_note", "year",
                  "instrument", "grade_reason", "quality_note"),
    "sources": ("authors", "year", "title", "publisher_or_journal", "details", "public_url", "note"),
    "caseload": ("note",),
    "commissioning": ("organisation", "role", "as_of", "basis", "note"),
    "pathways": ("name", "what_it_is", "who_commissions", "basis"),
    "recommendations": ("recommendation", "strategy_objective", "owner", "measure", "basis"),
    "policy": ("topic", "statement"),
}
#: Words of the research notes that must not reach a reader (checked by tests/test_reference.py).
WORKING_NOTE_PHRASES = (r"not retrieved", r"\bverif(y|ied|ication)\b", r"to verify", r"added for this project",
                        r"row of the research notes", r"research notes", r"by position in the series",
                        r"\bn\.d\.", r"\bseen\b", r"\bsecondary\b", r"\.csv\b", r"\.md\b", r"\.bib\b",
                        r"\bretriev", r"\bcheck (it|both|the|against)\b", r"\btake it from\b", r"`",
                        r"\bjsna-kit\b", r"\brange_low\b", r"\bnumerator\b", r"\bdenominator\b",
                        r"\broles summary\b", r"placeholder")
#: Hosts of mirrors, aggregators, test catalogues and the like: never a publisher's own address.
MIRROR_HOSTS = ("paperzz", "docslib", "123dok", "studyres", "kipdf", "readkong", "scite.ai", "lexology", "vlex",
                "parallelparliament", "eldaddp", "metatoc", "nuokui", "azkurs", "production-like", "test-vufind",
                "cookie_consent", "russellwebster", "independent.co.uk", "emjreviews", "suarasakti",
                "theenglishchronicle", "dyscalculiaheadlines", "reliasacademy", "read-me.org", "krimdok",
                "drinkanddrugsnews", "basw.co.uk", "discovery.ucl", "pubmed", "ncbi.nlm.nih.gov", "ai-bt.com",
                "scienceopen", "informahealthcare", "github.com", "staging", "preview")
_IP_HOST = re.compile(r"^https?://\d+\.\d+\.\d+\.\d+")

ESTIMATE_NUMBERS = ("value", "range_low", "range_high", "numerator", "denominator", "ci_lower", "ci_upper",
                    "ci_level", "design_effect")
ESTIMATE_INTEGERS = ("year_end", "brief_line")
BOOLEAN_TEXT = {"true": True, "false": False}

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ACT = re.compile(r"\b(Act|Order|Regulations)\b.*\b\d{4}\b")
_AGE_BAND = re.compile(r"^(all|\d+\+|\d+-\d+)$")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# --- schema building -------------------------------------------------------------------------

class _Rules:
    """Checks for one file, each registered with the message and fix a user will read."""

    def __init__(self) -> None:
        self.columns: dict = {}  # name -> pandera Column
        self.frame_checks: list = []  # pandera Checks
        self.explain: dict[str, tuple[str | None, str, str]] = {}

    def column(self, name: str, *checks: tuple[Callable[[pd.Series], pd.Series], str, str],
               unique: bool = False, required: bool = True) -> None:
        built = []
        for i, (fn, message, fix) in enumerate(checks):
            check_name = f"{name}#{i}"
            self.explain[check_name] = (name, message, fix)
            built.append(_pandera().Check(fn, name=check_name))
        self.columns[name] = _pandera().Column(str, checks=built, unique=unique, required=required)

    def rows(self, name: str, column: str, fn: Callable[[pd.DataFrame], pd.Series], message: str,
             fix: str) -> None:
        self.explain[name] = (column, message, fix)
        self.frame_checks.append(_pandera().Check(fn, name=name))

    def schema(self):
        return _pandera().DataFrameSchema(self.columns, checks=self.frame_checks, strict=False)


def _pandera():
    # Imported when a file is validated: reading the project's reference data again in a chapter
    # notebook (validate=False) then needs no pandera, which costs 0.4 s to import.
    import pandera.pandas

    return pandera.pandas


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series("", index=frame.index, dtype=str)


def as_numbers(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(_col(frame, name).str.replace(",", ""), errors="coerce")


def _nonblank(s: pd.Series) -> pd.Series:
    return s != ""


def _one_of(values: tuple[str, ...], *, blank: bool = False):
    allowed = set(values) | ({""} if blank else set())
    message = f"must be one of: {', '.join(values)}" + (" (or blank)" if blank else "")
    return (lambda s: s.isin(allowed), message, f"use one of {', '.join(values)}")


def _number(*, integer: bool = False):
    def check(s: pd.Series) -> pd.Series:
        n = pd.to_numeric(s.str.replace(",", ""), errors="coerce")
        ok = (s == "") | n.notna()
        return ok & ((s == "") | (n % 1 == 0)) if integer else ok
    kind = "a whole number" if integer else "a number"
    return check, f"must be {kind} or blank", f"write {kind} with no text or units, or leave it blank"


def _boolean():
    return (lambda s: s.str.lower().isin(BOOLEAN_TEXT), "must be true or false", "write true or false")


REQUIRED = (_nonblank, "must not be blank", "fill it in")


def mirror_address(url: str) -> bool:
    """True for an address on a mirror, aggregator, test catalogue or IP-address host."""
    url = url.strip().lower()
    return bool(url) and (any(host in url for host in MIRROR_HOSTS) or bool(_IP_HOST.match(url)))


def _public_url():
    def check(s: pd.Series) -> pd.Series:
        return (s == "") | (s.str.match(r"^https?://\S+$") & ~s.map(mirror_address))
    return (check, "must be the publisher's own web address (http or https), not a mirror, aggregator or news copy",
            "give the publisher's address or a https://doi.org/ link, or leave it blank and say why in "
            "maintainer_note")


def _keys_known(known: set[str], *, legislation: bool = False):
    """Each ';'-separated item is a source key in sources.csv and sources.json (or, where allowed,
    the name of an Act such as 'Care Act 2014')."""
    def ok(item: str) -> bool:
        return item in known or (legislation and not _KEY.match(item) and bool(_ACT.search(item)))

    def check(s: pd.Series) -> pd.Series:
        items = s.str.split(";").map(lambda parts: [p.strip() for p in parts if p.strip()])
        return items.map(lambda parts: bool(parts) and all(ok(p) for p in parts))
    what = "a source key in both sources.csv and sources.json"
    what += " or the name of an Act" if legislation else ""
    return check, f"every ';'-separated item must be {what}", \
        "fix the key's spelling, or add the source to sources.csv and run scripts/build_bibliography.py"


def _cites_only_citable(r: _Rules, column: str, bare: set[str] | None, *, can_hold: bool) -> None:
    """No source a published row cites is in ``bare`` (no date or no authors: ``uncitable``); a row
    whose status is ``held`` is exempt, since no chapter shows it."""
    if not bare:
        return

    def check(d: pd.DataFrame) -> pd.Series:
        keys = _col(d, column).str.split(";").map(lambda parts: {p.strip() for p in parts})
        cites = keys.map(lambda ks: not ks & bare)
        return cites | (_col(d, "status") == "held") if can_hold else cites
    fix = "give the source its year and authors in sources.csv and run scripts/build_bibliography.py" + (
        ", or set status to held so that no chapter shows the row" if can_hold else ", or cite another source")
    r.rows("citable", column, check, "cites a source that has no date or no authors, so it cannot be printed in full",
           fix)


# --- the files -------------------------------------------------------------------------------

def estimate_rules(keys: set[str], bare: set[str] | None = None) -> _Rules:
    r = _Rules()
    _cites_only_citable(r, "source_keys", bare, can_hold=True)
    r.column("estimate_id", REQUIRED, unique=True)
    r.column("priority_area", _one_of(PRIORITY_KEYS))
    for name in ("measure", "setting", "grade_reason", "source_keys"):
        r.column(name, REQUIRED, *([_keys_known(keys)] if name == "source_keys" else []))
    r.column("setting_type", _one_of(SETTING_TYPES))
    r.column("coverage", _one_of(COVERAGES))
    r.column("sex", _one_of(SEXES))
    r.column("age_band", (lambda s: s.str.match(_AGE_BAND), "must be 'all' or a band like 18-24 or 50+",
                          "write all, 18-24 or 50+"))
    r.column("measure_kind", _one_of(MEASURE_KINDS))
    r.column("measure_scope", _one_of(MEASURE_SCOPES))
    r.column("time_frame", _one_of(TIME_FRAMES))
    r.column("unit", _one_of(UNITS))
    r.column("instrument_type", _one_of(INSTRUMENT_TYPES, blank=True))
    r.column("status", _one_of(STATUSES))
    r.column("grade", _one_of(GRADES))
    r.column("value_approximate", _boolean())
    for name in ESTIMATE_NUMBERS:
        r.column(name, _number())
    for name in ESTIMATE_INTEGERS:
        r.column(name, _number(integer=True))
    for name in ("value_text", "sample_size_note", "year", "instrument", "quality_note"):
        r.column(name)
    r.column("maintainer_note", required=False)

    percent = lambda d: _col(d, "unit") == "percent"  # noqa: E731
    for name in ("value", "range_low", "range_high", "ci_lower", "ci_upper"):
        r.rows(f"percent:{name}", name,
               lambda d, name=name: ~percent(d) | as_numbers(d, name).isna() | as_numbers(d, name).between(0, 100),
               "a percentage must be between 0 and 100", "check the figure and the unit")
    r.rows("interval", "value", lambda d: ~((as_numbers(d, "ci_lower") > as_numbers(d, "value"))
                                           | (as_numbers(d, "value") > as_numbers(d, "ci_upper"))
                                           | (as_numbers(d, "ci_lower") > as_numbers(d, "ci_upper"))),
           "the published interval (ci_lower to ci_upper) must contain the value",
           "check value, ci_lower and ci_upper against the source")
    r.rows("range", "range_low", lambda d: ~(as_numbers(d, "range_low") > as_numbers(d, "range_high")),
           "range_low is larger than range_high", "swap them or check the source")
    r.rows("design_effect", "design_effect", lambda d: ~(as_numbers(d, "design_effect") < 1),
           "a design effect is 1 or more (the variance relative to a simple random sample)",
           "leave it blank if the source does not publish one")
    r.rows("counts", "numerator", lambda d: ~(as_numbers(d, "numerator") > as_numbers(d, "denominator")),
           "numerator is larger than denominator", "check both counts against the source")
    gap = lambda d: _col(d, "status") == "gap"  # noqa: E731
    r.rows("gap_blank", "value", lambda d: ~gap(d) | as_numbers(d, "value").isna(),
           "a gap row (status gap) must have a blank value", "clear the value, or change the status")
    r.rows("needs_figure", "value", lambda d: gap(d) | (_col(d, "status") == "held") | as_numbers(d, "value").notna()
           | as_numbers(d, "range_low").notna() | as_numbers(d, "range_high").notna(),
           "the row has no value and no range, but its status is not gap",
           "give the figure, or set status to gap and say in quality_note what is missing")
    return r


def source_rules(bib: set[str]) -> _Rules:
    r = _Rules()
    r.column("source_key", REQUIRED, (lambda s: s.str.match(_KEY), "must be capitals, digits and _",
                                      "rename the key, e.g. BROOKER2012"),
             (lambda s: s.isin(bib), "has no entry in sources.json", "run python scripts/build_bibliography.py"),
             unique=True)
    r.column("title", REQUIRED)
    r.column("year", (lambda s: s.str.match(r"^\d{4}$") | s.isin(YEAR_LABELS),
                      f"must be a four-digit year or one of: {', '.join(YEAR_LABELS)}",
                      "write the year, e.g. 2019, or the label a citation should print"))
    r.column("secondary", _boolean())
    r.column("verify", _boolean())
    for name in ("authors", "publisher_or_journal", "details", "doi", "url_seen", "note"):
        r.column(name)
    r.column("entry_type", _one_of(ENTRY_TYPES, blank=True), required=False)
    for name in ("volume", "issue", "pages", "maintainer_note"):
        r.column(name, required=False)
    r.column("public_url", _public_url(), required=False)
    return r


def _date_ok(text: str, *, interval: bool) -> bool:
    parts = text.split("/") if interval and "/" in text else [text]
    return len(parts) <= 2 and all(_ISO_DATE.match(p) and _real_date(p) for p in parts)


def _real_date(text: str) -> bool:
    full = text + "-01" * (2 - text.count("-"))
    return not pd.isna(pd.to_datetime(full, format="%Y-%m-%d", errors="coerce"))


def _iso(*, interval: bool, blank: bool = False):
    return (lambda s: s.map(lambda v: (blank and v == "") or _date_ok(v, interval=interval)),
            "must be an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)" + (" or an interval a/b" if interval else "")
            + (" or blank" if blank else ""),
            "write the date as e.g. 2025-06-30" + (", or leave it blank when no true date is known" if blank else ""))


def caseload_rules(keys: set[str], bare: set[str] | None = None) -> _Rules:
    r = _Rules()
    _cites_only_citable(r, "source_key", bare, can_hold=True)
    r.column("measure", REQUIRED)
    r.column("date", _iso(interval=True))
    r.column("value", _number())
    r.column("status", _one_of(STATUSES))
    r.column("source_key", _keys_known(keys))
    r.column("note")
    r.column("maintainer_note", required=False)
    r.rows("gap_blank", "value", lambda d: (_col(d, "status") == "gap") == as_numbers(d, "value").isna(),
           "value must be blank exactly when status is gap", "clear the value for a gap, or give one")
    return r


def commissioning_rules(keys: set[str], bare: set[str] | None = None) -> _Rules:
    r = _Rules()
    _cites_only_citable(r, "basis", bare, can_hold=False)
    r.column("priority_area", _one_of((*PRIORITY_KEYS, "all")))
    r.column("organisation", REQUIRED)
    r.column("role", REQUIRED)
    r.column("nation", _one_of(NATIONS))
    # When the body took on the role; blank when no true date is known (a chapter then omits it).
    r.column("as_of", _iso(interval=False, blank=True))
    r.column("basis", _keys_known(keys, legislation=True))
    r.column("note")
    r.column("maintainer_note", required=False)
    return r


def pathway_rules(keys: set[str], bare: set[str] | None = None) -> _Rules:
    r = _Rules()
    _cites_only_citable(r, "basis", bare, can_hold=False)
    r.column("key", REQUIRED, (lambda s: s.str.match(_KEY), "must be capitals, digits and _",
                               "rename it, e.g. MHTR"), unique=True)
    for name in ("name", "what_it_is", "who_commissions"):
        r.column(name, REQUIRED)
    r.column("priority_areas", (lambda s: s.str.split(";").map(
        lambda ks: all(k.strip() in PRIORITY_KEYS for k in ks)),
        f"every ';'-separated item must be one of: {', '.join(PRIORITY_KEYS)}", "fix the priority area key"))
    r.column("nation", _one_of(NATIONS))
    r.column("basis", _keys_known(keys, legislation=True))
    r.column("maintainer_note", required=False)
    return r


def policy_rules(keys: set[str], bare: set[str] | None = None) -> _Rules:
    """``policy.csv``: the national policy a chapter describes, one statement a row, each with its
    sources and the date it was last checked against them."""
    r = _Rules()
    _cites_only_citable(r, "source_keys", bare, can_hold=False)
    r.column("statement_id", REQUIRED, unique=True)
    r.column("nation", _one_of(NATIONS))
    r.column("topic", REQUIRED)
    r.column("statement", REQUIRED)
    r.column("source_keys", _keys_known(keys))
    r.column("checked_on", (lambda s: s.str.fullmatch(r"\d{4}-\d{2}-\d{2}"),
                            "must be the day it was checked (YYYY-MM-DD)",
                            "write the date the statement was last checked against its sources, e.g. 2026-12-07"))
    return r


def recommendation_rules(keys: set[str], bare: set[str] | None = None) -> _Rules:
    r = _Rules()
    _cites_only_citable(r, "basis", bare, can_hold=False)
    r.column("priority_area", _one_of(PRIORITY_KEYS))
    r.column("audience", _one_of(AUDIENCES))
    r.column("recommendation", REQUIRED)
    r.column("strategy_objective", REQUIRED)
    r.column("basis", _keys_known(keys, legislation=True))
    r.column("nation", _one_of(NATIONS))
    r.column("owner", _one_of(OWNERS))
    r.column("measure", REQUIRED)
    r.column("priority", _one_of(PRIORITIES))
    r.column("maintainer_note", required=False)
    return r
