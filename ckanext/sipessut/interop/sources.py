"""Where the data of a published resource comes from when it is exported (Data Package zip).

`sources_of(pkg, resource)` asks each registered provider in turn; the first that answers
gives the file. Another domain plugs in a better source through the face:

    from ckanext.sipessut import interop
    interop.add_source_provider(datastore_source)   # (pkg, resource, hidden) -> Source | None

e.g. the DataStore table of a loaded resource (already typed, with the non-public
columns left out). Until one answers, the original file the public may download is used:
the stored upload, or the link (fetched within the validation's time and size limits,
never from a private address).
"""

from __future__ import annotations

import contextlib
import dataclasses
import mimetypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ckanext.sipessut import validation

TABULAR = {"csv": "text/csv", "tsv": "text/tab-separated-values", "xlsx": None, "xls": None}


@dataclass(frozen=True)
class Source:
    filename: str  # in the zip's data/ folder
    format: str  # lower case: csv, xlsx, pdf...
    url: str  # where the public downloads it (datapackage.json points there)
    open: Callable[[], contextlib.AbstractContextManager[str]]  # -> a local path, removed after
    tabular: bool
    size: int | None = None
    mediatype: str | None = None
    dialect: dict[str, Any] | None = None

    def renamed(self, filename: str) -> Source:
        return dataclasses.replace(self, filename=filename)


Provider = Callable[[dict[str, Any], dict[str, Any], list[str]], "Source | None"]
_PROVIDERS: list[Provider] = []


def add_source_provider(provider: Provider) -> None:
    """Register a provider asked before the original files (the newest first)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.insert(0, provider)


def first_source(pkg: dict[str, Any], resource: dict[str, Any], hidden: list[str]) -> Source | None:
    for provider in (*_PROVIDERS, original_file):
        found = provider(pkg, resource, hidden)
        if found is not None:
            return found
    return None


def _safe_name(name: str, fallback: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return name[:120] or fallback


def original_file(
    pkg: dict[str, Any], resource: dict[str, Any], hidden: list[str]
) -> Source | None:
    """The file the public downloads, as it is; a table with non-public columns is written
    anew as CSV without them (the original never leaves the portal then)."""
    from ckanext.sipessut.interop import datapackage, downloads

    url = str(resource.get("url") or "")
    if not url:
        return None
    fmt = validation.resource_format(resource).lower() or url.rsplit(".", 1)[-1].lower()
    filename = _safe_name(url.rsplit("/", 1)[-1].split("?")[0], resource["id"])
    tabular = validation.is_tabular(resource) and fmt in TABULAR
    download = downloads.resource_url(pkg, resource)

    def opened() -> contextlib.AbstractContextManager[str]:
        return validation.resource_file(resource)

    size = resource.get("size") if isinstance(resource.get("size"), int) else None
    if tabular and hidden:
        stem = filename.rsplit(".", 1)[0] if "." in filename else filename

        @contextlib.contextmanager
        def rewritten() -> Iterator[str]:
            with opened() as path, datapackage.csv_without(path, fmt, hidden, {}) as csv_path:
                yield csv_path

        # the original's size bounds the rewritten table's (columns are only taken out)
        return Source(f"{stem}.csv", "csv", download, rewritten, True, size, "text/csv")
    mediatype = TABULAR.get(fmt) or mimetypes.guess_type(filename)[0]
    return Source(filename, fmt, download, opened, tabular, size, mediatype)
