"""``flask db …``: schema migrations with Alembic, driven in-process (no shelling out)."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

from riskedu.database.engine import database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

db_cli = AppGroup("db", help="Create and upgrade the database schema.")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = database(current_app).engine
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""
    command.upgrade(alembic_config(), revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Take the schema back to REVISION (e.g. -1, or base)."""
    command.downgrade(alembic_config(), revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("current")
def current() -> None:
    """Show the revision the database is at."""
    command.current(alembic_config(), verbose=False)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@click.option("--autogenerate/--empty", default=True, help="Compare the models with the database.")
def revision(message: str, autogenerate: bool) -> None:
    """Write a new migration file under riskedu/migrations/versions/."""
    command.revision(alembic_config(), message=message, autogenerate=autogenerate)


@db_cli.command("check")
def check() -> None:
    """Fail when the models have changes that no migration describes."""
    command.check(alembic_config())
    click.echo("The migrations describe the models.")
