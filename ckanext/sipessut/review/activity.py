"""Review transitions in CKAN's activity stream (when the `activity` plugin is on).

A review activity is visible to the dataset's OPD and to the Walidata's reviewers, never
to the public, even after the dataset is published: notes are working correspondence.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.plugins import plugin_loaded

from ckanext.sipessut.review import labels
from ckanext.sipessut.review.model import Event

# CKAN filters only activity types ending in "package" by permission labels.
ACTIVITY_TYPE = "sipessut reviewed package"


def record(package: model.Package, event: Event) -> None:
    """Add the activity to the current transaction; the caller commits."""
    if not plugin_loaded("activity") or not tk.config.get("ckan.activity_streams_enabled"):
        return
    from ckanext.activity.model import Activity

    actor = model.User.get(event.actor_id) if event.actor_id else None
    data: dict[str, Any] = {
        "package": {
            "id": package.id,
            "name": package.name,
            "title": package.title,
            "type": package.type,
            "owner_org": package.owner_org,
        },
        "actor": actor.name if actor else None,
        "review": {
            "action": event.action,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "note": event.note,
        },
    }
    audience = [f"member-{package.owner_org}", f"collaborator-{package.id}", labels.REVIEW_LABEL]
    activity = Activity(
        user_id=event.actor_id,
        object_id=package.id,
        activity_type=ACTIVITY_TYPE,
        data=data,
        permission_labels=audience,
    )
    activity.timestamp = event.created
    model.Session.add(activity)
