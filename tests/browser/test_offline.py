"""Offline, for real: one visit online, then lessons, quizzes and pictures with the network off, across a
browser restart; what was made offline reaches the server once the network is back."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from riskedu.content import content_catalog
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, new_context_options

pytestmark = pytest.mark.browser
WAITING = {"saved", "sending"}
ALL_SAVED = "riskeduOutbox.all().then(items => items.every(i => i.state === 'saved'))"


def open_phone(playwright: Playwright, profile) -> BrowserContext:
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        headless=True,
        **new_context_options(),
    )


def wait_until(page: Page, expression: str, timeout_s: float = 30) -> None:
    """Poll an async expression (page.evaluate awaits promises; wait_for_function would not)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s}s: {expression}")
        page.wait_for_timeout(100)


def wait_for_offline_pack(page: Page) -> None:
    # `ready` resolves once the worker is active, which Workbox allows only after every file is stored.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "caches.keys().then(keys => keys.some(k => k.startsWith('riskedu-precache')))")


def test_the_app_is_installable(playwright, live_server, tmp_path) -> None:
    # A real profile: Chromium never offers to install from an incognito window.
    phone = open_phone(playwright, tmp_path / "phone")
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{live_server.url}/ar/")
    wait_for_offline_pack(page)
    session = page.context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert '"dir": "rtl"' in manifest["data"] or '"dir":"rtl"' in manifest["data"]
    phone.close()


def take_quiz_right(page: Page, quiz) -> None:
    for question in quiz.questions:
        fieldset = page.locator(f'fieldset[data-question="{question.id}"]')
        for choice_id in sorted(question.answer):
            fieldset.locator(f'input[value="{choice_id}"]').check()
        if question.kind == "multiple":
            fieldset.locator("[data-check]").click()
    page.locator("form.quiz button[type=submit]").click()
    expect(page.locator("[data-quiz-result]")).to_be_visible()


def outbox_states(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => riskeduOutbox.all().then(items => Object.fromEntries(items.map(i => [i.id, i.state])))"
    )


def test_a_locale_works_offline_across_a_restart_and_syncs_exactly_once(
    playwright, own_server, tmp_path
) -> None:
    live_server = own_server
    with live_server.app.app_context():
        catalog = content_catalog()
    locale = "az"
    lessons = catalog.lessons_in_order(locale)
    profile = tmp_path / "phone"

    phone = open_phone(playwright, profile)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{live_server.url}/{locale}/")
    wait_for_offline_pack(page)

    phone.set_offline(True)
    live_server.unplug()
    for lesson in lessons:
        page.goto(f"{live_server.url}/{locale}/lessons/{lesson.id}")
        expect(page.locator("h1")).to_have_text(lesson.title)
        for image in page.locator("img.illustration").all():
            image.scroll_into_view_if_needed()
            assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        page.goto(f"{live_server.url}/{locale}/quiz/{lesson.quiz_id}")
        expect(page.locator("fieldset[data-question]").first).to_be_visible()
        for image in page.locator(".choice__image, .question__image").all():
            assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0

    quiz = catalog.quiz(locale, lessons[0].quiz_id)
    page.goto(f"{live_server.url}/{locale}/quiz/{quiz.id}")
    take_quiz_right(page, quiz)
    page.goto(f"{live_server.url}/{locale}/phone")
    made_offline = outbox_states(page)
    assert made_offline, "nothing was queued"
    # With no network nothing can be received; an attempt may be under way ("sending"), fails, and the
    # items settle back to "saved on this phone".
    assert set(made_offline.values()) <= WAITING
    wait_until(page, ALL_SAVED)
    expect(page.locator('[data-outbox-list] [data-state="saved"]').first).to_contain_text(
        "Telefonda saxlanılıb"
    )
    expect(page.locator("[data-outbox-chip]")).to_contain_text(str(len(made_offline)))
    phone.close()

    # The browser is closed and opened again, still with no network.
    phone = open_phone(playwright, profile)
    phone.set_offline(True)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{live_server.url}/{locale}/lessons/")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{live_server.url}/{locale}/quiz/{quiz.id}")
    take_quiz_right(page, quiz)
    page.goto(f"{live_server.url}/{locale}/phone")
    queued = outbox_states(page)
    assert set(made_offline) < set(queued)
    assert set(queued.values()) <= WAITING
    wait_until(page, ALL_SAVED)
    expect(page.locator('[data-outbox-list] [data-state="saved"]')).to_have_count(len(queued))

    # Back online: everything is sent, each item is stored once, and the phone shows the receipts.
    live_server.plug_in()
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(
        page,
        "riskeduOutbox.all().then(items => items.length > 0 && items.every(i => i.state === 'received'))",
    )
    received = page.evaluate("() => riskeduOutbox.all()")
    assert all(item["receipt"] for item in received)
    expect(page.locator('[data-outbox-list] [data-state="received"]').first).to_contain_text(
        received[0]["receipt"]
    )
    stored = live_server.stored_item_ids()
    assert {item["id"] for item in received} <= stored
    # Sending again changes nothing: the server already has each item exactly once.
    page.evaluate("() => riskeduApp.sendNow('button')")
    assert live_server.count_items({item["id"] for item in received}) == len(received)
    phone.close()
