"""One JSON line per request (method, path, status, duration, size, client), so logs can be searched and
counted. No query strings, bodies or cookies: reports and learners' data never reach the logs."""

from __future__ import annotations

import json
import logging
import time

from flask import Flask, Response, g, request

LOGGER_NAME = "riskedu.requests"


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname}
        entry.update(getattr(record, "fields", {}) or {"message": record.getMessage()})
        return json.dumps(entry, ensure_ascii=False)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "bytes": response.calculate_content_length(),
        "client": request.remote_addr,
    }
    fields.update(g.get("log_fields", {}))
    logging.getLogger(LOGGER_NAME).info("request", extra={"fields": fields})
    return response


def add_log_fields(**fields: object) -> None:
    """Attach facts to this request's log line (e.g. how many sync items were stored, duplicate, invalid)."""
    g.setdefault("log_fields", {}).update(fields)


def init_request_logs(app: Flask) -> None:
    logger = logging.getLogger(LOGGER_NAME)
    if app.config.get("REQUEST_LOGS", app.config["ENV"] == "production") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLineFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    app.before_request(_start_timer)
    app.after_request(_log_request)
