"""``/readyz``: ready to serve, which means the database answers (``/healthz`` only says the process runs)."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from riskedu.database import database

operations = Blueprint("operations", __name__)


@operations.get("/readyz")
def readiness() -> tuple[Response, int]:
    try:
        writable = _database_writable()
    except Exception as error:  # drivers raise their own errors here; any failure means "not ready"
        current_app.logger.warning("readiness: database unavailable: %s", error.__class__.__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    if not writable:
        # Answering reads is not enough: reports must be storable, or phones' outboxes fill up (review H-1).
        current_app.logger.warning("readiness: database cannot be written")
        return jsonify(status="unavailable", database="read-only or locked"), 503
    return jsonify(status="ready", database="ok"), 200


def _database_writable() -> bool:
    """Whether a write could start now. A raw connection, outside any request's transaction, that writes
    nothing: on SQLite it takes the write lock for an instant (waiting at most READYZ_WRITE_WAIT_MS), on
    PostgreSQL it asks whether the server takes writes (not a standby, not read-only)."""
    engine = database(current_app).engine
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            if engine.dialect.name == "sqlite":
                return _sqlite_writable(cursor)
            cursor.execute(
                "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'"
            )
            row = cursor.fetchone()
            connection.rollback()
            return bool(row and row[0])
        finally:
            cursor.close()
    finally:
        connection.close()


def _sqlite_writable(cursor: Any) -> bool:
    wait_ms = int(current_app.config.get("READYZ_WRITE_WAIT_MS", 2000))
    cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
    try:
        cursor.execute("BEGIN IMMEDIATE")
        # A read-only file lets the transaction begin; a write that changes nothing still needs it writable.
        cursor.execute("PRAGMA user_version=" + str(cursor.execute("PRAGMA user_version").fetchone()[0]))
        cursor.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return False
    finally:
        cursor.execute(f"PRAGMA busy_timeout={int(current_app.config['SQLITE_BUSY_TIMEOUT_MS'])}")
    return True
