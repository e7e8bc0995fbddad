"""Fixtures shared by the whole suite. Everything runs on the real stack:
PostgreSQL, Solr and Redis started by dev/services.sh, CKAN from its package."""

from __future__ import annotations

import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins test.ini enables.

    reset_db drops every table it finds but only re-creates CKAN core's; the
    plugins' own migrations (the activity stream's and ours) put theirs back.
    """
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("sipessut")


@pytest.fixture(autouse=True)
def _plugins_of_test_ini(with_plugins):
    """Every test runs with the plugins test.ini enables, as a portal would.

    CKAN's pytest plugin unloads all plugins before the first test; its
    with_plugins fixture loads those of `ckan.plugins` again.
    """
