"""The validation status vocabulary: one place for what a table's and a dataset's status
can be, how bad each is, and what it is called.

A resource's `validation_status` (written by validation only) is one of RESOURCE_STATUSES,
or absent: NOT_VALIDATED. A dataset's status is the worst of its tables' (SEVERITY, worst
first), or NO_TABLES when it has none. Every other domain reads these through
`ckanext.sipessut.validation` (status_of, dataset_status, label, dataset_label).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.sipessut.validation import settings

STATUS_FIELD = "validation_status"
TIMESTAMP_FIELD = "validation_timestamp"

VALID = "valid"
INVALID = "invalid"
ERROR = "error"  # the table could not be checked (unreadable file, limit, lost worker)
PENDING = "pending"  # a run is queued or running
NOT_VALIDATED = "not_validated"  # never validated: the field is absent
RESOURCE_STATUSES = (VALID, INVALID, ERROR, PENDING)
# Worst first: a dataset is as bad as its worst table.
SEVERITY = (INVALID, ERROR, PENDING, NOT_VALIDATED, VALID)
NO_TABLES = "none"
# A run (table sipessut_validation_run) also passes through these; a run that found the
# file unchanged since the last one ends as SKIPPED.
RUNNING = "running"
SKIPPED = "skipped"
DATASET_STATUSES = (*SEVERITY, NO_TABLES)


def resource_format(resource: dict[str, Any]) -> str:
    """The declared format, or the extension of the uploaded file or link (lower case)."""
    declared = str(resource.get("format") or "").strip().lower().lstrip(".")
    if declared:
        return declared
    upload = resource.get("upload")
    name = getattr(upload, "filename", None) or str(resource.get("url") or "")
    return os.path.splitext(name.split("?")[0])[1].lower().lstrip(".")


def is_tabular(resource: dict[str, Any]) -> bool:
    """Whether the resource is a table the portal validates (`validation.formats`)."""
    return resource_format(resource) in settings.formats()


def status_of(resource: dict[str, Any]) -> str:
    """A table's status: one of RESOURCE_STATUSES or NOT_VALIDATED."""
    status = resource.get(STATUS_FIELD)
    return status if status in RESOURCE_STATUSES else NOT_VALIDATED


@dataclass(frozen=True)
class DatasetStatus:
    """The validation summary of a dataset: its worst table and a count per status."""

    status: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def tables(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.status,
            "tables": self.tables,
            **{status: self.counts.get(status, 0) for status in SEVERITY},
        }


def dataset_status(resources: Iterable[dict[str, Any]]) -> DatasetStatus:
    """The summary of a dataset's active tables (a package dict's `resources`)."""
    counts = Counter(
        status_of(resource)
        for resource in resources
        if resource.get("state", "active") == "active" and is_tabular(resource)
    )
    worst = next((status for status in SEVERITY if counts[status]), NO_TABLES)
    return DatasetStatus(worst, dict(counts))


# Each label is translated when asked for, not the whole list each time: a search page
# shows one per result.
_LABELS = {
    VALID: lambda: tk._("Valid"),
    INVALID: lambda: tk._("Invalid"),
    ERROR: lambda: tk._("Failed"),
    PENDING: lambda: tk._("Waiting for validation"),
    NOT_VALIDATED: lambda: tk._("Not validated"),
    RUNNING: lambda: tk._("Being validated"),
    SKIPPED: lambda: tk._("Unchanged, not validated again"),
}
_DATASET_LABELS = {
    VALID: lambda: tk._("All tables valid"),
    INVALID: lambda: tk._("A table is invalid"),
    ERROR: lambda: tk._("A table could not be validated"),
    PENDING: lambda: tk._("Validation in progress"),
    NOT_VALIDATED: lambda: tk._("A table is not validated yet"),
    NO_TABLES: lambda: tk._("No tables"),
}


def label(status: str | None) -> str:
    """What a table's status (or a run's) is called: Valid, Tidak valid ..."""
    chosen = _LABELS.get(status or NOT_VALIDATED)
    return chosen() if chosen else (status or "")


def dataset_label(status: str) -> str:
    """What a dataset's summary says: all its tables valid, one invalid ..."""
    chosen = _DATASET_LABELS.get(status)
    return chosen() if chosen else status


# --- the same rules in SQL, for lists that filter and page in the database ------------------


def tabular_clause() -> sa.ColumnElement[bool]:
    """SQL for is_tabular() on a row of CKAN's `resource` table."""
    resource = model.Resource.__table__.c
    declared = sa.func.lower(
        sa.func.ltrim(sa.func.btrim(sa.func.coalesce(resource.format, "")), ".")
    )
    # os.path.splitext of the link without its query: the dot of the last path segment,
    # not a leading one.
    path = sa.func.split_part(sa.func.coalesce(resource.url, ""), "?", 1)
    extension = sa.func.lower(sa.func.substring(path, r"[^/.]\.([^./]*)$"))
    formats = sorted(settings.formats()) or [""]
    return sa.or_(
        declared.in_(formats),
        sa.and_(declared == "", sa.func.coalesce(extension, "").in_(formats)),
    )


def resource_status_column() -> sa.ColumnElement[str]:
    """SQL for status_of() on a row of CKAN's `resource` table: one of RESOURCE_STATUSES or
    NOT_VALIDATED (with tabular_clause(), tables can be counted per status in the database)."""
    resource = model.Resource.__table__.c
    stored = sa.cast(sa.func.coalesce(sa.func.nullif(resource.extras, ""), "{}"), JSONB)[
        STATUS_FIELD
    ].astext
    return sa.case(*[(stored == value, value) for value in RESOURCE_STATUSES], else_=NOT_VALIDATED)


def dataset_status_column(package_id: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """SQL for dataset_status(...).status of the dataset whose id is `package_id` (a column
    of the enclosing query): the worst status of its active tables, or NO_TABLES."""
    resource = model.Resource.__table__.c
    stored = sa.cast(sa.func.coalesce(sa.func.nullif(resource.extras, ""), "{}"), JSONB)[
        STATUS_FIELD
    ].astext
    rank = sa.case(
        *[(stored == value, SEVERITY.index(value)) for value in RESOURCE_STATUSES],
        else_=SEVERITY.index(NOT_VALIDATED),
    )
    # The CASE inside the subquery: evaluated once per dataset (a CASE around a scalar
    # subquery would run it once per WHEN).
    worst = sa.case(
        dict(enumerate(SEVERITY)),
        value=sa.func.min(rank),
        else_=NO_TABLES,
    )
    return (
        sa.select(worst)
        .where(
            resource.package_id == package_id,
            resource.state == "active",
            tabular_clause(),
        )
        .scalar_subquery()
    )
