"""The time every domain stamps its own tables with: naive UTC, as CKAN stores its own."""

from __future__ import annotations

import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
