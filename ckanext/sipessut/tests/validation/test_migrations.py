"""Our table comes and goes with `ckan db upgrade/downgrade -p sipessut`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model


def tables() -> set[str]:
    return set(sa.inspect(model.Session.get_bind()).get_table_names())


@pytest.mark.usefixtures("clean_db")
def test_migrations_upgrade_and_downgrade(migrate_db_for):
    assert "sipessut_validation_run" in tables()

    model.Session.remove()
    migrate_db_for("sipessut", "base", False)
    model.Session.remove()
    assert "sipessut_validation_run" not in tables()

    migrate_db_for("sipessut")
    model.Session.remove()
    assert "sipessut_validation_run" in tables()
