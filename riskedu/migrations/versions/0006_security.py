"""security: proof of authorship, reports held for review, server-side session ends, token expiry

Revision ID: 0006_security
Revises: 0005_triage
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_security"
down_revision: str | None = "0005_triage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("hazard_reports") as table:
        # SHA-256 (hex) of the phone's author secret, or the SMS's short proof of it (a prefix).
        table.add_column(sa.Column("author_hash", sa.String(length=64), nullable=True))
        # Why a report waits apart for an operator's look ("new_client", "burst"); NULL: not held.
        table.add_column(sa.Column("review_hold", sa.String(length=16), nullable=True))
    op.create_index("ix_hazard_reports_review_hold", "hazard_reports", ["review_hold"])
    with op.batch_alter_table("users") as table:
        # Sessions signed in before this moment are over (sign-out, "sign out everywhere", deactivation).
        table.add_column(sa.Column("sessions_valid_after", TIMESTAMP, nullable=True))
    with op.batch_alter_table("api_tokens") as table:
        table.add_column(sa.Column("expires_at", TIMESTAMP, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as table:
        table.drop_column("expires_at")
    with op.batch_alter_table("users") as table:
        table.drop_column("sessions_valid_after")
    op.drop_index("ix_hazard_reports_review_hold", table_name="hazard_reports")
    with op.batch_alter_table("hazard_reports") as table:
        table.drop_column("review_hold")
        table.drop_column("author_hash")
