"""Where an export or a harvest sends the public for a resource's data.

One rule for the harvest API, the DCAT and schema.org distributions and the Data Package:
an absolute address on `ckan.site_url` the public may open, never an internal host name,
and never the original file of a table whose columns are not all public.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ckanext.sipessut import publicdata
from ckanext.sipessut.interop import vocab


def _public_url(url: str) -> bool:
    """An absolute http(s) address whose host a visitor on the internet can reach by name."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost" or "." not in host:  # `http://api/...`: an internal name
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return True


def resource_url(pkg: Mapping[str, Any], resource: Mapping[str, Any]) -> str:
    """Where the public downloads it: our download URL for uploads; a link as it is when it
    is public, else the resource's page on this portal (never an internal host name). A
    table with columns that are not public (MS-Var) is never pointed at its original: its
    CSV from the DataStore (those columns left out) when loaded, else its page."""
    site = vocab.site_url()
    page = f"{site}/dataset/{pkg['name']}/resource/{resource['id']}"
    if not publicdata.original_is_public(dict(resource)):
        return publicdata.public_csv_url(dict(resource)) or page
    if resource.get("url_type") == "upload":
        filename = str(resource.get("url") or "").rsplit("/", 1)[-1] or "download"
        return f"{site}/dataset/{pkg['id']}/resource/{resource['id']}/download/{filename}"
    url = str(resource.get("url") or "")
    if url.startswith(site + "/") or _public_url(url):
        return url
    return page
