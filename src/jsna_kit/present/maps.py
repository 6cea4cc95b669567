"""Maps for a chapter: where the area sits within its region. Drawn from boundaries the load
layer read (geopandas), as SVG (``present.svg``); returns alt text generated from the same data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .figures import OKABE_ITO
from .lang import translate
from .svg import Drawing

BRITISH_NATIONAL_GRID = "EPSG:27700"
MAP_SIZE = 560  # px, square
MARGIN = 12
OTHER_AREAS, BORDERS = "#e6e6e6", "#ffffff"


def location_map(region_areas, area_code: str, path: Path, *, area_name: str, region_name: str,
                 language: str = "en") -> str:
    """The region's upper-tier areas (Wales's local authorities) in light grey with the chapter's
    area highlighted; returns its alt text, in ``language`` (``region_name`` as the reader's
    language names it).

    ``region_areas``: GeoDataFrame with area_code, area_name, geometry (any CRS; drawn on the
    British National Grid so shapes are not stretched)."""
    shapes = region_areas.to_crs(BRITISH_NATIONAL_GRID)
    xmin, ymin, xmax, ymax = shapes.total_bounds
    span = max(xmax - xmin, ymax - ymin) or 1.0
    scale = (MAP_SIZE - 2 * MARGIN) / span
    # Centre the region in the square; SVG's y axis points down, the grid's up.
    x0 = MARGIN + ((MAP_SIZE - 2 * MARGIN) - (xmax - xmin) * scale) / 2
    y0 = MARGIN + ((MAP_SIZE - 2 * MARGIN) - (ymax - ymin) * scale) / 2

    def project(coords: np.ndarray) -> np.ndarray:
        return np.column_stack([x0 + (coords[:, 0] - xmin) * scale, y0 + (ymax - coords[:, 1]) * scale])

    others = len(shapes) - 1
    values = {"region": region_name, "n": len(shapes), "area": area_name}
    if area_code.startswith("W"):  # Wales has one tier of local authority
        alt = (translate(language, "Map of {region} showing its {n} local authority areas in grey, with {area} "
                         "highlighted in blue.", **values) if others else
               translate(language, "Map of {region} showing its {n} local authority areas in grey, with {area} "
                         "highlighted in blue (the only area shown).", **values))
    else:
        alt = (translate(language, "Map of {region} showing its {n} upper-tier local authority areas in grey, with "
                         "{area} highlighted in blue.", **values) if others else
               translate(language, "Map of {region} showing its {n} upper-tier local authority areas in grey, with "
                         "{area} highlighted in blue (the only area shown).", **values))
    svg = Drawing(MAP_SIZE, MAP_SIZE, title=alt)
    highlighted = shapes["area_code"] == area_code
    for geometry in shapes.geometry[~highlighted]:
        svg.path(svg_path(geometry, project), fill=OTHER_AREAS, stroke=BORDERS, width=0.8)
    for geometry in shapes.geometry[highlighted]:
        svg.path(svg_path(geometry, project), fill=OKABE_ITO["blue"], stroke=BORDERS, width=0.8)
    svg.save(path)
    return alt


def svg_path(geometry, project) -> str:
    """SVG path data for a Polygon or MultiPolygon (holes drawn by the even-odd rule), with
    coordinates passed through ``project`` and rounded to 0.1 px; consecutive points that round
    to the same place are dropped."""
    if geometry is None or geometry.is_empty:
        return ""
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = np.round(project(np.asarray(ring.coords)[:, :2]), 1)
            keep = np.ones(len(points), dtype=bool)
            keep[1:] = np.any(np.diff(points, axis=0) != 0, axis=1)
            points = points[keep]
            if len(points) < 3:
                continue
            text = " ".join(f"{x:g},{y:g}" for x, y in points.tolist())
            rings.append(f"M{text}Z")
    return "".join(rings)
