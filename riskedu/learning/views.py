"""Lesson and quiz pages: server-rendered, readable without JavaScript; quiz grading works both in the
browser (offline) and as a plain form post (no JavaScript)."""

from __future__ import annotations

from typing import Any

from flask import abort, g, render_template, request
from flask_babel import gettext as _

from riskedu.content import content_catalog
from riskedu.content.grading import grade_quiz
from riskedu.content.model import Lesson, Quiz
from riskedu.web.csrf import public_form
from riskedu.web.localized import localized_blueprint

learning = localized_blueprint("learning", __name__, template_folder="templates")


def _lesson_or_404(lesson_id: str) -> Lesson:
    lesson = content_catalog().lesson(g.locale, lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _quiz_or_404(quiz_id: str) -> Quiz:
    quiz = content_catalog().quiz(g.locale, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


@learning.get("/lessons/")
def lesson_index() -> str:
    lessons = content_catalog().lessons_in_order(g.locale)
    return render_template(
        "learning/index.html",
        children=[lesson for lesson in lessons if "children" in lesson.audience],
        adults=[lesson for lesson in lessons if "adults" in lesson.audience],
    )


@learning.get("/lessons/<lesson_id>")
def lesson_page(lesson_id: str) -> str:
    catalog = content_catalog()
    lesson = _lesson_or_404(lesson_id)
    previous, following = catalog.neighbours(lesson)
    return render_template(
        "learning/lesson.html",
        lesson=lesson,
        previous=previous,
        following=following,
        position=catalog.lessons_in_order(g.locale).index(lesson) + 1,
        lesson_count=len(catalog.lessons.get(g.locale, {})),
        core_messages=catalog.core_messages,
    )


def _answer_key(quiz: Quiz) -> dict[str, Any]:
    """What the browser needs to grade offline, plus the few words it shows."""
    return {
        "quiz": quiz.id,
        "lesson": quiz.lesson_id,
        "passPercent": quiz.pass_percent,
        "questions": {
            question.id: {
                "kind": question.kind,
                "critical": question.critical,
                "answer": sorted(question.answer),
                "explanations": {choice.id: choice.explanation for choice in question.choices},
            }
            for question in quiz.questions
        },
        "words": {
            "right": _("Right!"),
            "wrong": _("No, that is not right."),
            "dangerous": _("No — this is dangerous. It could kill or maim."),
            "pickOne": _("Choose an answer first."),
            "correctWas": _("The right answer:"),
            "score": _(
                "You answered %(score)s of %(total)s correctly (%(percent)s%%).",
                score="{score}",
                total="{total}",
                percent="{percent}",
            ),
            "passed": _("Well done! You know how to stay safe."),
            "notPassed": _("Read the lesson again and try once more. You can do it."),
            "criticalMissed": _(
                "Not passed: one of your answers could kill or maim. "
                "Read the lesson again, then try once more."
            ),
            "best": _("Your best: %(percent)s%%", percent="{percent}"),
        },
    }


@learning.get("/quiz/<quiz_id>")
def quiz_page(quiz_id: str) -> str:
    quiz = _quiz_or_404(quiz_id)
    lesson = content_catalog().lesson(g.locale, quiz.lesson_id)
    return render_template("learning/quiz.html", quiz=quiz, lesson=lesson, answer_key=_answer_key(quiz))


@learning.post("/quiz/<quiz_id>")
@public_form  # grading changes nothing on the server
def quiz_submit(quiz_id: str) -> str:
    quiz = _quiz_or_404(quiz_id)
    catalog = content_catalog()
    lesson = catalog.lesson(g.locale, quiz.lesson_id)
    answers = {question.id: set(request.form.getlist(question.id)) for question in quiz.questions}
    result = grade_quiz(quiz, answers)
    following = catalog.neighbours(lesson)[1] if lesson else None
    return render_template(
        "learning/quiz_result.html", quiz=quiz, lesson=lesson, result=result, following=following
    )
