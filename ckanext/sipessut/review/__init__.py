"""Walidata review (Perpres 39/2019 Pasal 33-34): OPDs submit, the Walidata approves and
publishes, or returns with a note; every transition is recorded.

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- the states: DRAF, DIAJUKAN, DIKEMBALIKAN, DITAYANGKAN (STATES), `state_label(state)`;
- `state(pkg)`: a dataset's review state (a package dict or id); `states_of(ids)`: many at
  once, in one query; `state_column(package_id_column)`: the same rule in SQL, for lists
  counted and grouped in the database; `left_public(ids)`: those that were published and
  left the public (returned or made private), with when they last left it;
- `decision_days(organization_ids=None)`: per OPD, the median days from a submission to
  the Walidata's decision and how many decisions, in one query;
- `is_reviewer(user)`: whether a user (a CKAN User) acts for the Walidata (its reviewers,
  sysadmins); `reviewers()`: who hears about what waits for the Walidata; `producers(org_id)`:
  an OPD's editors and admins (CKAN User objects);
- `transition_signal`: a CKAN signal (blinker) sent once a step is committed: sender = the
  dataset's id, keyword args `action`, `from_state`, `to_state`, `actor_id`, `event_id`;
  subscribe with ISignal;
- `returned(organization_ids)`: the OPDs' datasets the Walidata returned, each with the
  return event (its note), most recent first: [(Package, Event or None)];
- the CKAN hooks plugin.py hands over (dataset_labels / user_dataset_labels for
  IPermissionLabels, after_dataset_update) and the dicts it merges.
"""

from __future__ import annotations

from typing import Any

from ckanext.sipessut.review import actions, auth, labels, model, walidata
from ckanext.sipessut.review.helpers import HELPERS
from ckanext.sipessut.review.states import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DITAYANGKAN,
    DRAF,
    STATES,
    state_label,
)
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

# CKAN hooks (plugin.py delegates them here).
dataset_labels = labels.dataset_labels
user_dataset_labels = labels.user_labels
after_dataset_update = actions.after_dataset_update
states_of = model.states_of
state_column = model.state_column
packages_with_state = model.packages_with_state
decision_days = model.decision_days
transition_signal = actions.transitioned
is_reviewer = walidata.is_reviewer
reviewers = walidata.reviewers
producers = walidata.producers
returned = model.returned
left_public = model.left_public


def state(pkg: dict[str, Any] | str) -> str:
    """The review state of one dataset (a package dict, or its id)."""
    package_id = pkg if isinstance(pkg, str) else pkg["id"]
    return model.states_of([package_id]).get(package_id, DRAF)


__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "DIAJUKAN",
    "DIKEMBALIKAN",
    "DITAYANGKAN",
    "DRAF",
    "HELPERS",
    "STATES",
    "after_dataset_update",
    "dataset_labels",
    "decision_days",
    "is_reviewer",
    "producers",
    "reviewers",
    "returned",
    "left_public",
    "state",
    "state_column",
    "packages_with_state",
    "state_label",
    "states_of",
    "transition_signal",
    "user_dataset_labels",
]
