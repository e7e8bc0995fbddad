"""A per-request memo: a catalogue page serialises 100 datasets, most of them of a few
OPDs and kegiatan; each is read once per request, never kept longer (no stale data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_ATTRIBUTE = "_sipessut_interop_memo"


def memo(kind: str, key: str, compute: Callable[[], T]) -> T:
    store = _store()
    if store is None:
        return compute()
    bucket = store.setdefault(kind, {})
    if key not in bucket:
        bucket[key] = compute()
    return bucket[key]


def _store() -> dict[str, dict[str, Any]] | None:
    try:
        from flask import g

        if not hasattr(g, _ATTRIBUTE):
            setattr(g, _ATTRIBUTE, {})
        return getattr(g, _ATTRIBUTE)
    except RuntimeError:  # outside a request (CLI, jobs): no memo
        return None
