"""Changing a report's status: checked against the workflow, recorded in the audit log, and made visible to
the reporter through the status endpoint (the same ``status`` column). Functions take the session and the
acting person and only flush: the request commits."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from riskedu.accounts.models import User
from riskedu.database import utcnow
from riskedu.reports.models import HazardReport
from riskedu.triage.models import REASON_MAX_LENGTH, REFERENCE_MAX_LENGTH, ReportEvent
from riskedu.triage.workflow import OPEN_STATUSES, TransitionError, check_transition

OPERATOR_ROLES = ("operator", "admin")


def change_status(
    session: Session,
    actor: User,
    report_id: str,
    target: str,
    reason: str,
    reference: str | None = None,
    duplicate_of: str | None = None,
) -> ReportEvent:
    """Move a report to ``target``; raise TransitionError (``code`` says why) if the workflow forbids it."""
    if actor.role not in OPERATOR_ROLES or not actor.active:
        raise PermissionError("only an operator may change a report's status")
    reports = HazardReport.__table__
    # Locked for the change, so two operators cannot both move it from the same status.
    current = session.scalar(select(reports.c.status).where(reports.c.id == report_id).with_for_update())
    if current is None:
        raise TransitionError("no_such_report")
    reason = reason.strip()[:REASON_MAX_LENGTH]
    reference = (reference or "").strip()[:REFERENCE_MAX_LENGTH] or None
    if target == "duplicate":
        _check_original(session, report_id, duplicate_of)
    else:
        duplicate_of = None
    if target != "referred":
        reference = None
    check_transition(current, target, reason, reference, duplicate_of)
    now = utcnow()
    changed = session.execute(
        update(reports)
        .where(reports.c.id == report_id, reports.c.status == current)
        .values(status=target, status_updated_at=now)
    )
    if changed.rowcount != 1:
        raise TransitionError("changed_meanwhile")
    event = ReportEvent(
        id=str(uuid.uuid4()),
        report_id=report_id,
        actor_id=actor.id,
        at=now,
        from_status=current,
        to_status=target,
        reason=reason,
        reference=reference,
        duplicate_of=duplicate_of,
    )
    session.add(event)
    session.flush()
    return event


def _check_original(session: Session, report_id: str, duplicate_of: str | None) -> None:
    if not duplicate_of or duplicate_of == report_id:
        raise TransitionError("original_required")
    reports = HazardReport.__table__
    original = session.scalar(select(reports.c.status).where(reports.c.id == duplicate_of))
    if original is None:
        raise TransitionError("original_required")
    if original == "duplicate":
        # Link to the first report, never to another copy: chains would hide the one to work on.
        raise TransitionError("original_is_duplicate")


__all__ = ["OPEN_STATUSES", "OPERATOR_ROLES", "TransitionError", "change_status"]
