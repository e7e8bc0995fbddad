"""What the home page shows: headline figures, tiles, latest releases and featured data.

Everything comes from Solr: one faceted query for the counts (tables, kegiatan, indikator,
OPDs, sektor) and the last update, one for the latest releases, one for the featured
datasets. Nothing is counted dataset by dataset. The answers are kept for
`ckanext.sipessut.portal.home_cache_seconds` in the process (language-neutral: codes and
counts; labels are looked up when the page is drawn); an index change in the same process
clears them. Only public datasets are counted, so the same answer serves every visitor.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.portal import featured, settings

SEKTOR_FACET = "vocab_sektor"
LATEST_LIMIT = 5
# Tables first by their last release (a Satu Data field), then by their last change.
LATEST_SORT = "tanggal_rilis_terakhir desc, metadata_modified desc"
# Fields the home page reads of a latest or featured dataset.
LIST_FIELDS = "id,name,title,type,organization,metadata_modified"


@dataclass(frozen=True)
class Figures:
    tables: int = 0
    kegiatan: int = 0
    indikator: int = 0
    opds: int = 0  # OPDs with at least one public dataset
    last_update: str | None = None  # metadata_modified of the newest change (UTC, ISO)
    sektor: list[tuple[str, int]] = field(default_factory=list)  # (code, count), most first
    organizations: list[dict[str, Any]] = field(default_factory=list)  # name, title, count
    latest: list[dict[str, Any]] = field(default_factory=list)  # package dicts

    @property
    def empty(self) -> bool:
        return not (self.tables or self.kegiatan or self.indikator)


_lock = threading.Lock()
_cache: dict[str, tuple[float, Any]] = {}


def forget() -> None:
    """Drop what the home page keeps (called when this process indexes a change)."""
    with _lock:
        _cache.clear()


def _cached(key: str, compute):
    seconds = settings.home_cache_seconds()
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if seconds and hit and now - hit[0] < seconds:
        return hit[1]
    value = compute()
    if seconds:
        with _lock:
            _cache[key] = (now, value)
    return value


def _search(data_dict: dict[str, Any]) -> dict[str, Any]:
    """package_search over public datasets only, whoever asks (the answer is shared)."""
    context = {"ignore_auth": True, "user": ""}
    return tk.get_action("package_search")(context, {"include_private": False, **data_dict})


def figures() -> Figures:
    return _cached("figures", _figures)


def _figures() -> Figures:
    try:
        counted = _search(
            {
                "q": "*:*",
                "rows": 1,
                "fl": "id,metadata_modified",
                "sort": "metadata_modified desc",
                "facet.field": ["dataset_type"],
                "facet.limit": -1,
            }
        )
        # The OPD and sektor tiles count data tables, as their label says.
        latest = _search(
            {
                "q": "*:*",
                "fq": "+dataset_type:dataset",
                "rows": LATEST_LIMIT,
                "sort": LATEST_SORT,
                "facet.field": ["organization", SEKTOR_FACET],
                "facet.limit": -1,
            }
        )
    except tk.ValidationError:
        return Figures()
    types = {
        item["name"]: item["count"]
        for item in _items(counted.get("search_facets", {}), "dataset_type")
    }
    facets = latest.get("search_facets", {})
    organizations = sorted(
        (
            {"name": item["name"], "title": item["display_name"], "count": item["count"]}
            for item in _items(facets, "organization")
            if item["count"]
        ),
        key=lambda org: (-org["count"], org["title"]),
    )
    sektor = sorted(
        ((item["name"], item["count"]) for item in _items(facets, SEKTOR_FACET) if item["count"]),
        key=lambda pair: (-pair[1], pair[0]),
    )
    first = (counted.get("results") or [{}])[0]
    return Figures(
        tables=types.get("dataset", 0),
        kegiatan=types.get("kegiatan", 0),
        indikator=types.get("indikator", 0),
        opds=len(organizations),
        last_update=first.get("metadata_modified"),
        sektor=sektor,
        organizations=organizations,
        latest=list(latest.get("results") or []),
    )


def _items(facets: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list((facets.get(name) or {}).get("items") or [])


def featured_datasets() -> list[dict[str, Any]]:
    """The public datasets the Walidata features, in the order chosen."""
    return _cached("featured", _featured)


def _featured() -> list[dict[str, Any]]:
    wanted = featured.chosen()[: settings.featured_limit()]
    if not wanted:
        return []
    quoted = " OR ".join(f'"{featured.solr_safe(name)}"' for name in wanted)
    try:
        found = _search(
            {"q": "*:*", "fq": f"+(name:({quoted}) OR id:({quoted}))", "rows": len(wanted)}
        )["results"]
    except tk.ValidationError:
        return []
    order = {name: position for position, name in enumerate(wanted)}
    return sorted(found, key=lambda pkg: min(order.get(pkg["name"], 99), order.get(pkg["id"], 99)))
