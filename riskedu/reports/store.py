"""Storing a checked ``hazard_report`` item: the functions the sync layer calls for this kind. They only write
(the caller commits, one transaction per item) and import nothing of sync's services, which import them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from riskedu.content.model import Catalog
from riskedu.database import utcnow
from riskedu.reports.authorship import proves, secret_hash
from riskedu.reports.models import HazardReport
from riskedu.reports.schemas import HazardReportData, Location, Reporter
from riskedu.reports.sms import reduced
from riskedu.sync.validation import CheckedItem

REPORTS = HazardReport.__table__
INSERT_REPORT = insert(REPORTS)


def report_columns(data: HazardReportData) -> dict[str, Any]:
    """The row's columns for this data (everything but id, channel and status)."""
    location = data.location
    reporter = data.reporter
    return {
        "observed_at": data.observed_at,
        "what": list(data.what),
        "description": data.description,
        "count": data.count,
        "place": data.place,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "accuracy_m": location.accuracy_m if location else None,
        "location_source": location.source if location else None,
        "marked": data.marked,
        "injured": data.injured,
        "urgent": data.urgent,
        "near": list(data.near),
        "reporter_name": reporter.name if reporter else None,
        "reporter_phone": reporter.phone if reporter else None,
        "locale": data.locale,
        # Only the hash: whoever reads the database still cannot prove authorship (docs/sync.md).
        "author_hash": secret_hash(data.author_secret) if data.author_secret else None,
    }


def report_data(report: Mapping[str, Any]) -> HazardReportData:
    """A stored report (a row of hazard_reports) as protocol data again, to compare it with another version
    of itself. Built without validation: it was valid when it arrived, even if a server whose clock was set
    back now finds its time in the future."""
    location = None
    if report["lat"] is not None and report["lon"] is not None:
        location = Location.model_construct(
            lat=report["lat"],
            lon=report["lon"],
            accuracy_m=report["accuracy_m"],
            source=report["location_source"] or "none",
        )
    reporter = None
    if report["reporter_name"] is not None or report["reporter_phone"] is not None:
        reporter = Reporter.model_construct(name=report["reporter_name"], phone=report["reporter_phone"])
    return HazardReportData.model_construct(
        observed_at=report["observed_at"],
        what=list(report["what"]),
        description=report["description"],
        count=report["count"],
        location=location,
        place=report["place"],
        marked=report["marked"],
        injured=report["injured"],
        near=list(report["near"]),
        reporter=reporter,
        locale=report["locale"],
    )


def stored_report(session: Session, report_id: str) -> Mapping[str, Any] | None:
    # A plain row, not an ORM object: a long-lived session's identity map could hand back stale values.
    return session.execute(select(REPORTS).where(REPORTS.c.id == report_id)).mappings().first()


def store_hazard_report(session: Session, item: CheckedItem, catalog: Catalog) -> dict[str, Any]:
    data = item.data
    assert isinstance(data, HazardReportData)
    now = utcnow()
    session.execute(
        INSERT_REPORT,
        {
            "id": item.id,
            "channel": "app",
            "status": "received",
            "status_updated_at": now,
            **report_columns(data),
        },
    )
    return {}


def stored_report_extras(session: Session, item_id: str) -> dict[str, Any]:
    return {}


def complete_hazard_report(session: Session, item: CheckedItem) -> bool:
    """A report stored from a text message is completed by the phone's full version of it, once, if
    everything the message carried matches and the version proves it comes from the same phone: then the
    full version is stored in its place."""
    data = item.data
    assert isinstance(data, HazardReportData)
    report = stored_report(session, item.id)
    if report is None or report["channel"] != "sms" or report["completed_at"] is not None:
        return False
    # Knowing the id (the SMS carries it in clear) is not enough: the full version must carry the secret the
    # SMS's proof was made from. An SMS without a proof is completed by an operator, never by a client.
    if report["author_hash"] is None or not proves(report["author_hash"], data.author_secret):
        return False
    if reduced(item.id, data) != reduced(item.id, report_data(report)):
        return False
    session.execute(
        update(REPORTS).where(REPORTS.c.id == item.id).values(completed_at=utcnow(), **report_columns(data))
    )
    return True
