"""The shape of each content file, validated with pydantic; the loader turns errors into plain words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=80)]
DrawingName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*\.svg$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceFile(Strict):
    id: Identifier
    title: Text
    publisher: str | None = None
    date: str | None = None
    url: HttpUrl | None = None

    @field_validator("date", mode="before")
    @classmethod
    def date_as_text(cls, value: object) -> object:
        # YAML reads 2024-10-01 as a date; sources keep dates as written.
        return value.isoformat() if isinstance(value, dt.date) else value


class LessonFrontMatter(Strict):
    id: Identifier
    order: Annotated[int, Field(ge=1, le=999)]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    summary: Annotated[str, Field(min_length=1, max_length=400)]
    audience: Annotated[list[Literal["children", "adults"]], Field(min_length=1)]
    messages: Annotated[list[Identifier], Field(min_length=1)]
    illustrations: list[DrawingName] = []
    quiz: Identifier
    sources: Annotated[list[SourceFile], Field(min_length=1)]

    @model_validator(mode="after")
    def unique_source_ids(self) -> LessonFrontMatter:
        ids = [source.id for source in self.sources]
        if len(ids) != len(set(ids)):
            raise ValueError("two sources share an id")
        return self


class ChoiceFile(Strict):
    id: Identifier
    text: Text
    explanation: Text
    image: DrawingName | None = None


class QuestionFile(Strict):
    id: Identifier
    kind: Literal["single", "multiple", "true_false", "picture", "scenario"]
    prompt: Text
    scenario: str | None = None
    image: DrawingName | None = None
    answer: Annotated[list[Identifier], Field(min_length=1)]
    choices: Annotated[list[ChoiceFile], Field(min_length=2, max_length=8)]
    # A life-critical question: a wrong answer fails the quiz whatever the score (it could kill or maim).
    critical: bool = False
    # The core messages (ids in core-messages.yaml) this question asks about.
    messages: list[Identifier] = Field(default_factory=list)

    @field_validator("answer", mode="before")
    @classmethod
    def yaml_booleans_are_choice_ids(cls, value: object) -> object:
        # `answer: [true]` reads as a boolean in YAML; true/false questions mean the choice ids.
        if isinstance(value, list):
            return [str(item).lower() if isinstance(item, bool) else item for item in value]
        return value

    @field_validator("choices", mode="before")
    @classmethod
    def yaml_boolean_choice_ids(cls, value: object) -> object:
        if isinstance(value, list):
            for choice in value:
                if isinstance(choice, dict) and isinstance(choice.get("id"), bool):
                    choice["id"] = str(choice["id"]).lower()
        return value

    @model_validator(mode="after")
    def answer_fits_the_kind(self) -> QuestionFile:
        choice_ids = [choice.id for choice in self.choices]
        if len(choice_ids) != len(set(choice_ids)):
            raise ValueError("two choices share an id")
        unknown = [key for key in self.answer if key not in choice_ids]
        if unknown:
            raise ValueError(f"answer names choices that do not exist: {', '.join(unknown)}")
        if self.kind != "multiple" and len(self.answer) != 1:
            raise ValueError(f"a {self.kind} question has exactly one correct choice")
        if self.kind == "true_false" and sorted(choice_ids) != ["false", "true"]:
            raise ValueError("a true_false question has exactly the choices true and false")
        if self.kind == "picture" and any(choice.image is None for choice in self.choices):
            raise ValueError("every choice of a picture question needs an image")
        if self.kind == "scenario" and not (self.scenario or "").strip():
            raise ValueError("a scenario question needs its scenario text")
        return self


class QuizFile(Strict):
    id: Identifier
    lesson: Identifier
    title: Annotated[str, Field(min_length=1, max_length=120)]
    pass_percent: Annotated[int, Field(ge=1, le=100)] = 80
    questions: Annotated[list[QuestionFile], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def unique_question_ids(self) -> QuizFile:
        ids = [question.id for question in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("two questions share an id")
        return self


class EmergencyNumberFile(Strict):
    number: Annotated[str, Field(pattern=r"^\+?[0-9]{2,15}$")]
    label: dict[str, Text]


class SiteFile(Strict):
    organisation: dict[str, Text]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    emergency_numbers: Annotated[list[EmergencyNumberFile], Field(min_length=1)]
    sms_number: Annotated[str, Field(pattern=r"^\+?[0-9]{2,15}$")] | None = None


def split_front_matter(text: str) -> tuple[str, str]:
    """``---\\nYAML\\n---\\nbody`` -> (YAML, body)."""
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", text, re.DOTALL)
    if not match:
        raise ValueError("the file must start with front matter between two lines of ---")
    return match.group(1), match.group(2)
