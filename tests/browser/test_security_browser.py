"""Review M-2 in real Chromium: the phone makes a secret per report, keeps it with the report, sends it with
the report and its photo, puts only a short proof of it in the SMS, and never shows it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from riskedu.database import database
from riskedu.reports.authorship import secret_hash, sms_proof
from riskedu.reports.models import HazardReport
from tests.browser.test_offline import wait_until
from tests.browser.test_reports_browser import REPORTS, fill_report, on_server, reports_server  # noqa: F401
from tests.test_reports_rules import image_bytes, report_data

pytestmark = pytest.mark.browser


def test_m2_the_phone_proves_it_made_its_report(page: Page, reports_server) -> None:  # noqa: F811
    server = reports_server
    page.goto(f"{server.url}/en/report")
    fill_report(page, "Behind the school wall", photo=image_bytes(size=(800, 600)))
    page.locator("[data-report-submit]").click()
    page.wait_for_url("**/en/reports/mine#report-*")
    report_id = page.url.rsplit("#report-", 1)[1]
    wait_until(page, "riskeduOutbox.allPhotos().then(p => p.length === 1 && p[0].state === 'sent')")
    secret = page.evaluate(f"{REPORTS}.then(r => r[0].data.author_secret)")
    assert len(secret) >= 22
    assert secret not in page.content()
    with Session(database(server.app).engine) as session:
        assert session.get(HazardReport, report_id).author_hash == secret_hash(secret)
    reports, photos, _receipt = on_server(server, report_id)
    assert (reports, len(photos)) == (1, 1)  # the photo went with the secret in its header
    expect(page.locator(f"#report-{report_id}")).to_be_visible()


def test_m2_the_phones_sms_carries_the_proof_the_server_computes(page: Page, reports_server) -> None:  # noqa: F811
    page.goto(f"{reports_server.url}/en/reports/mine")
    for secret in ("Zm9yLXRoZS1waG9uZS1vbmx5LTEyOA", "a" * 22, "A-_" * 40):
        data = report_data(author_secret=secret)
        body = page.evaluate(
            "([id, data]) => riskeduReports.smsBody({id: id, data: data})", [str(uuid.uuid4()), data]
        )
        assert f" K={sms_proof(secret)} " in body + " "
        assert secret not in body
