"""Reading the catalogue in bulk: SQL on CKAN's tables (and the faces of the review and
validation domains), Solr for what the monitoring indexes (index.py).

Nothing here runs a query per dataset: the per-OPD figures are GROUP BYs and facet pivots
whose cost grows with the number of OPDs shown, not with the datasets behind them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib.search.common import make_connection
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.sipessut import review, validation
from ckanext.sipessut.monitoring import index
from ckanext.sipessut.monitoring import model as mmodel

DATASET_TYPE = "dataset"
SOLR_PAGE = 1000
_EXTRAS_TABLE = hasattr(model, "PackageExtra") and hasattr(
    model.PackageExtra, "__table__"
)  # CKAN 2.11 keeps dataset extras in package_extra, 2.12 in a JSONB column of package


def extra_column(name: str) -> Any:
    """SQL for a scheming field of the dataset row (a package extra), on both CKAN lines."""
    if "extras" in model.Package.__table__.c and not _EXTRAS_TABLE:
        return model.Package.__table__.c.extras[name].astext
    extra = model.PackageExtra.__table__.c
    return (
        sa.select(extra.value)
        .where(extra.package_id == model.Package.id, extra.key == name, extra.state == "active")
        .limit(1)
        .scalar_subquery()
    )


def _resource_json() -> Any:
    resource = model.Resource.__table__.c
    return sa.cast(sa.func.coalesce(sa.func.nullif(resource.extras, ""), "{}"), JSONB)


def _datasets(public_only: bool, organization_id: str | None = None) -> list[Any]:
    """The WHERE clause of "the data tables the monitoring counts"."""
    wanted = [
        model.Package.type == DATASET_TYPE,
        model.Package.state == "active",
        model.Package.owner_org.isnot(None),
    ]
    if public_only:
        wanted.append(model.Package.private.is_(False))
    if organization_id:
        wanted.append(model.Package.owner_org == organization_id)
    return wanted


def organizations() -> list[dict[str, str]]:
    rows = model.Session.execute(
        sa.select(model.Group.id, model.Group.name, model.Group.title)
        .where(model.Group.is_organization.is_(True), model.Group.state == "active")
        .order_by(sa.func.lower(sa.func.coalesce(model.Group.title, model.Group.name)))
    )
    return [{"id": i, "name": n, "title": t or n} for i, n, t in rows]


def _filled(column: Any) -> Any:
    return sa.func.coalesce(sa.func.btrim(column), "") != ""


# --- per OPD --------------------------------------------------------------------------


def dataset_counts(public_only: bool) -> dict[str, dict[str, Any]]:
    """Per OPD: datasets, by review state, with a Standar Data code, last change."""
    packages, state = review.packages_with_state()
    per_dataset = (
        sa.select(
            model.Package.owner_org.label("owner_org"),
            state.label("state"),
            _filled(extra_column("kode_sds")).label("sds"),
            model.Package.metadata_modified.label("modified"),
        )
        .select_from(packages)
        .where(*_datasets(public_only))
        .subquery()
    )
    columns = [
        sa.func.count().filter(per_dataset.c.state == code).label(code) for code in review.STATES
    ]
    rows = model.Session.execute(
        sa.select(
            per_dataset.c.owner_org,
            sa.func.count().label("datasets"),
            *columns,
            sa.func.count().filter(per_dataset.c.sds).label("kode_sds"),
            sa.func.max(per_dataset.c.modified).label("last_update"),
        ).group_by(per_dataset.c.owner_org)
    ).mappings()
    return {row["owner_org"]: dict(row) for row in rows}


def release_counts(public_only: bool, year: int, grace: int) -> dict[str, dict[str, int]]:
    """Per OPD: the releases recorded in `year`, on time, late, and without a due date."""
    release = mmodel.release.c
    rows = model.Session.execute(
        sa.select(
            model.Package.owner_org,
            sa.func.count().label("releases"),
            sa.func.count().filter(release.days_late <= grace).label("on_time"),
            sa.func.count().filter(release.days_late > grace).label("late"),
            sa.func.count().filter(release.due_date.is_(None)).label("unscheduled"),
        )
        .select_from(mmodel.release)
        .join(model.Package, model.Package.id == release.package_id)
        .where(
            *_datasets(public_only),
            release.release_date >= datetime.date(year, 1, 1),
            release.release_date <= datetime.date(year, 12, 31),
        )
        .group_by(model.Package.owner_org)
    ).mappings()
    return {row["owner_org"]: dict(row) for row in rows}


def solr_filters(public_only: bool, organization: str | None = None) -> list[str]:
    filters = [
        f'+site_id:"{tk.config.get("ckan.site_id")}"',
        f"+dataset_type:{DATASET_TYPE}",
        "+state:active",
    ]
    if public_only:
        filters.append("+capacity:public")
    if organization:
        filters.append(f'+organization:"{organization}"')
    return filters


def solr(params: dict[str, Any]) -> Any:
    return make_connection().search(**params)


def index_counts(public_only: bool, today: datetime.date) -> dict[str, dict[str, Any]]:
    """Per OPD (by organization name): the completeness values, missing fields and code lists
    used (facet pivots), the tables by validation status, with a dictionary and in the
    DataStore (index.TABLE_FIGURES), and the datasets whose next release is overdue."""
    pivots = [
        f"organization,{index.COMPLETENESS}",
        f"organization,{index.MISSING}",
        f"organization,{index.REFERENCE_CODES}",
        f"organization,{index.USES_REFERENCE_CODES}",
        f"organization,{index.TABLES}",
    ]
    found = solr(
        {
            "q": "*:*",
            "fq": solr_filters(public_only),
            "rows": 0,
            "facet": "true",
            "facet.pivot": pivots,
            "facet.limit": -1,
            "facet.mincount": 1,
        }
    )
    overdue = solr(
        {
            "q": "*:*",
            "fq": [
                *solr_filters(public_only),
                f"+{index.NEXT_RELEASE}:[* TO {index.solr_date(today)}}}",
            ],
            "rows": 0,
            "facet": "true",
            "facet.field": ["organization"],
            "facet.limit": -1,
            "facet.mincount": 1,
        }
    )
    result: dict[str, dict[str, Any]] = {}

    def entry(name: str) -> dict[str, Any]:
        return result.setdefault(
            name,
            {
                "completeness": {},
                "missing": {},
                "reference_codes": {},
                "uses_reference_codes": {},
                "tables": {},
                "overdue": 0,
            },
        )

    facets = found.facets
    keys = ("completeness", "missing", "reference_codes", "uses_reference_codes", "tables")
    for pivot, key in zip(pivots, keys, strict=True):
        for organization in facets.get("facet_pivot", {}).get(pivot, []):
            values = entry(organization["value"])[key]
            for item in organization.get("pivot", []):
                values[item["value"]] = item["count"]
    counts = overdue.facets.get("facet_fields", {}).get("organization", [])
    for name, count in zip(counts[::2], counts[1::2], strict=False):
        entry(name)["overdue"] = count
    for found_for in result.values():
        found_for["tables"] = index.count_tokens(found_for["tables"])
    return result


# --- per dataset (drill-down) ----------------------------------------------------------


def dataset_facts(public_only: bool, organization_id: str, year: int) -> list[dict[str, Any]]:
    """One row per data table of an OPD with what the per-OPD figures count."""
    resource = model.Resource.__table__.c
    status = validation.resource_status_column()
    tabular = validation.tabular_clause()
    extras = _resource_json()
    tables = (
        sa.select(
            resource.package_id.label("package_id"),
            sa.func.count().filter(tabular).label("tables"),
            sa.func.count().filter(tabular, status == validation.VALID).label("valid"),
            sa.func.count()
            .filter(tabular, status.in_([validation.INVALID, validation.ERROR]))
            .label("invalid"),
            sa.func.count()
            .filter(tabular, status.in_([validation.NOT_VALIDATED, validation.PENDING]))
            .label("not_validated"),
            sa.func.count().filter(extras["datastore_active"].astext == "true").label("datastore"),
        )
        .where(resource.state == "active")
        .group_by(resource.package_id)
        .subquery()
    )
    release = mmodel.release.c
    releases = (
        sa.select(
            release.package_id.label("package_id"),
            sa.func.array_agg(release.days_late).label("days_late"),
        )
        .where(
            release.release_date >= datetime.date(year, 1, 1),
            release.release_date <= datetime.date(year, 12, 31),
        )
        .group_by(release.package_id)
        .subquery()
    )
    rows = model.Session.execute(
        sa.select(
            model.Package.id,
            model.Package.name,
            model.Package.title,
            model.Package.private,
            model.Package.metadata_modified,
            review.state_column(model.Package.id).label("state"),
            extra_column("kode_sds").label("kode_sds"),
            sa.func.coalesce(tables.c.tables, 0).label("tables"),
            sa.func.coalesce(tables.c.valid, 0).label("valid"),
            sa.func.coalesce(tables.c.invalid, 0).label("invalid"),
            sa.func.coalesce(tables.c.not_validated, 0).label("not_validated"),
            sa.func.coalesce(tables.c.datastore, 0).label("datastore"),
            releases.c.days_late,
        )
        .outerjoin(tables, tables.c.package_id == model.Package.id)
        .outerjoin(releases, releases.c.package_id == model.Package.id)
        .where(*_datasets(public_only, organization_id))
        .order_by(sa.func.lower(model.Package.title), model.Package.id)
    ).mappings()
    return [dict(row) for row in rows]


def indexed_facts(public_only: bool, organization: str) -> dict[str, dict[str, Any]]:
    """What the index holds on each data table of an OPD (by organization name)."""
    fields = [
        "id",
        index.COMPLETENESS,
        index.MISSING,
        index.REFERENCE_CODES,
        index.NEXT_RELEASE,
        index.LAST_RELEASE,
    ]
    found: dict[str, dict[str, Any]] = {}
    start = 0
    while True:
        page = solr(
            {
                "q": "*:*",
                "fq": solr_filters(public_only, organization),
                "fl": " ".join(fields),
                "rows": SOLR_PAGE,
                "start": start,
                "sort": "id asc",
            }
        )
        for doc in page.docs:
            found[doc["id"]] = doc
        start += SOLR_PAGE
        if start >= page.hits:
            return found


def search_all(params: dict[str, Any], fields: Iterable[str], limit: int) -> tuple[int, list[Any]]:
    """Solr documents matching, in pages of SOLR_PAGE, at most `limit`."""
    docs: list[Any] = []
    start, hits = 0, 0
    while len(docs) < limit:
        page = solr(
            {
                **params,
                "fl": " ".join(fields),
                "rows": min(SOLR_PAGE, limit - len(docs)),
                "start": start,
            }
        )
        hits = page.hits
        docs.extend(page.docs)
        start += SOLR_PAGE
        if start >= hits:
            break
    return hits, docs
