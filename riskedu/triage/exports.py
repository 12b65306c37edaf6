"""Reports for the national mine action database: GeoJSON (RFC 7946) and CSV, with fields named after the
IMSMA explosive ordnance spot report (the mapping is documented in docs/operations.md). Plain functions:
they take rows, not a request. Exports are for operators only, so they carry exact positions and contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from riskedu.teaching.exports import csv_bytes
from riskedu.triage.queries import QueueRow

# What the reporter saw → IMSMA ordnance category.
ORDNANCE_CATEGORY = {
    "mine": "Landmine",
    "tripwire": "Tripwire",
    "shell": "Projectile",
    "rocket": "Rocket",
    "mortar": "Mortar",
    "grenade": "Grenade",
    "cluster_submunition": "Submunition",
    "booby_trap": "Booby trap / IED",
    "unknown": "Unknown",
}
MARKED = {"yes": "Yes", "no": "No", "unknown": "Unknown"}
COORDINATE_SOURCE = {"gps": "GPS", "map": "Map", "none": ""}
# RFC 7946 advises no more than 6 decimals (about 10 cm): more only suggests a precision no phone has.
COORDINATE_DECIMALS = 6

FIELDS = (
    "local_id",
    "report_reference",
    "date_of_observation",
    "date_received",
    "status",
    "ordnance_category",
    "ordnance_description",
    "quantity",
    "latitude",
    "longitude",
    "coordinate_accuracy_m",
    "coordinate_source",
    "location_description",
    "marked",
    "casualties",
    "nearby_features",
    "informant_name",
    "informant_phone",
    "report_language",
    "report_channel",
    "clearance_task_reference",
    "duplicate_of",
)


def timestamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def spot_report(row: QueueRow, reference: str | None, duplicate_of: str | None) -> dict[str, Any]:
    """One report as IMSMA-style spot report fields (the keys of ``FIELDS``, in that order)."""
    report = row.report
    return {
        "local_id": report.id,
        "report_reference": row.receipt,
        "date_of_observation": timestamp(report.observed_at),
        "date_received": timestamp(row.received_at),
        "status": report.status,
        "ordnance_category": "; ".join(ORDNANCE_CATEGORY.get(kind, kind) for kind in report.what or []),
        "ordnance_description": report.description,
        "quantity": report.count,
        "latitude": _coordinate(report.lat),
        "longitude": _coordinate(report.lon),
        "coordinate_accuracy_m": report.accuracy_m,
        "coordinate_source": COORDINATE_SOURCE.get(report.location_source or "none", ""),
        "location_description": report.place,
        "marked": MARKED.get(report.marked, report.marked),
        "casualties": report.injured,
        "nearby_features": "; ".join(report.near or []),
        "informant_name": report.reporter_name,
        "informant_phone": report.reporter_phone or report.sms_sender,
        "report_language": report.locale,
        "report_channel": report.channel,
        "clearance_task_reference": reference,
        "duplicate_of": duplicate_of,
    }


def feature_collection(
    rows: Sequence[QueueRow], references: Mapping[str, str], duplicates: Mapping[str, str]
) -> dict[str, Any]:
    """RFC 7946: WGS 84 longitude, latitude; a report without a position has a null geometry."""
    features = []
    for row in rows:
        report = row.report
        geometry = None
        if report.lat is not None and report.lon is not None:
            geometry = {"type": "Point", "coordinates": [_coordinate(report.lon), _coordinate(report.lat)]}
        properties = spot_report(row, references.get(report.id), duplicates.get(report.id))
        features.append({"type": "Feature", "id": report.id, "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def csv_export(
    rows: Sequence[QueueRow], references: Mapping[str, str], duplicates: Mapping[str, str]
) -> bytes:
    records = (spot_report(row, references.get(row.report.id), duplicates.get(row.report.id)) for row in rows)
    return csv_bytes(FIELDS, ([record[name] for name in FIELDS] for record in records))
