from __future__ import annotations

import shutil

from babel.messages.pofile import read_po, write_po

from riskedu.i18n import catalogs

LOCALES = ["en", "az", "ru", "ar"]


def test_every_ui_string_is_translated_and_the_template_is_current(project_root) -> None:
    problems = catalogs.catalog_problems(project_root / "translations", LOCALES)
    assert problems == [], "\n".join(problems)


def test_the_check_command_agrees(cli) -> None:
    result = cli.invoke(args=["translations", "check"])
    assert result.exit_code == 0, result.output


def _copy_translations(project_root, tmp_path):
    target = tmp_path / "translations"
    shutil.copytree(project_root / "translations", target)
    return target


def test_the_check_catches_an_untranslated_string(project_root, tmp_path) -> None:
    translations = _copy_translations(project_root, tmp_path)
    path = catalogs.catalog_path(translations, "ar")
    with path.open("rb") as source:
        catalog = read_po(source, locale="ar")
    victim = next(message for message in catalog if message.id)
    victim.string = ""
    with path.open("wb") as out:
        write_po(out, catalog)
    problems = catalogs.catalog_problems(translations, LOCALES)
    assert any(p.startswith("ar:") and "not translated" in p for p in problems)


def test_the_check_catches_a_fuzzy_string(project_root, tmp_path) -> None:
    translations = _copy_translations(project_root, tmp_path)
    path = catalogs.catalog_path(translations, "az")
    with path.open("rb") as source:
        catalog = read_po(source, locale="az")
    victim = next(message for message in catalog if message.id)
    victim.flags.add("fuzzy")
    with path.open("wb") as out:
        write_po(out, catalog)
    problems = catalogs.catalog_problems(translations, LOCALES)
    assert any(p.startswith("az:") and "fuzzy" in p for p in problems)


def test_the_check_catches_a_template_out_of_date_with_the_code(project_root, tmp_path) -> None:
    translations = _copy_translations(project_root, tmp_path)
    source = tmp_path / "riskedu"
    shutil.copytree(project_root / "riskedu", source, ignore=shutil.ignore_patterns("__pycache__"))
    (source / "newly_added.py").write_text(
        "from flask_babel import gettext as _\n\nLABEL = _('A brand new button')\n", encoding="utf-8"
    )
    problems = catalogs.catalog_problems(translations, LOCALES, source_dir=source)
    assert any("A brand new button" in p and "messages.pot" in p for p in problems)


def test_compile_writes_catalogs_the_app_reads(project_root, tmp_path) -> None:
    translations = _copy_translations(project_root, tmp_path)
    written = catalogs.compile_catalogs(translations, LOCALES)
    assert sorted(p.parent.parent.name for p in written) == ["ar", "az", "ru"]
    assert all(p.stat().st_size > 100 for p in written)
