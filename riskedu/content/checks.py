"""Checks that look across files: drawings, the same lesson in every locale, links between lessons, quizzes
and core messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree

from riskedu.content.model import Catalog, Lesson, Quiz
from riskedu.content.problems import ProblemCollector

T = TypeVar("T")
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
FORBIDDEN_SVG_ELEMENTS = {"script", "foreignObject", "text", "iframe", "image", "use"}


def check_drawing(path: Path, budget: int, problems: ProblemCollector) -> None:
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


def lesson_structure(lesson: Lesson) -> dict[str, object]:
    return {
        "order": lesson.order,
        "audience": sorted(lesson.audience),
        "messages": sorted(lesson.messages),
        "illustrations": sorted(lesson.illustrations),
        "quiz": lesson.quiz_id,
        "sources": sorted(source.id for source in lesson.sources),
    }


def quiz_structure(quiz: Quiz) -> dict[str, object]:
    return {
        "lesson": quiz.lesson_id,
        "questions": [
            (q.id, q.kind, sorted(q.answer), [(c.id, c.image) for c in q.choices], q.image)
            for q in quiz.questions
        ],
    }


def compare_locales(
    kind: str,
    folder: str,
    suffix: str,
    by_locale: dict[str, dict[str, T]],
    locales: Sequence[str],
    structure: Callable[[T], dict[str, object]],
    problems: ProblemCollector,
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


def check_links(catalog: Catalog, problems: ProblemCollector) -> None:
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


def used_drawings(catalog: Catalog) -> set[str]:
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
