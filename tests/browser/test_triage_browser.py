"""The operator's pages in real Chromium: signing in to the queue, moving a report on, and the map of
reports with clusters drawn on this server's own tiles (no request leaves the server)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
from flask import Response
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from riskedu import create_app
from riskedu.accounts.services import create_user
from riskedu.database import database
from tests.browser.conftest import LiveServer
from tests.conftest import app_config
from tests.test_teaching_support import PASSWORD
from tests.test_triage_support import send_report

pytestmark = pytest.mark.browser


@pytest.fixture
def ops_server(browser_database, tmp_path) -> Iterator[LiveServer]:
    app = create_app(
        app_config(browser_database, MEDIA_DIR=str(tmp_path / "media"), MAP_TILE_URL="/tiles/{z}/{x}/{y}.png")
    )
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 180)).save(tile, format="PNG")
    app.add_url_rule(
        "/tiles/<int:z>/<int:x>/<int:y>.png",
        view_func=lambda z, x, y: Response(tile.getvalue(), mimetype="image/png"),
    )
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    database(app).engine.dispose()


def operator_email(server: LiveServer) -> str:
    email = f"operator-{uuid.uuid4().hex[:8]}@example.org"
    with Session(database(server.app).engine) as session:
        create_user(session, email, "operator", PASSWORD)
        session.commit()
    return email


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/en/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_an_operator_reviews_a_report_and_sees_clusters_on_the_map(page: Page, ops_server) -> None:
    client = ops_server.app.test_client()
    place = f"Orchard {uuid.uuid4().hex[:6]}"
    spot = {"lat": 39.7601, "lon": 46.7502, "accuracy_m": 10, "source": "gps"}
    ids = [send_report(client, place=place, location=spot) for _ in range(3)]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, ops_server, operator_email(ops_server))
    expect(page.locator("h1")).to_have_text("Report queue")

    page.goto(f"{ops_server.url}/en/ops/reports/{ids[0]}")
    expect(page.locator(".ops-map .leaflet-marker-icon")).to_be_visible()
    page.select_option("select[name=status]", "under_review")
    page.fill("textarea[name=reason]", "Calling the reporter back")
    page.click(".ops-change button[type=submit]")
    expect(page.locator(".ops-status")).to_contain_text("Under review")
    expect(page.locator(".ops-history")).to_contain_text("Calling the reporter back")

    page.goto(f"{ops_server.url}/en/ops/map?place={place}")
    cluster = page.locator(".marker-cluster")
    expect(cluster).to_be_visible()
    expect(cluster).to_contain_text("3")
    assert any("/tiles/" in url for url in requested)
    assert all(url.startswith(ops_server.url) for url in requested)
