"""The shapes the sync API accepts and answers, as pydantic models.

The same models validate requests and generate the OpenAPI description (``openapi.py``), so the published
contract cannot drift from what the server checks. Messages raised here are shown to people as they are:
gettext strings, translated when raised (each item is checked in its sender's language).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal
from uuid import UUID

from flask_babel import gettext, lazy_gettext
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from riskedu.database import utcnow
from riskedu.i18n.digits import ascii_digits, ascii_digits_in

MAX_ITEMS = 100
MAX_BODY_BYTES = 1024 * 1024
# Phones' clocks drift; a timestamp a little ahead of the server's is still believed.
CLOCK_SKEW = dt.timedelta(minutes=5)
CLASS_CODE_PATTERN = r"^[A-HJ-NP-Z2-9]{6}$"
LOCALE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
NICKNAME_MAX_LENGTH = 40
# Seven digits make a phone number in most numbering plans; nicknames like "Aysel2014" stay allowed.
PHONE_NUMBER_MIN_DIGITS = 7
CONFLICT_MESSAGE = lazy_gettext("this id was already stored with different content")


class Incoming(BaseModel):
    # Fields a newer app may add are ignored rather than refused, so old servers keep accepting new phones.
    # They are not stored, and so take no part in the duplicate comparison either.
    model_config = ConfigDict(extra="ignore", frozen=True)


# --- shared field types -------------------------------------------------------------------------------


def _iso_text(value: object) -> object:
    # pydantic would also read Unix times from numbers; the contract says ISO 8601, so every client is held
    # to the one form.
    if isinstance(value, str):
        return ascii_digits(value)
    if isinstance(value, dt.datetime):
        return value
    raise PydanticCustomError(
        "timestamp_type", gettext("must be a date and time as text, e.g. 2026-11-20T08:30:00+04:00")
    )


def _not_in_future_as_utc(value: dt.datetime) -> dt.datetime:
    if value - utcnow() > CLOCK_SKEW:
        raise PydanticCustomError(
            "timestamp_in_future", gettext("must not be in the future (check the phone's clock)")
        )
    # Stored as UTC, so compared as UTC: the same instant written with another offset is the same item.
    return value.astimezone(dt.UTC)


Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_text),
    AfterValidator(_not_in_future_as_utc),
    Field(description="ISO 8601 with a UTC offset; not more than 5 minutes ahead of the server's clock."),
]


def _locale_shape(value: str) -> str:
    if not re.fullmatch(LOCALE_PATTERN, value):
        raise PydanticCustomError("locale_shape", gettext("must be a language code such as en, az, ru or ar"))
    return value


LocaleCode = Annotated[
    str,
    Field(max_length=35, json_schema_extra={"pattern": LOCALE_PATTERN}),
    AfterValidator(_locale_shape),
]
ContentId = Annotated[
    str,
    Field(min_length=1, max_length=80, description="An id from the content catalog, e.g. danger-signs."),
]


def _sorted_unique(values: list[str]) -> list[str]:
    # A set of choices: order and repeats carry no meaning, so they must not make two copies differ.
    return sorted(set(values))


ChoiceIds = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=80)]],
    Field(max_length=20),
    AfterValidator(_sorted_unique),
]


# --- the request envelope -------------------------------------------------------------------------------


class ClientInfo(Incoming):
    """The app install (or third-party system) sending the batch."""

    id: UUID = Field(description="A random UUID made once per app install.")
    app_version: Annotated[str, Field(min_length=1, max_length=40)]
    # Informational only; a wrong value must not stop a whole outbox (a service worker may not know it).
    locale: Annotated[str, Field(max_length=35, description="The app's language, e.g. az; may be empty.")]


class SyncEnvelope(Incoming):
    """What the view checks as a whole; each item is checked on its own so one bad item stops nothing."""

    client: ClientInfo
    items: list[Any]


class ItemHeader(Incoming):
    """The part every item has whatever its kind."""

    kind: Annotated[str, Field(max_length=40)]
    id: UUID = Field(description="A UUID made on the phone when the thing was created; never reused.")


# --- kinds --------------------------------------------------------------------------------------------------


def _finished_after_start(value: dt.datetime, info: ValidationInfo) -> dt.datetime:
    started = info.data.get("started_at")
    if started is not None and value < started:
        raise PydanticCustomError("finished_before_start", gettext("must not be before started_at"))
    return value


class QuizAttemptData(Incoming):
    """A quiz finished on the phone. The server grades it again against its own answer key."""

    quiz_id: ContentId
    locale: LocaleCode
    learner_id: UUID | None = Field(
        default=None, description="The learner's id once they joined a class; absent before."
    )
    started_at: Timestamp
    finished_at: Annotated[Timestamp, AfterValidator(_finished_after_start)]
    answers: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=80)], ChoiceIds],
        Field(
            max_length=100,
            description="Question id to the ids of the chosen choices; a question left out counts as wrong.",
        ),
    ]


class LessonProgressData(Incoming):
    """A learner opened or finished a lesson."""

    lesson_id: ContentId
    locale: LocaleCode
    event: Literal["opened", "completed"]
    at: Timestamp
    learner_id: UUID | None = Field(
        default=None, description="The learner's id once they joined a class; absent before."
    )


def _class_code_shape(value: object) -> object:
    # Read out loud and typed on small keyboards: case and stray spaces are forgiven.
    return value.strip().upper() if isinstance(value, str) else value


def _check_class_code(value: str) -> str:
    if not re.fullmatch(CLASS_CODE_PATTERN, value):
        raise PydanticCustomError(
            "class_code_shape", gettext("must be 6 letters and digits, without 0, O, 1 or I (e.g. K7Q4M2)")
        )
    return value


def _check_nickname(value: str) -> str:
    # Learners are a nickname and a random id, nothing that identifies or reaches a child.
    nickname = unicodedata.normalize("NFC", value).strip()
    if not nickname:
        raise PydanticCustomError("nickname_empty", gettext("must not be empty"))
    if len(nickname) > NICKNAME_MAX_LENGTH:
        raise PydanticCustomError(
            "nickname_too_long", gettext("must be at most %(max)s characters", max=NICKNAME_MAX_LENGTH)
        )
    if any(unicodedata.category(character) == "Cc" for character in nickname):
        raise PydanticCustomError("nickname_control", gettext("must be one line of text"))
    if "@" in nickname:
        raise PydanticCustomError("nickname_email", gettext("must be a nickname, not an e-mail address"))
    if sum(character.isdecimal() for character in nickname) >= PHONE_NUMBER_MIN_DIGITS:
        raise PydanticCustomError("nickname_phone", gettext("must be a nickname, not a phone number"))
    return nickname


class EnrollmentData(Incoming):
    """A learner joining a class. The item id is the learner's id from then on."""

    class_code: Annotated[
        str,
        BeforeValidator(_class_code_shape),
        # Before validators run last-listed first: the digits are ASCII before the shape is checked.
        BeforeValidator(ascii_digits_in),
        AfterValidator(_check_class_code),
        Field(
            json_schema_extra={"pattern": CLASS_CODE_PATTERN},
            description="The teacher's 6-character class code; lower case is accepted.",
        ),
    ]
    nickname: Annotated[
        str,
        AfterValidator(_check_nickname),
        Field(
            json_schema_extra={"minLength": 1, "maxLength": NICKNAME_MAX_LENGTH},
            description="1 to 40 characters after trimming; never an e-mail address or a phone number.",
        ),
    ]


class KindItem(ItemHeader):
    """An item of a kind this server stores; each kind narrows ``data`` to its own model."""

    data: Incoming


class QuizAttemptItem(KindItem):
    kind: Literal["quiz_attempt"]
    data: QuizAttemptData


class LessonProgressItem(KindItem):
    kind: Literal["lesson_progress"]
    data: LessonProgressData


class EnrollmentItem(KindItem):
    kind: Literal["enrollment"]
    id: UUID = Field(description="The learner's id: a UUID made on the phone when the learner joined.")
    data: EnrollmentData


# Kinds other packages store register themselves here (``services.register_kind``), e.g. hazard_report.
ACCEPTED_ITEMS: dict[str, type[KindItem]] = {
    "quiz_attempt": QuizAttemptItem,
    "lesson_progress": LessonProgressItem,
    "enrollment": EnrollmentItem,
}
# Kinds the protocol names that this server does not take yet; they are answered per item, never fatally.
NOT_YET_ACCEPTED: tuple[str, ...] = ()


# --- answers --------------------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str = Field(description="Where the problem is, e.g. data.answers.q9 or data.location.lat.")
    message: str = Field(description="What is wrong, in plain words.")


def _absent(value: object) -> bool:
    # Optional answer fields are left out rather than sent as null, as the protocol's examples show.
    return value is None


def _no_null_defaults(schema: dict[str, Any]) -> None:
    # ...and so the published schema shows no null default for them either.
    for field in schema.get("properties", {}).values():
        if "default" in field and field["default"] is None:
            del field["default"]


class ReceiptResult(BaseModel):
    """An item the server holds. Quiz attempts add the server's own grading."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    id: str = Field(description="The id as sent.")
    status: str
    receipt: str = Field(description="A code like RK7-Q4M to read out on a phone call.")
    score: int | SkipJsonSchema[None] = Field(
        default=None, exclude_if=_absent, description="quiz_attempt only: questions answered right."
    )
    total: int | SkipJsonSchema[None] = Field(
        default=None, exclude_if=_absent, description="quiz_attempt only: questions in the quiz."
    )
    percent: int | SkipJsonSchema[None] = Field(
        default=None, exclude_if=_absent, description="quiz_attempt only: score as a whole percentage."
    )
    passed: bool | SkipJsonSchema[None] = Field(
        default=None, exclude_if=_absent, description="quiz_attempt only: percent reached the pass mark."
    )
    class_name: str | SkipJsonSchema[None] = Field(
        default=None, exclude_if=_absent, description="enrollment only: the name of the class joined."
    )
    dropped: list[FieldError] | SkipJsonSchema[None] = Field(
        default=None,
        exclude_if=_absent,
        description="hazard_report only: optional details (contact, count, …) that could not be read and "
        "were left out; the report itself was stored.",
    )


class StoredResult(ReceiptResult):
    status: Literal["stored"]


class DuplicateResult(ReceiptResult):
    """Stored before with the same content: the receipt (and score) are those of the first time."""

    status: Literal["duplicate"]


class ConflictResult(BaseModel):
    id: str
    status: Literal["conflict"]
    error: str


class InvalidResult(BaseModel):
    id: str | None = Field(description="The id as sent; null when the item had no id as text.")
    status: Literal["invalid"]
    errors: list[FieldError]


ItemResult = Annotated[
    StoredResult | DuplicateResult | ConflictResult | InvalidResult, Field(discriminator="status")
]


class SyncResponse(BaseModel):
    results: list[ItemResult] = Field(description="One result per item, in request order.")
    server_time: AwareDatetime = Field(description="The server's clock, in UTC; phones may correct theirs.")


class ErrorBody(BaseModel):
    """Every whole-request error."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    error: str
    errors: list[FieldError] | SkipJsonSchema[None] = Field(
        default=None, exclude_if=_absent, description="Present where there are several."
    )
