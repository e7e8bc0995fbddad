"""`ckan sipessut opd ...`: the OPD registry from the command line.

Each command calls the matching action, so the same checks and the same
authorization apply as through the API. Commands act as the site user (a
sysadmin) unless --user names someone else.
"""

from __future__ import annotations

import sys
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.sipessut.opd import registry


def _run(ctx: click.Context, action: str, user: str | None, data: dict[str, Any]) -> Any:
    """Calls `action` as `user`; prints CKAN's refusal and exits 1 on error."""
    context = {"user": user or tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    try:
        return tk.get_action(action)(context, data)
    except tk.ValidationError as error:
        for key, messages in (error.error_dict or {}).items():
            for message in messages if isinstance(messages, list) else [messages]:
                click.secho(
                    f"{key}: {message}" if key != "registry" else str(message), fg="red", err=True
                )
    except tk.NotAuthorized as error:
        message = str(error) or tk._("Only a system administrator can do this.")
        click.secho(message, fg="red", err=True)
    except tk.ObjectNotFound as error:
        click.secho(str(error), fg="red", err=True)
    ctx.exit(1)
    return None  # not reached: ctx.exit raises


@click.group(short_help="OPD registry: sync, merge, export, resolve")
def opd():
    """The OPD registry: organizations as OPDs with official codes."""


@opd.command(short_help="Make the organizations match a registry file")
@click.argument("file", required=False)
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@click.option(
    "--prune", is_flag=True, help="Delete organizations not in the registry that hold no dataset."
)
@click.option("--user", "-u", help="Act as this user (default: the site user).")
@click.pass_context
def sync(ctx: click.Context, file: str | None, dry_run: bool, prune: bool, user: str | None):
    """Checks the whole FILE (default: the configured registry, Kota Samarinda
    unless ckanext.sipessut.opd.registry says otherwise), then creates and
    updates organizations matched by kode SKPD. A file with any problem
    changes nothing."""
    with ctx.meta["flask_app"].test_request_context():
        try:
            text, source = registry.read_text(file or registry.default_location())
        except registry.RegistryError as error:
            for message in error.errors:
                click.secho(message, fg="red", err=True)
            ctx.exit(1)
        result = _run(
            ctx,
            "sipessut_opd_sync",
            user,
            {"registry": text, "source": source, "dry_run": dry_run, "prune": prune},
        )
        _print_sync(result)


@opd.command(short_help="Merge organization OLD into NEW")
@click.argument("old")
@click.argument("new")
@click.option("--dry-run", is_flag=True, help="Only show what would move.")
@click.option("--user", "-u", help="Act as this user (default: the site user).")
@click.pass_context
def merge(ctx: click.Context, old: str, new: str, dry_run: bool, user: str | None):
    """Moves every dataset (public, private, draft) and member of OLD into NEW,
    records the merge and deletes OLD, whose URL then leads to NEW. OLD and
    NEW are URL names, ids or kode SKPD."""
    with ctx.meta["flask_app"].test_request_context():
        result = _run(ctx, "sipessut_opd_merge", user, {"old": old, "new": new, "dry_run": dry_run})
        counts = result["datasets"]
        click.echo(
            tk._(
                "{old} -> {new}: {public} public, {private} private, {draft} draft and "
                "{deleted} deleted datasets, {members} members."
            ).format(
                old=result["old"]["name"],
                new=result["new"]["name"],
                members=len(result["members"]),
                **counts,
            )
        )
        click.echo(tk._("Nothing changed (dry run).") if dry_run else tk._("Merged."))


@opd.command(short_help="Write the organizations as a registry file")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: standard output).",
)
@click.option("--user", "-u", help="Act as this user (default: the site user).")
@click.pass_context
def export(ctx: click.Context, output: str | None, user: str | None):
    """Writes every organization with a kode SKPD in the registry format;
    `sync` accepts the file as it is."""
    with ctx.meta["flask_app"].test_request_context():
        result = _run(ctx, "sipessut_opd_export", user, {})
        if output:
            with open(output, "w", encoding="utf-8") as target:
                target.write(result["registry"])
        else:
            sys.stdout.write(result["registry"])
        for org in result["skipped"]:
            click.secho(
                tk._("{name} has no kode SKPD and is not in the file.").format(name=org["name"]),
                fg="yellow",
                err=True,
            )
        click.echo(tk._("{count} OPDs exported.").format(count=result["count"]), err=True)


@opd.command(short_help="Find the OPD a name means")
@click.argument("text")
@click.pass_context
def resolve(ctx: click.Context, text: str):
    """Shows which OPD TEXT (a name, abbreviation, alias or kode SKPD) resolves to."""
    with ctx.meta["flask_app"].test_request_context():
        result = _run(ctx, "sipessut_opd_resolve", None, {"q": text})
        if result["found"]:
            org = result["organization"]
            click.echo(f"{org['name']}\t{org['kode_skpd']}\t{org['title']}\t({result['match']})")
            return
        click.secho(result["message"], fg="yellow")
        for candidate in result["candidates"]:
            click.echo(f"  {candidate['score']:.2f}\t{candidate['name']}\t{candidate['title']}")
        ctx.exit(1)


def _print_sync(result: dict[str, Any]) -> None:
    click.echo(
        tk._("{source}: {count} OPDs, wilayah {wilayah}").format(
            source=result["source"], count=result["opd"], wilayah=result["wilayah"]
        )
    )
    labels = {
        "create": ("+", tk._("create"), "green"),
        "update": ("~", tk._("update"), "yellow"),
        "restore": ("^", tk._("restore"), "yellow"),
        "prune": ("-", tk._("delete"), "red"),
    }
    for change in result["changes"]:
        mark, label, colour = labels[change["action"]]
        line = f"  {mark} {label:<10} {change['name']:<32} {change['kode_skpd']:<24}"
        click.secho(f"{line} {change['title']}", fg=colour)
        for field, values in (change.get("changes") or {}).items():
            click.echo(f"      {field}: {_show(values['old'])} -> {_show(values['new'])}")
    for org in result["not_in_registry"]:
        state = {
            "kept": tk._("kept"),
            "refused": tk._("not deleted: it holds datasets"),
            "prune": tk._("deleted (empty)"),
        }[org["action"]]
        click.secho(
            "  ! "
            + tk._("not in the registry: {name} ({code}), {count} datasets - {state}").format(
                name=org["name"], code=org["kode_skpd"] or "-", count=org["datasets"], state=state
            ),
            fg="magenta",
        )
    for warning in result["warnings"]:
        click.secho("  " + tk._("warning: {message}").format(message=warning), fg="yellow")
    counts = result["summary"]
    click.echo(
        tk._(
            "{create} created, {update} updated, {restore} restored, {prune} deleted, "
            "{unchanged} unchanged, {not_in_registry} not in the registry."
        ).format(**counts)
    )
    if result["dry_run"]:
        click.echo(tk._("Nothing changed (dry run)."))


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return repr(value) if value == "" else str(value)


CLI_COMMANDS = [opd]
