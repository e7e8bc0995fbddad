"""The review tables come and go with the extension's alembic revision."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.cli.cli import ckan as ckan_command

TABLES = {"sipessut_review_state", "sipessut_review_event"}


def _tables() -> set[str]:
    model.Session.remove()
    return set(sa.inspect(model.meta.engine).get_table_names()) & TABLES


@pytest.mark.usefixtures("clean_db")
def test_the_revision_downgrades_and_upgrades(cli):
    assert _tables() == TABLES

    down = cli.invoke(ckan_command, ["db", "downgrade", "-p", "sipessut"])
    assert down.exit_code == 0, down.output
    assert _tables() == set()

    up = cli.invoke(ckan_command, ["db", "upgrade", "-p", "sipessut"])
    assert up.exit_code == 0, up.output
    assert _tables() == TABLES


def test_the_database_refuses_a_state_the_workflow_does_not_know(portal):
    dataset = portal.dataset()

    with pytest.raises(sa.exc.IntegrityError) as refused:
        model.Session.execute(
            sa.text(
                "INSERT INTO sipessut_review_state (package_id, state, changed_at)"
                " VALUES (:id, 'disetujui', now())"
            ),
            {"id": dataset["id"]},
        )
    model.Session.rollback()

    assert "sipessut_review_state_known" in str(refused.value)


def test_purging_a_dataset_purges_its_review(portal):
    from ckanext.sipessut.tests.review.conftest import act

    dataset = portal.in_state("diajukan")
    act("dataset_purge", portal.sysadmin, id=dataset["id"])

    model.Session.remove()
    with model.meta.engine.connect() as connection:
        for table in TABLES:
            left = connection.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE package_id = :id"),  # noqa: S608
                {"id": dataset["id"]},
            ).scalar()
            assert left == 0, table
