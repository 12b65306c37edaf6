"""Every operator URL (taken from the app itself, so a page added later is walked too), as an anonymous
visitor, a teacher, an operator and an administrator."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from riskedu import create_app
from riskedu.database import database
from tests.conftest import app_config
from tests.test_reports_rules import image_bytes
from tests.test_teaching_support import csrf_token, make_user, sign_in
from tests.test_triage_support import send_report

SECRET_PLACE = "Secret place by the old well"


def ops_rules(app) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "/ops/" in rule.rule or rule.rule.startswith("/api/v1/ops")
    ]


@pytest.fixture
def app(migrated_database, tmp_path):
    app = create_app(app_config(migrated_database, MEDIA_DIR=str(tmp_path / "media")))
    yield app
    database(app).engine.dispose()


@pytest.fixture
def world(app, client, db):
    report_id = send_report(client, place=SECRET_PLACE)
    photo_id = "6f1c1c2e-8e0b-4b57-9d4a-0a4b7c2f3e11"
    response = client.put(
        f"/api/v1/reports/{report_id}/photos/{photo_id}", data=image_bytes(), content_type="image/jpeg"
    )
    assert response.status_code == 201, response.text
    return {"report_id": report_id, "photo_id": photo_id, "token_id": "0b9b7f4e-2c55-4f0b-8f0e-3f7f6a1d2c3b"}


def urls(app, world) -> list[tuple[str, str]]:
    found = []
    for rule in ops_rules(app):
        values = {"locale": "en", **{name: world[name] for name in rule.arguments if name != "locale"}}
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<locale:{name}>", value).replace(f"<{name}>", value)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


def test_every_operator_url_is_walked(app, world) -> None:
    walked = {path for _method, path in urls(app, world)}
    assert "/en/ops/" in walked
    assert f"/en/ops/reports/{world['report_id']}" in walked


def test_anonymous_visitors_are_sent_to_sign_in_and_see_nothing(app, client, world) -> None:
    for method, path in urls(app, world):
        response = client.open(path, method=method)
        assert response.status_code in (302, 400, 401), (method, path, response.status_code)
        assert SECRET_PLACE not in response.text
        if method == "GET" and not path.startswith("/api/"):
            assert "/login" in response.headers["Location"]


def test_teachers_are_refused(app, client, db, world) -> None:
    sign_in(client, make_user(db, "teacher"))
    token = csrf_token(client, "/en/teach/")
    for method, path in urls(app, world):
        response = client.open(path, method=method, data={"csrf_token": token, "status": "under_review"})
        assert response.status_code in (401, 403), (method, path, response.status_code)
        assert SECRET_PLACE not in response.text


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_operators_and_administrators_get_every_page(app, client, db, world, role) -> None:
    sign_in(client, make_user(db, role))
    for method, path in urls(app, world):
        if method != "GET":
            continue
        # The JSON API takes an API token only (tests/test_triage_api.py); a session is not enough.
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
            continue
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers["Cache-Control"] == "no-store"


def test_an_operator_signs_in_to_the_queue(client, db) -> None:
    response = sign_in(client, make_user(db, "operator"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/ops/")
