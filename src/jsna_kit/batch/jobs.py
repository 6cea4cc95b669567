"""What a batch worker is given for one area. Kept apart from ``batch.plan``, which needs the
statistics libraries, so that a batch with nothing to rebuild does not import them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class GivenArea:
    """What the analyst said of one area on the command line (``build --area``): the name to show,
    its local caseload and where that figure comes from (both texts cleaned of control and
    reordering characters, ``load.text.clean_text``)."""

    name: str | None = None
    caseload: float | None = None
    caseload_source: str | None = None

    def __post_init__(self):
        from ..load.text import clean_text

        for label in ("name", "caseload_source"):
            value = getattr(self, label)
            if value is not None:
                object.__setattr__(self, label, clean_text(value).strip() or None)


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
    digests: dict[str, str] = field(default_factory=dict)  # each table's digest (bundle.table_digest), once made
    name_welsh: str = ""  # a Welsh area's official Welsh name: its Welsh chapter's (issue 27)


@dataclass
class AreaJob:
    plan: AreaPlan
    key: str | None  # None: built whatever its key; the worker works it out (``cache.area_key``)
    parts: dict[str, str] | None
    execute: bool  # False: the executed chapter is current, only rendering is missing
    reason: str
    built: str = ""  # build date kept from the record, for a render-only job
