"""Static files through WhiteNoise, each served twice: at its plain URL (revalidated on every use) and at a
URL carrying a hash of its bytes (cached for a year as immutable, since new bytes get a new URL)."""

from __future__ import annotations

import hashlib
import os
import posixpath
from pathlib import Path
from typing import Any
from wsgiref.headers import Headers

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor
from whitenoise.responders import StaticFile

EXTENSION_KEY = "riskedu.assets"
STATIC_PREFIX = "/static/"
# Lesson drawings live with the content (content/media/) but are served like any static file.
MEDIA_PREFIX = "/static/media/"
HASH_LENGTH = 12


def fingerprint(url: str, digest: str) -> str:
    """``/static/css/app.css`` -> ``/static/css/app.<hash>.css``."""
    directory, name = posixpath.split(url)
    stem, dot, extension = name.rpartition(".")
    hashed = f"{stem}.{digest[:HASH_LENGTH]}.{extension}" if dot else f"{name}.{digest[:HASH_LENGTH]}"
    return posixpath.join(directory, hashed)


def file_digest(path: str | Path) -> str:
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


class FingerprintedStatic(WhiteNoise):
    def __init__(self, application: Any, **kwargs: Any) -> None:
        self.hashed_urls: dict[str, str] = {}
        self._immutable: set[str] = set()
        super().__init__(application, max_age=None, **kwargs)

    def add_file_to_dictionary(self, url: str, path: str, stat_cache: Any = None) -> None:
        super().add_file_to_dictionary(url, path, stat_cache=stat_cache)
        if self.is_compressed_variant(path, stat_cache=stat_cache):
            return
        hashed = fingerprint(url, file_digest(path))
        self.hashed_urls[url] = hashed
        self._immutable.add(hashed)
        self.files[hashed] = self.get_static_file(path, hashed, stat_cache=stat_cache)

    def immutable_file_test(self, path: str, url: str) -> bool:
        return url in self._immutable

    def get_static_file(self, path: str, url: str, stat_cache: Any = None) -> StaticFile:
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        _add_headers(headers, path, url)
        return StaticFile(path, headers.items(), stat_cache=stat_cache, encodings=_fresh_encodings(path))


def _fresh_encodings(path: str) -> dict[str, str]:
    """Compressed copies no older than the file itself. A stale .br beside an edited file would otherwise be
    served in its place, under the new file's fingerprint."""
    source_mtime = os.stat(path).st_mtime
    encodings = {}
    for encoding, suffix in (("gzip", ".gz"), ("br", ".br")):
        candidate = path + suffix
        if os.path.exists(candidate) and os.stat(candidate).st_mtime >= source_mtime:
            encodings[encoding] = candidate
    return encodings


def _add_headers(headers: Any, path: str, url: str) -> None:
    if "Cache-Control" not in headers:
        # Not fingerprinted: the browser may keep it but must ask (cheaply, with ETag) before each use.
        headers["Cache-Control"] = "no-cache"
    headers["X-Content-Type-Options"] = "nosniff"
    if path.endswith(".svg"):
        # A drawing opened on its own must never run anything, whatever ends up inside it.
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def static_url(relative_path: str) -> str:
    """The fingerprinted URL of a file under static/ (falls back to the plain URL if unknown)."""
    return _hashed(STATIC_PREFIX + relative_path)


def media_url(name: str) -> str:
    """The fingerprinted URL of a content drawing (content/media/NAME)."""
    return _hashed(MEDIA_PREFIX + name)


def _hashed(url: str, app: Flask | None = None) -> str:
    assets: FingerprintedStatic = (app or current_app).extensions[EXTENSION_KEY]
    return assets.hashed_urls.get(url, url)


def hashed_media_url(app: Flask, name: str) -> str:
    """media_url outside a request (content is rendered while the app is created)."""
    return _hashed(MEDIA_PREFIX + name, app)


def compress_directories(directories: list[Path]) -> int:
    """Write .gz and .br beside each compressible file (WhiteNoise serves them by Accept-Encoding)."""
    compressor = Compressor(quiet=True)
    count = 0
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in directory.rglob("*"):
            if path.is_file() and path.suffix not in (".gz", ".br") and compressor.should_compress(path.name):
                count += len(compressor.compress(str(path)))
    return count


assets_cli = AppGroup("assets", help="Prepare static files for serving.")


@assets_cli.command("compress")
def compress() -> None:
    """Write gzip and brotli copies of static files and drawings (run after every deploy)."""
    directories = [Path(current_app.config["STATIC_DIR"]), Path(current_app.config["CONTENT_DIR"]) / "media"]
    click.echo(f"Wrote {compress_directories(directories)} compressed files.")


def init_app(app: Flask) -> None:
    assets = FingerprintedStatic(app.wsgi_app)
    assets.add_files(app.config["STATIC_DIR"], prefix=STATIC_PREFIX)
    assets.add_files(str(Path(app.config["CONTENT_DIR"]) / "media"), prefix=MEDIA_PREFIX)
    app.wsgi_app = assets  # type: ignore[method-assign]
    app.extensions[EXTENSION_KEY] = assets
    app.add_template_global(static_url)
    app.add_template_global(media_url)
    app.cli.add_command(assets_cli)
