"""Writing the portal's OPDs back as a registry file that sync accepts as it is."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.sipessut import settings as portal_settings
from ckanext.sipessut.opd import queries
from ckanext.sipessut.opd.registry import ENTRY_KEYS, FORMAT_VERSION


def export() -> dict[str, Any]:
    """{"registry": YAML text, "count": OPDs written, "skipped": organizations
    without a kode SKPD, which a registry cannot hold}."""
    entries = []
    skipped = []
    for org in sorted(queries.organizations(), key=lambda org: (org.kode_skpd, org.name)):
        if not org.kode_skpd:
            skipped.append(org.summary())
            continue
        entry = {}
        for key in ENTRY_KEYS:
            value = org.value(key)
            if value not in ("", []):
                entry[key] = value
        entries.append(entry)
    document = {
        "format": FORMAT_VERSION,
        "wilayah": portal_settings.region_code(),
        "nama_wilayah": portal_settings.region_name(),
        "opd": entries,
    }
    header = (
        f"# OPD registry exported from {tk.config.get('ckan.site_url')} on "
        f"{datetime.date.today().isoformat()} (ckan sipessut opd export).\n"
        "# Format: ckanext/sipessut/opd/registries/README.md\n"
    )
    text = header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return {"registry": text, "count": len(entries), "skipped": skipped}
