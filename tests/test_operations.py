from __future__ import annotations

import json
import logging

from riskedu import create_app
from riskedu.web.request_log import LOGGER_NAME, JsonLineFormatter
from tests.conftest import app_config


def test_readiness_says_ready_when_the_database_answers(app) -> None:
    # Not the rolled-back test transaction: on SQLite that holds the write lock, which /readyz reports.
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": "ok"}


def test_readiness_says_unavailable_when_the_database_does_not(migrated_database) -> None:
    # Nothing listens on port 9: the process is alive (healthz) but cannot serve (readyz).
    app = create_app(app_config("postgresql+psycopg://x@127.0.0.1:9/x"))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_each_request_is_one_json_log_line_without_query_or_body(client, caplog) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        client.get("/en/lessons/?secret=do-not-log")
    records = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert len(records) == 1
    line = json.loads(JsonLineFormatter().format(records[0]))
    assert line["method"] == "GET"
    assert line["path"] == "/en/lessons/"
    assert line["status"] == 200
    assert line["ms"] >= 0
    assert "do-not-log" not in json.dumps(line)


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(migrated_database, caplog) -> None:
    app = create_app(app_config(migrated_database, PROXY_HOPS=1))
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"})
    line = json.loads(JsonLineFormatter().format(next(r for r in caplog.records if r.name == LOGGER_NAME)))
    assert line["client"] == "203.0.113.7"


def test_the_sync_log_line_counts_items_by_status(client, caplog) -> None:
    client_info = {"id": "0b8c7b0e-2a44-4f0e-9a55-3d7c1f0a9e11", "app_version": "t", "locale": "en"}
    item = {
        "kind": "lesson_progress",
        "id": "6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69",
        "data": {
            "lesson_id": "danger-signs",
            "locale": "en",
            "event": "opened",
            "at": "2026-11-20T08:30:00+04:00",
        },
    }
    broken = {"kind": "no_such_kind", "id": "7a1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69", "data": {}}
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        client.post("/api/v1/sync", json={"client": client_info, "items": [item, item, broken]})
    line = json.loads(JsonLineFormatter().format(next(r for r in caplog.records if r.name == LOGGER_NAME)))
    assert line["sync"] == {"stored": 1, "duplicate": 1, "invalid": 1}
