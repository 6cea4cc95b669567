"""Figures for a chapter. Each function draws from a tidy table, writes one PNG and returns the
alt text it generated from the same data, so the description always matches the picture.

One colour-blind-safe palette throughout (Okabe and Ito 2008)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .numbers import count, is_missing  # noqa: E402

OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
ROLE_COLOURS = {"headline": OKABE_ITO["blue"], "alternative": OKABE_ITO["orange"],
                "proxy": OKABE_ITO["purple"]}
ROLE_LABELS = {"headline": "headline", "alternative": "alternative source",
               "proxy": "illustration from another setting"}


def _label(row: pd.Series, width: int = 44) -> str:
    """Measure on up to two lines, then source and grade; the full text is in the alt text."""
    lines = textwrap.wrap(str(row["measure"]), width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines + [f"{row['source_label']}, grade {row['grade']}"])


def estimate_range_chart(rows: pd.DataFrame, path: Path, *, area_name: str, topic: str) -> str:
    """Dot-and-whisker chart of the expected number of people on the local caseload with a need,
    one line per national source (headline first). ``rows`` needs measure, source_label, grade,
    role, expected, expected_lower, expected_upper. Returns the alt text."""
    rows = rows.reset_index(drop=True)
    height = 1.2 + 0.75 * len(rows)
    fig, ax = plt.subplots(figsize=(8, height), dpi=150)
    y = list(range(len(rows)))[::-1]
    for yi, (_, row) in zip(y, rows.iterrows(), strict=True):
        colour = ROLE_COLOURS.get(row["role"], OKABE_ITO["black"])
        if not (is_missing(row["expected_lower"]) or is_missing(row["expected_upper"])):
            ax.hlines(yi, row["expected_lower"], row["expected_upper"], color=colour, linewidth=2.5)
        marker = "o" if row["role"] == "headline" else ("D" if row["role"] == "proxy" else "s")
        ax.plot(row["expected"], yi, marker=marker, color=colour, markersize=8, linestyle="none")
    ax.set_yticks(y)
    ax.set_yticklabels([_label(r) for _, r in rows.iterrows()], fontsize=8)
    ax.set_xlabel(f"Estimated number of people on probation in {area_name}")
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#dddddd")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [plt.Line2D([], [], color=ROLE_COLOURS[r], marker=m, linestyle="-", label=ROLE_LABELS[r])
               for r, m in (("headline", "o"), ("alternative", "s"), ("proxy", "D"))
               if (rows["role"] == r).any()]
    ax.legend(handles=handles, fontsize=8, loc="lower right", frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return range_chart_alt(rows, area_name=area_name, topic=topic)


def range_chart_alt(rows: pd.DataFrame, *, area_name: str, topic: str) -> str:
    parts = []
    for _, row in rows.iterrows():
        bounds = ("" if is_missing(row["expected_lower"]) else
                  f" (95% interval {count(row['expected_lower'])} to {count(row['expected_upper'])})")
        parts.append(f"{ROLE_LABELS.get(row['role'], row['role'])}: {row['measure']}, "
                     f"{row['source_label']}, about {count(row['expected'])}{bounds}")
    return (f"Chart of estimated numbers of people on probation in {area_name} with {topic} needs, "
            f"by national source. " + "; ".join(parts) + ".")


BENCHMARK_COLOURS = {"better": OKABE_ITO["blue"], "worse": OKABE_ITO["vermillion"], "similar": "#7f7f7f",
                     "higher": OKABE_ITO["purple"], "lower": OKABE_ITO["purple"],
                     "not_compared": OKABE_ITO["black"]}
BENCHMARK_WORDS = {"better": "better than England", "worse": "worse than England",
                   "similar": "similar to England", "higher": "higher than England",
                   "lower": "lower than England", "not_compared": "not compared"}


def relative_to_england_chart(rows: pd.DataFrame, path: Path, *, area_name: str, topic: str) -> str:
    """Each local indicator as a ratio to England's value (England = 1) with its 95% interval, so
    indicators in different units share one axis; colour and marker shape give the Fingertips
    comparison, so the chart does not rely on colour alone. Returns the alt text."""
    rows = rows[rows["relative_to_england"].notna()].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * len(rows)), dpi=150)
    markers = {"better": "^", "worse": "v", "similar": "o", "higher": ">", "lower": "<", "not_compared": "x"}
    y = list(range(len(rows)))[::-1]
    for yi, (_, row) in zip(y, rows.iterrows(), strict=True):
        label = str(row["benchmark_england_95"])
        colour = BENCHMARK_COLOURS.get(label, OKABE_ITO["black"])
        if not (is_missing(row["relative_lower"]) or is_missing(row["relative_upper"])):
            ax.hlines(yi, row["relative_lower"], row["relative_upper"], color=colour, linewidth=2.5)
        ax.plot(row["relative_to_england"], yi, marker=markers.get(label, "o"), color=colour, markersize=8,
                linestyle="none")
    ax.axvline(1, color="#333333", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels(["\n".join(textwrap.wrap(str(r["indicator_name"]), 46)[:2]) for _, r in rows.iterrows()],
                       fontsize=8)
    ax.set_xlabel(f"{area_name} relative to England (England = 1), with 95% interval")
    ax.grid(axis="x", color="#dddddd")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [plt.Line2D([], [], color=BENCHMARK_COLOURS[k], marker=markers[k], linestyle="none",
                          label=BENCHMARK_WORDS[k]) for k in markers if (rows["benchmark_england_95"] == k).any()]
    ax.legend(handles=handles, fontsize=8, loc="best", frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    parts = [f"{r['indicator_name']}: {r['relative_to_england']:.2f} times England, "
             f"{BENCHMARK_WORDS.get(str(r['benchmark_england_95']), 'not compared')}" for _, r in rows.iterrows()]
    return (f"Chart of local indicators for {topic} in {area_name} relative to England. " + "; ".join(parts) + ".")
