"""How many sync items per second the server stores: POST /api/v1/sync with batches of 100 valid, distinct
items (quiz attempts, lesson progress and enrollments, a third each), one transaction per item as in
production, through the Flask test client (no network, so the figure is the server's own cost).

    .venv/bin/python bench/sync_throughput.py [--batches 50]

Runs on a fresh SQLite file; also on PostgreSQL when RISKEDU_BENCH_DATABASE_URL names one (it is migrated,
and the rows the benchmark made are deleted afterwards).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from riskedu import create_app
from riskedu.accounts.models import User
from riskedu.accounts.services import create_user
from riskedu.content import content_catalog
from riskedu.content.model import Catalog
from riskedu.database import database
from riskedu.sync.models import Enrollment, LessonProgress, QuizAnswer, QuizAttempt, SyncItem
from riskedu.sync.schemas import MAX_ITEMS
from riskedu.teaching.models import SchoolClass
from riskedu.teaching.services import ClassDetails, create_class

SYNC = "/api/v1/sync"


def make_items(catalog: Catalog, count: int, class_code: str) -> list[dict]:
    quizzes = [quiz for locale in catalog.locales for quiz in catalog.quizzes.get(locale, {}).values()]
    lessons = [lesson for locale in catalog.locales for lesson in catalog.lessons.get(locale, {}).values()]
    finished = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    items: list[dict] = []
    for n in range(count):
        item_id = str(uuid.uuid4())
        if n % 3 == 0:
            quiz = quizzes[n % len(quizzes)]
            answers = {
                question.id: [question.choices[(n + i) % len(question.choices)].id]
                for i, question in enumerate(quiz.questions)
            }
            data = {
                "quiz_id": quiz.id,
                "locale": quiz.locale,
                "learner_id": str(uuid.uuid4()),
                "started_at": (finished - dt.timedelta(minutes=5)).isoformat(),
                "finished_at": finished.isoformat(),
                "answers": answers,
            }
            items.append({"kind": "quiz_attempt", "id": item_id, "data": data})
        elif n % 3 == 1:
            lesson = lessons[n % len(lessons)]
            data = {
                "lesson_id": lesson.id,
                "locale": lesson.locale,
                "event": "completed",
                "at": finished.isoformat(),
            }
            items.append({"kind": "lesson_progress", "id": item_id, "data": data})
        else:
            items.append(
                {
                    "kind": "enrollment",
                    "id": item_id,
                    "data": {"class_code": class_code, "nickname": f"Learner {n}"},
                }
            )
    return items


def post_all(client, bodies: list[bytes], expected: str) -> float:
    started = time.perf_counter()
    for body in bodies:
        response = client.post(SYNC, data=body, content_type="application/json")
        statuses = {result["status"] for result in response.get_json()["results"]}
        if response.status_code != 200 or statuses != {expected}:
            raise SystemExit(
                f"unexpected answer {response.status_code}: {response.get_data(as_text=True)[:500]}"
            )
    return time.perf_counter() - started


def run(url: str, label: str, batches: int) -> None:
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": url,
            # The limiter stays in the measured path, with a limit the benchmark never reaches.
            "RATELIMIT_ENABLED": True,
            "SYNC_RATE_LIMIT": "1000000 per minute",
        }
    )
    upgraded = app.test_cli_runner().invoke(args=["db", "upgrade"])
    if upgraded.exit_code != 0:
        raise SystemExit(upgraded.output)
    with app.app_context():
        catalog = content_catalog()
    # Enrollments join a class that exists (an unknown code is answered invalid).
    with Session(database(app).engine, expire_on_commit=False) as session:
        teacher = create_user(session, f"bench-{uuid.uuid4()}@example.org", "teacher")
        school_class = create_class(session, teacher, ClassDetails("Bench", "", "Bench", "", "en"))
        session.commit()
    client_id = str(uuid.uuid4())
    client_info = {"id": client_id, "app_version": "bench", "locale": "en"}
    bodies = [
        json.dumps(
            {"client": client_info, "items": make_items(catalog, MAX_ITEMS, school_class.join_code)}
        ).encode()
        for _ in range(batches + 1)
    ]
    client = app.test_client()
    try:
        post_all(client, bodies[:1], "stored")  # warm-up: connections, caches, first-use imports
        stored_seconds = post_all(client, bodies[1:], "stored")
        duplicate_seconds = post_all(client, bodies[1:], "duplicate")
    finally:
        _remove(app, client_id)
        with database(app).engine.begin() as connection:
            connection.execute(delete(SchoolClass).where(SchoolClass.id == school_class.id))
            connection.execute(delete(User).where(User.id == teacher.id))
        database(app).engine.dispose()
    items = batches * MAX_ITEMS
    print(
        f"{label}: {items} new items in {stored_seconds:.2f} s: {items / stored_seconds:,.0f} items/s stored"
    )
    print(f"{label}: the same items resent: {items / duplicate_seconds:,.0f} items/s answered duplicate")


def _remove(app, client_id: str) -> None:
    with database(app).engine.begin() as connection:
        ids = select(SyncItem.id).where(SyncItem.client_id == client_id)
        connection.execute(delete(QuizAnswer).where(QuizAnswer.attempt_id.in_(ids)))
        for model in (QuizAttempt, LessonProgress, Enrollment):
            connection.execute(delete(model).where(model.id.in_(ids)))
        connection.execute(delete(SyncItem).where(SyncItem.client_id == client_id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=50, help="batches of 100 items to send (default 50)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite", arguments.batches)
    postgres = os.environ.get("RISKEDU_BENCH_DATABASE_URL")
    if postgres:
        run(postgres, "PostgreSQL", arguments.batches)


if __name__ == "__main__":
    main()
