"""The portal-wide options every domain reads: which region the portal serves.

Read from CKAN's config when used (declared in config_declaration.yaml). A domain's own
options live in that domain's settings.py.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut."


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
