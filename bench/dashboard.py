"""How long the server takes to answer a class dashboard with a million quiz attempts in the database.

Seeds (with bulk inserts: executemany on SQLite, COPY on PostgreSQL) 1,000,000 quiz attempts with every
answer (about 6 per attempt), their sync items, lesson progress, enrollments and classes: classes of 30
learners who each took 40 quizzes, over 20 weeks. Then signs in as one class's teacher and requests the
class dashboard, a learner's page and the difficult-questions CSV several times each, through the Flask test
client (no network: the figure is the server's own time, queries and rendering).

    .venv/bin/python bench/dashboard.py [--attempts 1000000] [--requests 30]

Runs on a fresh SQLite file; also on PostgreSQL when RISKEDU_BENCH_DATABASE_URL names one (in a schema of
its own, dropped afterwards). Seeding takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, text

from riskedu import create_app
from riskedu.accounts.models import User
from riskedu.accounts.passwords import hash_password
from riskedu.content import content_catalog
from riskedu.content.grading import grade_quiz
from riskedu.content.model import Quiz
from riskedu.database import database, make_engine
from riskedu.sync.models import Enrollment, LessonProgress, QuizAnswer, QuizAttempt, SyncItem
from riskedu.sync.receipts import RECEIPT_ALPHABET
from riskedu.teaching.models import SchoolClass

PASSWORD = "benchmark passphrase"
CHUNK = 20_000
WEEKS = 20
SCHEMA = "bench_dashboard"


def receipt(n: int) -> str:
    """Unique receipts without drawing random ones: n written in the receipt alphabet."""
    letters = []
    for _ in range(6):
        n, digit = divmod(n, len(RECEIPT_ALPHABET))
        letters.append(RECEIPT_ALPHABET[digit])
    return f"{''.join(letters[:3])}-{''.join(letters[3:])}"


class Seeder:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.items = 0

    def rows(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if self.postgres:
                self._copy(table, chunk)
            else:
                self.connection.execute(insert(table), chunk)

    def _copy(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        columns = list(rows[0])
        driver = self.connection.connection.driver_connection
        assert driver is not None
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if isinstance(row[c], list) else row[c] for c in columns])

    def sync_items(self, ids: Sequence[str], kind: str, received_at: dt.datetime) -> None:
        client = str(uuid.uuid4())
        rows = []
        for item_id in ids:
            rows.append(
                {
                    "id": item_id,
                    "kind": kind,
                    "client_id": client,
                    "content_hash": "0" * 64,
                    "receipt": receipt(self.items),
                    "received_at": received_at,
                }
            )
            self.items += 1
        self.rows(SyncItem.__table__, rows)


def seed(connection: Connection, quizzes: list[Quiz], lesson_ids: list[str], args: argparse.Namespace) -> str:
    """Returns the id of the class to measure (one like every other)."""
    rng = random.Random(7)
    seeder = Seeder(connection)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(weeks=WEEKS)
    per_class = args.learners_per_class * args.attempts_per_learner
    classes = -(-args.attempts // per_class)
    password_hash = hash_password(PASSWORD)
    teachers = [str(uuid.uuid4()) for _ in range(-(-classes // 5))]
    seeder.rows(
        User.__table__,
        [
            {
                "id": teacher,
                "email": f"teacher{n}@bench.example.org",
                "role": "teacher",
                "password_hash": password_hash,
                "active": True,
                "created_at": start,
            }
            for n, teacher in enumerate(teachers)
        ],
    )
    codes = set()
    while len(codes) < classes:
        codes.add("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(6)))
    class_rows = [
        {
            "id": str(uuid.uuid4()),
            "teacher_id": teachers[n // 5],
            "name": f"Class {n}",
            "school": "School",
            "place": f"Village {n % 40}",
            "grade": "5",
            "language": "az",
            "join_code": code,
            "created_at": start,
        }
        for n, code in enumerate(sorted(codes))
    ]
    seeder.rows(SchoolClass.__table__, class_rows)

    made = 0
    for number, school_class in enumerate(class_rows):
        learners = [str(uuid.uuid4()) for _ in range(args.learners_per_class)]
        seeder.sync_items(learners, "enrollment", start)
        seeder.rows(
            Enrollment.__table__,
            [
                {
                    "id": learner,
                    "class_code": school_class["join_code"],
                    "nickname": f"Learner {n}",
                    "enrolled_at": start,
                }
                for n, learner in enumerate(learners)
            ],
        )
        attempts, answers, progress = [], [], []
        for learner in learners:
            skill = rng.uniform(0.5, 0.95)
            for lesson_id in lesson_ids:
                progress.append(
                    {
                        "id": str(uuid.uuid4()),
                        "learner_id": learner,
                        "lesson_id": lesson_id,
                        "locale": "az",
                        "event": "completed",
                        "at": start + dt.timedelta(days=rng.uniform(0, WEEKS * 7)),
                    }
                )
            for _ in range(args.attempts_per_learner):
                if made >= args.attempts:
                    break
                made += 1
                quiz = rng.choice(quizzes)
                chosen = {
                    question.id: (
                        set(question.answer)
                        if rng.random() < skill
                        else {rng.choice([choice.id for choice in question.choices])}
                    )
                    for question in quiz.questions
                }
                graded = grade_quiz(quiz, chosen)
                attempt_id = str(uuid.uuid4())
                finished = start + dt.timedelta(seconds=rng.uniform(0, WEEKS * 7 * 86400))
                attempts.append(
                    {
                        "id": attempt_id,
                        "learner_id": learner,
                        "quiz_id": quiz.id,
                        "lesson_id": quiz.lesson_id,
                        "locale": quiz.locale,
                        "started_at": finished - dt.timedelta(minutes=4),
                        "finished_at": finished,
                        "score": graded.score,
                        "total": graded.total,
                        "percent": graded.percent,
                        "passed": graded.passed,
                        "content_version": "bench",
                    }
                )
                answers.extend(
                    {
                        "attempt_id": attempt_id,
                        "question_id": result.question.id,
                        "quiz_id": quiz.id,
                        "chosen": sorted(result.chosen),
                        "correct": result.correct,
                    }
                    for result in graded.questions
                )
        seeder.sync_items([row["id"] for row in progress], "lesson_progress", now)
        seeder.rows(LessonProgress.__table__, progress)
        seeder.sync_items([row["id"] for row in attempts], "quiz_attempt", now)
        seeder.rows(QuizAttempt.__table__, attempts)
        seeder.rows(QuizAnswer.__table__, answers)
        if number % 100 == 0:
            print(f"  seeded {made:,} attempts", flush=True)
    # What a live database's statistics would be (PostgreSQL's autovacuum does this by itself).
    for table in (
        "users",
        "classes",
        "sync_items",
        "enrollments",
        "lesson_progress",
        "quiz_attempts",
        "quiz_answers",
    ):
        connection.execute(text(f"ANALYZE {table}"))
    return class_rows[len(class_rows) // 2]["id"]


def timed(client, path: str, count: int) -> list[float]:
    client.get(path)  # warm-up
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return times


def report(label: str, what: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(
        f"{label}: {what}: median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms "
        f"({len(times)} requests)"
    )


def run(url: str, label: str, args: argparse.Namespace) -> None:
    app = create_app({"ENV": "testing", "SECRET_KEY": secrets.token_urlsafe(32), "DATABASE_URL": url})
    upgraded = app.test_cli_runner().invoke(args=["db", "upgrade"])
    if upgraded.exit_code != 0:
        raise SystemExit(upgraded.output)
    with app.app_context():
        catalog = content_catalog()
    quizzes = list(catalog.quizzes["az"].values())
    lessons = [lesson.id for lesson in catalog.lessons_in_order("az")]
    started = time.perf_counter()
    with database(app).engine.begin() as connection:
        class_id = seed(connection, quizzes, lessons, args)
    print(f"{label}: seeded in {time.perf_counter() - started:.0f} s")
    measure(app, class_id, label, args)
    database(app).engine.dispose()


def measure(app, class_id: str, label: str, args: argparse.Namespace) -> None:
    with database(app).engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("quiz_attempts", "quiz_answers", "lesson_progress", "enrollments", "classes")
        }
        teacher = connection.execute(
            text("SELECT u.email FROM users u JOIN classes c ON c.teacher_id = u.id WHERE c.id = :id"),
            {"id": class_id},
        ).scalar_one()
        learner = connection.execute(
            text(
                "SELECT e.id FROM enrollments e JOIN classes c ON c.join_code = e.class_code "
                "WHERE c.id = :id LIMIT 1"
            ),
            {"id": class_id},
        ).scalar_one()
        in_class = connection.execute(
            text(
                "SELECT count(*) FROM quiz_attempts a JOIN enrollments e ON e.id = a.learner_id "
                "JOIN classes c ON c.join_code = e.class_code WHERE c.id = :id"
            ),
            {"id": class_id},
        ).scalar_one()
    print(f"{label}: " + ", ".join(f"{count:,} {table}" for table, count in counts.items()))
    print(f"{label}: the measured class has {args.learners_per_class} learners and {in_class:,} attempts")

    client = app.test_client()
    login = client.get("/en/teach/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    signed_in = client.post(
        "/en/teach/login", data={"email": teacher, "password": PASSWORD, "csrf_token": token}
    )
    if signed_in.status_code != 302:
        raise SystemExit("could not sign in")
    base = f"/en/teach/classes/{class_id}"
    report(label, "class dashboard", timed(client, f"{base}/", args.requests))
    report(label, "a learner's page", timed(client, f"{base}/learners/{learner}", args.requests))
    report(label, "difficult questions CSV", timed(client, f"{base}/export/questions.csv", args.requests))


def postgres_schema(url: str) -> Iterator[str]:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    try:
        yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--attempts", type=int, default=1_000_000, help="quiz attempts to seed (default 1,000,000)"
    )
    parser.add_argument("--learners-per-class", type=int, default=30)
    parser.add_argument("--attempts-per-learner", type=int, default=40)
    parser.add_argument("--requests", type=int, default=30, help="requests per page measured (default 30)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'dashboard.sqlite3'}", "SQLite", args)
    postgres = os.environ.get("RISKEDU_BENCH_DATABASE_URL")
    if postgres:
        for url in postgres_schema(postgres):
            run(url, "PostgreSQL", args)


if __name__ == "__main__":
    main()
