"""Offline: the service worker and its per-locale pack, the manifest, and what the phone keeps."""

from __future__ import annotations

from flask import Flask

from riskedu.offline.views import app_words, offline, service_worker


def init_app(app: Flask) -> None:
    app.register_blueprint(service_worker)
    app.register_blueprint(offline)
    app.add_template_global(app_words)
