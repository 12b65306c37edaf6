"""What a class dashboard shows, computed from the rows the queries read: per learner (lessons finished, each
quiz's first try and best), per quiz, per question (what the class gets wrong, and which wrong answers it
chooses) and per week. Pure functions: no database, no request."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class Learner(NamedTuple):
    id: str
    nickname: str
    enrolled_at: dt.datetime


class Attempt(NamedTuple):
    learner_id: str
    quiz_id: str
    finished_at: dt.datetime
    percent: int
    passed: bool


class AttemptDetail(NamedTuple):
    quiz_id: str
    finished_at: dt.datetime
    score: int
    total: int
    percent: int


class Answer(NamedTuple):
    learner_id: str
    finished_at: dt.datetime
    quiz_id: str
    question_id: str
    chosen: tuple[str, ...]
    correct: bool


class Completion(NamedTuple):
    learner_id: str
    lesson_id: str
    at: dt.datetime


class AnswerCount(NamedTuple):
    quiz_id: str
    question_id: str
    correct: bool
    answers: int


class WrongChoiceCount(NamedTuple):
    quiz_id: str
    question_id: str
    chosen: tuple[str, ...]  # the set of choices picked together; () when the question was left unanswered
    answers: int


@dataclass(frozen=True)
class QuizResult:
    quiz_id: str
    attempts: int
    first_percent: int
    best_percent: int
    passed: bool
    first_at: dt.datetime
    last_at: dt.datetime


@dataclass
class LearnerSummary:
    learner: Learner
    label: str  # the nickname, with a short id where two learners chose the same one
    lessons_completed: dict[str, dt.datetime] = field(default_factory=dict)
    quizzes: dict[str, QuizResult] = field(default_factory=dict)

    @property
    def first_average(self) -> int | None:
        return _average(result.first_percent for result in self.quizzes.values())

    @property
    def best_average(self) -> int | None:
        return _average(result.best_percent for result in self.quizzes.values())

    @property
    def last_active(self) -> dt.datetime:
        moments = [self.learner.enrolled_at, *self.lessons_completed.values()]
        moments += [result.last_at for result in self.quizzes.values()]
        return max(moments)


def _average(values: Iterable[int]) -> int | None:
    numbers = list(values)
    return round(sum(numbers) / len(numbers)) if numbers else None


def labels(learners: Sequence[Learner]) -> dict[str, str]:
    """Nicknames as teachers tell learners apart: two "Aysel"s become "Aysel · 3F2A" and "Aysel · 9C1D"."""
    seen = Counter(learner.nickname.casefold() for learner in learners)
    return {
        learner.id: learner.nickname
        if seen[learner.nickname.casefold()] == 1
        else f"{learner.nickname} · {learner.id[:4].upper()}"
        for learner in learners
    }


def quiz_results(attempts: Iterable[Attempt]) -> dict[tuple[str, str], QuizResult]:
    """(learner, quiz) -> the first try (the earliest finished) and the best of all tries."""
    grouped: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[(attempt.learner_id, attempt.quiz_id)].append(attempt)
    results = {}
    for key, tries in grouped.items():
        tries.sort(key=lambda attempt: attempt.finished_at)
        results[key] = QuizResult(
            quiz_id=key[1],
            attempts=len(tries),
            first_percent=tries[0].percent,
            best_percent=max(attempt.percent for attempt in tries),
            passed=any(attempt.passed for attempt in tries),
            first_at=tries[0].finished_at,
            last_at=tries[-1].finished_at,
        )
    return results


def learner_summaries(
    learners: Sequence[Learner], attempts: Iterable[Attempt], completions: Iterable[Completion]
) -> list[LearnerSummary]:
    names = labels(learners)
    summaries = {learner.id: LearnerSummary(learner, names[learner.id]) for learner in learners}
    for completion in completions:
        summary = summaries.get(completion.learner_id)
        if summary is None:
            continue
        # The first time counts: a lesson read again later was finished back then.
        earlier = summary.lessons_completed.get(completion.lesson_id)
        if earlier is None or completion.at < earlier:
            summary.lessons_completed[completion.lesson_id] = completion.at
    for (learner_id, quiz_id), result in quiz_results(attempts).items():
        if learner_id in summaries:
            summaries[learner_id].quizzes[quiz_id] = result
    return sorted(summaries.values(), key=lambda summary: (summary.label.casefold(), summary.learner.id))


@dataclass(frozen=True)
class QuizOverview:
    quiz_id: str
    learners: int
    first_average: int
    best_average: int
    passed: int


def quiz_overview(summaries: Iterable[LearnerSummary]) -> list[QuizOverview]:
    per_quiz: dict[str, list[QuizResult]] = defaultdict(list)
    for summary in summaries:
        for quiz_id, result in summary.quizzes.items():
            per_quiz[quiz_id].append(result)
    overview = [
        QuizOverview(
            quiz_id=quiz_id,
            learners=len(results),
            first_average=_average(result.first_percent for result in results) or 0,
            best_average=_average(result.best_percent for result in results) or 0,
            passed=sum(1 for result in results if result.passed),
        )
        for quiz_id, results in per_quiz.items()
    ]
    return sorted(overview, key=lambda quiz: quiz.quiz_id)


@dataclass(frozen=True)
class QuestionDifficulty:
    quiz_id: str
    question_id: str
    answered: int
    wrong: int
    wrong_answers: tuple[tuple[tuple[str, ...], int], ...]  # (choices picked, how often), most often first

    @property
    def wrong_percent(self) -> int:
        return round(100 * self.wrong / self.answered) if self.answered else 0


def question_difficulty(
    counts: Iterable[AnswerCount], wrong_choices: Iterable[WrongChoiceCount], limit: int | None = None
) -> list[QuestionDifficulty]:
    """Questions the class answered wrong, the most often wrong first (by share, then by number)."""
    answered: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    for count in counts:
        answered[(count.quiz_id, count.question_id)] += count.answers
        if not count.correct:
            wrong[(count.quiz_id, count.question_id)] += count.answers
    chosen: dict[tuple[str, str], Counter[tuple[str, ...]]] = defaultdict(Counter)
    for choice in wrong_choices:
        chosen[(choice.quiz_id, choice.question_id)][choice.chosen] += choice.answers
    ranked = [
        QuestionDifficulty(
            quiz_id=key[0],
            question_id=key[1],
            answered=answered[key],
            wrong=wrong[key],
            wrong_answers=tuple(sorted(chosen[key].items(), key=lambda item: (-item[1], item[0]))),
        )
        for key in answered
        if wrong[key]
    ]
    ranked.sort(key=lambda q: (-q.wrong / q.answered, -q.wrong, q.quiz_id, q.question_id))
    return ranked[:limit] if limit is not None else ranked


@dataclass(frozen=True)
class WeekPoint:
    start: dt.date  # the Monday
    attempts: int
    learners: int
    average_percent: int | None  # None: no quiz taken that week


MAX_WEEKS = 52


def week_start(moment: dt.datetime) -> dt.date:
    day = moment.date()
    return day - dt.timedelta(days=day.weekday())


def weekly_progress(attempts: Iterable[Attempt], max_weeks: int = MAX_WEEKS) -> list[WeekPoint]:
    """Quiz attempts per week, from the first week with one to the last, quiet weeks included (so the chart's
    spacing is true to time); at most the last ``max_weeks``."""
    percents: dict[dt.date, list[int]] = defaultdict(list)
    learners: dict[dt.date, set[str]] = defaultdict(set)
    for attempt in attempts:
        week = week_start(attempt.finished_at)
        percents[week].append(attempt.percent)
        learners[week].add(attempt.learner_id)
    if not percents:
        return []
    last = max(percents)
    first = max(min(percents), last - dt.timedelta(weeks=max_weeks - 1))
    points = []
    week = first
    while week <= last:
        values = percents.get(week, [])
        points.append(WeekPoint(week, len(values), len(learners.get(week, ())), _average(values)))
        week += dt.timedelta(weeks=1)
    return points
