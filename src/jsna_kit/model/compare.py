"""Two runs of the estimates side by side (a scenario against a baseline): for every area and
priority area, the headline estimate before and after, the change, and whether the change is
larger than the uncertainty: the new estimate lies outside the old one's 95% range, or the old
outside the new one's. Pure and vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["area_code", "priority_area"]
COMPARE_COLUMNS = ("area_code", "area_name", "priority_area", "status", "estimate_id_a", "estimate_id_b",
                   "expected_a", "expected_lower_a", "expected_upper_a", "expected_b", "expected_lower_b",
                   "expected_upper_b", "change", "change_pct", "beyond_uncertainty")


def _heads(table: pd.DataFrame) -> pd.DataFrame:
    """One row per area and priority area: its headline (or, with none, its proxy) estimate."""
    rows = table[table["role"].isin(["headline", "proxy"])].copy()
    rows["_order"] = rows["role"].map({"headline": 0, "proxy": 1})
    rows = rows.sort_values([*KEYS, "_order"]).drop_duplicates(KEYS)
    return rows[[*KEYS, "area_name", "estimate_id", "expected", "expected_lower", "expected_upper"]]


def compare_estimates(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Headline estimates of table ``a`` (the baseline) against ``b`` (the scenario).

    ``status``: ``same`` (no change), ``moved`` (a different number from the same national figure),
    ``headline changed`` (a different national figure heads the priority area), ``only in a`` /
    ``only in b``. ``change`` is b - a; ``change_pct`` the change as a percentage of a;
    ``beyond_uncertainty`` is true when either estimate lies outside the other's 95% range (a
    change within both ranges is within the uncertainty the estimates already carry)."""
    left, right = _heads(a), _heads(b)
    both = left.merge(right, on=KEYS, how="outer", suffixes=("_a", "_b"), indicator=True)
    both["area_name"] = both["area_name_b"].fillna(both["area_name_a"])
    both = both.rename(columns={f"expected_{e}_{s}": f"expected_{e}_{s}" for e in ("lower", "upper")
                                for s in ("a", "b")})
    change = both["expected_b"] - both["expected_a"]
    both["change"] = change
    with np.errstate(divide="ignore", invalid="ignore"):
        both["change_pct"] = np.where(both["expected_a"] > 0, 100 * change / both["expected_a"], np.nan)
    outside_a = (both["expected_b"] < both["expected_lower_a"]) | (both["expected_b"] > both["expected_upper_a"])
    outside_b = (both["expected_a"] < both["expected_lower_b"]) | (both["expected_a"] > both["expected_upper_b"])
    both["beyond_uncertainty"] = (outside_a | outside_b) & (both["_merge"] == "both")
    status = np.select(
        [both["_merge"] == "left_only", both["_merge"] == "right_only",
         both["estimate_id_a"] != both["estimate_id_b"], change.abs() > 0],
        ["only in a", "only in b", "headline changed", "moved"], default="same")
    both["status"] = status
    out = both[list(COMPARE_COLUMNS)].sort_values(KEYS).reset_index(drop=True)
    return out


def area_differences(a: pd.DataFrame, b: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Area codes only in ``a``, and only in ``b``."""
    left, right = set(a["area_code"]), set(b["area_code"])
    return sorted(left - right), sorted(right - left)


#: The national figure's own columns: a change in any of them is a change to the reference row.
EVIDENCE_COLUMNS = ("prevalence_pct", "prevalence_lower_pct", "prevalence_upper_pct", "value", "ci_lower",
                    "ci_upper", "denominator", "status", "source_keys", "measure")


def changed_reference_rows(a: pd.DataFrame, b: pd.DataFrame, evidence_a: pd.DataFrame | None = None,
                           evidence_b: pd.DataFrame | None = None) -> tuple[list[str], list[str]]:
    """The national (reference) rows that differ between two runs, by ``estimate_id``: those that
    feed an estimate in either run (their national figure differs in the estimates tables, or they
    differ in the evidence and an estimate uses them), and those that feed none (they differ in the
    runs' evidence only: a comparator, a context row, a gap). Without the evidence (estimate files,
    not output folders), only the first can be seen."""
    def national(table: pd.DataFrame) -> pd.DataFrame:
        columns = [c for c in EVIDENCE_COLUMNS if c in table.columns]
        return table.drop_duplicates("estimate_id").set_index("estimate_id")[columns]

    def differing(x: pd.DataFrame, y: pd.DataFrame) -> set[str]:
        columns = [c for c in x.columns if c in y.columns]
        ids = set(x.index) ^ set(y.index)
        common = sorted(set(x.index) & set(y.index))
        left = x.loc[common, columns].astype(str).replace({"nan": "", "<NA>": "", "None": ""})
        right = y.loc[common, columns].astype(str).replace({"nan": "", "<NA>": "", "None": ""})
        return ids | set(left.index[(left != right).any(axis=1)])

    used = set(a["estimate_id"].dropna()) | set(b["estimate_id"].dropna())
    changed = differing(national(a), national(b))
    if evidence_a is not None and evidence_b is not None:
        changed |= differing(national(evidence_a), national(evidence_b))
    return sorted(changed & used), sorted(changed - used)
