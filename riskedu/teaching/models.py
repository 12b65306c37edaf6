"""Classes, and the sessions a teacher records for beneficiary reporting.

Learners are not here: a learner is an ``Enrollment`` (riskedu.sync.models), a nickname and a random id that
the phone made, linked to a class by its join code. Nothing else about a child is stored anywhere; the
head counts below are aggregate numbers a teacher types in, never one row per child."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskedu.database import Base, created_at, uuid_pk
from riskedu.sync.models import LessonProgress, QuizAttempt

USER_ID = String(36)
JOIN_CODE_LENGTH = 6


class SchoolClass(Base):
    __tablename__ = "classes"

    id: Mapped[uuid_pk]
    teacher_id: Mapped[str] = mapped_column(USER_ID, ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    school: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(40), default="")
    # The language the class learns in: the join link and QR code open the app in it.
    language: Mapped[str] = mapped_column(String(35))
    # Unique for ever (classes are not deleted), so an old code never lands a learner in someone else's class.
    join_code: Mapped[str] = mapped_column(String(JOIN_CODE_LENGTH), unique=True)
    created_at: Mapped[created_at]

    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="school_class", order_by="ClassSession.held_on.desc()"
    )


class ClassSession(Base):
    """One risk education session held with a class: where, when, by whom, how, and how many people of each
    age group and sex took part (the GICHD minimum data for risk education)."""

    __tablename__ = "class_sessions"

    id: Mapped[uuid_pk]
    class_id: Mapped[str] = mapped_column(String(36), ForeignKey("classes.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200))
    # As site.yaml named the organisation when the session was recorded: a later rename does not rewrite
    # what was reported.
    organisation: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(32))
    recorded_by: Mapped[str] = mapped_column(USER_ID, ForeignKey("users.id"))
    recorded_at: Mapped[created_at]

    school_class: Mapped[SchoolClass] = relationship(back_populates="sessions")
    headcounts: Mapped[list[SessionHeadcount]] = relationship(cascade="all, delete-orphan")


class SessionHeadcount(Base):
    """How many people of one age group and sex took part in a session."""

    __tablename__ = "session_headcounts"
    __table_args__ = (CheckConstraint("people >= 0", name="people_not_negative"),)

    session_id: Mapped[str] = mapped_column(String(36), ForeignKey("class_sessions.id"), primary_key=True)
    age_group: Mapped[str] = mapped_column(String(8), primary_key=True)
    sex: Mapped[str] = mapped_column(String(8), primary_key=True)
    people: Mapped[int]


# Indexes on the sync tables that the class dashboard needs (bench/dashboard.py measures them against a
# million attempts). A class's attempts are found by learner; these let the database read each learner's
# attempts, and the columns the dashboard shows, from the index alone.
Index(
    "ix_quiz_attempts_learner_dashboard",
    QuizAttempt.learner_id,
    QuizAttempt.finished_at,
    QuizAttempt.quiz_id,
    QuizAttempt.percent,
    QuizAttempt.passed,
)
Index("ix_lesson_progress_learner_event", LessonProgress.learner_id, LessonProgress.event)
