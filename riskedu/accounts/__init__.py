"""Accounts: teachers, operators and administrators; signing in (rate-limited), invitations, password
resets, ``flask users …``. Learners never have an account."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from riskedu.accounts.cli import users_cli
from riskedu.accounts.queries import normalise_email
from riskedu.accounts.signin import current_user
from riskedu.accounts.views import accounts, signin
from riskedu.sync import LIMITER_KEY


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_key() -> str:
    # Guessing one teacher's password from many addresses is slowed down as much as from one address.
    return "login-email:" + normalise_email(request.form.get("email", ""))[:320]


def init_app(app: Flask) -> None:
    app.config.setdefault("LOGIN_RATE_LIMIT", "10 per minute")
    app.config.setdefault("STAFF_SESSION_HOURS", 12)
    # The one limiter of the app, made by the sync package (same storage, same switch RATELIMIT_ENABLED).
    limiter: Limiter = app.extensions[LIMITER_KEY]
    for key_func in (get_remote_address, _email_key):
        limiter.limit(_login_rate_limit, methods=["POST"], key_func=key_func)(signin)
    app.register_blueprint(signin)
    app.register_blueprint(accounts)
    app.add_template_global(current_user)
    app.cli.add_command(users_cli)
