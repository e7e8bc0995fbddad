"""Text that cannot be stored is refused, not crashed on: a control character in any field
of a dataset of any type, of its resources, their data dictionary and validation options,
is a 409 naming the field, in the user's language, and nothing is stored.

Inputs are generated (hypothesis, derandomized so that a failure replays): every field of
each schema gets a control character at a random place in a random text.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from ckan import model
from ckan.logic import ValidationError
from ckan.tests import factories, helpers
from ckanext.scheming.helpers import scheming_get_dataset_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.sipessut.tests.factories import OPD, Dataset, Indikator, Kegiatan
from ckanext.sipessut.tests.validation.conftest import DICTIONARY, GOOD_CSV, file_storage
from ckanext.sipessut.tests.validation.test_access import as_user

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

# The C0 controls but tab, line feed and carriage return; DEL; C1; a lone surrogate.
CONTROLS = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
CONTROLS += ["\x80", "\x85", "\x9f", "\ud800"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC0123456789.,-", max_size=30)
FACTORIES = {"dataset": Dataset, "kegiatan": Kegiatan, "indikator": Indikator}
GENERATED = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def with_control(data: st.DataObject) -> tuple[str, str]:
    """A short text with a control character somewhere in it, and that character."""
    text = data.draw(WORDS)
    char = data.draw(st.sampled_from(CONTROLS))
    at = data.draw(st.integers(0, len(text)))
    return text[:at] + char + text[at:], char


def code_of(char: str) -> str:
    return f"U+{ord(char):04X}"


def targets(dataset_type: str) -> list[tuple[str, str | None]]:
    """Every field of a type's schema, as (field, subfield of its first item or None)."""
    found: list[tuple[str, str | None]] = []
    for field in scheming_get_dataset_schema(dataset_type)["dataset_fields"]:
        subfields = field.get("repeating_subfields")
        if subfields:
            found += [(field["field_name"], sub["field_name"]) for sub in subfields]
        else:
            found.append((field["field_name"], None))
    return found


def packages() -> int:
    return model.Session.query(model.Package).count()


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def complete(sysadmin):
    """For each type, the fields of a complete public dataset, ready to be created again."""
    org = OPD()
    made: dict[str, dict[str, Any]] = {}
    kegiatan = None
    for dataset_type, factory in FACTORIES.items():
        extra = {"kegiatan": kegiatan["id"]} if dataset_type == "indikator" and kegiatan else {}
        shown = factory(owner_org=org["id"], user=sysadmin, **extra)
        kegiatan = kegiatan or (shown if dataset_type == "kegiatan" else None)
        names = {name for name, _ in targets(dataset_type)}
        made[dataset_type] = {
            **{k: v for k, v in shown.items() if k in names},
            "type": dataset_type,
            "owner_org": org["id"],
        }
    return made


@pytest.mark.parametrize("dataset_type", list(FACTORIES))
@GENERATED
@given(data=st.data())
def test_a_control_character_in_any_field_is_refused_naming_it(
    dataset_type, data, complete, sysadmin
):
    base = complete[dataset_type]
    before = packages()
    for name, sub in targets(dataset_type):
        value, char = with_control(data)
        attempt = json.loads(json.dumps(base))
        attempt["name"] = f"coba-{uuid.uuid4().hex[:12]}"
        if sub is None:
            attempt[name] = value
        else:
            items = attempt.get(name) or [{}]
            items[0] = {**items[0], sub: value}
            attempt[name] = items

        with pytest.raises(ValidationError) as refused:
            helpers.call_action("package_create", {"user": sysadmin["name"]}, **attempt)

        errors = refused.value.error_dict
        assert name in errors, (name, sub, repr(value), errors)
        messages = errors[name] if sub is None else errors[name][0][sub]
        assert any(code_of(char) in message for message in messages), (name, sub, messages)
        assert packages() == before

    control = dict(json.loads(json.dumps(base)), name=f"kontrol-{uuid.uuid4().hex[:12]}")
    helpers.call_action("package_create", {"user": sysadmin["name"]}, **control)
    assert packages() == before + 1  # the same dataset without the character is stored


def test_an_update_is_refused_and_the_stored_dataset_kept(sysadmin):
    dataset = Dataset(owner_org=OPD()["id"], user=sysadmin, title="Penduduk 2024")

    for field in ("title", "notes", "sumber_data"):
        with pytest.raises(ValidationError) as refused:
            helpers.call_action(
                "package_patch", {"user": sysadmin["name"]}, id=dataset["id"], **{field: "a\x00b"}
            )
        assert list(refused.value.error_dict) == [field]

    shown = helpers.call_action("package_show", id=dataset["id"])
    assert (shown["title"], shown["notes"], shown["sumber_data"]) == (
        dataset["title"],
        dataset["notes"],
        dataset["sumber_data"],
    )


def test_the_api_answers_409_in_the_user_s_language(app, sysadmin):
    org = OPD()
    body = {"name": "penduduk", "owner_org": org["id"], "private": True, "title": "Pen\u0000duduk"}
    token = as_user(sysadmin)

    indonesian = app.post("/api/3/action/package_create", json=body, headers=token, status=409)
    english = app.post("/en/api/3/action/package_create", json=body, headers=token, status=409)

    assert indonesian.json["error"]["title"] == [
        "Teks ini mengandung karakter kontrol (U+0000) pada karakter 4, yang tidak dapat "
        "disimpan: hapus karakter itu."
    ]
    assert english.json["error"]["title"] == [
        "This text contains a control character (U+0000) at character 4, which cannot be "
        "stored: remove it."
    ]
    assert model.Package.get("penduduk") is None


@pytest.fixture
def dataset(sysadmin):
    return Dataset(owner_org=OPD()["id"], user=sysadmin, private=True)


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"name": "Tabel\x002024"}, "name"),
        ({"description": "baris satu\nbaris\x07dua"}, "description"),
        ({"validation_options": {"delimiter": "\x1f"}}, "validation_options"),
        ({"validation_options": '{"sheet": "Lembar\x001"}'}, "validation_options"),
        ({"data_dictionary": {"fields": [{"name": "kode\x00"}]}}, "data_dictionary"),
        (
            {"data_dictionary": json.dumps({"fields": [{"name": "a", "title": "\x1b"}]})},
            "data_dictionary",
        ),
        (
            {"data_dictionary-0-name": "kode", "data_dictionary-0-title": "Ko\x00de"},
            "data_dictionary",
        ),
        ({"data_dictionary_json": '{"fields": [{"name": "a\\u0000"}]}'}, "data_dictionary"),
        ({"catatan_bebas": "tidak\x00dideklarasikan"}, "catatan_bebas"),
    ],
    ids=[
        "name",
        "description",
        "options-object",
        "options-json",
        "dictionary-object",
        "dictionary-json",
        "dictionary-form-row",
        "dictionary-pasted",
        "undeclared-extra",
    ],
)
def test_resource_fields(dataset, sysadmin, fields, named):
    with pytest.raises(ValidationError) as refused:
        helpers.call_action(
            "resource_create",
            {"user": sysadmin["name"]},
            package_id=dataset["id"],
            upload=file_storage(GOOD_CSV, "tabel.csv"),
            url="",
            **fields,
        )

    assert named in refused.value.error_dict, refused.value.error_dict
    assert "U+" in " ".join(map(str, refused.value.error_dict[named]))
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


def test_a_clean_resource_beside_them_is_stored(dataset, sysadmin):
    resource = helpers.call_action(
        "resource_create",
        {"user": sysadmin["name"]},
        package_id=dataset["id"],
        upload=file_storage(GOOD_CSV, "tabel.csv"),
        url="",
        name="Tabel\t2024",  # a tab is text
        description="baris satu\r\nbaris dua",
        data_dictionary=DICTIONARY,
    )

    assert resource["name"] == "Tabel\t2024"
    assert resource["validation_status"] == "valid"
