"""Reading classes and what their learners sent. Every query about a class starts from a class its teacher
owns: the views never look a class up without its teacher."""

from __future__ import annotations

import json

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session, selectinload

from riskedu.accounts.models import User
from riskedu.sync.models import Enrollment, LessonProgress, QuizAnswer, QuizAttempt
from riskedu.teaching.beneficiaries import HeadcountRow
from riskedu.teaching.dashboard import (
    Answer,
    AnswerCount,
    Attempt,
    AttemptDetail,
    Completion,
    Learner,
    WrongChoiceCount,
)
from riskedu.teaching.models import ClassSession, SchoolClass, SessionHeadcount


def classes_of(session: Session, teacher_id: str) -> list[tuple[SchoolClass, int]]:
    """A teacher's classes, newest first, each with how many learners joined it (counted per class through
    the class code index, not over every enrollment)."""
    learners = (
        select(func.count())
        .select_from(Enrollment)
        .where(Enrollment.class_code == SchoolClass.join_code)
        .scalar_subquery()
    )
    rows = session.execute(
        select(SchoolClass, learners)
        .where(SchoolClass.teacher_id == teacher_id)
        .order_by(SchoolClass.created_at.desc())
    )
    return [(school_class, count) for school_class, count in rows]


def class_of_teacher(session: Session, class_id: str, teacher_id: str) -> SchoolClass | None:
    return session.scalar(
        select(SchoolClass).where(SchoolClass.id == class_id, SchoolClass.teacher_id == teacher_id)
    )


def class_name_for_code(session: Session, join_code: str) -> str | None:
    # A sync batch asks for the same few codes dozens of times (to check, store and answer each enrollment);
    # remember the answers for the life of this session, which is one request.
    known: dict[str, str | None] = session.info.setdefault("class_names_by_code", {})
    if join_code not in known:
        known[join_code] = session.scalar(select(SchoolClass.name).where(SchoolClass.join_code == join_code))
    return known[join_code]


def join_code_taken(session: Session, join_code: str) -> bool:
    return session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == join_code)) is not None


# --- a class's learners and what they sent ------------------------------------------------------------------


def _learner_ids(join_code: str) -> Select[tuple[str]]:
    # A subquery rather than a list of ids: one round trip, and the database uses the class code index.
    return select(Enrollment.id).where(Enrollment.class_code == join_code)


def learners_of(session: Session, join_code: str) -> list[Learner]:
    rows = session.execute(
        select(Enrollment.id, Enrollment.nickname, Enrollment.enrolled_at)
        .where(Enrollment.class_code == join_code)
        .order_by(Enrollment.enrolled_at)
    )
    return [Learner(*row) for row in rows]


def learner_of(session: Session, join_code: str, learner_id: str) -> Learner | None:
    row = session.execute(
        select(Enrollment.id, Enrollment.nickname, Enrollment.enrolled_at).where(
            Enrollment.id == learner_id, Enrollment.class_code == join_code
        )
    ).first()
    return Learner(*row) if row else None


ATTEMPT_COLUMNS = (
    QuizAttempt.learner_id,
    QuizAttempt.quiz_id,
    QuizAttempt.finished_at,
    QuizAttempt.percent,
    QuizAttempt.passed,
)


def attempts_of_class(session: Session, join_code: str) -> list[Attempt]:
    rows = session.execute(
        select(*ATTEMPT_COLUMNS)
        .where(QuizAttempt.learner_id.in_(_learner_ids(join_code)))
        .order_by(QuizAttempt.finished_at)
    )
    return [Attempt(*row) for row in rows]


def attempts_of_learner(session: Session, learner_id: str) -> list[Attempt]:
    rows = session.execute(
        select(*ATTEMPT_COLUMNS).where(QuizAttempt.learner_id == learner_id).order_by(QuizAttempt.finished_at)
    )
    return [Attempt(*row) for row in rows]


def attempt_details_of_learner(session: Session, learner_id: str) -> list[AttemptDetail]:
    """Every attempt of one learner with its score, newest first."""
    rows = session.execute(
        select(
            QuizAttempt.quiz_id,
            QuizAttempt.finished_at,
            QuizAttempt.score,
            QuizAttempt.total,
            QuizAttempt.percent,
        )
        .where(QuizAttempt.learner_id == learner_id)
        .order_by(QuizAttempt.finished_at.desc())
    )
    return [AttemptDetail(*row) for row in rows]


def completions_of_class(session: Session, join_code: str) -> list[Completion]:
    rows = session.execute(
        select(LessonProgress.learner_id, LessonProgress.lesson_id, LessonProgress.at).where(
            LessonProgress.learner_id.in_(_learner_ids(join_code)), LessonProgress.event == "completed"
        )
    )
    return [Completion(*row) for row in rows]


def completions_of_learner(session: Session, learner_id: str) -> list[Completion]:
    rows = session.execute(
        select(LessonProgress.learner_id, LessonProgress.lesson_id, LessonProgress.at).where(
            LessonProgress.learner_id == learner_id, LessonProgress.event == "completed"
        )
    )
    return [Completion(*row) for row in rows]


def answer_stats_of_class(
    session: Session, join_code: str
) -> tuple[list[AnswerCount], list[WrongChoiceCount]]:
    """How often each question was answered right and wrong by the class, and which wrong answers it chose:
    one pass over the class's answers (each read through the attempt's primary key, never a table scan).
    Grouped on the choices as text: PostgreSQL's json type has no equality, and the server writes every
    ``chosen`` list the same way (sorted, same separators)."""
    chosen_text = cast(QuizAnswer.chosen, Text)
    rows = session.execute(
        select(QuizAnswer.quiz_id, QuizAnswer.question_id, QuizAnswer.correct, chosen_text, func.count())
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.learner_id.in_(_learner_ids(join_code)))
        .group_by(QuizAnswer.quiz_id, QuizAnswer.question_id, QuizAnswer.correct, chosen_text)
    )
    counts, wrong = [], []
    for quiz, question, correct, chosen, answers in rows:
        counts.append(AnswerCount(quiz, question, bool(correct), answers))
        if not correct:
            wrong.append(WrongChoiceCount(quiz, question, tuple(json.loads(chosen)), answers))
    return counts, wrong


def answers_of_class(session: Session, join_code: str) -> list[Answer]:
    """Every answer of every attempt (for the CSV export)."""
    rows = session.execute(
        select(
            QuizAttempt.learner_id,
            QuizAttempt.finished_at,
            QuizAnswer.quiz_id,
            QuizAnswer.question_id,
            QuizAnswer.chosen,
            QuizAnswer.correct,
        )
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.learner_id.in_(_learner_ids(join_code)))
        .order_by(QuizAttempt.finished_at, QuizAnswer.quiz_id, QuizAnswer.question_id)
    )
    return [
        Answer(learner, at, quiz, question, tuple(chosen), bool(correct))
        for learner, at, quiz, question, chosen, correct in rows
    ]


# --- beneficiary reporting --------------------------------------------------------------------------------


def sessions_of_class(session: Session, class_id: str) -> list[ClassSession]:
    """A class's recorded sessions, newest first, with their head counts (loaded together, not one by one)."""
    return list(
        session.scalars(
            select(ClassSession)
            .where(ClassSession.class_id == class_id)
            .options(selectinload(ClassSession.headcounts))
            .order_by(ClassSession.held_on.desc(), ClassSession.recorded_at.desc())
        )
    )


def session_of_class(session: Session, class_id: str, session_id: str) -> ClassSession | None:
    return session.scalar(
        select(ClassSession).where(ClassSession.id == session_id, ClassSession.class_id == class_id)
    )


def headcount_rows(session: Session, teacher_id: str | None) -> list[HeadcountRow]:
    """Every recorded head count of one teacher's classes (of everyone's, for an administrator: None)."""
    query = (
        select(
            ClassSession.id,
            ClassSession.held_on,
            ClassSession.place,
            ClassSession.organisation,
            ClassSession.method,
            SchoolClass.name,
            User.email,
            SessionHeadcount.age_group,
            SessionHeadcount.sex,
            SessionHeadcount.people,
        )
        .join(SchoolClass, SchoolClass.id == ClassSession.class_id)
        .join(User, User.id == SchoolClass.teacher_id)
        .join(SessionHeadcount, SessionHeadcount.session_id == ClassSession.id)
        .order_by(ClassSession.held_on.desc(), ClassSession.id)
    )
    if teacher_id is not None:
        query = query.where(SchoolClass.teacher_id == teacher_id)
    return [HeadcountRow(*row) for row in session.execute(query)]


def session_places(session: Session, teacher_id: str | None) -> list[str]:
    query = select(ClassSession.place).distinct().join(SchoolClass, SchoolClass.id == ClassSession.class_id)
    if teacher_id is not None:
        query = query.where(SchoolClass.teacher_id == teacher_id)
    return sorted(session.scalars(query), key=str.casefold)
