"""The grading rule as plain functions: a critical question fails a quiz whatever the score; one rounding."""

from __future__ import annotations

import pytest

from riskedu.content.grading import grade_quiz, percent_half_up
from riskedu.content.model import Choice, Question, Quiz


def question(qid: str, *, critical: bool = False) -> Question:
    return Question(
        id=qid,
        kind="single",
        prompt=f"{qid}?",
        choices=(Choice("safe", "Go back", "Right."), Choice("lethal", "Run in", "This could kill you.")),
        answer=frozenset({"safe"}),
        critical=critical,
    )


def quiz(*questions: Question, pass_percent: int = 80) -> Quiz:
    return Quiz(id="q", locale="en", lesson_id="l", title="Q", pass_percent=pass_percent, questions=questions)


def test_a_lethal_answer_fails_the_quiz_even_at_86_percent() -> None:
    seven = quiz(*(question(f"q{n}") for n in range(6)), question("run-in", critical=True))
    answers = {f"q{n}": {"safe"} for n in range(6)} | {"run-in": {"lethal"}}
    result = grade_quiz(seven, answers)
    assert result.percent == 86
    assert not result.passed
    assert [r.question.id for r in result.critical_missed] == ["run-in"]


def test_the_same_score_with_the_wrong_answer_on_a_plain_question_passes() -> None:
    seven = quiz(*(question(f"q{n}") for n in range(6)), question("run-in", critical=True))
    answers = {f"q{n}": {"safe"} for n in range(1, 6)} | {"q0": {"lethal"}, "run-in": {"safe"}}
    result = grade_quiz(seven, answers)
    assert result.percent == 86
    assert result.passed
    assert not result.critical_missed


def test_an_unanswered_critical_question_counts_as_missed() -> None:
    result = grade_quiz(quiz(question("a"), question("b", critical=True), pass_percent=50), {"a": {"safe"}})
    assert result.percent == 50
    assert not result.passed


@pytest.mark.parametrize(
    ("score", "total", "percent"),
    [(5, 8, 63), (1, 8, 13), (3, 8, 38), (1, 2, 50), (2, 3, 67), (1, 3, 33), (7, 7, 100), (0, 0, 0)],
)
def test_percentages_round_half_up_like_the_phone(score: int, total: int, percent: int) -> None:
    # Python's round(62.5) is 62, the phone's Math.round(62.5) is 63: both now say 63.
    assert percent_half_up(score, total) == percent
