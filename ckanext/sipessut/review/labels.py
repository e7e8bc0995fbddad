"""Permission labels: the Walidata's reviewers may read submitted private datasets.

CKAN checks both `package_show` and search results against these labels, so what a
reviewer may open is exactly what a reviewer finds.
"""

from __future__ import annotations

from ckan import model as ckan_model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.sipessut.review import model, states, walidata

REVIEW_LABEL = "sipessut-walidata-review"

_default = DefaultPermissionLabels()


def dataset_labels(package: ckan_model.Package) -> list[str]:
    labels = _default.get_dataset_labels(package)
    if (
        package.private
        and package.state == "active"
        and package.owner_org
        and model.current_state(package) == states.DIAJUKAN
    ):
        labels.append(REVIEW_LABEL)
    return labels


def user_labels(user: ckan_model.User | str | None) -> list[str]:
    labels = _default.get_user_dataset_labels(user)
    # CKAN passes an empty string for anonymous visitors in places.
    if isinstance(user, ckan_model.User) and walidata.is_reviewer(user):
        labels.append(REVIEW_LABEL)
    return labels
