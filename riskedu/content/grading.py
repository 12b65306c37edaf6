"""Grading a quiz. The browser applies exactly these rules offline (static/js/quiz.js); the no-JavaScript form
and the synced attempts use this module. tests/test_grading.py runs the same cases through both.

The rules:
- a question is right only when exactly its correct choices are picked;
- the percentage is rounded half up with integer arithmetic (Python's round() rounds half to even,
  JavaScript's Math.round half up: 5 of 8 would be 62 % here and 63 % on the phone);
- a quiz is passed when the percentage reaches the pass mark AND every critical question is right: a lethal
  answer is never outweighed by the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from riskedu.content.model import Question, Quiz


def percent_half_up(score: int, total: int) -> int:
    """100 * score / total, rounded half up, in integers (the same on the phone: see quiz.js)."""
    return (200 * score + total) // (2 * total) if total else 0


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    chosen: frozenset[str]
    correct: bool

    @property
    def dangerous(self) -> bool:
        """Answered wrongly a question whose wrong answers could kill or maim."""
        return self.question.critical and not self.correct


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
        return percent_half_up(self.score, self.total)

    @property
    def critical_missed(self) -> tuple[QuestionResult, ...]:
        return tuple(result for result in self.questions if result.dangerous)

    @property
    def passed(self) -> bool:
        return self.percent >= self.quiz.pass_percent and not self.critical_missed


def grade_question(question: Question, chosen: Set[str]) -> QuestionResult:
    # Only choices that exist count; a multiple-choice answer is right only as the exact correct set.
    picked = frozenset(chosen) & {choice.id for choice in question.choices}
    return QuestionResult(question, picked, picked == question.answer)


def grade_quiz(quiz: Quiz, answers: Mapping[str, Set[str]]) -> QuizResult:
    return QuizResult(
        quiz,
        tuple(grade_question(question, answers.get(question.id, frozenset())) for question in quiz.questions),
    )
