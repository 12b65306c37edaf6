"""Report pages (``/<locale>/report``, ``/<locale>/reports/…``) and the reports part of ``/api/v1``: photo
upload, report status, and the SMS gateway's inbound messages."""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
import zoneinfo
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from riskedu.content import content_catalog
from riskedu.database import db_session, utcnow
from riskedu.i18n import best_locale_for_request, locale_codes
from riskedu.reports.authorship import AUTHOR_SECRET_HEADER, proves
from riskedu.reports.form import FormInput, form_data, form_errors, read_form
from riskedu.reports.photos import (
    ACCEPTED_FORMATS,
    MAX_PHOTO_BYTES,
    SHRINK_LONG_SIDE,
    ImageWorkBusy,
    NotAnImage,
    PreparedPhoto,
    TooManyPixels,
    check_image,
    image_work,
    prepare_photo,
    shrunk_for_upload,
)
from riskedu.reports.queries import report_author, report_receipt, report_status
from riskedu.reports.schemas import NEAR_KINDS, WHAT_KINDS
from riskedu.reports.services import (
    PhotoAnswer,
    SmsAnswer,
    prepare_upload,
    receive_sms,
    store_photo,
    submit_report,
)
from riskedu.reports.storage import media_storage
from riskedu.reports.words import MARKED_LABELS, NEAR_LABELS, STATUS_LABELS, WHAT_LABELS, report_words
from riskedu.sync.schemas import FieldError, InvalidResult
from riskedu.sync.validation import check_item
from riskedu.web.csrf import public_form
from riskedu.web.limits import retry_after, spend
from riskedu.web.localized import localized_blueprint

reports = localized_blueprint("reports", __name__, template_folder="templates")
reports_api = Blueprint("reports_api", __name__, url_prefix="/api/v1")
ACCEPTED_TYPES = frozenset(ACCEPTED_FORMATS.values())


# --- pages --------------------------------------------------------------------------------------------------


def map_tiles() -> str | None:
    """The tile URL template for the reporter's pin, when the deployment serves tiles itself. Never a third
    party's: the page's Content-Security-Policy would refuse it anyway, and a tile request tells a server
    where the person is."""
    url = current_app.config.get("MAP_TILE_URL") or None
    return url if url and url.startswith("/") and not url.startswith("//") else None


def _form_page(
    form: FormInput | None = None, errors: dict[str, list[str]] | None = None, status: int = 200
) -> Any:
    site = content_catalog().site
    body = render_template(
        "reports/report.html",
        form=form or FormInput(),
        errors=errors or {},
        what_kinds=[(kind, WHAT_LABELS[kind]) for kind in WHAT_KINDS],
        near_kinds=[(kind, NEAR_LABELS[kind]) for kind in NEAR_KINDS],
        marked_choices=list(MARKED_LABELS.items()),
        words=report_words(),
        page_config={
            "mineUrl": url_for("reports.my_reports"),
            "maxLongSide": SHRINK_LONG_SIDE,
            "targetBytes": 300 * 1024,
            "tiles": map_tiles(),
            "tileAttribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
            "mapStart": [float(part) for part in str(current_app.config["MAP_START"]).split(",")][:3],
            "emergencyNumber": site.emergency_numbers[0].number if site.emergency_numbers else None,
        },
        map_tiles=map_tiles(),
    )
    return body, status


def _zone(name: str) -> dt.tzinfo:
    # UTC needs no time zone database (a minimal system may have none).
    return dt.UTC if name.upper() in ("UTC", "Z") else zoneinfo.ZoneInfo(name)


@reports.get("/report")
def report_form() -> Any:
    return _form_page()


@reports.post("/report")
@public_form  # anonymous, on nobody's authority; the page is precached and identical for every visitor
def report_submit() -> Any:
    # Limited like the API (per address), before anything is read: the form is a way in for floods too.
    address = request.remote_addr or "unknown"
    limit = current_app.config["REPORTS_RATE_LIMIT"]
    if not spend(limit, "report-form", address):
        message = _("Too many reports were sent from here just now. Wait a minute, then send it again.")
        page, status = _form_page(None, {"form": [message]}, 429)
        return page, status, {"Retry-After": str(retry_after(limit, "report-form", address))}
    # A photo straight from a camera is over the app-wide limit; the form shrinks it as the phone would.
    # The same limit as deploy/nginx.conf.example's location for this form, so the answer is always ours.
    limit_bytes = current_app.config["REPORT_FORM_MAX_BYTES"]
    request.max_content_length = limit_bytes
    try:
        form = read_form(request.form)
        photo = _form_photo()
    except RequestEntityTooLarge:
        message = _(
            "The photo is too large to send (at most %(size)s MB). Fill in the form again and choose a "
            "smaller photo, or send the report without one.",
            size=limit_bytes // (1024 * 1024),
        )
        return _form_page(None, {"form": [message]}, 413)
    zone = _zone(current_app.config["TIMEZONE"])
    data = form_data(form, locale=g.locale, now=utcnow(), zone=zone)
    catalog = content_catalog()
    report_id = str(uuid.uuid4())
    if isinstance(photo, str):
        # Nothing is stored; the person sees every problem at once, the photo's and the answers'.
        checked = check_item({"kind": "hazard_report", "id": report_id, "data": data}, catalog)
        problems = checked.errors if isinstance(checked, InvalidResult) else []
        return _form_page(form, form_errors([*problems, FieldError(field="photo", message=photo)]), 422)
    # The photo is checked and re-encoded already: the transaction from here on is short (review H-1).
    session = db_session()
    result = submit_report(session, catalog, data, g.locale, report_id)
    if isinstance(result, InvalidResult):
        return _form_page(form, form_errors(result.errors), 422)
    if result.status not in ("stored", "duplicate"):
        message = _("This report could not be stored. Please try again.")
        return _form_page(form, {"form": [message]}, 422)
    if photo is not None:
        answer = store_photo(session, media_storage(), report_id, str(uuid.uuid4()), photo)
        if answer.status not in (200, 201):
            # The error status rolls the report back too: nothing half-stored.
            return _form_page(form, {"photo": [answer.error or _("The photo could not be stored.")]}, 422)
    return redirect(url_for("reports.receipt_page", report_id=report_id), code=303)


def _form_photo() -> PreparedPhoto | str | None:
    """The form's photo checked, shrunk as the phone would and re-encoded, or what is wrong with it."""
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    try:
        data = upload.read()
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    if not data:
        return None
    unusable = _(
        "This file is not a photo that can be used (JPEG, WebP or PNG). Choose another one, or send the "
        "report without a photo."
    )
    try:
        with image_work(*_image_work_limits()):
            image = check_image(data)
            if len(data) > MAX_PHOTO_BYTES or max(image.width, image.height) > SHRINK_LONG_SIDE:
                data = shrunk_for_upload(data)
            return prepare_photo(data)
    except (NotAnImage, TooManyPixels):
        return unusable
    except ImageWorkBusy:
        return _("The server is busy. Send the report again in a minute, or send it without the photo.")


@reports.get("/reports/<report_id>")
def receipt_page(report_id: str) -> Any:
    report_key = _uuid_text(report_id)
    receipt = report_receipt(db_session(), report_key) if report_key else None
    if receipt is None:
        abort(404)
    return render_template(
        "reports/received.html",
        receipt=receipt,
        status_label=STATUS_LABELS.get(receipt.status, receipt.status),
    )


@reports.get("/reports/mine")
def my_reports() -> Any:
    site = content_catalog().site
    return render_template(
        "reports/mine.html",
        words=report_words(),
        page_config={
            "smsNumber": site.sms_number,
            "smsAfterMinutes": current_app.config["REPORT_SMS_AFTER_MINUTES"],
            "emergencyNumber": site.emergency_numbers[0].number if site.emergency_numbers else None,
            "locale": g.locale,
        },
    )


# --- API ------------------------------------------------------------------------------------------------


def _uuid_text(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _api_error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify(error=message, **extra), status


@reports_api.put("/reports/<report_id>/photos/<photo_id>")
def put_photo(report_id: str, photo_id: str) -> tuple[Response, int]:
    report_key, photo_key = _uuid_text(report_id), _uuid_text(photo_id)
    if report_key is None:
        return _api_error(404, "there is no such report")
    if photo_key is None:
        return _api_error(400, "the photo id must be a UUID made on the phone")
    session = db_session()
    author = report_author(session, report_key)
    # Nothing slow may happen inside a transaction (on SQLite it holds the write lock: review H-1): this one
    # ends here, before the body is read or a pixel decoded; storing takes a new, short one.
    session.rollback()
    locale = author.locale if author else None
    with force_locale(locale if locale in locale_codes() else best_locale_for_request()):
        too_large = _("the photo is too large: at most %(size)s MB", size=MAX_PHOTO_BYTES // (1024 * 1024))
        if request.content_length is not None and request.content_length > MAX_PHOTO_BYTES:
            return _api_error(413, too_large)
        if request.mimetype not in ACCEPTED_TYPES:
            return _api_error(415, _("send the photo itself, as image/jpeg, image/webp or image/png"))
        if author is None:
            return _api_error(404, _("there is no such report yet; send the report first"))
        if author.author_hash is not None and not proves(
            author.author_hash, request.headers.get(AUTHOR_SECRET_HEADER)
        ):
            # Knowing a report's id (an SMS carries it) is not enough to add to it (review M-2, I-10).
            return _api_error(403, _("only the phone that made this report can add photos to it"))
        # A body without Content-Length (chunked) is cut off at the limit while it is read.
        request.max_content_length = MAX_PHOTO_BYTES
        try:
            body = request.get_data(cache=False)
        except RequestEntityTooLarge:
            return _api_error(413, too_large)
        prepared = prepare_upload(body, *_image_work_limits())
        if isinstance(prepared, PhotoAnswer):
            answer = prepared
        else:
            answer = store_photo(session, media_storage(), report_key, photo_key, prepared)
    if answer.error:
        response, status = _api_error(answer.status, answer.error)
        if status == 503:
            response.headers["Retry-After"] = "30"
        return response, status
    status = "stored" if answer.status == 201 else "duplicate"
    return jsonify(id=photo_id, report_id=report_id, status=status), answer.status


def _image_work_limits() -> tuple[int, float]:
    return current_app.config["IMAGE_WORK_CONCURRENCY"], current_app.config["IMAGE_WORK_WAIT_SECONDS"]


@reports_api.get("/reports/<report_id>/status")
def get_status(report_id: str) -> tuple[Response, int]:
    report_key = _uuid_text(report_id)
    found = report_status(db_session(), report_key) if report_key else None
    if found is None:
        return _api_error(404, "there is no such report")
    updated = found.updated_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    response = jsonify(status=found.status, updated_at=updated)
    # A status changes; a cached one would tell the reporter something no longer true.
    response.headers["Cache-Control"] = "no-store"
    return response, 200


def _gateway_refusal() -> tuple[Response, int] | None:
    secret = current_app.config.get("SMS_GATEWAY_SECRET")
    if not secret:
        return _api_error(403, "this server takes no text messages: RISKEDU_SMS_GATEWAY_SECRET is not set")
    scheme, _space, given = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        response, status = _api_error(401, "send the gateway's secret as Authorization: Bearer <secret>")
        response.headers["WWW-Authenticate"] = 'Bearer realm="riskedu sms"'
        return response, status
    if not hmac.compare_digest(given.strip().encode(), str(secret).encode()):
        return _api_error(403, "wrong gateway secret")
    return None


SMS_HTTP_STATUS = {"stored": 200, "duplicate": 200, "conflict": 409, "invalid": 422}


@reports_api.post("/sms/inbound")
def sms_inbound() -> tuple[Response, int]:
    if (refusal := _gateway_refusal()) is not None:
        return refusal
    message = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(message, dict) and not hasattr(message, "get"):
        return _api_error(400, 'send {"from": "…", "text": "…"} as JSON or as form fields')
    text, sender = message.get("text"), message.get("from") or ""
    if not isinstance(text, str) or not isinstance(sender, str):
        return _api_error(400, 'send {"from": "…", "text": "…"} as JSON or as form fields')
    answer = receive_sms(db_session(), content_catalog(), sender, text)
    body: dict[str, Any] = {"status": answer.status, "id": answer.report_id}
    if answer.receipt:
        body["receipt"] = answer.receipt
    if answer.errors:
        body["errors"] = [error.model_dump() for error in answer.errors]
    body["reply"] = _sms_reply(answer)
    return jsonify(body), SMS_HTTP_STATUS[answer.status]


def _sms_reply(answer: SmsAnswer) -> str:
    """What the gateway may text back to the sender, in their language."""
    site = content_catalog().site
    number = site.emergency_numbers[0].number if site.emergency_numbers else ""
    locale = answer.locale if answer.locale in locale_codes() else current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        if answer.receipt:
            return _(
                "Report received. Your receipt: %(receipt)s. Stay away from it and keep others away.",
                receipt=answer.receipt,
            )
        if answer.status == "conflict":
            return _(
                "A different report with this number was received before. Call %(number)s.", number=number
            )
        return _(
            "This message could not be read as a report. If someone is in danger, call %(number)s.",
            number=number,
        )
