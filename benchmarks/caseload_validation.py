"""How far is each caseload model from the real local figures that have been published?

    .venv/bin/python benchmarks/caseload_validation.py [--validation FILE]

Reads ``data/reference/caseload_validation.csv`` (``load.caseload_validation``, checked against
its schema: every figure has its source and date), models every area with each candidate
(``model.caseload_models``, all 175 at once, national pool) and compares each figure with the
model's figure for the same geography, mapped honestly:

- ``whole`` coverage (a council, a PDU or a probation region exactly made of the areas it lists):
  the sum of the model's figures for those areas. A figure is compared in level when the national
  caseload of its date is known (``caseload_national.csv``, the nearest total within three years): the model's share of
  adults x weight times that total. Older figures (the national total of their date not known) are
  compared only relative to the other figures of the same source and date: the ratio of each to
  the first, against the model's ratio (the national total then cancels);
- ``part`` coverage (a constituency inside a county): not comparable without the part's own
  population, so excluded from the error and listed with the whole area's modelled figure, which
  must be larger;
- relative comparisons group figures of the same date and the same ``includes_custody`` flag, so
  a count of community cases is never set against a count of custody (pre-release) cases.

Prints, for each model: n, the median absolute log error (level and relative), how often the real
figure lies inside the model's band, and the chosen model; and says plainly when there are fewer
than ``MIN_FIGURES_TO_FIT`` figures to judge by.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jsna_kit.batch.inputs import all_modelled_caseloads  # noqa: E402
from jsna_kit.load.areas import load_areas  # noqa: E402
from jsna_kit.load.caseload_validation import read_caseload_validation  # noqa: E402
from jsna_kit.load.reference import load_reference  # noqa: E402
from jsna_kit.model.caseload_models import HEADLINE_MODEL, MIN_FIGURES_TO_FIT, MODELS  # noqa: E402

#: How far from a figure's date the national total used to scale the model may be. The national
#: caseload moved little after unification (239,015 at 31 March 2024, under 0.5% below a year
#: earlier; 244,209 at 30 June 2025), so a total within three years changes a modelled figure by a
#: few per cent at most, far less than the models' own errors; older figures are compared only
#: relative to each other.
NEAR_DAYS = 3 * 366


def national_total_on(national: pd.DataFrame, date: str) -> float | None:
    totals = national[(national["measure"] == "total") & national["value"].notna()].copy()
    totals = totals[totals["date"].astype(str).str.match(r"^\d{4}-\d{2}-\d{2}$")]
    days = (pd.to_datetime(totals["date"]) - pd.Timestamp(date)).abs().dt.days
    if days.empty or days.min() > NEAR_DAYS:
        return None
    return float(totals.loc[days.idxmin(), "value"])


def comparisons(figures: pd.DataFrame, modelled: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """One row per figure and model: the real value, the model's value for the same geography (on
    the figure's date), its band, and how it was compared (level, relative, part)."""
    by_area = modelled.set_index("area_code")
    pool = float(by_area["caseload_alt_population"].sum())
    rows = []
    for fig in figures.itertuples(index=False):
        codes = [c for c in fig.area_codes if c in by_area.index]
        total = national_total_on(national, fig.date)
        kind = "part" if fig.coverage == "part" else "level" if total is not None else "relative"
        scale = (total / pool) if total is not None else 1.0
        for model in MODELS:
            value = float(by_area.loc[codes, f"caseload_alt_{model}"].sum()) * scale
            lower = float(by_area.loc[codes, "caseload_lower"].sum()) * scale
            upper = float(by_area.loc[codes, "caseload_upper"].sum()) * scale
            rows.append({"validation_id": fig.validation_id, "geography": fig.geography_name, "date": fig.date,
                         "custody": fig.includes_custody, "kind": kind, "model": model, "real": fig.value,
                         "modelled": value, "lower": lower, "upper": upper})
    return pd.DataFrame(rows)


def relative_errors(table: pd.DataFrame) -> pd.DataFrame:
    """Figures of the same date and custody flag, each against the first of its group: log of the
    real ratio against the model's. A group of one says nothing and is dropped."""
    out = []
    for (_, _, model), group in table[table["kind"] == "relative"].groupby(["date", "custody", "model"]):
        if group["geography"].nunique() < 2:
            continue
        first = group.iloc[0]
        for row in group.iloc[1:].itertuples(index=False):
            real, modelled = row.real / first.real, row.modelled / first.modelled
            out.append({"validation_id": f"{row.validation_id}/{first.validation_id}", "model": model,
                        "log_error": np.log(modelled / real),
                        "inside": row.lower / first.upper <= real <= row.upper / first.lower})
    return pd.DataFrame(out, columns=["validation_id", "model", "log_error", "inside"])


def summary(table: pd.DataFrame) -> pd.DataFrame:
    level = table[table["kind"] == "level"].assign(
        log_error=lambda t: np.log(t["modelled"] / t["real"]),
        inside=lambda t: (t["lower"] <= t["real"]) & (t["real"] <= t["upper"]))
    relative = relative_errors(table)
    rows = []
    for model in MODELS:
        lv, rl = level[level["model"] == model], relative[relative["model"] == model]
        rows.append({"model": model, "n_level": len(lv),
                     "male_level": float(np.median(np.abs(lv["log_error"]))) if len(lv) else np.nan,
                     "inside_level": float(lv["inside"].mean()) if len(lv) else np.nan, "n_relative": len(rl),
                     "male_relative": float(np.median(np.abs(rl["log_error"]))) if len(rl) else np.nan,
                     "inside_relative": float(rl["inside"].mean()) if len(rl) else np.nan})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validation", type=Path, default=None, help="a validation table (default: the built-in one)")
    args = parser.parse_args(argv)
    areas = load_areas(None)
    reference = load_reference()
    figures = read_caseload_validation(args.validation, known_areas=areas["area_code"])
    modelled = all_modelled_caseloads(areas, reference.caseload, None).table
    table = comparisons(figures, modelled, reference.caseload)
    result = summary(table)
    print(f"{len(figures)} real figures read ({', '.join(sorted(figures['validation_id']))}); "
          f"{(table[table['model'] == MODELS[0]]['kind'] == 'part').sum()} cover part of an area and are left out "
          "of the error:")
    for row in table[(table["kind"] == "part") & (table["model"] == HEADLINE_MODEL)].itertuples(index=False):
        print(f"  {row.validation_id} {row.geography} {row.date}: {row.real:,.0f} real, inside an area whose "
              f"modelled caseload ({HEADLINE_MODEL}) is {row.modelled:,.0f}"
              + (" (consistent: larger)" if row.modelled > row.real else " (INCONSISTENT: smaller)"))
    compared = table[table["kind"] != "part"].pivot_table(index=["validation_id", "geography", "date", "kind", "real"],
                                                          columns="model", values="modelled", sort=True)
    print("\nEach figure against each model (the models scaled to the national total nearest its date; 'relative' "
          "figures are compared as ratios within their source and date):")
    print(compared.reset_index().round(0).to_string(index=False))
    print()
    shown = result.copy()
    for column in ("male_level", "male_relative"):
        shown[column] = shown[column].map(lambda v: "-" if pd.isna(v) else f"{v:.3f} (x{np.exp(v):.2f})")
    for column in ("inside_level", "inside_relative"):
        shown[column] = shown[column].map(lambda v: "-" if pd.isna(v) else f"{v:.0%}")
    print(shown.rename(columns={"male_level": "median |log error|, level", "inside_level": "inside band",
                                "male_relative": "median |log error|, relative",
                                "inside_relative": "inside band (rel.)"}).to_string(index=False))
    n = int(result["n_level"].max() + result["n_relative"].max())
    print()
    if n < MIN_FIGURES_TO_FIT:
        print(f"Fewer than {MIN_FIGURES_TO_FIT} comparable real figures ({n}): too few to fit the exponents or to "
              "measure the band's error. The band is the envelope of every candidate model, widened by the models' "
              "typical disagreement.")
    scored = result.assign(score=result["male_level"].fillna(result["male_relative"]))
    best = scored.loc[scored["score"].idxmin(), "model"] if scored["score"].notna().any() else None
    print(f"Lowest error on these figures: {best}. Headline model: {HEADLINE_MODEL} "
          f"(margin of the band: x/÷{modelled['caseload_margin'].iloc[0]:.2f}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
