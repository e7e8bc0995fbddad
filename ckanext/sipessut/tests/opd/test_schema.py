"""The organization schema: an OPD's identity is well-formed and unique; its codes are
the sysadmins'."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD

pytestmark = pytest.mark.usefixtures("clean_db")

ValidationError = helpers.logic.ValidationError


def create(user: dict | None = None, **fields):
    user = user or factories.Sysadmin()
    data = {"name": "dinkes", "title": "Dinas Kesehatan", "kode_skpd": "1.02.0.00.0.00.01.0000"}
    return helpers.call_action("organization_create", {"user": user["name"]}, **{**data, **fields})


def show(org_id: str) -> dict:
    return helpers.call_action("organization_show", id=org_id)


def as_user(user: dict) -> dict:
    """A context that checks the user's rights (call_action skips them by default)."""
    return {"user": user["name"], "ignore_auth": False}


def errors_of(**fields) -> dict:
    with pytest.raises(ValidationError) as error:
        create(**fields)
    return error.value.error_dict


def test_a_three_digit_last_segment_is_completed_and_spaces_dropped():
    org = create(kode_skpd=" 7.01.0.00.0.00.16.000 ")

    assert org["kode_skpd"] == "7.01.0.00.0.00.16.0000"


@pytest.mark.parametrize(
    ("kode", "message"),
    [
        ("1.02.0.00.0.00.01", "is not a kode SKPD: it has 8 segments"),
        ("1.2.0.00.0.00.01.0000", "is not a kode SKPD"),
        ("A.02.0.00.0.00.01.0000", "is not a kode SKPD"),
        ("9.99.0.00.0.00.01.0000", "Segments 1 and 2 of the kode SKPD (9.99)"),
        ("1.02.2.99.0.00.01.0000", "Segments 3 and 4 of the kode SKPD (2.99)"),
    ],
)
def test_a_malformed_kode_skpd_is_refused_with_the_reason(kode, message):
    assert message in errors_of(kode_skpd=kode)["kode_skpd"][0]


def test_two_organizations_cannot_share_a_kode_skpd():
    create()

    errors = errors_of(name="dinkes-2", kode_skpd="1.02.0.00.0.00.01.000")

    assert errors["kode_skpd"] == [
        "The kode SKPD 1.02.0.00.0.00.01.0000 already belongs to Dinas Kesehatan (dinkes)."
    ]


def test_an_opd_keeps_its_own_code_when_updated():
    org = create()

    helpers.call_action(
        "organization_patch", {"user": factories.Sysadmin()["name"]}, id=org["id"], alamat="Jl. A"
    )

    assert show(org["id"])["kode_skpd"] == "1.02.0.00.0.00.01.0000"


def test_only_one_organization_can_be_the_walidata():
    create(peran="walidata")

    errors = errors_of(name="diskominfo", kode_skpd="2.16.0.00.0.00.01.0000", peran="walidata")

    assert errors["peran"] == [
        "Dinas Kesehatan is already the Walidata; a region has only one "
        "(Perpres 39/2019 Pasal 21 ayat 2)."
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "dinkes@", "dinkes@ is not an email address."),
        ("telepon", "call us", "call us is not a telephone number"),
        ("telepon", "123", "123 is not a telephone number"),
        ("website", "dinkes.samarindakota.go.id", "is not a web address"),
        ("website", "javascript:alert(1)", "is not a web address"),
    ],
)
def test_contacts_must_be_well_formed(field, value, message):
    assert message in errors_of(**{field: value})[field][0]


def test_well_formed_contacts_are_kept():
    org = create(
        email="dinkes@samarindakota.go.id",
        telepon="(0541) 741234, 0812-3456-7890",
        website="https://dinkes.samarindakota.go.id",
    )

    assert org["telepon"] == "(0541) 741234, 0812-3456-7890"
    assert org["website"] == "https://dinkes.samarindakota.go.id"


def test_bidang_urusan_typed_in_the_form_keep_their_order():
    org = create(bidang_urusan="2.20, 2.16")

    assert org["bidang_urusan"] == ["2.20", "2.16"]


def test_a_parent_must_be_an_existing_opd():
    create(name="kecamatan-palaran", kode_skpd="7.01.0.00.0.00.01.0000")

    errors = errors_of(
        name="kelurahan-x", kode_skpd="7.01.0.00.0.00.01.0001", induk="7.01.0.00.0.00.02.0000"
    )
    child = create(
        name="kelurahan-bantuas", kode_skpd="7.01.0.00.0.00.01.0001", induk="7.01.0.00.0.00.01.000"
    )

    assert errors["induk"] == ["No organization has the kode SKPD 7.01.0.00.0.00.02.0000."]
    assert child["induk"] == "7.01.0.00.0.00.01.0000"


@pytest.mark.ckan_config("ckan.auth.user_create_organizations", True)
def test_users_allowed_to_create_organizations_cannot_invent_opd_codes():
    user = factories.User()

    with pytest.raises(ValidationError) as error:
        helpers.call_action(
            "organization_create",
            as_user(user),
            name="dinas-baru",
            title="Dinas Baru",
            kode_skpd="1.02.0.00.0.00.07.0000",
        )

    assert error.value.error_dict["kode_skpd"] == [
        "Only a system administrator can set or change this field."
    ]


class TestTheOpdsOwnAdmins:
    """An OPD's admins keep its description and contacts up to date; its codes
    belong to the walidata's system administrators."""

    @pytest.fixture
    def admin(self):
        return factories.User()

    @pytest.fixture
    def org(self, admin):
        return OPD(
            kode_skpd="1.02.0.00.0.00.01.0000",
            bidang_urusan=["1.02"],
            peran="produsen_data",
            users=[{"name": admin["name"], "capacity": "admin"}],
        )

    def test_can_edit_the_description_and_contacts(self, admin, org):
        helpers.call_action(
            "organization_patch",
            as_user(admin),
            id=org["id"],
            description="Dinas Kesehatan Kota Samarinda",
            telepon="(0541) 741234",
        )

        updated = show(org["id"])
        assert updated["description"] == "Dinas Kesehatan Kota Samarinda"
        assert updated["kode_skpd"] == "1.02.0.00.0.00.01.0000"

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kode_skpd", "1.02.0.00.0.00.09.0000"),
            ("bidang_urusan", ["1.02", "2.16"]),
            ("peran", "walidata"),
            ("kode_wilayah", "64.72.01"),
            ("kode_skpd_status", "sementara"),
            ("sumber", "Perwali"),
        ],
    )
    def test_cannot_change_a_code(self, admin, org, field, value):
        with pytest.raises(ValidationError) as error:
            helpers.call_action(
                "organization_patch", as_user(admin), id=org["id"], **{field: value}
            )

        assert error.value.error_dict[field] == [
            "Only a system administrator can set or change this field."
        ]

    def test_a_form_that_leaves_the_codes_out_keeps_them(self, admin, org):
        """The edit form shows the codes read-only and does not send them back."""
        helpers.call_action(
            "organization_update",
            as_user(admin),
            id=org["id"],
            name=org["name"],
            title="Dinas Kesehatan",
        )

        updated = show(org["id"])
        assert updated["kode_skpd"] == "1.02.0.00.0.00.01.0000"
        assert updated["bidang_urusan"] == ["1.02"]
        assert updated["peran"] == "produsen_data"

    def test_the_edit_form_shows_the_codes_read_only(self, app, admin, org):
        user = factories.UserWithToken()
        helpers.call_action(
            "organization_member_create",
            {"user": factories.Sysadmin()["name"]},
            id=org["id"],
            username=user["name"],
            role="admin",
        )

        page = app.get(
            f"/organization/edit/{org['name']}", headers={"Authorization": user["token"]}
        ).body

        assert 'name="description"' in page
        assert 'name="kode_skpd"' not in page
        assert "1.02.0.00.0.00.01.0000" in page
        assert "Diatur oleh administrator sistem (registri OPD)." in page

    def test_a_sysadmin_can_change_the_codes(self, org):
        helpers.call_action(
            "organization_patch",
            as_user(factories.Sysadmin()),
            id=org["id"],
            kode_skpd="1.02.0.00.0.00.09.0000",
            peran="walidata",
        )

        updated = show(org["id"])
        assert updated["kode_skpd"] == "1.02.0.00.0.00.09.0000"
        assert updated["peran"] == "walidata"
