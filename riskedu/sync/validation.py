"""Checking one sync item: its shape (the pydantic models in ``schemas``), then what only the content catalog
knows. Pure functions: no database, no request. Every problem comes out as a field path and plain words."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
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

DATETIME_MESSAGE = lazy_gettext(
    "must be a date and time in ISO 8601 with an offset, e.g. 2026-11-20T08:30:00+04:00"
)
# pydantic's error types, said the way a person reading a phone screen would understand them; translated
# when used (each item is checked in its sender's language) and filled with the error's context.
MESSAGES: dict[str, LazyString] = {
    "missing": lazy_gettext("is required"),
    "string_type": lazy_gettext("must be text"),
    "string_unicode": lazy_gettext("contains characters that are not text"),
    "string_too_long": lazy_gettext("must be at most %(max_length)s characters"),
    "uuid_type": lazy_gettext("must be a UUID as text"),
    "uuid_parsing": lazy_gettext("must be a UUID, e.g. 6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69"),
    "timezone_aware": lazy_gettext("must include a UTC offset, e.g. +04:00 or Z"),
    "dict_type": lazy_gettext("must be an object"),
    "model_type": lazy_gettext("must be an object"),
    "model_attributes_type": lazy_gettext("must be an object"),
    "list_type": lazy_gettext("must be a list"),
    "too_long": lazy_gettext("must have at most %(max_length)s entries"),
    "too_short": lazy_gettext("must have at least %(min_length)s entries"),
    "int_type": lazy_gettext("must be a whole number"),
    "int_parsing": lazy_gettext("must be a whole number"),
    "int_from_float": lazy_gettext("must be a whole number"),
    "float_type": lazy_gettext("must be a number"),
    "float_parsing": lazy_gettext("must be a number"),
    "finite_number": lazy_gettext("must be a number"),
    "bool_type": lazy_gettext("must be true or false"),
    "bool_parsing": lazy_gettext("must be true or false"),
    "greater_than_equal": lazy_gettext("must be at least %(ge)s"),
    "less_than_equal": lazy_gettext("must be at most %(le)s"),
    "greater_than": lazy_gettext("must be more than %(gt)s"),
    "less_than": lazy_gettext("must be less than %(lt)s"),
    "literal_error": lazy_gettext("must be %(expected)s"),
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
        if minimum == 1:
            return gettext("must not be empty")
        return gettext("must be at least %(minimum)s characters", minimum=minimum)
    if kind.startswith(("datetime_", "date_")):
        return str(DATETIME_MESSAGE)
    template = MESSAGES.get(kind)
    if template is None:
        return error["msg"]  # our own PydanticCustomError messages are plain (translated) words already
    return str(template) % context


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


def check_item(raw: Any, catalog: Catalog, *, keep_report: bool = False) -> CheckedItem | InvalidResult:
    """``keep_report``: a hazard report whose optional details cannot be read is stored without them (the
    result lists what was left out) rather than refused; for phones, whose person is not there to fix it."""
    sent_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    if not isinstance(raw, dict):
        return _invalid(
            None, [FieldError(field="item", message=gettext("must be an object with kind, id and data"))]
        )
    kind = raw.get("kind")
    model = ACCEPTED_ITEMS.get(kind) if isinstance(kind, str) else None
    if model is None:
        return _invalid(sent_id, _header_errors(raw))
    try:
        item = model.model_validate(raw, context={"keep_report": keep_report})
    except ValidationError as error:
        return _invalid(sent_id, field_errors(error))
    # Kinds whose data the schema checks completely (hazard_report) have no catalog check.
    catalog_check = CATALOG_CHECKS.get(kind)
    problems = catalog_check(item.data, catalog) if catalog_check else []
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
            message = gettext(
                "this server does not accept %(kind)s items yet; keep it and send it again later", kind=kind
            )
        else:
            message = gettext(
                "unknown kind %(kind)s: this server accepts %(kinds)s",
                kind=repr(kind),
                kinds=", ".join(ACCEPTED_ITEMS),
            )
        errors.insert(0, FieldError(field="kind", message=message))
    return errors


# --- what only the content catalog knows ------------------------------------------------------------------


def _unknown_locale(locale: str, catalog: Catalog) -> list[FieldError]:
    if locale in catalog.locales:
        return []
    message = gettext("this server has no lessons in the language %(locale)s", locale=repr(locale))
    return [FieldError(field="data.locale", message=message)]


def check_quiz_attempt(data: QuizAttemptData, catalog: Catalog) -> list[FieldError]:
    if problems := _unknown_locale(data.locale, catalog):
        return problems
    quiz = catalog.quiz(data.locale, data.quiz_id)
    if quiz is None:
        return [
            FieldError(
                field="data.quiz_id",
                message=gettext(
                    "there is no quiz %(quiz)s in %(locale)s", quiz=repr(data.quiz_id), locale=data.locale
                ),
            )
        ]
    problems = []
    for question_id, chosen in data.answers.items():
        where = f"data.answers.{question_id}"
        question = quiz.question(question_id)
        if question is None:
            message = gettext("the quiz has no question %(question)s", question=repr(question_id))
            problems.append(FieldError(field=where, message=message))
            continue
        unknown = [choice for choice in chosen if choice not in {c.id for c in question.choices}]
        if unknown:
            names = ", ".join(repr(choice) for choice in unknown)
            problems.append(
                FieldError(field=where, message=gettext("this question has no choice %(names)s", names=names))
            )
        elif len(chosen) > 1 and not question.allows_several:
            problems.append(
                FieldError(field=where, message=gettext("this question takes one answer, not several"))
            )
    return problems


def check_lesson_progress(data: LessonProgressData, catalog: Catalog) -> list[FieldError]:
    if problems := _unknown_locale(data.locale, catalog):
        return problems
    if catalog.lesson(data.locale, data.lesson_id) is None:
        message = gettext(
            "there is no lesson %(lesson)s in %(locale)s", lesson=repr(data.lesson_id), locale=data.locale
        )
        return [FieldError(field="data.lesson_id", message=message)]
    return []


def check_enrollment(data: EnrollmentData, catalog: Catalog) -> list[FieldError]:
    # Nothing in the content catalog: whether a class has this code is a database check (riskedu.teaching).
    return []


CATALOG_CHECKS: dict[str, Callable[[Any, Catalog], list[FieldError]]] = {
    "quiz_attempt": check_quiz_attempt,
    "lesson_progress": check_lesson_progress,
    "enrollment": check_enrollment,
}
