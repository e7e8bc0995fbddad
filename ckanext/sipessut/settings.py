"""The portal-wide options every domain reads: which region the portal serves, its time zone.

Read from CKAN's config when used (declared in config_declaration.yaml). A domain's own
options live in that domain's settings.py.
"""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut."
DEFAULT_TIMEZONE = "Asia/Makassar"  # WITA: Kalimantan Timur, Kota Samarinda


def region_code() -> str:
    """Kemendagri code of the region the portal serves (e.g. 64.72, Kota Samarinda)."""
    return str(tk.config.get(PREFIX + "region_code") or "")


def region_name() -> str:
    """The region's name as the public reads it."""
    return str(tk.config.get(PREFIX + "region_name") or "")


def in_region(code: str | None) -> bool:
    """Whether a Kemendagri code is the region itself or lies inside it."""
    region = region_code()
    return bool(code) and (code == region or str(code).startswith(region + "."))


def timezone_name(config: Any = None) -> str:
    """The portal's time zone (IANA name): what "today" means, and the zone dates are shown
    in; an unknown name falls back to the default. `config`: CKAN's config (while it loads)."""
    name = str((config if config is not None else tk.config).get(PREFIX + "timezone") or "")
    return name if name in _known_zones() else DEFAULT_TIMEZONE


@functools.cache
def _known_zones() -> frozenset[str]:
    # Read once per process: zoneinfo walks the whole time-zone database on each call
    # (some 20 ms, on every page that says what day it is).
    return frozenset(zoneinfo.available_timezones())


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(timezone_name())
