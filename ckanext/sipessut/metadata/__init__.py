"""Sectoral-statistics metadata: BPS MS-Keg, MS-Ind, MS-Var and the Satu Data fields."""

from __future__ import annotations

from ckanext.sipessut.metadata import actions, auth
from ckanext.sipessut.metadata.helpers import HELPERS
from ckanext.sipessut.metadata.validators import VALIDATORS

ACTIONS = {
    "sipessut_codelist_list": actions.codelist_list,
    "sipessut_codelist_show": actions.codelist_show,
    "sipessut_metadata_check": actions.metadata_check,
}
AUTH_FUNCTIONS = {
    "sipessut_codelist_list": auth.codelist_read,
    "sipessut_codelist_show": auth.codelist_read,
    "sipessut_metadata_check": auth.metadata_check,
}

__all__ = ["ACTIONS", "AUTH_FUNCTIONS", "HELPERS", "VALIDATORS"]
