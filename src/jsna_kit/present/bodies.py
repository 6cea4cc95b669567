"""The area's own bodies, by name: the integrated care board or local health board, the police
and crime commissioner (or the mayor who holds those powers), the probation delivery unit and
the rest, as the build found them in the embedded lookups (``chapter.json``'s ``bodies``). The
reference data speak of roles ("ICB", "probation delivery unit"); a board member needs to know
whom to write to, so wherever the chapter names a commissioner, a partner or the owner of a
recommendation, it names this area's body, and says "as at" the date the lookup holds."""

from __future__ import annotations

import datetime as dt

from ..load.chapter_data import ChapterData
from .markdown import escape_text, table
from .numbers import is_missing

#: The body roles a chapter lists under "Your local system", in reading order, with their label.
ROLE_LABELS = {
    "integrated_care_board": "Integrated care board",
    "nhs_england_region": "NHS England region",
    "local_health_board": "Local health board",
    "public_health_agency": "Public health agency",
    "regional_partnership_board": "Regional partnership board",
    "area_planning_board": "Area planning board (substance misuse)",
    "policing_body": "Police and crime commissioner, or who holds those powers",
    "police_force_area": "Police force",
    "community_safety_partnership": "Community safety partnership",
    "combating_drugs_partnership": "Combating drugs partnership",
    "probation_region": "Probation region",
    "probation_delivery_unit": "Probation delivery unit",
}

#: Owners and commissioners as the reference data name them (lower case) -> the body role that
#: names them here. Roles that are the council itself are worded from the area's name.
OWNER_ROLES = {
    "icb": "integrated_care_board",
    "integrated care boards (icbs)": "integrated_care_board",
    "probation delivery unit": "probation_delivery_unit",
    "probation service": "probation_delivery_unit",
    "local health board": "local_health_board",
    "local health boards (wales)": "local_health_board",
    "regional partnership board": "regional_partnership_board",
    "regional partnership boards (wales)": "regional_partnership_board",
    "area planning board": "area_planning_board",
    "area planning boards (wales)": "area_planning_board",
    "police and crime commissioners": "policing_body",
    "community safety partnerships": "community_safety_partnership",
    "combating drugs partnerships": "combating_drugs_partnership",
    "public health wales": "public_health_agency",
}

#: Council roles: the words after the council's name.
COUNCIL_ROLES = {
    "local authority public health": "Council (public health)",
    "local authorities (public health)": "Council (public health)",
    "local authority adult social care": "Council (adult social care)",
    "local authorities (adult social care)": "Council (adult social care)",
    "local authority social services": "Council (social services)",
    "local authorities (social services)": "Council (social services)",
    "health and wellbeing board": "Health and Wellbeing Board",
    "health and wellbeing boards": "Health and Wellbeing Board",
}


def bodies(data: ChapterData, role: str) -> list[dict]:
    """The area's bodies in one role (several where the area is shared between them), largest
    share first; empty when the build found none."""
    found = ((data.area.get("bodies") or {}).get("roles") or {}).get(role) or []
    return sorted(found, key=lambda b: (-(0.0 if is_missing(b.get("share_pct")) else float(b["share_pct"])),
                                        str(b.get("name"))))


def as_at_words(data: ChapterData) -> str:
    """``1 April 2026``: the date the lookups hold, in words (blank when unknown)."""
    value = (data.area.get("bodies") or {}).get("as_at")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%-d %B %Y")
    except (TypeError, ValueError):
        return ""


def display_name(role: str, name: str) -> str:
    """A body's name as a reader knows it. The lookups name some bodies by their place alone (a
    police force area "Devon & Cornwall", a delivery unit "Sheffield"): the kind of body is added."""
    name = str(name).strip().replace(" & ", " and ")
    if role == "police_force_area" and "police" not in name.lower():
        return f"{name} Police"
    if role == "community_safety_partnership" and "partnership" not in name.lower():
        return f"{name} community safety partnership"
    if role == "probation_delivery_unit" and "delivery unit" not in name.lower():
        return f"{name} probation delivery unit"
    if role == "probation_region":
        return f"{name.removesuffix(' Region')} probation region"
    return name


def body_names(data: ChapterData, role: str, *, shares: bool = True) -> str:
    """The names of the area's bodies in one role, joined in words: ``NHS Norfolk and Suffolk
    Integrated Care Board``, or ``A (57% of the area) and B (23%)`` where the area is split."""
    found = bodies(data, role)
    if not found:
        return ""
    names = [escape_text(display_name(role, b["name"])) for b in found]
    if len(found) > 1 and shares and not any(is_missing(b.get("share_pct")) for b in found):
        names = [n + f" ({float(b['share_pct']):.0f}%{' of the area' if i == 0 else ''})"
                 for i, (n, b) in enumerate(zip(names, found, strict=True))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def owner_name(data: ChapterData, owner: object) -> str:
    """An owner as the reference data give it ("ICB", "probation delivery unit") named for this
    area: the body's name, or the council's role in the area's name; the role itself when the
    build found no body for it."""
    text = "" if is_missing(owner) else str(owner).strip()
    key = text.lower()
    if key in OWNER_ROLES:
        named = body_names(data, OWNER_ROLES[key], shares=False)
        if named:
            return named
    if key in COUNCIL_ROLES:
        return f"{escape_text(data.area_name)} {COUNCIL_ROLES[key]}"
    return escape_text(text[:1].upper() + text[1:])


def _date_words(value: object) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%B %Y")
    except (TypeError, ValueError):
        return ""


def system_table(data: ChapterData) -> str:
    """A table of the area's bodies, one row per role it has, each with the month its lookup holds."""
    rows = [(label, body_names(data, role), _date_words(max(str(b.get("as_at") or "") for b in bodies(data, role))))
            for role, label in ROLE_LABELS.items() if bodies(data, role)]
    if not rows:
        return ""
    return table({"Role": [escape_text(r) for r, _, _ in rows], "Body": [b for _, b, _ in rows],
                  "As at": [w or "–" for _, _, w in rows]},
                 caption=f"The local system for {data.area_name}", identifier="table-local-system",
                 align=["left", "left", "left"], raw_columns=["Body"], widths=[30, 52, 18])
