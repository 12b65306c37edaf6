"""A learner in Chromium: every lesson opens, a whole quiz is taken with feedback, in every locale."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from riskedu.content import content_catalog

pytestmark = pytest.mark.browser
LOCALES = ("en", "az", "ru", "ar")


@pytest.fixture(scope="module")
def catalog(live_server):
    with live_server.app.app_context():
        return content_catalog()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_lesson_opens_and_a_full_quiz_gives_feedback_and_a_score(
    page: Page, live_server, catalog, locale
) -> None:
    lessons = catalog.lessons_in_order(locale)
    page.goto(f"{live_server.url}/{locale}/lessons/")
    for lesson in lessons:
        page.goto(f"{live_server.url}/{locale}/lessons/{lesson.id}")
        expect(page.locator("h1")).to_have_text(lesson.title)
        # Every drawing actually loads and decodes (decode() rejects for a broken image).
        for image in page.locator("img.illustration").all():
            image.scroll_into_view_if_needed()
            assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0, lesson.id

    # Take the first lesson's quiz: one wrong answer, the rest right.
    quiz = catalog.quiz(locale, lessons[0].quiz_id)
    page.goto(f"{live_server.url}/{locale}/lessons/{lessons[0].id}")
    page.locator(".lesson__quiz a").click()
    page.wait_for_url(f"**/{locale}/quiz/{quiz.id}")
    for index, question in enumerate(quiz.questions):
        fieldset = page.locator(f'fieldset[data-question="{question.id}"]')
        picks = sorted(question.answer)
        if index == 0:
            picks = [next(c.id for c in question.choices if c.id not in question.answer)]
        for choice_id in picks:
            fieldset.locator(f'input[value="{choice_id}"]').check()
        if question.kind == "multiple":
            fieldset.locator("[data-check]").click()
        feedback = fieldset.locator("[data-feedback]")
        expect(feedback).to_be_visible()
        explanation = question.choices[[c.id for c in question.choices].index(picks[0])].explanation
        expect(feedback).to_contain_text(explanation.strip())
        expect(feedback).to_have_class("feedback feedback--" + ("wrong" if index == 0 else "right"))
    page.locator("form.quiz button[type=submit]").click()
    result = page.locator("[data-quiz-result]")
    expect(result).to_be_visible()
    total = len(quiz.questions)
    expect(result.locator("[data-score]")).to_contain_text(str(total - 1))
    expect(result.locator("[data-score]")).to_contain_text(str(total))

    # Retry clears the answers; the best score stays on the device and shows in the lesson list.
    result.locator("[data-retry]").click()
    expect(result).to_be_hidden()
    assert page.locator("form.quiz input:checked").count() == 0
    page.goto(f"{live_server.url}/{locale}/lessons/")
    status = page.locator(f'[data-lesson="{lessons[0].id}"] [data-lesson-status]').first
    percent = round(100 * (total - 1) / total)
    expect(status).to_contain_text(f"{percent}")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_pages_have_no_serious_accessibility_violations(page: Page, live_server, catalog, locale) -> None:
    lesson = catalog.lessons_in_order(locale)[0]
    quiz_id = lesson.quiz_id
    axe = Axe()
    for path in ("/", "/lessons/", f"/lessons/{lesson.id}", f"/quiz/{quiz_id}", "/no-such-page"):
        page.goto(f"{live_server.url}/{locale}{path}")
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{locale}{path}: {serious}"


def test_the_quiz_result_page_without_javascript(chromium, live_server, catalog) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    quiz = catalog.quiz("ar", catalog.lessons_in_order("ar")[0].quiz_id)
    page.goto(f"{live_server.url}/ar/quiz/{quiz.id}")
    for question in quiz.questions:
        for choice_id in sorted(question.answer):
            page.locator(f'fieldset[data-question="{question.id}"] input[value="{choice_id}"]').check()
    page.locator("form.quiz button[type=submit]").click()
    expect(page.locator(".quiz-result__score")).to_contain_text(str(len(quiz.questions)))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    context.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_offline_grading_fails_a_lethal_answer_whatever_the_score(
    page: Page, live_server, catalog, locale
) -> None:
    quiz = next(q for q in catalog.quizzes[locale].values() if any(x.critical for x in q.questions))
    critical = next(q for q in quiz.questions if q.critical)
    page.goto(f"{live_server.url}/{locale}/quiz/{quiz.id}")
    served_orders = []
    for question in quiz.questions:
        fieldset = page.locator(f'fieldset[data-question="{question.id}"]')
        labels = fieldset.locator("label[data-choice]")
        served_orders.append(labels.evaluate_all("ls => ls.map(l => l.dataset.choice)"))
        picks = sorted(question.answer)
        if question is critical:
            picks = [next(c.id for c in question.choices if c.id not in question.answer)]
        for choice_id in picks:
            fieldset.locator(f'input[value="{choice_id}"]').check()
        if question.kind == "multiple":
            fieldset.locator("[data-check]").click()
    feedback = page.locator(f'fieldset[data-question="{critical.id}"] [data-feedback]')
    expect(feedback).to_have_class("feedback feedback--wrong feedback--dangerous")
    key = page.evaluate("JSON.parse(document.getElementById('quiz-key').textContent)")
    expect(feedback.locator(".feedback__verdict")).to_have_text(key["words"]["dangerous"])
    page.locator("form.quiz button[type=submit]").click()
    verdict = page.locator("[data-quiz-result] [data-verdict]")
    expect(verdict).to_have_text(key["words"]["criticalMissed"])
    # The choices were shuffled for this attempt: the page's order is not the file's order everywhere.
    file_orders = [[c.id for c in q.choices] for q in quiz.questions]
    assert served_orders != file_orders
