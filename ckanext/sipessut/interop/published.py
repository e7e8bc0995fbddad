"""What the portal hands to other systems: the one rule, for every export and endpoint.

A dataset leaves the portal (DCAT, schema.org, the harvest API, Data Packages, Daftar
Data links) only when it is a data table (type `dataset`), active, public, published by
the Walidata (review state `ditayangkan`) and open (pengaturan akses Terbuka). A kegiatan
or indikator is named by what is exported only when it is itself public and published.
Private drafts, datasets waiting for or returned by the Walidata, and Terbatas or
Tertutup data appear nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ckanext.sipessut import review

OPEN_ACCESS = "terbuka"
TABLE_TYPE = "dataset"

# Solr filter that narrows a search to the published data tables (package_search's own
# permission labels already keep private datasets out; this adds type and access level).
SEARCH_FILTER = (
    f"+dataset_type:{TABLE_TYPE}"
    " -extras_pengaturan_akses:terbatas -extras_pengaturan_akses:tertutup"
)


def _visible(pkg: Mapping[str, Any]) -> bool:
    return (pkg.get("state") or "active") == "active" and not pkg.get("private")


def is_public(pkg: Mapping[str, Any], state: str | None = None) -> bool:
    """Any dataset type (a kegiatan, an indikator): public and published."""
    if not pkg.get("id") or not _visible(pkg):
        return False
    return (state or review.state(dict(pkg))) == review.DITAYANGKAN


def is_published(pkg: Mapping[str, Any], state: str | None = None) -> bool:
    """A data table the portal gives to other systems (see the module's docstring)."""
    return (
        pkg.get("type", TABLE_TYPE) == TABLE_TYPE
        and (pkg.get("pengaturan_akses") or OPEN_ACCESS) == OPEN_ACCESS
        and is_public(pkg, state)
    )


def only_published(pkgs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The published ones of many datasets (review states read in one query)."""
    pkgs = list(pkgs)
    states = review.states_of([p["id"] for p in pkgs if p.get("id")])
    return [p for p in pkgs if is_published(p, states.get(p.get("id"), review.DRAF))]


def public_ids(ids: Iterable[str]) -> set[str]:
    """Which of these datasets (any type) are public and published, in two queries."""
    from ckan import model

    ids = [i for i in dict.fromkeys(ids) if i]
    if not ids:
        return set()
    rows = (
        model.Session.query(model.Package.id)
        .filter(model.Package.id.in_(ids))
        .filter(model.Package.state == "active")
        .filter(model.Package.private.is_(False))
        .all()
    )
    candidates = [row[0] for row in rows]
    states = review.states_of(candidates)
    return {i for i in candidates if states.get(i) == review.DITAYANGKAN}
