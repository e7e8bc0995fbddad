"""The interop actions (their auth functions are in auth.py)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.interop import daftar_data, datapackage, indah, published


def daftar_data_import(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Import an OPD's Daftar Data Daerah workbook (XLSX) as draft datasets.

    :param workbook: the XLSX file (a multipart upload, or base64 text in JSON)
    :param dry_run: check and report without changing anything (default false)
    :returns: ``summary`` (create / update / unchanged) and ``rows`` (row number, ID DDD,
        action, dataset); a wrong workbook or row is a 409 naming each row's problems.
    """
    tk.check_access("sipessut_daftar_data_import", context, data_dict)
    try:
        data = daftar_data.workbook_bytes(data_dict.get("workbook"))
    except daftar_data.WorkbookError as error:
        raise tk.ValidationError({"workbook": [str(error)]}) from error
    dry_run = tk.asbool(data_dict.get("dry_run", False))
    return daftar_data.run(data, dry_run, context.get("user") or "")


@tk.side_effect_free
def indah_export(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """A kegiatan's MS-Keg, its tables' MS-Var and its indicators' MS-Ind as INDAH records.

    :param id: the kegiatan (id or name)
    """
    tk.check_access("sipessut_indah_export", context, data_dict)
    pkg = tk.get_action("package_show")(context, {"id": tk.get_or_bust(data_dict, "id")})
    if pkg.get("type") != "kegiatan":
        raise tk.ValidationError({"id": [tk._("This is not a statistical activity (kegiatan).")]})
    return indah.export(pkg)


@tk.side_effect_free
def datapackage_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The Frictionless Data Package descriptor (datapackage.json) of a published dataset.

    :param id: the dataset (id or name)
    """
    tk.check_access("sipessut_datapackage_show", context, data_dict)
    try:
        pkg = tk.get_action("package_show")({"user": ""}, {"id": tk.get_or_bust(data_dict, "id")})
    except tk.NotAuthorized:
        pkg = None  # private: as if it did not exist
    if pkg is None or not published.is_published(pkg):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return datapackage.descriptor(pkg, remote=True)


ACTIONS = {
    "sipessut_daftar_data_import": daftar_data_import,
    "sipessut_indah_export": indah_export,
    "sipessut_datapackage_show": datapackage_show,
}
