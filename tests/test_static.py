from __future__ import annotations

import re
import shutil

import pytest

from riskedu import create_app
from riskedu.web.assets import compress_directories, fingerprint
from tests.conftest import app_config


@pytest.fixture
def compressed_app(tmp_path, project_root, migrated_database):
    """An app serving a compressed copy of static/, the way `make run` and a deployment prepare it."""
    static_copy = tmp_path / "static"
    shutil.copytree(project_root / "static", static_copy, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    assert compress_directories([static_copy]) > 0
    return create_app(app_config(migrated_database, STATIC_DIR=str(static_copy)))


def fetch(client, url: str, **kwargs):
    """GET a static file and close it (WhiteNoise streams from an open file)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def stylesheet_url(body: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', body)
    assert match
    return match.group(1)


def test_pages_link_fingerprinted_files_that_are_cached_for_a_year(compressed_app) -> None:
    client = compressed_app.test_client()
    url = stylesheet_url(client.get("/en/").text)
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", url)
    response = fetch(client, url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "text/css" in response.headers["Content-Type"]


def test_plain_urls_are_revalidated(compressed_app) -> None:
    client = compressed_app.test_client()
    response = fetch(client, "/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    again = fetch(client, "/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_static_files_are_served_compressed(compressed_app, accept, encoding) -> None:
    client = compressed_app.test_client()
    plain = fetch(client, "/static/css/app.css")
    compressed = fetch(client, "/static/css/app.css", headers={"Accept-Encoding": accept})
    assert compressed.headers["Content-Encoding"] == encoding
    assert len(compressed.data) < len(plain.data) / 2


def test_fingerprint_changes_with_the_bytes() -> None:
    assert fingerprint("/static/js/app.js", "a" * 64) == "/static/js/app.aaaaaaaaaaaa.js"
    assert fingerprint("/static/js/app.js", "b" * 64) != fingerprint("/static/js/app.js", "a" * 64)


def test_a_compressed_copy_older_than_its_file_is_never_served(
    tmp_path, project_root, migrated_database
) -> None:
    static_copy = tmp_path / "static"
    shutil.copytree(project_root / "static", static_copy, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    compress_directories([static_copy])
    stylesheet = static_copy / "css" / "app.css"
    # Edited after compressing, as a developer would; the .br beside it is now stale.
    stylesheet.write_text(stylesheet.read_text() + "\n.edited { color: red; }\n" * 50)
    client = create_app(app_config(migrated_database, STATIC_DIR=str(static_copy))).test_client()
    response = fetch(client, "/static/css/app.css", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers
    assert b".edited" in response.data
