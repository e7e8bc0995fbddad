"""Options of the interop domain (declared in config_declaration.yaml), read when used."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut.interop."


def datapackage_max_bytes() -> int:
    """Largest Data Package zip (its data files added up) the portal builds."""
    return tk.asint(tk.config.get(PREFIX + "datapackage_max_bytes"))


def import_max_bytes() -> int:
    return tk.asint(tk.config.get(PREFIX + "import_max_bytes"))


def import_max_rows() -> int:
    return tk.asint(tk.config.get(PREFIX + "import_max_rows"))


def export_max_rows() -> int:
    return tk.asint(tk.config.get(PREFIX + "export_max_rows"))
