"""Visibility follows the review state.

While publishing requires approval, only the workflow (and sysadmins) may change whether
an OPD's dataset is public: through the dataset form, `package_create`, `package_update`,
`package_patch`, `package_revise` and the organization's bulk buttons alike. Changes
made outside the workflow (by a sysadmin, or by anyone when approval is not required)
are recorded as transitions, so the state and the audit trail stay true.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan import model as ckan_model

from ckanext.sipessut.review import activity as review_activity
from ckanext.sipessut.review import model, settings, states
from ckanext.sipessut.review.auth import visibility_refusal

log = logging.getLogger(__name__)


def _may_set_directly(context: dict[str, Any]) -> bool:
    return not settings.approval_required() or authz.is_sysadmin(context.get("user"))


def _requested_private(context: dict[str, Any], data_dict: dict[str, Any]) -> bool | None:
    """The `private` value asked for, read the way CKAN's schema reads it; None: not asked."""
    value = data_dict.get("private")
    if value is None:
        return None
    if isinstance(value, (bool, int)):
        return bool(value)
    return bool(tk.get_validator("boolean_validator")(str(value), context))


def check_create(context: dict[str, Any], data_dict: dict[str, Any]) -> None:
    """An OPD's new dataset starts as a private draft."""
    if _may_set_directly(context) or not data_dict.get("owner_org"):
        return
    requested = _requested_private(context, data_dict)
    if requested is None:
        data_dict["private"] = True
    elif not requested:
        raise tk.ValidationError({"private": [visibility_refusal()]})


def check_update(context: dict[str, Any], data_dict: dict[str, Any]) -> None:
    """Refuse a visibility change that the dataset's review state does not call for."""
    if _may_set_directly(context):
        return
    package = ckan_model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if package is None or not package.owner_org:
        return
    requested = _requested_private(context, data_dict)
    if requested is None or requested == package.private:
        return
    # The workflow moves the state first, then sets the visibility that goes with it.
    if requested == (not states.is_public(model.current_state(package))):
        return
    raise tk.ValidationError({"private": [visibility_refusal()]})


# Where package_update remembers the visibility a dataset had before the change.
WAS_PRIVATE = "sipessut_review_was_private"


def remember_visibility(context: dict[str, Any], data_dict: dict[str, Any]) -> None:
    package = ckan_model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if package is not None:
        context[WAS_PRIVATE] = bool(package.private)


def sync(
    context: dict[str, Any], package: ckan_model.Package | None, was_private: bool | None
) -> None:
    """Record a visibility change made outside the workflow as a transition."""
    if package is None or not package.owner_org or package.state != "active":
        return
    current = model.current_state(package, was_private)
    target = states.derived_state(bool(package.private))
    if states.is_public(current) == states.is_public(target):
        return
    event = model.move(package, current, target, states.VISIBILITY, _actor_id(context))
    if event is not None:
        review_activity.record(package, event)


def visibility_of(package_ids: Iterable[str]) -> dict[str, bool]:
    packages = (ckan_model.Package.get(package_id) for package_id in package_ids)
    return {p.id: bool(p.private) for p in packages if p is not None}


def sync_many(context: dict[str, Any], was_private: dict[str, bool]) -> None:
    """After a bulk change (which on CKAN 2.11 bypasses package_update)."""
    for package_id, private in was_private.items():
        package = ckan_model.Package.get(package_id)
        if package is not None:
            ckan_model.Session.refresh(package)
        sync(context, package, private)
    ckan_model.repo.commit()


def _actor_id(context: dict[str, Any]) -> str:
    user = ckan_model.User.get(context["user"]) if context.get("user") else None
    if user is None:
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        return site_user["id"]
    return user.id
