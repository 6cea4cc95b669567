"""A scenario comparison in words and one chart: which priority areas moved, by how much across the
areas, and how many by more than their uncertainty (``model.compare``'s table)."""

from __future__ import annotations

import pandas as pd

from jsna_kit.priorities import PRIORITY_AREAS

TITLES = {p.key: p.title for p in PRIORITY_AREAS}


def _pct(value: float) -> str:
    return "n/a" if pd.isna(value) else f"{value:+.1f}%"


def by_priority_area(compared: pd.DataFrame) -> pd.DataFrame:
    """Per priority area: areas compared, moved, beyond the uncertainty, the median and the range
    of the change (%), and the headline figures before and after."""
    rows = []
    for key in [k for k in TITLES if k in set(compared["priority_area"])]:
        part = compared[(compared["priority_area"] == key) & compared["status"].isin(
            ["same", "moved", "headline changed"])]
        heads = sorted({f"{a} -> {b}" if a != b else str(a) for a, b in zip(part["estimate_id_a"],
                                                                              part["estimate_id_b"], strict=True)})
        rows.append({"priority area": TITLES[key], "areas": len(part),
                     "moved": int((part["status"] != "same").sum()),
                     "beyond the uncertainty": int(part["beyond_uncertainty"].sum()),
                     "median change": _pct(part["change_pct"].median()),
                     "range of change": f"{_pct(part['change_pct'].min())} to {_pct(part['change_pct'].max())}"
                     if part["change_pct"].notna().any() else "n/a",
                     "headline figure": "; ".join(heads)})
    return pd.DataFrame(rows)


def _table(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |"
              for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def chart_description(compared: pd.DataFrame) -> str:
    summary = by_priority_area(compared)
    parts = [f"{r['priority area']}: median {r['median change']} ({r['range of change']})"
             for _, r in summary.iterrows()]
    return ("Dot chart of the change in each area's headline estimate, in per cent of the baseline, by priority "
            "area. " + "; ".join(parts) + ".")


def comparison_markdown(compared: pd.DataFrame, *, label_a: str, label_b: str, only_a: list[str],
                        only_b: list[str], versions: tuple[set[str], set[str]], chart: str | None) -> str:
    """The summary page: what was compared, what moved and by how much, and the largest moves."""
    kept = compared[compared["status"].isin(["same", "moved", "headline changed"])]
    moved = kept[kept["status"] != "same"]
    lines = ["# Scenario comparison", "", f"- Baseline (a): {label_a}", f"- Scenario (b): {label_b}",
             f"- {kept['area_code'].nunique()} areas in both, {len(kept)} area and priority-area headline "
             "estimates compared.", ""]
    if only_a or only_b:
        lines += ["The two tables cover different areas: "
                  + "; ".join(x for x in (f"only in a: {', '.join(only_a)}" if only_a else "",
                                          f"only in b: {', '.join(only_b)}" if only_b else "") if x)
                  + ". Those areas are left out of the comparison.", ""]
    if versions[0] and versions[1] and versions[0] != versions[1]:
        lines += [f"The tables were made by different versions of jsna-kit (a: {', '.join(sorted(versions[0]))}; "
                  f"b: {', '.join(sorted(versions[1]))}): a change may come from the code as well as the inputs.", ""]
    lines += [f"{len(moved)} of {len(kept)} estimates moved; {int(kept['beyond_uncertainty'].sum())} by more than "
              "their uncertainty (the new estimate lies outside the old one's 95% range, or the old outside the "
              "new one's).", ""]
    changed = kept[kept["status"] == "headline changed"]
    if not changed.empty:
        lines += [f"A different national figure heads {changed['priority_area'].map(TITLES).nunique()} priority "
                  "area(s) in the scenario.", ""]
    lines += ["## By priority area", "", _table(by_priority_area(compared)), ""]
    if chart:
        lines += [f"![{chart_description(compared)}]({chart})", ""]
    if not moved.empty:
        top = moved.reindex(moved["change"].abs().sort_values(ascending=False).index).head(10)
        table = pd.DataFrame({"area": top["area_name"], "priority area": top["priority_area"].map(TITLES),
                              "a": top["expected_a"].map("{:,.0f}".format),
                              "b": top["expected_b"].map("{:,.0f}".format),
                              "change": top["change_pct"].map(_pct),
                              "beyond the uncertainty": top["beyond_uncertainty"].map({True: "yes", False: "no"})})
        lines += ["## Largest moves", "", _table(table), ""]
    return "\n".join(lines)


def comparison_chart(compared: pd.DataFrame, path) -> None:
    """Each area's change (%) by priority area, as dots; those beyond the uncertainty filled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kept = compared[compared["status"].isin(["same", "moved", "headline changed"]) & compared["change_pct"].notna()]
    keys = [k for k in TITLES if k in set(kept["priority_area"])]
    fig, ax = plt.subplots(figsize=(8, 0.6 * max(len(keys), 1) + 1.2))
    for y, key in enumerate(keys):
        part = kept[kept["priority_area"] == key]
        beyond = part["beyond_uncertainty"].astype(bool)
        ax.scatter(part.loc[~beyond, "change_pct"], [y] * int((~beyond).sum()), facecolors="none",
                   edgecolors="#0072B2", s=18, label="within the uncertainty" if y == 0 else None)
        ax.scatter(part.loc[beyond, "change_pct"], [y] * int(beyond.sum()), color="#0072B2", s=18,
                   label="beyond the uncertainty" if y == 0 else None)
    ax.axvline(0, color="#505a5f", linewidth=1)
    ax.set_yticks(range(len(keys)), [TITLES[k] for k in keys])
    ax.invert_yaxis()
    ax.set_xlabel("Change in the headline estimate (% of the baseline)")
    ax.set_title("Change in each area's headline estimate, by priority area", fontsize=10, loc="left")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)
