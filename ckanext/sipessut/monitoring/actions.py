"""Actions of the monitoring domain (each with its auth function in auth.py)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut.monitoring import (
    auth,
    data_requests,
    epss,
    measures,
    model,
    release_calendar,
    reminders,
    schedule,
    settings,
)

PAGE_MAX = 1000
TOO_FAR = 50  # years


def _int(data: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = data.get(key, default)
    try:
        number = int(value if value not in (None, "") else default)
    except (TypeError, ValueError):
        raise tk.ValidationError({key: [tk._("Please enter an integer value")]}) from None
    if not low <= number <= high:
        raise tk.ValidationError(
            {key: [tk._("Must be between {low} and {high}").format(low=low, high=high)]}
        )
    return number


def _year(data: dict[str, Any]) -> int:
    this_year = settings.today().year
    return _int(data, "year", this_year, this_year - TOO_FAR, this_year + TOO_FAR)


def _text(data: dict[str, Any], key: str, limit: int = 200) -> str | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise tk.ValidationError({key: [tk._("At most {limit} characters").format(limit=limit)]})
    return value.strip() or None


def _organization(data: dict[str, Any], key: str = "organization") -> ckan_model.Group | None:
    value = _text(data, key)
    if not value:
        return None
    group = ckan_model.Group.get(value)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError({key: [tk._("There is no such OPD")]})
    return group


# --- release calendar --------------------------------------------------------------------


@tk.side_effect_free
def release_calendar_show(context, data_dict) -> dict[str, Any]:
    """The public release calendar: next releases of public data tables, earliest first.

    :param organization: only this OPD's (name or id)
    :param sektor: only this sektor (code)
    :param month: only this month (YYYY-MM); otherwise the overdue ones and the months ahead
    :param limit: at most this many (default 100, at most 1000); :param offset:
    :returns: ``{"count", "results": [{"id", "name", "title", "organization",
        "next_release", "last_release", "sektor", "jadwal_pemutakhiran", "overdue", "url"}]}``
    """
    tk.check_access("sipessut_release_calendar_show", context, data_dict)
    organization = _organization(data_dict)
    month = _text(data_dict, "month", 7)
    if month:
        try:
            release_calendar.month_bounds(month)
        except ValueError:
            raise tk.ValidationError({"month": [tk._("A month is written YYYY-MM")]}) from None
    count, found = release_calendar.entries(
        organization=organization.name if organization else None,
        sektor=_text(data_dict, "sektor", 10),
        month=month,
        limit=_int(data_dict, "limit", 100, 1, PAGE_MAX),
        offset=_int(data_dict, "offset", 0, 0, 10**6),
    )
    return {"count": count, "results": [entry.as_dict() for entry in found]}


@tk.side_effect_free
def release_history(context, data_dict) -> dict[str, Any]:
    """The releases the portal recorded for a data table, newest first, with punctuality.

    :param id: the dataset's id or name (whoever may read the dataset)
    """
    package = ckan_model.Package.get(tk.get_or_bust(data_dict, "id"))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("package_show", context, {"id": package.id})
    grace = settings.grace_days()
    return {
        "package_id": package.id,
        "releases": [
            {
                "date": row["release_date"].isoformat(),
                "due": row["due_date"].isoformat() if row["due_date"] else None,
                "days_late": row["days_late"],
                "punctuality": schedule.punctuality(row["days_late"], grace),
                "trigger": row["trigger"],
            }
            for row in model.releases_of(package.id)
        ],
    }


# --- monitoring --------------------------------------------------------------------------


def _row_dict(row: measures.OpdRow, public_only: bool) -> dict[str, Any]:
    return {
        "organization": row.organization,
        **{m.key: row.values.get(m.key) for m in measures.measures(public_only)},
        "releases": row.values.get("releases", 0),
        "with_dictionary": row.values.get("with_dictionary", 0),
        "missing": [{"field": f, "datasets": n} for f, n in row.missing],
        "reference_codes": [{"codelist": c, "datasets": n} for c, n in row.reference_codes],
        "last_update": row.last_update.isoformat() if row.last_update else None,
    }


@tk.side_effect_free
def monitoring_show(context, data_dict) -> dict[str, Any]:
    """Figures per OPD: datasets by review state, metadata completeness, tables by
    validation status and in the DataStore, releases, codes, decision times.

    :param public: the public summary (public datasets only, no review figures)
    :param year: the year whose releases are counted (default: this year)
    """
    public_only = tk.asbool(data_dict.get("public", False))
    tk.check_access("sipessut_monitoring_show", context, {"public": public_only})
    found = measures.overview(public_only, _year(data_dict))
    return {
        "year": found.year,
        "produced": found.produced.isoformat(),
        "public": public_only,
        "organizations": [_row_dict(row, public_only) for row in found.rows],
        "region": _row_dict(found.totals, public_only),
    }


@tk.side_effect_free
def monitoring_datasets(context, data_dict) -> dict[str, Any]:
    """The data tables behind one OPD's figure (the drill-down).

    :param organization: the OPD (name or id)
    :param measure: one of the figures with a list (default: ``datasets``, all of them)
    :param public: public datasets only; :param year: as monitoring_show
    """
    public_only = tk.asbool(data_dict.get("public", False))
    tk.check_access("sipessut_monitoring_show", context, {"public": public_only})
    organization = _organization(data_dict)
    if organization is None:
        raise tk.ValidationError({"organization": [tk._("Required field")]})
    key = _text(data_dict, "measure", 40) or "datasets"
    measure = measures.BY_KEY.get(key)
    if measure is None or measure.matches is None or measure not in measures.measures(public_only):
        raise tk.ValidationError({"measure": [tk._("There is no such figure")]})
    rows = measures.dataset_rows(
        public_only, {"id": organization.id, "name": organization.name}, _year(data_dict)
    )
    chosen = [row for row in rows if measure.matches(row)]
    return {
        "organization": {
            "id": organization.id,
            "name": organization.name,
            "title": organization.title,
        },
        "measure": key,
        "count": len(chosen),
        "results": [_dataset_dict(row, public_only) for row in chosen],
    }


def _dataset_dict(row: dict[str, Any], public_only: bool) -> dict[str, Any]:
    result = {
        key: row.get(key)
        for key in (
            "id",
            "name",
            "title",
            "completeness",
            "complete",
            "missing",
            "tables",
            "valid",
            "invalid",
            "not_validated",
            "datastore",
            "on_time",
            "late",
            "max_days_late",
            "overdue",
            "kode_sds",
            "reference_codes",
        )
    }
    result["next_release"] = row["next_release"].isoformat() if row.get("next_release") else None
    result["metadata_modified"] = (
        row["metadata_modified"].isoformat() if row.get("metadata_modified") else None
    )
    if not public_only:
        result["state"] = row.get("state")
    return result


# --- reminders ---------------------------------------------------------------------------


def reminder_run(context, data_dict) -> dict[str, Any]:
    """Email the OPDs' editors about releases due soon or overdue, once per due date.

    :param dry_run: only say who would get what
    """
    tk.check_access("sipessut_reminder_run", context, data_dict)
    return reminders.run(dry_run=tk.asbool(data_dict.get("dry_run", False)))


# --- data requests -----------------------------------------------------------------------


def data_request_create(context, data_dict) -> dict[str, Any]:
    """Ask the Walidata for data (anyone). The answer's link is for the requester only.

    :param name: the requester's name; :param email: where the answers go;
    :param organisation: optional; :param title: what data; :param purpose: what for
    :returns: ``{"state", "token", "status_url"}``
    """
    tk.check_access("sipessut_data_request_create", context, data_dict)
    address = context.get("client_address")
    if address is None:
        try:
            address = tk.request.remote_addr or ""
        except RuntimeError:  # outside a request
            address = ""
    created = data_requests.create(data_dict, address)
    return {
        "state": created["state"],
        "token": created["token"],
        "status_url": data_requests.status_url(created),
    }


@tk.side_effect_free
def data_request_status(context, data_dict) -> dict[str, Any]:
    """A request's public status, by its token (no personal data).

    :param token: the link's token
    """
    tk.check_access("sipessut_data_request_status", context, data_dict)
    found = data_requests.by_token(str(data_dict.get("token") or ""))
    if found is None:
        raise tk.ObjectNotFound(tk._("There is no such data request"))
    return data_requests.public_view(found)


def _request_or_404(data_dict: dict[str, Any]) -> dict[str, Any]:
    found = data_requests.get(str(tk.get_or_bust(data_dict, "id")))
    if found is None:
        raise tk.ObjectNotFound(tk._("There is no such data request"))
    return found


def _management_view(request: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    view = data_requests.public_view(request)
    view["name"] = request["name"]
    view["organisation"] = request.get("organisation")
    view["organization_id"] = request.get("organization_id")
    if auth.is_walidata(context):  # the requester's address: the Walidata only
        view["email"] = request["email"]
    return view


@tk.side_effect_free
def data_request_list(context, data_dict) -> dict[str, Any]:
    """Data requests with their state and waiting time: every one for the Walidata, those
    forwarded to one's OPD for its editors and admins.

    :param state: one of diterima, diteruskan, tersedia, tidak_tersedia
    :param organization: only those forwarded to this OPD
    :param limit: default 50, at most 200; :param offset:
    """
    tk.check_access("sipessut_data_request_list", context, data_dict)
    state = _text(data_dict, "state", 20)
    if state and state not in data_requests.STATES:
        raise tk.ValidationError({"state": [tk._("There is no such state")]})
    organization = _organization(data_dict)
    filters = data_requests.Filters(
        state=state,
        organization_id=organization.id if organization else None,
        organization_ids=None
        if auth.is_walidata(context)
        else auth.producer_organizations(context),
    )
    count, rows, per_state = data_requests.listing(
        filters, _int(data_dict, "limit", 50, 1, 200), _int(data_dict, "offset", 0, 0, 10**6)
    )
    return {
        "count": count,
        "states": {code: per_state.get(code, 0) for code in data_requests.STATES},
        "results": [_management_view(row, context) for row in rows],
    }


@tk.side_effect_free
def data_request_show(context, data_dict) -> dict[str, Any]:
    """One request with its steps (the Walidata, and the OPD it is forwarded to).

    :param id: the request's id
    """
    found = _request_or_404(data_dict)
    tk.check_access("sipessut_data_request_show", context, {"id": found["id"]})
    view = _management_view(found, context)
    users = {}
    view["events"] = []
    for event in data_requests.events(found["id"]):
        actor = users.get(event["actor_id"]) or (
            ckan_model.User.get(event["actor_id"]) if event["actor_id"] else None
        )
        organization = (
            ckan_model.Group.get(event["organization_id"]) if event["organization_id"] else None
        )
        view["events"].append(
            {
                "created": event["created"].isoformat(),
                "action": event["action"],
                "from_state": event["from_state"],
                "to_state": event["to_state"],
                "actor": actor.display_name if actor else None,
                "organization": organization.title if organization else None,
                "note": event["note"],
            }
        )
    return view


def data_request_assign(context, data_dict) -> dict[str, Any]:
    """Forward a request to an OPD (the Walidata).

    :param id: the request; :param organization: the OPD (name or id); :param note: optional
    """
    found = _request_or_404(data_dict)
    tk.check_access("sipessut_data_request_assign", context, {"id": found["id"]})
    organization = _organization(data_dict)
    if organization is None:
        raise tk.ValidationError({"organization": [tk._("Choose the OPD to forward it to")]})
    note = _text(data_dict, "note", data_requests.ANSWER_MAX)
    actor = auth.acting_user(context)
    return _management_view(
        data_requests.assign(found, organization, actor.id if actor else None, note), context
    )


def data_request_answer(context, data_dict) -> dict[str, Any]:
    """Answer a request: with a public dataset, or with the reason it cannot be provided.

    :param id: the request; :param dataset: a public dataset (name or id), or
    :param reason: why the data cannot be provided (at most 5000 characters); both may be
        given (the reason is then a note with the dataset)
    """
    found = _request_or_404(data_dict)
    tk.check_access("sipessut_data_request_answer", context, {"id": found["id"]})
    reason = _text(data_dict, "reason", data_requests.ANSWER_MAX)
    dataset = _text(data_dict, "dataset", 300)
    package = None
    if dataset:
        package = ckan_model.Package.get(dataset.rstrip("/").rsplit("/", 1)[-1])
        if package is None or package.state != "active" or package.private:
            raise tk.ValidationError(
                {"dataset": [tk._("Give a public dataset of the portal (its URL or name)")]}
            )
    if package is None and not reason:
        raise tk.ValidationError(
            {
                "reason": [
                    tk._("Give the dataset that answers it, or the reason it cannot be provided")
                ]
            }
        )
    actor = auth.acting_user(context)
    return _management_view(
        data_requests.answer(found, package, reason, actor.id if actor else None), context
    )


# --- EPSS --------------------------------------------------------------------------------


@tk.side_effect_free
def epss_evidence(context, data_dict) -> dict[str, Any]:
    """Figures and links for each EPSS indicator the portal evidences, per OPD and region.

    :param year: the year of releases and requests counted (default: this year)
    """
    tk.check_access("sipessut_epss_evidence", context, data_dict)
    try:
        found = epss.evidence(_year(data_dict))
    except epss.IndicatorFileError as error:
        raise tk.ValidationError({"epss_indicators": [str(error)]}) from None

    def figures(indicator: epss.Indicator, values: dict[str, Any]) -> list[dict[str, Any]]:
        result = []
        for key in indicator.figures:
            value, total = epss.FIGURES[key].compute(values)
            result.append({"figure": key, "value": value, "total": total})
        return result

    return {
        "instrument": found.instrument,
        "produced": found.produced.isoformat(),
        "year": found.year,
        "indicators": [
            {
                "code": indicator.code,
                "name": indicator.title(),
                "links": [url for _, url in epss.link_items(indicator)],
                "region": figures(indicator, found.region),
                "organizations": [
                    {"organization": org["name"], "figures": figures(indicator, values)}
                    for org, values in found.opds
                ],
            }
            for indicator in found.indicators
        ],
    }
