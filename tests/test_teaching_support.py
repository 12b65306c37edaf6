"""Factories shared by the accounts and teaching tests (this module holds no tests): people, classes, and
items sent through the real sync API the way a phone sends them."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from riskedu.accounts.models import User
from riskedu.accounts.services import create_user
from riskedu.content.model import Quiz
from riskedu.teaching.models import SchoolClass
from riskedu.teaching.services import ClassDetails, create_class

PASSWORD = "correct horse battery staple"
SYNC = "/api/v1/sync"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def new_id() -> str:
    return str(uuid.uuid4())


def make_user(db, role: str = "teacher", email: str | None = None, password: str | None = PASSWORD) -> User:
    user = create_user(db, email or f"{role}-{new_id()[:8]}@example.org", role, password)
    db.commit()
    return user


def make_class(db, teacher: User, **details: str) -> SchoolClass:
    values = {"name": "5B", "school": "School 3", "place": "Ağdam", "grade": "5", "language": "az", **details}
    school_class = create_class(db, teacher, ClassDetails(**values))
    db.commit()
    return school_class


def csrf_token(client, path: str = "/en/teach/login") -> str:
    page = client.get(path)
    found = TOKEN.search(page.text)
    assert found, f"no CSRF token on {path} ({page.status_code})"
    return found.group(1)


def sign_in(client, user_or_email: User | str, password: str = PASSWORD, locale: str = "en"):
    email = user_or_email.email if isinstance(user_or_email, User) else user_or_email
    token = csrf_token(client, f"/{locale}/teach/login")
    return client.post(
        f"/{locale}/teach/login", data={"email": email, "password": password, "csrf_token": token}
    )


def post_form(client, path: str, data: dict[str, Any], token_from: str | None = None):
    """A form as the browser sends it: with the CSRF token of the page it came from."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={**data, "csrf_token": token})


# --- what phones send -------------------------------------------------------------------------------------


def moment(days_ago: float, hour: int = 10) -> dt.datetime:
    base = dt.datetime.now(dt.UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base - dt.timedelta(days=days_ago)


def enrollment_item(code: str, nickname: str, learner_id: str | None = None) -> dict[str, Any]:
    return {
        "kind": "enrollment",
        "id": learner_id or new_id(),
        "data": {"class_code": code, "nickname": nickname},
    }


def right_answers(quiz: Quiz) -> dict[str, list[str]]:
    return {question.id: sorted(question.answer) for question in quiz.questions}


def a_wrong_choice(question) -> list[str]:
    others = [choice.id for choice in question.choices if choice.id not in question.answer]
    return others[:1] or sorted(question.answer)[:1]


def attempt_item(
    quiz: Quiz, learner_id: str | None, finished_at: dt.datetime, answers: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "quiz_id": quiz.id,
        "locale": quiz.locale,
        "started_at": (finished_at - dt.timedelta(minutes=4)).isoformat(),
        "finished_at": finished_at.isoformat(),
        "answers": right_answers(quiz) if answers is None else answers,
    }
    if learner_id:
        data["learner_id"] = learner_id
    return {"kind": "quiz_attempt", "id": new_id(), "data": data}


def lesson_item(lesson_id: str, learner_id: str, at: dt.datetime, locale: str = "az") -> dict[str, Any]:
    data = {"lesson_id": lesson_id, "locale": locale, "event": "completed", "at": at.isoformat()}
    return {"kind": "lesson_progress", "id": new_id(), "data": {**data, "learner_id": learner_id}}


def send(client, *items: dict[str, Any], locale: str = "az") -> list[dict[str, Any]]:
    body = {"client": {"id": new_id(), "app_version": "test", "locale": locale}, "items": list(items)}
    response = client.post(SYNC, json=body)
    assert response.status_code == 200, response.text
    return response.json["results"]
