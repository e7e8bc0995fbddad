"""The interop pages and endpoints (one blueprint).

/codelist/<list>[/<code>]                          SKOS concepts our RDF points to
/dataset/<id>/resource/<rid>/tableschema.json      a table's MS-Var as Table Schema
/dataset/<id>/datapackage.json | .zip              the Frictionless Data Package
/sdi/api/3/action/<action>                         the harvest API (harvest.py)
/kegiatan/<id>/ms-keg                              the printable MS-Keg
/kegiatan/<id>/indah.json | indah.xlsx             the INDAH export of a kegiatan
/daftar-data  /daftar-data/daftar-data.xlsx        the Daftar Data Daerah export
/daftar-data/import                                its import (sysadmins, the Walidata)
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request, stream_with_context

from ckanext.sipessut import codelists, metadata
from ckanext.sipessut.interop import (
    daftar_data,
    datapackage,
    harvest,
    indah,
    published,
    settings,
    vocab,
)

blueprint = Blueprint("sipessut_interop", __name__)
JSONLD = "application/ld+json"


def _json(data: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1), status=status, mimetype=mimetype
    )


# --- code lists as SKOS ------------------------------------------------------------------


def _concept(name: str, code: codelists.Code) -> dict[str, Any]:
    return {
        "@id": vocab.concept_uri(name, code.code),
        "@type": "skos:Concept",
        "skos:notation": code.code,
        "skos:prefLabel": [{"@value": v, "@language": k} for k, v in code.labels.items()],
        "skos:inScheme": {"@id": vocab.scheme_uri(name)},
    }


_SKOS_CONTEXT = {"skos": "http://www.w3.org/2004/02/skos/core#"}


@blueprint.route("/codelist/<name>")
def codelist_scheme(name: str) -> Response:
    try:
        found = codelists.get(name)
    except KeyError:
        return tk.abort(404, tk._("Not found"))
    return _json(
        {
            "@context": _SKOS_CONTEXT,
            "@id": vocab.scheme_uri(name),
            "@type": "skos:ConceptScheme",
            "skos:prefLabel": [{"@value": v, "@language": k} for k, v in found.labels.items()],
            "skos:hasTopConcept": [_concept(name, code) for code in found.codes],
        },
        mimetype=JSONLD,
    )


@blueprint.route("/codelist/<name>/<path:code>")
def codelist_concept(name: str, code: str) -> Response:
    try:
        found = codelists.get(name).get(code)
    except KeyError:
        found = None
    if found is None:
        return tk.abort(404, tk._("Not found"))
    return _json({"@context": _SKOS_CONTEXT, **_concept(name, found)}, mimetype=JSONLD)


# --- a table's MS-Var --------------------------------------------------------------------


def published_dataset(reference: str) -> dict[str, Any]:
    """A published dataset as package_show returns it to the public, else a 404."""
    try:
        pkg = tk.get_action("package_show")({"user": ""}, {"id": reference})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        pkg = None
    if pkg is None or not published.is_published(pkg):
        return tk.abort(404, tk._("Dataset not found"))
    return pkg


@blueprint.route("/dataset/<id>/resource/<resource_id>/tableschema.json")
def tableschema(id: str, resource_id: str) -> Response:
    pkg = published_dataset(id)
    for resource in pkg.get("resources", []):
        if resource["id"] == resource_id:
            schema = datapackage.public_schema(resource.get(metadata.DATA_DICTIONARY_FIELD))
            if schema:
                return _json(schema, mimetype="application/schema+json")
    return tk.abort(404, tk._("Not found"))


# --- Data Package ------------------------------------------------------------------------


@blueprint.route("/dataset/<id>/datapackage.json")
def datapackage_json(id: str) -> Response:
    pkg = published_dataset(id)
    return _json(datapackage.descriptor(pkg, remote=True))


@blueprint.route("/dataset/<id>/datapackage.zip")
def datapackage_zip(id: str) -> Response:
    pkg = published_dataset(id)
    limit = settings.datapackage_max_bytes()
    try:
        chunks = datapackage.zip_stream(pkg, limit)
        first = next(chunks)  # problems with the files show before the download starts
    except datapackage.PackageTooLarge as error:
        return tk.abort(413, str(error))
    response = Response(stream_with_context(_prepend(first, chunks)), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{pkg["name"]}.zip"'
    return response


def _prepend(first: bytes, rest):
    yield first
    yield from rest


# --- the harvest API ---------------------------------------------------------------------


@blueprint.route(f"{harvest.PATH}/api/3/action/<action>", methods=["GET", "POST"])
@blueprint.route(f"{harvest.PATH}/api/action/<action>", methods=["GET", "POST"])
def sdi_action(action: str) -> Response:
    params: dict[str, Any] = dict(request.args)
    if request.method == "POST" and request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            params.update(body)
    help_url = f"{vocab.site_url()}{harvest.PATH}/api/3/action/help_show?name={action}"
    try:
        result = harvest.call(action, params)
    except harvest.Refused as error:
        return _json(
            {
                "help": help_url,
                "success": False,
                "error": {"__type": error.kind, "message": error.message},
            },
            status=error.status,
        )
    return _json({"help": help_url, "success": True, "result": result})


# --- INDAH and the printable MS-Keg ------------------------------------------------------


def _kegiatan(reference: str) -> dict[str, Any]:
    """A kegiatan the current user may read (the OPD exports its own drafts too)."""
    try:
        pkg = tk.get_action("package_show")({}, {"id": reference})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Statistical activity not found"))
    if pkg.get("type") != "kegiatan":
        return tk.abort(404, tk._("Statistical activity not found"))
    return pkg


@blueprint.route("/kegiatan/<id>/ms-keg")
def ms_keg(id: str) -> str:
    pkg = _kegiatan(id)
    return tk.render(
        "sipessut/interop/ms_keg.html",
        {"pkg": pkg, "pkg_dict": pkg, "form": indah.printable(pkg)},
    )


@blueprint.route("/kegiatan/<id>/indah.json")
def indah_json(id: str) -> Response:
    pkg = _kegiatan(id)
    response = _json(indah.export(pkg))
    response.headers["Content-Disposition"] = f'attachment; filename="indah-{pkg["name"]}.json"'
    return response


@blueprint.route("/kegiatan/<id>/indah.xlsx")
def indah_xlsx(id: str) -> Response:
    pkg = _kegiatan(id)
    response = Response(indah.workbook(pkg), mimetype=daftar_data.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="indah-{pkg["name"]}.xlsx"'
    return response


# --- Daftar Data Daerah ------------------------------------------------------------------


@blueprint.route("/daftar-data")
def daftar_data_page() -> str:
    return tk.render(
        "sipessut/interop/daftar_data.html",
        {
            "opds": daftar_data.opd_choices(),
            "may_import": daftar_data.may_import(),
            "attributes": daftar_data.ATTRIBUTES,
        },
    )


@blueprint.route("/daftar-data/daftar-data.xlsx")
def daftar_data_xlsx() -> Response:
    opd_name = request.args.get("opd") or None
    try:
        export = daftar_data.export(opd_name, tahun=request.args.get("tahun") or None)
    except daftar_data.ExportError as error:
        return tk.abort(404, str(error))
    response = Response(stream_with_context(export.chunks()), mimetype=daftar_data.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@blueprint.route("/daftar-data/import", methods=["GET", "POST"])
def daftar_data_import() -> str:
    if not daftar_data.may_import():
        return tk.abort(403, tk._("Only system administrators and the Walidata may import."))
    report = None
    if request.method == "POST":
        upload = request.files.get("workbook")
        dry_run = request.form.get("apply") != "1"
        data = upload.read(settings.import_max_bytes() + 1) if upload else b""
        try:
            report = tk.get_action("sipessut_daftar_data_import")(
                {}, {"workbook": data, "dry_run": dry_run, "filename": upload and upload.filename}
            )
        except tk.ValidationError as error:
            report = {"refused": True, "errors": error.error_dict}
    return tk.render("sipessut/interop/daftar_data_import.html", {"report": report})


BLUEPRINTS = [blueprint]
