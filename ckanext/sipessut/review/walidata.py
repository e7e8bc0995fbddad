"""Who the Walidata is and who acts for it.

The Walidata is THE organization whose scheming field `peran` is `walidata` (Perpres
39/2019 Pasal 21(2): one per Pemda). Its members with one of the configured roles, and
sysadmins, review the OPDs' submissions.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from ckan import model

from ckanext.sipessut.review import settings

log = logging.getLogger(__name__)

PERAN_FIELD = "peran"
WALIDATA_PERAN = "walidata"
# The roles of an OPD's members who edit its datasets and hear about their review.
PRODUCER_ROLES = ("admin", "editor")


def _walidata_ids() -> list[str]:
    query = sa.select(model.Group.id).where(
        model.Group.is_organization.is_(True), model.Group.state == "active"
    )
    if hasattr(model, "GroupExtra"):  # CKAN 2.11: one row per extra field
        query = query.join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id).where(
            model.GroupExtra.key == PERAN_FIELD,
            model.GroupExtra.value == WALIDATA_PERAN,
            model.GroupExtra.state == "active",
        )
    else:  # CKAN 2.12: extras are a JSONB column of the group
        query = query.where(model.Group.extras[PERAN_FIELD].astext == WALIDATA_PERAN)
    return list(model.Session.execute(query).scalars())


def organization() -> model.Group | None:
    """The Walidata organization, or None when there is none or, wrongly, several.

    Several organizations claiming the role is a misconfiguration (Perpres 39/2019 Pasal
    21(2)); trusting any of them could let an OPD review itself, so none is trusted.
    """
    ids = _walidata_ids()
    if len(ids) > 1:
        log.error("%d organizations have peran=walidata; only sysadmins can review", len(ids))
        return None
    return model.Group.get(ids[0]) if ids else None


def is_reviewer(user: model.User | None) -> bool:
    """Sysadmins, and active members of the Walidata with a reviewer role."""
    if user is None or not getattr(user, "id", None) or user.state != "active":
        return False
    if user.sysadmin:
        return True
    walidata = organization()
    if walidata is None:
        return False
    return bool(_members(walidata.id, settings.reviewer_roles(), user_id=user.id))


def reviewers() -> list[model.User]:
    """The people who hear about a submission: the Walidata's reviewers, or the sysadmins
    when the portal has no Walidata yet."""
    walidata = organization()
    found = _members(walidata.id, settings.reviewer_roles()) if walidata else []
    if found:
        return found
    return list(
        model.Session.execute(
            sa.select(model.User).where(model.User.sysadmin.is_(True), model.User.state == "active")
        ).scalars()
    )


def producers(organization_id: str) -> list[model.User]:
    """The editors and admins of an OPD."""
    return _members(organization_id, PRODUCER_ROLES)


def _members(group_id: str, roles, user_id: str | None = None) -> list[model.User]:
    query = (
        sa.select(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .where(
            model.Member.group_id == group_id,
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Member.capacity.in_(list(roles)),
            model.User.state == "active",
        )
        .order_by(model.User.name)
    )
    if user_id:
        query = query.where(model.User.id == user_id)
    return list(model.Session.execute(query).scalars().unique())
