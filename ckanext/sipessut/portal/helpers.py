"""Template helpers of the portal: the home page, the menu, lists of datasets, dates and
numbers, and the officer's view of what is missing or returned."""

from __future__ import annotations

import datetime
import logging
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan import model as ckan_model
from flask import current_app
from flask_babel import format_date, format_datetime
from werkzeug import exceptions as werkzeug_exceptions

from ckanext.sipessut import codelists, metadata, monitoring, numbers, opd, review, validation
from ckanext.sipessut import settings as portal_wide
from ckanext.sipessut.portal import home, search, settings, wilayah

log = logging.getLogger(__name__)

# Font Awesome icons of the sektor tiles (an unknown code gets the chart).
SEKTOR_ICONS = {
    "1": "wheat-awn", "2": "users", "3": "city", "4": "chart-line", "5": "graduation-cap",
    "6": "leaf", "7": "coins", "8": "globe", "9": "heart-pulse", "10": "industry",
    "11": "tower-cell", "12": "ship", "13": "briefcase", "14": "scale-balanced",
    "15": "calendar", "16": "gauge", "17": "tags", "18": "landmark", "19": "map",
    "20": "flask", "21": "hand-holding-heart", "22": "bus",
}  # fmt: skip
SEKTOR_TILES = 12
OPD_TILES = 8
UPCOMING_LIMIT = 5


# --- numbers and dates ---------------------------------------------------------------------


def number(value: Any) -> str:
    """A count in the visitor's language: 12.345 in Indonesian, 12,345 in English."""
    try:
        return numbers.formatter()(int(value))
    except (TypeError, ValueError):
        return ""


def _parse_date(value: Any) -> datetime.date | datetime.datetime | None:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value
    text = str(value or "").strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def date(value: Any) -> str:
    """A date as the visitor reads it: "31 Maret 2025" (or "31 March 2025" at /en/)."""
    parsed = _parse_date(value)
    if parsed is None:
        return str(value or "")
    if isinstance(parsed, datetime.datetime):
        return tk.h.render_datetime(parsed)
    return format_date(parsed, "long")


def period(start: Any, end: Any = None) -> str:
    """A period covered: "2024", "Juni 2024", "2020-2024", "Januari-Juni 2024"."""

    def one(text: str) -> str:
        parts = text.split("-")
        try:
            if len(parts) == 1:
                return str(int(parts[0]))
            if len(parts) == 2:
                return format_date(datetime.date(int(parts[0]), int(parts[1]), 1), "MMMM y")
            return format_date(datetime.date.fromisoformat(text), "long")
        except ValueError:
            return text

    first, last = str(start or "").strip(), str(end or "").strip()
    if not first:
        return ""
    if not last or last == first:
        return one(first)
    return f"{one(first)}\u2013{one(last)}"


@tk.chained_helper
def render_datetime(
    next_helper, datetime_: Any, date_format: str | None = None, with_hours: bool = False,
    with_seconds: bool = False,
) -> str:  # fmt: skip
    """CKAN's, with date and time in Indonesian order: "1 Desember 2026, 14.03 WITA".

    CKAN writes dates with hours month first ("Desember 1, 2026, 14:03 (UTC)").
    """
    if date_format or not with_hours or with_seconds:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    parsed = _parse_date(datetime_)
    if not isinstance(parsed, datetime.datetime):
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    pattern = "d MMMM y, HH.mm z" if codelists.current_language() == "id" else "d MMMM y, HH:mm z"
    return format_datetime(parsed, pattern)


# --- the look: logo, colours, names --------------------------------------------------------


def logo() -> str:
    return tk.h.url_for_static_or_external(settings.logo()) if settings.logo() else ""


def colours_css() -> str:
    """The configured colours as CSS custom properties (only hex colours reach the page)."""
    return (
        ":root{"
        f"--sipessut-primary:{settings.colour('primary')};"
        f"--sipessut-accent:{settings.colour('accent')};"
        "}"
    )


def region_name() -> str:
    return portal_wide.region_name()


def default_license() -> str:
    """The licence a new dataset's form starts with (`ckanext.sipessut.portal.default_license`)."""
    return settings.default_license()


def walidata() -> dict[str, str] | None:
    """The Walidata's name and public contacts, for the about page."""
    found = opd.walidata()
    if found is None:
        return None
    return {
        "name": found.name,
        "title": found.title,
        **{field: found.value(field) or "" for field in ("alamat", "telepon", "email")},
    }


# --- the menu ------------------------------------------------------------------------------


def _endpoint_exists(endpoint: str) -> bool:
    return bool(endpoint) and endpoint in current_app.view_functions


def calendar_url() -> str:
    """The release calendar's address, when a plugin serves it."""
    endpoint = settings.calendar_endpoint()
    return tk.h.url_for(endpoint) if _endpoint_exists(endpoint) else ""


def main_nav() -> list[tuple[Any, ...]]:
    """Items of the main menu, for h.build_nav_main: data, kegiatan, indikator, OPD, the
    release calendar (when a plugin serves it) and the page about the portal."""
    items: list[tuple[Any, ...]] = [
        ("dataset.search", tk._("Data"), ["dataset", "resource"]),
        ("kegiatan.search", tk._("Statistical activities"), ["kegiatan", "kegiatan_resource"]),
        ("indikator.search", tk._("Indicators"), ["indikator", "indikator_resource"]),
        ("organization.index", tk._("OPD"), ["organization"]),
    ]
    if _endpoint_exists(settings.calendar_endpoint()):
        items.append((settings.calendar_endpoint(), tk._("Release calendar")))
    items.append(("home.about", tk._("About")))
    return items


# --- activity streams ----------------------------------------------------------------------


def activity_type_label(activity_type: str) -> str:
    """An activity type ("new resource view") as the reader says it."""
    labels = {
        "new package": tk._("New dataset"),
        "changed package": tk._("Changed dataset"),
        "deleted package": tk._("Deleted dataset"),
        "follow dataset": tk._("Followed the dataset"),
        "new resource view": tk._("New view of a resource"),
        "changed resource view": tk._("Changed view of a resource"),
        "deleted resource view": tk._("Deleted view of a resource"),
        "new organization": tk._("New OPD"),
        "changed organization": tk._("Changed OPD"),
        "deleted organization": tk._("Deleted OPD"),
        "follow group": tk._("Followed"),
        "new user": tk._("New user"),
        "changed user": tk._("Changed user"),
        "follow user": tk._("Followed a user"),
        "sipessut reviewed package": tk._("Walidata review"),
    }
    return labels.get(activity_type, activity_type.capitalize())


# --- the home page -------------------------------------------------------------------------


def upcoming_releases(limit: int = UPCOMING_LIMIT) -> list[dict[str, Any]]:
    """The next releases, from the monitoring domain's face (the release calendar).

    Each item is a dict with at least `title` and `next_release` (an ISO date), and `url` or
    `name` (+ `type`).
    """
    try:
        found = list(monitoring.upcoming_releases(limit))
    except Exception:  # a failing calendar must not take the home page down
        log.exception("monitoring.upcoming_releases failed")
        return []
    releases = []
    for item in found[:limit]:
        entry = dict(item) if isinstance(item, dict) else dict(vars(item))
        if not entry.get("url") and entry.get("name"):
            entry["url"] = tk.h.url_for(f"{entry.get('type') or 'dataset'}.read", id=entry["name"])
        releases.append(entry)
    return releases


def home_page() -> dict[str, Any]:
    """Everything the home page shows, counted by Solr (see portal/home.py)."""
    figures = home.figures()
    lang = codelists.current_language()
    sektor = codelists.get("sektor")
    return {
        "figures": figures,
        "sektor": [
            {
                "code": code,
                "label": sektor.label(code, lang),
                "count": count,
                "icon": SEKTOR_ICONS.get(code, "chart-simple"),
            }
            for code, count in figures.sektor[:SEKTOR_TILES]
        ],
        "more_sektor": len(figures.sektor) > SEKTOR_TILES,
        "organizations": figures.organizations[:OPD_TILES],
        "latest": figures.latest,
        "featured": home.featured_datasets(),
        "upcoming": upcoming_releases(),
        "may_choose_featured": may_choose_featured(),
    }


def sektor_tiles() -> list[dict[str, Any]]:
    """The sektor with public data, for an empty search."""
    return home_page()["sektor"]


def may_choose_featured() -> bool:
    return bool(tk.h.check_access("sipessut_portal_featured_update"))


# --- lists of datasets ---------------------------------------------------------------------


TYPE_ICONS = {"dataset": "table", "kegiatan": "clipboard-list", "indikator": "chart-line"}


_TYPE_LABELS = {
    "dataset": lambda: tk._("Data table"),
    "kegiatan": lambda: tk._("Statistical activity"),
    "indikator": lambda: tk._("Indicator"),
}


def type_label(dataset_type: str) -> str:
    chosen = _TYPE_LABELS.get(dataset_type)  # translated when asked: one per search result
    return chosen() if chosen else dataset_type


def review_states(packages: list[dict[str, Any]]) -> dict[str, str]:
    """The review state of each listed dataset, for signed-in users (one query); the public
    sees published datasets only and is not shown states."""
    if not tk.current_user.is_authenticated:
        return {}
    private = [pkg["id"] for pkg in packages if pkg.get("private") and pkg.get("id")]
    states = review.states_of(private) if private else {}
    return {
        pkg["id"]: states.get(pkg["id"], review.DRAF) if pkg.get("private") else review.DITAYANGKAN
        for pkg in packages
        if pkg.get("id")
    }


def item_facts(package: dict[str, Any]) -> dict[str, Any]:
    """What a search result says besides its title: type, OPD, period, level of
    presentation and validation."""
    lang = codelists.current_language()
    dataset_type = package.get("type") or "dataset"
    levels_field = "tingkat_penyajian_hasil" if dataset_type == "kegiatan" else "tingkat_penyajian"
    levels = codelists.get("tingkat_penyajian")
    if dataset_type == "kegiatan":
        when = str(package.get("tahun") or "")
    else:
        when = period(package.get("periode_awal"), package.get("periode_akhir"))
    status = validation.dataset_status(package.get("resources") or [])
    return {
        "type": dataset_type,
        "type_label": type_label(dataset_type),
        "type_icon": TYPE_ICONS.get(dataset_type, "file"),
        "opd": (package.get("organization") or {}).get("title") or "",
        "period": when,
        "levels": [levels.label(code, lang) for code in _codes(package.get(levels_field))],
        "validation": None
        if status.status == validation.NO_TABLES
        else {"status": status.status, "label": validation.dataset_label(status.status)},
    }


def _codes(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(code) for code in value]
    return [str(value)] if value else []


def facet_links(
    name: str,
    items: list[dict[str, Any]],
    extras: dict[str, Any] | None = None,
    alternative_url: str | None = None,
) -> list[str]:
    """Each facet item's link, as CKAN's add_url_param (an inactive item: this search and
    the item) and remove_url_param (an active one: this search without it) make them, with
    the page's address built once: a search page has some 100 facet items, and CKAN builds
    the address again (url_for) for each."""
    current = [(k, v) for k, v in tk.request.args.items(multi=True) if k != "page"]
    base = tk.h.remove_url_param(
        [k for k, _ in current] or "", extras=extras, alternative_url=alternative_url
    )
    links = []
    for item in items:
        params = list(current)
        if item.get("active"):
            if (name, item["name"]) in params:
                params.remove((name, item["name"]))  # the first one, as CKAN does
        else:
            params.append((name, item["name"]))
        links.append(f"{base}?{urlencode(params)}" if params else base)
    return links


def suggestions(query: str) -> list[dict[str, Any]]:
    return search.suggestions(query or "")


# --- a dataset's page ----------------------------------------------------------------------


def is_table(pkg: dict[str, Any]) -> bool:
    """A data table (not a kegiatan or an indikator, which hold no data of their own)."""
    return (pkg.get("type") or "dataset") == "dataset"


def checked_by_walidata(pkg: dict[str, Any]) -> bool:
    """Published after the Walidata's review (the "Diperiksa Walidata" mark)."""
    if not pkg.get("id") or pkg.get("private") or not pkg.get("owner_org"):
        return False
    return review.state(pkg) == review.DITAYANGKAN


def checklist(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """What a draft still lacks before it can be submitted, for those who may edit it:
    {"missing": [{"field", "label", "url"}], "needs_resource", "resource_url", "complete"};
    None for published datasets and for those who may not edit."""
    if not pkg.get("id") or not pkg.get("private") or pkg.get("state") != "active":
        return None
    if not tk.h.check_access("package_update", {"id": pkg["id"]}):
        return None
    if review.state(pkg) == review.DIAJUKAN:
        return None
    dataset_type = pkg.get("type") or "dataset"
    edit = tk.h.url_for(f"{dataset_type}.edit", id=pkg["name"])
    missing = [{**item, "url": f"{edit}#field-{item['field']}"} for item in metadata.missing(pkg)]
    needs_resource = is_table(pkg) and not pkg.get("resources")
    return {
        "missing": missing,
        "needs_resource": needs_resource,
        "resource_url": tk.h.url_for(f"{dataset_type}_resource.new", id=pkg["name"]),
        "complete": not missing and not needs_resource,
    }


def may_see_internal(organization_id: str | None) -> bool:
    """Whether the visitor sees an OPD's internal details (placeholder codes, sources):
    its members, the Walidata's reviewers and sysadmins."""
    user = tk.current_user
    if not organization_id or not user.is_authenticated:
        return False
    if authz.is_sysadmin(user.name):
        return True
    if authz.has_user_permission_for_group_or_org(organization_id, user.name, "read"):
        return True
    return bool(tk.h.check_access("sipessut_review_queue"))


# --- the officer's dashboard ---------------------------------------------------------------


def _my_organization_ids() -> list[str]:
    """The OPDs in which the signed-in user edits datasets (editor or admin)."""
    user = tk.current_user
    if not user.is_authenticated or not getattr(user, "id", None):
        return []
    rows = (
        ckan_model.Session.query(ckan_model.Member.group_id)
        .filter(
            ckan_model.Member.table_name == "user",
            ckan_model.Member.table_id == user.id,
            ckan_model.Member.state == "active",
            ckan_model.Member.capacity.in_(["editor", "admin"]),
        )
        .all()
    )
    return [row[0] for row in rows]


def returned() -> list[dict[str, Any]]:
    """The signed-in officer's datasets the Walidata returned, with the Walidata's note."""
    cached = getattr(tk.g, "_sipessut_returned", None)
    if cached is not None:
        return cached
    found = []
    for package, event in review.returned(_my_organization_ids()):
        found.append(
            {
                "name": package.name,
                "title": package.title or package.name,
                "type": package.type or "dataset",
                "note": event.note if event else "",
                "returned_at": event.created if event else None,
            }
        )
    tk.g._sipessut_returned = found
    return found


# --- error pages ---------------------------------------------------------------------------


def error_text(code: Any, name: Any, content: Any) -> tuple[int, str, str]:
    """The code, heading and text of an error page in the visitor's language. CKAN shows
    Werkzeug's English name and description ("Not Found", "The requested URL was not
    found on the server...") unless a view gave a message of its own, which is kept."""
    headings = {
        400: tk._("The request could not be read"),
        403: tk._("You may not open this page"),
        404: tk._("Page not found"),
        405: tk._("This page does not take that request"),
        413: tk._("The file or form is too large"),
        500: tk._("Something went wrong on the portal"),
    }
    texts = {
        400: tk._("Something in the request is not as the portal expects. Go back and try again."),
        403: tk._("Your account does not have the right to see this page."),
        404: tk._(
            "The page may have moved or been removed. Search the portal's data or go to the"
            " home page."
        ),
        405: tk._("Go back to the page you came from and try again."),
        413: tk._("What you sent is larger than the portal accepts."),
        500: tk._("The error has been recorded. Try again in a moment."),
    }
    try:
        number = int(code[0] if isinstance(code, (list, tuple)) else code)
    except (TypeError, ValueError):
        number = 500
    known = werkzeug_exceptions.default_exceptions.get(number)
    own = content and not (known and str(content) == known.description)
    if number == 500 and str(content) == "Internal server error":
        own = False
    heading = headings.get(number) or str(name or tk._("Error"))
    return number, heading, str(content) if own else texts.get(number, "")


HELPERS = {
    "sipessut_portal_number": number,
    "sipessut_portal_facet_links": facet_links,
    "sipessut_portal_error_text": error_text,
    "sipessut_portal_date": date,
    "sipessut_portal_period": period,
    "render_datetime": render_datetime,
    "sipessut_portal_logo": logo,
    "sipessut_portal_colours_css": colours_css,
    "sipessut_portal_region_name": region_name,
    "sipessut_portal_default_license": default_license,
    "sipessut_portal_walidata": walidata,
    "sipessut_portal_main_nav": main_nav,
    "sipessut_portal_calendar_url": calendar_url,
    "sipessut_upcoming_releases": upcoming_releases,
    "sipessut_portal_home": home_page,
    "sipessut_portal_sektor_tiles": sektor_tiles,
    "sipessut_portal_may_choose_featured": may_choose_featured,
    "sipessut_portal_activity_type_label": activity_type_label,
    "sipessut_portal_type_label": type_label,
    "sipessut_portal_review_states": review_states,
    "sipessut_portal_item_facts": item_facts,
    "sipessut_portal_suggestions": suggestions,
    "sipessut_portal_is_table": is_table,
    "sipessut_portal_checked_by_walidata": checked_by_walidata,
    "sipessut_portal_checklist": checklist,
    "sipessut_portal_may_see_internal": may_see_internal,
    "sipessut_portal_returned": returned,
    "sipessut_portal_wilayah_field": lambda: wilayah.INDEX_FIELD,
}
