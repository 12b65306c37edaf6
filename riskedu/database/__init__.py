"""The data layer. Models import ``Base`` and the column types from here; requests use ``db_session()``."""

from __future__ import annotations

from flask import Flask

from riskedu.database.base import Base, UTCDateTime, created_at, utcnow, uuid_pk
from riskedu.database.cli import db_cli
from riskedu.database.engine import Database, database, db_session, init_engine, make_engine

__all__ = [
    "Base",
    "Database",
    "UTCDateTime",
    "created_at",
    "database",
    "db_session",
    "init_app",
    "make_engine",
    "utcnow",
    "uuid_pk",
]


def init_app(app: Flask) -> None:
    init_engine(app)
    app.cli.add_command(db_cli)
