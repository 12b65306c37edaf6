"""The content tree: the real one must be complete, and the checker must catch each kind of breakage."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from riskedu.content.cli import coverage_table
from riskedu.content.grading import grade_quiz
from riskedu.content.loader import load_content

LOCALES = ("en", "az", "ru", "ar")
CORE_MESSAGES = {
    "recognise",
    "dont_touch",
    "keep_away",
    "go_back",
    "inside_danger_area",
    "warn_others",
    "report",
    "respect_signs",
    "cleared_land_only",
}


@pytest.fixture(scope="module")
def real(project_root):
    return load_content(project_root / "content", LOCALES)


def test_the_real_content_has_no_problems(real) -> None:
    assert [str(p) for p in real.problems] == []


def test_the_curriculum_is_complete_in_every_locale(real) -> None:
    catalog = real.catalog
    for locale in LOCALES:
        lessons = catalog.lessons_in_order(locale)
        assert len(lessons) >= 10, locale
        assert all(catalog.quiz(locale, lesson.quiz_id) for lesson in lessons)
        assert {m for lesson in lessons for m in lesson.messages} >= CORE_MESSAGES
        assert any("adults" in lesson.audience for lesson in lessons)
        assert all(lesson.sources for lesson in lessons)
        for lesson in lessons:
            quiz = catalog.quiz(locale, lesson.quiz_id)
            assert any(q.kind == "scenario" for q in quiz.questions), (
                f"{locale}/{quiz.id} has no scenario question"
            )
    kinds = {q.kind for quiz in catalog.quizzes["en"].values() for q in quiz.questions}
    assert kinds == {"single", "multiple", "true_false", "picture", "scenario"}


def test_arabic_content_is_arabic(real) -> None:
    for lesson in real.catalog.lessons["ar"].values():
        letters = re.findall(r"[^\W\d_]", re.sub(r"<[^>]+>", "", lesson.body_html))
        arabic = [c for c in letters if "\u0600" <= c <= "\u06ff"]
        assert len(arabic) / len(letters) > 0.9, lesson.id


def test_the_lesson_to_message_table_in_the_docs_is_current(real, project_root) -> None:
    table = coverage_table(real.catalog)
    assert "**none**" not in table
    assert table in (project_root / "docs" / "content.md").read_text(encoding="utf-8"), (
        "docs/content.md is out of date: paste the output of `flask content table` into it"
    )


def test_the_check_command_passes_on_the_real_content(cli) -> None:
    result = cli.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "complete" in result.output


# --- broken trees: each breakage is reported in plain words -------------------------------------------------


@pytest.fixture
def tree(project_root, tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(project_root / "content", root, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_content(root, LOCALES).problems]


def first_lesson(root: Path, locale: str = "en") -> Path:
    return sorted((root / locale / "lessons").glob("*.md"))[0]


def first_quiz(root: Path, locale: str = "en") -> Path:
    return sorted((root / locale / "quizzes").glob("*.yaml"))[0]


def edit_front_matter(path: Path, change) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---", 2)
    data = yaml.safe_load(front)
    change(data)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---" + body, encoding="utf-8")


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_missing_translation_is_reported(tree) -> None:
    lesson = first_lesson(tree, "ar")
    lesson.unlink()
    assert any(p.startswith(f"ar/lessons/{lesson.name}") and "missing" in p for p in problems_of(tree))


def test_a_lesson_without_sources_is_reported(tree) -> None:
    lesson = first_lesson(tree)
    edit_front_matter(lesson, lambda data: data.update(sources=[]))
    assert any(p.startswith(f"en/lessons/{lesson.name}: sources") for p in problems_of(tree))


def test_a_quiz_key_that_points_nowhere_is_reported(tree) -> None:
    quiz = first_quiz(tree)
    edit_yaml(quiz, lambda data: data["questions"][0].update(answer=["no-such-choice"]))
    assert any("answer names choices that do not exist: no-such-choice" in p for p in problems_of(tree))


def test_a_lesson_pointing_at_a_missing_quiz_is_reported(tree) -> None:
    lesson = first_lesson(tree, "ru")
    edit_front_matter(lesson, lambda data: data.update(quiz="no-such-quiz"))
    found = problems_of(tree)
    assert any("ends with quiz no-such-quiz, which does not exist" in p for p in found)
    assert any(
        p.startswith(f"ru/lessons/{lesson.name}") and "quiz differs from the en version" in p for p in found
    )


def test_a_broken_image_reference_is_reported(tree) -> None:
    lesson = first_lesson(tree, "az")
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + "\n![şəkil](no-such-drawing.svg)\n", encoding="utf-8"
    )
    assert any(
        "shows drawing no-such-drawing.svg, which is not in content/media" in p for p in problems_of(tree)
    )


def test_a_core_message_taught_nowhere_in_a_locale_is_reported(tree) -> None:
    for path in (tree / "ru" / "lessons").glob("*.md"):
        edit_front_matter(
            path,
            lambda data: data.update(
                messages=[m for m in data["messages"] if m != "go_back"] or ["recognise"]
            ),
        )
    assert any(p == "ru/lessons: no lesson teaches the core message go_back" for p in problems_of(tree))


def test_a_drawing_over_budget_or_with_words_or_script_is_reported(tree) -> None:
    drawing = sorted((tree / "media").glob("*.svg"))[0]
    padding = "<!--" + "x" * 13_000 + "-->"
    drawing.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" onload="alert(1)">'
        f"<text>MINES</text><script>alert(1)</script>{padding}</svg>",
        encoding="utf-8",
    )
    found = [p for p in problems_of(tree) if p.startswith(f"media/{drawing.name}")]
    assert any("over the budget" in p for p in found)
    assert any("<text>" in p for p in found)
    assert any("<script>" in p for p in found)
    assert any("event attribute onload" in p for p in found)


def test_a_phone_number_written_in_a_lesson_is_reported(tree) -> None:
    lesson = first_lesson(tree)
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nCall 112 now.\n", encoding="utf-8")
    assert any("writes the phone number 112" in p for p in problems_of(tree))


def test_structure_that_differs_between_locales_is_reported(tree) -> None:
    quiz = first_quiz(tree, "ar")
    edit_yaml(quiz, lambda data: data["questions"].reverse())
    assert any(
        p.startswith(f"ar/quizzes/{quiz.name}: questions differs from the en version")
        for p in problems_of(tree)
    )


def test_invalid_yaml_is_reported_and_the_rest_still_loads(tree) -> None:
    quiz = first_quiz(tree, "az")
    quiz.write_text("id: [unclosed\n", encoding="utf-8")
    result = load_content(tree, LOCALES)
    assert any(str(p).startswith(f"az/quizzes/{quiz.name}: not valid YAML") for p in result.problems)
    assert len(result.catalog.lessons["az"]) >= 10


def test_the_check_command_fails_on_broken_content(cli, tree) -> None:
    first_lesson(tree, "ar").unlink()
    result = cli.invoke(args=["content", "check", "--path", str(tree)])
    assert result.exit_code != 0
    assert "missing: the ar translation" in result.output


def test_raw_html_in_a_lesson_is_shown_as_text(tree) -> None:
    lesson = first_lesson(tree)
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + '\n<script>alert("x")</script>\n', encoding="utf-8"
    )
    catalog = load_content(tree, LOCALES).catalog
    html = catalog.lesson("en", lesson.stem).body_html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_content_version_changes_with_any_byte(tree) -> None:
    before = load_content(tree, LOCALES).catalog.version
    drawing = sorted((tree / "media").glob("*.svg"))[0]
    drawing.write_bytes(drawing.read_bytes() + b"\n")
    assert load_content(tree, LOCALES).catalog.version != before


# --- grading ----------------------------------------------------------------------------------------------


def test_grading_needs_exactly_the_right_choices(real) -> None:
    quiz = next(
        quiz
        for quiz in real.catalog.quizzes["en"].values()
        if any(q.kind == "multiple" for q in quiz.questions)
    )
    all_right = {q.id: set(q.answer) for q in quiz.questions}
    assert grade_quiz(quiz, all_right).percent == 100
    multiple = next(q for q in quiz.questions if q.kind == "multiple")
    extra = {choice.id for choice in multiple.choices}
    assert extra != set(multiple.answer)
    result = grade_quiz(quiz, {**all_right, multiple.id: extra})
    assert result.score == result.total - 1
    nothing = grade_quiz(quiz, {})
    assert nothing.score == 0
    assert not nothing.passed
