"""Locales: which exist (``translations/locales.yaml``), which one a request uses, and Flask-Babel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import Babel
from werkzeug.routing import BaseConverter, ValidationError

from riskedu.i18n.cli import translations_cli
from riskedu.i18n.locales import (
    EXTENSION_KEY,
    Locale,
    available_locales,
    find_locale,
    locale_codes,
    read_locales,
)


class LocaleConverter(BaseConverter):
    """Matches only the codes in locales.yaml, so ``/xx/`` is a 404 rather than a page in no language."""

    def to_python(self, value: str) -> str:
        if value not in locale_codes():
            raise ValidationError
        return value


def best_locale_for_request() -> str:
    """The URL's locale on localized pages; elsewhere (API, unknown URLs) the browser's best match."""
    url_locale = g.get("locale")
    if url_locale:
        return url_locale
    return request.accept_languages.best_match(locale_codes()) or current_app.config["DEFAULT_LOCALE"]


def current_locale() -> Locale:
    found = find_locale(best_locale_for_request())
    assert found is not None
    return found


def init_app(app: Flask) -> None:
    locales = read_locales(Path(app.config["TRANSLATIONS_DIR"]))
    app.extensions[EXTENSION_KEY] = locales
    if app.config["DEFAULT_LOCALE"] not in {locale.code for locale in locales}:
        raise ValueError(f"RISKEDU_DEFAULT_LOCALE={app.config['DEFAULT_LOCALE']!r} is not in locales.yaml")
    app.url_map.converters["locale"] = LocaleConverter
    Babel(
        app,
        locale_selector=best_locale_for_request,
        default_translation_directories=app.config["TRANSLATIONS_DIR"],
        default_locale=app.config["DEFAULT_LOCALE"],
    )
    app.context_processor(_template_globals)
    app.cli.add_command(translations_cli)


def _template_globals() -> dict[str, Any]:
    return {"current_locale": current_locale(), "available_locales": available_locales()}
