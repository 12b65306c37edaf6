"""Factories for the triage tests (this module holds no tests): reports sent through the real sync API,
operators signed in, status changes posted from the report page as a browser does."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from tests.test_reports_rules import report_data
from tests.test_teaching_support import csrf_token, make_user, sign_in

SYNC = "/api/v1/sync"


def send_report(client, **changes: Any) -> str:
    """A report as a phone sends it; its id."""
    report_id = str(uuid.uuid4())
    item = {"kind": "hazard_report", "id": report_id, "data": report_data(**changes)}
    body = {"client": {"id": str(uuid.uuid4()), "app_version": "test", "locale": "az"}, "items": [item]}
    response = client.post(SYNC, json=body)
    assert response.status_code == 200, response.text
    assert response.json["results"][0]["status"] == "stored", response.json
    return report_id


def hours_ago(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def signed_in_operator(client, db, role: str = "operator"):
    user = make_user(db, role)
    sign_in(client, user)
    return user


def post_status(client, report_id: str, status: str, reason: str = "Checked by phone", **extra: str):
    page = f"/en/ops/reports/{report_id}"
    token = csrf_token(client, page)
    data = {"status": status, "reason": reason, "csrf_token": token, **extra}
    return client.post(f"{page}/status", data=data)


def receipt_of(db, report_id: str) -> str:
    from riskedu.sync.models import SyncItem

    item = db.get(SyncItem, report_id)
    assert item is not None
    return item.receipt
