"""What reports store. A report shares its id with its ``sync_items`` row (the receipt lives there), so a
report and its receipt are stored together or not at all, however it arrived."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskedu.database import Base, created_at, utcnow, uuid_pk
from riskedu.reports.schemas import PLACE_MAX_LENGTH, REPORTER_NAME_MAX_LENGTH, REPORTER_PHONE_MAX_LENGTH

UUID_TEXT = String(36)

# How a report reached the server. "app": the sync API (the phone's outbox, or another system);
# "form": the report form posted without JavaScript; "sms": the SMS gateway.
CHANNELS = ("app", "form", "sms")


class HazardReport(Base):
    __tablename__ = "hazard_reports"
    __table_args__ = (
        # Triage reads the newest urgent reports first, by status.
        Index("ix_hazard_reports_status_urgent", "status", "urgent"),
    )

    id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("sync_items.id"), primary_key=True)
    observed_at: Mapped[dt.datetime]
    what: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(String(PLACE_MAX_LENGTH))
    # The exact position: for operators only (anyone else gets a coarse one, in a later issue).
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    location_source: Mapped[str | None] = mapped_column(String(8))
    marked: Mapped[str] = mapped_column(String(8))
    injured: Mapped[int | None]
    urgent: Mapped[bool]
    near: Mapped[list[str]] = mapped_column(JSON)
    reporter_name: Mapped[str | None] = mapped_column(String(REPORTER_NAME_MAX_LENGTH))
    reporter_phone: Mapped[str | None] = mapped_column(String(REPORTER_PHONE_MAX_LENGTH))
    locale: Mapped[str | None] = mapped_column(String(35))
    channel: Mapped[str] = mapped_column(String(8), default="app")
    # The number an SMS came from (operators may call it back); only for channel "sms".
    sms_sender: Mapped[str | None] = mapped_column(String(40))
    # A report that came by SMS first is completed when the phone's full version arrives (docs/reports.md).
    completed_at: Mapped[dt.datetime | None]
    # Proof of authorship (docs/sync.md): SHA-256 (hex) of the phone's secret for this report, or only the
    # first characters of it when the report came by SMS. Never the secret itself.
    author_hash: Mapped[str | None] = mapped_column(String(64))
    # Why the report waits apart for an operator ("new_client", "burst"); None: in the queue as usual.
    review_hold: Mapped[str | None] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), default="received")
    status_updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    photos: Mapped[list[ReportPhoto]] = relationship(order_by="ReportPhoto.received_at")


class ReportPhoto(Base):
    """A photo of a report. The bytes live in the media storage, not here: the original for operators, and a
    copy without metadata (EXIF position, camera, time) for anyone else."""

    __tablename__ = "report_photos"

    id: Mapped[uuid_pk]
    report_id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("hazard_reports.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(20))
    byte_size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    original_key: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[created_at]
