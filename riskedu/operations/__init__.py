"""Running riskedu in production: readiness, structured request logs, the proxy in front."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from riskedu.operations.cli import backup_cli
from riskedu.operations.views import operations
from riskedu.web.request_log import init_request_logs


def init_app(app: Flask) -> None:
    # Behind nginx the client's address arrives in X-Forwarded-For: rate limits and logs need the real one.
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    init_request_logs(app)
    app.register_blueprint(operations)
    app.cli.add_command(backup_cli)
