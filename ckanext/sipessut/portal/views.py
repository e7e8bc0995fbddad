"""Pages of the portal that belong to no other domain: the Walidata's choice of featured
datasets (the home page and the about page are CKAN's own views, with our templates)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.sipessut.portal import featured, settings

blueprint = Blueprint("sipessut_portal", __name__)

CHOICES_LIMIT = 1000  # public datasets offered on the page


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _public_datasets() -> list[dict[str, Any]]:
    result = tk.get_action("package_search")(
        {"user": ""},
        {
            "q": "*:*",
            "include_private": False,
            "rows": CHOICES_LIMIT,
            "sort": "title_string asc",
            "fl": "id,name,title,type",
        },
    )
    return result["results"]


@blueprint.route("/walidata/unggulan", methods=["GET", "POST"])
def featured_page():
    """The Walidata chooses the datasets the home page features."""
    context = _context()
    try:
        tk.check_access("sipessut_portal_featured_update", context)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    errors: dict[str, Any] = {}
    chosen = featured.chosen()
    if tk.request.method == "POST":
        chosen = [name for name in tk.request.form.getlist("datasets") if name]
        try:
            tk.get_action("sipessut_portal_featured_update")(context, {"datasets": chosen})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("The home page now features the datasets you chose."))
            return tk.redirect_to("sipessut_portal.featured_page")
    return tk.render(
        "sipessut/portal/featured.html",
        {
            "datasets": _public_datasets(),
            "chosen": chosen,
            "errors": errors,
            "limit": settings.featured_limit(),
        },
    ), (409 if errors else 200)
