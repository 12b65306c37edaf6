"""A locale's offline pack: every page, picture and script a phone needs to work with no connection.

Pages are rendered once per process (they depend only on code, translations and content, which change only
with a deploy) and keyed by a hash of their bytes, so a phone re-downloads exactly what changed. Static files
are referenced by fingerprinted URLs, which never change meaning.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Flask, url_for

from riskedu.content import content_catalog
from riskedu.web.assets import EXTENSION_KEY as ASSETS_KEY
from riskedu.web.assets import FingerprintedStatic

PACK_CACHE_KEY = "riskedu.offline.packs"
_ASSET_URL = re.compile(r"""(?:src|href)=["'](/static/[^"'#?]+)["']""")


@dataclass(frozen=True)
class PackEntry:
    url: str
    revision: str | None  # None: the URL itself carries the hash
    bytes: int  # about what crosses the network: compressed size


@dataclass(frozen=True)
class Pack:
    locales: tuple[str, ...]
    version: str
    entries: tuple[PackEntry, ...]

    @property
    def total_bytes(self) -> int:
        return sum(entry.bytes for entry in self.entries)

    def precache_manifest(self) -> list[dict[str, str | None]]:
        return [{"url": entry.url, "revision": entry.revision} for entry in self.entries]


def page_urls(locale: str) -> list[str]:
    catalog = content_catalog()
    urls = [
        url_for("web.home", locale=locale),
        url_for("learning.lesson_index", locale=locale),
        url_for("offline.offline_page", locale=locale),
        url_for("offline.phone_page", locale=locale),
        url_for("joining.join_page", locale=locale),
        url_for("offline.manifest", locale=locale),
        url_for("reports.report_form", locale=locale),
        url_for("reports.my_reports", locale=locale),
    ]
    for lesson in catalog.lessons_in_order(locale):
        urls.append(url_for("learning.lesson_page", locale=locale, lesson_id=lesson.id))
        urls.append(url_for("learning.quiz_page", locale=locale, quiz_id=lesson.quiz_id))
    return urls


def _static_size(assets: FingerprintedStatic, url: str) -> int | None:
    static_file = assets.files.get(url)
    if static_file is None:
        return None
    # WhiteNoise sorts a file's encodings smallest first: that is what a browser accepting br downloads.
    return os.stat(static_file.alternatives[0][1]).st_size


def build_pack(app: Flask, locales: Sequence[str]) -> Pack:
    assets: FingerprintedStatic = app.extensions[ASSETS_KEY]
    client = app.test_client()
    entries: dict[str, PackEntry] = {}
    asset_urls: set[str] = set()
    for locale in locales:
        for url in page_urls(locale):
            # Rendered in-process through the app itself, so the pack holds exactly what a visit would get.
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"offline pack: {url} answered {response.status_code}")
            body = response.get_data()
            entries[url] = PackEntry(url, hashlib.sha256(body).hexdigest()[:16], len(gzip.compress(body)))
            text = body.decode("utf-8")
            asset_urls.update(_ASSET_URL.findall(text))
            if url.endswith(".webmanifest"):
                asset_urls.update(icon["src"] for icon in json.loads(text)["icons"])
    for url in sorted(asset_urls):
        size = _static_size(assets, url)
        if size is None:
            raise RuntimeError(f"offline pack: a page links {url}, which is not a static file")
        # Fingerprinted URLs carry their own revision; plain ones are keyed by the file's hash.
        revision = None if url in assets.hashed_urls.values() else assets.hashed_urls.get(url, url)
        entries[url] = PackEntry(url, revision, size)
    ordered = tuple(entries[url] for url in sorted(entries))
    version = hashlib.sha256(json.dumps([(e.url, e.revision) for e in ordered]).encode()).hexdigest()[:16]
    return Pack(tuple(locales), version, ordered)


def pack_for(app: Flask, locales: Sequence[str]) -> Pack:
    cache: dict[tuple[str, ...], Pack] = app.extensions.setdefault(PACK_CACHE_KEY, {})
    key = tuple(locales)
    if key not in cache:
        cache[key] = build_pack(app, key)
    return cache[key]
