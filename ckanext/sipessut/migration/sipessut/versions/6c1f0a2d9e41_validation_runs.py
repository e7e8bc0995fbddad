"""Validation runs: one row per run of a resource's validation, with its report.

Revision ID: 6c1f0a2d9e41
Revises: 7c1e4b9a2d30
Create Date: 2026-11-27 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "6c1f0a2d9e41"
down_revision = "7c1e4b9a2d30"
branch_labels = None
depends_on = None

TABLE = "sipessut_validation_run"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("trigger", sa.UnicodeText, nullable=False),
        sa.Column("requested_by", sa.UnicodeText),
        sa.Column("fingerprint", sa.UnicodeText),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("started", sa.DateTime),
        sa.Column("finished", sa.DateTime),
        sa.Column("summary", postgresql.JSONB),
        sa.Column("report", postgresql.JSONB),
    )
    op.create_index(f"{TABLE}_resource_created", TABLE, ["resource_id", "created"])
    op.create_index(f"{TABLE}_package", TABLE, ["package_id"])
    op.create_index(f"{TABLE}_status", TABLE, ["status"])


def downgrade() -> None:
    op.drop_table(TABLE)
