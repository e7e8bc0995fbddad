"""An OPD's former identities: renames, code changes and merges.

Each row says "this name / title / kode SKPD now means organization X". It
lets an old organization URL redirect to the organization that carries it
today, lets the resolver understand data labelled with an old name, and
records every merge (who, when, what moved).

The table lives in its own SQLAlchemy MetaData: CKAN's test fixtures reflect
and rebuild core's metadata, and our alembic revisions own this table.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.model as model
import sqlalchemy as sa

metadata = sa.MetaData()

history_table = sa.Table(
    "sipessut_opd_history",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    # rename | merge
    sa.Column("kind", sa.UnicodeText, nullable=False),
    # The organization that carries the identity today.
    sa.Column("organization_id", sa.UnicodeText, nullable=False, index=True),
    # For a merge, the organization that was merged away; else the same as above.
    sa.Column("source_organization_id", sa.UnicodeText, nullable=False),
    sa.Column("old_name", sa.UnicodeText, index=True),
    sa.Column("old_title", sa.UnicodeText),
    sa.Column("old_kode_skpd", sa.UnicodeText, index=True),
    sa.Column("details", sa.JSON),
    sa.Column("actor", sa.UnicodeText),
    sa.Column("created", sa.DateTime, nullable=False),
)

RENAME = "rename"
MERGE = "merge"


def record(
    kind: str,
    organization_id: str,
    source_organization_id: str,
    old_name: str | None,
    old_title: str | None,
    old_kode_skpd: str | None,
    actor: str | None,
    details: dict[str, Any] | None = None,
) -> str:
    """Adds one event to the session (the caller commits) and returns its id."""
    event_id = str(uuid.uuid4())
    model.Session.execute(
        history_table.insert().values(
            id=event_id,
            kind=kind,
            organization_id=organization_id,
            source_organization_id=source_organization_id,
            old_name=old_name or None,
            old_title=old_title or None,
            old_kode_skpd=old_kode_skpd or None,
            details=details or {},
            actor=actor,
            created=datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None),
        )
    )
    return event_id


def events(organization_id: str | None = None) -> list[dict[str, Any]]:
    """Events, newest first: of one organization (as the one that carries the
    identity today, or as the one merged away), or all of them."""
    query = sa.select(history_table).order_by(history_table.c.created.desc())
    if organization_id:
        query = query.where(
            sa.or_(
                history_table.c.organization_id == organization_id,
                history_table.c.source_organization_id == organization_id,
            )
        )
    return [_as_dict(row) for row in model.Session.execute(query).mappings()]


def current_for_name(old_name: str) -> model.Group | None:
    """The active organization an old URL name now belongs to, following
    chains (A renamed to B, B merged into C -> C)."""
    seen: set[str] = set()
    name = old_name
    while name not in seen:
        seen.add(name)
        row = model.Session.execute(
            sa.select(history_table.c.organization_id)
            .where(history_table.c.old_name == name)
            .order_by(history_table.c.created.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        group = model.Group.get(row[0])
        if group is None:
            return None
        if group.state == "active":
            return group
        name = group.name
    return None


def former_codes() -> dict[str, str]:
    """kode SKPD changed on the portal (renames, not merges) -> the organization
    that carries the OPD today; newer events win."""
    rows = model.Session.execute(
        sa.select(history_table.c.old_kode_skpd, history_table.c.organization_id)
        .where(history_table.c.kind == RENAME, history_table.c.old_kode_skpd.isnot(None))
        .order_by(history_table.c.created)
    )
    return dict(rows.all())


def merged_code(kode_skpd: str) -> dict[str, Any] | None:
    """The merge that retired this kode SKPD, if any."""
    row = (
        model.Session.execute(
            sa.select(history_table)
            .where(history_table.c.kind == MERGE, history_table.c.old_kode_skpd == kode_skpd)
            .order_by(history_table.c.created.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return _as_dict(row) if row else None


def _as_dict(row: Any) -> dict[str, Any]:
    event = dict(row)
    event["created"] = event["created"].isoformat() if event.get("created") else None
    return event
