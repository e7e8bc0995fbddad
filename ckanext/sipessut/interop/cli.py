"""`ckan sipessut daftar-data ...` and `ckan sipessut interop ...`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import ckan.plugins.toolkit as tk
import click


def _site_user(name: str | None) -> str:
    if name:
        user = tk.get_action("user_show")({"ignore_auth": True}, {"id": name})
        if not user.get("sysadmin"):
            raise click.UsageError(f"{name} is not a system administrator")
        return user["name"]
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


@click.group("daftar-data", short_help="Daftar Data Daerah: export and import (XLSX)")
def daftar_data_group() -> None:
    """The Daftar Data Daerah in the national 19-attribute format."""


@daftar_data_group.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; change nothing.")
@click.option("--user", "user_name", help="A sysadmin to act as (default: the site user).")
def import_command(workbook: Path, dry_run: bool, user_name: str | None) -> None:
    """Import an OPD's Daftar Data XLSX as draft datasets."""
    from ckanext.sipessut.interop import settings

    user = _site_user(user_name)
    data = workbook.read_bytes()[: settings.import_max_bytes() + 1]
    try:
        report = tk.get_action("sipessut_daftar_data_import")(
            {"user": user}, {"workbook": data, "dry_run": dry_run}
        )
    except tk.ValidationError as error:
        for key, messages in error.error_dict.items():
            for message in messages if isinstance(messages, list) else [messages]:
                click.echo(f"{key}: {message}", err=True)
        click.echo(tk._("Nothing was imported."), err=True)
        sys.exit(1)
    for row in report["rows"]:
        notes = ("  " + " ".join(row["notes"])) if row["notes"] else ""
        dataset = row["dataset"] or ""
        click.echo(f"{tk._('Row')} {row['row']}: {row['action']} {row['id_ddd']} {dataset}{notes}")
    counts = "create {create}, update {update}, unchanged {unchanged}".format(**report["summary"])
    click.echo(("[dry run] " if dry_run else "") + counts)


@daftar_data_group.command("export")
@click.option("--opd", "opd_name", help="One OPD (URL name); default: the whole region.")
@click.option("--tahun", help="Only data covering this year.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--user", "user_name", help="A sysadmin to read as (drafts included).")
def export_command(
    opd_name: str | None, tahun: str | None, output: Path, user_name: str | None
) -> None:
    """Write the Daftar Data as XLSX (as a sysadmin sees it: planned data included)."""
    from ckanext.sipessut.interop import daftar_data

    _site_user(user_name)
    try:
        export = daftar_data.export(opd_name, tahun)
    except daftar_data.ExportError as error:
        raise click.UsageError(str(error)) from error
    with output.open("wb") as target:
        for chunk in export.chunks():
            target.write(chunk)
    click.echo(str(output))


@click.group("interop", short_help="Linked data and exports (DCAT, INDAH)")
def interop_group() -> None:
    """DCAT, Data Package and INDAH exports."""


@interop_group.command("indah")
@click.argument("kegiatan")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def indah_command(kegiatan: str, output: Path | None) -> None:
    """The INDAH export of a kegiatan: JSON (or XLSX when OUTPUT ends in .xlsx)."""
    from ckanext.sipessut.interop import indah

    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": kegiatan})
    if output and output.suffix == ".xlsx":
        output.write_bytes(indah.workbook(pkg))
        click.echo(str(output))
        return
    text = json.dumps(indah.export(pkg), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text, "utf-8")
        click.echo(str(output))
    else:
        click.echo(text)


CLI_COMMANDS = [daftar_data_group, interop_group]
