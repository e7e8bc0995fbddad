"""Auth functions of the public-data domain: each follows the resource's own rights, by the
same rule as validation's reports (published in its face): reading a load status or a
chart needs what reading the resource needs (a private dataset stays private); loading
needs the right to edit the resource."""

from __future__ import annotations

from ckanext.sipessut import validation

read = validation.AUTH_FUNCTIONS["sipessut_validation_show"]
edit = validation.AUTH_FUNCTIONS["sipessut_validation_run"]
