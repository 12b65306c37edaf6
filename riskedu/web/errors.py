"""Error answers: JSON under /api/, a page in the visitor's language everywhere else."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from riskedu.i18n import locale_codes

TITLES = {
    400: lazy_gettext("That request could not be understood"),
    403: lazy_gettext("You cannot open this page"),
    404: lazy_gettext("Page not found"),
    405: lazy_gettext("That action is not allowed here"),
    413: lazy_gettext("That is too large to send"),
    429: lazy_gettext("Too many tries, please wait a moment"),
    500: lazy_gettext("Something went wrong on our side"),
}
EXPLANATIONS = {
    404: lazy_gettext(
        "The page you asked for does not exist. Check the address, or start again from the home page."
    ),
    413: lazy_gettext(
        "What you sent is bigger than the server accepts. Nothing was saved from it; try again with less, "
        "for example a smaller photo."
    ),
    500: lazy_gettext(
        "The server could not finish. Nothing you saved on your phone is lost; try again in a few minutes."
    ),
}
GENERIC_EXPLANATION = lazy_gettext("Go back, or start again from the home page.")


def _locale_from_path() -> None:
    """On ``/az/no-such-page`` the 404 should still speak Azerbaijani."""
    if g.get("locale"):
        return
    first_segment = request.path.strip("/").split("/", 1)[0]
    if first_segment in locale_codes():
        g.locale = first_segment


def handle_http_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    if request.path.startswith("/api/"):
        return jsonify(error=error.description or error.name), code
    _locale_from_path()
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, error.name),
            explanation=EXPLANATIONS.get(code, GENERIC_EXPLANATION),
        ),
        code,
    )


def handle_unexpected_error(error: Exception) -> tuple[Response | str, int]:
    # A registered handler stops Flask from logging, so log here; the person gets a calm page.
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
