"""The OPD officer's work at a glance: review states in the lists, what a draft still lacks,
a refused submission that names the fields, the returned datasets on the dashboard, buttons
that say what they do, and a licence list for Indonesian public data."""

from __future__ import annotations

import re

from ckanext.sipessut.tests.portal.conftest import as_user
from ckanext.sipessut.tests.portal.language import texts


def _flashes(page: str) -> list[str]:
    block = page.split('class="flash-messages"', 1)[1].split('<div class="toolbar"', 1)[0]
    return [" ".join(texts(part)) for part in block.split('class="alert')[1:]]


def test_a_draft_lists_what_it_still_lacks_with_links_to_the_fields(app, people):
    draft = people.draft(sektor=None, sumber_data=None, resources=[])

    page = app.get(f"/dataset/{draft['name']}", headers=as_user(people.editor)).body
    checklist = page.split('id="sipessut-checklist"', 1)[1].split("</section>", 1)[0]

    assert "Belum lengkap untuk diajukan ke Walidata: 3 isian" in checklist
    assert f'href="/dataset/edit/{draft["name"]}#field-sektor"' in checklist
    assert f'href="/dataset/edit/{draft["name"]}#field-sumber_data"' in checklist
    assert f'href="/dataset/{draft["name"]}/resource/new"' in checklist
    assert ">Sektor<" in checklist
    assert ">Sumber Data<" in checklist


def test_a_complete_draft_says_it_is_ready(app, people):
    draft = people.draft(resources=[{"url": "http://example.com/a.csv", "format": "CSV"}])

    page = app.get(f"/dataset/{draft['name']}", headers=as_user(people.editor)).body

    assert "Siap diajukan: metadata yang dibutuhkan Walidata sudah lengkap." in page
    assert 'id="sipessut-checklist"' not in page


def test_the_checklist_is_for_the_opd_only(app, people):
    draft = people.draft(sektor=None)

    for user in (people.other_editor, people.reviewer):
        page = app.get(f"/dataset/{draft['name']}", headers=as_user(user), status=404)
        assert "Belum lengkap untuk diajukan" not in page.body
    published = people.published()
    assert "Belum lengkap" not in app.get(f"/dataset/{published['name']}").body


def test_a_refused_submission_names_each_missing_field_once(app, people):
    draft = people.draft(sektor=None, sumber_data=None, periode_awal=None)

    page = app.post(
        f"/dataset/review/{draft['name']}/submit",
        headers=as_user(people.editor),
        follow_redirects=True,
    ).body
    flashes = _flashes(page)

    refusal = [text for text in flashes if "Wajib diisi sebelum Walidata" in text]
    assert len(refusal) == 1
    assert refusal[0].count("Sektor") == 1
    for label in ("Sektor", "Sumber Data", "Periode Data (awal)"):
        assert label in refusal[0]
    # the editor lands on the dataset page, where the checklist links to the fields
    assert 'id="sipessut-checklist"' in page


def test_the_dashboard_counts_the_returned_datasets_with_the_walidatas_note(app, people):
    people.returned(note="Satuan belum diisi; lengkapi sumber data.", title="Jumlah Kematian")
    people.draft(title="Jumlah Kelahiran")

    page = app.get("/dashboard/datasets", headers=as_user(people.editor)).body
    returned = page.split('id="sipessut-returned"', 1)[1].split("</section>", 1)[0]

    assert "Dikembalikan Walidata: 1 dataset perlu diperbaiki" in returned
    assert "Jumlah Kematian" in returned
    assert "Satuan belum diisi; lengkapi sumber data." in returned
    assert "Jumlah Kelahiran" not in returned
    # every page's header counts them too
    assert "1 dikembalikan" in app.get("/", headers=as_user(people.editor)).body
    # another OPD's officer has nothing returned
    assert (
        'id="sipessut-returned"'
        not in app.get("/dashboard/datasets", headers=as_user(people.other_editor)).body
    )


def test_my_datasets_and_the_opd_page_show_each_datasets_review_state(app, people):
    people.draft(title="Tabel Draf")
    people.returned(note="Perbaiki judul", title="Tabel Dikembalikan")
    people.published(title="Tabel Tayang")

    for path in ("/dashboard/datasets", f"/organization/{people.opd['name']}"):
        page = app.get(path, headers=as_user(people.editor)).body
        pairs = re.findall(
            r'data-review-state="(\w+)">[^<]*</span>\s*<a[^>]*>\s*([^<]+?)\s*</a>', page
        )
        assert {title: state for state, title in pairs} == {
            "Tabel Draf": "draf",
            "Tabel Dikembalikan": "dikembalikan",
            "Tabel Tayang": "ditayangkan",
        }, path
        assert "Dikembalikan untuk diperbaiki" in page


def test_the_public_is_not_shown_review_states(app, people):
    people.published(title="Tabel Tayang")

    page = app.get(f"/organization/{people.opd['name']}").body

    assert "data-review-state" not in page


def test_the_last_button_of_a_new_dataset_saves_a_draft(app, people):
    draft = people.draft(state="draft", resources=[])

    page = app.get(f"/dataset/{draft['name']}/resource/new", headers=as_user(people.editor)).body

    assert "Simpan draf" in page
    assert ">Terbitkan<" not in page


def test_a_form_error_is_introduced_plainly(app, people):
    draft = people.draft()

    page = app.post(
        f"/dataset/edit/{draft['name']}",
        headers=as_user(people.editor),
        data={"title": draft["title"], "name": draft["name"], "periode_awal": "kemarin"},
    ).body

    assert "Ada isian yang perlu diperbaiki:" in page
    assert "entitas cacat" not in page


def test_the_licence_list_is_for_indonesian_public_data_with_cc_by_first(app, people):
    page = app.get("/dataset/new", headers=as_user(people.editor)).body
    licences = page.split('id="field-license_id"', 1)[1].split("</select>", 1)[0]

    offered = re.findall(r'<option value="([^"]*)"', licences)
    assert offered == ["", "cc-by", "cc-zero", "odc-odbl"]  # the licence may be left for later
    assert re.search(r'<option value="cc-by"\s+selected', licences)
    assert "Creative Commons Atribusi 4.0 (CC BY 4.0)" in licences
    assert "UK" not in licences
    assert "Lisensi tidak disebutkan" not in licences
