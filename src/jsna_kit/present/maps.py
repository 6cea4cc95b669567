"""Maps for a chapter: where the area sits within its region. Drawn from boundaries the load
layer read; returns alt text generated from the same data."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .figures import OKABE_ITO  # noqa: E402

BRITISH_NATIONAL_GRID = "EPSG:27700"


def location_map(region_areas, area_code: str, path: Path, *, area_name: str, region_name: str) -> str:
    """The region's upper-tier areas in light grey with the chapter's area highlighted.

    ``region_areas``: GeoDataFrame with area_code, area_name, geometry (any CRS; drawn on the
    British National Grid so shapes are not stretched)."""
    shapes = region_areas.to_crs(BRITISH_NATIONAL_GRID)
    fig, ax = plt.subplots(figsize=(5.5, 5.5), dpi=150)
    shapes.plot(ax=ax, color="#e6e6e6", edgecolor="white", linewidth=0.6)
    shapes[shapes["area_code"] == area_code].plot(ax=ax, color=OKABE_ITO["blue"], edgecolor="white",
                                                  linewidth=0.6)
    ax.set_axis_off()
    ax.set_aspect("equal")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    others = len(shapes) - 1
    return (f"Map of {region_name} showing its {len(shapes)} upper-tier local authority areas in grey, "
            f"with {area_name} highlighted in blue" + ("" if others else " (the only area shown)") + ".")
