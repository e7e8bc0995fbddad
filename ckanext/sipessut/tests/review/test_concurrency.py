"""Two Walidata reviewers deciding at the same moment: exactly one decision is recorded.

Both requests run for real in their own threads and database connections. A third
connection holds the dataset's review row while both requests pass their checks, so
that they are certainly in flight together when it lets go.
"""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.review.conftest import act, events, is_private, review_state

WAIT_FOR_BLOCKED = 30  # seconds to wait for both requests to reach the database guard


def _blocked_on_locks() -> int:
    # A fresh transaction each time: PostgreSQL keeps one snapshot of pg_stat_activity
    # per transaction.
    with model.meta.engine.connect() as observer:
        return observer.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar()


@pytest.mark.parametrize(
    ("first", "second"), [("approve", "approve"), ("approve", "return"), ("return", "return")]
)
def test_simultaneous_decisions_record_exactly_one_transition(app, portal, first, second):
    dataset = portal.in_state("diajukan")
    outcomes: dict[str, object] = {}

    def decide(name, verb, user):
        with app.flask_app.test_request_context():
            try:
                act(f"sipessut_review_{verb}", user, id=dataset["id"], note=f"oleh {name}")
                outcomes[name] = verb
            except tk.ValidationError as error:
                outcomes[name] = error.error_dict
            finally:
                model.Session.remove()

    holder = model.meta.engine.connect()
    transaction = holder.begin()
    holder.execute(
        sa.text("SELECT 1 FROM sipessut_review_state WHERE package_id = :id FOR UPDATE"),
        {"id": dataset["id"]},
    )
    threads = [
        threading.Thread(target=decide, args=("A", first, portal.reviewer)),
        threading.Thread(target=decide, args=("B", second, portal.walidata_admin)),
    ]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + WAIT_FOR_BLOCKED
        while _blocked_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        both_in_flight = _blocked_on_locks() >= 2
    finally:
        transaction.rollback()
        holder.close()
    for thread in threads:
        thread.join(timeout=60)

    assert both_in_flight, "the two requests never met at the database guard"
    decided = [name for name, outcome in outcomes.items() if isinstance(outcome, str)]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, dict)]
    assert len(decided) == 1
    assert len(refused) == 1
    assert list(refused[0]) == ["state"]
    decisions = [e for e in events(dataset["id"]) if e["action"] in ("approve", "return")]
    assert len(decisions) == 1
    winner = decided[0]
    assert decisions[0]["note"] == f"oleh {winner}"
    expected = "ditayangkan" if outcomes[winner] == "approve" else "dikembalikan"
    assert review_state(dataset["id"]) == expected
    assert is_private(dataset["id"]) is (expected != "ditayangkan")
