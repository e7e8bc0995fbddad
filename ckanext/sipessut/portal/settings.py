"""The portal domain's configuration, read when used (declared in config_declaration.yaml)."""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut.portal."

# CKAN's own logo: a portal that never chose one shows ours instead.
CKAN_DEFAULT_LOGO = "/base/images/ckan-logo.png"
# A colour is written into the page's stylesheet: only #rgb or #rrggbb get there.
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_PRIMARY = "#0b6b57"
DEFAULT_ACCENT = "#f2b705"


def logo() -> str:
    """The logo in the header: the one a sysadmin uploaded (`ckan.site_logo`), else ours."""
    site_logo = str(tk.config.get("ckan.site_logo") or "")
    if site_logo and site_logo != CKAN_DEFAULT_LOGO:
        return site_logo
    return str(tk.config.get(PREFIX + "logo") or "")


def colour(name: str) -> str:
    """`primary` or `accent`, as configured when it is a hex colour, else our default."""
    default = DEFAULT_PRIMARY if name == "primary" else DEFAULT_ACCENT
    value = str(tk.config.get(PREFIX + "colour_" + name) or "").strip()
    return value if _HEX_COLOUR.match(value) else default


def featured_datasets() -> list[str]:
    """Names or ids of the featured datasets the configuration starts with."""
    return [str(item) for item in tk.aslist(tk.config.get(PREFIX + "featured_datasets"))]


def featured_limit() -> int:
    return max(0, int(tk.config.get(PREFIX + "featured_limit")))


def home_cache_seconds() -> int:
    """How long a process keeps the home page's figures (0: asks Solr every time)."""
    return max(0, int(tk.config.get(PREFIX + "home_cache_seconds")))


def default_license() -> str:
    return str(tk.config.get(PREFIX + "default_license") or "")


def calendar_endpoint() -> str:
    """The Flask endpoint of the release calendar, linked in the menu when it exists."""
    return str(tk.config.get(PREFIX + "calendar_endpoint") or "")
