"""Reading reports. Functions take a session and values, never the request."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskedu.reports.models import HazardReport, ReportPhoto
from riskedu.sync.models import SyncItem

REPORTS = HazardReport.__table__
PHOTOS = ReportPhoto.__table__


class ReportStatusView(NamedTuple):
    """All the reporter may learn about a report after sending it."""

    status: str
    updated_at: dt.datetime


class StoredPhoto(NamedTuple):
    report_id: str
    sha256: str


class Receipt(NamedTuple):
    receipt: str
    status: str
    urgent: bool
    locale: str | None


def report_status(session: Session, report_id: str) -> ReportStatusView | None:
    row = session.execute(
        select(REPORTS.c.status, REPORTS.c.status_updated_at).where(REPORTS.c.id == report_id)
    ).first()
    return ReportStatusView(row.status, row.status_updated_at) if row else None


def report_receipt(session: Session, report_id: str) -> Receipt | None:
    row = session.execute(
        select(SyncItem.receipt, REPORTS.c.status, REPORTS.c.urgent, REPORTS.c.locale)
        .join(SyncItem, SyncItem.id == REPORTS.c.id)
        .where(REPORTS.c.id == report_id)
    ).first()
    return Receipt(row.receipt, row.status, row.urgent, row.locale) if row else None


class ReportAuthor(NamedTuple):
    locale: str | None
    author_hash: str | None


def report_author(session: Session, report_id: str) -> ReportAuthor | None:
    """What a photo upload checks before reading its bytes: the reporter's language, proof of authorship."""
    row = session.execute(
        select(REPORTS.c.locale, REPORTS.c.author_hash).where(REPORTS.c.id == report_id)
    ).first()
    return ReportAuthor(row.locale, row.author_hash) if row else None


def stored_photo(session: Session, photo_id: str) -> StoredPhoto | None:
    row = session.execute(select(PHOTOS.c.report_id, PHOTOS.c.sha256).where(PHOTOS.c.id == photo_id)).first()
    return StoredPhoto(row.report_id, row.sha256) if row else None


def photo_count(session: Session, report_id: str) -> int:
    return (
        session.scalar(select(func.count()).select_from(PHOTOS).where(PHOTOS.c.report_id == report_id)) or 0
    )
