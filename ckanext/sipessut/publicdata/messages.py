"""What the load statuses and reasons say, in the user's language."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import model


def status_label(status: str | None) -> str:
    return {
        model.PENDING: tk._("Waiting to be loaded"),
        model.RUNNING: tk._("Being loaded"),
        model.LOADED: tk._("Loaded into the DataStore"),
        model.ERROR: tk._("Loading failed"),
        model.SKIPPED: tk._("Not loaded"),
    }.get(str(status), tk._("Not loaded"))


def reason_message(reason: dict[str, Any] | None) -> str:
    if not reason:
        return ""
    code = str(reason.get("code"))
    params = dict(reason.get("params") or {})
    texts = {
        "not-valid": tk._(
            "The table is not loaded because its validation did not finish valid ({status})."
        ),
        "restricted": tk._(
            "Data with access level Terbatas or Tertutup are never put in the DataStore."
        ),
        "no-dictionary": tk._("The table has no data dictionary yet, so its columns are unknown."),
        "resource-gone": tk._("The resource was deleted before it could be loaded."),
        "superseded": tk._("A newer load of this table took its place."),
        "column-name": tk._(
            'The column name "{name}" cannot be a DataStore column (it may not begin with "_" '
            "nor contain double quotes)."
        ),
        "column-name-length": tk._(
            'The column name "{name}" is longer than {limit} bytes, the DataStore limit.'
        ),
        "no-public-columns": tk._("Every column of this table is marked as not public."),
        "job-timeout": tk._("Loading took longer than {limit} seconds and was stopped."),
        "job-failed": tk._("The load job failed: {detail}"),
        "internal-error": tk._("Loading failed unexpectedly: {detail}"),
        "datastore-off": tk._("The DataStore is not enabled on this portal."),
    }
    if code in texts:
        if code == "not-valid":
            params["status"] = validation.label(params.get("status"))
        try:
            return texts[code].format(**params)
        except (KeyError, IndexError):
            return texts[code]
    return validation.problem_message(code, params)
