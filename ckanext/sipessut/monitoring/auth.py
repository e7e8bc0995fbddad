"""Auth functions of the monitoring domain.

The release calendar and the data-request form are the public's; the monitoring details,
reminders, the EPSS evidence and the management of requests are the Walidata's reviewers'
and sysadmins'; an OPD's editors and admins answer the requests forwarded to their OPD.
Every function answers anonymous visitors itself, in the user's language.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut import review
from ckanext.sipessut.monitoring import settings


def acting_user(context: dict[str, Any]) -> ckan_model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, ckan_model.User):
        return user
    return ckan_model.User.get(context["user"]) if context.get("user") else None


def is_walidata(context: dict[str, Any]) -> bool:
    return review.is_reviewer(acting_user(context))


def producer_organizations(context: dict[str, Any]) -> list[str]:
    """The OPDs whose editor or admin the user is (ids)."""
    user = acting_user(context)
    if user is None:
        return []
    rows = (
        ckan_model.Session.query(ckan_model.Member.group_id)
        .join(ckan_model.Group, ckan_model.Group.id == ckan_model.Member.group_id)
        .filter(
            ckan_model.Member.table_name == "user",
            ckan_model.Member.table_id == user.id,
            ckan_model.Member.state == "active",
            ckan_model.Member.capacity.in_(["admin", "editor"]),
            ckan_model.Group.is_organization.is_(True),
            ckan_model.Group.state == "active",
        )
    )
    return [row[0] for row in rows]


def _refused(message: str) -> dict[str, Any]:
    return {"success": False, "msg": message}


@tk.auth_allow_anonymous_access
def public(context, data_dict) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def walidata_only(context, data_dict) -> dict[str, Any]:
    if is_walidata(context):
        return {"success": True}
    return _refused(tk._("Only the Walidata's reviewers and sysadmins may see this"))


@tk.auth_allow_anonymous_access
def monitoring_show(context, data_dict) -> dict[str, Any]:
    """The Walidata sees everything; the public its summary, when the portal turns it on."""
    if is_walidata(context):
        return {"success": True}
    if data_dict.get("public") and settings.public_summary():
        return {"success": True}
    return _refused(tk._("Only the Walidata's reviewers and sysadmins may see the monitoring"))


@tk.auth_allow_anonymous_access
def reminder_run(context, data_dict) -> dict[str, Any]:
    if is_walidata(context):
        return {"success": True}
    return _refused(tk._("Only the Walidata's reviewers and sysadmins may send reminders"))


@tk.auth_allow_anonymous_access
def request_list(context, data_dict) -> dict[str, Any]:
    """The Walidata: every request; an OPD's editors and admins: those forwarded to it."""
    if is_walidata(context) or producer_organizations(context):
        return {"success": True}
    return _refused(
        tk._("Only the Walidata and the OPDs that requests are forwarded to may see them")
    )


def _request_organization(data_dict: dict[str, Any]) -> str | None:
    from ckanext.sipessut.monitoring import data_requests

    found = data_requests.get(str(data_dict.get("id") or ""))
    return found.get("organization_id") if found else None


@tk.auth_allow_anonymous_access
def request_show(context, data_dict) -> dict[str, Any]:
    if is_walidata(context):
        return {"success": True}
    organization_id = _request_organization(data_dict)
    if organization_id and organization_id in producer_organizations(context):
        return {"success": True}
    return _refused(tk._("Only the Walidata and the OPD the request is forwarded to may see it"))


@tk.auth_allow_anonymous_access
def request_assign(context, data_dict) -> dict[str, Any]:
    if is_walidata(context):
        return {"success": True}
    return _refused(tk._("Only the Walidata's reviewers may forward data requests"))


@tk.auth_allow_anonymous_access
def request_answer(context, data_dict) -> dict[str, Any]:
    if is_walidata(context):
        return {"success": True}
    organization_id = _request_organization(data_dict)
    if organization_id and organization_id in producer_organizations(context):
        return {"success": True}
    return _refused(tk._("Only the Walidata and the OPD the request is forwarded to may answer it"))
