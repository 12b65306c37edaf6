"""The web shell: static files, security headers, error pages and the pages every locale has."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

from riskedu.web import assets, csrf, errors, security
from riskedu.web.localized import url_for_locale
from riskedu.web.views import root, web


def init_app(app: Flask) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_template_global(url_for_locale)
    # Pages and JSON go out compressed too (static files come precompressed from WhiteNoise); on 2G every
    # kilobyte counts. Brotli first: it is what Chromium on a phone asks for.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        ["text/html", "application/json", "text/javascript", "application/manifest+json"],
    )
    Compress(app)
    assets.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    errors.init_app(app)
    app.register_blueprint(root)
    app.register_blueprint(web)
