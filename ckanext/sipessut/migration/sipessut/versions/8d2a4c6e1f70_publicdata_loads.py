"""Public data: DataStore loads of validated tables (one row per load)

Revision ID: 8d2a4c6e1f70
Revises: 6c1f0a2d9e41
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "8d2a4c6e1f70"
down_revision = "6c1f0a2d9e41"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sipessut_publicdata_load",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("trigger", sa.UnicodeText, nullable=False),
        sa.Column("requested_by", sa.UnicodeText),
        sa.Column("validation_run_id", sa.UnicodeText),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("started", sa.DateTime),
        sa.Column("finished", sa.DateTime),
        sa.Column("rows", sa.BigInteger),
        sa.Column("reason", postgresql.JSONB),
        sa.Column("details", postgresql.JSONB),
    )
    op.create_index(
        "ix_sipessut_publicdata_load_resource",
        "sipessut_publicdata_load",
        ["resource_id", "created"],
    )


def downgrade() -> None:
    op.drop_table("sipessut_publicdata_load")
