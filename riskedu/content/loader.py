"""Read the whole content tree into a Catalog, collecting every problem in plain words.

Loading is tolerant on purpose: a broken file is left out and reported, everything else is served. A typo in
one translation must not take the report form or the other lessons offline. `flask content check` and the
test suite insist on zero problems.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from riskedu.content.checks import (
    check_drawing,
    check_links,
    compare_locales,
    lesson_structure,
    quiz_structure,
    used_drawings,
)
from riskedu.content.model import (
    Catalog,
    Choice,
    EmergencyNumber,
    Lesson,
    Question,
    Quiz,
    SiteSettings,
    Source,
)
from riskedu.content.problems import Problem, ProblemCollector
from riskedu.content.render import render_lesson_body
from riskedu.content.schema import LessonFrontMatter, QuizFile, SiteFile, split_front_matter

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

DEFAULT_DRAWING_BUDGET_BYTES = 12 * 1024


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)


def content_version(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read_yaml(path: Path, problems: ProblemCollector) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.add(path, f"not valid YAML: {error}")
        return None


def _validate(model: type[M], data: Any, path: Path, problems: ProblemCollector) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.validation(path, error)
        return None


def _load_site(root: Path, locales: Sequence[str], problems: ProblemCollector) -> SiteSettings:
    path = root / "site.yaml"
    empty = SiteSettings(organisation={}, country="", emergency_numbers=())
    if not path.exists():
        problems.add("site.yaml", "missing: the deployment settings (organisation, emergency numbers)")
        return empty
    site = _validate(SiteFile, _read_yaml(path, problems), path, problems)
    if site is None:
        return empty
    for locale in locales:
        if locale not in site.organisation:
            problems.add(path, f"organisation has no {locale} name")
        for number in site.emergency_numbers:
            if locale not in number.label:
                problems.add(path, f"emergency number {number.number} has no {locale} label")
    return SiteSettings(
        organisation=dict(site.organisation),
        country=site.country,
        emergency_numbers=tuple(EmergencyNumber(n.number, dict(n.label)) for n in site.emergency_numbers),
        sms_number=site.sms_number,
    )


def _load_core_messages(
    root: Path, locales: Sequence[str], problems: ProblemCollector
) -> dict[str, dict[str, str]]:
    path = root / "core-messages.yaml"
    if not path.exists():
        problems.add("core-messages.yaml", "missing: the list of core safety messages")
        return {}
    data = _read_yaml(path, problems)
    if not isinstance(data, dict):
        problems.add(path, "must map each message id to its text per locale")
        return {}
    messages: dict[str, dict[str, str]] = {}
    for message_id, texts in data.items():
        texts = texts if isinstance(texts, dict) else {}
        for locale in locales:
            if not str(texts.get(locale) or "").strip():
                problems.add(path, f"core message {message_id} has no {locale} text")
        messages[str(message_id)] = {str(k): str(v) for k, v in texts.items()}
    return messages


def _load_media(root: Path, budget: int, problems: ProblemCollector) -> dict[str, int]:
    folder = root / "media"
    media: dict[str, int] = {}
    if not folder.is_dir():
        problems.add("media", "missing: the folder of drawings")
        return media
    for path in sorted(folder.glob("*.svg")):
        check_drawing(path, budget, problems)
        media[path.name] = path.stat().st_size
    return media


def _load_lesson(
    path: Path,
    locale: str,
    site: SiteSettings,
    media: dict[str, int],
    media_url: Callable[[str], str],
    problems: ProblemCollector,
) -> Lesson | None:
    try:
        front_text, body = split_front_matter(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        problems.add(path, str(error))
        return None
    try:
        data = yaml.safe_load(front_text)
    except yaml.YAMLError as error:
        problems.add(path, f"front matter is not valid YAML: {error}")
        return None
    front = _validate(LessonFrontMatter, data, path, problems)
    if front is None:
        return None
    if front.id != path.stem:
        problems.add(path, f"id {front.id} differs from the file name {path.stem}")
    rendered = render_lesson_body(
        body, locale=locale, media_url=media_url, emergency_numbers=site.emergency_numbers
    )
    for name in rendered.images:
        if name not in media:
            problems.add(path, f"shows drawing {name}, which is not in content/media")
        if name not in front.illustrations:
            problems.add(path, f"shows drawing {name} but does not list it in illustrations")
    for name in front.illustrations:
        if name not in rendered.images:
            problems.add(path, f"lists illustration {name} but never shows it")
    for name in rendered.missing_alt:
        problems.add(path, f"drawing {name} has no alt text (say what it shows, in this language)")
    for number in site.emergency_numbers:
        if re.search(rf"(?<![\d.,]){re.escape(number.number)}(?![\d.,])", body):
            problems.add(path, f"writes the phone number {number.number}: use [[emergency-call]] instead")
    if not body.strip():
        problems.add(path, "has no text")
    return Lesson(
        id=front.id,
        locale=locale,
        order=front.order,
        title=front.title,
        summary=front.summary,
        audience=tuple(front.audience),
        messages=tuple(front.messages),
        illustrations=tuple(front.illustrations),
        quiz_id=front.quiz,
        sources=tuple(
            Source(s.id, s.title, s.publisher, s.date, str(s.url) if s.url else None) for s in front.sources
        ),
        body_html=rendered.html,
        word_count=rendered.word_count,
    )


def _load_quiz(path: Path, locale: str, media: dict[str, int], problems: ProblemCollector) -> Quiz | None:
    data = _read_yaml(path, problems)
    if data is None:
        return None
    quiz = _validate(QuizFile, data, path, problems)
    if quiz is None:
        return None
    if quiz.id != path.stem:
        problems.add(path, f"id {quiz.id} differs from the file name {path.stem}")
    for question in quiz.questions:
        for image in [question.image, *(choice.image for choice in question.choices)]:
            if image and image not in media:
                problems.add(
                    path, f"question {question.id} shows drawing {image}, which is not in content/media"
                )
    return Quiz(
        id=quiz.id,
        locale=locale,
        lesson_id=quiz.lesson,
        title=quiz.title,
        pass_percent=quiz.pass_percent,
        questions=tuple(
            Question(
                id=q.id,
                kind=q.kind,
                prompt=q.prompt,
                scenario=q.scenario,
                image=q.image,
                answer=frozenset(q.answer),
                critical=q.critical,
                messages=tuple(q.messages),
                choices=tuple(Choice(c.id, c.text, c.explanation, c.image) for c in q.choices),
            )
            for q in quiz.questions
        ),
    )


def load_content(
    root: Path,
    locales: Iterable[str],
    *,
    media_url: Callable[[str], str] = lambda name: f"/static/media/{name}",
    drawing_budget_bytes: int = DEFAULT_DRAWING_BUDGET_BYTES,
) -> LoadResult:
    locales = tuple(locales)
    problems = ProblemCollector(root)
    if not root.is_dir():
        problems.add(str(root), "the content folder does not exist")
        empty = Catalog("", locales, SiteSettings({}, "", ()), {})
        return LoadResult(empty, problems.problems)
    site = _load_site(root, locales, problems)
    catalog = Catalog(
        version=content_version(root),
        locales=locales,
        site=site,
        core_messages=_load_core_messages(root, locales, problems),
        media=_load_media(root, drawing_budget_bytes, problems),
    )
    for locale in locales:
        folder = root / locale
        if not folder.is_dir():
            problems.add(locale, f"missing: no content at all for {locale}")
        lessons = (
            _load_lesson(p, locale, site, catalog.media, media_url, problems)
            for p in sorted(folder.glob("lessons/*.md"))
        )
        catalog.lessons[locale] = {lesson.id: lesson for lesson in lessons if lesson}
        quizzes = (
            _load_quiz(p, locale, catalog.media, problems) for p in sorted(folder.glob("quizzes/*.yaml"))
        )
        catalog.quizzes[locale] = {quiz.id: quiz for quiz in quizzes if quiz}
    compare_locales("lesson", "lessons", ".md", catalog.lessons, locales, lesson_structure, problems)
    compare_locales("quiz", "quizzes", ".yaml", catalog.quizzes, locales, quiz_structure, problems)
    check_links(catalog, problems)
    for name in sorted(set(catalog.media) - used_drawings(catalog)):
        problems.add(f"media/{name}", "no lesson or quiz shows this drawing")
    return LoadResult(catalog, problems.problems)
