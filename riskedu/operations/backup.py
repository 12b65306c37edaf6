"""Consistent backups of the database and the media folder, and their restore.

A backup is one .tar.gz: ``manifest.json`` (format, schema revision, row counts), ``database/<table>.jsonl``
(every row, read in one transaction so the tables agree with each other) and ``media/…`` (photos). Rows are
plain JSON, so a backup made on SQLite restores into PostgreSQL: the way from one box to several servers.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, LargeBinary, Table, delete, func, insert, select
from sqlalchemy.types import Date, DateTime

import riskedu.models  # noqa: F401  (registers every table on Base.metadata)
from riskedu.database import Base

FORMAT = 1


class BackupError(RuntimeError):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    revision: str | None
    rows: dict[str, int]
    media_files: int


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    restored = dict(row)
    for column in table.columns:
        value = restored.get(column.name)
        if value is None:
            continue
        column_type = column.type.impl if hasattr(column.type, "impl") else column.type
        if isinstance(column_type, DateTime):
            restored[column.name] = dt.datetime.fromisoformat(value)
        elif isinstance(column_type, Date):
            restored[column.name] = dt.date.fromisoformat(value)
        elif isinstance(column_type, LargeBinary):
            restored[column.name] = base64.b64decode(value)
    return restored


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _media_files(media_dir: Path) -> Iterator[Path]:
    if media_dir.is_dir():
        yield from sorted(path for path in media_dir.rglob("*") if path.is_file())


def create_backup(engine: Engine, media_dir: Path, target: Path) -> BackupSummary:
    rows: dict[str, int] = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive, engine.connect() as connection:
        # One transaction for every table: on PostgreSQL a repeatable-read snapshot, on SQLite the
        # transaction holds off writers until the rows are read.
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            revision = _revision(connection)
            for table in Base.metadata.sorted_tables:
                lines = [
                    json.dumps(
                        {key: _to_json(value) for key, value in row._mapping.items()}, ensure_ascii=False
                    )
                    for row in connection.execute(select(table))
                ]
                rows[table.name] = len(lines)
                _add_bytes(archive, f"database/{table.name}.jsonl", ("\n".join(lines) + "\n").encode())
        # Media after the rows: files are written before the rows that name them, so every photo a row
        # refers to is already on disk (a file without a row is harmless).
        media_count = 0
        for path in _media_files(media_dir):
            archive.add(path, arcname=f"media/{path.relative_to(media_dir).as_posix()}", recursive=False)
            media_count += 1
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "revision": revision,
            "rows": rows,
            "media_files": media_count,
        }
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    os.replace(partial, target)  # a half-written backup never carries the final name
    return BackupSummary(target, revision, rows, media_count)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError as error:
        raise BackupError("this file is not a riskedu backup (no manifest.json)") from error
    assert member is not None
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not supported by this version")
    return manifest


def restore_backup(engine: Engine, media_dir: Path, source: Path, *, replace: bool = False) -> BackupSummary:
    with tarfile.open(source, "r:gz") as archive:
        manifest = _read_manifest(archive)
        with engine.begin() as connection:
            current = _revision(connection)
            if current != manifest["revision"]:
                raise BackupError(
                    f"the backup is at schema revision {manifest['revision']}, the database at {current}: "
                    "run `flask db upgrade` on an empty database of the backup's version first"
                )
            tables = Base.metadata.sorted_tables
            occupied = [
                t.name for t in tables if connection.execute(select(func.count()).select_from(t)).scalar()
            ]
            if occupied and not replace:
                raise BackupError(
                    f"the database is not empty ({', '.join(occupied)}): use --replace to overwrite"
                )
            for table in reversed(tables):
                connection.execute(delete(table))
            for table in tables:
                member = archive.extractfile(f"database/{table.name}.jsonl")
                lines = [line for line in member.read().decode().splitlines() if line] if member else []
                if lines:
                    connection.execute(insert(table), [_from_json(table, json.loads(line)) for line in lines])
        media_count = 0
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("media/"):
                relative = Path(member.name).relative_to("media")
                if relative.is_absolute() or ".." in relative.parts:
                    raise BackupError(f"refusing a media path outside the media folder: {member.name}")
                destination = media_dir / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                extracted = archive.extractfile(member)
                assert extracted is not None
                destination.write_bytes(extracted.read())
                media_count += 1
    return BackupSummary(source, manifest["revision"], manifest["rows"], media_count)
