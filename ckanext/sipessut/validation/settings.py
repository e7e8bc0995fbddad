"""The validation options of the portal, read from CKAN's config when used."""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.sipessut.validation import engine

log = logging.getLogger(__name__)

PREFIX = "ckanext.sipessut.validation."


def get(name: str):
    return tk.config.get(PREFIX + name)


def mode() -> str:
    return "block" if get("mode") == "block" else "warn"


def automatic() -> bool:
    return bool(get("automatic"))


DEFAULT_FORMATS = ("csv", "tsv", "xlsx", "xls", "ods")
DEPRECATED_FORMATS_OPTION = "ckanext.sipessut.review.tabular_formats"


def formats() -> set[str]:
    """What counts as a table, for validation and for every other domain."""
    wanted = {str(f).lower().lstrip(".") for f in get("formats") or ()}
    former = tk.config.get(DEPRECATED_FORMATS_OPTION)
    if former and wanted == set(DEFAULT_FORMATS):
        log.warning("%s is deprecated; set %sformats instead", DEPRECATED_FORMATS_OPTION, PREFIX)
        wanted = {str(f).lower().lstrip(".") for f in tk.aslist(former)}
    return wanted


def queue() -> str:
    return get("queue") or "sipessut"


def job_timeout() -> int:
    return max(1, int(get("job_timeout")))


def sync_max_bytes() -> int:
    return max(0, int(get("sync_max_bytes")))


def sync_max_seconds() -> float:
    """Seconds a validation may take inside a web request before it moves to a job (0: none)."""
    value = get("sync_max_seconds")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        log.warning("%ssync_max_seconds is not a number of seconds: %r", PREFIX, value)
        seconds = float(DEFAULT_SYNC_MAX_SECONDS)
    return max(0.0, seconds)


DEFAULT_SYNC_MAX_SECONDS = 5


def history() -> int:
    return max(1, int(get("history")))


def url_timeout() -> int:
    return max(1, int(get("url_timeout")))


def url_allow_private() -> bool:
    return bool(get("url_allow_private"))


def engine_settings() -> engine.Settings:
    return engine.Settings(
        max_bytes=int(get("max_bytes")),
        max_rows=int(get("max_rows")),
        max_uncompressed=int(get("excel_max_uncompressed_bytes")),
        errors_per_type=max(1, int(get("errors_per_type"))),
        preview_rows=max(0, int(get("preview_rows"))),
        detect_number_format=bool(get("detect_number_format")),
        pattern_timeout=max(0.01, float(get("pattern_timeout"))),
    )
