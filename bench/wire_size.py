"""Bytes on the wire, compressed, for a first visit to a lesson, and the size of each locale's offline pack.

Run: .venv/bin/python bench/wire_size.py   (after `make setup`, which compresses the static files)
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import re
import sys
import tempfile

from riskedu import create_app
from riskedu.content import content_catalog
from riskedu.offline.pack import pack_for

ASSET = re.compile(r"""(?:src|href)=["'](/static/[^"']+)["']""")
HEADERS = {"Accept-Encoding": "br, gzip"}


def transfer(client, url: str) -> int:
    response = client.get(url, headers=HEADERS)
    body = response.get_data()
    response.close()
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    return len(body)


def first_lesson_view(client, locale: str, lesson_id: str) -> tuple[int, int]:
    page = client.get(f"/{locale}/lessons/{lesson_id}", headers=HEADERS)
    html_bytes = len(page.get_data())
    text = client.get(f"/{locale}/lessons/{lesson_id}").get_data(as_text=True)
    assets = sorted(set(ASSET.findall(text)) - {u for u in ASSET.findall(text) if "apple-touch" in u})
    return html_bytes + sum(transfer(client, url) for url in assets), len(assets) + 1


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"ENV": "testing", "SECRET_KEY": "bench" * 8, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        )
        client = app.test_client()
        print(
            "| locale | first lesson view (requests) | first lesson view, bytes "
            "| offline pack (files) | offline pack, bytes |"
        )
        print("|---|---|---|---|---|")
        with app.test_request_context():
            catalog = content_catalog()
            for locale in catalog.locales:
                lesson = catalog.lessons_in_order(locale)[0]
                view_bytes, requests = first_lesson_view(client, locale, lesson.id)
                pack = pack_for(app, [locale])
                pack_bytes = sum(transfer(client, entry.url) for entry in pack.entries)
                print(f"| {locale} | {requests} | {view_bytes:,} | {len(pack.entries)} | {pack_bytes:,} |")


if __name__ == "__main__":
    main()
