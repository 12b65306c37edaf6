"""Lesson and quiz pages."""

from __future__ import annotations

from flask import Flask

from riskedu.learning.views import learning


def init_app(app: Flask) -> None:
    app.register_blueprint(learning)
