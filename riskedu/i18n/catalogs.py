"""Message catalogs: extract the template from the code, update and compile the locale catalogs, and
report what is missing. Uses Babel's library API in-process, never a shell command."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

# The code is written in English: msgids are the English text, so English needs no catalog.
SOURCE_LOCALE = "en"
DOMAIN = "messages"
PACKAGE_DIR = Path(__file__).resolve().parent.parent

METHOD_MAP = [
    ("**/migrations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**/templates/**.xml", "jinja2.ext:babel_extract"),
]
OPTIONS_MAP = {"**/templates/**": {"trimmed": "true", "extensions": "jinja2.ext.do"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2), "lazy_pgettext": ((1, "c"), 2)}


def template_path(translations_dir: Path) -> Path:
    return translations_dir / f"{DOMAIN}.pot"


def catalog_path(translations_dir: Path, locale: str) -> Path:
    return translations_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_template(source_dir: Path = PACKAGE_DIR) -> Catalog:
    template = Catalog(project="riskedu", msgid_bugs_address="", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source_dir), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        template.add(
            message,
            None,
            [(str(Path("riskedu") / filename), lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        # No line numbers: moving code around should not churn every catalog.
        write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_output=True)


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def translated_locales(locale_codes: Iterable[str]) -> list[str]:
    return [code for code in locale_codes if code != SOURCE_LOCALE]


def init_catalog(translations_dir: Path, locale: str) -> Path:
    template = read_catalog(template_path(translations_dir))
    catalog = Catalog(locale=locale, project="riskedu", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    path = catalog_path(translations_dir, locale)
    write_catalog(catalog, path)
    return path


def update_catalogs(translations_dir: Path, locales: Iterable[str]) -> list[Path]:
    template = read_catalog(template_path(translations_dir))
    written = []
    for locale in translated_locales(locales):
        path = catalog_path(translations_dir, locale)
        catalog = read_catalog(path, locale) if path.exists() else Catalog(locale=locale, project="riskedu")
        # Fuzzy matching guesses translations from similar strings; a wrong guess in safety text is worse
        # than a visible gap, so new strings start empty.
        catalog.update(template, no_fuzzy_matching=True)
        write_catalog(catalog, path)
        written.append(path)
    return written


def compile_catalogs(translations_dir: Path, locales: Iterable[str]) -> list[Path]:
    written = []
    for locale in translated_locales(locales):
        po_path = catalog_path(translations_dir, locale)
        catalog = read_catalog(po_path, locale)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def _message_key(message: object) -> tuple[object, object]:
    return (message.id, message.context)  # type: ignore[attr-defined]


def catalog_problems(
    translations_dir: Path, locales: Iterable[str], source_dir: Path = PACKAGE_DIR
) -> list[str]:
    """Plain-words list of what stops the UI from being fully translated; empty when all is well."""
    problems: list[str] = []
    fresh = {_message_key(m) for m in extract_template(source_dir) if m.id}
    template_file = template_path(translations_dir)
    if not template_file.exists():
        return [f"{template_file} is missing: run `flask translations update`."]
    stored = {_message_key(m) for m in read_catalog(template_file) if m.id}
    for key in sorted(fresh - stored, key=str):
        problems.append(
            f"template: {key[0]!r} is in the code but not in messages.pot (run `flask translations update`)"
        )
    for key in sorted(stored - fresh, key=str):
        problems.append(f"template: {key[0]!r} is in messages.pot but no longer in the code")
    for locale in translated_locales(locales):
        path = catalog_path(translations_dir, locale)
        if not path.exists():
            problems.append(f"{locale}: no catalog at {path} (run `flask translations init {locale}`)")
            continue
        catalog = read_catalog(path, locale)
        present = {_message_key(m) for m in catalog if m.id}
        for key in sorted(stored - present, key=str):
            problems.append(
                f"{locale}: {key[0]!r} is missing from the catalog (run `flask translations update`)"
            )
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            if message.fuzzy:
                problems.append(f"{locale}: {message.id!r} is marked fuzzy")
            elif not all(strings):
                problems.append(f"{locale}: {message.id!r} is not translated")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{locale}: {message.id!r}: {error}")
    return problems
