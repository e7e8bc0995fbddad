"""Actions of the metadata domain."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists
from ckanext.sipessut.metadata import completeness


@tk.side_effect_free
def codelist_list(context, data_dict) -> list[dict[str, Any]]:
    """The code lists of this portal: name and title in Indonesian and English.

    :rtype: list of dicts with ``name``, ``title`` ({"id": ..., "en": ...}) and ``count``
    """
    tk.check_access("sipessut_codelist_list", context, data_dict)
    return [
        {"name": name, "title": dict(codelist.labels), "count": len(codelist.codes)}
        for name, codelist in sorted(codelists.all_lists().items())
    ]


@tk.side_effect_free
def codelist_show(context, data_dict) -> dict[str, Any]:
    """One code list with every code, its labels and its extra attributes.

    :param id: the name of the list, e.g. ``sektor`` or ``wilayah``
    :type id: string
    """
    tk.check_access("sipessut_codelist_show", context, data_dict)
    name = tk.get_or_bust(data_dict, "id")
    try:
        codelist = codelists.get(name)
    except KeyError as error:
        raise tk.ObjectNotFound(
            tk._("There is no code list named {name}").format(name=name)
        ) from error
    return {
        "name": codelist.name,
        "title": dict(codelist.labels),
        "source": codelist.source,
        "codes": [
            {"code": code.code, "label": dict(code.labels), **dict(code.attrs)}
            for code in codelist.codes
        ],
    }


@tk.side_effect_free
def metadata_check(context, data_dict) -> dict[str, Any]:
    """Whether a dataset's metadata is complete enough to be public.

    The same rules as the validators that refuse an incomplete public dataset
    (metadata/schema_rules.py), so a private draft can be checked before it is
    submitted or published.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dict with ``complete`` (bool) and ``missing``: a list of
        ``{"field": name, "label": label in the user's language}``
    """
    tk.check_access("sipessut_metadata_check", context, data_dict)
    package = tk.get_action("package_show")(context, {"id": tk.get_or_bust(data_dict, "id")})
    absent = completeness.missing(package)
    return {"complete": not absent, "missing": absent}
