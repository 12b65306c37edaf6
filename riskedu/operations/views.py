"""``/readyz``: ready to serve, which means the database answers (``/healthz`` only says the process runs)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from riskedu.database import database

operations = Blueprint("operations", __name__)


@operations.get("/readyz")
def readiness() -> tuple[Response, int]:
    try:
        # A raw connection, outside any transaction: on SQLite every transaction takes the write lock, and a
        # probe that runs every few seconds must never queue behind (or in front of) a real write.
        connection = database(current_app).engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        finally:
            connection.close()
    except Exception as error:  # drivers raise their own errors here; any failure means "not ready"
        current_app.logger.warning("readiness: database unavailable: %s", error.__class__.__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ready", database="ok"), 200
