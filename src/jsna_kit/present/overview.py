"""The national overview page: a choropleth of estimated need across all areas and a sortable
index linking every chapter. Built from the same estimates table as the chapters."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..priorities import PRIORITY_TITLES  # noqa: E402
from .markdown import MarkdownBlock, escape_text, figure, table  # noqa: E402
from .numbers import count, is_missing  # noqa: E402

BRITISH_NATIONAL_GRID = "EPSG:27700"
MAP_PRIORITY = "mental_health"

# Click-to-sort for the index table, plain JavaScript with no external files; ignored by Word and
# PDF. Sorts numbers numerically (thousands separators removed) and text alphabetically.
SORT_SCRIPT = """```{=html}
<script>
document.querySelectorAll("#area-index table").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.setAttribute("tabindex", "0");
    th.setAttribute("aria-sort", "none");
    th.title = "Sort by this column";
    function sort() {
      var body = table.tBodies[0], rows = Array.from(body.rows);
      var asc = th.getAttribute("aria-sort") !== "ascending";
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        var nx = parseFloat(x.replace(/,/g, "")), ny = parseFloat(y.replace(/,/g, ""));
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      table.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
    });
  });
});
</script>
```"""


def headline_wide(estimates: pd.DataFrame) -> pd.DataFrame:
    """One row per area: caseload and the headline expected number for each priority area."""
    head = estimates[estimates["role"] == "headline"]
    wide = head.pivot_table(index="area_code", columns="priority_area", values="expected", aggfunc="first")
    first = estimates.drop_duplicates("area_code").set_index("area_code")
    wide.insert(0, "caseload_kind", first["caseload_kind"])
    wide.insert(0, "caseload", first["caseload"])
    wide.insert(0, "area_name", first["area_name"])
    return wide.reset_index()


def choropleth(boundaries, wide: pd.DataFrame, path: Path, *, priority: str = MAP_PRIORITY) -> str:
    """Areas shaded by the estimated number of people on probation with the priority area's
    headline need (cividis: ordered and colour-blind safe). Returns the alt text."""
    shapes = boundaries.to_crs(BRITISH_NATIONAL_GRID).merge(wide[["area_code", priority]], on="area_code",
                                                            how="left")
    fig, ax = plt.subplots(figsize=(7, 8), dpi=130)
    shapes.plot(ax=ax, column=priority, cmap="cividis", edgecolor="white", linewidth=0.2, legend=True,
                legend_kwds={"label": "Estimated number of people", "shrink": 0.6},
                missing_kwds={"color": "#dddddd", "label": "no estimate"})
    ax.set_axis_off()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    ranked = wide.dropna(subset=[priority]).sort_values(priority, ascending=False)
    top = "; ".join(f"{r.area_name} {count(getattr(r, priority))}" for r in ranked.head(5).itertuples())
    low = "; ".join(f"{r.area_name} {count(getattr(r, priority))}" for r in ranked.tail(3).itertuples())
    missing = int(wide[priority].isna().sum())
    return (f"Map of England and Wales shading {len(ranked)} local authority areas by the estimated number of "
            f"people on probation with {PRIORITY_TITLES[priority].lower()} needs. Highest: {top}. Lowest: {low}."
            + (f" {missing} areas have no estimate." if missing else ""))


def overview_markdown(wide: pd.DataFrame, *, links: dict[str, str], map_md: str, notes: list[str]) -> MarkdownBlock:
    """The page body: what it shows, the map, and the sortable index of every area."""
    modelled = int((wide["caseload_kind"] == "modelled").sum())
    intro = (f"Estimated health needs of people on probation in {len(wide)} local authority areas of England and "
             "Wales, from the same national evidence and method as each chapter. "
             + (f"{modelled} areas use a modelled caseload (the national caseload shared out by adult population), "
                "so their estimates mostly reflect population size; a local caseload replaces it. "
                if modelled else "")
             + "Select a column heading to sort the table.")
    columns = {"Area": [f"[{escape_text(r.area_name)}]({links[r.area_code]})" if r.area_code in links
                        else escape_text(r.area_name) for r in wide.itertuples()],
               "Code": wide["area_code"],
               "Caseload": [f"{count(c)}{' (modelled)' if k == 'modelled' else ''}"
                            for c, k in zip(wide["caseload"], wide["caseload_kind"], strict=True)]}
    for key, title in PRIORITY_TITLES.items():
        if key in wide.columns:
            columns[title] = ["–" if is_missing(v) else count(v) for v in wide[key]]
    frame = pd.DataFrame(columns)
    index = table(frame, caption="Estimated number of people on probation with each need, by area (headline "
                  "measures; rounded to 5)", identifier="tbl-area-index", raw_columns=["Area"],
                  align=["left", "left"] + ["right"] * (len(frame.columns) - 2))
    parts = [intro, map_md, *[escape_text(n) for n in notes], "::: {#area-index}", index, ":::", SORT_SCRIPT]
    return MarkdownBlock("\n\n".join(p for p in parts if p))


def overview_figure(path_in_page: str, alt: str) -> str:
    return figure(path_in_page, caption="Estimated number of people on probation with a current mental illness, "
                  "by area", alt=alt, identifier="fig-overview-map")
