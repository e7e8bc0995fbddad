"""Auth functions of the metadata domain."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def codelist_read(context, data_dict) -> dict:
    """Code lists are public reference data (Kode Referensi, Perpres 39/2019 Pasal 10)."""
    return {"success": True}
