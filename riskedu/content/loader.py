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
from xml.etree import ElementTree

import yaml
from pydantic import BaseModel, ValidationError

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
from riskedu.content.render import render_lesson_body
from riskedu.content.schema import LessonFrontMatter, QuizFile, SiteFile, split_front_matter

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

DEFAULT_DRAWING_BUDGET_BYTES = 12 * 1024
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
FORBIDDEN_SVG_ELEMENTS = {"script", "foreignObject", "text", "iframe", "image", "use"}


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the content folder
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: Path | str, message: str) -> None:
        relative = str(path.relative_to(self.root)) if isinstance(path, Path) else path
        self.problems.append(Problem(relative, message))

    def validation(self, path: Path, error: ValidationError) -> None:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"])
            message = str(detail["msg"]).removeprefix("Value error, ")
            self.add(path, f"{where}: {message}" if where else message)


def content_version(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read_yaml(path: Path, problems: _Collector) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.add(path, f"not valid YAML: {error}")
        return None


def _validate(model: type[M], data: Any, path: Path, problems: _Collector) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.validation(path, error)
        return None


def _load_site(root: Path, locales: Sequence[str], problems: _Collector) -> SiteSettings:
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
    root: Path, locales: Sequence[str], problems: _Collector
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


def _check_drawing(path: Path, budget: int, problems: _Collector) -> None:
    size = path.stat().st_size
    if size > budget:
        problems.add(path, f"drawing is {size:,} bytes, over the budget of {budget:,}")
    try:
        tree = ElementTree.parse(path)  # noqa: S314  (our own files; checked, never served as HTML)
    except ElementTree.ParseError as error:
        problems.add(path, f"not well-formed SVG: {error}")
        return
    root = tree.getroot()
    if root.tag != f"{SVG_NAMESPACE}svg":
        problems.add(path, "the root element must be <svg> in the SVG namespace")
    if "viewBox" not in root.attrib:
        problems.add(path, "needs a viewBox so it scales to any screen")
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NAMESPACE)
        if tag in FORBIDDEN_SVG_ELEMENTS:
            reason = (
                "words belong in the lesson text, where they are translated"
                if tag == "text"
                else "not allowed"
            )
            problems.add(path, f"<{tag}> is {reason}")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                problems.add(path, f"event attribute {local} is not allowed")
            if "://" in value or value.strip().lower().startswith(("javascript:", "data:")):
                problems.add(path, f"attribute {local} points outside the drawing")


def _load_media(root: Path, budget: int, problems: _Collector) -> dict[str, int]:
    folder = root / "media"
    media: dict[str, int] = {}
    if not folder.is_dir():
        problems.add("media", "missing: the folder of drawings")
        return media
    for path in sorted(folder.glob("*.svg")):
        _check_drawing(path, budget, problems)
        media[path.name] = path.stat().st_size
    return media


def _load_lesson(
    path: Path,
    locale: str,
    site: SiteSettings,
    media: dict[str, int],
    media_url: Callable[[str], str],
    problems: _Collector,
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


def _load_quiz(path: Path, locale: str, media: dict[str, int], problems: _Collector) -> Quiz | None:
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
                choices=tuple(Choice(c.id, c.text, c.explanation, c.image) for c in q.choices),
            )
            for q in quiz.questions
        ),
    )


def _lesson_structure(lesson: Lesson) -> dict[str, object]:
    return {
        "order": lesson.order,
        "audience": sorted(lesson.audience),
        "messages": sorted(lesson.messages),
        "illustrations": sorted(lesson.illustrations),
        "quiz": lesson.quiz_id,
        "sources": sorted(source.id for source in lesson.sources),
    }


def _quiz_structure(quiz: Quiz) -> dict[str, object]:
    return {
        "lesson": quiz.lesson_id,
        "questions": [
            (q.id, q.kind, sorted(q.answer), [(c.id, c.image) for c in q.choices], q.image)
            for q in quiz.questions
        ],
    }


def _compare_locales(
    kind: str,
    folder: str,
    suffix: str,
    by_locale: dict[str, dict[str, T]],
    locales: Sequence[str],
    structure: Callable[[T], dict[str, object]],
    problems: _Collector,
) -> None:
    all_ids = sorted({item_id for items in by_locale.values() for item_id in items})
    for item_id in all_ids:
        present = [locale for locale in locales if item_id in by_locale.get(locale, {})]
        for locale in locales:
            if locale not in present:
                problems.add(
                    f"{locale}/{folder}/{item_id}{suffix}",
                    f"missing: the {locale} translation of {kind} {item_id}",
                )
        if not present:
            continue
        reference_locale = present[0]
        reference = structure(by_locale[reference_locale][item_id])
        for locale in present[1:]:
            other = structure(by_locale[locale][item_id])
            for key, value in reference.items():
                if other[key] != value:
                    problems.add(
                        f"{locale}/{folder}/{item_id}{suffix}",
                        f"{key} differs from the {reference_locale} version "
                        "(only texts may differ between languages)",
                    )


def _check_links(catalog: Catalog, problems: _Collector) -> None:
    for locale in catalog.locales:
        lessons = catalog.lessons.get(locale, {})
        quizzes = catalog.quizzes.get(locale, {})
        for lesson in lessons.values():
            quiz = quizzes.get(lesson.quiz_id)
            if quiz is None:
                problems.add(
                    f"{locale}/lessons/{lesson.id}.md",
                    f"ends with quiz {lesson.quiz_id}, which does not exist",
                )
            elif quiz.lesson_id != lesson.id:
                problems.add(
                    f"{locale}/quizzes/{quiz.id}.yaml", f"belongs to lesson {quiz.lesson_id}, not {lesson.id}"
                )
            for message in lesson.messages:
                if message not in catalog.core_messages:
                    problems.add(
                        f"{locale}/lessons/{lesson.id}.md", f"teaches {message}, which is not a core message"
                    )
        for quiz in quizzes.values():
            if quiz.lesson_id not in lessons:
                problems.add(
                    f"{locale}/quizzes/{quiz.id}.yaml",
                    f"belongs to lesson {quiz.lesson_id}, which does not exist",
                )
        taught = {message for lesson in lessons.values() for message in lesson.messages}
        for message in catalog.core_messages:
            if message not in taught:
                problems.add(f"{locale}/lessons", f"no lesson teaches the core message {message}")
        orders = [lesson.order for lesson in lessons.values()]
        for order in sorted({o for o in orders if orders.count(o) > 1}):
            problems.add(f"{locale}/lessons", f"two lessons share order {order}")


def _used_drawings(catalog: Catalog) -> set[str]:
    used = {
        name
        for lessons in catalog.lessons.values()
        for lesson in lessons.values()
        for name in lesson.illustrations
    }
    for quizzes in catalog.quizzes.values():
        for quiz in quizzes.values():
            for question in quiz.questions:
                used.update(name for name in [question.image, *(c.image for c in question.choices)] if name)
    return used


def load_content(
    root: Path,
    locales: Iterable[str],
    *,
    media_url: Callable[[str], str] = lambda name: f"/static/media/{name}",
    drawing_budget_bytes: int = DEFAULT_DRAWING_BUDGET_BYTES,
) -> LoadResult:
    locales = tuple(locales)
    problems = _Collector(root)
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
    _compare_locales("lesson", "lessons", ".md", catalog.lessons, locales, _lesson_structure, problems)
    _compare_locales("quiz", "quizzes", ".yaml", catalog.quizzes, locales, _quiz_structure, problems)
    _check_links(catalog, problems)
    for name in sorted(set(catalog.media) - _used_drawings(catalog)):
        problems.add(f"media/{name}", "no lesson or quiz shows this drawing")
    return LoadResult(catalog, problems.problems)
