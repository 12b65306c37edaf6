from __future__ import annotations

import re

import pytest
from flask import request
from flask.testing import FlaskClient

LOCALES = {"en": "ltr", "az": "ltr", "ru": "ltr", "ar": "rtl"}


def html_tag(body: str) -> str:
    match = re.search(r"<html[^>]*>", body)
    assert match, "page has no <html> tag"
    return match.group(0)


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("az-AZ,az;q=0.9,en;q=0.5", "/az/"),
        ("ru", "/ru/"),
        ("ar-YE", "/ar/"),
        ("fr, de", "/en/"),
        (None, "/en/"),
    ],
)
def test_root_redirects_to_the_best_locale(client: FlaskClient, accept_language, expected) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(("code", "direction"), LOCALES.items())
def test_every_locale_home_page_declares_its_language_and_direction(
    client: FlaskClient, code, direction
) -> None:
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    tag = html_tag(response.text)
    assert f'lang="{code}"' in tag
    assert f'dir="{direction}"' in tag


def test_home_pages_are_translated(client: FlaskClient) -> None:
    titles = {code: re.search(r"<h1>(.*?)</h1>", client.get(f"/{code}/").text).group(1) for code in LOCALES}
    assert len(set(titles.values())) == 4, titles
    assert re.search(r"[\u0600-\u06FF]", titles["ar"])
    assert re.search(r"[\u0400-\u04FF]", titles["ru"])
    assert re.search(r"[əğışöüç]", titles["az"], re.IGNORECASE)


def test_unknown_locale_is_a_404_in_the_visitors_language(client: FlaskClient) -> None:
    response = client.get("/xx/", headers={"Accept-Language": "ar"})
    assert response.status_code == 404
    assert 'dir="rtl"' in html_tag(response.text)
    english = client.get("/xx/", headers={"Accept-Language": "en"}).text
    assert "Page not found" in english
    assert "Page not found" not in response.text


def test_missing_page_under_a_locale_speaks_that_locale(client: FlaskClient) -> None:
    response = client.get("/ru/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert 'lang="ru"' in html_tag(response.text)
    assert "Page not found" not in response.text


def test_language_switcher_links_every_locale_on_the_same_page(client: FlaskClient) -> None:
    body = client.get("/ru/").text
    for code in LOCALES:
        assert f'href="/{code}/"' in body


SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/xx/", "/az/missing", "/healthz"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    for header in SECURITY_HEADERS:
        assert header in response.headers, f"{header} missing on {path}"
    policy = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_and_nothing_from_other_hosts(client: FlaskClient) -> None:
    for code in LOCALES:
        body = client.get(f"/{code}/").text
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)
        assert not re.search(r"""(src|href)=["']https?://""", body)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", body), "inline event handler attribute"


def test_server_error_page_is_localized_and_calm(app, db_connection) -> None:
    @app.get("/<locale:locale>/explode")
    def explode(locale: str) -> str:
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/az/explode")
    assert response.status_code == 500
    assert 'lang="az"' in html_tag(response.text)
    assert "boom" not in response.text
    assert "RuntimeError" not in response.text


def test_too_large_request_gets_a_localized_413(app, db_connection) -> None:
    @app.post("/<locale:locale>/upload-probe")
    def upload_probe(locale: str) -> str:
        return str(len(request.get_data()))

    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = app.test_client().post("/ar/upload-probe", data=b"x" * 5000)
    assert response.status_code == 413
    assert 'dir="rtl"' in html_tag(response.text)


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert "error" in response.json


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").json == {"status": "ok"}


def test_forms_of_signed_in_people_need_a_csrf_token_and_the_api_does_not(app, db_connection) -> None:
    @app.post("/<locale:locale>/csrf-probe")
    def csrf_probe(locale: str) -> str:
        return "changed something"

    client = app.test_client()
    refused = client.post("/en/csrf-probe", data={"x": "1"})
    assert refused.status_code == 400
    assert "changed something" not in refused.text
    # The sync API is JSON with no cookie authentication: no token, and it answers.
    envelope = {"client": {"id": "0b8c7b0e-2a44-4f0e-9a55-3d7c1f0a9e11", "app_version": "t", "locale": "en"}}
    assert client.post("/api/v1/sync", json={**envelope, "items": []}).status_code == 200
