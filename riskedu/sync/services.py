"""Storing sync items, each exactly once. Functions take a session and values, never the request; they only
write: the caller commits (one transaction per item) or rolls back."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from flask import has_app_context
from flask_babel import force_locale
from sqlalchemy import Executable, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from riskedu.content.grading import grade_quiz
from riskedu.content.model import Catalog
from riskedu.i18n.locales import locale_codes
from riskedu.sync.models import Enrollment, LessonProgress, QuizAnswer, QuizAttempt, SyncItem
from riskedu.sync.receipts import new_receipt
from riskedu.sync.schemas import (
    ACCEPTED_ITEMS,
    CONFLICT_MESSAGE,
    ClientInfo,
    ConflictResult,
    DuplicateResult,
    EnrollmentData,
    FieldError,
    InvalidResult,
    ItemResult,
    KindItem,
    LessonProgressData,
    QuizAttemptData,
    StoredResult,
)
from riskedu.sync.validation import CheckedItem, check_item

# A receipt collision is about one in a thousand at a million items; five in a row means something else broke.
RECEIPT_ATTEMPTS = 5
# INSERT … ON CONFLICT DO NOTHING, in the dialects riskedu runs on.
INSERT_OR_NOTHING = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}

# Statements go to the tables themselves, built once with parameters bound at execution: the ORM's
# per-statement work was most of the cost of storing an item, at one transaction per item.
SYNC_ITEMS = SyncItem.__table__
QUIZ_ATTEMPTS = QuizAttempt.__table__
STORED_COLUMNS = (SYNC_ITEMS.c.kind, SYNC_ITEMS.c.content_hash, SYNC_ITEMS.c.receipt)
INSERT_QUIZ_ATTEMPT = insert(QUIZ_ATTEMPTS)
INSERT_QUIZ_ANSWER = insert(QuizAnswer.__table__)
INSERT_LESSON_PROGRESS = insert(LessonProgress.__table__)
INSERT_ENROLLMENT = insert(Enrollment.__table__)

# What a kind adds to its result (a quiz's score), as result fields.
Extras = dict[str, Any]


class StoredItem(NamedTuple):
    kind: str
    content_hash: str
    receipt: str


class ReceiptsExhausted(RuntimeError):
    pass


def store_item(
    session: Session,
    client: ClientInfo,
    raw_item: Any,
    catalog: Catalog,
    stored_before: Mapping[str, StoredItem] | None = None,
    *,
    keep_report: bool = True,
) -> ItemResult:
    """Check one item and store it unless it is already stored; say which happened, in the language of the
    person who made it (the item's own locale, else the app's).

    ``stored_before`` is what ``find_stored_batch`` found for the whole batch; without it the item is looked
    up on its own. Either way that is only a shortcut: the insert itself is what decides."""
    result = _store_item(session, client, raw_item, catalog, stored_before, keep_report)
    if isinstance(result, InvalidResult | ConflictResult):
        # Worked out only when there is something to say, so that storing costs nothing more.
        locale = _reader_locale(raw_item, client)
        if locale:
            with force_locale(locale):
                if isinstance(result, ConflictResult):
                    return result.model_copy(update={"error": str(CONFLICT_MESSAGE)})
                again = check_item(raw_item, catalog, keep_report=keep_report)
                return again if isinstance(again, InvalidResult) else result
    return result


def _reader_locale(raw_item: Any, client: ClientInfo) -> str | None:
    data = raw_item.get("data") if isinstance(raw_item, dict) else None
    candidates = (data.get("locale") if isinstance(data, dict) else None, client.locale)
    known = locale_codes() if has_app_context() else ()
    return next((code for code in candidates if isinstance(code, str) and code in known), None)


def _store_item(
    session: Session,
    client: ClientInfo,
    raw_item: Any,
    catalog: Catalog,
    stored_before: Mapping[str, StoredItem] | None,
    keep_report: bool,
) -> ItemResult:
    checked = check_item(raw_item, catalog, keep_report=keep_report)
    if isinstance(checked, InvalidResult):
        return checked
    existing = find_stored(session, checked.id) if stored_before is None else stored_before.get(checked.id)
    if existing is not None:
        return _answer_for_existing(session, existing, checked)
    database_check = DATABASE_CHECKS.get(checked.kind)
    if database_check is not None and (problems := database_check(session, checked)):
        return InvalidResult(id=checked.sent_id, status="invalid", errors=problems)
    for _ in range(RECEIPT_ATTEMPTS):
        receipt = new_receipt()
        if _claim(session, client, checked, receipt):
            extras = STORERS[checked.kind](session, checked, catalog)
            return StoredResult(id=checked.sent_id, status="stored", receipt=receipt, **extras)
        # Nothing was inserted: another request stored this id since we looked (a resend crossing the
        # first), or the receipt is taken. Reading the id again tells which.
        existing = find_stored(session, checked.id)
        if existing is not None:
            return _answer_for_existing(session, existing, checked)
    raise ReceiptsExhausted(f"no free receipt after {RECEIPT_ATTEMPTS} tries")


def _claim(session: Session, client: ClientInfo, checked: CheckedItem, receipt: str) -> bool:
    """Insert the item's ``sync_items`` row unless its id or receipt is taken. The primary key settles races:
    of two requests inserting the same id at once, PostgreSQL makes the second wait for the first and then
    skip; SQLite lets only one writer in at a time. Nothing raises, so the transaction stays usable."""
    row = {
        "id": checked.id,
        "kind": checked.kind,
        "client_id": str(client.id),
        "content_hash": checked.content_hash,
        "receipt": receipt,
    }
    return session.execute(_claim_statement(session.get_bind().dialect.name), row).rowcount == 1


@cache
def _claim_statement(dialect: str) -> Executable:
    # Built once: statements with parameters bound at execution are compiled once, not per item.
    # preserve_rowcount: without it drivers need not report how many rows an INSERT wrote (psycopg does not).
    statement = INSERT_OR_NOTHING[dialect](SYNC_ITEMS).on_conflict_do_nothing()
    return statement.execution_options(preserve_rowcount=True)


def find_stored(session: Session, item_id: str) -> StoredItem | None:
    row = session.execute(select(*STORED_COLUMNS).where(SYNC_ITEMS.c.id == item_id)).first()
    return StoredItem(*row) if row is not None else None


def find_stored_batch(session: Session, raw_items: Sequence[Any]) -> dict[str, StoredItem]:
    """The items of a batch that are stored already, in one query rather than one per item."""
    ids = [item_id for raw in raw_items if (item_id := _canonical_id(raw))]
    if not ids:
        return {}
    rows = session.execute(select(SYNC_ITEMS.c.id, *STORED_COLUMNS).where(SYNC_ITEMS.c.id.in_(ids)))
    return {row.id: StoredItem(row.kind, row.content_hash, row.receipt) for row in rows}


def _canonical_id(raw: Any) -> str | None:
    # A peek before validation; an id that this reads differently from pydantic is merely not found here.
    try:
        return str(uuid.UUID(raw["id"]))
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _answer_for_existing(session: Session, existing: StoredItem, checked: CheckedItem) -> ItemResult:
    if existing.content_hash != checked.content_hash and not _completes(session, existing, checked):
        return ConflictResult(id=checked.sent_id, status="conflict", error=str(CONFLICT_MESSAGE))
    # The phone may never have seen the first answer (the connection dropped after the commit): it gets the
    # same receipt, and the same score, now.
    extras = STORED_EXTRAS[existing.kind](session, checked.id)
    return DuplicateResult(id=checked.sent_id, status="duplicate", receipt=existing.receipt, **extras)


def _completes(session: Session, existing: StoredItem, checked: CheckedItem) -> bool:
    """Whether different content is the fuller version of what is stored, and now stored in its place (a
    report that came first as a text message, then in full from the phone: see docs/reports.md)."""
    complete = COMPLETERS.get(checked.kind)
    if existing.kind != checked.kind or complete is None or not complete(session, checked):
        return False
    # From now on the full version is what a resend is compared with.
    session.execute(
        update(SYNC_ITEMS).where(SYNC_ITEMS.c.id == checked.id).values(content_hash=checked.content_hash)
    )
    return True


# --- one storing function per kind ------------------------------------------------------------------------


def store_quiz_attempt(session: Session, item: CheckedItem, catalog: Catalog) -> Extras:
    data = item.data
    assert isinstance(data, QuizAttemptData)
    quiz = catalog.quiz(data.locale, data.quiz_id)
    assert quiz is not None, "check_item lets only quizzes of the catalog through"
    graded = grade_quiz(quiz, {question: frozenset(chosen) for question, chosen in data.answers.items()})
    score = {"score": graded.score, "total": graded.total, "percent": graded.percent, "passed": graded.passed}
    session.execute(
        INSERT_QUIZ_ATTEMPT,
        {
            "id": item.id,
            "learner_id": str(data.learner_id) if data.learner_id else None,
            "quiz_id": quiz.id,
            "lesson_id": quiz.lesson_id,
            "locale": data.locale,
            "started_at": data.started_at,
            "finished_at": data.finished_at,
            "content_version": catalog.version,
            **score,
        },
    )
    session.execute(
        INSERT_QUIZ_ANSWER,
        [
            {
                "attempt_id": item.id,
                "question_id": result.question.id,
                "quiz_id": quiz.id,
                "chosen": sorted(result.chosen),
                "correct": result.correct,
            }
            for result in graded.questions
        ],
    )
    return score


def store_lesson_progress(session: Session, item: CheckedItem, catalog: Catalog) -> Extras:
    data = item.data
    assert isinstance(data, LessonProgressData)
    session.execute(
        INSERT_LESSON_PROGRESS,
        {
            "id": item.id,
            "learner_id": str(data.learner_id) if data.learner_id else None,
            "lesson_id": data.lesson_id,
            "locale": data.locale,
            "event": data.event,
            "at": data.at,
        },
    )
    return {}


def store_enrollment(session: Session, item: CheckedItem, catalog: Catalog) -> Extras:
    data = item.data
    assert isinstance(data, EnrollmentData)
    session.execute(
        INSERT_ENROLLMENT, {"id": item.id, "class_code": data.class_code, "nickname": data.nickname}
    )
    return {}


STORERS: dict[str, Callable[[Session, CheckedItem, Catalog], Extras]] = {
    "quiz_attempt": store_quiz_attempt,
    "lesson_progress": store_lesson_progress,
    "enrollment": store_enrollment,
}


def _stored_quiz_score(session: Session, item_id: str) -> Extras:
    columns = (QUIZ_ATTEMPTS.c.score, QUIZ_ATTEMPTS.c.total, QUIZ_ATTEMPTS.c.percent, QUIZ_ATTEMPTS.c.passed)
    row = session.execute(select(*columns).where(QUIZ_ATTEMPTS.c.id == item_id)).first()
    return dict(row._mapping) if row is not None else {}


def _no_extras(session: Session, item_id: str) -> Extras:
    return {}


STORED_EXTRAS: dict[str, Callable[[Session, str], Extras]] = {
    "quiz_attempt": _stored_quiz_score,
    "lesson_progress": _no_extras,
    "enrollment": _no_extras,
}
# Kinds whose stored content a later, fuller version may complete instead of conflicting with it.
COMPLETERS: dict[str, Callable[[Session, CheckedItem], bool]] = {}
# Checks that need the database, made before a new item is stored; each says what is wrong, field by field
# (an enrollment's class code must name a class: riskedu.teaching adds that check).
DATABASE_CHECKS: dict[str, Callable[[Session, CheckedItem], list[FieldError]]] = {}


def register_kind(
    kind: str,
    item_model: type[KindItem],
    store: Callable[[Session, CheckedItem, Catalog], Extras],
    stored_extras: Callable[[Session, str], Extras] = _no_extras,
    complete: Callable[[Session, CheckedItem], bool] | None = None,
    check: Callable[[Session, CheckedItem], list[FieldError]] | None = None,
) -> None:
    """Let another package's kind through the same checks and the same exactly-once storing (hazard_report
    registers itself from riskedu.reports, so sync needs to know nothing of reports)."""
    ACCEPTED_ITEMS[kind] = item_model
    STORERS[kind] = store
    STORED_EXTRAS[kind] = stored_extras
    if complete is not None:
        COMPLETERS[kind] = complete
    if check is not None:
        DATABASE_CHECKS[kind] = check
