"""GET /api/v1/openapi.json: the published contract, generated from the models that validate requests."""

from __future__ import annotations

import json
from typing import Any

KINDS = ("quiz_attempt", "lesson_progress", "enrollment", "hazard_report")


def resolve(document: dict[str, Any], reference: str) -> Any:
    assert reference.startswith("#/"), reference
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in references(value)]
    return []


def test_the_description_is_openapi_3_1_json(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = json.loads(response.data)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]["/api/v1/sync"]["post"]["responses"]) == {
        "200",
        "400",
        "413",
        "415",
        "429",
        "500",
    }


def test_every_reference_resolves(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    found = references(document)
    assert len(found) > 10
    for reference in found:
        resolve(document, reference)


def test_every_kind_is_named_with_its_data(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    items = document["components"]["schemas"]["SyncRequest"]["properties"]["items"]["items"]
    mapping = items["discriminator"]["mapping"]
    assert set(mapping) == set(KINDS)
    for kind, reference in mapping.items():
        item = resolve(document, reference)
        assert item["properties"]["kind"]["const"] == kind
    for model in ("QuizAttemptData", "LessonProgressData", "EnrollmentData"):
        assert document["components"]["schemas"][model]["properties"]
    assert "hazard_report" in document["info"]["description"]


def test_every_error_answer_is_described_as_json_with_an_error(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    responses = document["paths"]["/api/v1/sync"]["post"]["responses"]
    for status in ("400", "413", "415", "429", "500"):
        schema = resolve(document, responses[status]["content"]["application/json"]["schema"]["$ref"])
        assert "error" in schema["required"]
    assert "Retry-After" in responses["429"]["headers"]
