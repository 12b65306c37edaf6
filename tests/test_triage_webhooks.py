"""The webhook for new urgent reports: posted by ``flask ops webhooks deliver`` to a real HTTP server on
127.0.0.1 that fails first and then succeeds; the delivery is retried with growing waits until then."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from riskedu import create_app
from riskedu.database import database
from riskedu.triage.models import WebhookDelivery
from riskedu.triage.webhooks import backoff, deliver_due
from tests.conftest import app_config, separate_database, upgrade
from tests.test_triage_support import send_report

SECRET = "webhook-test-secret"


class Receiver:
    """A webhook endpoint that answers the given statuses in turn (the last one from then on)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[bytes, dict[str, str]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((body, dict(self.headers)))
                index = min(len(receiver.received), len(receiver.statuses)) - 1
                self.send_response(receiver.statuses[index])
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver([500, 503, 200])
    yield found
    found.close()


def test_waits_double_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() / 60 for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_an_urgent_report_is_retried_until_the_webhook_takes_it(client, db, receiver) -> None:
    urgent = send_report(client, injured=1)
    send_report(client, injured=0)  # not urgent: never posted
    start = dt.datetime.now(dt.UTC)
    first = deliver_due(db, receiver.url, SECRET, now=start)
    assert (first.queued, first.delivered, first.failed) == (1, 0, 1)
    delivery = db.scalars(select(WebhookDelivery)).one()
    assert delivery.report_id == urgent
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == start + dt.timedelta(minutes=1)
    # Not due yet: nothing is posted.
    assert deliver_due(db, receiver.url, SECRET, now=start + dt.timedelta(seconds=30)).failed == 0
    assert len(receiver.received) == 1
    second = deliver_due(db, receiver.url, SECRET, now=start + dt.timedelta(minutes=1))
    assert second.failed == 1
    assert delivery.next_attempt_at == start + dt.timedelta(minutes=1 + 2)
    third = deliver_due(db, receiver.url, SECRET, now=start + dt.timedelta(minutes=3))
    assert (third.queued, third.delivered) == (0, 1)
    assert delivery.delivered_at is not None
    assert delivery.attempts == 3
    # Delivered: never posted again.
    deliver_due(db, receiver.url, SECRET, now=start + dt.timedelta(hours=5))
    assert len(receiver.received) == 3
    body, headers = receiver.received[-1]
    assert json.loads(body)["report"]["local_id"] == urgent
    assert json.loads(body)["report"]["casualties"] == 1
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Riskedu-Signature"] == f"sha256={expected}"


def test_no_answer_at_all_is_retried_too(client, db) -> None:
    send_report(client, injured=3)
    closed = Receiver([200])
    url = closed.url
    closed.close()  # nothing listens there any more
    run = deliver_due(db, url, None, now=dt.datetime.now(dt.UTC))
    assert run.failed == 1
    assert "Error" in (db.scalars(select(WebhookDelivery)).one().last_error or "")


def test_the_command_records_its_state_in_the_database(migrated_database, tmp_path, receiver) -> None:
    url = separate_database(migrated_database, "webhooks", tmp_path)
    upgrade(url)
    app = create_app(app_config(url, TRIAGE_WEBHOOK_URL=receiver.url, TRIAGE_WEBHOOK_SECRET=SECRET))
    try:
        report_id = send_report(app.test_client(), injured=1)
        runner = app.test_cli_runner()
        failed = runner.invoke(args=["ops", "webhooks", "deliver"])
        assert failed.exit_code == 1
        assert "failed 1" in failed.output
        session = database(app).session_factory()
        delivery = session.scalars(select(WebhookDelivery)).one()
        assert delivery.attempts == 1
        assert delivery.report_id == report_id
        # Make it due again, as the passing of time would.
        delivery.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
        session.close()
        runner.invoke(args=["ops", "webhooks", "deliver"])
        session = database(app).session_factory()
        session.execute(WebhookDelivery.__table__.update().values(next_attempt_at=dt.datetime.now(dt.UTC)))
        session.commit()
        session.close()
        done = runner.invoke(args=["ops", "webhooks", "deliver"])
        assert done.exit_code == 0, done.output
        assert "delivered 1" in done.output
        session = database(app).session_factory()
        assert session.scalars(select(WebhookDelivery)).one().delivered_at is not None
        session.close()
    finally:
        database(app).engine.dispose()
