"""Who may do what on the portal's own pages."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz


@tk.auth_allow_anonymous_access
def featured_show(context, data_dict) -> dict[str, Any]:
    return {"success": True}


def featured_update(context, data_dict) -> dict[str, Any]:
    """The Walidata chooses what the home page features: its reviewers (who may see the
    review queue) and sysadmins."""
    if authz.is_authorized_boolean("sipessut_review_queue", dict(context), {}):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only the Walidata's reviewers may choose the featured datasets"),
    }
