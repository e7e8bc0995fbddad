"""Reading organizations and their datasets in bulk, on both CKAN lines.

Writes always go through CKAN's actions; this module only reads, in a few
queries, what sync, the resolver and the search index need about every OPD
(calling organization_show 500 times would make a no-op sync slow).
CKAN 2.12 keeps organization extras in a JSONB column of `group`; 2.11 in the
`group_extra` table.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ckan.model as model
from sqlalchemy import func

from ckanext.sipessut.opd import identity

log = logging.getLogger(__name__)

CORE_FIELDS = ("name", "title", "description", "image_url")
_EXTRAS_TABLE = hasattr(model, "GroupExtra")  # CKAN 2.11


@dataclass(frozen=True)
class OrgRecord:
    id: str
    name: str
    title: str
    state: str
    description: str
    image_url: str
    extras: Mapping[str, str]

    def value(self, field: str) -> Any:
        """The canonical value of an OPD field (see identity.canonical)."""
        if field in CORE_FIELDS:
            return identity.canonical(field, getattr(self, field))
        return identity.canonical(field, self.extras.get(field))

    @property
    def kode_skpd(self) -> str:
        return self.value("kode_skpd")

    @property
    def bidang_urusan(self) -> list[str]:
        return self.value("bidang_urusan")

    def summary(self) -> dict[str, str]:
        """What an API answer says about an organization it names."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "kode_skpd": self.kode_skpd,
            "singkatan": self.value("singkatan"),
        }


def organizations(states: Iterable[str] = ("active",)) -> list[OrgRecord]:
    """Every organization in one of `states`, with its extras, in name order."""
    query = (
        model.Session.query(model.Group)
        .filter(model.Group.is_organization.is_(True))
        .filter(model.Group.state.in_(list(states)))
        .order_by(model.Group.name)
    )
    groups = query.all()
    extras = _extras_of([group.id for group in groups])
    return [_record(group, extras.get(group.id, {})) for group in groups]


def organization(id_or_name: str) -> OrgRecord | None:
    group = model.Group.get(id_or_name)
    if group is None or not group.is_organization:
        return None
    return _record(group, _extras_of([group.id]).get(group.id, {}))


def with_extra(key: str, value: str, states: Iterable[str] = ("active",)) -> list[OrgRecord]:
    """Organizations whose extra `key` is exactly `value` (one indexed query)."""
    query = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state.in_(list(states))
    )
    if _EXTRAS_TABLE:
        query = query.join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id).filter(
            model.GroupExtra.key == key,
            model.GroupExtra.value == value,
            model.GroupExtra.state == "active",
        )
    else:
        query = query.filter(model.Group.extras[key].astext == value)
    groups = query.all()
    extras = _extras_of([group.id for group in groups])
    return [_record(group, extras.get(group.id, {})) for group in groups]


def walidata() -> OrgRecord | None:
    """The Walidata: THE active organization whose `peran` is `walidata`, or None when there
    is none or, wrongly, several (Perpres 39/2019 Pasal 21(2): one per Pemda; trusting any
    of several could let an OPD review itself)."""
    found = with_extra(identity.PERAN_FIELD, identity.WALIDATA)
    if len(found) > 1:
        log.error("%d organizations have peran=walidata; none is trusted", len(found))
        return None
    return found[0] if found else None


def dataset_counts() -> dict[str, int]:
    """Datasets each organization holds: public, private and draft (not deleted)."""
    rows = (
        model.Session.query(model.Package.owner_org, func.count(model.Package.id))
        .filter(model.Package.state != "deleted", model.Package.owner_org.isnot(None))
        .group_by(model.Package.owner_org)
        .all()
    )
    return dict(rows)


def dataset_ids(org_id: str, with_deleted: bool = False) -> list[str]:
    query = model.Session.query(model.Package.id).filter(model.Package.owner_org == org_id)
    if not with_deleted:
        query = query.filter(model.Package.state != "deleted")
    return [row[0] for row in query.order_by(model.Package.name)]


def _extras_of(group_ids: list[str]) -> dict[str, dict[str, str]]:
    if not group_ids:
        return {}
    found: dict[str, dict[str, str]] = {group_id: {} for group_id in group_ids}
    if _EXTRAS_TABLE:
        rows = model.Session.query(
            model.GroupExtra.group_id, model.GroupExtra.key, model.GroupExtra.value
        ).filter(model.GroupExtra.group_id.in_(group_ids), model.GroupExtra.state == "active")
        for group_id, key, value in rows:
            found[group_id][key] = value
    else:
        rows = model.Session.query(model.Group.id, model.Group.extras).filter(
            model.Group.id.in_(group_ids)
        )
        for group_id, extras in rows:
            found[group_id] = dict(extras or {})
    return found


def _record(group: model.Group, extras: Mapping[str, str]) -> OrgRecord:
    return OrgRecord(
        id=group.id,
        name=group.name,
        title=group.title or "",
        state=group.state,
        description=group.description or "",
        image_url=group.image_url or "",
        extras=dict(extras),
    )
