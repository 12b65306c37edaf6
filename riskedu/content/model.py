"""What the content catalog holds once loaded: plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field

AUDIENCES = ("children", "adults")
QUESTION_KINDS = ("single", "multiple", "true_false", "picture", "scenario")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Lesson:
    id: str
    locale: str
    order: int
    title: str
    summary: str
    audience: tuple[str, ...]
    messages: tuple[str, ...]
    illustrations: tuple[str, ...]
    quiz_id: str
    sources: tuple[Source, ...]
    body_html: str
    word_count: int


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    explanation: str
    image: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    choices: tuple[Choice, ...]
    answer: frozenset[str]
    scenario: str | None = None
    image: str | None = None
    critical: bool = False
    messages: tuple[str, ...] = ()

    @property
    def allows_several(self) -> bool:
        return self.kind == "multiple"


@dataclass(frozen=True)
class Quiz:
    id: str
    locale: str
    lesson_id: str
    title: str
    pass_percent: int
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    label: dict[str, str]


@dataclass(frozen=True)
class SiteSettings:
    organisation: dict[str, str]
    country: str
    emergency_numbers: tuple[EmergencyNumber, ...]
    sms_number: str | None = None


@dataclass
class Catalog:
    """Everything learners read, per locale, with a version that changes whenever any byte does."""

    version: str
    locales: tuple[str, ...]
    site: SiteSettings
    core_messages: dict[str, dict[str, str]]  # message id -> locale -> text
    lessons: dict[str, dict[str, Lesson]] = field(default_factory=dict)  # locale -> id -> lesson
    quizzes: dict[str, dict[str, Quiz]] = field(default_factory=dict)  # locale -> id -> quiz
    media: dict[str, int] = field(default_factory=dict)  # drawing name -> size in bytes

    def lessons_in_order(self, locale: str) -> list[Lesson]:
        return sorted(self.lessons.get(locale, {}).values(), key=lambda lesson: (lesson.order, lesson.id))

    def lesson(self, locale: str, lesson_id: str) -> Lesson | None:
        return self.lessons.get(locale, {}).get(lesson_id)

    def quiz(self, locale: str, quiz_id: str) -> Quiz | None:
        return self.quizzes.get(locale, {}).get(quiz_id)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        ordered = self.lessons_in_order(lesson.locale)
        index = next(i for i, candidate in enumerate(ordered) if candidate.id == lesson.id)
        previous = ordered[index - 1] if index > 0 else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        return previous, following
