"""Sync: the public API phones (and other systems) send offline work through (``/api/v1``, docs/sync.md)."""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from riskedu.sync.views import api_v1
from riskedu.web.limits import LIMITER_KEY

__all__ = ["LIMITER_KEY", "init_app"]
RATE_LIMIT_MESSAGE = (
    "too many requests from this address; nothing was stored, retry after Retry-After seconds"
)


def _sync_rate_limit() -> str:
    return current_app.config["SYNC_RATE_LIMIT"]


def init_app(app: Flask) -> None:
    # Behind a proxy, per-address limits need the proxy's address fixed up first (werkzeug's ProxyFix).
    # "memory://" counts per process; several workers or servers should share e.g. a redis:// store.
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("SYNC_RATE_LIMIT", "120 per minute")
    # Tests send many batches from one address; the test that proves the limit turns it back on.
    app.config.setdefault("RATELIMIT_ENABLED", app.config["ENV"] != "testing")
    # One limiter per app, not one per process: each app (and each test's app) keeps its own counts.
    limiter = Limiter(get_remote_address, headers_enabled=True)
    limiter.limit(_sync_rate_limit, methods=["POST"], error_message=RATE_LIMIT_MESSAGE)(api_v1)
    limiter.init_app(app)
    app.extensions[LIMITER_KEY] = limiter
    app.register_blueprint(api_v1)
