"""Hazard reports: the safety-first report form, photos, receipts and status, and the SMS fallback
(docs/reports.md). Reports arrive as ``hazard_report`` sync items, from the form without JavaScript, or by
text message through an SMS gateway; all three end in the same tables."""

from __future__ import annotations

from flask import Flask, current_app

from riskedu.reports import openapi
from riskedu.reports.schemas import HazardReportItem
from riskedu.reports.storage import init_storage
from riskedu.reports.store import complete_hazard_report, store_hazard_report, stored_report_extras
from riskedu.reports.views import reports, reports_api
from riskedu.sync import LIMITER_KEY
from riskedu.sync.openapi import register_paths
from riskedu.sync.services import register_kind

# hazard_report is a sync kind like the others, checked and stored exactly once by the same code; sync knows
# nothing of reports. Registered on import (riskedu imports every package), so it holds for every app.
register_kind(
    "hazard_report",
    HazardReportItem,
    store_hazard_report,
    stored_extras=stored_report_extras,
    complete=complete_hazard_report,
)
register_paths(openapi.PATHS, openapi.MODELS)

DEFAULTS = {
    # Photos (originals for operators, copies without metadata for anyone else); None: instance/media.
    "MEDIA_DIR": None,
    # A tile URL template on this server (e.g. /tiles/{z}/{x}/{y}.png) turns on the map pin; unset, no map.
    "MAP_TILE_URL": None,
    "MAP_TILE_ATTRIBUTION": "",
    # Where the map opens before the phone's position is known: "lat,lon,zoom" (the deployment's region).
    "MAP_START": "0,0,2",
    # Unset: the SMS gateway endpoint refuses every message.
    "SMS_GATEWAY_SECRET": None,
    # How long a report waits on the phone without a connection before the phone offers to send it by SMS.
    "REPORT_SMS_AFTER_MINUTES": 30,
    # The form without JavaScript takes a photo straight from a camera and shrinks it on the server.
    "REPORT_FORM_MAX_BYTES": 12 * 1024 * 1024,
    # How a time typed into the form without JavaScript is read (the script sends the phone's own offset).
    "TIMEZONE": "UTC",
    "REPORTS_RATE_LIMIT": "120 per minute",
    # Images decoded at once per process, and how long an upload waits for its turn (review H-1).
    "IMAGE_WORK_CONCURRENCY": 2,
    "IMAGE_WORK_WAIT_SECONDS": 20,
}


def _reports_rate_limit() -> str:
    return current_app.config["REPORTS_RATE_LIMIT"]


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    init_storage(app)
    # The same limiter as the sync API (sync.init_app runs first): photo uploads and SMS are writes too.
    app.extensions[LIMITER_KEY].limit(_reports_rate_limit, error_message="too many requests")(reports_api)
    app.register_blueprint(reports)
    app.register_blueprint(reports_api)
