"""Whether a dataset's metadata is complete enough to be public: the one completeness rule.

The validators refuse an incomplete public dataset with the same rule (schema_rules.py:
required / required_if on the fields that apply); this module gives it for a dataset as
`package_show` returns it, so a draft can be checked before it is submitted, and the
review, the monitoring and the pages can say what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.metadata import schema_rules
from ckanext.sipessut.metadata.validators import field_label


@dataclass(frozen=True)
class Completeness:
    required: int  # applicable required fields
    missing: list[dict[str, str]]  # [{"field", "label"}], in form order

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def percent(self) -> float:
        """Share of the applicable required fields that are filled (100 when none apply)."""
        if not self.required:
            return 100.0
        return round(100 * (self.required - len(self.missing)) / self.required, 1)


def completeness(pkg: dict[str, Any]) -> Completeness:
    """How complete a dataset (as package_show returns it) is."""
    schema = tk.h.scheming_get_dataset_schema(pkg.get("type") or "dataset")
    if not schema:
        return Completeness(0, [])
    required = schema_rules.applicable_required(schema["dataset_fields"], pkg.get)
    absent = [f for f in required if not schema_rules.is_filled(pkg.get(f["field_name"]))]
    return Completeness(
        len(required), [{"field": f["field_name"], "label": field_label(f)} for f in absent]
    )


def missing(pkg: dict[str, Any]) -> list[dict[str, str]]:
    """The applicable required fields the dataset leaves empty, in form order:
    [{"field": name, "label": label in the user's language}]."""
    return completeness(pkg).missing
