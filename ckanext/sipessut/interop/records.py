"""What the exports say about the things a dataset points to: its OPD, its kegiatan and
its indikator, read once per request (cache.memo) and only when public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import metadata, opd
from ckanext.sipessut.interop import cache, published, vocab


@dataclass(frozen=True)
class Producer:
    id: str
    name: str
    title: str
    kode_skpd: str
    email: str
    telepon: str
    alamat: str
    website: str
    url: str  # the OPD's page on this portal

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def producer(pkg: dict[str, Any]) -> Producer | None:
    """The dataset's OPD (Produsen Data) with its code and contacts."""
    owner = pkg.get("owner_org") or (pkg.get("organization") or {}).get("id")
    if not owner:
        return None
    return cache.memo("opd", owner, lambda: _producer(owner))


def _producer(owner: str) -> Producer | None:
    record = opd.organization(owner)
    if record is None or record.state != "active":
        return None
    return Producer(
        id=record.id,
        name=record.name,
        title=record.title,
        kode_skpd=record.kode_skpd or "",
        email=record.value("email") or "",
        telepon=record.value("telepon") or "",
        alamat=record.value("alamat") or "",
        website=record.value("website") or "",
        url=f"{vocab.site_url()}/organization/{record.name}",
    )


@dataclass(frozen=True)
class Related:
    """A public kegiatan or indikator a dataset links to."""

    id: str
    name: str
    type: str
    title: str
    kode: str  # Kode Metadata (INDAH) of a kegiatan, else empty
    url: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def related(reference: str) -> Related | None:
    """A linked kegiatan or indikator (by id or name), when it is public; else None
    (a private kegiatan's title never travels with a public dataset)."""
    if not reference:
        return None
    return cache.memo("related", reference, lambda: _related(reference))


def _related(reference: str) -> Related | None:
    try:
        pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": reference})
    except tk.ObjectNotFound:
        return None
    if not published.is_public(pkg):
        return None
    return Related(
        id=pkg["id"],
        name=pkg["name"],
        type=pkg["type"],
        title=pkg.get("title") or pkg["name"],
        kode=str(pkg.get("kode_metadata") or ""),
        url=f"{vocab.site_url()}/{pkg['type']}/{pkg['name']}",
    )


def references(value: Any) -> list[str]:
    """The ids (or codes) a reference field holds: one, a list, or a JSON list."""
    return metadata.values_of(value)
