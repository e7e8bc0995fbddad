"""The public release calendar and its iCalendar feeds."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from ckanext.sipessut.monitoring import settings
from ckanext.sipessut.tests.monitoring.conftest import act, days, public


def _calendar(user=None, **filters):
    return act("sipessut_release_calendar_show", user, **filters)


def test_public_releases_by_date_with_the_computed_one_and_past_due_marked(portal):
    soon = public(portal, title="Jumlah Puskesmas", tanggal_rilis_berikutnya=days(10))
    computed = public(
        portal,
        title="Jumlah Posyandu",
        jadwal_pemutakhiran="bulanan",
        tanggal_rilis_terakhir=days(-10),
    )
    late = public(portal, title="Jumlah Bidan", tanggal_rilis_berikutnya=days(-3))
    draft = portal.dataset(title="Jumlah Dokter (draf)", tanggal_rilis_berikutnya=days(5))

    result = _calendar()

    names = [entry["name"] for entry in result["results"]]
    assert names == [late["name"], soon["name"], computed["name"]]
    assert draft["name"] not in names
    by_name = {entry["name"]: entry for entry in result["results"]}
    assert by_name[late["name"]]["overdue"] is True
    assert by_name[soon["name"]]["overdue"] is False
    last = datetime.date.fromisoformat(days(-10))
    month = last.month % 12 + 1
    assert by_name[computed["name"]]["next_release"][5:7] == f"{month:02d}"
    assert by_name[soon["name"]]["organization"]["title"] == "Dinas Kesehatan"


def test_filters_by_opd_sektor_and_month(portal):
    ours = public(portal, sektor="9", tanggal_rilis_berikutnya=days(40))
    other = public(portal, portal.other_opd, sektor="5", tanggal_rilis_berikutnya=days(40))
    month = days(40)[:7]

    assert [e["name"] for e in _calendar(organization=portal.opd["name"])["results"]] == [
        ours["name"]
    ]
    assert [e["name"] for e in _calendar(sektor="5")["results"]] == [other["name"]]
    assert {e["name"] for e in _calendar(month=month)["results"]} == {ours["name"], other["name"]}
    assert _calendar(month=days(400)[:7])["count"] == 0


def test_a_bad_month_is_a_clear_error(portal):
    from ckan.plugins import toolkit as tk

    with pytest.raises(tk.ValidationError) as raised:
        _calendar(month="2026-13")
    assert "YYYY-MM" in str(raised.value.error_dict["month"])


def test_the_page_in_indonesian_links_each_entry_to_its_dataset(app, portal):
    dataset = public(portal, title="Jumlah Puskesmas", tanggal_rilis_berikutnya=days(-2))

    page = app.get("/jadwal-rilis").body

    assert "Jadwal Rilis" in page
    assert f'href="/dataset/{dataset["name"]}"' in page
    assert "Lewat jadwal" in page
    assert "Berlangganan (iCalendar)" in page


def test_the_icalendar_feed_parses_and_has_one_event_per_release(app, portal):
    dataset = public(
        portal, title="Jumlah Puskesmas; per kecamatan, 2024", tanggal_rilis_berikutnya=days(20)
    )
    public(portal, portal.other_opd, title="Jumlah Sekolah", tanggal_rilis_berikutnya=days(21))

    response = app.get("/jadwal-rilis.ics")
    feed = icalendar.Calendar.from_ical(response.body)
    events = feed.walk("VEVENT")

    assert response.headers["Content-Type"].startswith("text/calendar")
    assert len(events) == 2
    event = next(e for e in events if "Puskesmas" in str(e["SUMMARY"]))
    assert str(event["SUMMARY"]) == "Rilis: Jumlah Puskesmas; per kecamatan, 2024"
    assert event.decoded("DTSTART") == datetime.date.fromisoformat(days(20))
    assert str(event["URL"]).endswith(f"/dataset/{dataset['name']}")
    for line in response.body.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75

    per_opd = icalendar.Calendar.from_ical(app.get(f"/jadwal-rilis/{portal.opd['name']}.ics").body)
    assert [str(e["SUMMARY"]) for e in per_opd.walk("VEVENT")] == [str(event["SUMMARY"])]
    app.get("/jadwal-rilis/tidak-ada.ics", status=404)


def test_the_home_page_face_gives_the_next_releases(portal):
    from ckanext.sipessut import monitoring

    public(portal, title="Lewat", tanggal_rilis_berikutnya=days(-5))
    first = public(portal, title="Pertama", tanggal_rilis_berikutnya=days(3))
    public(portal, title="Kedua", tanggal_rilis_berikutnya=days(9))

    upcoming = monitoring.upcoming_releases(1)

    assert [entry["name"] for entry in upcoming] == [first["name"]]
    assert upcoming[0]["next_release"] == days(3)
    assert settings.today().isoformat() <= upcoming[0]["next_release"]
