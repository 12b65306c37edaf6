"""Schemathesis generates requests from our own OpenAPI description (valid and broken ones) and checks every
answer: never a server error, and always the status codes, content types and bodies the description
promises."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from riskedu import create_app
from riskedu.database import database
from tests.conftest import app_config, separate_database, upgrade


def test_every_api_operation_keeps_its_promises(database_url, tmp_path) -> None:
    url = separate_database(database_url, "fuzz", tmp_path)
    upgrade(url)
    app = create_app(app_config(url))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the description lists no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def keeps_its_promises(case) -> None:
            # The in-process transport does not decompress; ask for plain bodies.
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        keeps_its_promises()
    database(app).engine.dispose()
