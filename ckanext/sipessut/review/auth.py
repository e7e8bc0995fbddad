"""Auth functions of the review domain, and the lock on datasets under review.

Every review auth function answers anonymous users itself, so that the refusal is in the
user's language rather than CKAN's generic English message.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan import model as ckan_model
from ckan.logic.auth import get_package_object

from ckanext.sipessut.review import model, settings, states, walidata

# Set in a context to ask whether someone could edit a dataset were it not under review.
IGNORE_REVIEW_LOCK = "sipessut_review_ignore_lock"


def acting_user(context: dict[str, Any]) -> ckan_model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, ckan_model.User):
        return user
    return ckan_model.User.get(context["user"]) if context.get("user") else None


def may_edit_ignoring_lock(context: dict[str, Any], package_id: str) -> bool:
    """CKAN's own answer to "may this user edit this dataset" (OPD editors and admins,
    collaborators, sysadmins), without the review lock.

    Visitors who are not logged in are refused at once: every dataset in review belongs to
    an OPD, and CKAN lets no anonymous user edit an OPD's dataset. Dataset pages ask this
    several times, so asking CKAN's full package_update auth for every visitor costs time.
    """
    if not context.get("user"):
        return False
    probe = {**_probe(context), IGNORE_REVIEW_LOCK: True}
    return authz.is_authorized_boolean("package_update", probe, {"id": package_id})


def _probe(context: dict[str, Any]) -> dict[str, Any]:
    """A fresh context for asking CKAN's auth about the same user (CKAN 2.11 needs `model`)."""
    return {
        "model": ckan_model,
        "session": ckan_model.Session,
        "user": context.get("user"),
        "auth_user_obj": context.get("auth_user_obj"),
    }


def _refused(message: str) -> dict[str, Any]:
    return {"success": False, "msg": message}


@tk.auth_allow_anonymous_access
def review_submit(context, data_dict) -> dict[str, Any]:
    if may_edit_ignoring_lock(context, tk.get_or_bust(data_dict, "id")):
        return {"success": True}
    return _refused(tk._("Only the editors and admins of the dataset's OPD may submit it"))


@tk.auth_allow_anonymous_access
def review_withdraw(context, data_dict) -> dict[str, Any]:
    if may_edit_ignoring_lock(context, tk.get_or_bust(data_dict, "id")):
        return {"success": True}
    return _refused(
        tk._("Only the editors and admins of the dataset's OPD may withdraw its submission")
    )


@tk.auth_allow_anonymous_access
def review_decide(context, data_dict) -> dict[str, Any]:
    """Approve and return: the Walidata's reviewers, for any OPD's dataset."""
    if walidata.is_reviewer(acting_user(context)):
        return {"success": True}
    return _refused(tk._("Only the Walidata's reviewers may approve or return datasets"))


@tk.auth_allow_anonymous_access
def review_queue(context, data_dict) -> dict[str, Any]:
    if walidata.is_reviewer(acting_user(context)):
        return {"success": True}
    return _refused(tk._("Only the Walidata's reviewers may see the review queue"))


@tk.auth_allow_anonymous_access
def review_history(context, data_dict) -> dict[str, Any]:
    """Those who may edit the dataset, and the reviewers while they may read it."""
    package_id = tk.get_or_bust(data_dict, "id")
    if may_edit_ignoring_lock(context, package_id) or (
        walidata.is_reviewer(acting_user(context))
        and authz.is_authorized_boolean("package_show", _probe(context), {"id": package_id})
    ):
        return {"success": True}
    return _refused(tk._("Only the dataset's OPD and the Walidata may see its review history"))


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_update(next_auth, context, data_dict) -> dict[str, Any]:
    """What the Walidata is reviewing does not change under its eyes.

    Applies to resources too: CKAN asks `package_update` before any resource change.
    Sysadmins are never asked, so they can still correct a dataset under review.
    """
    result = next_auth(context, data_dict)
    if not result.get("success") or context.get(IGNORE_REVIEW_LOCK):
        return result
    package = get_package_object(context, data_dict)
    if not package.owner_org:
        return result
    state = model.current_state(package)
    if state == states.DIAJUKAN:
        return _refused(
            tk._(
                "The Walidata is reviewing this dataset: withdraw the submission before changing it"
            )
        )
    if state == states.DITAYANGKAN and settings.published_edits_locked():
        return _refused(
            tk._(
                "This dataset is published: it can be changed once the Walidata returns it"
                " for correction"
            )
        )
    return result


def visibility_refusal() -> str:
    return tk._(
        "Whether a dataset is public is decided in the Walidata review: submit it to the Walidata"
    )


def _may_set_visibility_in_bulk(next_auth, context, data_dict) -> dict[str, Any]:
    if settings.approval_required():
        return _refused(visibility_refusal())
    return next_auth(context, data_dict)


@tk.chained_auth_function
def bulk_update_public(next_auth, context, data_dict) -> dict[str, Any]:
    return _may_set_visibility_in_bulk(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_private(next_auth, context, data_dict) -> dict[str, Any]:
    return _may_set_visibility_in_bulk(next_auth, context, data_dict)
