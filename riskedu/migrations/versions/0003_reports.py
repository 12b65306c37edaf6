"""hazard reports and their photos

Revision ID: 0003_reports
Revises: 0002_sync
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_reports"
down_revision: str | None = "0002_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models, so this migration keeps meaning what it meant when
# the models change later. UTCDateTime stores as a timezone-aware timestamp.
UUID_TEXT = sa.String(length=36)
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hazard_reports",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("observed_at", TIMESTAMP, nullable=False),
        sa.Column("what", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=500), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("location_source", sa.String(length=8), nullable=True),
        sa.Column("marked", sa.String(length=8), nullable=False),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("near", sa.JSON(), nullable=False),
        sa.Column("reporter_name", sa.String(length=100), nullable=True),
        sa.Column("reporter_phone", sa.String(length=30), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("sms_sender", sa.String(length=40), nullable=True),
        sa.Column("completed_at", TIMESTAMP, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_reports")),
        sa.ForeignKeyConstraint(["id"], ["sync_items.id"], name=op.f("fk_hazard_reports_id_sync_items")),
    )
    # Triage: reports by status, urgent first.
    op.create_index("ix_hazard_reports_status_urgent", "hazard_reports", ["status", "urgent"])

    op.create_table(
        "report_photos",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("report_id", UUID_TEXT, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("original_key", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=200), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_photos")),
        sa.ForeignKeyConstraint(
            ["report_id"], ["hazard_reports.id"], name=op.f("fk_report_photos_report_id_hazard_reports")
        ),
    )
    op.create_index(op.f("ix_report_photos_report_id"), "report_photos", ["report_id"])


def downgrade() -> None:
    # Children first: photos refer to reports, reports to sync_items (which stay: they are 0002's).
    op.drop_index(op.f("ix_report_photos_report_id"), table_name="report_photos")
    op.drop_table("report_photos")
    op.drop_index("ix_hazard_reports_status_urgent", table_name="hazard_reports")
    op.drop_table("hazard_reports")
