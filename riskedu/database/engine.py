"""One engine per app, one session (and so one transaction) per request.

Services only ``flush()``; the request layer commits when the response is a success and rolls back otherwise.
Nothing here touches the database while the app starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

EXTENSION_KEY = "riskedu.database"


@dataclass
class Database:
    engine: Engine
    session_factory: sessionmaker[Session]


def make_engine(url: str, *, echo: bool = False, sqlite_busy_timeout_ms: int = 15_000) -> Engine:
    engine = create_engine(url, echo=echo, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine, sqlite_busy_timeout_ms)
    return engine


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so SQLAlchemy's BEGIN below is the only one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while one writer writes; the busy timeout makes a second writer wait
        # instead of failing with "database is locked".
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        # A deferred transaction that later writes can fail at once with SQLITE_BUSY (the busy timeout does
        # not apply to a read lock upgraded to a write lock). Taking the write lock up front makes
        # concurrent writers queue on the busy timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_engine(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(
        url,
        echo=app.config["DATABASE_ECHO"],
        sqlite_busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
    )
    app.extensions[EXTENSION_KEY] = Database(engine, sessionmaker(bind=engine, expire_on_commit=False))
    app.after_request(_finish_transaction)
    app.teardown_appcontext(_close_session)


def database(app: Flask) -> Database:
    return app.extensions[EXTENSION_KEY]


def db_session() -> Session:
    """The session of the current request or CLI command, opened on first use."""
    session: Session | None = g.get("_riskedu_db_session")
    if session is None:
        session = database(current_app).session_factory()
        g._riskedu_db_session = session
    return session


def _finish_transaction(response: Response) -> Response:
    session: Session | None = g.get("_riskedu_db_session")
    if session is not None:
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
    return response


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("_riskedu_db_session", None)
    if session is not None:
        session.close()  # rolls back anything not committed, e.g. after an exception
