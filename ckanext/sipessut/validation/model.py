"""Validation runs, stored in our own table (created by the alembic migration).

One row per run: who asked, when it started and finished, the fingerprint
of what was checked, a small summary for lists and the full (trimmed)
report as JSONB. The table is declared on its own MetaData so that CKAN's
reflection of the database never collides with it.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects import postgresql

from ckanext.sipessut import clock
from ckanext.sipessut.validation import status

metadata = sa.MetaData()

runs = sa.Table(
    "sipessut_validation_run",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("resource_id", sa.UnicodeText, nullable=False),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("status", sa.UnicodeText, nullable=False),
    sa.Column("trigger", sa.UnicodeText, nullable=False),
    sa.Column("requested_by", sa.UnicodeText),
    sa.Column("fingerprint", sa.UnicodeText),
    sa.Column("job_id", sa.UnicodeText),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("started", sa.DateTime),
    sa.Column("finished", sa.DateTime),
    sa.Column("summary", postgresql.JSONB),
    sa.Column("report", postgresql.JSONB),
)

# Run statuses (the vocabulary is status.py's). The resource field `validation_status`
# takes valid, invalid, error or pending from them.
PENDING, RUNNING, VALID, INVALID, ERROR, SKIPPED = (
    status.PENDING,
    status.RUNNING,
    status.VALID,
    status.INVALID,
    status.ERROR,
    status.SKIPPED,
)
FINISHED = (VALID, INVALID, ERROR)
UNFINISHED = (PENDING, RUNNING)

SUMMARY_COLUMNS = [c for c in runs.c if c.name != "report"]


now = clock.utcnow  # naive UTC, as CKAN stores its own timestamps


def create(
    resource_id: str, package_id: str, trigger: str, requested_by: str | None
) -> dict[str, Any]:
    row = {
        "id": str(uuid.uuid4()),
        "resource_id": resource_id,
        "package_id": package_id,
        "status": PENDING,
        "trigger": trigger,
        "requested_by": requested_by,
        "created": now(),
    }
    model.Session.execute(sa.insert(runs).values(**row))
    return row


def update(run_id: str, **values: Any) -> None:
    model.Session.execute(sa.update(runs).where(runs.c.id == run_id).values(**values))


def finish(run_id: str, **values: Any) -> bool:
    """End a run that has not ended yet; False when it already had (a run ends once)."""
    result = model.Session.execute(
        sa.update(runs).where(runs.c.id == run_id, runs.c.status.in_(UNFINISHED)).values(**values)
    )
    return bool(result.rowcount)


def lock_resource(resource_id: str) -> None:
    """Hold, until this transaction ends, the lock under which a resource's status is written:
    deciding whether a run is the newest and writing its status are never split."""
    model.Session.execute(
        sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(LOCK_PREFIX + resource_id)))
    )


LOCK_PREFIX = "sipessut_validation:"


def get(run_id: str, with_report: bool = True) -> dict[str, Any] | None:
    columns = list(runs.c) if with_report else SUMMARY_COLUMNS
    row = model.Session.execute(sa.select(*columns).where(runs.c.id == run_id)).first()
    return dict(row._mapping) if row else None


def latest(resource_id: str, statuses: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    query = sa.select(*runs.c).where(runs.c.resource_id == resource_id)
    if statuses:
        query = query.where(runs.c.status.in_(statuses))
    newest_first = (runs.c.created.desc(), runs.c.id.desc())
    row = model.Session.execute(query.order_by(*newest_first).limit(1)).first()
    return dict(row._mapping) if row else None


def history(resource_id: str, limit: int) -> list[dict[str, Any]]:
    query = (
        sa.select(*SUMMARY_COLUMNS)
        .where(runs.c.resource_id == resource_id)
        .order_by(runs.c.created.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in model.Session.execute(query)]


def unfinished(resource_id: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(*SUMMARY_COLUMNS).where(runs.c.status.in_(UNFINISHED))
    if resource_id is not None:
        query = query.where(runs.c.resource_id == resource_id)
    return [dict(row._mapping) for row in model.Session.execute(query)]


def trim(resource_id: str, keep: int) -> None:
    """Delete all but the `keep` newest runs of a resource."""
    newest = (
        sa.select(runs.c.id)
        .where(runs.c.resource_id == resource_id)
        .order_by(runs.c.created.desc())
        .limit(keep)
    )
    model.Session.execute(
        sa.delete(runs).where(runs.c.resource_id == resource_id, runs.c.id.not_in(newest))
    )


def delete_for(resource_ids: list[str]) -> int:
    if not resource_ids:
        return 0
    result = model.Session.execute(sa.delete(runs).where(runs.c.resource_id.in_(resource_ids)))
    return result.rowcount or 0


def latest_by_resource(resource_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The newest run of each resource, without reports (for listings and the CLI)."""
    if not resource_ids:
        return {}
    ranked = (
        sa.select(
            *SUMMARY_COLUMNS,
            sa.func.row_number()
            .over(partition_by=runs.c.resource_id, order_by=runs.c.created.desc())
            .label("rank"),
        )
        .where(runs.c.resource_id.in_(resource_ids))
        .subquery()
    )
    query = sa.select(ranked).where(ranked.c.rank == 1)
    return {row.resource_id: dict(row._mapping) for row in model.Session.execute(query)}
