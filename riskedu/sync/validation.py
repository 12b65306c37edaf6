"""Checking one sync item: its shape (the pydantic models in ``schemas``), then what only the content catalog
knows. Pure functions: no database, no request. Every problem comes out as a field path and plain words."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from riskedu.content.model import Catalog
from riskedu.sync.schemas import (
    ACCEPTED_ITEMS,
    NOT_YET_ACCEPTED,
    EnrollmentData,
    FieldError,
    InvalidResult,
    ItemHeader,
    LessonProgressData,
    QuizAttemptData,
)

DATETIME_MESSAGE = "must be a date and time in ISO 8601 with an offset, e.g. 2026-11-20T08:30:00+04:00"
# pydantic's error types, said the way a person reading a phone screen would understand them.
MESSAGES: dict[str, str] = {
    "missing": "is required",
    "string_type": "must be text",
    "string_too_long": "must be at most {max_length} characters",
    "uuid_type": "must be a UUID as text",
    "uuid_parsing": "must be a UUID, e.g. 6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69",
    "timezone_aware": "must include a UTC offset, e.g. +04:00 or Z",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be a list",
    "too_long": "must have at most {max_length} entries",
    "too_short": "must have at least {min_length} entries",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be more than {gt}",
    "less_than": "must be less than {lt}",
    "literal_error": "must be {expected}",
}


@dataclass(frozen=True)
class CheckedItem:
    """An item that passed every check, ready to be stored."""

    kind: str
    id: str  # the UUID in its canonical text form: the primary key
    sent_id: str  # as the client wrote it, echoed back so it can match results by id
    data: BaseModel
    content_hash: str


def plain_message(error: ErrorDetails) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "string_too_short":
        minimum = context.get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"must be at least {minimum} characters"
    if kind.startswith(("datetime_", "date_")):
        return DATETIME_MESSAGE
    template = MESSAGES.get(kind)
    if template is None:
        return error["msg"]  # our own PydanticCustomError messages are plain words already
    return template.format(**context)


def field_path(location: Sequence[int | str], prefix: str = "") -> str:
    # Dict keys that fail validation get a "[key]" marker after them; the key itself is the useful part.
    parts = [str(part) for part in location if part != "[key]"]
    return ".".join([prefix, *parts] if prefix else parts) or "item"


def field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    return [
        FieldError(field=field_path(detail["loc"], prefix), message=plain_message(detail))
        for detail in error.errors(include_url=False)
    ]


def content_hash(kind: str, data: BaseModel) -> str:
    """A fingerprint of what gets stored, so a resend compares equal however its JSON was written: key order,
    spacing, time-zone offsets, the order of chosen answers and letter case of UUIDs do not matter."""
    canonical = json.dumps(
        {"kind": kind, "data": data.model_dump(mode="json")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_item(raw: Any, catalog: Catalog) -> CheckedItem | InvalidResult:
    sent_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    if not isinstance(raw, dict):
        return _invalid(None, [FieldError(field="item", message="must be an object with kind, id and data")])
    kind = raw.get("kind")
    model = ACCEPTED_ITEMS.get(kind) if isinstance(kind, str) else None
    if model is None:
        return _invalid(sent_id, _header_errors(raw))
    try:
        item = model.model_validate(raw)
    except ValidationError as error:
        return _invalid(sent_id, field_errors(error))
    problems = CATALOG_CHECKS[kind](item.data, catalog)
    if problems:
        return _invalid(sent_id, problems)
    return CheckedItem(kind, str(item.id), sent_id or str(item.id), item.data, content_hash(kind, item.data))


def _invalid(sent_id: str | None, errors: list[FieldError]) -> InvalidResult:
    return InvalidResult(id=sent_id, status="invalid", errors=errors)


def _header_errors(raw: dict[str, Any]) -> list[FieldError]:
    """For an item whose kind this server does not take: what is wrong with its kind and id."""
    errors: list[FieldError] = []
    try:
        ItemHeader.model_validate(raw)
    except ValidationError as error:
        errors = field_errors(error)
    if not any(problem.field == "kind" for problem in errors):
        kind = raw["kind"]
        if kind in NOT_YET_ACCEPTED:
            message = f"this server does not accept {kind} items yet; keep it and send it again later"
        else:
            message = f"unknown kind {kind!r}: this server accepts {', '.join(ACCEPTED_ITEMS)}"
        errors.insert(0, FieldError(field="kind", message=message))
    return errors


# --- what only the content catalog knows ------------------------------------------------------------------


def _unknown_locale(locale: str, catalog: Catalog) -> list[FieldError]:
    if locale in catalog.locales:
        return []
    return [FieldError(field="data.locale", message=f"this server has no lessons in the language {locale!r}")]


def check_quiz_attempt(data: QuizAttemptData, catalog: Catalog) -> list[FieldError]:
    if problems := _unknown_locale(data.locale, catalog):
        return problems
    quiz = catalog.quiz(data.locale, data.quiz_id)
    if quiz is None:
        return [
            FieldError(field="data.quiz_id", message=f"there is no quiz {data.quiz_id!r} in {data.locale}")
        ]
    problems = []
    for question_id, chosen in data.answers.items():
        where = f"data.answers.{question_id}"
        question = quiz.question(question_id)
        if question is None:
            problems.append(FieldError(field=where, message=f"the quiz has no question {question_id!r}"))
            continue
        unknown = [choice for choice in chosen if choice not in {c.id for c in question.choices}]
        if unknown:
            names = ", ".join(repr(choice) for choice in unknown)
            problems.append(FieldError(field=where, message=f"this question has no choice {names}"))
        elif len(chosen) > 1 and not question.allows_several:
            problems.append(FieldError(field=where, message="this question takes one answer, not several"))
    return problems


def check_lesson_progress(data: LessonProgressData, catalog: Catalog) -> list[FieldError]:
    if problems := _unknown_locale(data.locale, catalog):
        return problems
    if catalog.lesson(data.locale, data.lesson_id) is None:
        message = f"there is no lesson {data.lesson_id!r} in {data.locale}"
        return [FieldError(field="data.lesson_id", message=message)]
    return []


def check_enrollment(data: EnrollmentData, catalog: Catalog) -> list[FieldError]:
    # Classes do not exist on the server yet (a later issue): the class code is kept as given.
    return []


CATALOG_CHECKS: dict[str, Callable[[Any, Catalog], list[FieldError]]] = {
    "quiz_attempt": check_quiz_attempt,
    "lesson_progress": check_lesson_progress,
    "enrollment": check_enrollment,
}
