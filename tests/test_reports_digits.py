"""Digits from every keyboard, and optional details that never sink a report (issue 17), through the sync API
as a phone sends them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from riskedu.i18n.digits import ascii_digits
from riskedu.reports.models import HazardReport
from riskedu.sync.models import Enrollment
from tests.test_reports_api import app, report, sync  # noqa: F401 (the app fixture with its own media folder)
from tests.test_reports_rules import report_data
from tests.test_sync_api import add_class, enrollment

ARABIC = "٠٥٠١٢٣٤٥٦٧"  # 0501234567 on an Arabic keyboard
PERSIAN = "۰۵۰۱۲۳۴۵۶۷"
FULL_WIDTH = "０５０１２３４５６７"


@pytest.mark.parametrize("typed", [ARABIC, PERSIAN, FULL_WIDTH, "+٩٩٤ ٥٠ ١٢٣ ٤٥ ٦٧"])
def test_ascii_digits_reads_every_keyboard(typed: str) -> None:
    assert ascii_digits(typed).replace(" ", "").lstrip("+").isascii()
    assert ascii_digits(typed).replace(" ", "").lstrip("+").isdigit()


@pytest.mark.parametrize("typed", [ARABIC, PERSIAN, FULL_WIDTH])
def test_a_phone_typed_on_an_arabic_or_persian_keyboard_is_stored(client, db, typed: str) -> None:
    item = report(report_data(reporter={"name": "Ali", "phone": typed}))
    [result] = sync(client, item)
    assert result["status"] == "stored", result
    assert "dropped" not in result
    stored = db.scalar(select(HazardReport).where(HazardReport.id == item["id"]))
    assert stored.reporter_phone == "0501234567"


@pytest.mark.parametrize(
    ("field", "typed", "number"), [("count", "٣", 3), ("injured", "۲", 2), ("count", "１２", 12)]
)
def test_counts_typed_in_other_digits_are_numbers(client, db, field: str, typed: str, number: int) -> None:
    item = report(report_data(**{field: typed}))
    [result] = sync(client, item)
    assert result["status"] == "stored", result
    stored = db.scalar(select(HazardReport).where(HazardReport.id == item["id"]))
    assert getattr(stored, field) == number
    if field == "injured":
        assert stored.urgent


def test_an_unreadable_phone_never_sinks_the_report_and_the_receipt_says_so(client, db) -> None:
    item = report(report_data(reporter={"name": "Ali", "phone": "call me at the mill"}))
    [result] = sync(client, item)
    assert result["status"] == "stored", result
    assert [problem["field"] for problem in result["dropped"]] == ["data.reporter.phone"]
    stored = db.scalar(select(HazardReport).where(HazardReport.id == item["id"]))
    assert (stored.reporter_name, stored.reporter_phone, stored.what) == ("Ali", None, ["mine"])


def test_bad_optional_details_are_left_out_but_what_where_and_when_still_decide(client) -> None:
    stored, missing_what, missing_where = sync(
        client,
        report(report_data(count=0, near=["moon"], marked="maybe", description="x" * 5000)),
        report(report_data(what=[])),
        report(report_data(place=None, location={"lat": 200, "lon": 0})),
    )
    assert stored["status"] == "stored", stored
    assert {p["field"] for p in stored["dropped"]} == {
        "data.count",
        "data.near.0",
        "data.marked",
        "data.description",
    }
    assert missing_what["status"] == "invalid"
    assert missing_where["status"] == "invalid"


def test_a_class_code_typed_in_arabic_digits_joins_the_class(client, db) -> None:
    add_class(db, "K7Q4M2")
    [result] = sync(client, enrollment("k٧q٤m٢", "Aysel"))
    assert result["status"] == "stored", result
    assert db.scalar(select(Enrollment.class_code).where(Enrollment.id == result["id"])) == "K7Q4M2"
