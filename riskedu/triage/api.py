"""The authenticated JSON API for integrations: ``/api/v1/ops/reports`` (filters as the queue) and
``/api/v1/ops/reports/<id>``, with a personal API token as ``Authorization: Bearer rke_…``. Read only:
status changes are made by people, on the report page, with a reason."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from riskedu.database import db_session
from riskedu.triage import exports, queries
from riskedu.triage.tokens import user_for_token
from riskedu.triage.views import _uuid_text, read_filters

triage_api = Blueprint("triage_api", __name__, url_prefix="/api/v1/ops")


@triage_api.before_request
def require_token() -> tuple[Response, int] | None:
    scheme, _space, given = (request.headers.get("Authorization") or "").partition(" ")
    user = user_for_token(db_session(), given.strip()) if scheme.lower() == "bearer" and given else None
    if user is None:
        response = jsonify(error="send a valid API token as Authorization: Bearer <token>")
        response.headers["WWW-Authenticate"] = 'Bearer realm="riskedu operators"'
        return response, 401
    g.api_user = user
    return None


@triage_api.after_request
def never_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _reports(rows: list[queries.QueueRow]) -> list[dict[str, Any]]:
    session = db_session()
    ids = [row.report.id for row in rows]
    references, duplicates = queries.references(session, ids), queries.duplicate_links(session, ids)
    return [
        {
            **exports.spot_report(row, references.get(row.report.id), duplicates.get(row.report.id)),
            "priority": row.priority,
        }
        for row in rows
    ]


@triage_api.get("/reports")
def list_reports() -> Response:
    rows = queries.queue(db_session(), read_filters(request.args))
    return jsonify(reports=_reports(rows))


@triage_api.get("/reports/<report_id>")
def get_report(report_id: str) -> tuple[Response, int]:
    key = _uuid_text(report_id)
    session = db_session()
    detail = queries.report_detail(session, key) if key else None
    if detail is None:
        return jsonify(error="there is no such report"), 404
    row = queries.QueueRow(detail.report, detail.receipt, 0, detail.received_at)
    body = _reports([row])[0]
    body.pop("priority")
    body["history"] = [
        {
            "at": exports.timestamp(view.event.at),
            "by": view.actor_email,
            "from": view.event.from_status,
            "to": view.event.to_status,
            "reason": view.event.reason,
            "reference": view.event.reference,
            "duplicate_of": view.event.duplicate_of,
        }
        for view in detail.events
    ]
    return jsonify(body), 200
