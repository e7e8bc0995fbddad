"""Fixtures shared by the whole suite. Everything runs on the real stack:
PostgreSQL, Solr and Redis started by dev/services.sh, CKAN from its package."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins test.ini enables.

    reset_db drops every table it finds but only re-creates CKAN core's; the
    plugins' own migrations (the activity stream's and ours) put theirs back.
    """
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("sipessut")
    _empty_our_tables()


def _empty_our_tables() -> None:
    """After the first reset CKAN only deletes the rows of the tables it knows, so ours
    (validation runs, review steps, OPD history) are emptied here."""
    model.Session.remove()  # no open transaction may hold a lock on them
    with model.meta.engine.begin() as connection:
        tables = (
            connection.execute(
                sa.text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    " AND tablename LIKE 'sipessut\\_%' AND tablename <> 'sipessut_alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} CASCADE"))


@pytest.fixture(autouse=True)
def _plugins_of_test_ini(with_plugins):
    """Every test runs with the plugins test.ini enables, as a portal would.

    CKAN's pytest plugin unloads all plugins before the first test; its
    with_plugins fixture loads those of `ckan.plugins` again.
    """
