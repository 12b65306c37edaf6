"""Triage for mine action operators (docs/operations.md): the queue of hazard reports, the workflow with its
audit log, possible duplicates, the map and exports. Under ``/<locale>/ops/``, for the operator role."""

from __future__ import annotations

from flask import Flask, current_app

from riskedu.sync import LIMITER_KEY
from riskedu.triage.api import triage_api
from riskedu.triage.cli import ops_cli
from riskedu.triage.views import triage

DEFAULTS = {
    # Two reports this close in place and time are suggested as possible duplicates of each other.
    "TRIAGE_DUPLICATE_DISTANCE_M": 250.0,
    "TRIAGE_DUPLICATE_HOURS": 72.0,
    # Unset: no webhook. Set: ``flask ops webhooks deliver`` posts new urgent reports there.
    "TRIAGE_WEBHOOK_URL": None,
    # Set: each post carries X-Riskedu-Signature: sha256=<HMAC of the body with this secret>.
    "TRIAGE_WEBHOOK_SECRET": None,
}


def _api_rate_limit() -> str:
    return current_app.config["REPORTS_RATE_LIMIT"]


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    # The app's one limiter (sync.init_app runs first): a leaked token cannot page through everything fast.
    app.extensions[LIMITER_KEY].limit(_api_rate_limit, error_message="too many requests")(triage_api)
    app.register_blueprint(triage)
    app.register_blueprint(triage_api)
    app.cli.add_command(ops_cli)
