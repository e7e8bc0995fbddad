"""Old organization URLs keep working after a rename or a merge."""

from __future__ import annotations

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
from flask import Blueprint, redirect, request

from ckanext.sipessut.opd import model

opd = Blueprint("sipessut_opd", __name__)

# Pages of one organization, by endpoint; their `id` is the organization's name.
_ORGANIZATION_PAGES = ("organization.", "activity.organization_activity")


@opd.before_app_request
def redirect_former_organization_url():
    """/organization/<old-name>/... answers with a redirect to the organization
    that carries that name's OPD today, unless a live organization has the name."""
    if request.method not in ("GET", "HEAD") or not request.endpoint:
        return None
    if not request.endpoint.startswith(_ORGANIZATION_PAGES):
        return None
    name = (request.view_args or {}).get("id")
    if not name:
        return None
    group = ckan_model.Group.get(name)
    if group is not None and group.state == "active":
        return None
    target = model.current_for_name(name)
    if target is None or target.name == name:
        return None
    args = {**(request.view_args or {}), "id": target.name}
    url = tk.url_for(request.endpoint, **args)
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    # 302: a name can be given to another organization later.
    return redirect(url, code=302)


BLUEPRINTS = [opd]


def urusan_of_organizations_page() -> str | None:
    """`?urusan=` of the organizations page (/organization/), which the chained
    organization_list action applies: CKAN's page calls that action itself and passes it
    no parameter of ours. None outside a request."""
    try:
        return request.args.get("urusan")
    except RuntimeError:
        return None
