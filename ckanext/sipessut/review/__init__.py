"""Walidata review (Perpres 39/2019 Pasal 33-34): OPDs submit, the Walidata approves and
publishes, or returns with a note; every transition is recorded.

`plugin.py` merges the dicts below and delegates to dataset_labels / user_dataset_labels
(IPermissionLabels) and after_dataset_update (IPackageController).
"""

from __future__ import annotations

from ckanext.sipessut.review import actions, auth, labels
from ckanext.sipessut.review.helpers import HELPERS
from ckanext.sipessut.review.views import blueprint

ACTIONS = {
    "sipessut_review_submit": actions.review_submit,
    "sipessut_review_withdraw": actions.review_withdraw,
    "sipessut_review_approve": actions.review_approve,
    "sipessut_review_return": actions.review_return,
    "sipessut_review_history": actions.review_history,
    "sipessut_review_queue": actions.review_queue,
    # Chained core actions: only the workflow (or a sysadmin) changes visibility.
    "package_create": actions.package_create,
    "package_update": actions.package_update,
    "bulk_update_public": actions.bulk_update_public,
    "bulk_update_private": actions.bulk_update_private,
}
AUTH_FUNCTIONS = {
    "sipessut_review_submit": auth.review_submit,
    "sipessut_review_withdraw": auth.review_withdraw,
    "sipessut_review_approve": auth.review_decide,
    "sipessut_review_return": auth.review_decide,
    "sipessut_review_history": auth.review_history,
    "sipessut_review_queue": auth.review_queue,
    # Chained core auth: nothing under review changes; no bulk publishing around the review.
    "package_update": auth.package_update,
    "bulk_update_public": auth.bulk_update_public,
    "bulk_update_private": auth.bulk_update_private,
}
BLUEPRINTS = [blueprint]

dataset_labels = labels.dataset_labels
user_dataset_labels = labels.user_labels
after_dataset_update = actions.after_dataset_update

__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "HELPERS",
    "after_dataset_update",
    "dataset_labels",
    "user_dataset_labels",
]
