"""The OPD registry's options, read from CKAN's config when used (config_declaration.yaml)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut.opd."
DEFAULT_REGISTRY = "ckanext.sipessut:opd/registries/kota-samarinda.yaml"


def registry_location() -> str:
    """The registry `ckan sipessut opd sync` reads when given no file."""
    return tk.config.get(PREFIX + "registry") or DEFAULT_REGISTRY


def registry_max_bytes() -> int:
    """The largest registry file (or text) sync reads."""
    return int(tk.config.get(PREFIX + "registry_max_bytes"))


def urusan_cache_seconds() -> float:
    """How long a process keeps the OPDs' bidang urusan it indexes with their datasets."""
    return float(tk.config.get(PREFIX + "urusan_cache_seconds"))
