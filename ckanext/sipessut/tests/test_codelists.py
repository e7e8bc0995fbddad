"""Code lists: what every form, validator, label and facet reads."""

from __future__ import annotations

import pytest

from ckanext.sipessut import codelists
from ckanext.sipessut.codelists import CodeListError

SHIPPED = sorted(codelists.all_lists())


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_list_is_bilingual(name):
    """A steward reading in English never sees a bare Indonesian-only label."""
    codelist = codelists.get(name)
    assert codelist.title("en")
    assert codelist.title("id")
    for code in codelist.codes:
        assert code.labels.get("id"), (name, code.code)
        assert code.labels.get("en"), (name, code.code)


def test_labels_follow_the_language_and_unknown_codes_show_as_they_are():
    sektor = codelists.get("sektor")
    assert sektor.label("9", "id") == "Kesehatan"
    assert sektor.label("9", "en") == "Health"
    assert sektor.label("9", "en_GB") == "Health"
    assert sektor.label("99", "id") == "99"
    assert "9" in sektor
    assert 9 not in sektor


def test_samarinda_wilayah_has_its_10_kecamatan_and_59_kelurahan():
    wilayah = codelists.get("wilayah")
    kecamatan = wilayah.where(level="kecamatan")
    kelurahan = wilayah.where(level="kelurahan")

    assert len(kecamatan) == 10
    assert len(kelurahan) == 59
    assert {k.attrs["parent"] for k in kecamatan} == {"64.72"}
    kecamatan_codes = {k.code for k in kecamatan}
    assert all(k.attrs["parent"] in kecamatan_codes for k in kelurahan)
    assert all(k.code.startswith(k.attrs["parent"] + ".") for k in kelurahan)
    assert wilayah.label("64.72.09", "id") == "Kecamatan Samarinda Kota"


def test_bidang_urusan_codes_sit_under_a_known_urusan():
    urusan = codelists.get("urusan")
    for bidang in codelists.get("bidang_urusan").codes:
        assert bidang.code.split(".")[0] in urusan, bidang.code


def test_each_sampling_method_names_its_selection_type():
    selection = codelists.get("pemilihan_sampel")
    methods = codelists.get("metode_sampling").codes
    assert {m.attrs["pemilihan"] for m in methods} == {c.code for c in selection.codes}


def test_a_portal_replaces_a_list_and_adds_its_own(tmp_path, ckan_config, monkeypatch):
    (tmp_path / "region.yaml").write_text(
        "name: wilayah\n"
        "label: {id: Wilayah, en: Area}\n"
        "codes:\n"
        '  - {code: "64.02", level: kabupaten_kota, id: Kabupaten Kutai Kartanegara}\n'
        "---\n"
        "name: puskesmas\n"
        "label: {id: Puskesmas}\n"
        "codes:\n"
        '  - {code: "P6402010101", id: Puskesmas Tenggarong}\n'
    )
    monkeypatch.setitem(ckan_config, codelists.EXTRA_OPTION, [str(tmp_path)])

    assert [c.code for c in codelists.get("wilayah").codes] == ["64.02"]
    assert codelists.get("puskesmas").label("P6402010101", "id") == "Puskesmas Tenggarong"
    assert "9" in codelists.get("sektor")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name: x\nlabel: {id: X}\ncodes:\n  - {code: 1.10, id: Satu}\n",
            "must be a quoted string",
        ),
        ("name: x\nlabel: {id: X}\ncodes:\n  - {code: '1', en: One}\n", "no Indonesian"),
        (
            "name: x\nlabel: {id: X}\ncodes:\n  - {code: '1', id: A}\n  - {code: '1', id: B}\n",
            "appears twice",
        ),
        ("name: x\nlabel: {id: X}\ncodes: []\n", "non-empty list"),
        ("name: x\ncodes: [\n", "not valid YAML"),
    ],
)
def test_a_malformed_list_names_the_file_and_the_problem(
    tmp_path, ckan_config, monkeypatch, content, message
):
    path = tmp_path / "broken.yaml"
    path.write_text(content)
    monkeypatch.setitem(ckan_config, codelists.EXTRA_OPTION, [str(path)])

    with pytest.raises(CodeListError, match=message) as error:
        codelists.all_lists()
    assert str(path) in str(error.value)


def test_api_users_read_a_code_list_anonymously(app):
    result = app.get("/api/3/action/sipessut_codelist_show", params={"id": "sektor"}).json
    assert result["success"]
    first = result["result"]["codes"][0]
    assert first == {
        "code": "1",
        "label": {"id": "Pertanian dan Perikanan", "en": "Agriculture and fisheries"},
    }

    names = [c["name"] for c in app.get("/api/3/action/sipessut_codelist_list").json["result"]]
    assert {"sektor", "wilayah", "bidang_urusan", "jadwal_pemutakhiran"} <= set(names)


def test_an_unknown_code_list_is_a_404_in_indonesian(app):
    response = app.get(
        "/api/3/action/sipessut_codelist_show", params={"id": "tidak-ada"}, status=404
    )
    assert "Tidak ada daftar kode bernama tidak-ada" in response.json["error"]["message"]
