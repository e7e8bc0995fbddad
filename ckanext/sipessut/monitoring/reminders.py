"""Reminders of due releases: the OPD's editors and admins hear of a release
`reminder_days` before it is due, and again once it is overdue; each once per due date.

`ckan sipessut jadwal remind` (cron, daily) plans from the search index (every active
data table with a next release), records each reminder it sends in `sipessut_reminder`
(the unique key (dataset, due date, kind) makes a second run the same day send nothing),
and queues the emails through CKAN's mailer in a background job.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut import review
from ckanext.sipessut.monitoring import index, mail, model, queries, schedule, settings

UPCOMING = "upcoming"
OVERDUE = "overdue"
MAX_DATASETS = 20000


@dataclass
class Due:
    package_id: str
    name: str
    title: str
    organization: str  # name
    due: datetime.date
    kind: str


@dataclass
class Plan:
    today: datetime.date
    # organization name -> the releases to remind its editors of
    by_organization: dict[str, list[Due]] = field(default_factory=lambda: defaultdict(list))
    already_sent: int = 0

    def as_dict(self, recipients: dict[str, list[str]]) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "already_sent": self.already_sent,
            "organizations": [
                {
                    "organization": name,
                    "recipients": recipients.get(name, []),
                    "releases": [
                        {"name": d.name, "title": d.title, "due": d.due.isoformat(), "kind": d.kind}
                        for d in dues
                    ],
                }
                for name, dues in sorted(self.by_organization.items())
            ],
        }


def plan(today: datetime.date | None = None) -> Plan:
    """What is due within reminder_days, or overdue, and not reminded of yet."""
    today = today or settings.today()
    horizon = today + datetime.timedelta(days=settings.reminder_days())
    params = {
        "q": "*:*",
        "fq": [
            *queries.solr_filters(False),
            f"+{index.NEXT_RELEASE}:[* TO {index.solr_date(horizon)}]",
        ],
        "sort": f"{index.NEXT_RELEASE} asc, id asc",
    }
    _, docs = queries.search_all(
        params, ["id", "name", "title", "organization", index.NEXT_RELEASE], MAX_DATASETS
    )
    dues = []
    for doc in docs:
        due = schedule.parse_date(doc.get(index.NEXT_RELEASE))
        if due is None or not doc.get("organization"):
            continue
        kind = OVERDUE if due < today else UPCOMING
        dues.append(
            Due(
                doc["id"],
                doc["name"],
                doc.get("title") or doc["name"],
                doc["organization"],
                due,
                kind,
            )
        )
    sent = model.reminders_sent([(d.package_id, d.due, d.kind) for d in dues])
    result = Plan(today)
    for due in dues:
        if (due.package_id, due.due, due.kind) in sent:
            result.already_sent += 1
        else:
            result.by_organization[due.organization].append(due)
    return result


def recipients_of(organization_names: list[str]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for name in organization_names:
        group = ckan_model.Group.get(name)
        if group is None:
            continue
        found[name] = [(u.display_name, u.email) for u in review.producers(group.id) if u.email]
    return found


def run(dry_run: bool = False, today: datetime.date | None = None) -> dict[str, Any]:
    """Plan, then (unless dry_run) record and queue one email per OPD."""
    found = plan(today)
    people = recipients_of(list(found.by_organization))
    summary = found.as_dict({k: [email for _, email in v] for k, v in people.items()})
    summary["dry_run"] = dry_run
    summary["mail_enabled"] = settings.email_notifications()
    summary["emails"] = 0
    summary["reminded"] = 0
    if dry_run or not summary["mail_enabled"]:
        return summary
    for name, dues in found.by_organization.items():
        addresses = people.get(name, [])
        if not addresses:
            continue  # nobody to tell yet: reminded once the OPD has editors
        claimed = [
            d
            for d in dues
            if model.claim_reminder(d.package_id, d.due, d.kind, [e for _, e in addresses])
        ]
        ckan_model.Session.commit()
        if not claimed:
            continue
        group = ckan_model.Group.get(name)
        messages = mail.in_default_language(_messages, group, claimed, addresses)
        if mail.queue(messages, title=f"sipessut jadwal remind {name}"):
            summary["emails"] += len(messages)
        summary["reminded"] += len(claimed)
    return summary


def _messages(
    group: ckan_model.Group, dues: list[Due], addresses: list[tuple[str, str]]
) -> list[dict[str, str]]:
    site = tk.config.get("ckan.site_title")
    organization = group.title or group.name
    overdue = [d for d in dues if d.kind == OVERDUE]
    upcoming = [d for d in dues if d.kind == UPCOMING]
    lines = [
        tk._("The release calendar of {site} lists these data tables of {organization}:").format(
            site=site, organization=organization
        )
    ]

    def describe(due: Due) -> str:
        url = tk.url_for("dataset.read", id=due.name, _external=True)
        return f"- {due.title} ({due.due.isoformat()}): {url}"

    if overdue:
        lines += [
            "",
            tk._("Overdue: the release date has passed and no new version was published:"),
        ]
        lines += [describe(d) for d in overdue]
    if upcoming:
        lines += ["", tk._("Due soon:")]
        lines += [describe(d) for d in upcoming]
    lines += [
        "",
        tk._(
            "Publish the new version of each table (upload the new file), or correct the next"
            " release date in the dataset's metadata."
        ),
        tk._("Release calendar: {url}").format(
            url=tk.url_for("sipessut_monitoring.calendar", organization=group.name, _external=True)
        ),
    ]
    lines += mail.footer()
    if overdue:
        subject = tk._("[{site}] Overdue releases of {organization}").format(
            site=site, organization=organization
        )
    else:
        subject = tk._("[{site}] Releases due soon for {organization}").format(
            site=site, organization=organization
        )
    body = "\n".join(lines) + "\n"
    return [
        {"name": name, "email": email, "subject": " ".join(subject.split()), "body": body}
        for name, email in addresses
    ]
