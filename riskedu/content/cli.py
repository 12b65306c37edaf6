"""``flask content check``: every problem in the content tree, in plain words."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from riskedu.content.loader import load_content
from riskedu.content.model import Catalog
from riskedu.i18n.locales import locale_codes

content_cli = AppGroup("content", help="Check the lessons, quizzes and drawings.")


@content_cli.command("check")
@click.option(
    "--path", type=click.Path(file_okay=False, path_type=Path), help="Another content folder to check."
)
def check(path: Path | None) -> None:
    """Report missing translations, broken references, quiz keys that point nowhere, lessons without
    sources, core messages not taught in some locale, and drawings over budget."""
    root = path or Path(current_app.config["CONTENT_DIR"])
    result = load_content(
        root, locale_codes(), drawing_budget_bytes=current_app.config["CONTENT_DRAWING_BUDGET_BYTES"]
    )
    for problem in result.problems:
        click.echo(str(problem))
    catalog = result.catalog
    counts = ", ".join(
        f"{code}: {len(catalog.lessons.get(code, {}))} lessons, {len(catalog.quizzes.get(code, {}))} quizzes"
        for code in catalog.locales
    )
    if result.problems:
        raise click.ClickException(f"{len(result.problems)} problem(s) in {root} ({counts}).")
    click.echo(f"Content {catalog.version} is complete ({counts}).")


def coverage_table(catalog: Catalog) -> str:
    """Markdown: which lessons teach each core message, and how many do in each locale."""
    header = "| core message | lessons that teach it | " + " | ".join(catalog.locales) + " |"
    rule = "|---|---|" + "---|" * len(catalog.locales)
    rows = [header, rule]
    reference = catalog.locales[0]
    for message in catalog.core_messages:
        teaching = [lesson for lesson in catalog.lessons_in_order(reference) if message in lesson.messages]
        lessons = ", ".join(f"{lesson.order}. `{lesson.id}`" for lesson in teaching) or "**none**"
        counts = [
            str(sum(1 for lesson in catalog.lessons.get(code, {}).values() if message in lesson.messages))
            for code in catalog.locales
        ]
        rows.append(f"| `{message}` | {lessons} | " + " | ".join(counts) + " |")
    return "\n".join(rows) + "\n"


@content_cli.command("table")
def table() -> None:
    """Print the lesson-to-message table that docs/content.md carries."""
    root = Path(current_app.config["CONTENT_DIR"])
    click.echo(coverage_table(load_content(root, locale_codes()).catalog), nl=False)
