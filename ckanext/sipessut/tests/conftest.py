"""Fixtures shared by the whole suite. Everything runs on the real stack:
PostgreSQL, Solr and Redis started by dev/services.sh, CKAN from its package."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model, plugins
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import CKANTestApp


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins test.ini enables.

    reset_db drops every table it finds but only re-creates CKAN core's; the
    plugins' own migrations (the activity stream's and ours) put theirs back.
    """
    reset_db()
    for plugin in _PLUGINS_WITH_TABLES:
        # After the first reset the plugins' tables stay (only their rows go), so their
        # migrations are run again only when the revision differs from the one they left
        # (alembic costs about 0.1 s a plugin, on each of some 800 tests).
        if _migrated_to.get(plugin) is None or _revision(plugin) != _migrated_to[plugin]:
            migrate_db_for(plugin)
            _migrated_to[plugin] = _revision(plugin)
    _empty_our_tables()


_PLUGINS_WITH_TABLES = ("activity", "sipessut")
_migrated_to: dict[str, str | None] = {}  # plugin -> revision its migrations left, this session


def _revision(plugin: str) -> str | None:
    """The plugin's revision in its alembic version table (None: no table, no row)."""
    table = f"{plugin}_alembic_version"
    with model.meta.engine.connect() as connection:
        if not sa.inspect(connection).has_table(table):
            return None
        return connection.execute(sa.text(f'SELECT version_num FROM "{table}"')).scalar()


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


# What the suite loaded for tests that keep test.ini's settings: CKAN's own
# with_plugins loads and unloads every plugin around each test, and its app
# fixture builds a new Flask app (loading them all again), about a second per
# test; the same plugins on the same settings give the same portal, so these
# tests share one load and one app. A test that changes settings by a mark
# (ckan_config, with_plugins) gets CKAN's fixtures, fresh, as before.
_shared: dict = {"generation": 0, "app": None, "app_generation": -1}


def _own_settings(node) -> bool:
    return any(node.iter_markers("ckan_config")) or any(node.iter_markers("with_plugins"))


@pytest.fixture(autouse=True)
def _plugins_of_test_ini(request, ckan_config):
    """Every test runs with the plugins test.ini enables, as a portal would.

    CKAN's pytest plugin unloads all plugins before the first test; they are
    loaded again here (CKAN's with_plugins for a test with settings of its own).
    """
    if _own_settings(request.node):
        request.getfixturevalue("with_plugins")  # unloads everything at the end
        yield
        return
    # Loaded unless a test with settings of its own (or a module's fixture) unloaded them.
    if not all(plugins.plugin_loaded(name) for name in tk.aslist(ckan_config["ckan.plugins"])):
        plugins.load_all()  # unloads whatever is loaded first
        _shared["generation"] += 1
    yield


@pytest.fixture
def app(request, make_app):
    """CKAN's test app; one Flask app shared by the tests on test.ini's settings
    (each gets a client of its own: no cookie or login carries over)."""
    if _own_settings(request.node):
        return make_app()
    if _shared["app"] is None or _shared["app_generation"] != _shared["generation"]:
        _shared["app"] = make_app().app  # make_app loads the same plugins again
        _shared["app_generation"] = _shared["generation"]
    return CKANTestApp(_shared["app"])
