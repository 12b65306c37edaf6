"""POST /api/v1/sync as a phone (or another system) sees it: shared/sync-protocol.md, item by item."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from riskedu import create_app
from riskedu.accounts.models import User
from riskedu.content import content_catalog
from riskedu.content.model import Catalog, Quiz
from riskedu.database import database
from riskedu.sync import services
from riskedu.sync import views as sync_views
from riskedu.sync.models import Enrollment, LessonProgress, QuizAnswer, QuizAttempt, SyncItem
from riskedu.sync.schemas import SyncResponse
from riskedu.teaching.models import SchoolClass
from tests.conftest import app_config

SYNC = "/api/v1/sync"
RECEIPT = re.compile(r"^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$")
BAKU = dt.timezone(dt.timedelta(hours=4))


# --- making items the way the phone does ------------------------------------------------------------------


def new_id() -> str:
    return str(uuid.uuid4())


def a_while_ago(minutes: int = 30) -> dt.datetime:
    return (dt.datetime.now(BAKU) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


def first_quiz(catalog: Catalog, locale: str = "en") -> Quiz:
    return next(iter(sorted(catalog.quizzes[locale].values(), key=lambda quiz: quiz.id)))


def right_answers(quiz: Quiz) -> dict[str, list[str]]:
    return {question.id: sorted(question.answer) for question in quiz.questions}


def wrong_answers(quiz: Quiz) -> dict[str, list[str]]:
    def wrong(question) -> list[str]:
        # A choice that is not right; where every choice is right, leaving one out is wrong too.
        others = [choice.id for choice in question.choices if choice.id not in question.answer]
        return others[:1] or sorted(question.answer)[:1]

    return {question.id: wrong(question) for question in quiz.questions}


def quiz_attempt(quiz: Quiz, answers: dict[str, list[str]] | None = None, **data: Any) -> dict[str, Any]:
    finished = a_while_ago()
    return {
        "kind": "quiz_attempt",
        "id": new_id(),
        "data": {
            "quiz_id": quiz.id,
            "locale": quiz.locale,
            "started_at": (finished - dt.timedelta(minutes=4)).isoformat(),
            "finished_at": finished.isoformat(),
            "answers": right_answers(quiz) if answers is None else answers,
            **data,
        },
    }


def lesson_progress(
    lesson_id: str, locale: str = "en", event: str = "completed", **data: Any
) -> dict[str, Any]:
    data = {"lesson_id": lesson_id, "locale": locale, "event": event, "at": a_while_ago().isoformat(), **data}
    return {"kind": "lesson_progress", "id": new_id(), "data": data}


def enrollment(class_code: str = "K7Q4M2", nickname: str = "Aysel") -> dict[str, Any]:
    return {"kind": "enrollment", "id": new_id(), "data": {"class_code": class_code, "nickname": nickname}}


def batch(*items: Any, client_id: str | None = None) -> dict[str, Any]:
    # English, so the messages below read as written (they follow the item's or client's language).
    client = {"id": client_id or new_id(), "app_version": "1.4.2", "locale": "en"}
    return {"client": client, "items": list(items)}


@pytest.fixture
def catalog(app) -> Catalog:
    with app.app_context():
        return content_catalog()


@pytest.fixture
def quiz(catalog) -> Quiz:
    return first_quiz(catalog)


def add_class(session, join_code: str = "K7Q4M2") -> SchoolClass:
    teacher = User(id=new_id(), email=f"teacher-{new_id()}@example.org", role="teacher", active=True)
    session.add(teacher)
    session.flush()
    school_class = SchoolClass(
        id=new_id(), teacher_id=teacher.id, name="5B", place="Ağdam", language="az", join_code=join_code
    )
    session.add(school_class)
    session.commit()
    return school_class


@pytest.fixture(autouse=True)
def the_class_learners_join(request) -> None:
    """An enrollment's code must be a class's (riskedu.teaching): the class these tests join exists."""
    if "client" in request.fixturenames:
        add_class(request.getfixturevalue("db"))


@pytest.fixture
def lesson_id(catalog) -> str:
    return catalog.lessons_in_order("en")[0].id


def sync(client, body: Any) -> list[dict[str, Any]]:
    response = client.post(SYNC, json=body)
    assert response.status_code == 200, response.text
    # What the server answers is what its OpenAPI description promises.
    SyncResponse.model_validate(response.json)
    return response.json["results"]


def count(db, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


# --- stored, duplicate, conflict ------------------------------------------------------------------------


def test_items_of_every_kind_are_stored_each_with_a_receipt(client, db, quiz, lesson_id) -> None:
    items = [quiz_attempt(quiz), lesson_progress(lesson_id), enrollment("k7q4m2", "  Aysel  ")]
    response = client.post(SYNC, json=batch(*items))
    assert response.status_code == 200
    body = response.json
    assert [result["id"] for result in body["results"]] == [item["id"] for item in items]
    assert [result["status"] for result in body["results"]] == ["stored"] * 3
    receipts = [result["receipt"] for result in body["results"]]
    assert all(RECEIPT.match(receipt) for receipt in receipts)
    assert len(set(receipts)) == 3
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["server_time"])

    assert count(db, SyncItem) == 3
    progress = db.get(LessonProgress, items[1]["id"])
    assert (progress.lesson_id, progress.event, progress.learner_id) == (lesson_id, "completed", None)
    # Kept as the teacher will type it: class codes upper-cased, nicknames trimmed.
    joined = db.get(Enrollment, items[2]["id"])
    assert (joined.class_code, joined.nickname) == ("K7Q4M2", "Aysel")


def test_the_server_grades_quiz_attempts_itself_and_keeps_every_answer(client, db, quiz) -> None:
    learner = new_id()
    perfect = quiz_attempt(quiz, learner_id=learner)
    answers = wrong_answers(quiz)
    skipped = quiz.questions[-1].id
    del answers[skipped]
    failed = quiz_attempt(quiz, answers=answers)
    # A phone cannot claim a score: the server ignores anything it did not ask for.
    failed["data"]["score"] = len(quiz.questions)

    first, second = sync(client, batch(perfect, failed))

    total = len(quiz.questions)
    assert first | {"receipt": "x"} == {
        "id": perfect["id"],
        "status": "stored",
        "receipt": "x",
        "score": total,
        "total": total,
        "percent": 100,
        "passed": True,
    }
    assert (second["score"], second["percent"], second["passed"]) == (0, 0, False)

    attempt = db.get(QuizAttempt, failed["id"])
    assert (attempt.quiz_id, attempt.lesson_id, attempt.score, attempt.total) == (
        quiz.id,
        quiz.lesson_id,
        0,
        total,
    )
    assert attempt.finished_at.tzinfo is not None
    assert attempt.content_version
    stored_answers = {answer.question_id: answer for answer in attempt.answers}
    assert set(stored_answers) == {question.id for question in quiz.questions}
    assert stored_answers[skipped].chosen == []
    assert not stored_answers[skipped].correct
    assert all(answer.quiz_id == quiz.id for answer in stored_answers.values())
    assert db.get(QuizAttempt, perfect["id"]).learner_id == learner
    assert (
        db.scalar(select(func.count()).where(QuizAnswer.correct, QuizAnswer.attempt_id == perfect["id"]))
        == total
    )


def test_a_resent_item_is_a_duplicate_with_the_first_receipt_and_is_stored_once(client, db, quiz) -> None:
    item = quiz_attempt(quiz)
    (first,) = sync(client, batch(item))
    (again,) = sync(client, batch(item))
    assert again == first | {"status": "duplicate"}
    assert count(db, SyncItem) == 1
    assert count(db, QuizAnswer) == len(quiz.questions)


def test_duplicates_are_recognised_however_the_same_content_is_written(client, db, quiz) -> None:
    item = quiz_attempt(quiz)
    (first,) = sync(client, batch(item))
    data = item["data"]
    finished = dt.datetime.fromisoformat(data["finished_at"])
    rewritten = {
        "data": {
            # Other key order, the same instants in UTC, choices in another order, the id in capitals.
            "answers": {question: list(reversed(chosen)) for question, chosen in data["answers"].items()},
            "finished_at": finished.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "started_at": dt.datetime.fromisoformat(data["started_at"]).astimezone(dt.UTC).isoformat(),
            "locale": data["locale"],
            "quiz_id": data["quiz_id"],
        },
        "id": item["id"].upper(),
        "kind": "quiz_attempt",
    }
    (again,) = sync(client, batch(rewritten))
    assert (again["status"], again["receipt"], again["id"]) == (
        "duplicate",
        first["receipt"],
        item["id"].upper(),
    )
    assert count(db, SyncItem) == 1


def test_the_same_id_with_different_content_is_a_conflict_and_nothing_changes(client, db) -> None:
    item = enrollment(nickname="Aysel")
    sync(client, batch(item))
    changed = {**item, "data": {**item["data"], "nickname": "Leyla"}}
    (result,) = sync(client, batch(changed))
    assert result == {
        "id": item["id"],
        "status": "conflict",
        "error": "this id was already stored with different content",
    }
    assert db.get(Enrollment, item["id"]).nickname == "Aysel"


def test_an_id_reused_for_another_kind_is_a_conflict(client, lesson_id) -> None:
    item = lesson_progress(lesson_id)
    sync(client, batch(item))
    (result,) = sync(client, batch({**enrollment(), "id": item["id"]}))
    assert result["status"] == "conflict"


def test_the_same_item_twice_in_one_batch_is_stored_once(client, db, lesson_id) -> None:
    item = lesson_progress(lesson_id)
    first, second = sync(client, batch(item, item))
    assert (first["status"], second["status"]) == ("stored", "duplicate")
    assert first["receipt"] == second["receipt"]
    assert count(db, LessonProgress) == 1


# --- invalid items ----------------------------------------------------------------------------------------


def test_invalid_items_are_answered_one_by_one_and_never_stop_the_others(client, db, quiz, lesson_id) -> None:
    a_question = quiz.questions[0]
    too_early = quiz_attempt(quiz)
    too_early["data"]["finished_at"] = (dt.datetime.now(BAKU) + dt.timedelta(hours=2)).isoformat()
    unknown_question = quiz_attempt(quiz, answers={"q9": ["a"], a_question.id: sorted(a_question.answer)})
    items = [
        enrollment(),
        {"kind": "hazard_report", "id": new_id(), "data": {"observed_at": a_while_ago().isoformat()}},
        {"kind": "weather", "id": new_id(), "data": {}},
        {"kind": "enrollment", "id": "not-a-uuid", "data": {"class_code": "K7Q4M2", "nickname": "Aysel"}},
        enrollment(class_code="K7Q4M0", nickname="aysel@example.org"),
        enrollment(nickname="+994 50 123 45 67"),
        lesson_progress("no-such-lesson"),
        lesson_progress(lesson_id, event="skimmed"),
        quiz_attempt(quiz, quiz_id="no-such-quiz"),
        unknown_question,
        too_early,
        "not an item",
        lesson_progress(lesson_id),
    ]
    results = sync(client, batch(*items))

    assert [result["status"] for result in results] == ["stored"] + ["invalid"] * 11 + ["stored"]
    assert results[3]["id"] == "not-a-uuid"
    assert results[11]["id"] is None
    fields = [[error["field"] for error in result.get("errors", [])] for result in results]
    assert fields[1:12] == [
        ["data.what", "data.place"],
        ["kind"],
        ["id"],
        ["data.class_code", "data.nickname"],
        ["data.nickname"],
        ["data.lesson_id"],
        ["data.event"],
        ["data.quiz_id"],
        ["data.answers.q9"],
        ["data.finished_at"],
        ["item"],
    ]
    messages = {error["message"] for result in results for error in result.get("errors", [])}
    assert "describe the place, or give a position (at least one of them)" in messages
    assert "must be a nickname, not an e-mail address" in messages
    assert "must be a nickname, not a phone number" in messages
    assert "must not be in the future (check the phone's clock)" in messages
    assert "must be 'opened' or 'completed'" in messages
    # Plain words for people, not the validation library's jargon.
    assert not any(re.search(r"Input should|Value error|pydantic", message) for message in messages)
    assert count(db, SyncItem) == 2


def test_a_missing_field_is_named_with_its_path(client) -> None:
    item = {"kind": "quiz_attempt", "id": new_id(), "data": {"locale": "en", "answers": {"q": "a"}}}
    (result,) = sync(client, batch(item))
    assert result["errors"] == [
        {"field": "data.quiz_id", "message": "is required"},
        {"field": "data.started_at", "message": "is required"},
        {"field": "data.finished_at", "message": "is required"},
        {"field": "data.answers.q", "message": "must be a list"},
    ]


# --- whole-request answers ------------------------------------------------------------------------------


def assert_error_body(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.mimetype == "application/json"
    assert isinstance(response.json["error"], str)
    assert response.json["error"]
    return response.json


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", json.dumps(batch())),
        ("application/x-www-form-urlencoded", "items=1"),
        (None, json.dumps(batch())),
    ],
)
def test_a_body_that_is_not_declared_json_is_refused_with_415(client, content_type, body) -> None:
    response = client.post(SYNC, data=body, content_type=content_type)
    assert_error_body(response, 415)


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "",
        '{"client": {}, "items": NaN}',
        b"\xff\xfe\x00garbage",
        "[1, 2, 3]",
        '{"client": {}}',
        '{"items": {"0": {}}}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["broken", "empty", "nan", "not-utf8", "array", "no-items", "items-not-a-list", "deeply-nested"],
)
def test_a_body_that_is_not_json_or_has_no_items_list_is_refused_with_400(client, db, body) -> None:
    response = client.post(SYNC, data=body, content_type="application/json")
    assert_error_body(response, 400)
    assert count(db, SyncItem) == 0


def test_a_missing_client_description_is_refused_with_400(client) -> None:
    response = client.post(SYNC, json={"items": [enrollment()]})
    assert assert_error_body(response, 400)["errors"] == [{"field": "client", "message": "is required"}]


def test_a_wrong_client_description_is_refused_with_400_naming_each_field(client, db) -> None:
    body = batch(enrollment())
    body["client"] = {"id": "install-7", "locale": "az" * 20}
    response = client.post(SYNC, json=body)
    errors = assert_error_body(response, 400)["errors"]
    assert errors == [
        {"field": "client.id", "message": "must be a UUID, e.g. 6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69"},
        {"field": "client.app_version", "message": "is required"},
        {"field": "client.locale", "message": "must be at most 35 characters"},
    ]
    assert count(db, SyncItem) == 0


def test_more_than_100_items_is_refused_with_413_and_100_are_accepted(client, db) -> None:
    response = client.post(SYNC, json=batch(*[enrollment() for _ in range(101)]))
    assert "100 items" in assert_error_body(response, 413)["error"]
    assert count(db, SyncItem) == 0
    results = sync(client, batch(*[enrollment() for _ in range(100)]))
    assert {result["status"] for result in results} == {"stored"}


def test_a_body_over_1_mib_is_refused_with_413(client, db) -> None:
    body = batch(enrollment())
    body["padding"] = "x" * (1024 * 1024)
    response = client.post(SYNC, json=body)
    assert_error_body(response, 413)
    assert count(db, SyncItem) == 0


def post_chunked(client, body: dict[str, Any]):
    return client.post(
        SYNC,
        input_stream=io.BytesIO(json.dumps(body).encode()),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},  # no Content-Length: the size shows only while reading
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_is_measured_as_it_is_read(client, db) -> None:
    body = batch(enrollment())
    accepted = post_chunked(client, body)
    assert accepted.request.content_length is None
    assert accepted.json["results"][0]["status"] == "stored"
    body["padding"] = "x" * (1024 * 1024)
    assert_error_body(post_chunked(client, body), 413)
    assert count(db, SyncItem) == 1


def test_other_methods_and_unknown_api_paths_answer_json(client) -> None:
    assert_error_body(client.get(SYNC), 405)
    assert_error_body(client.post("/api/v1/no-such-thing", json={}), 404)


def test_requests_over_the_rate_limit_get_429_with_retry_after(migrated_database) -> None:
    app = create_app(app_config(migrated_database, RATELIMIT_ENABLED=True, SYNC_RATE_LIMIT="2 per minute"))
    try:
        client = app.test_client()
        for _ in range(2):
            assert client.post(SYNC, json=batch()).status_code == 200
        refused = client.post(SYNC, json=batch())
        assert "nothing was stored" in assert_error_body(refused, 429)["error"]
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        # Reading the description costs nothing against the limit.
        assert client.get("/api/v1/openapi.json").status_code == 200
    finally:
        database(app).engine.dispose()


def test_rate_limiting_is_on_outside_tests_by_default(migrated_database) -> None:
    app = create_app(app_config(migrated_database, ENV="development"))
    try:
        assert app.config["RATELIMIT_ENABLED"] is True
        assert app.config["SYNC_RATE_LIMIT"] == "120 per minute"
        assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    finally:
        database(app).engine.dispose()


# --- failures and retries ---------------------------------------------------------------------------------


def test_a_server_error_mid_batch_keeps_what_was_stored_and_a_resend_completes_it(
    client, db, monkeypatch, lesson_id
) -> None:
    items = [lesson_progress(lesson_id) for _ in range(5)]
    failing_id = items[2]["id"]
    real_store = services.STORERS["lesson_progress"]

    def store_or_fail(session, item, catalog):
        if item.id == failing_id:
            raise RuntimeError("disk unplugged")
        return real_store(session, item, catalog)

    monkeypatch.setitem(services.STORERS, "lesson_progress", store_or_fail)
    failed = client.post(SYNC, json=batch(*items))
    assert_error_body(failed, 500)
    assert "send it again" in failed.json["error"]
    stored = {row.id: row.receipt for row in db.scalars(select(SyncItem))}
    assert set(stored) == {items[0]["id"], items[1]["id"]}

    monkeypatch.setitem(services.STORERS, "lesson_progress", real_store)
    results = sync(client, batch(*items))
    assert [result["status"] for result in results] == ["duplicate"] * 2 + ["stored"] * 3
    assert [result["receipt"] for result in results[:2]] == [stored[items[0]["id"]], stored[items[1]["id"]]]
    assert count(db, LessonProgress) == 5


def test_when_the_answer_is_lost_after_the_commit_the_resend_gets_the_same_receipts(client, db, quiz) -> None:
    items = [quiz_attempt(quiz), enrollment()]
    client.post(SYNC, json=batch(*items))  # the connection drops: the phone never reads this answer
    receipts = {row.id: row.receipt for row in db.scalars(select(SyncItem))}

    results = sync(client, batch(*items))
    assert [result["status"] for result in results] == ["duplicate", "duplicate"]
    assert [result["receipt"] for result in results] == [receipts[item["id"]] for item in items]
    # ...and the learner still sees the score the server gave.
    assert results[0]["percent"] == 100
    assert count(db, SyncItem) == 2


def test_an_item_inserted_by_a_concurrent_request_after_the_lookup_is_a_duplicate(
    client, db, monkeypatch, lesson_id
) -> None:
    item = lesson_progress(lesson_id)
    (first,) = sync(client, batch(item))
    # As if the other request committed between this one's lookup and its insert.
    monkeypatch.setattr(sync_views, "find_stored_batch", lambda session, items: {})
    (again,) = sync(client, batch(item))
    assert again == first | {"status": "duplicate"}
    assert count(db, SyncItem) == 1


def test_a_receipt_already_given_is_never_given_again(client, db, monkeypatch, lesson_id) -> None:
    (first,) = sync(client, batch(lesson_progress(lesson_id)))
    codes = iter([first["receipt"], "ABC-DEF"])
    monkeypatch.setattr(services, "new_receipt", lambda: next(codes))
    (second,) = sync(client, batch(lesson_progress(lesson_id)))
    assert (second["status"], second["receipt"]) == ("stored", "ABC-DEF")
    assert count(db, SyncItem) == 2


def test_a_synced_attempt_with_one_lethal_answer_is_not_passed(client, db, catalog) -> None:
    quiz = next(q for q in catalog.quizzes["en"].values() if any(x.critical for x in q.questions))
    critical = next(q for q in quiz.questions if q.critical)
    answers = right_answers(quiz)
    answers[critical.id] = [next(c.id for c in critical.choices if c.id not in critical.answer)]

    (result,) = sync(client, batch(quiz_attempt(quiz, answers=answers)))

    total = len(quiz.questions)
    assert (result["score"], result["total"], result["passed"]) == (total - 1, total, False)
    assert result["percent"] >= quiz.pass_percent  # the score alone would have passed
