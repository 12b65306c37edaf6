"""Reading reports for operators. Functions take a session and values, never the request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from riskedu.accounts.models import User
from riskedu.reports.models import HazardReport, ReportPhoto
from riskedu.sync.models import SyncItem
from riskedu.triage.models import ReportEvent
from riskedu.triage.workflow import Candidate, Located, duplicate_candidates, priority

# The queue shows this many at most; filters narrow it down.
QUEUE_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    what: str | None = None
    locale: str | None = None
    # south, west, north, east
    bbox: tuple[float, float, float, float] | None = None
    place: str | None = None
    search: str | None = None


@dataclass
class QueueRow:
    report: HazardReport
    receipt: str
    priority: int
    received_at: dt.datetime


@dataclass
class EventView:
    event: ReportEvent
    actor_email: str


@dataclass
class ReportDetail:
    report: HazardReport
    receipt: str
    received_at: dt.datetime
    photos: list[ReportPhoto]
    events: list[EventView]
    duplicate_of: str | None
    duplicates: list[str] = field(default_factory=list)
    reference: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def queue(session: Session, filters: Filters, limit: int = QUEUE_LIMIT) -> list[QueueRow]:
    """Reports matching ``filters``: anyone hurt first, then near a school, home or path, newest first."""
    statement = select(HazardReport, SyncItem.receipt, SyncItem.received_at).join(
        SyncItem, SyncItem.id == HazardReport.id
    )
    if filters.statuses:
        statement = statement.where(HazardReport.status.in_(filters.statuses))
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time(), dt.UTC)
        statement = statement.where(HazardReport.observed_at >= start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        statement = statement.where(HazardReport.observed_at < end)
    if filters.locale:
        statement = statement.where(HazardReport.locale == filters.locale)
    if filters.bbox:
        south, west, north, east = filters.bbox
        statement = statement.where(
            HazardReport.lat >= south,
            HazardReport.lat <= north,
            HazardReport.lon >= west,
            HazardReport.lon <= east,
        )
    if filters.place:
        statement = statement.where(HazardReport.place.ilike(_like(filters.place), escape="\\"))
    if filters.search:
        pattern = _like(filters.search)
        statement = statement.where(
            or_(
                HazardReport.place.ilike(pattern, escape="\\"),
                HazardReport.description.ilike(pattern, escape="\\"),
                SyncItem.receipt.ilike(pattern, escape="\\"),
            )
        )
    rows = [
        QueueRow(report, receipt, priority(report.injured, report.near or []), received_at)
        for report, receipt, received_at in session.execute(
            statement.order_by(HazardReport.observed_at.desc())
        ).all()
        # ``what`` is a JSON list: filtered here, the same way on SQLite and PostgreSQL.
        if not filters.what or filters.what in (report.what or [])
    ]
    rows.sort(key=lambda row: (row.priority, -row.report.observed_at.timestamp()))
    return rows[:limit]


def report_detail(session: Session, report_id: str) -> ReportDetail | None:
    found = session.execute(
        select(HazardReport, SyncItem.receipt, SyncItem.received_at)
        .join(SyncItem, SyncItem.id == HazardReport.id)
        .where(HazardReport.id == report_id)
    ).first()
    if found is None:
        return None
    report, receipt, received_at = found
    events = [
        EventView(event, email)
        for event, email in session.execute(
            select(ReportEvent, User.email)
            .join(User, User.id == ReportEvent.actor_id)
            .where(ReportEvent.report_id == report_id)
            .order_by(ReportEvent.at, ReportEvent.id)
        ).all()
    ]
    duplicate_of = next(
        (view.event.duplicate_of for view in reversed(events) if view.event.to_status == "duplicate"), None
    )
    reference = next((view.event.reference for view in reversed(events) if view.event.reference), None)
    duplicates = list(
        session.scalars(
            select(ReportEvent.report_id)
            .where(ReportEvent.duplicate_of == report_id, ReportEvent.to_status == "duplicate")
            .distinct()
        )
    )
    return ReportDetail(
        report, receipt, received_at, list(report.photos), events, duplicate_of, duplicates, reference
    )


def references(session: Session, report_ids: Sequence[str]) -> dict[str, str]:
    """The latest clearance reference of each report that has one."""
    if not report_ids:
        return {}
    rows = session.execute(
        select(ReportEvent.report_id, ReportEvent.reference)
        .where(ReportEvent.report_id.in_(report_ids), ReportEvent.reference.is_not(None))
        .order_by(ReportEvent.at)
    ).all()
    return {row.report_id: row.reference for row in rows}


def duplicate_links(session: Session, report_ids: Sequence[str]) -> dict[str, str]:
    if not report_ids:
        return {}
    rows = session.execute(
        select(ReportEvent.report_id, ReportEvent.duplicate_of)
        .where(ReportEvent.report_id.in_(report_ids), ReportEvent.duplicate_of.is_not(None))
        .order_by(ReportEvent.at)
    ).all()
    return {row.report_id: row.duplicate_of for row in rows}


def possible_duplicates(
    session: Session, report: HazardReport, max_distance_m: float, max_hours: float
) -> list[tuple[Candidate, str, str]]:
    """Reports near ``report`` in place and time, not marked duplicates: (candidate, receipt, status)."""
    if report.lat is None or report.lon is None:
        return []
    window = dt.timedelta(hours=max_hours)
    # A degree of latitude is about 111 km: a box a little larger than the distance narrows the rows read.
    margin = max_distance_m / 100_000
    rows = session.execute(
        select(HazardReport.id, HazardReport.lat, HazardReport.lon, HazardReport.observed_at)
        .where(
            HazardReport.id != report.id,
            HazardReport.status != "duplicate",
            HazardReport.observed_at.between(report.observed_at - window, report.observed_at + window),
            HazardReport.lat.between(report.lat - margin, report.lat + margin),
        )
        .limit(200)
    ).all()
    others = [Located(row.id, row.lat, row.lon, row.observed_at) for row in rows]
    here = Located(report.id, report.lat, report.lon, report.observed_at)
    candidates = duplicate_candidates(here, others, max_distance_m, max_hours)
    if not candidates:
        return []
    info = {
        row.id: (row.receipt, row.status)
        for row in session.execute(
            select(HazardReport.id, HazardReport.status, SyncItem.receipt)
            .join(SyncItem, SyncItem.id == HazardReport.id)
            .where(HazardReport.id.in_([candidate.id for candidate in candidates]))
        ).all()
    }
    return [(candidate, *info[candidate.id]) for candidate in candidates]
