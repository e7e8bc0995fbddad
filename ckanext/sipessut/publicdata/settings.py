"""The public-data options of the portal, read from CKAN's config when used."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut.publicdata."


def get(name: str):
    return tk.config.get(PREFIX + name)


def datastore_enabled() -> bool:
    """CKAN's DataStore is on (the loads, previews and downloads need it)."""
    return "datastore" in tk.aslist(tk.config.get("ckan.plugins"))


def automatic() -> bool:
    return bool(get("automatic")) and datastore_enabled()


def load_invalid() -> bool:
    return bool(get("load_invalid"))


def queue() -> str:
    return get("queue") or "sipessut"


def job_timeout() -> int:
    return max(1, int(get("job_timeout")))


def history() -> int:
    return max(1, int(get("history")))


def search_sql_public() -> bool:
    return bool(get("search_sql_public"))


def chart_max_categories() -> int:
    return max(2, int(get("chart_max_categories")))


def chart_max_series() -> int:
    return max(1, int(get("chart_max_series")))


def query_timeout_ms() -> int:
    return max(100, int(get("query_timeout")))
