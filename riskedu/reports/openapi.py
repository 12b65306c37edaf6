"""The reports' part of the published ``/api/v1`` description: photo upload, report status, SMS gateway."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from riskedu.reports.authorship import AUTHOR_SECRET_HEADER, SECRET_PATTERN
from riskedu.reports.photos import MAX_PHOTO_BYTES, MAX_PIXELS, MAX_SIDE
from riskedu.reports.schemas import ReportStatus
from riskedu.sync.openapi import REF_TEMPLATE
from riskedu.sync.schemas import FieldError


class ReportStatusBody(BaseModel):
    """Everything GET …/status tells: nothing else of the report."""

    status: ReportStatus
    updated_at: AwareDatetime = Field(description="When the status last changed, in UTC.")


class PhotoStoredBody(BaseModel):
    id: str = Field(description="The photo id, as sent.")
    report_id: str
    status: Literal["stored", "duplicate"]


class SmsInbound(BaseModel):
    """What an SMS gateway posts (JSON, or the same names as form fields)."""

    text: str = Field(description="The message body, an RK1 report (docs/reports.md).")
    sender: str = Field(default="", alias="from", description="The sender's number; kept for operators.")


class SmsAnswerBody(BaseModel):
    status: Literal["stored", "duplicate", "conflict", "invalid"]
    id: str | None = Field(description="The report id the message carried, if it could be read.")
    receipt: str | None = Field(default=None, description="Stored or duplicate: the report's receipt.")
    errors: list[FieldError] | None = Field(default=None, description="Invalid or conflict: what is wrong.")
    reply: str = Field(description="A text the gateway may send back to the sender, in their language.")


def _json(model: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=model)}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("ErrorBody")}


UUID_PARAMETER = {"schema": {"type": "string", "format": "uuid"}, "required": True}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/reports/{report_id}/photos/{photo_id}": {
        "put": {
            "operationId": "putReportPhoto",
            "summary": "Send a report's photo, after the report itself was answered stored or duplicate",
            "description": (
                "The body is the image itself. Its type is checked from the bytes (decoded whole), not only "
                "from Content-Type, which must also name an accepted type. The server keeps the original for "
                "operators and a copy without metadata (EXIF position, camera, time) for anyone else. "
                "At most 5 photos per report."
            ),
            "parameters": [
                {"name": "report_id", "in": "path", **UUID_PARAMETER},
                {"name": "photo_id", "in": "path", **UUID_PARAMETER, "description": "Made on the phone."},
                {
                    "name": AUTHOR_SECRET_HEADER,
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "pattern": SECRET_PATTERN},
                    "description": (
                        "Proof of authorship: the report's `author_secret`, as sent in its hazard_report. "
                        "Required when the report was stored with one; reports without a secret (older "
                        "phones) take photos without it."
                    ),
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    kind: {
                        "schema": {"type": "string", "contentMediaType": kind, "maxLength": MAX_PHOTO_BYTES}
                    }
                    for kind in ("image/jpeg", "image/webp", "image/png")
                },
            },
            "responses": {
                "201": {"description": "Stored.", "content": _json("PhotoStoredBody")},
                "200": {
                    "description": "The same bytes were stored before.",
                    "content": _json("PhotoStoredBody"),
                },
                "400": _error("The photo id is not a UUID."),
                "403": _error(
                    f"The report was stored with an author secret and {AUTHOR_SECRET_HEADER} is missing or "
                    "does not match it."
                ),
                "404": _error("No such report yet: send the report first, then retry the photo."),
                "409": _error("This photo id holds different bytes, or the report has 5 photos already."),
                "413": _error(
                    f"Over {MAX_PHOTO_BYTES} bytes, more than {MAX_PIXELS // 1_000_000} megapixels, or a "
                    f"side over {MAX_SIDE} px (read from the header, before decoding)."
                ),
                "415": _error("Not a whole JPEG, WebP or PNG image, or Content-Type names another type."),
                "429": _error("Too many requests from this address; retry later."),
                "503": _error("The server is decoding other photos; retry after Retry-After seconds."),
            },
        }
    },
    "/api/v1/reports/{report_id}/status": {
        "get": {
            "operationId": "getReportStatus",
            "summary": "A report's status, for the phone that made it (only it knows the random id)",
            "parameters": [{"name": "report_id", "in": "path", **UUID_PARAMETER}],
            "responses": {
                "200": {"description": "The status and nothing else.", "content": _json("ReportStatusBody")},
                "404": _error("No such report (yet)."),
            },
        }
    },
    "/api/v1/sms/inbound": {
        "post": {
            "operationId": "smsInbound",
            "summary": "An SMS gateway delivers a text message carrying a report (the RK1 format)",
            "description": (
                "Authorization: Bearer <RISKEDU_SMS_GATEWAY_SECRET>. Idempotent by the report id the message "
                "carries: a message of a report stored before is `duplicate` when everything it carries "
                "matches, `conflict` otherwise. See docs/reports.md for the message format."
            ),
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="SmsInbound")}},
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": REF_TEMPLATE.format(model="SmsInbound")}
                    },
                },
            },
            "responses": {
                "200": {"description": "Stored, or a duplicate.", "content": _json("SmsAnswerBody")},
                "400": _error("No text in the request."),
                "401": _error("No secret given."),
                "403": _error("Wrong secret, or no secret configured on this server (all refused)."),
                "409": {"description": "A different report has this id.", "content": _json("SmsAnswerBody")},
                "422": {"description": "Not a readable report.", "content": _json("SmsAnswerBody")},
            },
        }
    },
}
MODELS = (ReportStatusBody, PhotoStoredBody, SmsInbound, SmsAnswerBody)
