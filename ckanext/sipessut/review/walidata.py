"""Who acts for the Walidata.

Which organization is the Walidata is the OPD registry's to say (`opd.walidata()`). Its
members with one of the configured roles, and sysadmins, review the OPDs' submissions.
"""

from __future__ import annotations

import sqlalchemy as sa
from ckan import model

from ckanext.sipessut import opd
from ckanext.sipessut.review import settings

# The roles of an OPD's members who edit its datasets and hear about their review.
PRODUCER_ROLES = ("admin", "editor")


def organization() -> model.Group | None:
    """The Walidata organization (the OPD registry says which), or None when there is none
    or, wrongly, several: then only sysadmins review."""
    record = opd.walidata()
    return model.Group.get(record.id) if record else None


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
