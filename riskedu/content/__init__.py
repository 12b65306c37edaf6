"""Lessons, quizzes and drawings: loaded from ``content/`` when the app is created, served from memory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from riskedu.content.cli import content_cli
from riskedu.content.loader import LoadResult, load_content
from riskedu.content.model import Catalog
from riskedu.i18n.locales import locale_codes
from riskedu.web.assets import hashed_media_url

EXTENSION_KEY = "riskedu.content"


def load_for_app(app: Flask) -> LoadResult:
    return load_content(
        Path(app.config["CONTENT_DIR"]),
        locale_codes(app),
        media_url=lambda name: hashed_media_url(app, name),
        drawing_budget_bytes=app.config["CONTENT_DRAWING_BUDGET_BYTES"],
    )


def content_catalog() -> Catalog:
    return current_app.extensions[EXTENSION_KEY]


def init_app(app: Flask) -> None:
    result = load_for_app(app)
    if result.problems:
        # One line, not the list: every CLI command creates the app, and `flask content check` shows the list.
        app.logger.warning(
            "content: %d problem(s), first: %s; run `flask content check`",
            len(result.problems),
            result.problems[0],
        )
    app.extensions[EXTENSION_KEY] = result.catalog
    app.cli.add_command(content_cli)
    app.context_processor(lambda: {"site": content_catalog().site})
