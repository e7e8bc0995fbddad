"""Datasets carry their OPD's bidang urusan into the search index.

`dataset_urusan(pkg_dict)` is what plugin.before_dataset_index calls. The
codes of every OPD are read in one query and kept for a short while
(`ckanext.sipessut.opd.urusan_cache_seconds`), so re-indexing 10,000 datasets
costs one query per OPD list, not one per dataset. An organization changed in
this process is forgotten at once; other processes see the change when their
copy expires, and the datasets of an OPD whose urusan changed are re-indexed
by the process that changed it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ckan.lib import search

from ckanext.sipessut.opd import queries, settings

INDEX_FIELD = "vocab_urusan"

_lock = threading.Lock()
_cache: dict[str, list[str]] = {}
_loaded_at = 0.0


def dataset_urusan(pkg_dict: dict[str, Any]) -> list[str]:
    """The bidang urusan codes of the dataset's OPD, primary first ([] if none)."""
    owner = pkg_dict.get("owner_org")
    if not owner:
        return []
    return list(_cached(owner))


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    codes = dataset_urusan(pkg_dict)
    if codes:
        pkg_dict[INDEX_FIELD] = codes
    return pkg_dict


def reindex(package_ids: list[str]) -> None:
    """Re-index these datasets now (their OPD's name or urusan changed)."""
    if package_ids:
        search.rebuild(package_ids=package_ids, defer_commit=True)
        # CKAN 2.12's rebuild(package_ids=...) defers the Solr commit.
        search.commit()


def forget(org_id: str | None = None) -> None:
    """Drop what is cached about one organization, or about all of them."""
    global _loaded_at
    with _lock:
        if org_id is None:
            _cache.clear()
            _loaded_at = 0.0
        else:
            _cache.pop(org_id, None)


def _cached(org_id: str) -> list[str]:
    global _loaded_at
    ttl = settings.urusan_cache_seconds()
    now = time.monotonic()
    with _lock:
        fresh = now - _loaded_at < ttl
        if fresh and org_id in _cache:
            return _cache[org_id]
    # One query for every organization: an unknown id (a new OPD) or an
    # expired copy reloads them all.
    loaded = {org.id: org.bidang_urusan for org in queries.organizations(states=("active",))}
    # Remembered as "none" too, so that the datasets of a deleted OPD do not
    # reload the list each time (ids are never reused).
    loaded.setdefault(org_id, [])
    with _lock:
        _cache.clear()
        _cache.update(loaded)
        _loaded_at = now
    return loaded[org_id]
