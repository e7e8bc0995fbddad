"""DataStore loads, stored in our own table (created by the alembic migration).

One row per load of a resource: what triggered it, when it started and finished, how
many rows went in and, for a load that failed or was skipped, the reason (a code and its
parameters, explained in the user's language by messages.py). The newest row of a
resource is its load status on the resource page. Declared on its own MetaData so that
CKAN's reflection of the database never collides with it.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects import postgresql

from ckanext.sipessut import clock

metadata = sa.MetaData()

loads = sa.Table(
    "sipessut_publicdata_load",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("resource_id", sa.UnicodeText, nullable=False),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("status", sa.UnicodeText, nullable=False),
    sa.Column("trigger", sa.UnicodeText, nullable=False),
    sa.Column("requested_by", sa.UnicodeText),
    sa.Column("validation_run_id", sa.UnicodeText),
    sa.Column("job_id", sa.UnicodeText),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("started", sa.DateTime),
    sa.Column("finished", sa.DateTime),
    sa.Column("rows", sa.BigInteger),
    sa.Column("reason", postgresql.JSONB),
    sa.Column("details", postgresql.JSONB),
)

# The load statuses: queued, being loaded, in the DataStore, failed (with a reason), not
# loaded on purpose (with a reason: invalid table, restricted access, no dictionary...).
PENDING, RUNNING, LOADED, ERROR, SKIPPED = "pending", "running", "loaded", "error", "skipped"
UNFINISHED = (PENDING, RUNNING)
STATUSES = (PENDING, RUNNING, LOADED, ERROR, SKIPPED)


now = clock.utcnow  # naive UTC, as CKAN stores its own timestamps


def create(
    resource_id: str,
    package_id: str,
    trigger: str,
    requested_by: str | None,
    validation_run_id: str | None = None,
) -> dict[str, Any]:
    row = {
        "id": str(uuid.uuid4()),
        "resource_id": resource_id,
        "package_id": package_id,
        "status": PENDING,
        "trigger": trigger,
        "requested_by": requested_by,
        "validation_run_id": validation_run_id,
        "created": now(),
    }
    model.Session.execute(sa.insert(loads).values(**row))
    return row


def update(load_id: str, **values: Any) -> None:
    model.Session.execute(sa.update(loads).where(loads.c.id == load_id).values(**values))


def get(load_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(loads).where(loads.c.id == load_id)).mappings().first()
    return dict(row) if row else None


def latest(resource_id: str) -> dict[str, Any] | None:
    row = (
        model.Session.execute(
            sa.select(loads)
            .where(loads.c.resource_id == resource_id)
            .order_by(loads.c.created.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def latest_of(resource_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The newest load of each resource, in one query."""
    if not resource_ids:
        return {}
    query = (
        sa.select(loads)
        .where(loads.c.resource_id.in_(resource_ids))
        .distinct(loads.c.resource_id)
        .order_by(loads.c.resource_id, loads.c.created.desc())
    )
    return {row["resource_id"]: dict(row) for row in model.Session.execute(query).mappings()}


def history(resource_id: str, limit: int) -> list[dict[str, Any]]:
    query = (
        sa.select(loads)
        .where(loads.c.resource_id == resource_id)
        .order_by(loads.c.created.desc())
        .limit(limit)
    )
    return [dict(row) for row in model.Session.execute(query).mappings()]


def trim(resource_id: str, keep: int) -> None:
    """Keep the `keep` newest loads of a resource."""
    newest = (
        sa.select(loads.c.id)
        .where(loads.c.resource_id == resource_id)
        .order_by(loads.c.created.desc())
        .limit(keep)
    )
    model.Session.execute(
        sa.delete(loads).where(loads.c.resource_id == resource_id, loads.c.id.not_in(newest))
    )


def delete_for(resource_ids: list[str]) -> None:
    if resource_ids:
        model.Session.execute(sa.delete(loads).where(loads.c.resource_id.in_(resource_ids)))


def unfinished() -> list[dict[str, Any]]:
    query = sa.select(loads).where(loads.c.status.in_(UNFINISHED))
    return [dict(row) for row in model.Session.execute(query).mappings()]
