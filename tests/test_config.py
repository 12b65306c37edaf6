from __future__ import annotations

import pytest

from riskedu import create_app
from riskedu.config import ConfigError
from tests.conftest import TEST_SECRET_KEY


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKEDU_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="RISKEDU_SECRET_KEY"):
        create_app({"ENV": "production"})


def test_production_refuses_a_short_secret_key() -> None:
    with pytest.raises(ConfigError, match="at least 32 characters"):
        create_app({"ENV": "production", "SECRET_KEY": "changeme"})


def test_production_refuses_to_start_with_debug_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="debug"):
        create_app({"ENV": "production", "SECRET_KEY": TEST_SECRET_KEY})


def test_unknown_environment_name_is_refused() -> None:
    with pytest.raises(ConfigError, match="RISKEDU_ENV"):
        create_app({"ENV": "staging-ish", "SECRET_KEY": TEST_SECRET_KEY})


def test_settings_come_from_riskedu_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("RISKEDU_ENV", "production")
    monkeypatch.setenv("RISKEDU_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("RISKEDU_DEFAULT_LOCALE", "az")
    monkeypatch.setenv("RISKEDU_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    app = create_app()
    assert app.config["DEFAULT_LOCALE"] == "az"
    assert app.config["DATABASE_URL"].endswith("env.sqlite3")
    # Production cookies are HttpOnly, SameSite=Lax and only sent over HTTPS.
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/", headers={"Accept-Language": "fr"})
    assert response.headers["Location"] == "/az/"


def test_an_instance_config_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    config_file = tmp_path / "riskedu.cfg"
    config_file.write_text('DEFAULT_LOCALE = "ru"\n', encoding="utf-8")
    monkeypatch.setenv("RISKEDU_CONFIG_FILE", str(config_file))
    app = create_app({"ENV": "testing", "SECRET_KEY": TEST_SECRET_KEY})
    assert app.config["DEFAULT_LOCALE"] == "ru"


def test_a_default_locale_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not in locales\.yaml"):
        create_app({"ENV": "testing", "SECRET_KEY": TEST_SECRET_KEY, "DEFAULT_LOCALE": "xx"})


def test_start_up_never_touches_the_database() -> None:
    # Port 9 on loopback has no PostgreSQL: any query at start-up or on the home page would fail.
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": TEST_SECRET_KEY,
            "DATABASE_URL": "postgresql+psycopg://x@127.0.0.1:9/x",
        }
    )
    assert app.test_client().get("/en/").status_code == 200
    assert app.test_client().get("/healthz").json == {"status": "ok"}


def test_development_works_without_configuring_anything(tmp_path) -> None:
    app = create_app({"ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3"})
    assert app.config["SECRET_KEY"]
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["MAX_CONTENT_LENGTH"] > 0
