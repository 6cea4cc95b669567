"""The area's own bodies, by name: the integrated care board or local health board, the police
and crime commissioner (or the mayor who holds those powers), the probation delivery unit and
the rest, as the build found them in the embedded lookups (``chapter.json``'s ``bodies``). The
reference data speak of roles ("ICB", "probation delivery unit"); a board member needs to know
whom to write to, so wherever the chapter names a commissioner, a partner or the owner of a
recommendation, it names this area's body, and says "as at" the date the lookup holds. A Welsh
chapter names each body by its Welsh name where the lookups give one (``name_cy``)."""

from __future__ import annotations

import datetime as dt

from ..load.chapter_data import ChapterData
from .lang import N_, long_date, translate
from .markdown import escape_text, table
from .numbers import is_missing
from .sentences import listed, listed_in  # noqa: F401 - listed_in: where it was

#: The body roles a chapter lists under "Your local system", in reading order, with their label.
ROLE_LABELS = {
    "integrated_care_board": N_("Integrated care board"),
    "nhs_england_region": N_("NHS England region"),
    "local_health_board": N_("Local health board"),
    "public_health_agency": N_("Public health agency"),
    "regional_partnership_board": N_("Regional partnership board"),
    "area_planning_board": N_("Area planning board (substance misuse)"),
    "policing_body": N_("Police and crime commissioner, or who holds those powers"),
    "police_force_area": N_("Police force"),
    "community_safety_partnership": N_("Community safety partnership"),
    "combating_drugs_partnership": N_("Combating drugs partnership"),
    "probation_region": N_("Probation region"),
    "probation_delivery_unit": N_("Probation delivery unit"),
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

#: Council roles: the council's name, in the area's name (``{area}``), with its role.
COUNCIL_ROLES = {
    "local authority public health": N_("{area} Council (public health)"),
    "local authorities (public health)": N_("{area} Council (public health)"),
    "local authority adult social care": N_("{area} Council (adult social care)"),
    "local authorities (adult social care)": N_("{area} Council (adult social care)"),
    "local authority social services": N_("{area} Council (social services)"),
    "local authorities (social services)": N_("{area} Council (social services)"),
    "health and wellbeing board": N_("{area} Health and Wellbeing Board"),
    "health and wellbeing boards": N_("{area} Health and Wellbeing Board"),
}

NATION_NAMES = {"England": N_("England"), "Wales": N_("Wales")}


def nation_name(nation: str, language: str = "en") -> str:
    """England or Wales in the chapter's language."""
    return translate(language, NATION_NAMES[nation]) if nation in NATION_NAMES else nation


def council_name(data: ChapterData, role_words: str) -> str:
    """A council in one of its roles (a ``COUNCIL_ROLES`` value), named for the area."""
    return translate(data.language, role_words, area=escape_text(data.area_name))


def bodies(data: ChapterData, role: str) -> list[dict]:
    """The area's bodies in one role (several where the area is shared between them), largest
    share first; empty when the build found none."""
    found = ((data.area.get("bodies") or {}).get("roles") or {}).get(role) or []
    return sorted(found, key=lambda b: (-(0.0 if is_missing(b.get("share_pct")) else float(b["share_pct"])),
                                        str(b.get("name"))))


def as_at_words(data: ChapterData) -> str:
    """``1 April 2026`` (``1 Ebrill 2026``): the date the lookups hold, in words (blank when unknown)."""
    value = (data.area.get("bodies") or {}).get("as_at")
    try:
        return long_date(data.language, dt.date.fromisoformat(str(value)))
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


def body_name(role: str, body: dict, *, language: str = "en") -> str:
    """One body's name in the chapter's language: in Welsh its Welsh name where the lookups give
    one (``name_cy``), else, as in English, its English name (``display_name``). Not escaped."""
    welsh = body.get("name_cy")
    if language == "cy" and not is_missing(welsh) and str(welsh).strip():
        return str(welsh).strip()
    return display_name(role, body["name"])


def body_names(data: ChapterData, role: str, *, shares: bool = True) -> str:
    """The names of the area's bodies in one role, joined in words: ``NHS Norfolk and Suffolk
    Integrated Care Board``, or ``A (57% of the area) and B (23%)`` where the area is split."""
    found = bodies(data, role)
    if not found:
        return ""
    names = [escape_text(body_name(role, b, language=data.language)) for b in found]
    if len(found) > 1 and shares and not any(is_missing(b.get("share_pct")) for b in found):
        names = [translate(data.language, "{name} ({share}% of the area)", name=n, share=f"{float(b['share_pct']):.0f}")
                 if i == 0 else n + f" ({float(b['share_pct']):.0f}%)"
                 for i, (n, b) in enumerate(zip(names, found, strict=True))]
    return listed_in(data.language, names)


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
        return council_name(data, COUNCIL_ROLES[key])
    return escape_text(text[:1].upper() + text[1:])


def _date_words(value: object, language: str = "en") -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return ""
    if language == "cy":
        from babel.dates import format_date

        return format_date(day, "MMMM y", locale="cy")
    return day.strftime("%B %Y")


def system_table(data: ChapterData) -> str:
    """A table of the area's bodies, one row per role it has, each with the month its lookup holds."""
    language = data.language
    rows = [(translate(language, label), body_names(data, role),
             _date_words(max(str(b.get("as_at") or "") for b in bodies(data, role)), language))
            for role, label in ROLE_LABELS.items() if bodies(data, role)]
    if not rows:
        return ""
    return table({translate(language, "Role"): [escape_text(r) for r, _, _ in rows],
                  translate(language, "Body"): [b for _, b, _ in rows],
                  translate(language, "As at"): [w or "–" for _, _, w in rows]},
                 caption=translate(language, "The local system for {area}", area=data.area_name),
                 identifier="table-local-system", align=["left", "left", "left"],
                 raw_columns=[translate(language, "Body")], widths=[30, 52, 18])
