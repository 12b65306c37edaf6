"""The SMS fallback on the server: POST /api/v1/sms/inbound from a gateway, its secret, and one report per id
whether it came by text message, from the phone, or both (docs/reports.md)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from riskedu import create_app
from riskedu.database import database
from riskedu.reports.models import HazardReport
from riskedu.reports.sms import format_sms
from riskedu.sync.models import SyncItem
from riskedu.sync.validation import check_item
from tests.conftest import app_config
from tests.test_reports_api import report, sync
from tests.test_reports_rules import EMPTY_CATALOG, report_data

INBOUND = "/api/v1/sms/inbound"
SECRET = "gateway-secret-0123456789-abcdefghij"
AUTH = {"Authorization": f"Bearer {SECRET}"}


@pytest.fixture
def app(migrated_database, tmp_path):
    app = create_app(
        app_config(migrated_database, MEDIA_DIR=str(tmp_path / "media"), SMS_GATEWAY_SECRET=SECRET)
    )
    yield app
    database(app).engine.dispose()


def sms_of(item: dict[str, Any]) -> str:
    checked = check_item(item, EMPTY_CATALOG)
    return format_sms(item["id"], checked.data)  # type: ignore[union-attr]


def text_in(client, text: str, sender: str = "+994501234567", headers: dict[str, str] | None = None):
    return client.post(
        INBOUND, json={"from": sender, "text": text}, headers=AUTH if headers is None else headers
    )


def reports_count(db) -> int:
    return db.scalar(select(func.count()).select_from(HazardReport))


# --- the secret ---------------------------------------------------------------------------------------------


def test_without_a_configured_secret_every_message_is_refused(
    migrated_database, tmp_path, db_connection
) -> None:
    app = create_app(app_config(migrated_database, MEDIA_DIR=str(tmp_path / "m")))
    response = app.test_client().post(INBOUND, json={"from": "1", "text": sms_of(report())}, headers=AUTH)
    assert response.status_code == 403
    assert "RISKEDU_SMS_GATEWAY_SECRET" in response.json["error"]
    database(app).engine.dispose()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Basic " + SECRET}, 401),
        ({"Authorization": "Bearer "}, 401),
        ({"Authorization": "Bearer wrong-secret"}, 403),
        ({"Authorization": f"Bearer {SECRET}x"}, 403),
        ({"Authorization": f"Bearer {SECRET[:-1]}"}, 403),
    ],
)
def test_a_gateway_without_the_right_secret_is_refused(client, db, headers, status) -> None:
    response = text_in(client, sms_of(report()), headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert reports_count(db) == 0


# --- messages -----------------------------------------------------------------------------------------------


def test_a_message_becomes_a_report_with_a_receipt_and_a_reply(client, db) -> None:
    item = report(report_data(locale="az"))
    response = text_in(client, sms_of(item))
    assert response.status_code == 200, response.text
    body = response.json
    assert body["status"] == "stored"
    assert body["id"] == item["id"]
    assert body["receipt"] in body["reply"]
    stored = db.get(HazardReport, item["id"])
    assert (stored.channel, stored.sms_sender, stored.status) == ("sms", "+994501234567", "received")
    assert stored.what == ["mine"]
    assert stored.place == item["data"]["place"]
    assert stored.description is None
    assert stored.reporter_name is None

    again = text_in(client, sms_of(item))
    assert again.status_code == 200
    assert (again.json["status"], again.json["receipt"]) == ("duplicate", body["receipt"])
    assert reports_count(db) == 1


def test_form_fields_from_a_gateway_are_read_too(client, db) -> None:
    item = report()
    response = client.post(INBOUND, data={"from": "+994", "text": sms_of(item)}, headers=AUTH)
    assert response.status_code == 200
    assert db.get(HazardReport, item["id"]) is not None


@pytest.mark.parametrize(
    "text",
    [
        "There is a mine near the school, come quickly",
        f"RK1 {uuid.uuid4()} 20261120T0830Z W=mine P=200,46 T=x",
        f"RK1 {uuid.uuid4()} 20991120T0830Z W=mine T=in the future",
        f"RK1 {uuid.uuid4()} 20261120T0830Z W=mine",  # no place and no position
    ],
)
def test_a_message_that_is_not_a_valid_report_stores_nothing(client, db, text) -> None:
    response = text_in(client, text)
    assert response.status_code == 422
    assert response.json["status"] == "invalid"
    assert response.json["errors"]
    assert "112" in response.json["reply"]  # whoever texted is told to call
    assert reports_count(db) == 0


def test_a_request_without_text_is_refused(client) -> None:
    assert client.post(INBOUND, json={"from": "+994"}, headers=AUTH).status_code == 400


# --- one report, however it arrived ---------------------------------------------------------------------


def test_the_phones_full_report_completes_the_one_from_the_text_message(client, db) -> None:
    # The phone's secret proves the full version comes from the phone that sent the message (docs/sync.md).
    item = report(report_data(author_secret="phone-secret-0123456789abcdef"))
    receipt = text_in(client, sms_of(item)).json["receipt"]
    # Later the phone gets data and sends the whole report: the same receipt, and what the message lacked.
    [result] = sync(client, item)
    assert result == {"id": item["id"], "status": "duplicate", "receipt": receipt}
    stored = db.get(HazardReport, item["id"])
    db.refresh(stored)
    assert stored.description == item["data"]["description"]
    assert (stored.reporter_name, stored.lat) == ("Elnur", 39.7601)
    assert stored.completed_at is not None
    assert stored.channel == "sms"
    # Sent again (a lost answer), and the message delivered again by the gateway: still one report.
    [again] = sync(client, item)
    assert again["status"] == "duplicate"
    assert text_in(client, sms_of(item)).json["status"] == "duplicate"
    assert reports_count(db) == 1
    assert db.scalar(select(func.count()).select_from(SyncItem)) == 1


def test_a_full_report_that_does_not_match_the_message_is_a_conflict(client, db) -> None:
    item = report()
    text_in(client, sms_of(item))
    different = report(report_data(what=["shell"]), item_id=item["id"])
    [result] = sync(client, different)
    assert result["status"] == "conflict"
    assert db.get(HazardReport, item["id"]).what == ["mine"]


def test_a_message_after_the_phones_report_is_a_duplicate_if_it_matches(client, db) -> None:
    item = report()
    [stored] = sync(client, item)
    response = text_in(client, sms_of(item))
    assert (response.status_code, response.json["status"]) == (200, "duplicate")
    assert response.json["receipt"] == stored["receipt"]
    other = report(report_data(count=7), item_id=item["id"])
    conflict = text_in(client, sms_of(other))
    assert (conflict.status_code, conflict.json["status"]) == (409, "conflict")
    assert db.get(HazardReport, item["id"]).channel == "app"
