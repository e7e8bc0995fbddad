"""When a release is due: the one rule of schedule.py."""

from __future__ import annotations

import datetime

from ckanext.sipessut.monitoring import schedule

D = datetime.date


def test_the_stated_next_release_comes_first():
    planned = schedule.schedule_of(
        {
            "jadwal_pemutakhiran": "tahunan",
            "tanggal_rilis_terakhir": "2025-03-01",
            "tanggal_rilis_berikutnya": "2026-02-15",
        },
        None,
    )
    assert planned.next_release == D(2026, 2, 15)
    assert planned.stated


def test_without_a_next_date_the_schedule_gives_it():
    cases = {
        "harian": D(2025, 3, 2),
        "mingguan": D(2025, 3, 8),
        "bulanan": D(2025, 4, 1),
        "triwulanan": D(2025, 6, 1),
        "empat_bulanan": D(2025, 7, 1),
        "semesteran": D(2025, 9, 1),
        "tahunan": D(2026, 3, 1),
        "dua_tahunan": D(2027, 3, 1),
        "ad_hoc": None,
    }
    for jadwal, expected in cases.items():
        planned = schedule.schedule_of(
            {"jadwal_pemutakhiran": jadwal, "tanggal_rilis_terakhir": "2025-03-01"}, None
        )
        assert planned.next_release == expected, jadwal


def test_a_month_end_stays_at_the_month_end():
    assert schedule.add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert schedule.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert schedule.add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


def test_a_recorded_release_fulfils_the_stated_date_and_the_schedule_moves_on():
    pkg = {"jadwal_pemutakhiran": "tahunan", "tanggal_rilis_berikutnya": "2026-02-15"}
    planned = schedule.schedule_of(pkg, D(2026, 2, 20))
    assert planned.next_release == D(2027, 2, 20)
    assert not planned.stated
    # an early release does not hide a date stated after it
    assert schedule.schedule_of(pkg, D(2025, 12, 1)).next_release == D(2026, 2, 15)


def test_punctuality():
    assert schedule.days_late(D(2026, 2, 20), D(2026, 2, 15)) == 5
    assert schedule.punctuality(5, 0) == schedule.LATE
    assert schedule.punctuality(5, 7) == schedule.ON_TIME
    assert schedule.punctuality(-3, 0) == schedule.ON_TIME
    assert schedule.punctuality(None, 0) == schedule.UNSCHEDULED
    assert schedule.Schedule(D(2026, 1, 1), None, True).status(D(2026, 1, 2)) == schedule.OVERDUE
    assert schedule.Schedule(None, None, False).status(D(2026, 1, 2)) == schedule.UNSCHEDULED
