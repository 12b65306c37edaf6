"""riskedu: mine risk education that keeps working where the network does not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from riskedu import (
    accounts,
    content,
    database,
    i18n,
    learning,
    offline,
    operations,
    reports,
    sync,
    teaching,
    triage,
    web,
)
from riskedu.config import load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides everything else (tests pass theirs here)."""
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    load_config(app, config)
    database.init_app(app)
    operations.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    content.init_app(app)
    learning.init_app(app)
    sync.init_app(app)
    reports.init_app(app)
    accounts.init_app(app)
    teaching.init_app(app)
    triage.init_app(app)
    offline.init_app(app)
    return app
