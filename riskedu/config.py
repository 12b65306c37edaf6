"""Configuration: defaults, then an optional instance file, then ``RISKEDU_*`` environment variables,
then the mapping given to ``create_app`` (tests)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ENVIRONMENTS = ("production", "development", "testing")
MIN_SECRET_KEY_LENGTH = 32
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The app refuses to start; the message says what to set."""


DEFAULTS: dict[str, Any] = {
    # Safe by default: anything not explicitly development or testing is treated as production.
    "ENV": "production",
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # None means SQLite under the instance folder
    "DATABASE_ECHO": False,
    "SQLITE_BUSY_TIMEOUT_MS": 15_000,
    "DEFAULT_LOCALE": "en",
    "TRANSLATIONS_DIR": str(PROJECT_ROOT / "translations"),
    "CONTENT_DIR": str(PROJECT_ROOT / "content"),
    "STATIC_DIR": str(PROJECT_ROOT / "static"),
    # Drawings ship in every phone's offline pack, so each one has a size budget.
    "CONTENT_DRAWING_BUDGET_BYTES": 12 * 1024,
    # Reports carry photos (2 MiB each per the sync protocol) inside 1 MiB JSON batches; the whole-request
    # limit sits just above the largest legitimate body.
    "MAX_CONTENT_LENGTH": 3 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "riskedu_session",
    "SESSION_COOKIE_SECURE": None,  # None: secure everywhere but development and tests
    "JSON_SORT_KEYS": False,
}


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    instance_file = os.environ.get("RISKEDU_CONFIG_FILE") or os.path.join(app.instance_path, "riskedu.cfg")
    app.config.from_pyfile(instance_file, silent=True)
    app.config.from_prefixed_env("RISKEDU")
    if overrides:
        app.config.from_mapping(overrides)
    _derive(app)
    _refuse_unsafe_production(app)


def _derive(app: Flask) -> None:
    env = app.config["ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"RISKEDU_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "riskedu.sqlite3")
    if env != "production" and not app.config["SECRET_KEY"]:
        # Development sessions only need to survive one process; production must set a real key.
        app.config["SECRET_KEY"] = secrets.token_urlsafe(32)
    # Cookies travel only over HTTPS outside local development and tests.
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = env == "production"
    app.testing = env == "testing"


def _refuse_unsafe_production(app: Flask) -> None:
    if app.config["ENV"] != "production":
        return
    key = app.config["SECRET_KEY"]
    if not key or len(str(key)) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "riskedu will not start in production without a secret key: set RISKEDU_SECRET_KEY to a random "
            f"string of at least {MIN_SECRET_KEY_LENGTH} characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'), or set RISKEDU_ENV=development on a developer machine."
        )
    if app.debug:
        raise ConfigError(
            "riskedu will not start in production with debug on: the debugger runs code sent by the browser. "
            "Unset FLASK_DEBUG / --debug, or set RISKEDU_ENV=development on a developer machine."
        )
