"""CSRF protection (Flask-WTF) on every form a signed-in person submits.

Not checked: the JSON API under /api/ (no cookie authentication; the SMS gateway has its own shared secret),
and views marked ``public_form`` — anonymous forms that act on nobody's authority (grading a quiz, reporting a
dangerous object). Those pages are also precached for offline use, and a per-session token would make them
differ for every visitor and every server process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
View = TypeVar("View", bound=Callable[..., object])
PUBLIC_FORM_ATTRIBUTE = "riskedu_public_form"


def public_form(view: View) -> View:
    setattr(view, PUBLIC_FORM_ATTRIBUTE, True)
    return view


def _protect() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or request.path.startswith("/api/"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, PUBLIC_FORM_ATTRIBUTE, False):
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    # Checked by _protect, so the exemptions above live in one place.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    csrf.init_app(app)
    app.before_request(_protect)
