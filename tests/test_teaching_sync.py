"""What an `enrollment` sync item means now that classes exist (docs/sync.md, docs/teaching.md)."""

from __future__ import annotations

from sqlalchemy import func, select

from riskedu.sync.models import Enrollment, SyncItem
from tests.test_teaching_support import enrollment_item, make_class, make_user, new_id, send


def test_a_code_that_no_class_has_is_invalid_and_nothing_is_stored(client, db) -> None:
    item = enrollment_item("ZZ9ZZ9", "Aysel")
    (result,) = send(client, item, locale="en")
    assert result == {
        "id": item["id"],
        "status": "invalid",
        "errors": [{"field": "data.class_code", "message": "no class has this code"}],
    }
    assert db.scalar(select(func.count()).select_from(SyncItem)) == 0
    assert db.get(Enrollment, item["id"]) is None


def test_joining_a_class_answers_its_name_the_first_time_and_on_every_resend(client, db) -> None:
    school_class = make_class(db, make_user(db), name="5B · Ağdam")
    learner = new_id()
    item = enrollment_item(f" {school_class.join_code.lower()} ", "  Aysel ", learner)
    (first,) = send(client, item)
    assert (first["status"], first["class_name"]) == ("stored", "5B · Ağdam")
    (again,) = send(client, item)
    assert (again["status"], again["receipt"], again["class_name"]) == (
        "duplicate",
        first["receipt"],
        "5B · Ağdam",
    )
    joined = db.get(Enrollment, learner)
    assert (joined.class_code, joined.nickname) == (school_class.join_code, "Aysel")


def test_the_published_contract_names_the_class_in_the_result(client) -> None:
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    receipt = next(model for name, model in schema.items() if "class_name" in model.get("properties", {}))
    assert "enrollment only" in receipt["properties"]["class_name"]["description"]
