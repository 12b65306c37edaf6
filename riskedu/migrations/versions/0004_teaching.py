"""teachers' accounts, classes, recorded sessions with head counts; dashboard indexes on the sync tables

Revision ID: 0004_teaching
Revises: 0003_reports
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_teaching"
down_revision: str | None = "0003_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from the models, so this migration keeps meaning what it meant when the
# models change later. It needs only the tables of 0002_sync (for the indexes at the end).
UUID_TEXT = sa.String(length=36)
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("password_set_at", TIMESTAMP, nullable=True),
        sa.Column("last_login_at", TIMESTAMP, nullable=True),
        sa.CheckConstraint("role IN ('teacher', 'operator', 'admin')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )

    op.create_table(
        "classes",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("teacher_id", UUID_TEXT, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("join_code", sa.String(length=6), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["teacher_id"], ["users.id"], name=op.f("fk_classes_teacher_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
        sa.UniqueConstraint("join_code", name=op.f("uq_classes_join_code")),
    )
    op.create_index(op.f("ix_classes_teacher_id"), "classes", ["teacher_id"])

    op.create_table(
        "class_sessions",
        sa.Column("id", UUID_TEXT, nullable=False),
        sa.Column("class_id", UUID_TEXT, nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("recorded_by", UUID_TEXT, nullable=False),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name=op.f("fk_class_sessions_class_id_classes")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_class_sessions_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_sessions")),
    )
    op.create_index(op.f("ix_class_sessions_class_id"), "class_sessions", ["class_id"])
    op.create_index(op.f("ix_class_sessions_held_on"), "class_sessions", ["held_on"])

    op.create_table(
        "session_headcounts",
        sa.Column("session_id", UUID_TEXT, nullable=False),
        sa.Column("age_group", sa.String(length=8), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint("people >= 0", name=op.f("ck_session_headcounts_people_not_negative")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_session_headcounts_session_id_class_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", "age_group", "sex", name=op.f("pk_session_headcounts")),
    )

    # The class dashboard reads a class's attempts and lesson progress by learner (bench/dashboard.py).
    op.create_index(
        "ix_quiz_attempts_learner_dashboard",
        "quiz_attempts",
        ["learner_id", "finished_at", "quiz_id", "percent", "passed"],
    )
    op.create_index("ix_lesson_progress_learner_event", "lesson_progress", ["learner_id", "event"])


def downgrade() -> None:
    op.drop_index("ix_lesson_progress_learner_event", table_name="lesson_progress")
    op.drop_index("ix_quiz_attempts_learner_dashboard", table_name="quiz_attempts")
    op.drop_table("session_headcounts")
    op.drop_index(op.f("ix_class_sessions_held_on"), table_name="class_sessions")
    op.drop_index(op.f("ix_class_sessions_class_id"), table_name="class_sessions")
    op.drop_table("class_sessions")
    op.drop_index(op.f("ix_classes_teacher_id"), table_name="classes")
    op.drop_table("classes")
    op.drop_table("users")
