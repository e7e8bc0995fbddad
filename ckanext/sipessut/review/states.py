"""The states of a dataset in the Walidata review and the moves between them.

Perpres 39/2019 Pasal 33-34: a Produsen Data (OPD) submits data with its metadata to the
Walidata, who checks it and either disseminates it or returns it for correction. This
module is the one table of who may move a dataset from which state to which; everything
else (actions, auth, UI) reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import ckan.plugins.toolkit as tk

DRAF = "draf"
DIAJUKAN = "diajukan"
DIKEMBALIKAN = "dikembalikan"
DITAYANGKAN = "ditayangkan"
STATES = (DRAF, DIAJUKAN, DIKEMBALIKAN, DITAYANGKAN)

# Who starts a transition: the dataset's own OPD (its editors and admins) or the Walidata.
PRODUCER = "producer"
WALIDATA = "walidata"

# The event recorded when a visibility change is made outside the workflow (by a
# sysadmin, or by anyone when publishing does not require approval).
VISIBILITY = "visibility"

NOTE_MAX_LENGTH = 5000


@dataclass(frozen=True)
class Transition:
    verb: str
    sources: frozenset[str]
    target: str
    by: str
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in (
        Transition("submit", frozenset({DRAF, DIKEMBALIKAN}), DIAJUKAN, PRODUCER),
        # The OPD takes back its submission, e.g. to fix something it noticed.
        Transition("withdraw", frozenset({DIAJUKAN}), DRAF, PRODUCER),
        Transition("approve", frozenset({DIAJUKAN}), DITAYANGKAN, WALIDATA),
        # From DITAYANGKAN this takes a published dataset off the portal for correction.
        Transition(
            "return", frozenset({DIAJUKAN, DITAYANGKAN}), DIKEMBALIKAN, WALIDATA, note_required=True
        ),
    )
}


def is_public(state: str) -> bool:
    """Visibility follows the state: only a published dataset is public."""
    return state == DITAYANGKAN


def derived_state(private: bool) -> str:
    """The state of a dataset that never went through the workflow."""
    return DRAF if private else DITAYANGKAN


# The states derived_state gives: the only ones a dataset can be in without a stored row.
IMPLIED_STATES = (DRAF, DITAYANGKAN)


def state_label(state: str) -> str:
    labels = {
        DRAF: tk._("Draft"),
        DIAJUKAN: tk._("Submitted to the Walidata"),
        DIKEMBALIKAN: tk._("Returned for correction"),
        DITAYANGKAN: tk._("Published"),
    }
    return labels.get(state, state)


def action_label(action: str) -> str:
    labels = {
        "submit": tk._("Submitted"),
        "withdraw": tk._("Submission withdrawn"),
        "approve": tk._("Approved and published"),
        "return": tk._("Returned"),
        VISIBILITY: tk._("Visibility changed directly"),
    }
    return labels.get(action, action)


def not_allowed_message(verb: str, state: str) -> str:
    """Why `verb` cannot be done now, in words a user understands."""
    messages = {
        "submit": tk._("Only a draft or a returned dataset can be submitted; this one is: {state}"),
        "withdraw": tk._("Only a submitted dataset can be withdrawn; this one is: {state}"),
        "approve": tk._("Only a submitted dataset can be approved; this one is: {state}"),
        "return": tk._(
            "Only a submitted or published dataset can be returned; this one is: {state}"
        ),
    }
    return messages[verb].format(state=state_label(state))
