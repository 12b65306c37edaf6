"""Every worker and every server must build the very same offline pack from the same release: otherwise a
phone would see a new service worker, and download the pack again, each time it reached another process."""

from __future__ import annotations

from riskedu import create_app
from riskedu.database import database
from riskedu.offline.pack import pack_for
from tests.conftest import app_config


def test_two_processes_build_byte_identical_packs(migrated_database) -> None:
    # Different secret keys, as two development processes would have: nothing in the pack may depend on them.
    first = create_app(app_config(migrated_database, SECRET_KEY="first-" + "a" * 40))
    second = create_app(app_config(migrated_database, SECRET_KEY="second-" + "b" * 40))
    for locales in (["en"], ["ar", "az"]):
        with first.test_request_context():
            one = pack_for(first, locales)
        with second.test_request_context():
            other = pack_for(second, locales)
        assert one.version == other.version
        assert one.precache_manifest() == other.precache_manifest()
    service_workers = [app.test_client().get("/sw.js?locales=ru").data for app in (first, second)]
    assert service_workers[0] == service_workers[1]
    for app in (first, second):
        database(app).engine.dispose()
