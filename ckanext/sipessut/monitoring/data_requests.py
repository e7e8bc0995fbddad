"""Permintaan Data: the public asks for data the portal does not have (EPSS 20101-20102,
"kebutuhan data"); the Walidata forwards it to an OPD, which answers with a dataset or a
reason; the requester is told by email and follows it at an unguessable link.

States: DITERIMA (received, waiting for the Walidata) -> DITERUSKAN (forwarded to an OPD)
-> TERSEDIA (answered with a dataset) or TIDAK_TERSEDIA (answered with a reason). The
Walidata may answer at once, and forward again while it is open. Every step is an event.
A requester's email address is never shown on a public page nor to an OPD.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model as ckan_model

from ckanext.sipessut import formats, review
from ckanext.sipessut.monitoring import mail, model, settings

DITERIMA = "diterima"
DITERUSKAN = "diteruskan"
TERSEDIA = "tersedia"
TIDAK_TERSEDIA = "tidak_tersedia"
STATES = (DITERIMA, DITERUSKAN, TERSEDIA, TIDAK_TERSEDIA)
OPEN = (DITERIMA, DITERUSKAN)

# Limits of what a visitor may type (characters).
LIMITS = {
    "name": 200,
    "email": formats.MAX_EMAIL,
    "organisation": 200,
    "title": 300,
    "purpose": 5000,
}
ANSWER_MAX = 5000
TOKEN_BYTES = 24  # 192 bits: the status link cannot be guessed


def state_label(state: str) -> str:
    labels = {
        DITERIMA: tk._("Received, waiting for the Walidata"),
        DITERUSKAN: tk._("Forwarded to the OPD"),
        TERSEDIA: tk._("Answered: the data is available"),
        TIDAK_TERSEDIA: tk._("Answered: the data cannot be provided"),
    }
    return labels.get(state, state)


def client_hash(address: str) -> str:
    """A keyed hash of a network address: enough to count, never the address itself."""
    key = str(tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or "")
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def _errors_of(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    clean: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, limit in LIMITS.items():
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            errors[key] = [tk._("This must be text")]
            continue
        value = " ".join((value or "").split()) if key != "purpose" else (value or "").strip()
        try:
            formats.check_length(value, limit)
            if key == "email":
                value = formats.check_email(value)
        except formats.RuleError as error:
            errors[key] = [str(error)]
            continue
        clean[key] = value
    for key in ("name", "email", "title", "purpose"):
        if key not in errors and not clean.get(key):
            errors[key] = [tk._("Required field")]
    return clean, errors


def too_many(email: str, client: str) -> bool:
    """Whether this address (network or email) already sent the hourly limit."""
    limit = settings.requests_per_hour()
    if limit <= 0:
        return False
    since = model.utcnow() - datetime.timedelta(hours=1)
    table = model.data_request.c
    count = ckan_model.Session.execute(
        sa.select(sa.func.count()).where(
            table.created >= since,
            sa.or_(table.client_hash == client, sa.func.lower(table.email) == email.lower()),
        )
    ).scalar()
    return int(count or 0) >= limit


def _event(
    request_id: str,
    actor_id: str | None,
    action: str,
    source: str | None,
    target: str,
    organization_id: str | None = None,
    note: str | None = None,
) -> None:
    ckan_model.Session.execute(
        sa.insert(model.data_request_event).values(
            id=model.new_id(),
            request_id=request_id,
            created=model.utcnow(),
            actor_id=actor_id,
            action=action,
            from_state=source,
            to_state=target,
            organization_id=organization_id,
            note=note,
        )
    )


def create(data: dict[str, Any], client_address: str) -> dict[str, Any]:
    clean, errors = _errors_of(data)
    if errors:
        raise tk.ValidationError(errors)
    client = client_hash(client_address or "unknown")
    if too_many(clean["email"], client):
        raise tk.ValidationError(
            {
                "limit": [
                    tk._(
                        "Too many requests from this address in the last hour: please try"
                        " again later."
                    )
                ]
            }
        )
    now = model.utcnow()
    row = {
        "id": model.new_id(),
        "token": secrets.token_urlsafe(TOKEN_BYTES),
        "created": now,
        "updated": now,
        "state": DITERIMA,
        "name": clean["name"],
        "email": clean["email"],
        "organisation": clean.get("organisation") or None,
        "title": clean["title"],
        "purpose": clean["purpose"],
        "client_hash": client,
    }
    ckan_model.Session.execute(sa.insert(model.data_request).values(**row))
    _event(row["id"], None, "create", None, DITERIMA)
    ckan_model.Session.commit()
    request = get(row["id"])
    assert request is not None
    notify(request, "create")
    return request


@dataclass
class Filters:
    state: str | None = None
    organization_id: str | None = None
    organization_ids: list[str] | None = None  # what an OPD user may see


def get(request_id: str) -> dict[str, Any] | None:
    row = (
        ckan_model.Session.execute(
            sa.select(model.data_request).where(model.data_request.c.id == request_id)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def by_token(token: str) -> dict[str, Any] | None:
    if not token or len(token) > 100:
        return None
    row = (
        ckan_model.Session.execute(
            sa.select(model.data_request).where(model.data_request.c.token == token)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def events(request_id: str) -> list[dict[str, Any]]:
    rows = ckan_model.Session.execute(
        sa.select(model.data_request_event)
        .where(model.data_request_event.c.request_id == request_id)
        .order_by(model.data_request_event.c.created, model.data_request_event.c.id)
    ).mappings()
    return [dict(row) for row in rows]


def listing(
    filters: Filters, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]], dict[str, int]]:
    """Requests, open ones first (oldest first), then answered ones (newest first); the
    count and a count per state under the organization filters."""
    table = model.data_request.c
    wanted = []
    if filters.organization_id:
        wanted.append(table.organization_id == filters.organization_id)
    if filters.organization_ids is not None:
        wanted.append(table.organization_id.in_(filters.organization_ids or [""]))
    per_state = dict(
        ckan_model.Session.execute(
            sa.select(table.state, sa.func.count()).where(*wanted).group_by(table.state)
        ).all()
    )
    if filters.state:
        wanted.append(table.state == filters.state)
    count = ckan_model.Session.execute(
        sa.select(sa.func.count()).select_from(model.data_request).where(*wanted)
    ).scalar()
    is_open = table.state.in_(OPEN)
    rows = ckan_model.Session.execute(
        sa.select(model.data_request)
        .where(*wanted)
        .order_by(
            sa.case((is_open, 0), else_=1),
            sa.case((is_open, table.created), else_=None),
            table.created.desc(),
        )
        .limit(limit)
        .offset(offset)
    ).mappings()
    return int(count or 0), [dict(row) for row in rows], per_state


def waiting_days(request: dict[str, Any], now: datetime.datetime | None = None) -> int:
    """Days since it was received: until now while open, until the answer otherwise."""
    end = request.get("answered_at") or now or model.utcnow()
    return max(0, (end - request["created"]).days)


def _transition(request: dict[str, Any], target: str, values: dict[str, Any]) -> bool:
    """Move it from the state it was read in; False when someone else moved it meanwhile."""
    table = model.data_request.c
    moved = ckan_model.Session.execute(
        sa.update(model.data_request)
        .where(table.id == request["id"], table.state == request["state"])
        .values(state=target, updated=model.utcnow(), **values)
    ).rowcount
    return moved == 1


def _concurrent() -> tk.ValidationError:
    ckan_model.Session.rollback()
    return tk.ValidationError(
        {"state": [tk._("Someone else has just acted on this request: reload the page")]}
    )


def assign(
    request: dict[str, Any], organization: ckan_model.Group, actor_id: str | None, note: str | None
) -> dict[str, Any]:
    if request["state"] not in OPEN:
        raise tk.ValidationError({"state": [tk._("This request has already been answered")]})
    if not _transition(request, DITERUSKAN, {"organization_id": organization.id}):
        raise _concurrent()
    _event(request["id"], actor_id, "assign", request["state"], DITERUSKAN, organization.id, note)
    ckan_model.Session.commit()
    updated = get(request["id"])
    assert updated is not None
    notify(updated, "assign", note=note)
    return updated


def answer(
    request: dict[str, Any],
    package: ckan_model.Package | None,
    reason: str | None,
    actor_id: str | None,
) -> dict[str, Any]:
    if request["state"] not in OPEN:
        raise tk.ValidationError({"state": [tk._("This request has already been answered")]})
    target = TERSEDIA if package is not None else TIDAK_TERSEDIA
    values = {
        "answer_package_id": package.id if package is not None else None,
        "answer": reason or None,
        "answered_at": model.utcnow(),
    }
    if not _transition(request, target, values):
        raise _concurrent()
    _event(
        request["id"],
        actor_id,
        "answer",
        request["state"],
        target,
        request.get("organization_id"),
        reason,
    )
    ckan_model.Session.commit()
    updated = get(request["id"])
    assert updated is not None
    notify(updated, "answer")
    return updated


def public_view(request: dict[str, Any]) -> dict[str, Any]:
    """What the requester's status page (and the public API) may say: never the email."""
    organization = (
        ckan_model.Group.get(request["organization_id"]) if request.get("organization_id") else None
    )
    package = (
        ckan_model.Package.get(request["answer_package_id"])
        if request.get("answer_package_id")
        else None
    )
    public_package = package is not None and package.state == "active" and not package.private
    return {
        "id": request["id"],
        "title": request["title"],
        "purpose": request["purpose"],
        "state": request["state"],
        "state_label": state_label(request["state"]),
        "created": request["created"].isoformat(),
        "answered_at": request["answered_at"].isoformat() if request.get("answered_at") else None,
        "waiting_days": waiting_days(request),
        "organization": {"name": organization.name, "title": organization.title}
        if organization
        else None,
        "answer": request.get("answer"),
        "dataset": {"name": package.name, "title": package.title, "type": package.type}
        if public_package and package is not None
        else None,
    }


# --- email ------------------------------------------------------------------------------


def status_url(request: dict[str, Any]) -> str:
    return tk.url_for("sipessut_monitoring.request_status", token=request["token"], _external=True)


def manage_url(request: dict[str, Any]) -> str:
    return tk.url_for("sipessut_monitoring.request_manage", id=request["id"], _external=True)


def notify(request: dict[str, Any], step: str, note: str | None = None) -> None:
    messages = mail.in_default_language(_messages, request, step, note)
    mail.queue(messages, title=f"sipessut data request: {step} {request['id']}")


def _messages(request: dict[str, Any], step: str, note: str | None) -> list[dict[str, str]]:
    site = tk.config.get("ckan.site_title")
    values = {
        "site": site,
        "title": request["title"],
        "name": request["name"],
        "status_url": status_url(request),
        "manage_url": manage_url(request),
    }
    organization = (
        ckan_model.Group.get(request["organization_id"]) if request.get("organization_id") else None
    )
    values["organization"] = (organization.title or organization.name) if organization else ""
    messages = []

    def to(name: str, email: str | None, subject: str, lines: list[str]) -> None:
        if email:
            body = [line.format(**values) for line in lines] + mail.footer()
            messages.append(
                {
                    "name": name,
                    "email": email,
                    "subject": " ".join(subject.format(**values).split()),
                    "body": "\n".join(body) + "\n",
                }
            )

    requester = [
        tk._("Hello {name},"),
        "",
    ]
    if step == "create":
        to(
            request["name"],
            request["email"],
            tk._("[{site}] Your data request was received: {title}"),
            [
                *requester,
                tk._('Your request for "{title}" was received by the Walidata.'),
                tk._("Follow its status here (keep this link to yourself): {status_url}"),
            ],
        )
        for user in review.reviewers():
            to(
                user.display_name,
                user.email,
                tk._("[{site}] New data request: {title}"),
                [
                    tk._('Someone asked for data: "{title}".'),
                    "",
                    tk._("Forward it to an OPD or answer it: {manage_url}"),
                ],
            )
    elif step == "assign":
        to(
            request["name"],
            request["email"],
            tk._("[{site}] Your data request was forwarded: {title}"),
            [
                *requester,
                tk._('The Walidata forwarded your request for "{title}" to {organization}.'),
                tk._("Follow its status here: {status_url}"),
            ],
        )
        for user in review.producers(request["organization_id"]):
            lines = [
                tk._('The Walidata forwarded a data request to {organization}: "{title}".'),
                "",
                tk._("Answer it with a dataset or a reason: {manage_url}"),
            ]
            if note:
                lines += [
                    "",
                    tk._("Note from the Walidata:"),
                    note.replace("{", "{{").replace("}", "}}"),
                ]
            to(
                user.display_name,
                user.email,
                tk._("[{site}] Data request for your OPD: {title}"),
                lines,
            )
    elif step == "answer":
        package = (
            ckan_model.Package.get(request["answer_package_id"])
            if request.get("answer_package_id")
            else None
        )
        lines = [*requester]
        if package is not None:
            values["dataset_url"] = tk.url_for(
                f"{package.type}.read", id=package.name, _external=True
            )
            lines += [tk._('The data you asked for ("{title}") is available: {dataset_url}')]
        else:
            lines += [tk._('Your request for "{title}" was answered: the data cannot be provided.')]
        if request.get("answer"):
            lines += ["", request["answer"].replace("{", "{{").replace("}", "}}")]
        lines += ["", tk._("Status of your request: {status_url}")]
        to(
            request["name"],
            request["email"],
            tk._("[{site}] Your data request was answered: {title}"),
            lines,
        )
    return messages
