"""Writing reports: from the form without JavaScript, photos, text messages from the SMS gateway, and status
changes. Every report goes through sync's ``store_item``, so it is checked and deduplicated the one way the
sync API does it. Functions take a session and values, never the request; they only write (the caller
commits)."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import update
from sqlalchemy.orm import Session

from riskedu.content.model import Catalog
from riskedu.database import utcnow
from riskedu.i18n.locales import locale_codes
from riskedu.reports.models import HazardReport, ReportPhoto
from riskedu.reports.photos import (
    EXTENSIONS,
    MAX_PHOTO_BYTES,
    ImageWorkBusy,
    NotAnImage,
    PreparedPhoto,
    TooManyPixels,
    image_work,
    prepare_photo,
)
from riskedu.reports.queries import photo_count, stored_photo
from riskedu.reports.schemas import REPORT_STATUSES
from riskedu.reports.sms import SmsFormatError, SmsReport, parse_sms, reduced
from riskedu.reports.storage import MediaStorage
from riskedu.reports.store import report_data, stored_report
from riskedu.sync.schemas import (
    CONFLICT_MESSAGE,
    ClientInfo,
    ConflictResult,
    DuplicateResult,
    FieldError,
    InvalidResult,
    ItemResult,
    StoredResult,
)
from riskedu.sync.services import INSERT_OR_NOTHING, find_stored, store_item
from riskedu.sync.validation import check_item

# The "app installs" that reports from the form and from the SMS gateway are recorded under.
FORM_CLIENT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "riskedu:report-form")
SMS_CLIENT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "riskedu:sms-gateway")
# The form takes one photo, the phone one; a few more leave room for other clients, and no more.
MAX_PHOTOS_PER_REPORT = 5

REPORTS = HazardReport.__table__
PHOTOS = ReportPhoto.__table__


# --- the form without JavaScript ----------------------------------------------------------------------------


def submit_report(
    session: Session, catalog: Catalog, data: dict[str, Any], locale: str, report_id: str | None = None
) -> StoredResult | DuplicateResult | InvalidResult | ConflictResult:
    """Store a report from the form under a new id (or ``report_id``); the result says stored or why not."""
    raw = {"kind": "hazard_report", "id": report_id or str(uuid.uuid4()), "data": data}
    client = ClientInfo(id=FORM_CLIENT_ID, app_version="web-form", locale=locale)
    result = store_item(session, client, raw, catalog)
    if isinstance(result, StoredResult):
        _set_channel(session, str(raw["id"]), "form")
    return result


def _set_channel(session: Session, report_id: str, channel: str, **extra: Any) -> None:
    session.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(channel=channel, **extra))


def set_report_status(session: Session, report_id: str, status: str) -> bool:
    """For operators (their screens come in a later issue): a report's status, as its reporter sees it."""
    if status not in REPORT_STATUSES:
        raise ValueError(f"unknown report status {status!r}")
    changed = session.execute(
        update(REPORTS).where(REPORTS.c.id == report_id).values(status=status, status_updated_at=utcnow())
    )
    return changed.rowcount == 1


# --- photos ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoAnswer:
    """The HTTP status the protocol gives this outcome, and what went wrong in plain words."""

    status: int
    error: str | None = None


def prepare_upload(body: bytes, concurrency: int, wait_seconds: float) -> PreparedPhoto | PhotoAnswer:
    """Everything slow about a photo (decoding every pixel, the copy without metadata), done before the
    database is touched and a few at a time (review H-1): 413 too large, 415 not an accepted image, 503 the
    server is busy decoding others."""
    if len(body) > MAX_PHOTO_BYTES:
        return PhotoAnswer(413, _too_large())
    try:
        with image_work(concurrency, wait_seconds):
            return prepare_photo(body)
    except TooManyPixels:
        return PhotoAnswer(413, _too_large())
    except NotAnImage:
        return PhotoAnswer(
            415, gettext("this is not a photo of an accepted type (JPEG, WebP or PNG), or it is damaged")
        )
    except ImageWorkBusy:
        return PhotoAnswer(503, gettext("the server is busy; send the photo again in a minute"))


def store_photo(
    session: Session, storage: MediaStorage, report_id: str, photo_id: str, photo: PreparedPhoto
) -> PhotoAnswer:
    """Store a prepared photo: 201 stored, 200 the same bytes again, 409 this photo id holds other bytes (or
    the report has all its photos), 404 no such report yet. Quick: this runs inside the transaction."""
    if stored_report(session, report_id) is None:
        return PhotoAnswer(404, gettext("there is no such report yet; send the report first"))
    digest = photo.sha256
    if (answer := _answer_for_stored_photo(session, report_id, photo_id, digest)) is not None:
        return answer
    if photo_count(session, report_id) >= MAX_PHOTOS_PER_REPORT:
        return PhotoAnswer(
            409, gettext("a report can have at most %(count)s photos", count=MAX_PHOTOS_PER_REPORT)
        )
    image = photo.image
    # Keys carry the hash: two different uploads racing for one photo id never overwrite each other's file.
    stem = f"reports/{report_id}/{photo_id}-{digest[:16]}"
    extension = EXTENSIONS[image.content_type]
    original_key, public_key = f"{stem}.original.{extension}", f"{stem}.public.{extension}"
    storage.save(original_key, photo.original)
    storage.save(public_key, photo.public)
    row = {
        "id": photo_id,
        "report_id": report_id,
        "sha256": digest,
        "content_type": image.content_type,
        "byte_size": len(photo.original),
        "width": image.width,
        "height": image.height,
        "original_key": original_key,
        "public_key": public_key,
        "received_at": utcnow(),
    }
    statement = INSERT_OR_NOTHING[session.get_bind().dialect.name](PHOTOS).on_conflict_do_nothing()
    inserted = session.execute(statement.execution_options(preserve_rowcount=True), row).rowcount == 1
    if not inserted:  # the same photo id arrived in another request since we looked
        return _answer_for_stored_photo(session, report_id, photo_id, digest) or PhotoAnswer(409)
    return PhotoAnswer(201)


def _too_large() -> str:
    return gettext("the photo is too large: at most %(size)s MB", size=MAX_PHOTO_BYTES // (1024 * 1024))


def _answer_for_stored_photo(
    session: Session, report_id: str, photo_id: str, digest: str
) -> PhotoAnswer | None:
    existing = stored_photo(session, photo_id)
    if existing is None:
        return None
    if existing.report_id == report_id and existing.sha256 == digest:
        return PhotoAnswer(200)
    return PhotoAnswer(409, gettext("this photo id was already stored with a different photo"))


# --- text messages from the SMS gateway -------------------------------------------------------------------


@dataclass(frozen=True)
class SmsAnswer:
    status: str  # stored, duplicate, conflict or invalid, as for sync items
    report_id: str | None = None
    receipt: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    locale: str | None = None


def receive_sms(session: Session, catalog: Catalog, sender: str, text: str) -> SmsAnswer:
    """Store the report an RK1 text message carries, idempotent by its report id. A message of a report that
    is stored already (from an earlier message, or in full from the phone) is a duplicate when everything it
    carries matches what is stored, and a conflict otherwise."""
    try:
        message = parse_sms(text)
    except SmsFormatError as error:
        return SmsAnswer("invalid", errors=[FieldError(field=f"text.{error.part}", message=error.problem)])
    known = message.locale in locale_codes()
    with force_locale(message.locale) if known else nullcontext():
        return _receive_sms(session, catalog, sender, message)


def _receive_sms(session: Session, catalog: Catalog, sender: str, message: SmsReport) -> SmsAnswer:
    raw = {"kind": "hazard_report", "id": message.report_id, "data": message.report_data()}
    checked = check_item(raw, catalog)
    if isinstance(checked, InvalidResult):
        return SmsAnswer("invalid", message.report_id, errors=checked.errors, locale=message.locale)
    if find_stored(session, checked.id) is None:
        client = ClientInfo(id=SMS_CLIENT_ID, app_version="sms-gateway", locale=message.locale or "")
        result: ItemResult = store_item(session, client, raw, catalog)
        if isinstance(result, StoredResult):
            _set_channel(
                session, checked.id, "sms", sms_sender=sender[:40] or None, author_hash=message.proof
            )
            return SmsAnswer("stored", checked.id, result.receipt, locale=message.locale)
        if isinstance(result, DuplicateResult):
            return SmsAnswer("duplicate", checked.id, result.receipt, locale=message.locale)
    # Stored before, by another message or by the phone: compare what a message of each would carry.
    existing = find_stored(session, checked.id)
    report = stored_report(session, checked.id)
    assert existing is not None
    if report is not None and reduced(checked.id, report_data(report)) == reduced(checked.id, checked.data):
        return SmsAnswer("duplicate", checked.id, existing.receipt, locale=message.locale)
    return SmsAnswer(
        "conflict",
        checked.id,
        errors=[FieldError(field="id", message=str(CONFLICT_MESSAGE))],
        locale=message.locale,
    )
