"""What a batch worker is given for one area. Kept apart from ``batch.plan``, which needs the
statistics libraries, so that a batch with nothing to rebuild does not import them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd



@dataclass
class AreaPlan:
    """One area's chapter inputs. ``area`` is ``chapter.json`` without the build date."""

    area_code: str
    area_name: str
    slug: str
    parameters: dict
    area: dict
    tables: dict[str, pd.DataFrame | None]  # bundle file name -> table (evidence is shared)
    inputs: list[Path] = field(default_factory=list)  # files listed in the manifest
    texts: dict[str, str] = field(default_factory=dict)  # the tables' CSV text (bundle.csv_text), once made


@dataclass
class AreaJob:
    plan: AreaPlan
    key: str
    parts: dict[str, str]
    execute: bool  # False: the executed chapter is current, only rendering is missing
    reason: str
    built: str = ""  # build date kept from the record, for a render-only job
