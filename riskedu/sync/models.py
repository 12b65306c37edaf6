"""What sync stores. Every synced thing has a row in ``sync_items`` under the id the phone made; the kind's
own table shares that id, so an item and its content are stored together or not at all."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskedu.database import Base, created_at, uuid_pk
from riskedu.sync.receipts import RECEIPT_LENGTH

UUID_TEXT = String(36)
CONTENT_ID = String(80)
LOCALE = String(35)


def _item_id() -> Mapped[str]:
    return mapped_column(UUID_TEXT, ForeignKey("sync_items.id"), primary_key=True)


class SyncItem(Base):
    """One item as received, once. Its primary key is what makes deduplication safe: two requests carrying
    the same item at the same moment cannot both insert it."""

    __tablename__ = "sync_items"

    id: Mapped[uuid_pk]
    kind: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str] = mapped_column(UUID_TEXT, index=True)
    # sha256 of the canonical JSON of {kind, data}: a resend is a duplicate only if this matches.
    content_hash: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[str] = mapped_column(String(RECEIPT_LENGTH), unique=True)
    received_at: Mapped[created_at]


class QuizAttempt(Base):
    """A quiz taken on a phone, as the server graded it against the content it had then."""

    __tablename__ = "quiz_attempts"

    id: Mapped[str] = _item_id()
    learner_id: Mapped[str | None] = mapped_column(UUID_TEXT, index=True)
    quiz_id: Mapped[str] = mapped_column(CONTENT_ID, index=True)
    lesson_id: Mapped[str] = mapped_column(CONTENT_ID)
    locale: Mapped[str] = mapped_column(LOCALE)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    score: Mapped[int]
    total: Mapped[int]
    percent: Mapped[int]
    passed: Mapped[bool]
    # Lessons change; the version says which answer key gave this score.
    content_version: Mapped[str] = mapped_column(String(64))

    answers: Mapped[list[QuizAnswer]] = relationship(
        order_by="QuizAnswer.question_id", cascade="all, delete-orphan"
    )


class QuizAnswer(Base):
    """One question of an attempt, answered or not (an unanswered question is kept, as wrong)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        # Per-question difficulty over a million attempts ("how often is each question of this quiz answered
        # right?") reads this index alone, without touching the table or joining the attempts.
        Index("ix_quiz_answers_quiz_question_correct", "quiz_id", "question_id", "correct"),
    )

    attempt_id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("quiz_attempts.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(CONTENT_ID, primary_key=True)
    quiz_id: Mapped[str] = mapped_column(CONTENT_ID)  # copied from the attempt for the index above
    chosen: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool]


class LessonProgress(Base):
    """A lesson opened or completed on a phone."""

    __tablename__ = "lesson_progress"

    id: Mapped[str] = _item_id()
    learner_id: Mapped[str | None] = mapped_column(UUID_TEXT, index=True)
    lesson_id: Mapped[str] = mapped_column(CONTENT_ID, index=True)
    locale: Mapped[str] = mapped_column(LOCALE)
    event: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime]


class Enrollment(Base):
    """A learner joining a class. The id is the learner's: a random UUID, with a nickname, and nothing else
    about the child. Classes arrive with the teachers' issue; until then the code is kept as given."""

    __tablename__ = "enrollments"

    id: Mapped[str] = _item_id()
    class_code: Mapped[str] = mapped_column(String(6), index=True)
    nickname: Mapped[str] = mapped_column(String(40))
    enrolled_at: Mapped[created_at]
