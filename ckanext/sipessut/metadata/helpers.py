"""Template helpers of the metadata domain."""

from __future__ import annotations

from typing import Any

from ckanext.sipessut import codelists


def codelist_choices(field: dict[str, Any]) -> list[dict[str, str]]:
    """Form options for a scheming field with `codelist: NAME`, in the user's language.

    Used as `choices_helper: sipessut_codelist_choices`.
    """
    return codelists.get(field["codelist"]).choices(codelists.current_language())


def codelist_label(name: str, code: str) -> str:
    """The label of one code in the user's language (the code itself if unknown)."""
    return codelists.get(name).label(code, codelists.current_language())


HELPERS = {
    "sipessut_codelist_choices": codelist_choices,
    "sipessut_codelist_label": codelist_label,
}
