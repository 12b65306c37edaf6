"""Personal API tokens and the operators' JSON API."""

from __future__ import annotations

import re

from tests.test_teaching_support import csrf_token, make_user, sign_in
from tests.test_triage_support import post_status, send_report, signed_in_operator

NEW_TOKEN = re.compile(r"data-new-token>(rke_[A-Za-z0-9_-]+)<")


def make_token(client, name: str = "National database sync") -> str:
    token = csrf_token(client, "/en/ops/tokens")
    page = client.post("/en/ops/tokens", data={"name": name, "csrf_token": token}).text
    found = NEW_TOKEN.search(page)
    assert found, page
    return found.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_integration_reads_reports_with_a_token(client, db) -> None:
    report_id = send_report(client, injured=2, what=["grenade"])
    signed_in_operator(client, db)
    post_status(client, report_id, "under_review", reason="Calling the reporter")
    token = make_token(client)
    api = client.application.test_client()  # no session cookie: only the token
    listing = api.get("/api/v1/ops/reports?what=grenade", headers=bearer(token))
    assert listing.status_code == 200
    assert listing.headers["Cache-Control"] == "no-store"
    [report] = listing.json["reports"]
    assert report["local_id"] == report_id
    assert report["priority"] == 0
    assert report["latitude"] == 39.7601
    one = api.get(f"/api/v1/ops/reports/{report_id}", headers=bearer(token))
    assert one.json["status"] == "under_review"
    assert one.json["history"][0]["reason"] == "Calling the reporter"
    assert api.get("/api/v1/ops/reports/not-a-report", headers=bearer(token)).status_code == 404


def test_without_a_valid_token_the_api_answers_401(client, db) -> None:
    send_report(client)
    signed_in_operator(client, db)
    token = make_token(client)
    api = client.application.test_client()
    for headers in ({}, bearer("rke_wrong"), bearer(token[:-1]), {"Authorization": token}):
        response = api.get("/api/v1/ops/reports", headers=headers)
        assert response.status_code == 401
        assert "reports" not in response.json
    # A signed-in session is not a token either.
    assert client.get("/api/v1/ops/reports").status_code == 401


def test_a_revoked_token_or_a_deactivated_owner_stops_working(client, db) -> None:
    operator = signed_in_operator(client, db)
    first, second = make_token(client, "first"), make_token(client, "second")
    api = client.application.test_client()
    page = client.get("/en/ops/tokens").text
    assert first not in page  # shown once only
    token_id = re.findall(r"/en/ops/tokens/([0-9a-f-]{36})/revoke", page)[0]
    client.post(
        f"/en/ops/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/en/ops/tokens")}
    )
    assert api.get("/api/v1/ops/reports", headers=bearer(first)).status_code == 401
    assert api.get("/api/v1/ops/reports", headers=bearer(second)).status_code == 200
    operator.active = False
    db.commit()
    assert api.get("/api/v1/ops/reports", headers=bearer(second)).status_code == 401


def test_nobody_revokes_another_operators_token(client, db) -> None:
    signed_in_operator(client, db)
    make_token(client)
    token_id = re.findall(r"/en/ops/tokens/([0-9a-f-]{36})/revoke", client.get("/en/ops/tokens").text)[0]
    other = client.application.test_client()
    sign_in(other, make_user(db, "operator"))
    response = other.post(
        f"/en/ops/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(other, "/en/ops/tokens")}
    )
    assert response.status_code == 404
