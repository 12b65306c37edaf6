"""New content arrives whole or not at all; a big first download on a metered connection is asked for first;
an item the server refuses shows "needs attention" with the server's words."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from riskedu import create_app
from riskedu.database import database
from tests.browser.conftest import LiveServer, new_context_options
from tests.browser.test_offline import open_phone, wait_for_offline_pack, wait_until
from tests.conftest import app_config

pytestmark = pytest.mark.browser
LESSON = "what-it-looks-like"


def content_copy(project_root, target, new_title: str | None = None):
    shutil.copytree(project_root / "content", target, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    if new_title:
        lesson = target / "en" / "lessons" / f"{LESSON}.md"
        text = lesson.read_text(encoding="utf-8")
        old_title = next(line for line in text.splitlines() if line.startswith("title:"))
        lesson.write_text(text.replace(old_title, f"title: {new_title}", 1), encoding="utf-8")
    return target


def test_a_new_version_installs_in_the_background_and_is_used_only_when_complete(
    playwright, browser_database, project_root, tmp_path
) -> None:
    new_title = "What explosive objects look like"
    original = content_copy(project_root, tmp_path / "v1")
    first = create_app(app_config(browser_database, CONTENT_DIR=str(original)))
    changed = content_copy(project_root, tmp_path / "v2", new_title=new_title)
    second = create_app(app_config(browser_database, CONTENT_DIR=str(changed)))
    server = LiveServer(first)
    server.start()
    try:
        phone = open_phone(playwright, tmp_path / "phone")
        page = phone.pages[0] if phone.pages else phone.new_page()
        page.goto(f"{server.url}/en/lessons/{LESSON}")
        wait_for_offline_pack(page)
        old_title = page.locator("h1").inner_text()

        # A new deployment with changed content.
        server.unplug()
        server.plug_in(second)
        page.goto(f"{server.url}/en/lessons/{LESSON}")
        banner = page.locator("[data-banner]")
        expect(banner).to_contain_text("A new version of the lessons is ready.", timeout=20_000)
        # Until the person takes it, the old pack serves, whole.
        assert page.locator("h1").inner_text() == old_title
        page.goto(f"{server.url}/en/lessons/{LESSON}")
        assert page.locator("h1").inner_text() == old_title

        expect(banner).to_be_visible(timeout=20_000)
        banner.get_by_role("button").click()
        expect(page.locator("h1")).to_have_text(new_title, timeout=20_000)
        # And the new version works offline too.
        server.unplug()
        phone.set_offline(True)
        page.goto(f"{server.url}/en/lessons/{LESSON}")
        expect(page.locator("h1")).to_have_text(new_title)
        phone.close()
    finally:
        server.stop()
        database(first).engine.dispose()
        database(second).engine.dispose()


def test_a_metered_connection_is_told_the_size_before_the_pack_downloads(chromium, live_server) -> None:
    context = chromium.new_context(**new_context_options())
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    # About 2G: Chromium reports navigator.connection.effectiveType from these figures.
    session.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 800, "downloadThroughput": 30_000, "uploadThroughput": 15_000},
    )
    page.goto(f"{live_server.url}/ru/")
    assert page.evaluate("navigator.connection.effectiveType") in ("slow-2g", "2g", "3g")
    banner = page.locator("[data-banner]")
    expect(banner).to_contain_text("Сохранить уроки на этом телефоне", timeout=15_000)
    expect(banner).to_contain_text("КБ")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => r === undefined)")
    banner.get_by_role("button", name="Сохранить").click()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => r !== undefined)")
    context.close()


def test_an_item_the_server_refuses_needs_attention_with_its_message(page, live_server) -> None:
    page.goto(f"{live_server.url}/en/phone")
    page.evaluate(
        """riskeduApp.record("quiz_attempt", {quiz_id: "no-such-quiz", locale: "en", answers: {},
            started_at: new Date().toISOString(), finished_at: new Date().toISOString()}, "Broken")"""
    )
    wait_until(page, "riskeduOutbox.all().then(items => items.some(i => i.state === 'attention'))")
    item = page.locator('[data-outbox-list] [data-state="attention"]')
    expect(item).to_contain_text("Needs attention")
    expect(item).to_contain_text("quiz")
    # It is kept, and never sent again by itself.
    page.evaluate("riskeduApp.sendNow('button')")
    assert (
        page.evaluate("riskeduOutbox.all().then(items => items.filter(i => i.state === 'attention').length)")
        == 1
    )
