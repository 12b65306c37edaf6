"""Every teacher URL, walked as another teacher and as an anonymous visitor: each is refused. The list of URLs
comes from the app itself, so a page added later is walked too (or this test says it is not classified)."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import Rule

from riskedu.accounts.tokens import INVITATION, make_password_link_token
from tests.conftest import TEST_SECRET_KEY
from tests.test_teaching_support import (
    csrf_token,
    enrollment_item,
    make_class,
    make_user,
    new_id,
    post_form,
    send,
    sign_in,
)

# Open to anyone: the sign-in form, setting a password with a link (the link is the credential), and signing
# out (which only ever ends the session of whoever sends it).
PUBLIC = {"signin.login", "accounts.set_password", "accounts.logout"}
# About the signed-in person only, with nothing of anyone else in the address.
PERSONAL = {
    "teaching.class_list",
    "teaching.new_class",
    "teaching.summary",
    "teaching.summary_csv",
    "accounts.account",
}
ADMIN_ONLY = {"accounts.users", "accounts.invite", "accounts.password_link", "accounts.set_active"}
# Everything else names a class of its teacher.
SECRET_NAME = "Secret class of the owner"
SECRET_NICKNAME = "Zümrüd"


def leaks(body: str) -> list[str]:
    return [secret for secret in (SECRET_NAME, SECRET_NICKNAME, "Secret village") if secret in body]


def teacher_rules(app) -> list[Rule]:
    return [
        rule for rule in app.url_map.iter_rules() if "/teach/" in rule.rule or rule.rule.endswith("/login")
    ]


@pytest.fixture
def world(app, client, db):
    owner = make_user(db)
    school_class = make_class(db, owner, name=SECRET_NAME, place="Secret village")
    learner = new_id()
    send(client, enrollment_item(school_class.join_code, SECRET_NICKNAME, learner))
    sign_in(client, owner)
    post_form(
        client,
        f"/en/teach/classes/{school_class.id}/sessions/new",
        {"held_on": "2026-10-01", "place": "Secret village", "method": "face_to_face", "male_6_11": "4"},
    )
    db.refresh(school_class)
    session_id = school_class.sessions[0].id
    values = {
        "locale": "en",
        "class_id": school_class.id,
        "learner_id": learner,
        "session_id": session_id,
        "table": "learners",
        "user_id": owner.id,
        "token": make_password_link_token(TEST_SECRET_KEY, owner.id, owner.password_hash, INVITATION),
    }
    return {"owner": owner, "class": school_class, "values": values}


def urls(app, world) -> list[tuple[Rule, str, str]]:
    found = []
    for rule in teacher_rules(app):
        # The path of this very rule (url_for would build only the first of an endpoint's rules).
        path = re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", lambda m: str(world["values"][m.group(1)]), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule, method, path))
    return found


def classify(endpoint: str) -> str:
    for name, group in (("public", PUBLIC), ("personal", PERSONAL), ("admin", ADMIN_ONLY)):
        if endpoint in group:
            return name
    return "owned"


def test_every_teacher_url_is_classified(app) -> None:
    for rule in teacher_rules(app):
        if classify(rule.endpoint) == "owned":
            assert "class_id" in rule.arguments, f"{rule.rule} ({rule.endpoint}) needs a place in this test"


def request(client, method: str, path: str, token: str):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token, "name": "Taken over", "place": "x", "language": "en"})


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere(app, db, world) -> None:
    visitor = app.test_client()
    token = csrf_token(visitor)
    walked = 0
    for rule, method, path in urls(app, world):
        if classify(rule.endpoint) == "public":
            continue
        response = request(visitor, method, path, token)
        assert response.status_code == 302, (method, path, response.status_code)
        assert response.headers["Location"].startswith("/en/teach/login?next="), (method, path)
        walked += 1
    assert walked >= 15  # not an empty walk


def test_another_teacher_is_refused_everywhere(app, db, world) -> None:
    intruder = make_user(db)
    make_class(db, intruder, name="Intruder's own class")
    other = app.test_client()
    sign_in(other, intruder)
    token = csrf_token(other, "/en/teach/")
    walked = 0
    for rule, method, path in urls(app, world):
        kind = classify(rule.endpoint)
        if kind == "public" or (kind == "personal" and method == "POST"):
            continue
        response = request(other, method, path, token)
        if kind == "personal":
            # Their own page opens, with nothing of the other teacher's on it.
            assert response.status_code == 200, (method, path)
            body = response.get_data(as_text=True)
            assert not leaks(body), path
        else:
            expected = 403 if kind == "admin" else 404
            assert response.status_code == expected, (method, path, response.status_code)
            body = response.get_data(as_text=True)
            assert not leaks(body), path
        walked += 1
    assert walked >= 15  # not an empty walk

    # Nothing of the owner's changed, and every address walked really is the owner's (not a 404 for all).
    owner = app.test_client()
    sign_in(owner, world["owner"])
    for rule, method, path in urls(app, world):
        if method == "GET" and classify(rule.endpoint) == "owned":
            assert owner.get(path).status_code == 200, path
    dashboard = owner.get(f"/en/teach/classes/{world['class'].id}/").text
    assert SECRET_NAME in dashboard
    assert SECRET_NICKNAME in dashboard
    assert "Secret village" in dashboard
