"""Who does what for people on probation, in the area's nation: the treatment requirements and
pathways, the organisations that commission or provide services (with the year each took on the
role, where known), and the recommendations, each with an owner and a measure of progress."""

from __future__ import annotations

import datetime as dt

from ..load.chapter_data import ChapterData
from ..priorities import PRIORITY_TITLES
from .bodies import COUNCIL_ROLES, OWNER_ROLES, body_names, council_name, listed_in
from .lang import in_place, translate
from .markdown import cite, escape_text, heading, possessive, table
from .nation import applies_in
from .numbers import in_words, is_missing
from .recommendation_line import recommendation_line
from .sentences import source_keys

#: Words in a pathway's "who commissions" that name a kind of body -> the body role that names it here.
COMMISSIONER_WORDS = (("ICB", "integrated_care_board"), ("Local health board", "local_health_board"),
                      ("Area planning board", "area_planning_board"),
                      ("Regional partnership board", "regional_partnership_board"))


def local_name(data: ChapterData, organisation: object) -> str:
    """A kind of organisation (``Integrated care boards (ICBs)``) as this area's body, by name;
    blank when the kind is not one body here (NHS England, the voluntary sector)."""
    key = str(organisation).strip().lower()
    if key in OWNER_ROLES:
        return body_names(data, OWNER_ROLES[key])
    if key in COUNCIL_ROLES and key.startswith("local authorit"):
        return council_name(data, COUNCIL_ROLES[key])
    return ""


def pathway_here(data: ChapterData, who: object) -> str:
    """`` (here, NHS South Yorkshire Integrated Care Board)`` for a pathway one of the area's bodies
    commissions; blank for one commissioned nationally (Appendix A says by whom)."""
    named = here_words(data, who)
    return f" ({named.removeprefix('; ')})" if named else ""


def here_words(data: ChapterData, who: object) -> str:
    """``; here, NHS South Yorkshire Integrated Care Board`` for the bodies a pathway's
    commissioner names; blank when it names none of the area's bodies."""
    text = str(who)
    named = [body_names(data, role, shares=False) for word, role in COMMISSIONER_WORDS if word.lower() in text.lower()]
    if text.lower().startswith("local authorities"):
        named.insert(0, translate(data.language, "{area} Council", area=escape_text(data.area_name)))
    named = [n for n in named if n]
    if not named:
        return ""
    return translate(data.language, "; here, {names}",
                     names=" and ".join(named) if data.language == "en" else listed_in(data.language, named))


def for_nation(rows: list[dict], country: str) -> list[dict]:
    return [r for r in rows if applies_in(r.get("nation"), country)]


def since_words(value: object, *, language: str = "en") -> str:
    """``April 2013`` (``Ebrill 2013``) for 2013-04 or 2013-04-01, ``1998`` for 1998; blank when unknown."""
    if is_missing(value) or not str(value).strip():
        return ""
    text = str(value).strip()
    for pattern, shown in (("%Y-%m-%d", "%B %Y"), ("%Y-%m", "%B %Y"), ("%Y", "%Y")):
        try:
            day = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        if language == "cy" and shown != "%Y":
            from babel.dates import format_date

            return format_date(day.date(), "MMMM y", locale="cy")
        return day.strftime(shown)
    return escape_text(text)


def _pathway_rows(data: ChapterData, key: str | None) -> list[dict]:
    def covers(row: dict) -> bool:
        keys = "" if is_missing(row.get("priority_areas")) else str(row["priority_areas"])
        return key is None or key in [k.strip() for k in keys.split(";")]

    return for_nation([r for r in data.rows("pathways") if covers(r)], data.country)


def pathways(data: ChapterData, key: str, ident: str) -> str:
    """The pathways for one priority area, named with who commissions them; what each is, once,
    in the appendix."""
    rows = _pathway_rows(data, key)
    if not rows:
        return ""
    items = "; ".join(f"**{escape_text(r['name'])}**{pathway_here(data, r['who_commissions'])}" for r in rows)
    local = local_services_line(data, key)
    return (heading(3, translate(data.language, "Treatment requirements and pathways"),
                    identifier=f"sec-{ident}-pathways") + "\n\n"
            + translate(data.language, "{items}. [Appendix A](#sec-pathways) says what each one is and who "
                        "commissions it.", items=items)
            + (f"\n\n{local}" if local else ""))


def pathways_appendix(data: ChapterData) -> str:
    """Every pathway and treatment requirement in the area's nation, what it is and who commissions it."""
    rows = _pathway_rows(data, None)
    return "\n".join(translate(data.language, "- **{name}**: {what} *Commissioned by:* {who}.",
                               name=escape_text(r["name"]), what=escape_text(r["what_it_is"]),
                               who=escape_text(r["who_commissions"])) for r in rows)


def commissioning_table(rows: list[dict], *, caption: str, identifier: str, language: str = "en") -> str:
    """Organisation, role (with its legal or guidance basis cited) and, when any row has one, the
    year it took on the role. Three columns, so nothing overprints on an A4 page."""
    def role(r: dict) -> str:
        basis = cite(source_keys(r.get("basis")))  # source keys; the names of Acts are written out
        acts = [k for k in source_keys(r.get("basis")) if " " in k]  # by their Welsh titles in Welsh
        extra = "; ".join(escape_text(a if language == "en" else translate(language, a, context="act")) for a in acts)
        return escape_text(r["role"]) + (f" ({extra})" if extra else "") + (f" {basis}" if basis else "")

    columns = {translate(language, "Organisation"): [escape_text(r["organisation"]) for r in rows],
               translate(language, "What it does for people on probation"): [role(r) for r in rows]}
    since = [since_words(r.get("as_of"), language=language) for r in rows]
    if any(since):
        columns[translate(language, "Since")] = [s or "–" for s in since]
    widths = [24, 62, 14][:len(columns)]
    return table(columns, caption=caption, identifier=identifier, align=["left"] * len(columns),
                 raw_columns=list(columns), widths=widths)


def commissioners(data: ChapterData, key: str) -> list[dict]:
    return sorted(for_nation(data.rows("commissioning", key), data.country), key=lambda r: str(r["organisation"]))


def commissioning_for(data: ChapterData, key: str, ident: str) -> str:
    """Who commissions or provides services for one priority area, named with the year each took
    on the role; what each does, and its legal basis, is in the appendix's table."""
    rows = commissioners(data, key)
    if not rows:
        return ""
    here = list(dict.fromkeys(n for r in rows if (n := local_name(data, r["organisation"]))))
    national = [escape_text(r["organisation"]) for r in rows if not local_name(data, r["organisation"])]
    language = data.language
    text = ""
    if here:
        text = (translate(language, "Here, {names} holds the local responsibilities for this need. ",
                          names=listed_in(language, here)) if len(here) == 1 else
                translate(language, "Here, {names} hold the local responsibilities for this need. ",
                          names=listed_in(language, here)))
    if key == "substance_misuse" and data.country == "England" and not body_names(data, "combating_drugs_partnership"):
        text += translate(language, "The local combating drugs partnership brings the council, police, NHS and "
                          "probation together to plan drug and alcohol treatment, including for people on probation "
                          "{cite}. ", cite=cite(["HO_CDP2024"]))
    lists = (translate(language, "[Appendix A](#table-{ident}-commissioning) lists the national bodies also involved "
                       "and what each does for this need.", ident=ident) if national else
             translate(language, "[Appendix A](#table-{ident}-commissioning) lists what each does for this need.",
                       ident=ident))
    return (heading(3, translate(language, "Who commissions what"), identifier=f"sec-{ident}-commissioning")
            + "\n\n" + text + lists)



#: Recommendations a priority area's section shows; the rest are in the appendix's list.
SECTION_RECOMMENDATIONS = 2


def _recommendations(data: ChapterData, key: str | None) -> list[dict]:
    rows = data.rows("recommendations", key) if key else data.rows("recommendations")
    def rank(r: dict) -> tuple:
        if not is_missing(r.get("order")):  # the area's own order, from its findings
            return (float(r["order"]), str(r["priority_area"]))
        return (99 if is_missing(r.get("priority")) else float(r["priority"]), str(r["priority_area"]))

    return sorted(for_nation(rows, data.country), key=rank)


def _raised(row: dict) -> bool:
    """Whether one of the area's own findings raised the recommendation (its reason is then said)."""
    return not is_missing(row.get("finding")) and bool(str(row.get("finding")).strip())


def recommendations_for(data: ChapterData, key: str, ident: str) -> str:
    """The priority area's most important recommendations, each with its owner and a measure of
    progress; the others are listed in the appendix."""
    rows = _recommendations(data, key)
    if not rows:
        return ""
    shown = rows[:SECTION_RECOMMENDATIONS]
    items = [f"{i}. {recommendation_line(r, data, with_reason=_raised(r))}" for i, r in enumerate(shown, start=1)]
    more = len(rows) - len(shown)
    # Welsh writes the number in figures
    tail = ("\n\n" + translate(data.language, "[Appendix A](#sec-all-recommendations) lists {n} more for this need.",
                                n=in_words(more) if data.language == "en" else str(more))
            if more > 0 else "")
    return (heading(3, translate(data.language, "Recommendations", context="heading"),
                    identifier=f"sec-{ident}-recommendations") + "\n\n" + "\n".join(items) + tail)


def all_recommendations(data: ChapterData) -> str:
    """Every recommendation for the area's nation, by priority area, with owner and measure."""
    parts = []
    for key, title in PRIORITY_TITLES.items():
        rows = _recommendations(data, key)
        if rows:
            shown = escape_text(translate(data.language, title, context="priority"))
            parts += [f"**{shown}**", "\n".join(f"{i}. {recommendation_line(r, data)}"
                                                             for i, r in enumerate(rows, start=1))]
    return "\n\n".join(parts)


def _figure(row: dict, language: str = "en") -> str:
    value = row.get("shown")
    if is_missing(value):
        if str(row.get("value_suppressed")).lower() in ("true", "1", "1.0"):
            # its own marker (e.g. [c]): its rule, not ours
            return translate(language, "withheld by the data's provider")
        return (translate(language, "not shown (fewer than 5 people)") if row.get("is_count") not in (False, "False")
                else translate(language, "not given"))
    value = float(value)
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"


def local_services_table(data: ChapterData) -> str:
    """The analyst's map of local services (``--services-file``): each service, what it counts and
    the figure, by priority area; blank when none was given."""
    rows = data.rows("services")
    if not rows:
        return ""
    language = data.language
    order = {key: i for i, key in enumerate(PRIORITY_TITLES)}
    rows = sorted(rows, key=lambda r: (order.get(str(r.get("priority_area")), 99), str(r.get("service"))))

    def priority(key: str) -> str:
        return translate(language, PRIORITY_TITLES[key], context="priority") if key in PRIORITY_TITLES else key

    columns = {translate(language, "Priority area"): [escape_text(priority(str(r["priority_area"]))) for r in rows],
               translate(language, "Service"): [escape_text(str(r["service"])) for r in rows],
               translate(language, "Measure"): [escape_text(str(r["measure"])) for r in rows],
               translate(language, "Figure"): [_figure(r, language) for r in rows],
               translate(language, "Period"): [escape_text(str(r.get("period") or "")) for r in rows]}
    counted = any(str(r.get("is_count")).lower() == "true" for r in rows)
    note = (translate(language, " Counts of people are rounded to the nearest 5, and fewer than 5 are not shown.")
            if counted else "")
    # English: "Cardiff's analysts"; Welsh puts the name after the noun ("dadansoddwyr Caerdydd")
    of_area = possessive(data.area_name) if language == "en" else escape_text(data.area_name)
    return (translate(language, "Local services, as {of_area} analysts recorded them (sources in the download).{note}",
                      of_area=of_area, note=note) + "\n\n"
            + table(columns, caption=translate(language, "Local services for people on probation {in_area}",
                                               in_area=in_place(language, data.area_name)),
                    identifier="table-local-services", align=["left", "left", "left", "right", "left"],
                    widths=[20, 28, 28, 10, 14]))


def local_services_line(data: ChapterData, key: str) -> str:
    """One priority area's local services, in a sentence, after its pathways."""
    rows = [r for r in data.rows("services", key)]
    if not rows:
        return ""
    items = [f"{escape_text(str(r['service']))} ({escape_text(str(r['measure'])).lower()}: {_figure(r, data.language)}"
             + (f", {escape_text(str(r['period']))}" if not is_missing(r.get("period")) else "") + ")" for r in rows]
    return translate(data.language, "**Local services:** {items}.", items="; ".join(items))
