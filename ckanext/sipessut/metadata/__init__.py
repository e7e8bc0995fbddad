"""Sectoral-statistics metadata: BPS MS-Keg, MS-Ind, MS-Var and the Satu Data fields.

What this domain gives CKAN (collected by plugin.py):
"""

from __future__ import annotations

from ckanext.sipessut.metadata import actions, auth

ACTIONS = {
    "sipessut_codelist_list": actions.codelist_list,
    "sipessut_codelist_show": actions.codelist_show,
}
AUTH_FUNCTIONS = {
    "sipessut_codelist_list": auth.codelist_read,
    "sipessut_codelist_show": auth.codelist_read,
}
