"""The release calendar (Jadwal Rilis): every public data table's next release, by month.

Read from the search index (index.py puts each dataset's next release there), public
datasets only, whoever asks: the calendar is the public's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists
from ckanext.sipessut.monitoring import index, queries, schedule, settings

FIELDS = (
    "id",
    "name",
    "title",
    "organization",
    index.NEXT_RELEASE,
    index.LAST_RELEASE,
    "vocab_sektor",
    "vocab_jadwal_pemutakhiran",
)
MAX_ENTRIES = 5000  # an iCalendar feed or an upcoming list never grows beyond this


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    title: str
    organization: dict[str, str] | None
    due: datetime.date
    last_release: datetime.date | None
    sektor: str | None
    jadwal: str | None
    overdue: bool

    @property
    def month(self) -> str:
        return self.due.strftime("%Y-%m")

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "organization": self.organization,
            "next_release": self.due.isoformat(),
            "last_release": self.last_release.isoformat() if self.last_release else None,
            "sektor": self.sektor,
            "jadwal_pemutakhiran": self.jadwal,
            "overdue": self.overdue,
            "url": tk.url_for("dataset.read", id=self.name, _external=True),
        }


def month_bounds(month: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a YYYY-MM month; ValueError when it is not one."""
    first = datetime.date.fromisoformat(f"{month}-01")
    return first, schedule.add_months(first, 1) - datetime.timedelta(days=1)


def window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """What the calendar shows by default: from today to the end of the month
    calendar_months ahead (the end excluded), after the overdue ones."""
    return today, schedule.add_months(today.replace(day=1), settings.calendar_months() + 1)


def entries(
    organization: str | None = None,
    sektor: str | None = None,
    month: str | None = None,
    overdue: bool = True,
    limit: int = MAX_ENTRIES,
    offset: int = 0,
) -> tuple[int, list[Entry]]:
    """Public releases, earliest first: in `month` (YYYY-MM) if given, else the overdue ones
    (when `overdue`) and those of the months ahead (calendar_months)."""
    today = settings.today()
    filters = queries.solr_filters(True, organization)
    if sektor:
        filters.append(f'+vocab_sektor:"{sektor}"')
    if month:
        first, last = month_bounds(month)
        filters.append(
            f"+{index.NEXT_RELEASE}:[{index.solr_date(first)} TO {index.solr_date(last)}]"
        )
    else:
        _, end = window(today)
        start = "*" if overdue else index.solr_date(today)
        filters.append(f"+{index.NEXT_RELEASE}:[{start} TO {index.solr_date(end)}}}")
    organizations = {org["name"]: org for org in queries.organizations()}
    params = {"q": "*:*", "fq": filters, "sort": f"{index.NEXT_RELEASE} asc, title_string asc"}
    if limit <= queries.SOLR_PAGE:
        hits, docs = _page(params, limit, offset)
    else:
        hits, docs = queries.search_all(params, FIELDS, limit)
    found = []
    for doc in docs:
        due = schedule.parse_date(doc.get(index.NEXT_RELEASE))
        if due is None:
            continue
        found.append(
            Entry(
                id=doc["id"],
                name=doc["name"],
                title=doc.get("title") or doc["name"],
                organization=organizations.get(doc.get("organization") or ""),
                due=due,
                last_release=schedule.parse_date(doc.get(index.LAST_RELEASE)),
                sektor=(doc.get("vocab_sektor") or [None])[0],
                jadwal=(doc.get("vocab_jadwal_pemutakhiran") or [None])[0],
                overdue=due < today,
            )
        )
    return hits, found


def _page(params: dict[str, Any], limit: int, offset: int) -> tuple[int, list[Any]]:
    page = queries.solr({**params, "fl": " ".join(FIELDS), "rows": limit, "start": offset})
    return page.hits, list(page.docs)


def upcoming(limit: int = 5) -> list[dict[str, Any]]:
    """The next public releases from today on, earliest first (for the home page)."""
    _, found = entries(overdue=False, limit=max(1, min(limit, 100)))
    return [entry.as_dict() for entry in found]


def sektor_label(code: str | None) -> str:
    return codelists.get("sektor").label(code, codelists.current_language()) if code else ""


def jadwal_label(code: str | None) -> str:
    if not code:
        return ""
    return codelists.get(schedule.JADWAL_LIST).label(code, codelists.current_language())
