"""Indonesian through and through: the pages of the public's and the officer's journeys are
read as a visitor reads them, and fail on English words of the interface or CKAN msgids
neither CKAN's Indonesian catalog nor ours translates (tests/portal/language.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from ckan.tests import helpers

from ckanext.sipessut.tests.portal import language
from ckanext.sipessut.tests.portal.conftest import act, as_user


class Page(NamedTuple):
    name: str
    path: Callable[[Any], str]
    who: str | None  # attribute of `people`, or None for the public


def _resource(journey) -> str:
    table = journey.catalogue.table
    return f"/dataset/{table['name']}/resource/{table['resources'][0]['id']}"


def _activity(journey) -> str:
    helpers.call_action(
        "package_patch",
        {"user": journey.people.sysadmin["name"]},
        id=journey.catalogue.table["id"],
        notes="Data penduduk yang diperbarui.",
    )
    return f"/dataset/activity/{journey.catalogue.table['name']}"


PAGES = [
    Page("home", lambda j: "/", None),
    Page("about", lambda j: "/about", None),
    Page("search", lambda j: "/dataset/", None),
    Page("search without results", lambda j: "/dataset/?q=pendudk", None),
    Page(
        "search by sektor and wilayah",
        lambda j: "/dataset/?vocab_sektor=2&vocab_wilayah=64.72.03",
        None,
    ),
    Page("kegiatan search", lambda j: "/kegiatan/", None),
    Page("indikator search", lambda j: "/indikator/?q=kepadatan", None),
    Page("table", lambda j: f"/dataset/{j.catalogue.table['name']}", None),
    Page("resource", _resource, None),
    Page("kegiatan", lambda j: f"/kegiatan/{j.catalogue.kegiatan['name']}", None),
    Page("indikator", lambda j: f"/indikator/{j.catalogue.indikator['name']}", None),
    Page("OPD list", lambda j: "/organization/", None),
    Page("OPD", lambda j: f"/organization/{j.people.opd['name']}", None),
    Page("OPD about", lambda j: f"/organization/about/{j.people.opd['name']}", None),
    Page("login", lambda j: "/user/login", None),
    Page("activity stream", _activity, None),
    Page("dashboard", lambda j: "/dashboard/", "editor"),
    Page("my datasets", lambda j: "/dashboard/datasets", "editor"),
    Page("a draft", lambda j: f"/dataset/{j.draft['name']}", "editor"),
    Page("a returned dataset", lambda j: f"/dataset/{j.returned['name']}", "editor"),
    Page("new dataset form", lambda j: "/dataset/new", "editor"),
    Page("dataset form", lambda j: f"/dataset/edit/{j.draft['name']}", "editor"),
    Page("new resource form", lambda j: f"/dataset/{j.draft['name']}/resource/new", "editor"),
    Page("kegiatan form", lambda j: "/kegiatan/new", "editor"),
    Page("indikator form", lambda j: "/indikator/new", "editor"),
]


class Journey(NamedTuple):
    people: Any
    catalogue: Any
    draft: dict[str, Any]
    returned: dict[str, Any]


@pytest.fixture
def journey(people, catalogue) -> Journey:
    draft = people.draft(title="Jumlah Kelahiran, 2024", sektor=None, notes="Kelahiran tercatat.")
    returned = people.returned(
        note="Satuan belum diisi.", title="Jumlah Kematian, 2024", notes="Kematian tercatat."
    )
    act("sipessut_portal_featured_update", people.reviewer, datasets=[catalogue.table["name"]])
    return Journey(people, catalogue, draft, returned)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_page_has_no_english_in_indonesian(app, journey, page):
    headers = as_user(getattr(journey.people, page.who)) if page.who else {}

    html = app.get(page.path(journey), headers=headers).body

    assert language.english_on(html) == []


@pytest.mark.parametrize(
    ("path", "english", "indonesian"),
    [
        ("/", "Satu Data portal of Kota Samarinda", "Portal Satu Data Kota Samarinda"),
        ("/dataset/", "datasets found", "kumpulan data ditemukan"),
        ("/about", "What is Satu Data Indonesia?", "Apa itu Satu Data Indonesia?"),
        ("/kegiatan/", "1 statistical activity found", "kegiatan statistik ditemukan"),
    ],
)
def test_the_same_pages_speak_english_under_en(app, journey, path, english, indonesian):
    html = app.get("/en" + path).body

    assert english in html
    assert indonesian not in html


def test_the_sweep_finds_english_where_there_is():
    """The detector itself: words of the list and an untranslated CKAN msgid are found."""
    msgid = min(m for m in language.untranslated_msgids() if not set(m) & set("<>%{&'\""))

    found = language.english_on(
        f"<p>Jumlah penduduk</p><p>Show more</p><span title='Add Organization'>x</span>"
        f"<p>{msgid}</p><p><code>Show more</code> http://example.com/dataset/resource</p>"
    )

    # a word of the list (or, when it is also a msgid no catalog translates, as that)
    assert any(
        item in ("'Show more' in 'Show more'", "untranslated: 'Show more'") for item in found
    )
    assert any(item == "'Add' in 'Add Organization'" for item in found)
    assert f"untranslated: {msgid!r}" in found
    assert not any("Jumlah penduduk" in item or "example.com" in item for item in found)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        # Werkzeug's "The requested URL was not found on the server..." said by us
        ("/halaman-yang-tidak-ada", "Halaman mungkin telah dipindahkan atau dihapus"),
        # a view's own message is kept (CKAN's "Dataset not found or you have no permission to view it")
        ("/dataset/tabel-yang-tidak-ada", "Kumpulan data tidak ditemukan"),
    ],
)
def test_an_error_page_speaks_indonesian_and_shows_the_way_on(app, path, text):
    html = app.get(path, status=404).body

    assert "Halaman tidak ditemukan" in html
    assert text in html
    assert "The requested URL" not in html
    assert 'href="/dataset/"' in html
    assert language.english_on(html) == []


def test_a_failure_inside_the_portal_is_told_in_indonesian_without_the_details(ckan_config):
    """A real 500: a view that fails, on an app that answers as in production (exceptions
    not passed to the test, as Flask does when testing)."""
    from ckan.config.middleware import make_app

    served = helpers.CKANTestApp(make_app(ckan_config))
    served.flask_app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken():
        raise RuntimeError("rahasia: kata sandi basis data")

    served.flask_app.add_url_rule("/_sipessut_rusak", "sipessut_test_broken", broken)

    html = served.get("/_sipessut_rusak", status=500).body

    assert "Terjadi kesalahan pada portal" in html
    assert "Kesalahan ini telah dicatat" in html
    assert "rahasia" not in html
    assert "Internal Server Error" not in html
    assert language.english_on(html) == []
