"""``flask translations …``: keep the UI catalogs in step with the code."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from riskedu.i18n import catalogs
from riskedu.i18n.locales import locale_codes

translations_cli = AppGroup("translations", help="Extract, update, compile and check UI translations.")


def _dir() -> Path:
    return Path(current_app.config["TRANSLATIONS_DIR"])


def _codes() -> list[str]:
    return list(locale_codes())


@translations_cli.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the strings marked in the code and templates."""
    path = catalogs.template_path(_dir())
    catalogs.write_catalog(catalogs.extract_template(), path)
    click.echo(f"Wrote {path}.")


@translations_cli.command("update")
def update() -> None:
    """Extract, then bring every locale's catalog up to date (new strings start untranslated)."""
    catalogs.write_catalog(catalogs.extract_template(), catalogs.template_path(_dir()))
    for path in catalogs.update_catalogs(_dir(), _codes()):
        click.echo(f"Updated {path}.")


@translations_cli.command("init")
@click.argument("locale")
def init(locale: str) -> None:
    """Start the catalog of a new LOCALE (add it to translations/locales.yaml too)."""
    click.echo(f"Wrote {catalogs.init_catalog(_dir(), locale)}.")


@translations_cli.command("compile")
def compile_() -> None:
    """Compile every catalog to the .mo files the app reads."""
    for path in catalogs.compile_catalogs(_dir(), _codes()):
        click.echo(f"Compiled {path}.")


@translations_cli.command("check")
def check() -> None:
    """Fail when a UI string is untranslated or fuzzy, or the template is out of date."""
    problems = catalogs.catalog_problems(_dir(), _codes())
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} translation problem(s).")
    click.echo("Every UI string is translated in every locale.")
