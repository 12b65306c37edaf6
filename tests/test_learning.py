"""Lesson and quiz pages as a browser without JavaScript sees them."""

from __future__ import annotations

import json
import re

import pytest
from flask_babel import force_locale, gettext

from riskedu.content import content_catalog

LOCALES = ("en", "az", "ru", "ar")


@pytest.fixture
def catalog(app):
    with app.app_context():
        return content_catalog()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_lesson_index_lists_every_lesson_in_order(client, catalog, locale) -> None:
    body = client.get(f"/{locale}/lessons/").text
    positions = [
        body.index(f'href="/{locale}/lessons/{lesson.id}"') for lesson in catalog.lessons_in_order(locale)
    ]
    assert positions
    # Children's path first, in course order.
    children = [lesson for lesson in catalog.lessons_in_order(locale) if "children" in lesson.audience]
    child_positions = [body.index(f'href="/{locale}/lessons/{lesson.id}"') for lesson in children]
    assert child_positions == sorted(child_positions)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_lesson_page_renders_with_its_quiz_sources_and_neighbours(client, catalog, locale) -> None:
    lessons = catalog.lessons_in_order(locale)
    for index, lesson in enumerate(lessons):
        response = client.get(f"/{locale}/lessons/{lesson.id}")
        assert response.status_code == 200, lesson.id
        body = response.text
        assert (
            f"<h1>{lesson.title}</h1>".replace("'", "&#39;").replace('"', "&#34;") in body
            or lesson.title in body
        )
        assert f'href="/{locale}/quiz/{lesson.quiz_id}"' in body
        assert body.count("<li>", body.index("lesson__sources")) >= len(lesson.sources)
        if index > 0:
            assert f'rel="prev" href="/{locale}/lessons/{lessons[index - 1].id}"' in body
        if index + 1 < len(lessons):
            assert f'rel="next" href="/{locale}/lessons/{lessons[index + 1].id}"' in body
        for image in re.findall(r'<img class="illustration" src="([^"]+)"', body):
            assert re.fullmatch(r"/static/media/[a-z0-9-]+\.[0-9a-f]{12}\.svg", image), image
            drawing = client.get(image)
            assert drawing.status_code == 200
            assert drawing.headers["Content-Type"].startswith("image/svg+xml")
            drawing.close()


def test_every_page_offers_the_emergency_call(client, catalog) -> None:
    number = catalog.site.emergency_numbers[0].number
    for path in ("/ar/", "/az/lessons/", f"/ru/lessons/{catalog.lessons_in_order('ru')[0].id}"):
        assert f'href="tel:{number}"' in client.get(path).text


def test_a_lesson_missing_in_a_locale_is_a_404_not_english(client) -> None:
    assert client.get("/ar/lessons/no-such-lesson").status_code == 404
    assert client.get("/ar/quiz/no-such-quiz").status_code == 404


def quiz_form(catalog, locale: str = "en"):
    return catalog.quiz(locale, catalog.lessons_in_order(locale)[0].quiz_id)


def test_the_quiz_page_carries_its_answer_key_for_offline_grading(client, catalog) -> None:
    quiz = quiz_form(catalog, "az")
    body = client.get(f"/az/quiz/{quiz.id}").text
    key = json.loads(
        re.search(r'<script type="application/json" id="quiz-key">(.*?)</script>', body, re.S).group(1)
    )
    assert set(key["questions"]) == {q.id for q in quiz.questions}
    for question in quiz.questions:
        assert sorted(key["questions"][question.id]["answer"]) == sorted(question.answer)
        assert f'name="{question.id}"' in body
    assert key["words"]["right"] != "Right!"  # translated


def test_a_quiz_posted_without_javascript_is_graded_with_explanations(client, catalog) -> None:
    quiz = quiz_form(catalog)
    answers = {q.id: sorted(q.answer) for q in quiz.questions}
    wrong_question = quiz.questions[0]
    wrong_choice = next(c for c in wrong_question.choices if c.id not in wrong_question.answer)
    answers[wrong_question.id] = [wrong_choice.id]
    response = client.post(f"/en/quiz/{quiz.id}", data=answers)
    assert response.status_code == 200
    total = len(quiz.questions)
    assert f"You answered {total - 1} of {total} correctly" in response.text
    assert wrong_choice.explanation.replace("'", "&#39;").split(".")[0] in response.text.replace("&#34;", '"')


def test_an_empty_quiz_post_scores_zero_and_says_so(client, catalog) -> None:
    quiz = quiz_form(catalog, "ru")
    response = client.post(f"/ru/quiz/{quiz.id}", data={})
    assert response.status_code == 200
    assert f"0 из {len(quiz.questions)}" in response.text


def critical_quiz(catalog, locale: str = "en"):
    """A quiz with life-critical questions (every quiz must have two; the first lesson's has them)."""
    quiz = next((q for q in catalog.quizzes[locale].values() if any(x.critical for x in q.questions)), None)
    assert quiz is not None, "no quiz marks a critical question"
    return quiz


@pytest.mark.parametrize("locale", LOCALES)
def test_a_lethal_answer_fails_the_quiz_without_javascript(client, catalog, locale) -> None:
    quiz = critical_quiz(catalog, locale)
    critical = next(q for q in quiz.questions if q.critical)
    answers = {q.id: sorted(q.answer) for q in quiz.questions}
    answers[critical.id] = [next(c.id for c in critical.choices if c.id not in critical.answer)]
    page = client.post(f"/{locale}/quiz/{quiz.id}", data=answers).text
    with client.application.test_request_context(), force_locale(locale):
        not_passed = (
            "Not passed: one of your answers could kill or maim. Read the lesson again, then try once more."
        )
        assert gettext(not_passed) in page
        assert gettext("No — this is dangerous. It could kill or maim.") in page
        assert gettext("Well done! You know how to stay safe.") not in page
    assert "answer--dangerous" in page


def test_the_answer_key_marks_critical_questions_and_no_verdict_says_not_quite(client, catalog) -> None:
    quiz = critical_quiz(catalog)
    body = client.get(f"/en/quiz/{quiz.id}").text
    key = json.loads(re.search(r'id="quiz-key">(.*?)</script>', body, re.S).group(1))
    marked = {qid for qid, question in key["questions"].items() if question["critical"]}
    assert marked == {question.id for question in quiz.questions if question.critical}
    assert "Not quite" not in body
    assert "A life-saving question" in body
