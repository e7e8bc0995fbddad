"""The review tables: the current state of each dataset and the audit trail of transitions.

The tables are created by the alembic revision in migration/sipessut/versions; they are
described here on a MetaData of our own, so that CKAN's shared metadata (which its test
fixtures reflect) never sees them twice. Everything runs in CKAN's session, i.e. in the
transaction of the action that calls it.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.sipessut import clock
from ckanext.sipessut.review import states

metadata = sa.MetaData()

review_state = sa.Table(
    "sipessut_review_state",
    metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("state", sa.UnicodeText, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("submitted_at", sa.DateTime),
)

review_event = sa.Table(
    "sipessut_review_event",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("actor_id", sa.UnicodeText),
    sa.Column("action", sa.UnicodeText, nullable=False),
    sa.Column("from_state", sa.UnicodeText, nullable=False),
    sa.Column("to_state", sa.UnicodeText, nullable=False),
    sa.Column("note", sa.UnicodeText),
)


@dataclass(frozen=True)
class Event:
    id: str
    package_id: str
    created: datetime.datetime
    actor_id: str | None
    action: str
    from_state: str
    to_state: str
    note: str | None


utcnow = clock.utcnow  # naive UTC, as CKAN stores its own timestamps


def current_state(package: model.Package, was_private: bool | None = None) -> str:
    """The stored state or, for a dataset that never moved, the one its visibility implies
    (its visibility before an update in progress, when given)."""
    stored = model.Session.execute(
        sa.select(review_state.c.state).where(review_state.c.package_id == package.id)
    ).scalar()
    if stored:
        return stored
    return states.derived_state(bool(package.private if was_private is None else was_private))


def states_of(package_ids: list[str]) -> dict[str, str]:
    """The review state of each dataset (stored, else implied by its visibility), in one query."""
    if not package_ids:
        return {}
    rows = model.Session.execute(
        sa.select(model.Package.id, model.Package.private, review_state.c.state)
        .outerjoin(review_state, review_state.c.package_id == model.Package.id)
        .where(model.Package.id.in_(package_ids))
    )
    return {
        package_id: stored or states.derived_state(bool(private))
        for package_id, private, stored in rows
    }


def left_public(package_ids: list[str]) -> dict[str, datetime.datetime]:
    """Of these datasets, those that were published and then left the public (returned,
    made private), with the time they last left it, in one query."""
    if not package_ids:
        return {}
    rows = model.Session.execute(
        sa.select(review_event.c.package_id, sa.func.max(review_event.c.created))
        .where(review_event.c.package_id.in_(package_ids))
        .where(review_event.c.from_state == states.DITAYANGKAN)
        .group_by(review_event.c.package_id)
    )
    return dict(rows.all())


def move(
    package: model.Package,
    source: str,
    target: str,
    action: str,
    actor_id: str | None,
    note: str | None = None,
) -> Event | None:
    """Move the dataset from `source` to `target` and record the event, or do nothing.

    The guard against two people acting at once is the database's: the UPDATE only
    matches while the row is still in `source`; a concurrent mover blocks on the row
    lock and then finds the state changed. Returns None when the dataset was no longer
    in `source`. The caller commits (or rolls back) the transaction.
    """
    now = utcnow()
    session = model.Session
    # A dataset that never moved has no row yet: add it in its implied state first.
    session.execute(
        pg_insert(review_state)
        .values(package_id=package.id, state=source, changed_at=now)
        .on_conflict_do_nothing(index_elements=["package_id"])
    )
    moved = session.execute(
        sa.update(review_state)
        .where(review_state.c.package_id == package.id, review_state.c.state == source)
        .values(
            state=target,
            changed_at=now,
            submitted_at=now if target == states.DIAJUKAN else review_state.c.submitted_at,
        )
    )
    if moved.rowcount != 1:
        return None
    event = Event(
        id=str(uuid.uuid4()),
        package_id=package.id,
        created=now,
        actor_id=actor_id,
        action=action,
        from_state=source,
        to_state=target,
        note=note,
    )
    session.execute(sa.insert(review_event).values(**event.__dict__))
    return event


def events(package_id: str) -> list[Event]:
    """The audit trail of one dataset, oldest first."""
    rows = model.Session.execute(
        sa.select(review_event)
        .where(review_event.c.package_id == package_id)
        .order_by(review_event.c.created, review_event.c.id)
    ).mappings()
    return [Event(**row) for row in rows]


def last_event(package_id: str, action: str | None = None) -> Event | None:
    query = sa.select(review_event).where(review_event.c.package_id == package_id)
    if action:
        query = query.where(review_event.c.action == action)
    row = (
        model.Session.execute(query.order_by(review_event.c.created.desc()).limit(1))
        .mappings()
        .first()
    )
    return Event(**row) if row else None


@dataclass(frozen=True)
class QueueFilters:
    state: str = states.DIAJUKAN
    organization_id: str | None = None
    submitted_before: datetime.datetime | None = None  # waiting at least since then
    validation: str | None = None  # a dataset status of the validation domain


@dataclass(frozen=True)
class QueuePage:
    count: int
    rows: list[Any]  # (package, since, validation status), longest waiting first
    per_organization: list[Any]  # (organization, count) under the other filters, by title


def queue(
    filters: QueueFilters,
    dataset_status: Any,
    limit: int,
    offset: int,
) -> QueuePage:
    """Datasets in a review state, filtered, counted and paged by the database.

    `dataset_status(package_id_column)` is the validation domain's SQL for a dataset's
    status. Three queries whatever the size of the queue: the page, the count, the counts
    per OPD; the status is computed for the page's rows only, unless it is a filter.
    """
    # Datasets that never moved have no row: their state is implied by their visibility
    # and their time is their last change.
    since = (
        review_state.c.submitted_at
        if filters.state == states.DIAJUKAN
        else sa.func.coalesce(review_state.c.changed_at, model.Package.metadata_modified)
    )
    fields = [model.Package.id.label("package_id"), model.Package.owner_org, since.label("since")]
    if filters.validation:
        # Filtering by validation status needs it for every waiting dataset; otherwise it
        # is computed for the page's rows only (below).
        fields.append(dataset_status(model.Package.id).label("validation_status"))
    columns = sa.select(*fields)
    if filters.state in states.IMPLIED_STATES:
        # Datasets that never moved are in these states too: by their visibility.
        stored_or_implied = sa.func.coalesce(
            review_state.c.state,
            sa.case((model.Package.private.is_(True), states.DRAF), else_=states.DITAYANGKAN),
        )
        columns = columns.outerjoin(
            review_state, review_state.c.package_id == model.Package.id
        ).where(stored_or_implied == filters.state)
    else:
        # Only a stored state says diajukan or dikembalikan: the state's index finds them.
        columns = columns.join(review_state, review_state.c.package_id == model.Package.id).where(
            review_state.c.state == filters.state
        )
    base = columns.where(
        model.Package.state == "active",
        model.Package.owner_org.isnot(None),
    ).subquery()
    wanted = []
    if filters.submitted_before is not None:
        wanted.append(base.c.since <= filters.submitted_before)
    if filters.validation:
        wanted.append(base.c.validation_status == filters.validation)
    per_organization = model.Session.execute(
        sa.select(model.Group, sa.func.count())
        .join(base, base.c.owner_org == model.Group.id)
        .where(*wanted)
        .group_by(model.Group.id)
        .order_by(sa.func.lower(sa.func.coalesce(model.Group.title, model.Group.name)))
    ).all()
    if filters.organization_id:
        wanted.append(base.c.owner_org == filters.organization_id)
    count = model.Session.execute(
        sa.select(sa.func.count()).select_from(base).where(*wanted)
    ).scalar()
    page = (
        sa.select(base.c.package_id, base.c.since)
        .where(*wanted)
        .order_by(base.c.since, base.c.package_id)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    rows = model.Session.execute(
        sa.select(
            model.Package,
            page.c.since,
            dataset_status(model.Package.id).label("validation_status"),
        )
        .join(page, page.c.package_id == model.Package.id)
        .order_by(page.c.since, model.Package.id)
    ).all()
    return QueuePage(int(count or 0), list(rows), list(per_organization))


def last_events(package_ids: list[str], action: str) -> dict[str, Event]:
    """The latest event of `action` for each of the datasets, in one query."""
    if not package_ids:
        return {}
    query = (
        sa.select(review_event)
        .where(review_event.c.package_id.in_(package_ids), review_event.c.action == action)
        .order_by(
            review_event.c.package_id, review_event.c.created.desc(), review_event.c.id.desc()
        )
        .distinct(review_event.c.package_id)
    )
    return {row["package_id"]: Event(**row) for row in model.Session.execute(query).mappings()}


def state_column(package_id: Any) -> Any:
    """SQL for a dataset's review state (stored, else implied by its visibility), for the
    dataset whose id is `package_id` (a column of the enclosing query, on CKAN's package
    table): the same rule as states_of(), for lists counted and grouped in the database."""
    stored = (
        sa.select(review_state.c.state)
        .where(review_state.c.package_id == package_id)
        .scalar_subquery()
    )
    return _state_of(stored)


def packages_with_state() -> tuple[Any, Any]:
    """CKAN's package table outer-joined to the stored review states, and the SQL of each
    row's state (the rule of state_column): for counts over every dataset, one join instead
    of a lookup per dataset."""
    joined = model.Package.__table__.outerjoin(
        review_state, review_state.c.package_id == model.Package.id
    )
    return joined, _state_of(review_state.c.state)


def _state_of(stored: Any) -> Any:
    implied = sa.case((model.Package.private.is_(True), states.DRAF), else_=states.DITAYANGKAN)
    return sa.func.coalesce(stored, implied)


DECISIONS = ("approve", "return")


def decision_days(organization_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per OPD, how long the Walidata took to decide: the median and the count of days
    from each submission to the decision (approve or return) that ended it, in one query.

    {organization_id: {"median_days": float, "decisions": int}}; a submission that was
    withdrawn or is still waiting has no decision and is not counted.
    """
    submit = review_event.alias("submit")
    decision = review_event.alias("decision")
    # What ended each submission: the first withdrawal or decision after it (lateral: one
    # per submission); only decisions are counted.
    ended = (
        sa.select(decision.c.created, decision.c.action)
        .where(
            decision.c.package_id == submit.c.package_id,
            decision.c.created >= submit.c.created,
            decision.c.id != submit.c.id,
            decision.c.action.in_(("withdraw", *DECISIONS)),
        )
        .order_by(decision.c.created, decision.c.id)
        .limit(1)
        .correlate(submit)
        .lateral("ended")
    )
    days = sa.func.extract("epoch", ended.c.created - submit.c.created) / 86400.0
    query = (
        sa.select(
            model.Package.owner_org,
            sa.func.percentile_cont(0.5).within_group(days).label("median_days"),
            sa.func.count().label("decisions"),
        )
        .select_from(submit)
        .join(ended, sa.true())
        .join(model.Package, model.Package.id == submit.c.package_id)
        .where(submit.c.action == "submit", ended.c.action.in_(DECISIONS))
        .group_by(model.Package.owner_org)
    )
    if organization_ids is not None:
        query = query.where(model.Package.owner_org.in_(organization_ids))
    return {
        owner: {"median_days": round(float(median), 1), "decisions": int(count)}
        for owner, median, count in model.Session.execute(query)
        if owner
    }


def returned(organization_ids: list[str]) -> list[tuple[model.Package, Event | None]]:
    """The active datasets of these OPDs that the Walidata returned, each with the return
    (its note), most recently returned first; two queries."""
    if not organization_ids:
        return []
    packages = (
        model.Session.execute(
            sa.select(model.Package)
            .join(review_state, review_state.c.package_id == model.Package.id)
            .where(
                review_state.c.state == states.DIKEMBALIKAN,
                model.Package.owner_org.in_(organization_ids),
                model.Package.state == "active",
            )
        )
        .scalars()
        .all()
    )
    events = last_events([package.id for package in packages], "return")
    oldest = datetime.datetime.min
    return sorted(
        ((package, events.get(package.id)) for package in packages),
        key=lambda pair: pair[1].created if pair[1] else oldest,
        reverse=True,
    )
