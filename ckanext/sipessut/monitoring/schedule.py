"""When a dataset's next release is due, and whether a release came on time.

The one rule, used by the calendar, the monitoring, the reminders and the search index:

- the dataset's stated next release (`tanggal_rilis_berikutnya`), as long as it lies after
  the last release the portal recorded (a release on or after it fulfils it);
- otherwise its last release (the later of `tanggal_rilis_terakhir` and the last release the
  portal recorded) plus the interval of its `jadwal_pemutakhiran` (the code list's `every`);
- none for an ad hoc schedule without a stated date, or a dataset with no date at all.

A release is on time when it comes no later than its due date plus
`ckanext.sipessut.monitoring.grace_days`; a due date in the past with no release since is
overdue.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from ckanext.sipessut import codelists

JADWAL_LIST = "jadwal_pemutakhiran"
LAST_FIELD = "tanggal_rilis_terakhir"
NEXT_FIELD = "tanggal_rilis_berikutnya"
SCHEDULE_FIELD = "jadwal_pemutakhiran"

# Release punctuality vocabulary.
ON_TIME = "tepat_waktu"
LATE = "terlambat"
OVERDUE = "lewat_jadwal"  # due in the past, nothing released since
UPCOMING = "terjadwal"
UNSCHEDULED = "tanpa_jadwal"


def parse_date(value: Any) -> datetime.date | None:
    """A YYYY-MM-DD date (or the date part of an ISO time), else None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_after(schedule: str | None, day: datetime.date) -> datetime.date | None:
    """`day` plus one interval of the schedule, or None when the schedule has none."""
    code = codelists.get(JADWAL_LIST).get(str(schedule or ""))
    every = (code.attrs.get("every") if code else None) or {}
    if every.get("months"):
        return add_months(day, int(every["months"]))
    if every.get("days"):
        return day + datetime.timedelta(days=int(every["days"]))
    return None


@dataclass(frozen=True)
class Schedule:
    next_release: datetime.date | None
    last_release: datetime.date | None
    stated: bool  # the next release is the dataset's own tanggal_rilis_berikutnya

    def status(self, today: datetime.date) -> str:
        if self.next_release is None:
            return UNSCHEDULED
        return OVERDUE if self.next_release < today else UPCOMING


def schedule_of(pkg: dict[str, Any], last_recorded: datetime.date | None) -> Schedule:
    """The schedule of a dataset (its fields, as package_show gives them) given the date of
    the last release the portal recorded for it (None: none yet)."""
    stated_last = parse_date(pkg.get(LAST_FIELD))
    stated_next = parse_date(pkg.get(NEXT_FIELD))
    known = [day for day in (stated_last, last_recorded) if day]
    last = max(known) if known else None
    if stated_next and (last_recorded is None or stated_next > last_recorded):
        return Schedule(stated_next, last, True)
    following = interval_after(pkg.get(SCHEDULE_FIELD), last) if last else None
    return Schedule(following, last, False)


def days_late(released: datetime.date, due: datetime.date | None) -> int | None:
    """Days after the due date (0 or less: on time or early); None when nothing was due."""
    return (released - due).days if due else None


def punctuality(late_days: int | None, grace: int) -> str:
    if late_days is None:
        return UNSCHEDULED
    return ON_TIME if late_days <= grace else LATE
