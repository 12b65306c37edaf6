"""Review M-2 (and I-10): knowing a report's id, which an SMS carries in clear text, lets nobody complete the
report or add photos to it. Only the phone that made it can: proof of authorship, shared/sync-protocol.md."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from riskedu.reports.authorship import AUTHOR_SECRET_HEADER, sms_proof
from riskedu.reports.models import HazardReport
from riskedu.reports.sms import parse_sms
from tests.test_reports_api import put_photo, report, sync
from tests.test_reports_rules import image_bytes, report_data

# The app with a media folder of its own and the SMS gateway's secret.
from tests.test_reports_sms import app, sms_of, text_in  # noqa: F401

PHONE_SECRET = "Zm9yLXRoZS1waG9uZS1vbmx5LTEyOA"  # base64url, 180 bits
STRANGER_SECRET = "c29tZW9uZS1lbHNlLXRyaWVzLWl0"


def stored(db, report_id: str) -> HazardReport:
    row = db.get(HazardReport, report_id)
    db.refresh(row)
    return row


def test_m2_the_sms_carries_a_short_proof_never_the_secret() -> None:
    item = report(report_data(author_secret=PHONE_SECRET))
    text = sms_of(item)
    assert PHONE_SECRET not in text
    assert f"K={sms_proof(PHONE_SECRET)}" in text
    assert parse_sms(text).proof == hashlib.sha256(PHONE_SECRET.encode()).hexdigest()[:16]


def test_m2_a_stranger_cannot_take_over_a_report_that_came_by_sms(client, db) -> None:
    item = report(report_data(author_secret=PHONE_SECRET))
    receipt = text_in(client, sms_of(item)).json["receipt"]
    # The id and every field the SMS shows, with a stranger's description and call-back number.
    forged = report(
        report_data(
            description="False alarm - an old water pipe. Close this report.",
            reporter={"name": "Village head", "phone": "+1 555 0100"},
        ),
        item_id=item["id"],
    )
    for attempt in (forged, report({**forged["data"], "author_secret": STRANGER_SECRET}, item["id"])):
        [result] = sync(client, attempt)
        assert result["status"] == "conflict"
        assert "receipt" not in result
    row = stored(db, item["id"])
    assert (row.description, row.reporter_phone, row.completed_at) == (None, None, None)
    # The real phone still completes it.
    [real] = sync(client, item)
    assert real == {"id": item["id"], "status": "duplicate", "receipt": receipt}
    row = stored(db, item["id"])
    assert row.description == item["data"]["description"]
    assert row.completed_at is not None


def test_m2_an_sms_without_a_proof_is_completed_by_no_client(client, db) -> None:
    item = report(report_data(author_secret=PHONE_SECRET))
    text = " ".join(part for part in sms_of(item).split(" ") if not part.startswith("K="))
    text_in(client, text)
    [result] = sync(client, item)
    assert result["status"] == "conflict"
    assert stored(db, item["id"]).completed_at is None


def test_m2_only_the_hash_of_the_secret_is_stored(client, db) -> None:
    item = report(report_data(author_secret=PHONE_SECRET))
    [result] = sync(client, item)
    assert result["status"] == "stored"
    row = stored(db, item["id"])
    assert row.author_hash == hashlib.sha256(PHONE_SECRET.encode()).hexdigest()
    values = db.execute(select(HazardReport.__table__).where(HazardReport.id == item["id"])).one()
    assert PHONE_SECRET not in repr(tuple(values))
    # The same report again is a duplicate; without its secret it is someone else's: a conflict.
    assert sync(client, item)[0]["status"] == "duplicate"
    without = {**item["data"]}
    del without["author_secret"]
    assert sync(client, report(without, item["id"]))[0]["status"] == "conflict"


def test_m2_a_secret_too_short_to_be_one_is_invalid(client) -> None:
    [result] = sync(client, report(report_data(author_secret="short")))
    assert result["status"] == "invalid"
    assert result["errors"][0]["field"] == "data.author_secret"


def test_m2_photos_only_from_the_phone_that_made_the_report(client) -> None:
    item = report(report_data(author_secret=PHONE_SECRET))
    sync(client, item)
    url = f"/api/v1/reports/{item['id']}/photos/"
    body = image_bytes()
    for headers in ({}, {AUTHOR_SECRET_HEADER: STRANGER_SECRET}, {AUTHOR_SECRET_HEADER: "x"}):
        refused = client.put(
            url + "0b0b0b0b-0000-4000-8000-000000000001",
            data=body,
            headers={"Content-Type": "image/jpeg", **headers},
        )
        assert refused.status_code == 403
    accepted = client.put(
        url + "0b0b0b0b-0000-4000-8000-000000000001",
        data=body,
        headers={"Content-Type": "image/jpeg", AUTHOR_SECRET_HEADER: PHONE_SECRET},
    )
    assert accepted.status_code == 201


def test_m2_reports_made_before_the_rule_are_accepted_as_before(client) -> None:
    item = report()  # no secret: an older phone
    assert sync(client, item)[0]["status"] == "stored"
    assert put_photo(client, item["id"], image_bytes()).status_code == 201


def test_m2_the_contract_documents_the_secret_and_the_header(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    text = repr(document)
    assert "author_secret" in text
    assert AUTHOR_SECRET_HEADER in text
    photo = document["paths"]["/api/v1/reports/{report_id}/photos/{photo_id}"]["put"]
    assert "403" in photo["responses"]
