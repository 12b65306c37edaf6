"""The optional webhook for new urgent reports (someone hurt). ``flask ops webhooks deliver``, run by a timer,
queues urgent reports received recently that have no delivery yet, then posts every delivery that is due.
A failure (no answer, or a status other than 2xx) is retried later, with waits that double up to a limit,
until it succeeds. The state lives in ``webhook_deliveries``, so a crash or restart loses nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskedu.database import utcnow
from riskedu.reports.models import HazardReport
from riskedu.sync.models import SyncItem
from riskedu.triage import exports
from riskedu.triage.models import WebhookDelivery
from riskedu.triage.queries import QueueRow, priority

FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)
TIMEOUT_SECONDS = 10
ERROR_MAX_LENGTH = 500


def backoff(
    attempts: int, first: dt.timedelta = FIRST_WAIT, longest: dt.timedelta = LONGEST_WAIT
) -> dt.timedelta:
    """The wait after ``attempts`` failed attempts: 1, 2, 4, 8 … minutes, never more than ``longest``."""
    return min(first * (2 ** max(0, attempts - 1)), longest)


def queue_new_urgent(session: Session, since: dt.datetime, now: dt.datetime) -> int:
    """A delivery for every urgent report received since ``since`` that has none; how many were queued."""
    delivered = select(WebhookDelivery.report_id)
    ids = session.scalars(
        select(HazardReport.id)
        .join(SyncItem, SyncItem.id == HazardReport.id)
        .where(
            HazardReport.urgent.is_(True), SyncItem.received_at >= since, HazardReport.id.not_in(delivered)
        )
    ).all()
    for report_id in ids:
        session.add(
            WebhookDelivery(id=str(uuid.uuid4()), report_id=report_id, next_attempt_at=now, attempts=0)
        )
    session.flush()
    return len(ids)


def payload(session: Session, report_id: str) -> bytes:
    report, receipt, received_at = session.execute(
        select(HazardReport, SyncItem.receipt, SyncItem.received_at)
        .join(SyncItem, SyncItem.id == HazardReport.id)
        .where(HazardReport.id == report_id)
    ).one()
    row = QueueRow(report, receipt, priority(report.injured, report.near or []), received_at)
    body = {"event": "urgent_report", "report": exports.spot_report(row, None, None)}
    return json.dumps(body, ensure_ascii=False).encode()


Poster = Callable[[str, bytes, dict[str, str]], int]


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST and return the HTTP status; raise OSError when there is no answer."""
    if not url.lower().startswith(("http://", "https://")):
        # Never file: or another scheme urllib would open.
        raise OSError(f"not an http(s) URL: {url[:100]}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (checked)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@dataclass(frozen=True)
class DeliveryRun:
    queued: int
    delivered: int
    failed: int


def deliver_due(
    session: Session,
    url: str,
    secret: str | None,
    now: dt.datetime | None = None,
    since: dt.datetime | None = None,
    send: Poster = post,
    commit: Callable[[], None] | None = None,
) -> DeliveryRun:
    """Queue new urgent reports and post every due delivery once. ``commit`` runs after each delivery, so
    one that succeeded is recorded even if a later one hangs."""
    now = now or utcnow()
    queued = queue_new_urgent(session, since or now - dt.timedelta(days=1), now)
    if commit:
        commit()
    due = session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.delivered_at.is_(None), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at)
    ).all()
    delivered = failed = 0
    for delivery in due:
        body = payload(session, delivery.report_id)
        headers = {"Content-Type": "application/json", "User-Agent": "riskedu-webhook"}
        if secret:
            signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Riskedu-Signature"] = f"sha256={signature}"
        try:
            status = send(url, body, headers)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except OSError as problem:
            error = f"{type(problem).__name__}: {problem}"
        delivery.attempts += 1
        if error is None:
            delivery.delivered_at = now
            delivery.last_error = None
            delivered += 1
        else:
            delivery.last_error = error[:ERROR_MAX_LENGTH]
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            failed += 1
        session.flush()
        if commit:
            commit()
    return DeliveryRun(queued, delivered, failed)
