"""iCalendar (RFC 5545) feeds of the release calendar, written as a stream of lines.

One all-day VEVENT per release: the date the dataset's next release is due (section 3.6.1;
DTSTART/DTEND as DATE values, 3.3.4), a stable UID per dataset and due date, the dataset's
page as URL. Text is escaped (3.3.11) and lines are folded at 75 octets (3.1) with CRLF.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

LINE_OCTETS = 75


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """The content line folded so that no physical line passes 75 octets (UTF-8 safe)."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out) + "\r\n"


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def calendar(
    name: str, description: str, events: Iterable[dict[str, object]], host: str
) -> Iterator[str]:
    """The feed, line by line. Each event: uid_base, due (date), summary, description, url,
    categories (list), overdue (bool)."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    yield fold("BEGIN:VCALENDAR")
    yield fold("VERSION:2.0")
    yield fold("PRODID:-//ckanext-sipessut//Jadwal Rilis//ID")
    yield fold("CALSCALE:GREGORIAN")
    yield fold("METHOD:PUBLISH")
    yield fold(f"X-WR-CALNAME:{escape(name)}")
    yield fold(f"X-WR-CALDESC:{escape(description)}")
    for event in events:
        due = event["due"]
        assert isinstance(due, datetime.date)
        yield fold("BEGIN:VEVENT")
        yield fold(f"UID:{event['uid_base']}-{_date(due)}@{host}")
        yield fold(f"DTSTAMP:{stamp}")
        yield fold(f"DTSTART;VALUE=DATE:{_date(due)}")
        yield fold(f"DTEND;VALUE=DATE:{_date(due + datetime.timedelta(days=1))}")
        yield fold(f"SUMMARY:{escape(str(event['summary']))}")
        yield fold(f"DESCRIPTION:{escape(str(event['description']))}")
        yield fold(f"URL;VALUE=URI:{event['url']}")
        categories = [escape(str(c)) for c in event.get("categories") or [] if c]  # type: ignore[union-attr]
        if categories:
            yield fold(f"CATEGORIES:{','.join(categories)}")
        yield fold("TRANSP:TRANSPARENT")
        yield fold("END:VEVENT")
    yield fold("END:VCALENDAR")
