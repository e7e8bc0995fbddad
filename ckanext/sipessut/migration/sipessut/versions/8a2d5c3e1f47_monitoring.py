"""Monitoring: releases recorded, reminders sent, data requests and their steps.

Revision ID: 8a2d5c3e1f47
Revises: 8d2a4c6e1f70
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "8a2d5c3e1f47"
down_revision = "8d2a4c6e1f70"
branch_labels = None
depends_on = None

REQUEST_STATES = ("diterima", "diteruskan", "tersedia", "tidak_tersedia")


def _package_fk() -> sa.ForeignKey:
    return sa.ForeignKey("package.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "sipessut_release",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, _package_fk(), nullable=False),
        # The release's date in the portal's time zone; one release per dataset and day.
        sa.Column("release_date", sa.Date, nullable=False),
        sa.Column("released_at", sa.DateTime, nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("days_late", sa.Integer, nullable=True),
        sa.Column("trigger", sa.UnicodeText, nullable=False),
        sa.Column("actor_id", sa.UnicodeText, nullable=True),
        sa.Column("files", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.UniqueConstraint("package_id", "release_date", name="sipessut_release_one_a_day"),
        sa.CheckConstraint("trigger IN ('approve', 'new_file')", name="sipessut_release_trigger"),
    )
    op.create_index("sipessut_release_date_idx", "sipessut_release", ["release_date"])
    op.create_table(
        "sipessut_reminder",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, _package_fk(), nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.Column("recipients", JSONB, nullable=False),
        sa.UniqueConstraint(
            "package_id", "due_date", "kind", name="sipessut_reminder_once_per_due_date"
        ),
        sa.CheckConstraint("kind IN ('upcoming', 'overdue')", name="sipessut_reminder_kind"),
    )
    op.create_table(
        "sipessut_data_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("token", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("email", sa.UnicodeText, nullable=False),
        sa.Column("organisation", sa.UnicodeText, nullable=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        # A keyed hash of the sender's network address, for the hourly limit (never the address).
        sa.Column("client_hash", sa.UnicodeText, nullable=False),
        sa.Column(
            "organization_id",
            sa.UnicodeText,
            sa.ForeignKey("group.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "answer_package_id",
            sa.UnicodeText,
            sa.ForeignKey("package.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("answer", sa.UnicodeText, nullable=True),
        sa.Column("answered_at", sa.DateTime, nullable=True),
        sa.CheckConstraint(
            f"state IN ({', '.join(repr(s) for s in REQUEST_STATES)})",
            name="sipessut_data_request_state",
        ),
    )
    op.create_index("sipessut_data_request_created_idx", "sipessut_data_request", ["created"])
    op.create_index(
        "sipessut_data_request_organization_idx", "sipessut_data_request", ["organization_id"]
    )
    op.create_table(
        "sipessut_data_request_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("sipessut_data_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("actor_id", sa.UnicodeText, nullable=True),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText, nullable=True),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText, nullable=True),
        sa.Column("note", sa.UnicodeText, nullable=True),
    )
    op.create_index(
        "sipessut_data_request_event_request_idx",
        "sipessut_data_request_event",
        ["request_id", "created"],
    )


def downgrade() -> None:
    op.drop_table("sipessut_data_request_event")
    op.drop_table("sipessut_data_request")
    op.drop_table("sipessut_reminder")
    op.drop_table("sipessut_release")
