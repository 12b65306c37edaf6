"""sync items, quiz attempts, lesson progress, enrollments

Revision ID: 0002_sync
Revises: 0001_baseline
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_sync"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models, so this migration keeps meaning what it meant when
# the models change later. UTCDateTime stores as a timezone-aware timestamp.
UUID_TEXT = sa.String(length=36)
CONTENT_ID = sa.String(length=80)
LOCALE = sa.String(length=35)
TIMESTAMP = sa.DateTime(timezone=True)


def _item_id(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.ForeignKeyConstraint(["id"], ["sync_items.id"], name=op.f(f"fk_{table}_id_sync_items")),
    ]


def upgrade() -> None:
    op.create_table(
        "sync_items",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("client_id", UUID_TEXT, nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("receipt", sa.String(length=7), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_items")),
        sa.UniqueConstraint("receipt", name=op.f("uq_sync_items_receipt")),
    )
    op.create_index(op.f("ix_sync_items_client_id"), "sync_items", ["client_id"])

    op.create_table(
        "enrollments",
        *_item_id("enrollments"),
        sa.Column("class_code", sa.String(length=6), nullable=False),
        sa.Column("nickname", sa.String(length=40), nullable=False),
        sa.Column("enrolled_at", TIMESTAMP, nullable=False),
    )
    op.create_index(op.f("ix_enrollments_class_code"), "enrollments", ["class_code"])

    op.create_table(
        "lesson_progress",
        *_item_id("lesson_progress"),
        sa.Column("learner_id", UUID_TEXT, nullable=True),
        sa.Column("lesson_id", CONTENT_ID, nullable=False),
        sa.Column("locale", LOCALE, nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
    )
    op.create_index(op.f("ix_lesson_progress_learner_id"), "lesson_progress", ["learner_id"])
    op.create_index(op.f("ix_lesson_progress_lesson_id"), "lesson_progress", ["lesson_id"])

    op.create_table(
        "quiz_attempts",
        *_item_id("quiz_attempts"),
        sa.Column("learner_id", UUID_TEXT, nullable=True),
        sa.Column("quiz_id", CONTENT_ID, nullable=False),
        sa.Column("lesson_id", CONTENT_ID, nullable=False),
        sa.Column("locale", LOCALE, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("content_version", sa.String(length=64), nullable=False),
    )
    op.create_index(op.f("ix_quiz_attempts_learner_id"), "quiz_attempts", ["learner_id"])
    op.create_index(op.f("ix_quiz_attempts_quiz_id"), "quiz_attempts", ["quiz_id"])

    op.create_table(
        "quiz_answers",
        sa.Column("attempt_id", UUID_TEXT, nullable=False),
        sa.Column("question_id", CONTENT_ID, nullable=False),
        sa.Column("quiz_id", CONTENT_ID, nullable=False),
        sa.Column("chosen", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("attempt_id", "question_id", name=op.f("pk_quiz_answers")),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["quiz_attempts.id"], name=op.f("fk_quiz_answers_attempt_id_quiz_attempts")
        ),
    )
    # Per-question difficulty for a quiz is read from this index alone.
    op.create_index(
        "ix_quiz_answers_quiz_question_correct", "quiz_answers", ["quiz_id", "question_id", "correct"]
    )


def downgrade() -> None:
    # Children first: every kind's table refers to sync_items.
    op.drop_index("ix_quiz_answers_quiz_question_correct", table_name="quiz_answers")
    op.drop_table("quiz_answers")
    op.drop_index(op.f("ix_quiz_attempts_quiz_id"), table_name="quiz_attempts")
    op.drop_index(op.f("ix_quiz_attempts_learner_id"), table_name="quiz_attempts")
    op.drop_table("quiz_attempts")
    op.drop_index(op.f("ix_lesson_progress_lesson_id"), table_name="lesson_progress")
    op.drop_index(op.f("ix_lesson_progress_learner_id"), table_name="lesson_progress")
    op.drop_table("lesson_progress")
    op.drop_index(op.f("ix_enrollments_class_code"), table_name="enrollments")
    op.drop_table("enrollments")
    op.drop_index(op.f("ix_sync_items_client_id"), table_name="sync_items")
    op.drop_table("sync_items")
