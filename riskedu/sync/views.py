"""``/api/v1``: the public sync API (docs/sync.md). The request layer: it refuses whole requests, and commits
each item on its own so that one item is either fully stored or not at all."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, NoReturn

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import InternalServerError

from riskedu.content import content_catalog
from riskedu.database import db_session, utcnow
from riskedu.sync.openapi import openapi_document
from riskedu.sync.schemas import (
    MAX_BODY_BYTES,
    MAX_ITEMS,
    ErrorBody,
    FieldError,
    ItemResult,
    SyncEnvelope,
    SyncResponse,
)
from riskedu.sync.services import find_stored_batch, store_item
from riskedu.sync.validation import field_errors
from riskedu.web.request_log import add_log_fields

api_v1 = Blueprint("api_v1", __name__, url_prefix="/api/v1")


class RequestRefused(Exception):
    """The whole request is answered with an error; nothing in it was stored."""

    def __init__(self, status: int, error: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.body = ErrorBody(error=error, errors=errors)


@api_v1.errorhandler(RequestRefused)
def refused(refusal: RequestRefused) -> tuple[Response, int]:
    return jsonify(refusal.body.model_dump(mode="json")), refusal.status


@api_v1.post("/sync")
def sync() -> Response:
    envelope = _read_envelope()
    session = db_session()
    catalog = content_catalog()
    results: list[ItemResult] = []
    try:
        stored_before = find_stored_batch(session, envelope.items)
        for raw_item in envelope.items:
            results.append(store_item(session, envelope.client, raw_item, catalog, stored_before))
            # One transaction per item: what is answered "stored" is stored, whatever happens next.
            session.commit()
    except Exception as error:
        session.rollback()
        _fail_mid_batch(len(results), len(envelope.items), error)
    # Counts by status go on this request's log line: how much arrives, and how much is refused.
    add_log_fields(sync=dict(Counter(result.status for result in results)))
    answer = SyncResponse(results=results, server_time=utcnow().replace(microsecond=0))
    # Straight from pydantic: fields in their documented order, and no second pass through a dict.
    return Response(answer.model_dump_json(), mimetype="application/json")


@api_v1.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


def _read_envelope() -> SyncEnvelope:
    if request.mimetype != "application/json":
        raise RequestRefused(415, "send the batch as JSON, with Content-Type: application/json")
    too_large = f"a request may carry at most {MAX_BODY_BYTES} bytes; send fewer items at a time"
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise RequestRefused(413, too_large)
    # A body sent without Content-Length (chunked) is only known after reading; the app-wide
    # MAX_CONTENT_LENGTH bounds that read.
    body = request.get_data(cache=False)
    if len(body) > MAX_BODY_BYTES:
        raise RequestRefused(413, too_large)
    parsed = _parse_json(body)
    if not isinstance(parsed, dict) or not isinstance(parsed.get("items"), list):
        raise RequestRefused(400, 'the body must be a JSON object with an "items" list')
    if len(parsed["items"]) > MAX_ITEMS:
        raise RequestRefused(413, f"a request may carry at most {MAX_ITEMS} items; send the rest in another")
    try:
        return SyncEnvelope.model_validate(parsed)
    except ValidationError as error:
        raise RequestRefused(400, "the client description is missing or wrong", field_errors(error)) from None


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        # ValueError covers bad JSON, bad UTF-8 and NaN/Infinity; RecursionError a pathologically deep body.
        raise RequestRefused(400, f"the body is not valid JSON: {error}") from None


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _fail_mid_batch(done: int, count: int, error: Exception) -> NoReturn:
    # Items before the failure are committed and stay stored; the phone keeps everything and resends the
    # batch, which answers "duplicate" for those. Flask does not log errors that a handler answers: log here.
    current_app.logger.error("sync: failed after %d of %d items", done, count, exc_info=error)
    raise InternalServerError(
        description="the server failed while storing the batch; keep every item and send it again later"
    ) from error
