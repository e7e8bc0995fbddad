"""Pages and downloads of the public-data domain."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, stream_with_context

from ckanext.sipessut.publicdata import access, downloads, jobs

blueprint = Blueprint("sipessut_publicdata", __name__)
blueprint.before_app_request(access.guard_download)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _package_and_resource(package_id: str, resource_id: str) -> tuple[dict, dict]:
    try:
        package = tk.get_action("package_show")({}, {"id": package_id})
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    if resource.get("package_id") != package["id"]:
        return tk.abort(404, tk._("Resource not found"))
    return package, resource


@blueprint.route("/dataset/<id>/resource/<resource_id>/unduh/<fmt>")
def download(id: str, resource_id: str, fmt: str) -> Any:
    """One address per format: CSV and JSON are CKAN's DataStore dumps, XLSX is ours."""
    if fmt not in downloads.FORMATS:
        return tk.abort(404, tk._("Unknown format"))
    package, resource = _package_and_resource(id, resource_id)
    if not resource.get("datastore_active"):
        return tk.abort(404, tk._("This table is not in the DataStore (yet)."))
    if fmt != "xlsx":
        return tk.redirect_to(downloads.dump_url(resource_id, fmt))
    try:
        chunks, filename = downloads.xlsx_stream(package, resource, tk.h.lang() or "id")
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("This table is not in the DataStore (yet)."))
    return Response(
        stream_with_context(chunks),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.route("/dataset/<id>/resource/<resource_id>/publicdata/load", methods=["POST"])
def reload(id: str, resource_id: str) -> Any:
    """The steward's "load again" button on the resource page."""
    package, resource = _package_and_resource(id, resource_id)
    try:
        tk.check_access("sipessut_publicdata_load", {}, {"id": resource_id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    jobs.request_load(resource_id, "request", tk.current_user.name)
    tk.h.flash_success(tk._("The table will be loaded into the DataStore again."))
    return tk.redirect_to(
        f"{package.get('type') or 'dataset'}_resource.read",
        id=package["name"],
        resource_id=resource_id,
    )
