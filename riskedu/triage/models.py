"""What triage stores: the audit log of every status change. Rows are only ever inserted: the app has no
code path that updates or deletes one (tests/test_triage.py checks that)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskedu.database import Base, created_at, uuid_pk

UUID_TEXT = String(36)
REFERENCE_MAX_LENGTH = 100
REASON_MAX_LENGTH = 2000


class ReportEvent(Base):
    """One status change of a report: who, when, from what to what, and why."""

    __tablename__ = "report_events"
    __table_args__ = (Index("ix_report_events_report_at", "report_id", "at"),)

    id: Mapped[uuid_pk]
    report_id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("hazard_reports.id"))
    actor_id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("users.id"))
    at: Mapped[created_at]
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    # The clearance team's reference, when referred.
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_MAX_LENGTH))
    # The report this one repeats, when marked a duplicate (both records stay, linked).
    duplicate_of: Mapped[str | None] = mapped_column(UUID_TEXT, ForeignKey("hazard_reports.id"))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<ReportEvent {self.report_id} {self.from_status}->{self.to_status}>"


class ApiToken(Base):
    """A personal token for an integration to read reports through ``/api/v1/ops/``, with its owner's role.
    Only a hash is kept: the token itself is shown once, when it is made."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid_pk]
    user_id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, so its owner can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[created_at]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]


class WebhookDelivery(Base):
    """Posting one urgent report to the configured webhook: retried with growing waits until it succeeds."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid_pk]
    report_id: Mapped[str] = mapped_column(UUID_TEXT, ForeignKey("hazard_reports.id"), unique=True)
    created_at: Mapped[created_at]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(index=True)
    delivered_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
