"""Operator pages under ``/<locale>/ops/``: the queue, a report with its history, status changes, and the
original photos. Every page requires the operator role (administrators too)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from riskedu.accounts.signin import current_user, staff_required
from riskedu.database import db_session
from riskedu.i18n import locale_codes
from riskedu.reports.models import ReportPhoto
from riskedu.reports.schemas import REPORT_STATUSES, WHAT_KINDS
from riskedu.reports.storage import media_storage
from riskedu.reports.words import MARKED_LABELS, NEAR_LABELS, WHAT_LABELS
from riskedu.triage import exports, queries, services, tokens
from riskedu.triage.models import REASON_MAX_LENGTH, REFERENCE_MAX_LENGTH
from riskedu.triage.words import CHANNEL_NAMES, PRIORITY_NAMES, PROBLEMS, SOURCE_NAMES, STATUS_NAMES
from riskedu.triage.workflow import TransitionError, allowed_next
from riskedu.web.localized import localized_blueprint

triage = localized_blueprint("triage", __name__, template_folder="templates")
operator_required = staff_required("operator", "admin")


@triage.after_request
def never_cache(response: Response) -> Response:
    # Exact positions and people's phone numbers: never kept by a browser, a proxy or the offline pack.
    response.headers["Cache-Control"] = "no-store"
    return response


def _uuid_text(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``south,west,north,east`` in degrees, or None when it is not four numbers in range."""
    try:
        south, west, north, east = (float(part) for part in (value or "").split(","))
    except ValueError:
        return None
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        return None
    return south, west, north, east


def read_filters(args: MultiDict[str, str]) -> queries.Filters:
    statuses = tuple(status for status in args.getlist("status") if status in REPORT_STATUSES)
    what = args.get("what")
    locale = args.get("lang")
    return queries.Filters(
        statuses=statuses,
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        what=what if what in WHAT_KINDS else None,
        locale=locale if locale in locale_codes() else None,
        bbox=_bbox(args.get("bbox")),
        place=(args.get("place") or "").strip()[:200] or None,
        search=(args.get("q") or "").strip()[:200] or None,
    )


def filter_choices() -> dict[str, Any]:
    return {
        "statuses": [(status, STATUS_NAMES[status]) for status in REPORT_STATUSES],
        "what_kinds": [(kind, WHAT_LABELS[kind]) for kind in WHAT_KINDS],
        "locales": locale_codes(),
    }


@triage.get("/ops/")
@operator_required
def queue() -> str:
    filters = read_filters(request.args)
    rows = queries.queue(db_session(), filters)
    return render_template(
        "triage/queue.html",
        rows=rows,
        filters=filters,
        args=request.args,
        status_names=STATUS_NAMES,
        priority_names=PRIORITY_NAMES,
        what_labels=WHAT_LABELS,
        limit=queries.QUEUE_LIMIT,
        **filter_choices(),
    )


def _report_page(report_id: str, problem: str | None = None, status: int = 200) -> tuple[str, int]:
    session = db_session()
    detail = queries.report_detail(session, report_id)
    if detail is None:
        abort(404)
    config = current_app.config
    candidates = queries.possible_duplicates(
        session, detail.report, config["TRIAGE_DUPLICATE_DISTANCE_M"], config["TRIAGE_DUPLICATE_HOURS"]
    )
    body = render_template(
        "triage/report.html",
        detail=detail,
        report=detail.report,
        candidates=candidates,
        next_statuses=[(name, STATUS_NAMES[name]) for name in allowed_next(detail.report.status)],
        status_names=STATUS_NAMES,
        what_labels=WHAT_LABELS,
        near_labels=NEAR_LABELS,
        marked_labels=MARKED_LABELS,
        channel_names=CHANNEL_NAMES,
        source_names=SOURCE_NAMES,
        problem=problem,
        reason_max=REASON_MAX_LENGTH,
        reference_max=REFERENCE_MAX_LENGTH,
        map_config=_map_config(detail.report),
    )
    return body, status


def _map_config(report: Any) -> dict[str, Any] | None:
    from riskedu.reports.views import map_tiles

    tiles = map_tiles()
    if not tiles or report.lat is None or report.lon is None:
        return None
    return {
        "tiles": tiles,
        "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
        "points": [{"lat": report.lat, "lon": report.lon, "label": report.place or ""}],
    }


@triage.get("/ops/reports/<report_id>")
@operator_required
def report_page(report_id: str) -> tuple[str, int]:
    key = _uuid_text(report_id)
    if key is None:
        abort(404)
    return _report_page(key)


@triage.post("/ops/reports/<report_id>/status")
@operator_required
def change_status(report_id: str) -> BaseResponse | tuple[str, int]:
    key = _uuid_text(report_id)
    if key is None:
        abort(404)
    user = current_user()
    assert user is not None
    form = request.form
    try:
        services.change_status(
            db_session(),
            user,
            key,
            form.get("status", ""),
            form.get("reason", ""),
            reference=form.get("reference"),
            duplicate_of=_uuid_text(form.get("duplicate_of")),
        )
    except TransitionError as error:
        if error.code == "no_such_report":
            abort(404)
        return _report_page(key, str(PROBLEMS.get(error.code, error.code)), 422)
    return redirect(url_for("triage.report_page", report_id=key), code=303)


@triage.get("/ops/reports/<report_id>/photos/<photo_id>")
@operator_required
def photo(report_id: str, photo_id: str) -> Response:
    key, photo_key = _uuid_text(report_id), _uuid_text(photo_id)
    found = db_session().get(ReportPhoto, photo_key) if key and photo_key else None
    if found is None or found.report_id != key:
        abort(404)
    try:
        body = media_storage().read(found.original_key)
    except FileNotFoundError:  # the media folder was not restored with the database
        abort(404)
    response = Response(body, mimetype=found.content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- exports ---------------------------------------------------------------------------------------------

EXPORT_LIMIT = 100_000


def _export_rows() -> tuple[list[queries.QueueRow], dict[str, str], dict[str, str]]:
    session = db_session()
    rows = queries.queue(session, read_filters(request.args), limit=EXPORT_LIMIT)
    ids = [row.report.id for row in rows]
    return rows, queries.references(session, ids), queries.duplicate_links(session, ids)


def _download(body: bytes, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = f'attachment; filename="hazard-reports-{stamp}.{extension}"'
    return response


@triage.get("/ops/export.geojson")
@operator_required
def export_geojson() -> Response:
    collection = exports.feature_collection(*_export_rows())
    body = json.dumps(collection, ensure_ascii=False).encode()
    return _download(body, "application/geo+json", "geojson")


@triage.get("/ops/export.csv")
@operator_required
def export_csv() -> Response:
    return _download(exports.csv_export(*_export_rows()), "text/csv", "csv")


# --- the map ----------------------------------------------------------------------------------------------


@triage.get("/ops/map")
@operator_required
def report_map() -> str:
    from riskedu.reports.views import map_tiles

    filters = read_filters(request.args)
    rows = queries.queue(db_session(), filters)
    points = [
        {
            "lat": row.report.lat,
            "lon": row.report.lon,
            "receipt": row.receipt,
            "label": row.report.place or "",
            "url": url_for("triage.report_page", report_id=row.report.id),
        }
        for row in rows
        if row.report.lat is not None and row.report.lon is not None
    ]
    tiles = map_tiles()
    config = {
        "tiles": tiles,
        "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
        "points": points,
    }
    return render_template(
        "triage/map.html",
        map_config=config if tiles else None,
        shown=len(points),
        without_position=len(rows) - len(points),
        args=request.args,
    )


# --- personal API tokens ----------------------------------------------------------------------------------


def _tokens_page(new_token: str | None = None) -> str:
    user = current_user()
    assert user is not None
    return render_template(
        "triage/tokens.html", tokens=tokens.tokens_of(db_session(), user), new_token=new_token
    )


@triage.route("/ops/tokens", methods=["GET", "POST"])
@operator_required
def api_tokens() -> str:
    if request.method == "POST":
        user = current_user()
        assert user is not None
        _record, token = tokens.create_token(db_session(), user, request.form.get("name", ""))
        return _tokens_page(new_token=token)
    return _tokens_page()


@triage.post("/ops/tokens/<token_id>/revoke")
@operator_required
def revoke_api_token(token_id: str) -> BaseResponse:
    user = current_user()
    assert user is not None
    if not tokens.revoke_token(db_session(), user, _uuid_text(token_id) or ""):
        abort(404)
    return redirect(url_for("triage.api_tokens"), code=303)
