"""Fixtures: an app on a migrated test database, each test inside a transaction rolled back afterwards.

The database is SQLite in a temporary folder unless ``RISKEDU_TEST_DATABASE_URL`` names another (CI runs the
suite a second time on PostgreSQL that way).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from riskedu import create_app
from riskedu.database import database, make_engine

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"


def app_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {"ENV": "testing", "SECRET_KEY": TEST_SECRET_KEY, "DATABASE_URL": database_url, **overrides}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("RISKEDU_TEST_DATABASE_URL")
    if url:
        _empty_postgres_schema(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "riskedu-test.sqlite3")


def _empty_postgres_schema(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def separate_database(database_url: str, name: str, folder: Path) -> str:
    """A database of its own for tests that commit for real: a SQLite file, or a PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        return "sqlite:///" + str(folder / f"{name}.sqlite3")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {name}"))
    engine.dispose()
    return database_url + ("&" if "?" in database_url else "?") + f"options=-csearch_path%3D{name}"


def upgrade(database_url: str) -> None:
    app = create_app(app_config(database_url))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    database(app).engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """Build the schema the way an administrator does: ``flask db upgrade``."""
    app = create_app(app_config(database_url))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    database(app).engine.dispose()
    return database_url


@pytest.fixture
def app(migrated_database: str) -> Iterator[Flask]:
    app = create_app(app_config(migrated_database))
    yield app
    database(app).engine.dispose()


@pytest.fixture
def db_connection(app: Flask) -> Iterator[Connection]:
    """Bind the app's sessions to one connection whose outer transaction is rolled back after the test;
    the app's own commits become savepoints inside it."""
    engine: Engine = database(app).engine
    connection = engine.connect()
    outer = connection.begin()
    database(app).session_factory = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def db(app: Flask, db_connection: Connection) -> Iterator[Session]:
    """A session on the test's connection, for arranging data and checking what a request stored."""
    session = database(app).session_factory()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def client(app: Flask, db_connection: Connection) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def cli(app: Flask, db_connection: Connection) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
