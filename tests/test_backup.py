"""A backup taken from a running deployment restores into an empty database (even on another engine)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskedu import create_app
from riskedu.database import database
from riskedu.sync.models import SyncItem
from tests.conftest import app_config, separate_database, upgrade

AT = "2026-11-20T08:30:00+04:00"
CLIENT = {"id": str(uuid.uuid4()), "app_version": "test", "locale": "en"}


def progress_item(lesson_id: str = "danger-signs") -> dict:
    return {
        "kind": "lesson_progress",
        "id": str(uuid.uuid4()),
        "data": {
            "lesson_id": lesson_id,
            "locale": "en",
            "event": "opened",
            "at": "2026-11-20T08:30:00+04:00",
        },
    }


def stored(app) -> dict[str, str]:
    with Session(database(app).engine) as session:
        return {item.id: item.receipt for item in session.scalars(select(SyncItem))}


def test_a_backup_restores_rows_and_media_into_an_empty_database(tmp_path, database_url) -> None:
    source_url = f"sqlite:///{tmp_path}/source.sqlite3"
    upgrade(source_url)
    source = create_app(app_config(source_url, MEDIA_DIR=str(tmp_path / "media-source")))
    item = progress_item()
    answer = source.test_client().post("/api/v1/sync", json={"client": CLIENT, "items": [item]})
    assert answer.status_code == 200
    photo = tmp_path / "media-source" / "reports" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff fake jpeg bytes")
    backup = tmp_path / "backup.tar.gz"
    created = source.test_cli_runner().invoke(args=["backup", "create", "--output", str(backup)])
    assert created.exit_code == 0, created.output

    # Restore on the suite's database engine: SQLite, or PostgreSQL in the second run (SQLite -> PostgreSQL).
    target_url = separate_database(database_url, "restored", tmp_path)
    upgrade(target_url)
    target = create_app(app_config(target_url, MEDIA_DIR=str(tmp_path / "media-target")))
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert stored(target) == stored(source)
    assert len(stored(target)) == 1
    assert (tmp_path / "media-target" / "reports" / "photo.jpg").read_bytes() == photo.read_bytes()
    # The restored deployment answers a phone's resend as the original would: duplicate, same receipt.
    resent = target.test_client().post("/api/v1/sync", json={"client": CLIENT, "items": [item]}).json
    assert resent["results"][0]["status"] == "duplicate"
    assert resent["results"][0]["receipt"] == answer.json["results"][0]["receipt"]
    database(source).engine.dispose()
    database(target).engine.dispose()


def test_restore_refuses_a_database_that_holds_data_unless_told(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/one.sqlite3"
    upgrade(url)
    app = create_app(app_config(url, MEDIA_DIR=str(tmp_path / "media")))
    app.test_client().post("/api/v1/sync", json={"client": CLIENT, "items": [progress_item()]})
    backup = tmp_path / "b.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", "create", "--output", str(backup)]).exit_code == 0
    refused = app.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    replaced = app.test_cli_runner().invoke(args=["backup", "restore", "--replace", str(backup)])
    assert replaced.exit_code == 0, replaced.output
    assert len(stored(app)) == 1
    database(app).engine.dispose()


def test_restore_refuses_a_database_at_another_schema_revision(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/src.sqlite3"
    upgrade(url)
    app = create_app(app_config(url, MEDIA_DIR=str(tmp_path / "media")))
    backup = tmp_path / "b.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", "create", "--output", str(backup)]).exit_code == 0
    blank = create_app(app_config(f"sqlite:///{tmp_path}/blank.sqlite3", MEDIA_DIR=str(tmp_path / "m2")))
    refused = blank.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert refused.exit_code != 0
    assert "flask db upgrade" in refused.output
    database(app).engine.dispose()
    database(blank).engine.dispose()
