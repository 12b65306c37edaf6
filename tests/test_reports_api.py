"""Reports through /api/v1 as a phone sees them: the hazard_report kind, photo upload and report status,
exactly as shared/sync-protocol.md says."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale, gettext
from PIL import Image
from sqlalchemy import func, select

from riskedu import create_app
from riskedu.database import database
from riskedu.reports.models import HazardReport, ReportPhoto
from riskedu.reports.services import set_report_status
from riskedu.reports.storage import media_storage
from riskedu.sync.models import SyncItem
from tests.conftest import app_config
from tests.test_reports_rules import has_gps, image_bytes, jpeg_with_gps, report_data

SYNC = "/api/v1/sync"
RECEIPT = r"^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$"


@pytest.fixture
def app(migrated_database, tmp_path):
    app = create_app(app_config(migrated_database, MEDIA_DIR=str(tmp_path / "media")))
    yield app
    database(app).engine.dispose()


def report(data: dict[str, Any] | None = None, item_id: str | None = None) -> dict[str, Any]:
    return {"kind": "hazard_report", "id": item_id or str(uuid.uuid4()), "data": data or report_data()}


def sync(client, *items: dict[str, Any], locale: str = "en") -> list[dict[str, Any]]:
    envelope = {
        "client": {"id": str(uuid.uuid4()), "app_version": "web-1", "locale": locale},
        "items": list(items),
    }
    response = client.post(SYNC, json=envelope)
    assert response.status_code == 200, response.text
    return response.json["results"]


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def stored_report(client, data: dict[str, Any] | None = None) -> tuple[str, str]:
    item = report(data)
    [result] = sync(client, item)
    assert result["status"] == "stored", result
    return item["id"], result["receipt"]


# --- the kind -----------------------------------------------------------------------------------------------


def test_a_report_is_stored_once_with_a_receipt_to_read_out(client, db) -> None:
    item = report(report_data(injured=1, place="By the <b>spring</b> & 'mill'"))
    [first] = sync(client, item)
    assert first["status"] == "stored"
    assert set(first) == {"id", "status", "receipt"}
    assert re.match(RECEIPT, first["receipt"])
    [again] = sync(client, item)
    assert again == {"id": item["id"], "status": "duplicate", "receipt": first["receipt"]}
    assert count(db, HazardReport) == 1
    stored = db.get(HazardReport, item["id"])
    assert stored.place == "By the <b>spring</b> & 'mill'"  # as given: escaping is for whoever shows it
    assert (stored.what, stored.near, stored.marked, stored.injured) == (["mine"], ["path", "water"], "no", 1)
    assert stored.urgent
    assert stored.status == "received"
    assert stored.channel == "app"
    assert (stored.lat, stored.lon, stored.accuracy_m, stored.location_source) == (
        39.7601,
        46.7502,
        25,
        "gps",
    )
    assert (stored.reporter_name, stored.reporter_phone, stored.locale) == (
        "Elnur",
        "+994 50 123 45 67",
        "az",
    )


def test_the_same_id_with_different_content_is_a_conflict(client, db) -> None:
    item = report()
    sync(client, item)
    changed = report(report_data(what=["shell"]), item_id=item["id"])
    [result] = sync(client, changed)
    assert result["status"] == "conflict"
    assert db.get(HazardReport, item["id"]).what == ["mine"]


def test_invalid_reports_are_answered_per_item_and_store_nothing(client, db) -> None:
    hostile = "<script>alert('x')</script>"
    results = sync(
        client,
        report(report_data(what=[], place=None, location=None)),
        # Where cannot be read (no place, a position off the globe): every problem is named, optional too.
        report(
            report_data(place=None, location={"lat": 123, "lon": 46}, count=10**9, description=hostile * 400)
        ),
        report(report_data(observed_at="2099-01-01T00:00:00+00:00")),
        report(),
    )
    assert [r["status"] for r in results] == ["invalid", "invalid", "invalid", "stored"]
    fields = [{e["field"] for e in r.get("errors", [])} for r in results]
    assert fields[:3] == [
        {"data.what", "data.place"},
        {"data.location.lat", "data.place", "data.count", "data.description"},
        {"data.observed_at"},
    ]
    assert count(db, HazardReport) == 1
    assert count(db, SyncItem) == 1


def test_messages_are_in_the_reporters_language(migrated_database, tmp_path) -> None:
    app = create_app(app_config(migrated_database, MEDIA_DIR=str(tmp_path / "m")))
    with app.test_request_context(), force_locale("ar"):
        arabic = gettext("choose at least one")
    assert arabic != "choose at least one"
    client = app.test_client()
    # The report's own language first, then the app's, whatever the request's Accept-Language says.
    arabic_report = report(report_data(what=[], locale="ar"))
    no_language = report(report_data(what=[], locale=None))
    [first] = sync(client, arabic_report, locale="en")
    [second] = sync(client, no_language, locale="ar")
    [third] = sync(client, no_language, locale="en")
    assert first["errors"] == [{"field": "data.what", "message": arabic}]
    assert second["errors"] == [{"field": "data.what", "message": arabic}]
    assert third["errors"] == [{"field": "data.what", "message": "choose at least one"}]
    database(app).engine.dispose()


def test_the_published_contract_describes_reports(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    data = schemas["HazardReportData"]
    assert set(data["required"]) == {"observed_at", "what"}
    what = data["properties"]["what"]
    assert what["items"]["enum"] == [
        "mine",
        "tripwire",
        "shell",
        "rocket",
        "mortar",
        "grenade",
        "cluster_submunition",
        "booby_trap",
        "unknown",
    ]
    assert schemas["Location"]["properties"]["lat"]["maximum"] == 90
    assert "place" in data["properties"]
    assert data["properties"]["place"]["anyOf"][0]["maxLength"] == 500
    paths = document["paths"]
    assert set(paths["/api/v1/reports/{report_id}/photos/{photo_id}"]["put"]["responses"]) >= {
        "201",
        "200",
        "404",
        "409",
        "413",
        "415",
    }
    assert "/api/v1/reports/{report_id}/status" in paths
    assert "/api/v1/sms/inbound" in paths
    assert "hazard_report" not in document["info"]["description"].split("Kinds answered `invalid`")[1][:60]


# --- status ---------------------------------------------------------------------------------------------


def test_the_status_tells_the_status_and_nothing_else(client, db) -> None:
    report_id, receipt = stored_report(
        client, report_data(place="Behind Aysel's house", description="secret")
    )
    response = client.get(f"/api/v1/reports/{report_id}/status")
    assert response.status_code == 200
    assert set(response.json) == {"status", "updated_at"}
    assert response.json["status"] == "received"
    assert response.headers["Cache-Control"] == "no-store"
    for detail in ("Aysel", "secret", receipt, "39.76", "Elnur", "mine"):
        assert detail not in response.text
    first_update = response.json["updated_at"]

    assert set_report_status(db, report_id, "referred")
    db.commit()
    later = client.get(f"/api/v1/reports/{report_id.upper()}/status").json
    assert later["status"] == "referred"
    assert later["updated_at"] >= first_update
    with pytest.raises(ValueError, match="unknown report status"):
        set_report_status(db, report_id, "exploded")


@pytest.mark.parametrize("report_id", [str(uuid.uuid4()), "not-a-uuid", "1' OR '1'='1"])
def test_no_status_for_a_report_that_does_not_exist(client, report_id) -> None:
    response = client.get(f"/api/v1/reports/{report_id}/status")
    assert response.status_code == 404
    assert response.json == {"error": "there is no such report"}


# --- photos ---------------------------------------------------------------------------------------------


def put_photo(
    client, report_id: str, body: bytes, photo_id: str | None = None, content_type: str = "image/jpeg"
):
    url = f"/api/v1/reports/{report_id}/photos/{photo_id or uuid.uuid4()}"
    return client.put(url, data=body, headers={"Content-Type": content_type})


def media_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_DIR"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_photo_is_stored_once_and_its_copy_for_everyone_has_no_position(app, client, db) -> None:
    report_id, _ = stored_report(client)
    photo_id = str(uuid.uuid4())
    original = jpeg_with_gps()
    created = put_photo(client, report_id, original, photo_id)
    assert created.status_code == 201, created.text
    assert created.json == {"id": photo_id, "report_id": report_id, "status": "stored"}
    again = put_photo(client, report_id, original, photo_id)
    assert again.status_code == 200
    other = put_photo(client, report_id, image_bytes("JPEG"), photo_id)
    assert other.status_code == 409
    assert other.json["error"]

    photo = db.get(ReportPhoto, photo_id)
    assert (photo.report_id, photo.content_type, photo.byte_size) == (report_id, "image/jpeg", len(original))
    storage = media_storage(app)
    assert storage.read(photo.original_key) == original  # operators keep the original, position and all
    assert has_gps(storage.read(photo.original_key))
    public = storage.read(photo.public_key)
    assert not has_gps(public)
    assert not Image.open(io.BytesIO(public)).getexif()
    assert count(db, ReportPhoto) == 1
    assert len(media_files(app)) == 2


@pytest.mark.parametrize(("image_format", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(client, image_format, content_type) -> None:
    report_id, _ = stored_report(client)
    response = put_photo(client, report_id, image_bytes(image_format), content_type=content_type)
    assert response.status_code == 201


def test_a_photo_before_its_report_is_answered_404_for_the_phone_to_retry(client, db) -> None:
    response = put_photo(client, str(uuid.uuid4()), image_bytes())
    assert response.status_code == 404
    assert "send the report first" in response.json["error"]
    assert count(db, ReportPhoto) == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"<html><script>alert(1)</script></html>", "image/jpeg", 415),  # claims to be a JPEG
        (image_bytes("JPEG")[:300], "image/jpeg", 415),  # broken: cut off
        (image_bytes("GIF"), "image/gif", 415),
        (image_bytes("JPEG"), "text/plain", 415),
        (image_bytes("JPEG"), "application/octet-stream", 415),
        (b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024), "image/jpeg", 413),
    ],
)
def test_what_is_not_an_accepted_photo_is_refused_and_nothing_is_kept(
    app, client, db, body, content_type, status
) -> None:
    report_id, _ = stored_report(client)
    response = put_photo(client, report_id, body, content_type=content_type)
    assert response.status_code == status
    assert response.json["error"]
    assert count(db, ReportPhoto) == 0
    assert media_files(app) == []


def test_ids_that_are_not_uuids(client) -> None:
    report_id, _ = stored_report(client)
    assert put_photo(client, "not-a-report", image_bytes()).status_code == 404
    assert put_photo(client, report_id, image_bytes(), photo_id="photo-1").status_code == 400


def test_a_report_takes_a_few_photos_and_no_more(client) -> None:
    report_id, _ = stored_report(client)
    statuses = [
        put_photo(client, report_id, image_bytes("JPEG", size=(10 + n, 10))).status_code for n in range(6)
    ]
    assert statuses == [201] * 5 + [409]
