"""Template helpers of the review domain."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut import validation
from ckanext.sipessut.review import model, settings, states

BADGE_CLASSES = {
    states.DRAF: "bg-secondary",
    states.DIAJUKAN: "bg-warning text-dark",
    states.DIKEMBALIKAN: "bg-danger",
    states.DITAYANGKAN: "bg-success",
}


def review_info(pkg_dict: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the dataset page shows of the review, or None for those who may not see it.

    {"state", "label", "badge", "can": {verb: bool}, "last_event": {...} or None}
    """
    if not pkg_dict or not pkg_dict.get("owner_org") or not pkg_dict.get("id"):
        return None
    package = ckan_model.Package.get(pkg_dict["id"])
    if package is None or package.state != "active":
        return None
    if not tk.h.check_access("sipessut_review_history", {"id": package.id}):
        return None
    state = model.current_state(package)
    last = model.last_event(package.id)
    actor = ckan_model.User.get(last.actor_id) if last and last.actor_id else None
    return {
        "state": state,
        "label": states.state_label(state),
        "badge": BADGE_CLASSES.get(state, "bg-secondary"),
        "can": {
            verb: state in transition.sources
            and tk.h.check_access(f"sipessut_review_{verb}", {"id": package.id})
            for verb, transition in states.TRANSITIONS.items()
        },
        "last_event": {
            "action": last.action,
            "action_label": states.action_label(last.action),
            "created": last.created,
            "actor": actor.display_name if actor else None,
            "note": last.note,
        }
        if last
        else None,
    }


def state_label(state: str) -> str:
    return states.state_label(state)


def action_label(action: str) -> str:
    return states.action_label(action)


def badge_class(state: str) -> str:
    return BADGE_CLASSES.get(state, "bg-secondary")


def validation_label(summary: str) -> str:
    return validation.dataset_label(summary)


def may_set_visibility() -> bool:
    """Whether the current user chooses a dataset's visibility in the form."""
    user = tk.current_user
    return not settings.approval_required() or bool(
        isinstance(user, ckan_model.User) and user.sysadmin
    )


HELPERS = {
    "sipessut_review_info": review_info,
    "sipessut_review_state_label": state_label,
    "sipessut_review_action_label": action_label,
    "sipessut_review_badge_class": badge_class,
    "sipessut_review_validation_label": validation_label,
    "sipessut_review_may_set_visibility": may_set_visibility,
}
