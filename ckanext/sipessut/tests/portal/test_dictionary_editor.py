"""A dictionary editor a steward can finish: it starts from *Usulkan kamus data*, shows the
common properties and folds the rest, in plain words, offering only code lists that fit a
column; and the MS-Keg form's block navigator."""

from __future__ import annotations

import io
import re

from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.sipessut.tests.factories import Kegiatan
from ckanext.sipessut.tests.portal.conftest import as_user

CSV = (
    "kode_wilayah,kecamatan,tahun,jumlah_penduduk\n"
    "64.72.01,Palaran,2024,61234\n"
    "64.72.02,Samarinda Seberang,2024,70456\n"
    "64.72.03,Samarinda Ulu,2024,131902\n"
)


def _upload(people, dataset, data: str = CSV) -> dict:
    return helpers.call_action(
        "resource_create",
        {"user": people.editor["name"]},
        package_id=dataset["id"],
        url="",
        name="Tabel penduduk",
        format="CSV",
        upload=FileStorage(io.BytesIO(data.encode()), "penduduk.csv", "upload"),
    )


def _edit_form(app, people, dataset, resource, **params) -> str:
    return app.get(
        f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
        headers=as_user(people.editor),
        params=params,
    ).body


def _visible_part(variable: str) -> str:
    return variable.split("<details", 1)[0]


def test_a_table_without_a_dictionary_starts_from_the_proposal(app, people):
    dataset = people.draft()
    resource = _upload(people, dataset)

    form = _edit_form(app, people, dataset, resource)
    assert "Tabel ini belum memiliki kamus data." in form
    assert "?kamus=usulan#field-data_dictionary" in form

    proposed = _edit_form(app, people, dataset, resource, kamus="usulan")

    assert "Diusulkan dari isi tabel" in proposed
    names = re.findall(r'name="data_dictionary-(\d+)-name" value="([^"]*)"', proposed)
    assert [name for _, name in names] == ["kode_wilayah", "kecamatan", "tahun", "jumlah_penduduk"]
    # the kecamatan codes are recognised: the column takes its codes from the wilayah list
    assert re.search(r'<option value="wilayah:kecamatan" selected>', proposed)
    # nothing is saved until the steward saves the form
    stored = helpers.call_action("resource_show", id=resource["id"])
    assert not stored.get("data_dictionary")


def test_the_common_properties_are_in_view_and_the_rest_folded(app, people):
    dataset = people.draft()
    resource = _upload(people, dataset)
    helpers.call_action(
        "resource_patch",
        {"user": people.editor["name"]},
        id=resource["id"],
        data_dictionary={
            "fields": [{"name": "jumlah_penduduk", "type": "integer", "satuan": "jiwa"}]
        },
    )

    form = _edit_form(app, people, dataset, resource)
    variable = form.split('<fieldset class="sipessut-variable"', 1)[1].split("</fieldset>", 1)[0]
    visible, folded = _visible_part(variable), variable.split("<details", 1)[1]

    for prop in ("name", "title", "type", "satuan", "codelist", "required"):
        assert f'name="data_dictionary-0-{prop}"' in visible, prop
    for prop in ("description", "klasifikasi", "minimum", "maximum", "pattern", "alias",
                 "konsep", "bisa_diakses_umum", "unique", "decimal_comma"):  # fmt: skip
        assert f'name="data_dictionary-0-{prop}"' in folded, prop
        assert f'name="data_dictionary-0-{prop}"' not in visible, prop
    # plain words, with examples
    assert "Judul kolom di berkas" in visible
    assert "Wajib diisi di setiap baris" in visible
    assert "mis. orang, km2, persen" in visible
    assert "regular expression" not in variable


def test_labels_sit_beside_their_controls_without_stray_colons(app, people):
    dataset = people.draft()
    form = _edit_form(app, people, dataset, _upload(people, dataset))
    editor = form.split('data-module="sipessut-dictionary"', 1)[1].split("</template>", 1)[0]

    # no control inside its label (CKAN's stylesheet adds ":" after every label)
    assert not re.search(r"<label[^>]*>[^<]*<(input|select|textarea)", editor)
    # every control has a label naming it
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', editor))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', editor))
    assert ids
    assert ids <= labelled
    # a checkbox's label is of the kind that carries no colon, after its box
    assert re.search(
        r'<input class="form-check-input" type="checkbox"[^>]*>\s*<label class="form-check-label checkbox"',
        editor,
    )


def test_only_code_lists_that_fit_a_column_are_offered(app, people):
    dataset = people.draft()
    form = _edit_form(app, people, dataset, _upload(people, dataset))
    select = form.split('name="data_dictionary-0-codelist"', 1)[1].split("</select>", 1)[0]

    offered = re.findall(r'<option value="([^"]*)"', select)
    assert "wilayah:kecamatan" in offered
    assert "sektor" in offered
    assert "bidang_urusan" in offered
    for internal in ("kode_skpd_status", "peran", "tipe_dataset", "pengaturan_akses", "tipe_data"):
        assert internal not in offered


def test_a_stored_list_outside_the_offer_survives_editing(app, people):
    dataset = people.draft()
    resource = _upload(people, dataset)
    helpers.call_action(
        "resource_patch",
        {"user": people.editor["name"]},
        id=resource["id"],
        data_dictionary={"fields": [{"name": "status", "codelist": "kode_skpd_status"}]},
    )

    form = _edit_form(app, people, dataset, resource)

    assert re.search(r'<option value="kode_skpd_status" selected>', form)


def test_the_ms_keg_form_has_a_navigator_of_its_blocks(app, people):
    kegiatan = Kegiatan(owner_org=people.opd["id"], private=True, tujuan_kegiatan="")

    form = app.get(f"/kegiatan/edit/{kegiatan['name']}", headers=as_user(people.editor)).body
    navigator = form.split('class="sipessut-blocks"', 1)[1].split("</nav>", 1)[0]

    blocks = re.findall(r'href="#(sipessut-section-\d+)">([^<]+)</a>', navigator)
    titles = [title for _, title in blocks]
    for block in ("Blok I-II", "Blok III", "Blok IV", "Blok VI", "Blok VII", "Blok VIII"):
        assert any(title.startswith(block) for title in titles), block
    for anchor, _ in blocks:
        assert f'id="{anchor}"' in form
    marks = dict(
        re.findall(
            r'href="#sipessut-section-\d+">([^<]+)</a>\s*<span[^>]*>\s*(?:<i[^>]*></i>)?\s*([^<]+)',
            navigator,
        )
    )
    blok_iii = next(title for title in marks if title.startswith("Blok III"))
    assert marks[blok_iii].strip() == "1 belum diisi"  # the objective was left empty
    blok_iv = next(title for title in marks if title.startswith("Blok IV"))
    assert marks[blok_iv].strip() == "lengkap"
