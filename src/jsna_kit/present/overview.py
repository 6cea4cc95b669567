"""The national overview page: maps of measures that differ between areas (expected deaths per
1,000 people on probation, deprivation) and a sortable index linking every chapter, each column
explained. Built from the same estimates table as the chapters, with each built chapter's own
caseload."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..model.rounding import fixed, half_up  # noqa: E402
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
        // numbers by value, text by its letters; a dash (no figure) after the figures either way
        if (isNaN(nx) !== isNaN(ny)) { return isNaN(nx) ? 1 : -1; }
        var c = isNaN(nx) ? x.localeCompare(y) : nx - ny;
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


#: The measures the overview maps: they vary between areas for reasons other than population size.
MAPPED = {
    "suicide_per_1000_local": ("Expected suicides a year per 1,000 people on probation", "rate"),
    "drug_per_1000_local": ("Expected drug-related deaths a year per 1,000 people on probation", "rate"),
    "imd_score": ("Deprivation: English IMD 2025 average score (England only)", "score"),
}
LONDON = "E12000007"


def with_local_measures(wide: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """``wide`` with each area's local measures (``model.deaths.area_death_measures`` and its
    deprivation) and the expected deaths a year among its caseload (per 1,000 x caseload)."""
    out = wide.merge(measures, on="area_code", how="left")
    out["suicides"] = out["caseload"] * out["suicide_per_1000"] / 1000
    out["drug_deaths"] = out["caseload"] * out["drug_per_1000"] / 1000
    # the nation's rate stands in for an area without its own in the table; a map shows only local figures
    local = out["rate_area"] == "local"
    for column in ("suicide_per_1000", "drug_per_1000"):
        out[f"{column}_local"] = out[column].where(local)
    return out


#: Each map panel's size (inches, at the figure's 130 dpi: 600 px wide) and type (points): the panels
#: are stacked, one per row, so that a page column shows each at about its own size and a 390 px
#: phone at 0.6 of it, where the titles and scale labels are still 12 px or more.
PANEL_WIDTH, PANEL_HEIGHT = 4.6, 5.4
TITLE_POINTS, LABEL_POINTS = 12.5, 11.5


#: Each map shades areas by which third of the areas they fall in, highest darkest: pale yellow,
#: teal, navy, each at least 3:1 against the next (WCAG 1.4.11), so that neighbouring areas in
#: different thirds can be told apart without telling hues apart. Each area is outlined twice, dark
#: under white: whatever its shade, one of the two lines has 3:1 against it, so neighbours in the
#: same third are still separate shapes. Areas with no figure are white, hatched in dark grey.
CLASS_COLOURS = ("#fff2b3", "#2f8fa3", "#0b2a5b")
CLASS_NAMES = ("Lowest third", "Middle third", "Highest third")
OUTLINE_DARK, OUTLINE_LIGHT, HATCH = "#222222", "#ffffff", "#444444"


def map_breaks(values: pd.Series, digits: int) -> list[float]:
    """Where the middle and highest thirds begin, rounded half up to the places the key prints, so
    that the key's ranges are exact and never meet ("under 0.58", "0.58 to under 0.78", "0.78 or
    more"); fewer breaks where ties or rounding leave fewer distinct classes."""
    known = values.dropna()
    if known.nunique() < 2:
        return []
    cuts = {half_up(q, digits) for q in known.quantile([1 / 3, 2 / 3])}
    breaks = sorted(b for b in cuts if known.min() < b <= known.max())
    if not breaks:  # most areas tie at the lowest figure: those, and the rest
        above = half_up(known[known > known.min()].min(), digits)
        breaks = [above] if above > known.min() else []
    return breaks


def map_classes(values: pd.Series, breaks: list[float]) -> pd.Series:
    """Each area's class (0 lowest) by the breaks: below the first, from it to below the next, and
    so on; NaN where there is no figure."""
    classes = pd.Series(np.searchsorted(breaks, values.to_numpy(dtype=float), side="right"), index=values.index)
    return classes.astype(float).where(values.notna())


def class_labels(values: pd.Series, breaks: list[float], digits: int) -> list[tuple[str, str]]:
    """(colour, key text) for each class, lowest first: its name and its exact range."""
    shown = [fixed(b, digits) for b in breaks]
    if not breaks:
        known = values.dropna()
        return [(CLASS_COLOURS[1], f"All areas: {fixed(known.min(), digits)} to {fixed(known.max(), digits)}")]
    colours, names = (CLASS_COLOURS, CLASS_NAMES) if len(breaks) == 2 else \
        ((CLASS_COLOURS[0], CLASS_COLOURS[2]), ("Lower", "Higher"))
    ranges = [f"under {shown[0]}", *[f"{a} to under {b}" for a, b in zip(shown, shown[1:], strict=False)],
              f"{shown[-1]} or more"]
    return [(colour, f"{name}: {text}") for colour, name, text in zip(colours, names, ranges, strict=True)]


def _draw(ax, shapes, classes: pd.Series, colours: dict[int, str], *, width: float) -> None:
    missing = classes.isna()
    if missing.any():
        shapes[missing.to_numpy()].plot(ax=ax, facecolor="white", edgecolor=HATCH, hatch="///", linewidth=0)
    for c, colour in colours.items():
        chosen = (classes == c).to_numpy()
        if chosen.any():
            shapes[chosen].plot(ax=ax, facecolor=colour, edgecolor="none", linewidth=0)
    shapes.boundary.plot(ax=ax, color=OUTLINE_DARK, linewidth=width * 2.4)
    shapes.boundary.plot(ax=ax, color=OUTLINE_LIGHT, linewidth=width)


def _panel(ax, shapes, column: str, title: str, digits: int) -> None:
    from matplotlib.patches import Patch

    breaks = map_breaks(shapes[column], digits)
    classes = map_classes(shapes[column], breaks)
    labels = class_labels(shapes[column], breaks, digits)
    colours = {c: colour for c, (colour, _) in enumerate(labels)}
    _draw(ax, shapes, classes, colours, width=0.3)
    ax.set_title("\n".join(textwrap.wrap(title, 44)), fontsize=TITLE_POINTS)
    handles = [Patch(facecolor=colour, edgecolor=OUTLINE_DARK, linewidth=0.8, label=text)
               for colour, text in reversed(labels)]
    if classes.isna().any():
        handles.append(Patch(facecolor="white", edgecolor=HATCH, hatch="///", linewidth=0.8, label="No figure"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0), frameon=False, fontsize=LABEL_POINTS,
              handlelength=1.6, handleheight=1.2, borderaxespad=0.2)
    ax.set_axis_off()
    london = (shapes["region_code"] == LONDON).to_numpy() if "region_code" in shapes.columns else None
    if london is not None and london.any():
        inset = ax.inset_axes([0.0, 0.55, 0.32, 0.32])
        _draw(inset, shapes[london], classes[london], colours, width=0.5)
        inset.set_title("London", fontsize=LABEL_POINTS)
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_xlabel("")
        inset.set_ylabel("")
        for spine in inset.spines.values():
            spine.set_edgecolor(OUTLINE_DARK)


def choropleth(boundaries, wide: pd.DataFrame, path: Path, *, priority: str | None = None) -> str:
    """Three maps of measures that differ between areas for reasons other than their size: the
    expected suicides and drug-related deaths a year per 1,000 people on probation (from each
    area's general-population rate and the national relative risks), and deprivation (England's
    index; Wales has its own, not comparable, so it is hatched). London is shown again, larger.
    Areas with no local figure are hatched grey. Returns the alt text."""
    columns = [c for c in MAPPED if c in wide.columns]
    shapes = boundaries.to_crs(BRITISH_NATIONAL_GRID).merge(wide[["area_code", "area_name", *columns]],
                                                            on="area_code", how="inner")
    if "region_code" not in shapes.columns and "region_code" in wide.columns:
        shapes = shapes.merge(wide[["area_code", "region_code"]], on="area_code", how="left")
    fig, axes = plt.subplots(len(columns), 1, figsize=(PANEL_WIDTH, PANEL_HEIGHT * len(columns)), dpi=130,
                             squeeze=False)
    for ax, column in zip(axes[:, 0], columns, strict=True):
        _panel(ax, shapes.reset_index(drop=True), column, MAPPED[column][0], 2 if MAPPED[column][1] == "rate" else 1)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    parts = []
    for column in columns:
        ranked = wide.dropna(subset=[column]).sort_values(column, ascending=False)
        if ranked.empty:
            continue
        top = "; ".join(f"{r.area_name} {getattr(r, column):.2f}" for r in ranked.head(3).itertuples())
        low = "; ".join(f"{r.area_name} {getattr(r, column):.2f}" for r in ranked.tail(3).itertuples())
        parts.append(f"{MAPPED[column][0]}: highest {top}; lowest {low}; {int(wide[column].isna().sum())} areas "
                     "without a local figure")
    return ("Maps of England and Wales shading each local authority area by which third of the areas it falls in, "
            "for measures that differ between areas, with London enlarged. " + ". ".join(parts) + ".")


COLUMN_NOTES = [
    ("Caseload", "people on probation: the chapter's own local figure where one was given, otherwise modelled "
                 "(the national caseload shared out by adults weighted by deprivation, ONS mid-2023); rounded to 5"),
    ("Suicides a year", "expected suicides a year among the area's people on probation: the caseload x the area's "
                        "general-population suicide rate (OHID Fingertips, 2022-24) x the national relative risk for "
                        "people on probation (about 6; ONS linked data 2011-2021). An indirect estimate, not a count "
                        "of deaths. Welsh areas use Wales's own rates (ONS suicide rates, 2021-23; deaths related "
                        "to drug poisoning, 2022)"),
    ("Per 1,000", "the same per 1,000 people on probation a year: it differs between areas only through their "
                  "suicide rates, so it is mapped"),
    ("Drug deaths a year", "expected drug-related deaths a year, in the same way (deaths from drug misuse, "
                           "2022-24; relative risk about 16). For Welsh areas the rate is Wales's deaths related to "
                           "drug poisoning (2022), a broader measure than England's deaths from drug misuse, so "
                           "Welsh figures run higher and the two nations are not compared"),
    ("IMD score (England)", "the English Indices of Deprivation 2025 average score (higher is more deprived; "
                            "England 21.8); English areas only"),
    ("WIMD most deprived 10% (Wales)", "the share of the area's small areas among Wales's most deprived 10% "
                                       "(Welsh Index of Multiple Deprivation 2025); Welsh areas only. The two "
                                       "indices are on different scales, so each has its own column"),
    ("Priority area columns", "estimated number of people on probation with each priority area's headline need "
                              "(national prevalence x caseload), rounded to 5; they follow the caseload, so they "
                              "are listed, not mapped"),
    ("Similar areas", "the area's statistical neighbours, nearest first: the areas of its own nation most like it "
                      "in its adults' number and ages, deprivation, density and modelled caseload per adult"),
]


def _score(value, suffix: str = "", digits: int = 1) -> str:
    return "–" if is_missing(value) else f"{float(value):.{digits}f}{suffix}"


def _deaths(value) -> str:
    return "–" if is_missing(value) else f"{float(value):.1f}"


def overview_markdown(wide: pd.DataFrame, *, links: dict[str, str], map_md: str, notes: list[str],
                      scenario: str = "", welsh: dict[str, tuple[str, str]] | None = None) -> MarkdownBlock:
    """The page body: what it shows, the maps, and the sortable index of every area, in a labelled
    region that scrolls sideways on a narrow screen, with every column explained below it.
    ``welsh``: a Welsh area's Welsh name and the link to its Welsh chapter, where one was built."""
    welsh = welsh or {}
    local = int((wide["caseload_kind"] == "local").sum())
    intro = (f"Health needs of people on probation in {len(wide)} local authority areas of England and Wales, from "
             "the same national evidence and method as each chapter. The maps show measures that differ between "
             "areas for reasons other than their size: the expected suicides and drug-related deaths a year per "
             "1,000 people on probation, and deprivation. Counts of people follow the size of the caseload, so they "
             "are in the table, not on the maps. "
             + (f"{local} areas use the local caseload their chapter was built with. " if local else "")
             + "Select a column heading to sort the table.")
    columns = {"Area": [(f"[{escape_text(r.area_name)}]({links[r.area_code]})" if r.area_code in links
                         else escape_text(r.area_name))
                        + (f' · [{escape_text(welsh[r.area_code][0])}]({welsh[r.area_code][1]}){{lang="cy"}}'
                           if r.area_code in welsh else "") for r in wide.itertuples()],
               "Code": wide["area_code"],
               "Caseload": [f"{count(c)}{' (modelled)' if k == 'modelled' else ''}"
                            for c, k in zip(wide["caseload"], wide["caseload_kind"], strict=True)]}
    if "suicides" in wide.columns:
        columns["Suicides a year"] = [_deaths(v) for v in wide["suicides"]]
        columns["Per 1,000"] = [_deaths(v) if is_missing(v) else f"{float(v):.2f}" for v in wide["suicide_per_1000"]]
        columns["Drug deaths a year"] = [_deaths(v) for v in wide["drug_deaths"]]
        columns["IMD score (England)"] = [_score(v) for v in wide.get("imd_score", pd.Series(index=wide.index))]
        columns["WIMD most deprived 10% (Wales)"] = [_score(v, "%", 0) for v in
                                                     wide.get("wimd_share10", pd.Series(index=wide.index))]
    for key, title in PRIORITY_TITLES.items():
        if key in wide.columns:
            columns[title] = ["–" if is_missing(v) else count(v) for v in wide[key]]
    if "similar_areas" in wide.columns:
        columns["Similar areas"] = ["–" if is_missing(v) else escape_text(v) for v in wide["similar_areas"]]
    frame = pd.DataFrame(columns)
    index = table(frame, caption="Every area: caseload, expected deaths a year among people on probation, "
                  "deprivation, and the estimated number of people with each need (headline measures; people "
                  "rounded to 5)", identifier="table-area-index", raw_columns=["Area"],
                  align=["left", "left"] + ["right"] * (len(frame.columns) - 2))
    explained = "**The columns.**\n\n" + "\n".join(f"- **{name}**: {escape_text(text)}." for name, text in COLUMN_NOTES)
    parts = [scenario, intro, map_md, *[escape_text(n) for n in notes], "::: {#area-index}", index, ":::", explained,
             SORT_SCRIPT]
    return MarkdownBlock("\n\n".join(p for p in parts if p))


def overview_figure(path_in_page: str, alt: str) -> str:
    return figure(path_in_page, caption="Expected suicides and drug-related deaths a year per 1,000 people on "
                  "probation, and deprivation, by area: each area shaded by the third of areas it falls in, darkest "
                  "highest (London enlarged; hatched: no local figure; Welsh areas from Wales's own rates, whose drug "
                  "measure is broader: see the table's notes). The table gives every area's figure", alt=alt,
                  identifier="figure-overview-map")
