"""Grading a quiz: the same rules the browser applies offline (static/js/quiz.js), used by the no-JavaScript
form and, later, to re-grade attempts that phones send."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from riskedu.content.model import Question, Quiz


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    chosen: frozenset[str]
    correct: bool


@dataclass(frozen=True)
class QuizResult:
    quiz: Quiz
    questions: tuple[QuestionResult, ...]

    @property
    def score(self) -> int:
        return sum(1 for result in self.questions if result.correct)

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0

    @property
    def passed(self) -> bool:
        return self.percent >= self.quiz.pass_percent


def grade_question(question: Question, chosen: Set[str]) -> QuestionResult:
    # Only choices that exist count; a multiple-choice answer is right only as the exact correct set.
    picked = frozenset(chosen) & {choice.id for choice in question.choices}
    return QuestionResult(question, picked, picked == question.answer)


def grade_quiz(quiz: Quiz, answers: Mapping[str, Set[str]]) -> QuizResult:
    return QuizResult(
        quiz,
        tuple(grade_question(question, answers.get(question.id, frozenset())) for question in quiz.questions),
    )
