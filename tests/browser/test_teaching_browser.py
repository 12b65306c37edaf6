"""A learner joins a class and takes a quiz with no network at all; once the phone connects, the teacher's
dashboard shows the learner and the score. Also: the teacher's pages on a phone, in both directions."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from riskedu.accounts.models import User
from riskedu.accounts.services import create_user
from riskedu.content import content_catalog
from riskedu.database import database
from riskedu.teaching.models import SchoolClass
from riskedu.teaching.services import ClassDetails, create_class
from tests.browser.test_offline import open_phone, take_quiz_right, wait_for_offline_pack, wait_until
from tests.test_teaching_support import PASSWORD, enrollment_item, new_id, send

pytestmark = pytest.mark.browser


def teacher_with_class(server, **details: str) -> tuple[User, SchoolClass]:
    """Straight into the live server's database (committed: the server runs in other threads)."""
    values = {"name": "5B", "school": "Məktəb 3", "place": "Ağdam", "grade": "5", "language": "az", **details}
    with Session(database(server.app).engine, expire_on_commit=False) as session:
        teacher = create_user(session, f"teacher-{new_id()[:8]}@example.org", "teacher", PASSWORD)
        school_class = create_class(session, teacher, ClassDetails(**values))
        session.commit()
    return teacher, school_class


def sign_in(page: Page, base_url: str, teacher: User, locale: str = "en") -> None:
    page.goto(f"{base_url}/{locale}/teach/login")
    page.fill("#email", teacher.email)
    page.fill("#password", PASSWORD)
    page.locator("form.staff-form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/{locale}/teach/")


def test_a_learner_joins_and_takes_a_quiz_offline_and_the_teacher_sees_both_after_sync(
    playwright, own_server, tmp_path, context
) -> None:
    server = own_server
    with server.app.app_context():
        catalog = content_catalog()
    teacher, school_class = teacher_with_class(server)
    code = school_class.join_code
    quiz = catalog.quiz("az", catalog.lessons_in_order("az")[0].quiz_id)

    phone = open_phone(playwright, tmp_path / "phone")
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{server.url}/az/")
    wait_for_offline_pack(page)

    # No network at all from here on.
    phone.set_offline(True)
    server.unplug()
    page.goto(f"{server.url}/az/join?code={code.lower()}")  # the QR code's link, served from the phone
    expect(page.locator("#class_code")).to_have_value(code)
    page.fill("#nickname", "  Aysel ")
    page.locator("[data-join-form] button[type=submit]").click()
    status = page.locator("[data-join-status]")
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_contain_text(code)
    expect(page.locator("[data-join-form]")).to_be_hidden()
    learner_id = page.evaluate("JSON.parse(localStorage.getItem('riskedu.learner')).id")

    page.goto(f"{server.url}/az/quiz/{quiz.id}")
    take_quiz_right(page, quiz)
    items = page.evaluate("() => riskeduOutbox.all()")
    by_kind = {item["kind"]: item for item in items}
    assert by_kind["enrollment"]["id"] == learner_id
    assert by_kind["enrollment"]["data"] == {"class_code": code, "nickname": "Aysel"}
    assert by_kind["quiz_attempt"]["data"]["learner_id"] == learner_id

    # The network is back: the outbox sends itself, and the join page names the class.
    server.plug_in()
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(
        page,
        "riskeduOutbox.all().then(items => items.length >= 2 && items.every(i => i.state === 'received'))",
    )
    page.goto(f"{server.url}/az/join")
    expect(status).to_have_attribute("data-state", "received")
    expect(status).to_contain_text("5B")
    expect(status).to_contain_text("Aysel")
    phone.close()

    # The teacher, on another device, sees the learner and the score.
    teacher_page = context.new_page()
    sign_in(teacher_page, server.url, teacher)
    teacher_page.get_by_role("link", name="5B").click()
    row = teacher_page.locator(f'tr[data-learner="{learner_id}"]')
    expect(row).to_contain_text("Aysel")
    expect(row.locator("[data-first]")).to_have_text("100%")
    expect(teacher_page.locator(f'tr[data-quiz="{quiz.id}"]')).to_contain_text(
        catalog.quiz("en", quiz.id).title
    )


def test_a_wrong_code_needs_attention_and_the_learner_can_join_again(
    playwright, own_server, tmp_path
) -> None:
    server = own_server
    _teacher, school_class = teacher_with_class(server, name="6A")
    phone = open_phone(playwright, tmp_path / "phone")
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto(f"{server.url}/en/join")
    page.fill("#class_code", "O0I1")
    page.fill("#nickname", "me@example.org")
    page.locator("[data-join-form] button[type=submit]").click()
    expect(page.locator('[data-problem-for="class_code"]')).to_be_visible()
    expect(page.locator('[data-problem-for="nickname"]')).to_be_visible()

    page.fill("#class_code", "ZZ9 ZZ9")
    page.fill("#nickname", "Leyla")
    page.locator("[data-join-form] button[type=submit]").click()
    status = page.locator("[data-join-status]")
    expect(status).to_have_attribute("data-state", "attention")
    expect(status).to_contain_text("no class has this code")
    expect(page.locator("[data-join-form]")).to_be_visible()

    page.fill("#class_code", school_class.join_code)
    page.locator("[data-join-form] button[type=submit]").click()
    expect(status).to_have_attribute("data-state", "received")
    expect(status).to_contain_text("6A")
    phone.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_teacher_pages_fit_a_phone_and_have_no_serious_accessibility_violations(
    page: Page, live_server, locale
) -> None:
    teacher, school_class = teacher_with_class(live_server, name="الصف الخامس ب" if locale == "ar" else "5B")
    with live_server.app.test_client() as client:
        learners = [new_id() for _ in range(3)]
        send(
            client,
            *(
                enrollment_item(school_class.join_code, f"Learner {n}", learner)
                for n, learner in enumerate(learners)
            ),
        )
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server.url, teacher, locale)
    axe = Axe()
    for path in (
        "/teach/",
        f"/teach/classes/{school_class.id}/",
        f"/teach/classes/{school_class.id}/code",
        f"/teach/classes/{school_class.id}/sessions/new",
        "/teach/summary",
        "/join",
    ):
        page.goto(f"{live_server.url}/{locale}{path}")
        assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "ar" else "ltr")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        serious = [
            f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{locale}{path}: {serious}"
