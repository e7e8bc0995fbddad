"""Template helpers of the metadata domain."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists
from ckanext.sipessut import settings as portal_settings
from ckanext.sipessut.metadata import data_dictionary, index, schema_rules

# Dataset-reference choices list at most this many datasets in a form.
REFERENCE_CHOICES_LIMIT = 1000


def codelist_choices(field: dict[str, Any]) -> list[dict[str, str]]:
    """Form options for a scheming field with `codelist: NAME`, in the user's language.

    Used as `choices_helper: sipessut_codelist_choices`.
    """
    return codelists.get(field["codelist"]).choices(codelists.current_language())


def codelist_label(name: str, code: str) -> str:
    """The label of one code in the user's language (the code itself if unknown)."""
    return codelists.get(name).label(code, codelists.current_language())


def region_code() -> str:
    """The portal's region (Kemendagri code), the default cakupan wilayah of a dataset."""
    return portal_settings.region_code()


def dataset_choices(field: dict[str, Any]) -> list[dict[str, str]]:
    """Datasets of `field["dataset_type"]` the user can see, as form options (value = id)."""
    result = tk.get_action("package_search")(
        {},
        {
            "fq": f'+dataset_type:"{field["dataset_type"]}"',
            "include_private": True,
            "include_drafts": True,
            "rows": REFERENCE_CHOICES_LIMIT,
            "sort": "title_string asc",
            "fl": "id,title,name",
        },
    )
    return [
        {"value": item["id"], "label": item["title"] or item["name"]} for item in result["results"]
    ]


def references(value: Any) -> list[dict[str, Any]]:
    """The linked datasets the current user may read, for display (id, name, title, type)."""
    found = []
    for reference in schema_rules.values_of(value):
        try:
            package = tk.get_action("package_show")({}, {"id": reference})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        found.append({key: package.get(key) for key in ("id", "name", "title", "type")})
    return found


def referenced_by(package_id: str, dataset_type: str) -> list[dict[str, Any]]:
    """Datasets of `dataset_type` that link to `package_id` (the other direction of a link)."""
    result = tk.get_action("package_search")(
        {},
        {
            "fq": f'+dataset_type:"{dataset_type}" +{index.LINK_INDEX_KEY}:"{package_id}"',
            "include_private": True,
            "rows": REFERENCE_CHOICES_LIMIT,
            "sort": "title_string asc",
            "fl": "id,title,name,type",
        },
    )
    return result["results"]


def form_sections(fields: list[dict[str, Any]]) -> list[schema_rules.Section]:
    """Fields grouped into the sections of the BPS forms, for the form and the page."""
    return schema_rules.sections(fields)


def show_if_attribute(condition: Any) -> str:
    """A condition as JSON for the data-module-rule attribute of sipessut-show-if."""
    return json.dumps(condition or {}, separators=(",", ":"))


def dictionary_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The variables to show in the resource form: as typed after a failed save, else as stored."""
    typed = data_dictionary.rows_from_flat(data)
    if typed:
        return typed
    stored = data.get(data_dictionary.FIELD)
    if isinstance(stored, str):
        try:
            stored = json.loads(stored)
        except ValueError:
            return []
    return data_dictionary.rows_from_schema(stored if isinstance(stored, dict) else None)


def dictionary_schema_extra(data: dict[str, Any]) -> str:
    if data.get(data_dictionary.SCHEMA_EXTRA):
        return data[data_dictionary.SCHEMA_EXTRA]
    stored = data.get(data_dictionary.FIELD)
    return data_dictionary.schema_extra_of(stored if isinstance(stored, dict) else None)


def _level_label(level: str) -> str:
    labels = {
        "provinsi": tk._("province"),
        "kabupaten_kota": tk._("regency/city"),
        "kecamatan": tk._("kecamatan (district)"),
        "kelurahan": tk._("kelurahan/desa (village)"),
    }
    return labels.get(level, level.replace("_", " "))


def dictionary_codelist_options(current: str = "") -> list[dict[str, str]]:
    """Code lists a column may take its codes from (those marked `columns: true`);
    `wilayah:kecamatan` narrows to a level. A list a stored dictionary already uses is
    kept among the options, so that editing never drops it."""
    lang = codelists.current_language()
    options = []
    for codelist in codelists.column_lists():
        levels = dict.fromkeys(c.attrs["level"] for c in codelist.codes if "level" in c.attrs)
        options.append({"value": codelist.name, "label": codelist.title(lang)})
        for level in levels:
            options.append(
                {
                    "value": f"{codelist.name}:{level}",
                    "label": f"{codelist.title(lang)}: {_level_label(level)}",
                }
            )
    if current and current not in {option["value"] for option in options}:
        options.append({"value": current, "label": current})
    return options


def dictionary_proposal(data: dict[str, Any]) -> dict[str, Any] | None:
    """The rows *Usulkan kamus data* proposes for the resource being edited (validation's
    `sipessut_schema_infer`), when the form asks for them with `?kamus=usulan`:
    {"rows", "schema_extra", "problem"}; None when not asked or not possible."""
    try:
        asked = tk.request.args.get("kamus") == "usulan"
    except RuntimeError:
        return None
    if not asked or not data.get("id"):
        return None
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    try:
        proposal = tk.get_action("sipessut_schema_infer")(context, {"id": data["id"]})
    except tk.NotAuthorized:
        return None
    except (tk.ObjectNotFound, tk.ValidationError) as error:
        messages = getattr(error, "error_dict", {}) or {}
        problem = "; ".join(
            str(message)
            for values in messages.values()
            for message in (values if isinstance(values, list) else [values])
        )
        return {"rows": [], "schema_extra": "", "problem": problem or str(error)}
    schema = proposal.get(data_dictionary.FIELD) or {}
    return {
        "rows": data_dictionary.rows_from_schema(schema),
        "schema_extra": data_dictionary.schema_extra_of(schema),
        "problem": None,
    }


def section_status(dataset_type: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """For the form's block navigator: each section's title, anchor and how many of its
    applicable required fields are still empty (the completeness rule, on the form's data)."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type)
    if not schema:
        return []
    required = {
        field["field_name"]
        for field in schema_rules.applicable_required(schema["dataset_fields"], data.get)
    }
    status = []
    for position, section in enumerate(schema_rules.sections(schema["dataset_fields"])):
        names = [field["field_name"] for field in section.fields if field["field_name"] in required]
        empty = [name for name in names if not schema_rules.is_filled(data.get(name))]
        status.append(
            {
                "anchor": f"sipessut-section-{position}",
                "title": section.title,
                "required": len(names),
                "missing": len(empty),
                "applies": not section.show_if or schema_rules.holds(section.show_if, data.get),
            }
        )
    return status


# Our dataset types' names, singular and plural, for CKAN's labels and titles.
def N_(message: str) -> str:  # noqa: N802 - the gettext marker babel extracts
    """Marks a message for the catalog without translating it here."""
    return message


# CKAN's search pages title themselves `_(type.title())` and `_(type.title() + "s")`;
# these msgids give our types their proper names there (also in the English catalog).
SEARCH_PAGE_TITLES = (N_("Kegiatan"), N_("Kegiatans"), N_("Indikator"), N_("Indikators"))


def _type_names(object_type: str) -> tuple[str, str] | None:
    if object_type == "kegiatan":
        return tk._("Statistical activity"), tk._("Statistical activities")
    if object_type == "indikator":
        return tk._("Indicator"), tk._("Indicators")
    return None


@tk.chained_helper
def humanize_entity_type(next_helper, entity_type: str, object_type: str, purpose: str):
    """CKAN's labels ("Add ...", breadcrumbs, search placeholder...) for kegiatan and indikator.

    CKAN builds plurals by adding "s" to the type name ("Kegiatans"); these
    types have proper names in both languages.
    """
    names = _type_names(object_type) if entity_type == "package" else None
    if names is None:
        return next_helper(entity_type, object_type, purpose)
    one, many = names
    phrases = {
        "add link": tk._("Add {object_type}").format(object_type=one),
        "create label": tk._("Create {object_type}").format(object_type=one),
        "create title": tk._("Create {object_type}").format(object_type=one),
        "edit label": tk._("Edit {object_type}").format(object_type=one),
        "update label": tk._("Update {object_type}").format(object_type=one),
        "save label": tk._("Save {object_type}").format(object_type=one),
        "search placeholder": tk._("Search {objects}...").format(objects=many.lower()),
        "no description": tk._("There is no description for this {object_type}.").format(
            object_type=one.lower()
        ),
        "delete confirmation": tk._("Are you sure you want to delete this {object_type}?").format(
            object_type=one.lower()
        ),
        "no any objects": tk._("There are no {objects} yet.").format(objects=many.lower()),
    }
    plural_purposes = ("breadcrumb", "content tab", "facet label", "main nav", "page title")
    return many if purpose in plural_purposes else phrases.get(purpose, one)


HELPERS = {
    "sipessut_codelist_choices": codelist_choices,
    "sipessut_codelist_label": codelist_label,
    "sipessut_region_code": region_code,
    "sipessut_dataset_choices": dataset_choices,
    "sipessut_references": references,
    "sipessut_referenced_by": referenced_by,
    "sipessut_form_sections": form_sections,
    "sipessut_show_if_attribute": show_if_attribute,
    "sipessut_dictionary_rows": dictionary_rows,
    "sipessut_dictionary_schema_extra": dictionary_schema_extra,
    "sipessut_dictionary_codelist_options": dictionary_codelist_options,
    "sipessut_dictionary_proposal": dictionary_proposal,
    "sipessut_form_section_status": section_status,
    "sipessut_describe_rules": data_dictionary.describe_rules,
    "humanize_entity_type": humanize_entity_type,
}
