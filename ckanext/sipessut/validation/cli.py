"""`ckan sipessut validation ...`: bulk runs, a CSV summary per OPD, and the sweep."""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.sipessut.validation import model, runner, settings, status

STATUS_CHOICES = [*status.RESOURCE_STATUSES, status.NOT_VALIDATED]


@click.group(short_help="Frictionless validation of tabular resources")
def validation() -> None:
    """Validate tables against their MS-Var data dictionary, in bulk, and report."""


def _site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def _datasets(datasets: tuple[str, ...], opds: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    context = _site_context()
    if datasets:
        for name in datasets:
            yield tk.get_action("package_show")(dict(context), {"id": name})
        return
    fq = ""
    if opds:
        fq = "organization:(" + " OR ".join(f'"{o}"' for o in opds) + ")"
    start, rows = 0, 100
    while True:
        found = tk.get_action("package_search")(
            dict(context),
            {
                "fq": fq,
                "rows": rows,
                "start": start,
                "include_private": True,
                "include_drafts": True,
                "sort": "name asc",
            },
        )
        yield from found["results"]
        start += rows
        if start >= found["count"]:
            return


def _selected(
    datasets: tuple[str, ...],
    opds: tuple[str, ...],
    formats: tuple[str, ...],
    statuses: tuple[str, ...],
    resources: tuple[str, ...],
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    if resources:
        context = _site_context()
        for resource_id in resources:
            resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
            package = tk.get_action("package_show")(dict(context), {"id": resource["package_id"]})
            yield package, resource
        return
    wanted_formats = {f.lower() for f in formats}
    for package in _datasets(datasets, opds):
        for resource in package.get("resources", []):
            if not status.is_tabular(resource):
                continue
            if wanted_formats and status.resource_format(resource) not in wanted_formats:
                continue
            if statuses and status.status_of(resource) not in statuses:
                continue
            yield package, resource


_filters = [
    click.option("-d", "--dataset", "datasets", multiple=True, help="Dataset name or id."),
    click.option("-o", "--opd", "opds", multiple=True, help="OPD (organization) name."),
    click.option("-f", "--format", "formats", multiple=True, help="Resource format, e.g. CSV."),
    click.option(
        "-s",
        "--status",
        "statuses",
        multiple=True,
        type=click.Choice(STATUS_CHOICES),
        help="Current validation status.",
    ),
]


def _with_filters(function):
    for option in reversed(_filters):
        function = option(function)
    return function


@validation.command("run")
@click.option("-r", "--resource", "resources", multiple=True, help="Resource id.")
@_with_filters
@click.option("--force", is_flag=True, help="Validate even files whose fingerprint is unchanged.")
@click.option("--sync", is_flag=True, help="Validate here, one after the other, not in jobs.")
@click.option("--dry-run", is_flag=True, help="Only list what would be validated.")
def run(resources, datasets, opds, formats, statuses, force, sync, dry_run):
    """Validate the selected tabular resources (all of them without filters)."""
    count = 0
    for package, resource in _selected(datasets, opds, formats, statuses, resources):
        count += 1
        label = f"{package['name']}/{resource.get('name') or resource['id']}"
        if dry_run:
            click.echo(f"would validate {label}")
            continue
        run_row = runner.request_run(
            resource, "cli", None, force=force, sync=sync, seconds=settings.job_timeout()
        )
        if sync:
            done = model.get(run_row["id"], with_report=False) or run_row
            click.echo(f"{label}: {done['status']}")
        else:
            click.echo(f"{label}: queued")
    click.echo(f"{count} resource(s) {'selected' if dry_run else 'sent to validation'}")


@validation.command("report")
@_with_filters
@click.option(
    "--output",
    "-O",
    type=click.Path(dir_okay=False, writable=True),
    help="CSV file (default: standard output).",
)
def report(datasets, opds, formats, statuses, output):
    """A CSV summary per OPD: tables, statuses and error counts of the latest runs."""
    rows: dict[str, dict[str, Any]] = {}
    selected = list(_selected(datasets, opds, formats, statuses, ()))
    latest = model.latest_by_resource([resource["id"] for _, resource in selected])
    for package, resource in selected:
        organization = package.get("organization") or {}
        key = organization.get("name") or ""
        row = rows.setdefault(
            key,
            {
                "opd": key,
                "opd_title": organization.get("title") or "",
                "tables": 0,
                **dict.fromkeys(STATUS_CHOICES, 0),
                "errors": 0,
            },
        )
        row["tables"] += 1
        row[status.status_of(resource)] += 1
        summary = (latest.get(resource["id"]) or {}).get("summary") or {}
        row["errors"] += int(summary.get("errors") or 0)
    fields = ["opd", "opd_title", "tables", *STATUS_CHOICES, "errors", "valid_percent"]
    with contextlib.ExitStack() as stack:
        stream = (
            stack.enter_context(open(output, "w", newline="", encoding="utf-8"))
            if output
            else sys.stdout
        )
        writer = csv.DictWriter(stream, fieldnames=fields)
        writer.writeheader()
        for key in sorted(rows):
            row = rows[key]
            row["valid_percent"] = (
                round(100 * row["valid"] / row["tables"], 1) if row["tables"] else 0
            )
            writer.writerow(row)


@validation.command("sweep")
def sweep():
    """End runs left pending or running by a job that was killed or a worker that died.

    Asks RQ whether each run's job is alive; run it every minute from cron on a
    portal whose workers may die (see the README)."""
    click.echo(f"{runner.sweep()} run(s) ended as error")
