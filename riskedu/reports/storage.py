"""Where photo bytes live: outside the database, behind a small interface, so a deployment can move them to
object storage without touching the rest. The local implementation writes under ``RISKEDU_MEDIA_DIR``."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

EXTENSION_KEY = "riskedu.reports.storage"
# Keys are made by the app from UUIDs and hashes; anything else is refused rather than turned into a path.
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*$")


class MediaStorage(Protocol):
    def save(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, replacing nothing half-written: readers see all of it or none."""

    def read(self, key: str) -> bytes:
        """The bytes stored under ``key``; FileNotFoundError if there are none."""

    def exists(self, key: str) -> bool: ...


class LocalMediaStorage:
    """Files under one folder. Writes go to a temporary file first and are renamed into place."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not KEY_PATTERN.fullmatch(key) or ".." in key:
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def media_storage(app: Flask | None = None) -> MediaStorage:
    return (app or current_app).extensions[EXTENSION_KEY]


def init_storage(app: Flask) -> None:
    media_dir = app.config.get("MEDIA_DIR") or os.path.join(app.instance_path, "media")
    app.config["MEDIA_DIR"] = media_dir
    app.extensions[EXTENSION_KEY] = LocalMediaStorage(media_dir)
