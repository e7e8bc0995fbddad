"""The monitoring tables: releases recorded, reminders sent, data requests and their steps.

Created by the alembic revision in migration/sipessut/versions; described here on a
MetaData of our own, so that CKAN's shared metadata (which its test fixtures reflect)
never sees them twice. Everything runs in CKAN's session.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.sipessut import clock

metadata = sa.MetaData()

release = sa.Table(
    "sipessut_release",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("release_date", sa.Date, nullable=False),
    sa.Column("released_at", sa.DateTime, nullable=False),
    sa.Column("due_date", sa.Date),
    sa.Column("days_late", sa.Integer),
    sa.Column("trigger", sa.UnicodeText, nullable=False),
    sa.Column("actor_id", sa.UnicodeText),
    # {resource_id: sha256} of the table files this release published
    sa.Column("files", JSONB, nullable=False),
)

reminder = sa.Table(
    "sipessut_reminder",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("kind", sa.UnicodeText, nullable=False),
    sa.Column("sent_at", sa.DateTime, nullable=False),
    sa.Column("recipients", JSONB, nullable=False),
)

data_request = sa.Table(
    "sipessut_data_request",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("token", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("state", sa.UnicodeText, nullable=False),
    sa.Column("name", sa.UnicodeText, nullable=False),
    sa.Column("email", sa.UnicodeText, nullable=False),
    sa.Column("organisation", sa.UnicodeText),
    sa.Column("title", sa.UnicodeText, nullable=False),
    sa.Column("purpose", sa.UnicodeText, nullable=False),
    sa.Column("client_hash", sa.UnicodeText, nullable=False),
    sa.Column("organization_id", sa.UnicodeText),
    sa.Column("answer_package_id", sa.UnicodeText),
    sa.Column("answer", sa.UnicodeText),
    sa.Column("answered_at", sa.DateTime),
)

data_request_event = sa.Table(
    "sipessut_data_request_event",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("request_id", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("actor_id", sa.UnicodeText),
    sa.Column("action", sa.UnicodeText, nullable=False),
    sa.Column("from_state", sa.UnicodeText),
    sa.Column("to_state", sa.UnicodeText, nullable=False),
    sa.Column("organization_id", sa.UnicodeText),
    sa.Column("note", sa.UnicodeText),
)


utcnow = clock.utcnow  # naive UTC, as CKAN stores its own timestamps


def new_id() -> str:
    return str(uuid.uuid4())


# --- releases ----------------------------------------------------------------------


def last_release_dates(package_ids: list[str]) -> dict[str, datetime.date]:
    """The date of each dataset's latest recorded release, in one query."""
    if not package_ids:
        return {}
    rows = model.Session.execute(
        sa.select(release.c.package_id, sa.func.max(release.c.release_date))
        .where(release.c.package_id.in_(package_ids))
        .group_by(release.c.package_id)
    )
    return dict(rows.all())


def known_file(package_id: str, resource_id: str) -> str | None:
    """The SHA-256 of the resource's file as last published in a recorded release."""
    return model.Session.execute(
        sa.select(release.c.files[resource_id].astext)
        .where(release.c.package_id == package_id, release.c.files.has_key(resource_id))
        .order_by(release.c.released_at.desc())
        .limit(1)
    ).scalar()


def record_release(
    package_id: str,
    release_date: datetime.date,
    due_date: datetime.date | None,
    days_late: int | None,
    trigger: str,
    actor_id: str | None,
    files: dict[str, str],
) -> bool:
    """Record a release; a second one the same day only adds its files to the first.
    Returns whether a new release row was written."""
    inserted = model.Session.execute(
        pg_insert(release)
        .values(
            id=new_id(),
            package_id=package_id,
            release_date=release_date,
            released_at=utcnow(),
            due_date=due_date,
            days_late=days_late,
            trigger=trigger,
            actor_id=actor_id,
            files=files,
        )
        .on_conflict_do_nothing(index_elements=["package_id", "release_date"])
    ).rowcount
    if not inserted and files:
        model.Session.execute(
            sa.update(release)
            .where(release.c.package_id == package_id, release.c.release_date == release_date)
            .values(files=release.c.files.op("||")(sa.cast(files, JSONB)))
        )
    return bool(inserted)


def releases_of(package_id: str) -> list[dict[str, Any]]:
    rows = model.Session.execute(
        sa.select(release)
        .where(release.c.package_id == package_id)
        .order_by(release.c.release_date.desc())
    ).mappings()
    return [dict(row) for row in rows]


# --- reminders ---------------------------------------------------------------------


def claim_reminder(
    package_id: str, due_date: datetime.date, kind: str, recipients: list[str]
) -> bool:
    """Record that a reminder goes out; False when one was already sent for this due date
    (the unique key decides, so two runs at once still send it once)."""
    return bool(
        model.Session.execute(
            pg_insert(reminder)
            .values(
                id=new_id(),
                package_id=package_id,
                due_date=due_date,
                kind=kind,
                sent_at=utcnow(),
                recipients=recipients,
            )
            .on_conflict_do_nothing(index_elements=["package_id", "due_date", "kind"])
        ).rowcount
    )


def reminders_sent(
    keys: list[tuple[str, datetime.date, str]],
) -> set[tuple[str, datetime.date, str]]:
    """Which of these (package_id, due_date, kind) reminders were already sent."""
    if not keys:
        return set()
    rows = model.Session.execute(
        sa.select(reminder.c.package_id, reminder.c.due_date, reminder.c.kind).where(
            reminder.c.package_id.in_(list({key[0] for key in keys}))
        )
    )
    return set(rows.all()) & set(keys)
