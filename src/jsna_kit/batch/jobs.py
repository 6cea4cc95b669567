"""What a batch worker is given for one area. Kept apart from ``batch.plan``, which needs the
statistics libraries, so that a batch with nothing to rebuild does not import them."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    inputs: list = field(default_factory=list)  # publish.manifest.Input: the files listed in the manifest
    request: dict = field(default_factory=dict)  # what was asked for this area, as the manifest records it
    local: dict | None = None  # the analyst's own inputs for the area, remembered in its build record
    texts: dict[str, str] = field(default_factory=dict)  # the tables' CSV text (bundle.csv_text), once made


@dataclass
class AreaJob:
    plan: AreaPlan
    key: str | None  # None: built whatever its key; the worker works it out (``cache.area_key``)
    parts: dict[str, str] | None
    execute: bool  # False: the executed chapter is current, only rendering is missing
    reason: str
    built: str = ""  # build date kept from the record, for a render-only job
