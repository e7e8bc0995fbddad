"""OPD history: renames, code changes and merges of organizations

Revision ID: 7c1f0d2a9b31
Revises:
Create Date: 2026-11-27 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "7c1f0d2a9b31"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sipessut_opd_history",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText, nullable=False),
        sa.Column("source_organization_id", sa.UnicodeText, nullable=False),
        sa.Column("old_name", sa.UnicodeText),
        sa.Column("old_title", sa.UnicodeText),
        sa.Column("old_kode_skpd", sa.UnicodeText),
        sa.Column("details", sa.JSON),
        sa.Column("actor", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_sipessut_opd_history_organization_id", "sipessut_opd_history", ["organization_id"]
    )
    op.create_index("ix_sipessut_opd_history_old_name", "sipessut_opd_history", ["old_name"])
    op.create_index(
        "ix_sipessut_opd_history_old_kode_skpd", "sipessut_opd_history", ["old_kode_skpd"]
    )


def downgrade() -> None:
    op.drop_table("sipessut_opd_history")
