"""Walidata review: the current state of each dataset and every transition.

Revision ID: 7c1e4b9a2d30
Revises: 7c1f0d2a9b31
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "7c1e4b9a2d30"
down_revision = "7c1f0d2a9b31"
branch_labels = None
depends_on = None

STATES = ("draf", "diajukan", "dikembalikan", "ditayangkan")


def _state_check(column: str) -> str:
    return f"{column} IN ({', '.join(repr(s) for s in STATES)})"


def upgrade() -> None:
    op.create_table(
        "sipessut_review_state",
        sa.Column(
            "package_id",
            sa.UnicodeText,
            sa.ForeignKey("package.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        # Start of the current submission: the Walidata queue's waiting time.
        sa.Column("submitted_at", sa.DateTime, nullable=True),
        sa.CheckConstraint(_state_check("state"), name="sipessut_review_state_known"),
    )
    op.create_index(
        "sipessut_review_state_state_idx", "sipessut_review_state", ["state", "submitted_at"]
    )
    op.create_table(
        "sipessut_review_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "package_id",
            sa.UnicodeText,
            sa.ForeignKey("package.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created", sa.DateTime, nullable=False),
        # No foreign key: the audit trail outlives a purged user account.
        sa.Column("actor_id", sa.UnicodeText, nullable=True),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText, nullable=False),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText, nullable=True),
        sa.CheckConstraint(_state_check("from_state"), name="sipessut_review_event_from_known"),
        sa.CheckConstraint(_state_check("to_state"), name="sipessut_review_event_to_known"),
    )
    op.create_index(
        "sipessut_review_event_package_idx", "sipessut_review_event", ["package_id", "created"]
    )


def downgrade() -> None:
    op.drop_index("sipessut_review_event_package_idx", table_name="sipessut_review_event")
    op.drop_table("sipessut_review_event")
    op.drop_index("sipessut_review_state_state_idx", table_name="sipessut_review_state")
    op.drop_table("sipessut_review_state")
