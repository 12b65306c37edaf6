from __future__ import annotations

import datetime as dt
import threading

import pytest
from flask import abort
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from riskedu import create_app
from riskedu.database import UTCDateTime, make_engine
from riskedu.web.csrf import public_form
from tests.conftest import app_config


def test_db_upgrade_builds_a_fresh_database_and_the_migrations_match_the_models(tmp_path) -> None:
    app = create_app(app_config(f"sqlite:///{tmp_path}/fresh.sqlite3"))
    runner = app.test_cli_runner()
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    checked = runner.invoke(args=["db", "check"])
    assert checked.exit_code == 0, checked.output
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas.sqlite3", sqlite_busy_timeout_ms=4321)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_concurrent_writers_wait_instead_of_failing(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/busy.sqlite3")
    metadata = MetaData()
    counter = Table("counter", metadata, Column("id", Integer, primary_key=True), Column("n", Integer))
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(counter).values(id=1, n=0))
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                # Read then write in one transaction: the pattern that fails with "database is locked"
                # when transactions start deferred.
                with engine.begin() as connection:
                    n = connection.execute(select(counter.c.n)).scalar_one()
                    connection.execute(counter.update().values(n=n + 1))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(select(counter.c.n)).scalar_one() == 200
    engine.dispose()


def test_timestamps_are_stored_and_read_back_as_utc(db_connection) -> None:
    metadata = MetaData()
    stamps = Table(
        "stamps_probe", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    metadata.create_all(db_connection)
    baku = dt.timezone(dt.timedelta(hours=4))
    db_connection.execute(insert(stamps).values(id=1, at=dt.datetime(2026, 11, 20, 8, 30, tzinfo=baku)))
    stored = db_connection.execute(select(stamps.c.at)).scalar_one()
    assert stored == dt.datetime(2026, 11, 20, 4, 30, tzinfo=dt.UTC)
    assert stored.tzinfo is not None
    with pytest.raises(Exception, match="naive datetime"):
        db_connection.execute(insert(stamps).values(id=2, at=dt.datetime(2026, 11, 20, 8, 30)))


def test_one_transaction_per_request_commits_success_and_rolls_back_failure(app, db_connection) -> None:
    from riskedu.database import db_session

    db_connection.execute(text("CREATE TABLE request_probe (label VARCHAR(20))"))

    @app.post("/probe/<label>/<int:status>")
    @public_form  # this probe is about transactions, not CSRF
    def probe(label: str, status: int) -> str:
        db_session().execute(text("INSERT INTO request_probe (label) VALUES (:label)"), {"label": label})
        if status >= 400:
            abort(status)
        return "ok"

    client = app.test_client()
    assert client.post("/probe/kept/200").status_code == 200
    assert client.post("/probe/dropped/400").status_code == 400
    labels = db_connection.execute(text("SELECT label FROM request_probe")).scalars().all()
    assert labels == ["kept"]
