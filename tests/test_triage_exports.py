"""Exports for the national mine action database: GeoJSON checked by a GeoJSON library, CSV readable by a
spreadsheet, both filtered like the queue and mapped to the documented IMSMA-style fields."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geojson

from riskedu.triage.exports import FIELDS
from tests.test_triage_support import post_status, receipt_of, send_report, signed_in_operator


def test_the_geojson_export_is_valid_rfc_7946_with_spot_report_fields(client, db) -> None:
    located = send_report(
        client,
        what=["mine", "tripwire"],
        location={"lat": 39.7601234567, "lon": 46.7502, "accuracy_m": 25, "source": "gps"},
        injured=1,
    )
    unlocated = send_report(client, location=None, place="Near the bridge")
    signed_in_operator(client, db)
    post_status(client, located, "under_review")
    post_status(client, located, "verified")
    post_status(client, located, "referred", reference="CT-2026/17")
    response = client.get("/en/ops/export.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "attachment" in response.headers["Content-Disposition"]
    collection = geojson.loads(response.text)
    assert collection.is_valid, collection.errors()
    features = {feature["id"]: feature for feature in collection["features"]}
    point = features[located]
    # RFC 7946: longitude first.
    assert point["geometry"]["coordinates"] == [46.7502, 39.760123]
    properties = point["properties"]
    assert list(properties) == list(FIELDS)
    assert properties["report_reference"] == receipt_of(db, located)
    assert properties["ordnance_category"] == "Landmine; Tripwire"
    assert properties["casualties"] == 1
    assert properties["status"] == "referred"
    assert properties["clearance_task_reference"] == "CT-2026/17"
    assert properties["informant_phone"] == "+994 50 123 45 67"
    assert features[unlocated]["geometry"] is None
    assert features[unlocated]["properties"]["location_description"] == "Near the bridge"


def test_exports_follow_the_queue_filters(client, db) -> None:
    shell = send_report(client, what=["shell"])
    mine = send_report(client, what=["mine"])
    signed_in_operator(client, db)
    ids = {
        feature["id"]
        for feature in json.loads(client.get("/en/ops/export.geojson?what=shell").text)["features"]
    }
    assert ids == {shell}
    rows = list(csv.DictReader(io.StringIO(client.get("/en/ops/export.csv?what=mine").text.lstrip("\ufeff"))))
    assert [row["local_id"] for row in rows] == [mine]
    queue = client.get("/en/ops/?what=mine").text
    assert "/en/ops/export.csv?what=mine" in queue


def test_the_csv_export_has_every_field_and_no_formulas(client, db) -> None:
    report_id = send_report(client, description='=HYPERLINK("http://example.org")', place="Village")
    signed_in_operator(client, db)
    response = client.get("/en/ops/export.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == list(FIELDS)
    row = next(row for row in rows if row["local_id"] == report_id)
    assert row["ordnance_description"].startswith("'=")
    assert row["latitude"] == "39.7601"
    assert row["coordinate_source"] == "GPS"


def test_every_exported_field_is_documented(project_root: Path) -> None:
    documentation = (project_root / "docs" / "operations.md").read_text()
    for name in FIELDS:
        assert f"`{name}`" in documentation, name
