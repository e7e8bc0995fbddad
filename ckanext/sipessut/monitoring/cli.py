"""`ckan sipessut jadwal ...`: the release calendar's commands (run `remind` from cron)."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import click


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": False}


@click.group(short_help="Release calendar: reminders and the calendar itself")
def jadwal():
    """Jadwal rilis: the release calendar of the portal's data tables."""


@jadwal.command()
@click.option("--dry-run", is_flag=True, help="Only print who would get which reminder.")
def remind(dry_run: bool):
    """Email each OPD's editors about releases due soon or overdue, once per due date.

    Run it daily from cron; a second run the same day sends nothing new. The emails go
    through a background job: keep `ckan jobs worker` running.
    """
    summary = tk.get_action("sipessut_reminder_run")(_site_context(), {"dry_run": dry_run})
    if not summary["mail_enabled"] and not dry_run:
        click.echo(
            "Email is off (smtp.server empty or"
            " ckanext.sipessut.monitoring.email_notifications = false): nothing sent."
        )
    for entry in summary["organizations"]:
        who = ", ".join(entry["recipients"]) or "(no editor or admin with an email address)"
        click.echo(f"{entry['organization']}: {who}")
        for release in entry["releases"]:
            kind = "overdue" if release["kind"] == "overdue" else "due soon"
            click.echo(f"  {release['due']}  {kind:8}  {release['title']}")
    planned = sum(len(e["releases"]) for e in summary["organizations"])
    done = planned if dry_run else summary["reminded"]
    verb = "would remind of" if dry_run else "reminded of"
    click.echo(
        f"{summary['today']}: {verb} {done} releases ({summary['already_sent']} already"
        f" reminded); {summary['emails']} emails queued."
    )


@jadwal.command(name="list")
@click.option("--organization", help="Only this OPD (URL name).")
@click.option("--month", help="Only this month (YYYY-MM).")
def list_(organization: str | None, month: str | None):
    """Print the public release calendar as JSON lines."""
    result = tk.get_action("sipessut_release_calendar_show")(
        _site_context(), {"organization": organization, "month": month, "limit": 1000}
    )
    for entry in result["results"]:
        click.echo(json.dumps(entry, ensure_ascii=False))


CLI_COMMANDS = [jadwal]
