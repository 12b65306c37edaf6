"""The locales riskedu serves, read from ``translations/locales.yaml`` when the app is created."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import Flask, current_app

EXTENSION_KEY = "riskedu.locales"


@dataclass(frozen=True)
class Locale:
    code: str
    name: str  # in its own language, as the switcher shows it
    direction: str  # "ltr" or "rtl"


def read_locales(translations_dir: Path) -> tuple[Locale, ...]:
    entries = yaml.safe_load((translations_dir / "locales.yaml").read_text(encoding="utf-8"))
    locales = tuple(Locale(e["code"], e["name"], e.get("direction", "ltr")) for e in entries)
    for locale in locales:
        if locale.direction not in ("ltr", "rtl"):
            raise ValueError(f"locale {locale.code}: direction must be ltr or rtl")
    return locales


def available_locales(app: Flask | None = None) -> tuple[Locale, ...]:
    return (app or current_app).extensions[EXTENSION_KEY]


def locale_codes(app: Flask | None = None) -> tuple[str, ...]:
    return tuple(locale.code for locale in available_locales(app))


def find_locale(code: str) -> Locale | None:
    return next((locale for locale in available_locales() if locale.code == code), None)
