"""triage: the audit log of report status changes, personal API tokens, webhook deliveries

Revision ID: 0005_triage
Revises: 0004_teaching
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_triage"
down_revision: str | None = "0004_teaching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models, so this migration keeps meaning what it meant.
UUID_TEXT = sa.String(length=36)
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "report_events",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("report_id", UUID_TEXT, nullable=False),
        sa.Column("actor_id", UUID_TEXT, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("duplicate_of", UUID_TEXT, nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_report_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["hazard_reports.id"], name=op.f("fk_report_events_duplicate_of_hazard_reports")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["hazard_reports.id"], name=op.f("fk_report_events_report_id_hazard_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_events")),
    )
    op.create_index("ix_report_events_report_at", "report_events", ["report_id", "at"])

    op.create_table(
        "api_tokens",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("user_id", UUID_TEXT, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("last_used_at", TIMESTAMP, nullable=True),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])

    op.create_table(
        "webhook_deliveries",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("report_id", UUID_TEXT, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("delivered_at", TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["hazard_reports.id"], name=op.f("fk_webhook_deliveries_report_id_hazard_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("report_id", name=op.f("uq_webhook_deliveries_report_id")),
    )
    op.create_index(op.f("ix_webhook_deliveries_next_attempt_at"), "webhook_deliveries", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_deliveries_next_attempt_at"), table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_report_events_report_at", table_name="report_events")
    op.drop_table("report_events")
