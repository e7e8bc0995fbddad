"""Pages of the monitoring: the public release calendar and its iCalendar feeds, the
data-request form and status page, the Walidata's monitoring (with drill-down and
exports), the management of data requests and the EPSS evidence."""

from __future__ import annotations

import csv
import datetime
import functools
import io
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model
from ckan.lib.pagination import Page
from flask import Blueprint, Response, stream_with_context

from ckanext.sipessut import codelists, numbers, review
from ckanext.sipessut.monitoring import (
    data_requests,
    epss,
    ical,
    measures,
    release_calendar,
    schedule,
    settings,
    xlsx,
)

blueprint = Blueprint("sipessut_monitoring", __name__)

CALENDAR_PAGE = 100
CHART_BARS = 15  # OPDs per chart, largest first; the table lists them all
REQUESTS_PAGE = 50
HONEYPOT = "alamat_situs"  # a field people never see; bots fill it in
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _refuse(error: tk.NotAuthorized):
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    return tk.abort(403, str(error))


def _download(chunks: Iterable[bytes | str], filename: str, mimetype: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads UTF-8 with its mark
    for row in _chain([header], rows):
        writer.writerow(["" if value is None else value for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(first: list[Any], rest: Iterable[Any]) -> Iterator[Any]:
    yield from first
    yield from rest


# --- release calendar --------------------------------------------------------------------


def _month_choices(today: datetime.date) -> list[tuple[str, str]]:
    start = schedule.add_months(today.replace(day=1), -6)
    months = [schedule.add_months(start, n) for n in range(6 + settings.calendar_months() + 1)]
    return [(m.strftime("%Y-%m"), tk.h.sipessut_monitoring_month(m)) for m in months]


@blueprint.route("/jadwal-rilis")
def calendar():
    """Jadwal Rilis: the public's advance release calendar."""
    args = tk.request.args
    filters = {k: args.get(k) for k in ("organization", "sektor", "month") if args.get(k)}
    page_number = max(tk.h.get_page_number(args), 1)
    errors = {}
    try:
        result = tk.get_action("sipessut_release_calendar_show")(
            _context(),
            {**filters, "limit": CALENDAR_PAGE, "offset": (page_number - 1) * CALENDAR_PAGE},
        )
    except tk.ValidationError as error:
        result, errors = {"count": 0, "results": []}, error.error_dict
    today = settings.today()
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for entry in result["results"]:
        key = "overdue" if entry["overdue"] else entry["next_release"][:7]
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(entry)
    extra_vars = {
        "result": result,
        "groups": groups,
        "filters": filters,
        "errors": errors,
        "today": today,
        "organizations": tk.h.sipessut_monitoring_organizations(),
        "sektor_choices": codelists.get("sektor").choices(codelists.current_language()),
        "month_choices": _month_choices(today),
        "page": Page(
            collection=result["results"],
            page=page_number,
            url=lambda q=None, page=1: tk.h.url_for(
                "sipessut_monitoring.calendar", page=page, **filters
            ),
            presliced_list=True,
            item_count=result["count"],
            items_per_page=CALENDAR_PAGE,
        ),
    }
    return tk.render("sipessut/monitoring/calendar.html", extra_vars)


def _ics(organization: str | None):
    group = None
    if organization:
        found_group = ckan_model.Group.get(organization)
        if found_group is None or not found_group.is_organization or found_group.state != "active":
            return tk.abort(404, tk._("There is no such OPD"))
        group = {"name": found_group.name, "title": found_group.title or found_group.name}
    count, found = release_calendar.entries(organization=group["name"] if group else None)
    site = tk.config.get("ckan.site_title") or "CKAN"
    host = urlsplit(tk.config.get("ckan.site_url") or "http://localhost").hostname or "localhost"
    name = tk._("Release calendar") + f" - {group['title'] if group else site}"

    def events() -> Iterator[dict[str, Any]]:
        for entry in found:
            opd = entry.organization["title"] if entry.organization else ""
            lines = [
                tk._("Next release of {title} ({opd}).").format(title=entry.title, opd=opd),
                tk._("Update schedule: {jadwal}").format(
                    jadwal=release_calendar.jadwal_label(entry.jadwal) or "-"
                ),
            ]
            if entry.overdue:
                lines.append(tk._("Overdue: the date has passed and no new version was published."))
            yield {
                "uid_base": entry.id,
                "due": entry.due,
                "summary": tk._("Release: {title}").format(title=entry.title),
                "description": "\n".join(lines),
                "url": tk.url_for("dataset.read", id=entry.name, _external=True),
                "categories": [release_calendar.sektor_label(entry.sektor), opd],
            }

    feed = ical.calendar(
        name,
        tk._("Next releases of the public data tables of {site}").format(site=site),
        events(),
        host,
    )
    filename = f"jadwal-rilis-{group['name']}.ics" if group else "jadwal-rilis.ics"
    response = Response(stream_with_context(feed), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@blueprint.route("/jadwal-rilis.ics")
def calendar_ics():
    return _ics(None)


@blueprint.route("/jadwal-rilis/<organization>.ics")
def calendar_opd_ics(organization: str):
    return _ics(organization)


# --- monitoring --------------------------------------------------------------------------


def _may_see(public_only: bool):
    """None when the user may see the monitoring (or its public summary), else the refusal."""
    try:
        tk.check_access("sipessut_monitoring_show", _context(), {"public": public_only})
    except tk.NotAuthorized as error:
        return _refuse(error)
    return None


def _year_arg() -> int | None:
    year = tk.request.args.get("year") or ""
    return int(year) if year.isdigit() and 1900 < int(year) < 2200 else None


def _sorted(found: measures.Overview) -> tuple[list[measures.OpdRow], str, bool]:
    key = tk.request.args.get("sort") or "title"
    descending = tk.request.args.get("dir") == "desc"
    return measures.sort_rows(found.rows, key, descending), key, descending


def _monitoring_page(public_only: bool):
    refused = _may_see(public_only)
    if refused is not None:
        return refused
    found = measures.overview(public_only, _year_arg())
    rows, sort, descending = _sorted(found)
    link = drill_linker(public_only, _year_arg())
    shown = measures.measures(public_only)
    write = numbers.formatter()
    extra_vars = {
        "drill_link": link,
        "overview": found,
        "rows": [(row, [_cell(row, m, link, write) for m in shown]) for row in rows],
        "totals": [_cell(found.totals, m, None, write) for m in shown],
        "sort": sort,
        "descending": descending,
        "measures": shown,
        "charts": _charts(rows, public_only, link, write),
        "chart_bars": CHART_BARS,
        "public_only": public_only,
        "field_labels": tk.h.sipessut_monitoring_field_labels(),
    }
    return tk.render("sipessut/monitoring/overview.html", extra_vars)


ORGANIZATION_SLOT = "__organization__"


def drill_linker(public_only: bool, year: int | None = None):
    """A function (organization name, measure) -> the drill-down's address, built from one
    url_for: a page of 100 OPDs has some 2,000 of these links."""
    base = tk.h.url_for("sipessut_monitoring.drill", organization=ORGANIZATION_SLOT)
    extra = {"public": "1" if public_only else None, "year": year}

    @functools.cache
    def query(measure: str | None) -> str:
        params = {k: v for k, v in {"measure": measure, **extra}.items() if v is not None}
        return f"?{urlencode(params)}" if params else ""

    def link(organization: str, measure: str | None = None) -> str:
        return base.replace(ORGANIZATION_SLOT, quote(organization, safe="")) + query(measure)

    return link


def _cell(
    row: measures.OpdRow, measure: measures.Measure, link, write
) -> tuple[str, Any, Any, Any]:
    """A cell of the monitoring table: (measure, value, share in %, drill-down URL), the
    numbers written in the visitor's language. Built here, not in a template macro: a page
    of 100 OPDs has some 2,000 of them."""
    value = row.values.get(measure.key)
    url = None
    if link is not None and measure.matches and value:
        url = link(row.organization["name"], measure.key)
    return measure.key, write(value), write(row.percent(measure.key)), url


def _charts(
    rows: list[measures.OpdRow], public_only: bool, link, write
) -> list[tuple[str, list[Any]]]:
    """A chart per measure: (title, [(OPD, value, drill-down URL, value as written)]), the
    CHART_BARS largest first; a share where the measure has a base (valid tables of all
    tables...)."""
    charts = []
    for measure in measures.measures(public_only):
        if not measure.chart:
            continue
        items = []
        for row in rows:
            if not row.values.get("datasets"):
                continue
            value = row.percent(measure.key) if measure.percent_of else row.values.get(measure.key)
            url = link(row.organization["name"], measure.key) if measure.matches else None
            items.append((row.organization["title"], value, url))
        items.sort(key=lambda item: (item[1] is None, -(item[1] or 0), item[0].lower()))
        items = [(*item, write(item[1])) for item in items[:CHART_BARS]]
        title = measure.label() + (" (%)" if measure.percent_of else "")
        charts.append((title, items))
    return charts


@blueprint.route("/walidata/monitoring")
def overview():
    return _monitoring_page(False)


@blueprint.route("/monitoring")
def public_overview():
    if not settings.public_summary():
        return tk.abort(404, tk._("This portal does not publish its monitoring summary"))
    return _monitoring_page(True)


def overview_table(found: measures.Overview) -> tuple[list[str], list[list[Any]]]:
    """The monitoring table as an export: one row per OPD, then the region."""
    shown = measures.measures(found.public_only)
    header = (
        [tk._("OPD"), tk._("URL name")]
        + [m.label() for m in shown]
        + [
            tk._("Releases this year"),
            tk._("Tables with a data dictionary"),
            tk._("Most often missing"),
            tk._("Kode referensi used"),
            tk._("Last update"),
        ]
    )
    labels = tk.h.sipessut_monitoring_field_labels()

    def line(row: measures.OpdRow) -> list[Any]:
        return (
            [row.organization["title"], row.organization["name"]]
            + [row.values.get(m.key) for m in shown]
            + [
                row.values.get("releases", 0),
                row.values.get("with_dictionary", 0),
                "; ".join(f"{labels.get(f, f)} ({n})" for f, n in row.missing[:5]),
                "; ".join(f"{c} ({n})" for c, n in row.reference_codes),
                row.last_update.date() if row.last_update else None,
            ]
        )

    return header, [line(row) for row in found.rows] + [line(found.totals)]


@blueprint.route("/walidata/monitoring/ekspor.<fmt>")
def overview_export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        return tk.abort(404)
    public_only = tk.request.args.get("public") == "1"
    if public_only and not settings.public_summary():
        return tk.abort(404)
    refused = _may_see(public_only)
    if refused is not None:
        return refused
    found = measures.overview(public_only, _year_arg())
    header, rows = overview_table(found)
    stamp = found.produced.strftime("%Y%m%d")
    if fmt == "csv":
        return _download(_csv_lines(header, rows), f"monitoring-opd-{stamp}.csv", "text/csv")
    about = [
        [tk._("Produced"), found.produced.strftime("%Y-%m-%d %H:%M %Z")],
        [tk._("Portal"), tk.config.get("ckan.site_title")],
        [tk._("Releases counted for the year"), found.year],
        [tk._("Datasets"), tk._("public datasets only") if public_only else tk._("all datasets")],
    ]
    sheets = [
        (tk._("Monitoring per OPD"), header, rows),
        (tk._("About"), [tk._("Item"), tk._("Value")], about),
    ]
    return _download(xlsx.workbook(sheets), f"monitoring-opd-{stamp}.xlsx", XLSX_TYPE)


def _drill_rows(result: dict[str, Any], public_only: bool) -> tuple[list[str], list[list[Any]]]:
    labels = tk.h.sipessut_monitoring_field_labels()
    header = [tk._("Dataset"), tk._("URL")]
    if not public_only:
        header.append(tk._("Review state"))
    header += [
        tk._("Completeness (%)"),
        tk._("Missing"),
        tk._("Tables"),
        tk._("Valid tables"),
        tk._("Invalid tables"),
        tk._("Tables not validated"),
        tk._("Tables in the DataStore"),
        tk._("Next release"),
        tk._("Overdue"),
        tk._("Releases on time"),
        tk._("Late releases"),
        tk._("Standar Data code"),
        tk._("Kode referensi used"),
        tk._("Last update"),
    ]
    rows = []
    for item in result["results"]:
        line = [item["title"], tk.url_for("dataset.read", id=item["name"], _external=True)]
        if not public_only:
            line.append(review.state_label(item["state"]))
        line += [
            item["completeness"],
            "; ".join(labels.get(f, f) for f in item["missing"]),
            item["tables"],
            item["valid"],
            item["invalid"],
            item["not_validated"],
            item["datastore"],
            item["next_release"],
            tk._("yes") if item["overdue"] else "",
            item["on_time"],
            item["late"],
            tk._("yes") if item["kode_sds"] else "",
            ", ".join(item["reference_codes"]),
            (item["metadata_modified"] or "")[:10],
        ]
        rows.append(line)
    return header, rows


@blueprint.route("/walidata/monitoring/opd/<organization>")
def drill(organization: str):
    """The data tables behind one OPD's figure."""
    args = tk.request.args
    public_only = args.get("public") == "1" and settings.public_summary()
    measure = args.get("measure") or "datasets"
    try:
        result = tk.get_action("sipessut_monitoring_datasets")(
            _context(),
            {
                "organization": organization,
                "measure": measure,
                "public": public_only,
                "year": args.get("year") or None,
            },
        )
    except tk.NotAuthorized as error:
        return _refuse(error)
    except tk.ValidationError as error:
        if "organization" in error.error_dict:
            return tk.abort(404, tk._("There is no such OPD"))
        return tk.abort(400, " ".join(m for ms in error.error_dict.values() for m in ms))
    fmt = args.get("format")
    if fmt in ("csv", "xlsx"):
        header, rows = _drill_rows(result, public_only)
        name = f"monitoring-{result['organization']['name']}-{measure}"
        if fmt == "csv":
            return _download(_csv_lines(header, rows), f"{name}.csv", "text/csv")
        return _download(xlsx.workbook([(measure, header, rows)]), f"{name}.xlsx", XLSX_TYPE)
    shown = [m for m in measures.measures(public_only) if m.matches is not None]
    extra_vars = {
        "result": result,
        "measure": measures.BY_KEY[measure],
        "measures": shown,
        "public_only": public_only,
        "field_labels": tk.h.sipessut_monitoring_field_labels(),
        "year": args.get("year"),
    }
    return tk.render("sipessut/monitoring/drill.html", extra_vars)


# --- data requests -----------------------------------------------------------------------


FORM_FIELDS = ("name", "email", "organisation", "title", "purpose")


@blueprint.route("/permintaan-data", methods=["GET", "POST"])
def request_form():
    """The public's form to ask for data; the honeypot and the hourly limit keep spam out."""
    values = dict.fromkeys(FORM_FIELDS, "")
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        values = {key: form.get(key, "")[: data_requests.LIMITS[key] + 1000] for key in FORM_FIELDS}
        if form.get(HONEYPOT):
            # A robot: say nothing useful, keep nothing.
            return tk.render("sipessut/monitoring/request_sent.html", {"status_url": None})
        try:
            created = tk.get_action("sipessut_data_request_create")(_context(), dict(values))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            return tk.render(
                "sipessut/monitoring/request_sent.html", {"status_url": created["status_url"]}
            )
    status = 409 if errors else 200
    return tk.render(
        "sipessut/monitoring/request_form.html",
        {"values": values, "errors": errors, "limits": data_requests.LIMITS, "honeypot": HONEYPOT},
    ), status


@blueprint.route("/permintaan-data/status/<token>")
def request_status(token: str):
    try:
        found = tk.get_action("sipessut_data_request_status")(_context(), {"token": token})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("There is no such data request"))
    response = Response(
        tk.render("sipessut/monitoring/request_status.html", {"data_request": found})
    )
    # The link is the key: keep it out of other sites' logs and of shared caches.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/permintaan-data/kelola")
def request_list():
    args = tk.request.args
    filters = {k: args.get(k) for k in ("state", "organization") if args.get(k)}
    page_number = max(tk.h.get_page_number(args), 1)
    try:
        result = tk.get_action("sipessut_data_request_list")(
            _context(),
            {**filters, "limit": REQUESTS_PAGE, "offset": (page_number - 1) * REQUESTS_PAGE},
        )
    except tk.NotAuthorized as error:
        return _refuse(error)
    except tk.ValidationError as error:
        return tk.abort(400, " ".join(m for ms in error.error_dict.values() for m in ms))
    extra_vars = {
        "result": result,
        "filters": filters,
        "states": [(code, data_requests.state_label(code)) for code in data_requests.STATES],
        "is_walidata": tk.h.check_access("sipessut_data_request_assign", {"id": ""}),
        "page": Page(
            collection=result["results"],
            page=page_number,
            url=lambda q=None, page=1: tk.h.url_for(
                "sipessut_monitoring.request_list", page=page, **filters
            ),
            presliced_list=True,
            item_count=result["count"],
            items_per_page=REQUESTS_PAGE,
        ),
    }
    return tk.render("sipessut/monitoring/request_list.html", extra_vars)


def _render_manage(
    request_id: str,
    errors: dict[str, Any] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
):
    try:
        found = tk.get_action("sipessut_data_request_show")(_context(), {"id": request_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("There is no such data request"))
    except tk.NotAuthorized as error:
        return _refuse(error)
    extra_vars = {
        "data_request": found,
        "errors": errors or {},
        "values": values or {},
        "can_assign": tk.h.check_access("sipessut_data_request_assign", {"id": request_id}),
        "can_answer": tk.h.check_access("sipessut_data_request_answer", {"id": request_id}),
        "open": found["state"] in data_requests.OPEN,
        "organizations": tk.h.sipessut_monitoring_organizations(),
    }
    return tk.render("sipessut/monitoring/request_manage.html", extra_vars), status


@blueprint.route("/permintaan-data/kelola/<id>")
def request_manage(id: str):
    return _render_manage(id)


@blueprint.route("/permintaan-data/kelola/<id>/<step>", methods=["POST"])
def request_act(id: str, step: str):
    if step not in ("assign", "answer"):
        return tk.abort(404)
    form = tk.request.form
    values = {key: form.get(key, "") for key in ("organization", "note", "dataset", "reason")}
    data = {"id": id}
    if step == "assign":
        data.update(organization=values["organization"], note=values["note"])
    else:
        data.update(dataset=values["dataset"], reason=values["reason"])
    try:
        tk.get_action(f"sipessut_data_request_{step}")(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("There is no such data request"))
    except tk.NotAuthorized as error:
        return _refuse(error)
    except tk.ValidationError as error:
        return _render_manage(id, error.error_dict, values, 409)
    tk.h.flash_success(
        tk._("The request has been forwarded")
        if step == "assign"
        else tk._("The answer has been sent to the requester")
    )
    return tk.redirect_to("sipessut_monitoring.request_manage", id=id)


# --- EPSS --------------------------------------------------------------------------------


def _evidence():
    try:
        tk.check_access("sipessut_epss_evidence", _context(), {})
    except tk.NotAuthorized as error:
        return None, _refuse(error)
    try:
        return epss.evidence(_year_arg()), None
    except epss.IndicatorFileError as error:
        return None, tk.abort(500, str(error))


@blueprint.route("/walidata/bukti-epss")
def epss_page():
    found, refused = _evidence()
    if refused is not None:
        return refused
    return tk.render(
        "sipessut/monitoring/epss.html",
        {
            "evidence": found,
            "figures": epss.FIGURES,
            "figure_text": epss.figure_text,
            "links": epss.link_items,
        },
    )


@blueprint.route("/walidata/bukti-epss.xlsx")
def epss_xlsx():
    found, refused = _evidence()
    if refused is not None:
        return refused
    assert found is not None
    header = [
        tk._("Indicator"),
        tk._("Name"),
        tk._("Figure"),
        tk._("OPD"),
        tk._("Value"),
        tk._("Of"),
        tk._("Percent"),
    ]

    def rows() -> Iterator[list[Any]]:
        for indicator in found.indicators:
            for key in indicator.figures:
                figure = epss.FIGURES[key]
                yield [
                    indicator.code,
                    indicator.title(),
                    figure.label(),
                    tk._("Whole region"),
                    *epss.figure_cells(figure, found.region),
                ]
                for organization, values in found.opds:
                    yield [
                        indicator.code,
                        indicator.title(),
                        figure.label(),
                        organization["title"],
                        *epss.figure_cells(figure, values),
                    ]

    links = [
        [indicator.code, indicator.title(), label, url]
        for indicator in found.indicators
        for label, url in epss.link_items(indicator)
    ]
    about = [
        [tk._("Produced"), found.produced.strftime("%Y-%m-%d %H:%M %Z")],
        [tk._("Portal"), tk.config.get("ckan.site_title")],
        [
            tk._("Instrument"),
            found.instrument.get(codelists.current_language()) or found.instrument["id"],
        ],
        [tk._("Year of releases and requests"), found.year],
    ]
    sheets = [
        (tk._("EPSS evidence"), header, rows()),
        (tk._("Links"), [tk._("Indicator"), tk._("Name"), tk._("Page"), tk._("Address")], links),
        (tk._("About"), [tk._("Item"), tk._("Value")], about),
    ]
    stamp = found.produced.strftime("%Y%m%d")
    return _download(xlsx.workbook(sheets), f"bukti-epss-{stamp}.xlsx", XLSX_TYPE)
