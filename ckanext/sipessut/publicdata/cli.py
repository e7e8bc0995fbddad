"""`ckan sipessut publicdata ...`: load one table, a dataset's or all of them; statuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import jobs, messages, model, settings


@click.group(short_help="DataStore loads of validated tables")
def publicdata() -> None:
    """Load validated tables into the DataStore and report on the loads."""


def _site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def _all_tables(datasets: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    context = _site_context()
    if datasets:
        packages: Iterator[dict[str, Any]] = (
            tk.get_action("package_show")(dict(context), {"id": name}) for name in datasets
        )
    else:
        packages = _every_dataset(context)
    for package in packages:
        for resource in package.get("resources") or []:
            if validation.is_tabular(resource):
                yield resource


def _every_dataset(context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    start, rows = 0, 100
    while True:
        found = tk.get_action("package_search")(
            dict(context),
            {"rows": rows, "start": start, "include_private": True, "sort": "name asc"},
        )
        yield from found["results"]
        start += rows
        if start >= found["count"]:
            return


@publicdata.command()
@click.argument("resource_ids", nargs=-1)
@click.option("--dataset", "datasets", multiple=True, help="Every table of this dataset.")
@click.option("--all", "every", is_flag=True, help="Every table of the portal.")
@click.option("--sync", is_flag=True, help="Load here and now instead of queuing jobs.")
@click.option("--dry-run", is_flag=True, help="Only list what would be loaded.")
def load(
    resource_ids: tuple[str, ...],
    datasets: tuple[str, ...],
    every: bool,
    sync: bool,
    dry_run: bool,
) -> None:
    """Load (or reload) tables into the DataStore: RESOURCE_IDS, --dataset NAME or --all.

    Only tables whose validation finished valid are loaded (also invalid ones with
    ckanext.sipessut.publicdata.load_invalid); the others are listed with the reason.
    """
    if not settings.datastore_enabled():
        raise click.ClickException(messages.reason_message({"code": "datastore-off"}))
    if not (resource_ids or datasets or every):
        raise click.UsageError("name RESOURCE_IDS, --dataset NAME or --all")
    context = _site_context()
    if resource_ids:
        tables = [
            tk.get_action("resource_show")(dict(context), {"id": rid}) for rid in resource_ids
        ]
    else:
        tables = list(_all_tables(datasets))
    counts = {"queued": 0, "loaded": 0, "failed": 0}
    for resource in tables:
        label = f"{resource['id']} {resource.get('name') or ''}".strip()
        if dry_run:
            click.echo(f"{label}: {validation.label(validation.status_of(resource))}")
            continue
        result = jobs.request_load(resource["id"], "cli", context["user"], sync=sync)
        if not sync:
            counts["queued"] += 1
            click.echo(f"{label}: {messages.status_label(result['status'])}")
            continue
        ok = result["status"] == model.LOADED
        counts["loaded" if ok else "failed"] += 1
        text = messages.status_label(result["status"])
        if ok:
            rows = result.get("rows") or 0
            text += " (" + tk.ungettext("{n} row", "{n} rows", rows).format(n=rows) + ")"
        else:
            text += f": {messages.reason_message(result.get('reason'))}"
        click.echo(f"{label}: {text}")
    if not dry_run:
        click.echo(
            tk._("{total} tables: {loaded} loaded, {failed} not loaded, {queued} queued").format(
                total=len(tables), **counts
            )
        )


@publicdata.command()
@click.argument("resource_id")
def status(resource_id: str) -> None:
    """The loads of one table, newest first."""
    tk.get_action("resource_show")(_site_context(), {"id": resource_id})
    for row in model.history(resource_id, settings.history()):
        when = (row.get("finished") or row["created"]).isoformat(timespec="seconds")
        line = f"{when}  {messages.status_label(row['status'])}"
        if row.get("rows") is not None:
            line += "  " + tk.ungettext("{n} row", "{n} rows", row["rows"]).format(n=row["rows"])
        reason = messages.reason_message(row.get("reason"))
        if reason:
            line += f"  {reason}"
        click.echo(line)
