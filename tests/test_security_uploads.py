"""Review H-1: photo work never happens inside a database transaction, heavy images are refused from their
header, image work is bounded, the form without JavaScript is limited like the API, and /readyz tells when
the database cannot be written. Real threads, a real database file (or PostgreSQL schema), real commits."""

from __future__ import annotations

import io
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import create_engine

from riskedu import create_app
from riskedu.database import database
from riskedu.reports.photos import MAX_PIXELS, image_work
from tests.conftest import app_config, separate_database, upgrade
from tests.test_reports_api import put_photo, report
from tests.test_reports_form import good_form, post
from tests.test_reports_rules import image_bytes

SYNC = "/api/v1/sync"
# Generous on purpose: before the fix the answers took 15 s and failed; phones time out long after 2 s.
ANSWER_BOUND_S = 2.0


@cache
def bomb_webp() -> bytes:
    """The review's file: 69 KB of WebP, 6300 x 6300 px (39.7 M px) that cost seconds to decode."""
    out = io.BytesIO()
    Image.new("RGB", (6300, 6300), (120, 160, 90)).save(out, format="WEBP", quality=10, method=0)
    return out.getvalue()


@cache
def heavy_png() -> bytes:
    """The heaviest photo still accepted: 16 M px."""
    return image_bytes("PNG", size=(4000, 4000))


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(app_config(migrated_database, MEDIA_DIR=str(tmp_path / "media")))
    yield app
    database(app).engine.dispose()


@pytest.fixture
def committing_app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    url = separate_database(database_url, "security_uploads", tmp_path)
    upgrade(url)
    app = create_app(app_config(url, MEDIA_DIR=str(tmp_path / "media")))
    yield app
    database(app).engine.dispose()


def stored_report(app: Flask) -> str:
    item = report()
    envelope = {"client": {"id": str(uuid.uuid4()), "app_version": "t", "locale": "en"}, "items": [item]}
    response = app.test_client().post(SYNC, json=envelope)
    assert response.json["results"][0]["status"] == "stored"
    return item["id"]


def test_h1_heavy_photo_uploads_leave_other_requests_answered(committing_app: Flask) -> None:
    report_id = stored_report(committing_app)
    uploads: list[int] = []
    bodies = [bomb_webp()] * 6 + [heavy_png()] * 2

    def upload(body: bytes) -> None:
        kind = "image/webp" if body is bomb_webp() else "image/png"
        uploads.append(
            put_photo(committing_app.test_client(), report_id, body, content_type=kind).status_code
        )

    threads = [threading.Thread(target=upload, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    slowest = 0.0
    answers: list[int] = []
    client = committing_app.test_client()
    while any(thread.is_alive() for thread in threads) or not answers:
        started = time.perf_counter()
        answers.append(client.get(f"/api/v1/reports/{report_id}/status").status_code)
        envelope = {
            "client": {"id": str(uuid.uuid4()), "app_version": "t", "locale": "en"},
            "items": [report()],
        }
        answers.append(client.post(SYNC, json=envelope).status_code)
        slowest = max(slowest, time.perf_counter() - started)
    for thread in threads:
        thread.join()
    assert set(answers) == {200}
    assert slowest < ANSWER_BOUND_S, f"a status look-up and a sync took {slowest:.1f} s during the uploads"
    # The bombs are refused from their header; the heavy photo that is still a photo is stored (the second
    # copy, the same bytes under another id, too).
    assert sorted(uploads) == [201, 201, 413, 413, 413, 413, 413, 413]


@pytest.mark.parametrize(
    ("size", "accepted"),
    [((4000, 3000), True), ((4000, 4000), True), ((4001, 4000), False), ((8001, 100), False)],
)
def test_h1_pixel_limit_fits_phones_and_refuses_bombs(client, size, accepted) -> None:
    from tests.test_reports_api import stored_report as sync_report

    report_id, _receipt = sync_report(client)
    response = put_photo(client, report_id, image_bytes("PNG", size=size), content_type="image/png")
    assert response.status_code == (201 if accepted else 413), response.text
    assert (size[0] * size[1] <= MAX_PIXELS) or not accepted


def test_h1_image_work_is_bounded_and_a_waiting_upload_is_told_to_retry(app, client) -> None:
    from tests.test_reports_api import stored_report as sync_report

    app.config.update(IMAGE_WORK_CONCURRENCY=1, IMAGE_WORK_WAIT_SECONDS=0.2)
    report_id, _receipt = sync_report(client)
    with image_work(1, 1):  # another upload holds the only slot
        busy = put_photo(client, report_id, image_bytes())
    assert busy.status_code == 503
    assert busy.headers["Retry-After"]
    assert put_photo(client, report_id, image_bytes()).status_code == 201


def test_h1_readyz_fails_when_the_database_cannot_be_written(committing_app: Flask, database_url) -> None:
    client = committing_app.test_client()
    assert client.get("/readyz").status_code == 200
    url = committing_app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        # Another process holds the write lock (a stuck writer, a backup restore): reads still work.
        committing_app.config["READYZ_WRITE_WAIT_MS"] = 100
        holder = create_engine(url).raw_connection()
        holder.isolation_level = None  # type: ignore[attr-defined]
        holder.cursor().execute("BEGIN IMMEDIATE")
        try:
            answer = client.get("/readyz")
        finally:
            holder.cursor().execute("ROLLBACK")
            holder.close()
    else:
        # A server that takes no writes (a standby, or set read-only).
        joiner = "&" if "?" in url else "?"
        read_only = create_app(app_config(f"{url}{joiner}options=-cdefault_transaction_read_only%3Don"))
        answer = read_only.test_client().get("/readyz")
        database(read_only).engine.dispose()
    assert answer.status_code == 503
    assert answer.json["status"] == "unavailable"
    assert client.get("/readyz").status_code == 200


# --- the form without JavaScript ------------------------------------------------------------------------


def test_h1_the_form_is_rate_limited_like_the_api_with_a_translated_message(tmp_path, database_url) -> None:
    url = separate_database(database_url, "security_form_limit", tmp_path)
    upgrade(url)
    app = create_app(app_config(url, RATELIMIT_ENABLED=True, REPORTS_RATE_LIMIT="2 per minute"))
    client = app.test_client()
    assert post(client, good_form()).status_code == 303
    assert post(client, good_form()).status_code == 303
    refused = post(client, good_form(), locale="az")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert "Wait a minute" not in refused.text  # Azerbaijani, not English
    assert re.search(r'lang="az"', refused.text)
    database(app).engine.dispose()


def test_h1_a_form_body_over_the_limit_gets_a_translated_page(client, app) -> None:
    app.config["REPORT_FORM_MAX_BYTES"] = 1024 * 1024
    response = post(client, good_form(), locale="ru", photo=os.urandom(1024 * 1024 + 10))
    assert response.status_code == 413
    assert 'lang="ru"' in response.text
    assert "too large" not in response.text


def test_h1_the_forms_limit_is_the_one_nginx_lets_through(app, project_root) -> None:
    example = (project_root / "deploy" / "nginx.conf.example").read_text()
    block = re.search(r"location ~ \S*report\S* \{(.*?)\}", example, re.S)
    assert block, "the example has a location for the report form"
    size = re.search(r"client_max_body_size (\d+)m;", block.group(1))
    assert size
    # nginx passes a little more than the app takes, so the app (in the reader's language) is what refuses.
    assert app.config["REPORT_FORM_MAX_BYTES"] < int(size.group(1)) * 1024 * 1024
