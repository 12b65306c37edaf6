"""The shell of the site: the language redirect, each locale's home page, and the health endpoint."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from riskedu.i18n import locale_codes
from riskedu.web.localized import localized_blueprint

root = Blueprint("root", __name__)
web = localized_blueprint("web", __name__, template_folder="templates")


@root.get("/")
def choose_locale() -> Response:
    best = request.accept_languages.best_match(locale_codes()) or current_app.config["DEFAULT_LOCALE"]
    response = redirect(url_for("web.home", locale=best))
    response.headers["Vary"] = "Accept-Language"
    return response


@root.get("/healthz")
def healthz() -> Response:
    # Liveness only: the process answers. It deliberately does not touch the database.
    return jsonify(status="ok")


@web.get("/")
def home() -> str:
    return render_template("home.html")
