"""``flask backup create`` and ``flask backup restore``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from riskedu.database import database
from riskedu.operations.backup import BackupError, create_backup, restore_backup

backup_cli = AppGroup("backup", help="Back up and restore the database and the media folder.")


def media_dir() -> Path:
    configured = current_app.config.get("MEDIA_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "media"


@backup_cli.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the backup.")
def create(output: Path | None) -> None:
    """Write a consistent backup of the database and the media folder."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output or Path(current_app.instance_path) / "backups" / f"riskedu-{stamp}.tar.gz"
    summary = create_backup(database(current_app).engine, media_dir(), target)
    click.echo(f"Wrote {summary.path}: {sum(summary.rows.values())} rows, {summary.media_files} media files.")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds data.")
def restore(source: Path, replace: bool) -> None:
    """Restore SOURCE into a database migrated to the backup's schema revision."""
    try:
        summary = restore_backup(database(current_app).engine, media_dir(), source, replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {sum(summary.rows.values())} rows and {summary.media_files} media files.")
