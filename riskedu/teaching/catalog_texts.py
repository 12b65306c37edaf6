"""Titles, questions and answers as the dashboard shows them: from the content catalog in the teacher's
language. Attempts may have been made in another language (ids are the same in every language); where the
teacher's language lacks something, another language's text is shown rather than nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from riskedu.content.model import Catalog, Question, Quiz


@dataclass(frozen=True)
class CatalogTexts:
    catalog: Catalog
    locale: str

    def _locales(self) -> list[str]:
        return [self.locale, *(code for code in self.catalog.locales if code != self.locale)]

    def _quiz(self, quiz_id: str) -> Quiz | None:
        return next(
            (quiz for code in self._locales() if (quiz := self.catalog.quiz(code, quiz_id)) is not None), None
        )

    def _question(self, quiz_id: str, question_id: str) -> Question | None:
        for code in self._locales():
            quiz = self.catalog.quiz(code, quiz_id)
            if quiz is not None and (question := quiz.question(question_id)) is not None:
                return question
        return None

    def quiz_title(self, quiz_id: str) -> str:
        quiz = self._quiz(quiz_id)
        return quiz.title if quiz else quiz_id

    def lesson_title(self, lesson_id: str) -> str:
        for code in self._locales():
            lesson = self.catalog.lesson(code, lesson_id)
            if lesson is not None:
                return lesson.title
        return lesson_id

    def question_prompt(self, quiz_id: str, question_id: str) -> str:
        question = self._question(quiz_id, question_id)
        return question.prompt if question else question_id

    def choice_texts(self, quiz_id: str, question_id: str, choice_ids: Sequence[str]) -> list[str]:
        question = self._question(quiz_id, question_id)
        texts = {choice.id: choice.text for choice in question.choices} if question else {}
        return [texts.get(choice_id, choice_id) for choice_id in choice_ids]

    def lesson_count(self) -> int:
        return len(self.catalog.lessons.get(self.locale, {}))

    def lessons_in_order(self) -> list[tuple[str, str]]:
        return [(lesson.id, lesson.title) for lesson in self.catalog.lessons_in_order(self.locale)]
