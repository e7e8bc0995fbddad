"""CKAN's own pages of the dataset journey speak Indonesian by default and English under /en/.

CKAN's Indonesian catalog leaves most of these pages in English; our catalog completes it
(ckanext/sipessut/core_translations.py lists the messages).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import ckan
import pytest
from ckan import model
from ckan.tests import factories, helpers

import ckanext.sipessut
from ckanext.sipessut import core_translations
from ckanext.sipessut.tests.factories import OPD, Dataset

OUR_CATALOG = Path(ckanext.sipessut.__file__).parent / "i18n/id/LC_MESSAGES/ckanext-sipessut.mo"
CKAN_CATALOG = Path(ckan.__file__).parent / "i18n/id/LC_MESSAGES/ckan.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _load(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as mo:
        return gettext.GNUTranslations(mo)


def _singulars() -> list[str]:
    return [m for m in core_translations.ALL if isinstance(m, str)]


def _plurals() -> list[tuple[str, str]]:
    return [m for m in core_translations.ALL if isinstance(m, tuple)]


# --- the catalog ---------------------------------------------------------------------------


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_each_listed_message_is_translated_and_keeps_its_placeholders():
    """A dropped or renamed placeholder would break the page that formats the message."""
    catalog = _load(OUR_CATALOG)
    untranslated = [m for m in _singulars() if catalog.gettext(m) == m]
    broken = [m for m in _singulars() if _placeholders(catalog.gettext(m)) != _placeholders(m)]
    assert not untranslated, f"run `make i18n` and translate: {untranslated}"
    assert not broken, f"placeholders differ: {broken}"


def test_each_listed_plural_has_both_forms_translated():
    catalog = _load(OUR_CATALOG)
    problems = []
    for singular, plural in _plurals():
        for count, english in ((1, singular), (2, plural), (22, plural)):
            translated = catalog.ngettext(singular, plural, count)
            if translated == english or _placeholders(translated) != _placeholders(english):
                problems.append((english, count, translated))
    assert _plurals()
    assert not problems


def test_the_list_does_not_repeat_what_ckan_already_translates():
    """Only CKAN's untranslated strings belong in our catalog, plus the plurals we must repeat."""
    ckan_catalog = _load(CKAN_CATALOG)
    repeated = [m for m in _singulars() if ckan_catalog.gettext(m) != m]
    repeated += [
        singular
        for singular, plural in _plurals()
        if ckan_catalog.ngettext(singular, plural, 2) not in (singular, plural)
    ]
    assert sorted(repeated) == sorted(core_translations.ALSO_TRANSLATED_BY_CKAN)


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def journey(clean_db, clean_index):
    """An OPD with an editor, a data table with a resource and a tag, and a second table."""
    editor = factories.User()
    org = OPD(users=[{"name": editor["name"], "capacity": "editor"}], title="Dinas Kesehatan")
    table = Dataset(
        owner_org=org["id"],
        title="Jumlah Puskesmas",
        tags=[{"name": "kesehatan"}],
        resources=[{"url": "http://example.com/puskesmas.csv", "format": "CSV", "name": "T"}],
    )
    Dataset(owner_org=org["id"], title="Jumlah Sekolah")
    token = helpers.call_action(
        "api_token_create", {"user": editor["name"]}, user=editor["name"], name="journey"
    )["token"]
    return SimpleNamespace(editor=editor, org=org, table=table, token=token)


def _new_draft_resource_form(journey) -> str:
    draft = Dataset(owner_org=journey.org["id"], title="Jumlah Posyandu", state="draft")
    return f"/dataset/{draft['name']}/resource/new"


def _activity_after_an_edit(journey) -> str:
    helpers.call_action(
        "package_patch", {"user": journey.editor["name"]}, id=journey.table["id"], notes="Baru"
    )
    return f"/dataset/activity/{journey.table['name']}"


class Page(NamedTuple):
    name: str
    path: Callable[[SimpleNamespace], str]
    as_editor: bool
    indonesian: list[str]
    english: list[str]


PAGES = [
    Page(
        "home",
        lambda j: "/",
        False,
        # the region's home page (portal domain): no popular tags any more
        ["Langsung ke konten utama", "Masuk", "Bahasa", "Didukung oleh"],
        ["Skip to main content", "Log in", "Language", "Powered by"],
    ),
    Page(
        "search",
        lambda j: "/dataset/",
        False,
        # (no licence facet: the journey's datasets state none)
        ["2 kumpulan data ditemukan", "Urutkan menurut", "Nama (A-Z)"],
        ["2 datasets found", "Order by", "Name Ascending", "Formats"],
    ),
    Page(
        "search with one result",
        lambda j: "/dataset/?q=Puskesmas",
        False,
        ['1 kumpulan data ditemukan untuk "Puskesmas"'],
        ['1 dataset found for "Puskesmas"'],
    ),
    Page(
        "search without results",
        lambda j: "/dataset/?q=anggaran",
        False,
        ["Tidak ada kumpulan data yang ditemukan", "Silakan coba pencarian lain."],
        ["No datasets found", "Please try another search."],
    ),
    Page(
        "dataset",
        lambda j: f"/dataset/{j.table['name']}",
        False,
        ["Data dan Sumber Daya", "Informasi Tambahan", "Jelajahi", "Riwayat Aktivitas"],
        ["Data and Resources", "Additional Info", "Explore", "Activity Stream"],
    ),
    Page(
        "resource",
        lambda j: f"/dataset/{j.table['name']}/resource/{j.table['resources'][0]['id']}",
        False,
        [
            "Unduh",  # the Unduh menu stands where CKAN's "Go to resource" button was
            "Deskripsi kumpulan data:",
            "Belum ada tampilan untuk sumber daya ini.",
            "Data terakhir diperbarui",
        ],
        [
            "Download",
            "Dataset description:",
            "There are no views created for this resource yet.",
            "Data last updated",
        ],
    ),
    Page(
        "organization list",
        lambda j: "/organization/",
        False,
        ["Apa itu Organisasi?", "1 organisasi ditemukan", "2 Kumpulan data"],
        ["What are Organizations?", "1 organization found", "2 Datasets"],
    ),
    Page(
        "organization",
        lambda j: f"/organization/{j.org['name']}",
        False,
        ["2 kumpulan data ditemukan", "Saring Hasil", "Riwayat Aktivitas"],
        ["2 datasets found", "Filter Results", "Activity Stream"],
    ),
    Page(
        "activity stream",
        _activity_after_an_edit,
        False,
        ["memperbarui kumpulan data", "Semua jenis aktivitas"],
        ["updated the dataset", "All activity types"],
    ),
    Page(
        "new dataset form",
        lambda j: "/dataset/new",
        True,
        ["Buat Kumpulan Data", "Apa itu tabel data?", "Visibilitas", "Berikutnya: Tambah Data"],
        ["Create Dataset", "What is a data table?", "Visibility", "Next: Add Data"],
    ),
    Page(
        "new resource form",
        _new_draft_resource_form,
        True,
        [
            "Tambahkan data ke kumpulan data",
            "Apa itu sumber daya?",
            "Unggah berkas dari komputer Anda",
            "Sebelumnya",
            "Simpan & tambah lagi",
        ],
        [
            "Add data to the dataset",
            "What's a resource?",
            "Upload a file on your computer",
            "Previous",
            "Save & add another",
        ],
    ),
    Page(
        "dataset manager",
        lambda j: f"/dataset/{j.table['name']}",
        True,
        ["Kelola", "Edit sumber daya"],
        ["Manage", "Edit resource"],
    ),
]


class _Reader(HTMLParser):
    """Collects what a reader meets on a page: its text and the labels of its controls."""

    SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-module-content")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _text(response) -> str:
    """The page's text and control labels, entities decoded and whitespace collapsed."""
    reader = _Reader()
    reader.feed(response.get_data(as_text=True))
    return " ".join(" ".join(reader.parts).split())


def _headers(journey, as_editor: bool) -> dict[str, str]:
    return {"Authorization": journey.token} if as_editor else {}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_page_is_indonesian_by_default_and_english_under_en(app, journey, page):
    path, headers = page.path(journey), _headers(journey, page.as_editor)
    indonesian = _text(app.get(path, headers=headers))
    english = _text(app.get("/en" + path, headers=headers))

    assert [s for s in page.indonesian if s not in indonesian] == []
    assert [s for s in page.english if s in indonesian] == [], "still in English"
    assert [s for s in page.english if s not in english] == []
    assert [s for s in page.indonesian if s in english] == [], "Indonesian under /en/"


def _submit_new_dataset(app, journey, prefix: str, title: str, name: str) -> str:
    page = app.post(
        f"{prefix}/dataset/new",
        headers=_headers(journey, as_editor=True),
        data={
            "_ckan_phase": "dataset_new_1",
            "save": "continue",
            "title": title,
            "name": name,
            "owner_org": journey.org["id"],
        },
    )
    return _text(page)


@pytest.mark.parametrize(
    ("prefix", "shown", "not_shown"),
    [
        ("", ["Buat Kumpulan Data", "URL: Nilai hilang"], ["Create Dataset", "Missing value"]),
        ("/en", ["Create Dataset", "URL: Missing value"], ["Buat Kumpulan Data", "Nilai hilang"]),
    ],
)
def test_a_form_sent_without_title_answers_in_the_visitors_language(
    app, journey, prefix, shown, not_shown
):
    """The URL name is made from the title, so a form without a title lacks both."""
    text = _submit_new_dataset(app, journey, prefix, title="", name="")

    assert [s for s in shown if s not in text] == []
    assert [s for s in not_shown if s in text] == []
    assert model.Session.query(model.Package).count() == 2  # nothing was created


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "URL: Hanya boleh berisi huruf kecil dan angka (ASCII) serta simbol berikut: -_"),
        (
            "/en",
            "URL: Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_",
        ),
    ],
)
def test_a_malformed_url_name_is_explained_in_the_visitors_language(app, journey, prefix, message):
    assert message in _submit_new_dataset(
        app, journey, prefix, title="Data Baru", name="Data Baru!"
    )


@pytest.mark.parametrize(
    ("prefix", "flash"),
    [("", "Kumpulan data telah dihapus."), ("/en", "Dataset has been deleted.")],
)
def test_deleting_a_dataset_is_confirmed_in_the_visitors_language(app, journey, prefix, flash):
    page = app.post(
        f"{prefix}/dataset/delete/{journey.table['id']}",
        headers=_headers(journey, as_editor=True),
        data={"delete": "yes"},
    )
    assert flash in _text(page)
    assert helpers.call_action("package_show", id=journey.table["id"])["state"] == "deleted"


def test_the_api_refuses_another_opds_organization_in_indonesian(app, journey):
    outsider = factories.User()
    OPD(users=[{"name": outsider["name"], "capacity": "editor"}])
    token = helpers.call_action(
        "api_token_create", {"user": outsider["name"]}, user=outsider["name"], name="outsider"
    )["token"]
    response = app.post(
        "/api/3/action/package_create",
        headers={"Authorization": token},
        json={"name": "tabel-lain", "title": "Tabel Lain", "owner_org": journey.org["id"]},
        status=403,
    )
    message = response.json["error"]["message"]
    assert "tidak berwenang menambahkan kumpulan data ke organisasi ini" in message
    assert "not authorized" not in message
