"""Reporting in real Chromium: a report with a photo made with no connection, kept across a browser restart,
arriving exactly once; the receipt and status on "My reports"; the SMS fallback; accessibility."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Response
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskedu import create_app
from riskedu.database import database
from riskedu.reports.models import HazardReport, ReportPhoto
from riskedu.reports.sms import parse_sms, reduced
from riskedu.reports.storage import media_storage
from riskedu.sync.models import SyncItem
from tests.browser.conftest import LiveServer, new_context_options
from tests.browser.test_offline import open_phone, wait_for_offline_pack, wait_until
from tests.conftest import app_config
from tests.test_reports_rules import has_gps, jpeg_with_gps, report_data, validated

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
REPORTS = "riskeduOutbox.all().then(items => items.filter(i => i.kind === 'hazard_report'))"


@pytest.fixture
def reports_server(browser_database, tmp_path) -> Iterator[LiveServer]:
    """A live server of this test's own (it is unplugged), keeping photos in the test's folder, and offering
    the SMS fallback at once rather than after 30 minutes."""
    app = create_app(
        app_config(browser_database, MEDIA_DIR=str(tmp_path / "media"), REPORT_SMS_AFTER_MINUTES=0)
    )
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    database(app).engine.dispose()


def on_server(server: LiveServer, report_id: str) -> tuple[int, list[ReportPhoto], str | None]:
    with Session(database(server.app).engine) as session:
        reports = session.scalar(
            select(func.count()).select_from(HazardReport).where(HazardReport.id == report_id)
        )
        photos = list(session.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report_id)))
        receipt = session.scalar(select(SyncItem.receipt).where(SyncItem.id == report_id))
    return reports or 0, photos, receipt


def fill_report(page: Page, place: str, photo: bytes | None = None) -> None:
    page.locator('input[name="what"][value="mine"]').check()
    page.locator('input[name="what"][value="shell"]').check()
    page.locator("#place").fill(place)
    page.locator('input[name="marked"][value="no"]').check()
    page.locator('input[name="hurt"][value="no"]').check()
    page.locator('input[name="near"][value="water"]').check()
    if photo is not None:
        page.locator("[data-photo]").set_input_files(
            {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": photo}
        )
        expect(page.locator("[data-photo-preview]")).to_be_visible()


def test_a_report_with_a_photo_made_offline_arrives_once_after_a_restart(
    playwright, reports_server, tmp_path
) -> None:
    server = reports_server
    profile = tmp_path / "phone"
    phone = open_phone(playwright, profile)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{server.url}/az/report")  # the one visit with a connection
    wait_for_offline_pack(page)

    phone.set_offline(True)
    server.unplug()
    page.goto(f"{server.url}/az/report")
    expect(page.locator("h1")).to_be_visible()
    fill_report(page, "Bulağın yanında, məktəbdən 200 m şimalda", photo=jpeg_with_gps(size=(3000, 2000)))
    page.locator("[data-report-submit]").click()
    page.wait_for_url("**/az/reports/mine#report-*")
    report_id = page.url.rsplit("#report-", 1)[1]
    card = page.locator(f"#report-{report_id}")
    expect(card).to_contain_text("Telefonda saxlanılıb")  # "saved on this phone", in Azerbaijani
    expect(card).to_contain_text("Bulağın yanında")
    wait_until(page, f"{REPORTS}.then(r => r.length === 1 && r[0].state === 'saved')")
    photos = page.evaluate(
        "() => riskeduOutbox.allPhotos().then(p => p.map(x => [x.reportId, x.state, x.bytes, x.type]))"
    )
    assert len(photos) == 1
    assert photos[0][:2] == [report_id, "waiting"]
    assert photos[0][2] <= 400 * 1024  # shrunk on the phone
    assert photos[0][3] == "image/jpeg"
    # Waited long enough without a connection (0 minutes here): the text message is offered.
    sms = card.locator("[data-sms-link]")
    expect(sms).to_be_visible()
    body = unquote(sms.get_attribute("href").split("?body=", 1)[1])
    assert sms.get_attribute("href").startswith("sms:+994000000000?body=")
    assert parse_sms(body).report_id == report_id
    phone.close()

    # The browser is closed and opened again, still with no connection: the pages and the report are there.
    phone = open_phone(playwright, profile)
    phone.set_offline(True)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{server.url}/az/report")
    expect(page.locator("[data-report-form]")).to_be_visible()
    page.goto(f"{server.url}/az/reports/mine")
    expect(page.locator(f"#report-{report_id}")).to_contain_text("Bulağın yanında")
    assert on_server(server, report_id)[0] == 0

    # Back online: the report, then its photo; exactly one of each on the server, and the receipt shown.
    server.plug_in()
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, f"{REPORTS}.then(r => r.length === 1 && r[0].state === 'received')")
    wait_until(page, "riskeduOutbox.allPhotos().then(p => p.length === 1 && p[0].state === 'sent')")
    reports, stored_photos, receipt = on_server(server, report_id)
    assert reports == 1
    assert len(stored_photos) == 1
    card = page.locator(f"#report-{report_id}")
    expect(card.locator("[data-receipt]")).to_have_text(receipt)
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "received")
    expect(card.locator("[data-photo-state]")).to_have_attribute("data-photo-state", "sent")
    photo = stored_photos[0]
    assert max(photo.width, photo.height) <= 1600
    assert not has_gps(media_storage(server.app).read(photo.public_key))
    # Sending again changes nothing.
    page.evaluate("() => riskeduApp.sendNow('button')")
    reports, stored_photos, _ = on_server(server, report_id)
    assert (reports, len(stored_photos)) == (1, 1)
    phone.close()


def test_online_the_receipt_and_status_show_and_free_text_stays_text(page: Page, reports_server) -> None:
    server = reports_server
    page.goto(f"{server.url}/en/report")
    fill_report(page, HOSTILE)
    page.locator("#description").fill(HOSTILE)
    page.locator("[data-report-submit]").click()
    page.wait_for_url("**/en/reports/mine#report-*")
    report_id = page.url.rsplit("#report-", 1)[1]
    card = page.locator(f"#report-{report_id}")
    expect(card.locator("[data-receipt]")).to_be_visible()
    assert card.locator("[data-receipt]").inner_text() == on_server(server, report_id)[2]
    expect(card.locator("[data-status]")).to_contain_text("Received")
    expect(card.locator(".report-card__place")).to_have_text(HOSTILE)
    assert card.locator("img, script").count() == 0
    assert page.title() != "pwned"
    with Session(database(server.app).engine) as session:
        assert session.get(HazardReport, report_id).place == HOSTILE


def test_the_form_says_what_is_missing_before_saving_anything(page: Page, reports_server) -> None:
    page.goto(f"{reports_server.url}/en/report")
    page.locator("[data-report-submit]").click()
    expect(page.locator("[data-form-problems]")).to_be_visible()
    expect(page.locator('[data-step="what"]')).to_contain_text("Choose at least one picture")
    expect(page.locator('[data-step="where"]')).to_contain_text("Describe the place, or use your position")
    assert page.evaluate(f"{REPORTS}.then(r => r.length)") == 0


def test_someone_hurt_brings_the_call_button_forward(page: Page, reports_server) -> None:
    page.goto(f"{reports_server.url}/ar/report")
    urgent = page.locator("[data-urgent]")
    expect(urgent).to_be_hidden()
    page.locator('input[name="hurt"][value="yes"]').check()
    expect(urgent).to_be_visible()
    expect(urgent.locator('a[href="tel:112"]')).to_be_visible()


def test_the_position_shows_its_accuracy(chromium, reports_server) -> None:
    # A phone that allows the page its position (the shared context grants nothing).
    position = {"latitude": 39.7601, "longitude": 46.7502, "accuracy": 25}
    context = chromium.new_context(**new_context_options(permissions=["geolocation"], geolocation=position))
    page = context.new_page()
    page.goto(f"{reports_server.url}/en/report")
    page.locator("[data-locate-button]").click()
    expect(page.locator("[data-locate-status]")).to_contain_text("accurate to about 25 m")
    assert page.locator("[data-lat]").input_value() == "39.760100"
    assert page.locator("[data-source]").input_value() == "gps"
    context.close()


def test_the_phones_text_message_reads_back_as_the_same_report(page: Page, reports_server) -> None:
    page.goto(f"{reports_server.url}/en/reports/mine")
    report_id = str(uuid.uuid4())
    data = report_data(
        observed_at="2026-11-20T08:30:41+04:00",
        place="  Near the\nold mill, T=north  " + "é" * 200,
        location={"lat": 39.760123456, "lon": -46.75, "accuracy_m": 24.5, "source": "map"},
        what=["shell", "mine"],
    )
    body = page.evaluate("([id, data]) => riskeduReports.smsBody({id: id, data: data})", [report_id, data])
    assert parse_sms(body) == reduced(report_id, validated(data))


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_report_pages_have_no_serious_accessibility_violations(
    page: Page, reports_server, locale
) -> None:
    axe = Axe()
    for path in ("/report", "/reports/mine"):
        page.goto(f"{reports_server.url}/{locale}{path}")
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{locale}{path}: {serious}"


@pytest.fixture
def server_with_tiles(browser_database, tmp_path) -> Iterator[LiveServer]:
    """A deployment that serves its own map tiles (here: one small picture for every tile)."""
    app = create_app(
        app_config(
            browser_database,
            MEDIA_DIR=str(tmp_path / "media"),
            MAP_TILE_URL="/tiles/{z}/{x}/{y}.png",
            MAP_START="39.76,46.75,15",
        )
    )
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 180)).save(tile, format="PNG")

    def serve_tile(z: int, x: int, y: int) -> Response:
        return Response(tile.getvalue(), mimetype="image/png")

    app.add_url_rule("/tiles/<int:z>/<int:x>/<int:y>.png", view_func=serve_tile)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    database(app).engine.dispose()


def test_with_its_own_tiles_a_pin_can_be_dropped_on_the_map(page: Page, server_with_tiles) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server_with_tiles.url}/en/report")
    canvas = page.locator("[data-pin-map-canvas]")
    expect(canvas).to_be_visible()
    canvas.click(position={"x": 120, "y": 90})
    expect(page.locator("[data-locate-status]")).to_contain_text("Pin placed on the map")
    assert page.locator("[data-source]").input_value() == "map"
    assert abs(float(page.locator("[data-lat]").input_value()) - 39.76) < 0.05
    # Every request stayed on this server: tiles included.
    assert requested
    assert all(url.startswith(server_with_tiles.url) for url in requested)
    assert any("/tiles/15/" in url for url in requested)


def test_a_photo_the_server_refuses_needs_attention_and_is_not_resent(page: Page, reports_server) -> None:
    page.goto(f"{reports_server.url}/en/reports/mine")
    # Reported in English, like the page: the server answers in the reporter's language.
    data = report_data(observed_at="2026-11-20T08:30:00+04:00", locale="en")
    report_id = page.evaluate(
        """async (data) => {
          const id = crypto.randomUUID();
          await riskeduOutbox.addPhoto(id, new Blob(["<html>not a photo</html>"], {type: "image/jpeg"}), {});
          await riskeduApp.record("hazard_report", data, "test", id);
          await riskeduApp.sendNow("button");
          return id;
        }""",
        data,
    )
    wait_until(page, "riskeduOutbox.allPhotos().then(p => p.length === 1 && p[0].state === 'attention')")
    photo = page.locator(f"#report-{report_id} [data-photo-state]")
    expect(photo).to_have_attribute("data-photo-state", "attention")
    expect(photo).to_contain_text("not a photo of an accepted type")
    assert on_server(reports_server, report_id)[0] == 1
    page.evaluate("() => riskeduApp.sendNow('button')")
    assert page.evaluate("riskeduOutbox.allPhotos().then(p => p[0].state)") == "attention"
    assert on_server(reports_server, report_id)[1] == []
