"""``hazard_report`` data, exactly as shared/sync-protocol.md says, as a pydantic model. The sync API
validates items with it (the kind registers itself with sync) and publishes it in its OpenAPI description;
the form without JavaScript and the SMS gateway build the same data and go through the same checks.

Messages are gettext strings, translated when raised, in the reporter's language."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal, get_args

from flask_babel import gettext
from pydantic import AfterValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from riskedu.reports.authorship import AUTHOR_SECRET_HEADER, SECRET_PATTERN
from riskedu.sync.schemas import Incoming, KindItem, LocaleCode, Timestamp

WhatKind = Literal[
    "mine",
    "tripwire",
    "shell",
    "rocket",
    "mortar",
    "grenade",
    "cluster_submunition",
    "booby_trap",
    "unknown",
]
NearKind = Literal["home", "school", "path", "road", "field", "pasture", "water", "forest", "ruins", "other"]
Marked = Literal["yes", "no", "unknown"]
# The allowed values are the protocol's; the tuples are derived so they can never drift from the types.
WHAT_KINDS: tuple[str, ...] = get_args(WhatKind)
NEAR_KINDS: tuple[str, ...] = get_args(NearKind)
MARKED_VALUES: tuple[str, ...] = get_args(Marked)
LOCATION_SOURCES = ("gps", "map", "none")
REPORT_STATUSES = (
    "received",
    "under_review",
    "verified",
    "referred",
    "cleared",
    "no_evidence",
    "duplicate",
)

PLACE_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 2000
COUNT_MAX = 10_000
# Not in the protocol, which only says "0 or more": a bound keeps the number inside a database integer.
INJURED_MAX = 10_000
REPORTER_NAME_MAX_LENGTH = 100
REPORTER_PHONE_MAX_LENGTH = 30
# A GPS fix worse than 50 km says nothing about where the object is.
ACCURACY_MAX_M = 50_000
PHONE_CHARACTERS = frozenset("0123456789+-() ./")
PHONE_MIN_DIGITS = 3

LocationSource = Literal["gps", "map", "none"]
ReportStatus = Literal[
    "received", "under_review", "verified", "referred", "cleared", "no_evidence", "duplicate"
]


def _text_checks(value: str, *, one_line: bool) -> str:
    # Stored as given and escaped wherever shown; refused only where it cannot be stored or read back as
    # text: control characters (PostgreSQL refuses NUL) and halves of UTF-16 pairs (not encodable).
    allowed = "" if one_line else "\n\r\t"
    for character in value:
        if unicodedata.category(character) == "Cs":
            raise PydanticCustomError("text_encoding", gettext("contains characters that are not text"))
        if unicodedata.category(character) == "Cc" and character not in allowed:
            if one_line and character in "\n\r":
                raise PydanticCustomError("text_one_line", gettext("must be one line of text"))
            raise PydanticCustomError("text_control", gettext("contains characters that are not text"))
    return value


def _free_text(value: str) -> str:
    return _text_checks(value, one_line=False)


def _one_line(value: str) -> str:
    return _text_checks(value, one_line=True)


def _sorted_unique(values: list[str]) -> list[str]:
    # A set of choices: order and repeats carry no meaning, so they must not make two copies differ.
    return sorted(set(values))


def _at_least_one(values: list[str]) -> list[str]:
    if not values:
        raise PydanticCustomError("choose_one", gettext("choose at least one"))
    return values


def _phone_number(value: str) -> str:
    if any(character not in PHONE_CHARACTERS for character in value) or (
        sum(character.isdigit() for character in value) < PHONE_MIN_DIGITS
    ):
        raise PydanticCustomError(
            "phone_shape", gettext("must be a phone number: digits, spaces and + - ( ) only")
        )
    return value


class Location(Incoming):
    """A position, from the phone's GPS or a pin on a map, taken from where the reporter already stood."""

    lat: Annotated[float, Field(ge=-90, le=90, strict=True, description="Latitude, WGS 84 degrees.")]
    lon: Annotated[float, Field(ge=-180, le=180, strict=True, description="Longitude, WGS 84 degrees.")]
    accuracy_m: Annotated[
        float | None,
        Field(ge=0, le=ACCURACY_MAX_M, strict=True, description="Radius of the likely position in metres."),
    ] = None
    source: LocationSource = Field(
        default="none", description="gps: the phone's position; map: a pin the person dropped; none: other."
    )


class Reporter(Incoming):
    """Who reports and how to call them back: both optional, and shown to operators only."""

    name: Annotated[str, Field(max_length=REPORTER_NAME_MAX_LENGTH), AfterValidator(_one_line)] | None = None
    phone: (
        Annotated[
            str,
            Field(max_length=REPORTER_PHONE_MAX_LENGTH, description="Digits, spaces and + - ( ) . / only."),
            AfterValidator(_phone_number),
        ]
        | None
    ) = None


class HazardReportData(Incoming):
    """A suspicious object someone saw. At least one of `place` and `location` is required. `injured` above 0
    makes the report urgent. Free text is stored as given and never interpreted as HTML."""

    observed_at: Timestamp
    what: Annotated[
        list[WhatKind],
        Field(max_length=len(WHAT_KINDS), json_schema_extra={"minItems": 1}),
        AfterValidator(_at_least_one),
        AfterValidator(_sorted_unique),
    ]
    description: (
        Annotated[str, Field(max_length=DESCRIPTION_MAX_LENGTH), AfterValidator(_free_text)] | None
    ) = None
    count: Annotated[int, Field(ge=1, le=COUNT_MAX, strict=True)] | None = None
    location: Location | None = None
    # After `location`, so its check can see whether a valid position came with the report.
    place: Annotated[str, Field(max_length=PLACE_MAX_LENGTH), AfterValidator(_free_text)] | None = Field(
        default=None, validate_default=True
    )
    marked: Marked = "unknown"
    injured: (
        Annotated[
            int, Field(ge=0, le=INJURED_MAX, strict=True, description="People hurt; absent: not known.")
        ]
        | None
    ) = None
    near: Annotated[list[NearKind], Field(max_length=len(NEAR_KINDS)), AfterValidator(_sorted_unique)] = (
        Field(default_factory=list)
    )
    reporter: Reporter | None = None
    locale: LocaleCode | None = Field(default=None, description="The reporter's language, e.g. az.")
    # repr=False: a secret stays out of log lines and tracebacks.
    author_secret: Annotated[str, Field(pattern=SECRET_PATTERN)] | None = Field(
        default=None,
        repr=False,
        description=(
            "Proof of authorship: a random secret the phone made for this report (at least 128 bits, "
            "base64url, 22-128 characters). The server keeps only its SHA-256; photo uploads send it in the "
            f"{AUTHOR_SECRET_HEADER} header. Never shown to anyone."
        ),
    )

    @field_validator("place")
    @classmethod
    def _place_or_location(cls, place: str | None, info: ValidationInfo) -> str | None:
        if (place is None or not place.strip()) and info.data.get("location") is None:
            raise PydanticCustomError(
                "place_or_location", gettext("describe the place, or give a position (at least one of them)")
            )
        return place

    @property
    def urgent(self) -> bool:
        return bool(self.injured)


class HazardReportItem(KindItem):
    kind: Literal["hazard_report"]
    data: HazardReportData
