"""The same batch sent twice at the same moment (a phone retrying while its first request is still running):
every item is stored exactly once. Real threads, a real database file (or PostgreSQL), real commits."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from riskedu import create_app
from riskedu.accounts.models import User
from riskedu.content import content_catalog
from riskedu.database import database
from riskedu.sync.models import Enrollment, LessonProgress, QuizAnswer, QuizAttempt, SyncItem
from riskedu.teaching.models import SchoolClass
from tests.conftest import app_config
from tests.test_sync_api import (
    SYNC,
    add_class,
    batch,
    enrollment,
    first_quiz,
    lesson_progress,
    new_id,
    quiz_attempt,
)

ROUNDS = 3
ITEMS = 30


@pytest.fixture
def committing_app(tmp_path, request) -> Iterator[Flask]:
    """An app whose requests really commit: not the per-test rolled-back transaction of the other tests."""
    if os.environ.get("RISKEDU_TEST_DATABASE_URL"):
        url = request.getfixturevalue("migrated_database")
    else:
        url = f"sqlite:///{tmp_path}/concurrent.sqlite3"
    app = create_app(app_config(url))
    if not os.environ.get("RISKEDU_TEST_DATABASE_URL"):
        upgraded = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
    client_ids: list[str] = []
    app.extensions["test.client_ids"] = client_ids
    # The class the enrollments join (an enrollment's code must be a class's).
    with Session(database(app).engine, expire_on_commit=False) as session:
        joined = add_class(session)
    try:
        yield app
    finally:
        # The shared PostgreSQL database outlives this test: remove exactly what it stored.
        with database(app).engine.begin() as connection:
            ids = select(SyncItem.id).where(SyncItem.client_id.in_(client_ids))
            connection.execute(delete(QuizAnswer).where(QuizAnswer.attempt_id.in_(ids)))
            for model in (QuizAttempt, LessonProgress, Enrollment):
                connection.execute(delete(model).where(model.id.in_(ids)))
            connection.execute(delete(SyncItem).where(SyncItem.client_id.in_(client_ids)))
            connection.execute(delete(SchoolClass).where(SchoolClass.id == joined.id))
            connection.execute(delete(User).where(User.id == joined.teacher_id))
        database(app).engine.dispose()


def send_twice_at_once(app: Flask, body: dict[str, Any]) -> list[TestResponse]:
    """Two clients, two threads, released together by a barrier."""
    start = threading.Barrier(2)
    responses: dict[int, TestResponse] = {}
    errors: list[BaseException] = []

    def send(slot: int) -> None:
        client = app.test_client()
        try:
            start.wait(timeout=10)
            responses[slot] = client.post(SYNC, json=body)
        except BaseException as error:  # re-raised below: an assert inside a thread would be lost
            errors.append(error)

    threads = [threading.Thread(target=send, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return [responses[0], responses[1]]


def test_the_same_batch_sent_twice_at_once_is_stored_exactly_once(committing_app) -> None:
    with committing_app.app_context():
        catalog = content_catalog()
    quiz = first_quiz(catalog)
    lesson_id = catalog.lessons_in_order("en")[0].id
    makers = (lambda: quiz_attempt(quiz), lambda: lesson_progress(lesson_id), enrollment)

    # A few rounds: the two requests overlap differently each time.
    for _ in range(ROUNDS):
        client_id = new_id()
        committing_app.extensions["test.client_ids"].append(client_id)
        body = batch(*[makers[n % 3]() for n in range(ITEMS)], client_id=client_id)

        responses = send_twice_at_once(committing_app, body)

        assert [response.status_code for response in responses] == [200, 200]
        first, second = (response.json["results"] for response in responses)
        for item, one, other in zip(body["items"], first, second, strict=True):
            assert sorted([one["status"], other["status"]]) == ["duplicate", "stored"], (one, other)
            assert one["receipt"] == other["receipt"]
            assert one["id"] == other["id"] == item["id"]
        with database(committing_app).engine.connect() as connection:
            stored = connection.execute(
                select(func.count()).select_from(SyncItem).where(SyncItem.client_id == client_id)
            ).scalar_one()
        assert stored == ITEMS
