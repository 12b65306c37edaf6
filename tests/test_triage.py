"""The operator queue, a report page, the workflow and its audit log, duplicates, privacy, the map."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from riskedu.reports.models import HazardReport
from riskedu.reports.schemas import REPORT_STATUSES
from riskedu.triage.models import ReportEvent
from riskedu.triage.workflow import (
    NEXT_STATUSES,
    Located,
    TransitionError,
    check_transition,
    coarse_position,
    distance_m,
    duplicate_candidates,
    priority,
)
from tests.test_triage_support import hours_ago, post_status, receipt_of, send_report, signed_in_operator

ALLOWED = {
    ("received", "under_review"),
    ("under_review", "verified"),
    ("under_review", "no_evidence"),
    ("verified", "referred"),
    ("referred", "cleared"),
    ("referred", "no_evidence"),
    *((status, "duplicate") for status in ("received", "under_review", "verified", "referred")),
}


# --- the workflow as plain functions --------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), list(itertools.product(REPORT_STATUSES, repeat=2)))
def test_every_transition_is_allowed_or_refused(current: str, target: str) -> None:
    details = {"reference": "CT-7/2026", "duplicate_of": "another-report"}
    if (current, target) in ALLOWED:
        check_transition(current, target, "Seen on site", **details)
    else:
        with pytest.raises(TransitionError) as refused:
            check_transition(current, target, "Seen on site", **details)
        assert refused.value.code == "not_allowed"


def test_the_workflow_table_is_the_one_documented() -> None:
    assert {(a, b) for a, nexts in NEXT_STATUSES.items() for b in nexts} == ALLOWED
    assert set(NEXT_STATUSES) == set(REPORT_STATUSES)


def test_a_change_needs_a_reason_a_referral_a_reference_and_a_duplicate_its_original() -> None:
    with pytest.raises(TransitionError, match="reason_required"):
        check_transition("received", "under_review", "  ", None, None)
    with pytest.raises(TransitionError, match="reference_required"):
        check_transition("verified", "referred", "Team 3 takes it", "", None)
    with pytest.raises(TransitionError, match="original_required"):
        check_transition("received", "duplicate", "Same place", None, None)


def test_urgent_first_then_near_people() -> None:
    assert priority(2, []) == 0
    assert priority(0, ["field", "school"]) == 1
    assert priority(None, ["path"]) == 1
    assert priority(0, ["field", "water"]) == 2


def test_distances_and_the_duplicate_window() -> None:
    import datetime as dt

    # One thousandth of a degree of latitude is about 111 m.
    assert distance_m(40.0, 47.0, 40.001, 47.0) == pytest.approx(111.2, abs=0.5)
    now = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    here = Located("a", 40.0, 47.0, now)
    others = [
        Located("near", 40.001, 47.0, now + dt.timedelta(hours=5)),
        Located("far", 40.01, 47.0, now),
        Located("later", 40.0, 47.0, now + dt.timedelta(days=10)),
        Located("nowhere", None, None, now),
        Located("nearest", 40.0005, 47.0, now),
    ]
    found = duplicate_candidates(here, others, max_distance_m=250, max_hours=72)
    assert [candidate.id for candidate in found] == ["nearest", "near"]
    assert duplicate_candidates(Located("b", None, None, now), others, 250, 72) == []


def test_a_coarse_position_says_the_area_not_the_spot() -> None:
    assert coarse_position(39.760123, 46.750234) == (39.76, 46.75)
    assert coarse_position(None, 46.7) is None


# --- the queue --------------------------------------------------------------------------------------------


def test_the_queue_puts_anyone_hurt_first_then_near_school_home_or_path(client, db) -> None:
    plain = send_report(client, near=["field"], injured=0, observed_at=hours_ago(1))
    school = send_report(client, near=["school"], injured=0, observed_at=hours_ago(5))
    hurt = send_report(client, near=["field"], injured=1, observed_at=hours_ago(30))
    signed_in_operator(client, db)
    page = client.get("/en/ops/").text
    positions = [page.index(receipt_of(db, report_id)) for report_id in (hurt, school, plain)]
    assert positions == sorted(positions)
    assert "Someone is hurt" in page


def test_filters_and_search_narrow_the_queue(client, db) -> None:
    shell = send_report(
        client, what=["shell"], place="Behind the mill in Quzanlı", description="Rusty tail fins", locale="ru"
    )
    mine = send_report(
        client,
        what=["mine"],
        place="By the spring",
        location={"lat": 10.5, "lon": 20.5, "accuracy_m": 10, "source": "gps"},
    )
    signed_in_operator(client, db)
    shell_receipt, mine_receipt = receipt_of(db, shell), receipt_of(db, mine)

    def shown(query: str) -> set[str]:
        page = client.get(f"/en/ops/?{query}").text
        return {receipt for receipt in (shell_receipt, mine_receipt) if receipt in page}

    assert shown("") == {shell_receipt, mine_receipt}
    assert shown("what=shell") == {shell_receipt}
    assert shown("q=tail+fins") == {shell_receipt}
    assert shown("place=spring") == {mine_receipt}
    assert shown("lang=ru") == {shell_receipt}
    assert shown("bbox=10,20,11,21") == {mine_receipt}
    assert shown("status=verified") == set()
    assert shown("status=received") == {shell_receipt, mine_receipt}
    tomorrow = (__import__("datetime").date.today() + __import__("datetime").timedelta(days=2)).isoformat()
    assert shown(f"from={tomorrow}") == set()
    assert shown("q=100%25") == set()  # a percent sign is searched for, not a wildcard


def test_free_text_is_escaped_everywhere_an_operator_reads_it(client, db) -> None:
    report_id = send_report(client, description="<script>alert(1)</script>", place="<b>Village</b>")
    signed_in_operator(client, db)
    for page in (client.get("/en/ops/").text, client.get(f"/en/ops/reports/{report_id}").text):
        assert "<script>alert(1)</script>" not in page
        assert "<b>Village</b>" not in page
        assert "&lt;b&gt;Village&lt;/b&gt;" in page
    post_status(client, report_id, "under_review", reason="<img src=x onerror=alert(1)>")
    page = client.get(f"/en/ops/reports/{report_id}").text
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


# --- the workflow through the pages, and its audit log ---------------------------------------------------


def events(db, report_id: str) -> list[ReportEvent]:
    db.expire_all()
    return list(
        db.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id).order_by(ReportEvent.at))
    )


def test_an_operator_takes_a_report_from_arrival_to_closure(client, db) -> None:
    report_id = send_report(client)
    operator = signed_in_operator(client, db)
    assert client.get(f"/api/v1/reports/{report_id}/status").json["status"] == "received"
    steps = [
        ("under_review", {}),
        ("verified", {}),
        ("referred", {"reference": "NMAA-CT-2026/0042"}),
        ("cleared", {}),
    ]
    for status, extra in steps:
        response = post_status(client, report_id, status, reason=f"Because {status}", **extra)
        assert response.status_code == 303, response.text
        # The reporter's status endpoint follows every change.
        assert client.get(f"/api/v1/reports/{report_id}/status").json["status"] == status
    log = events(db, report_id)
    assert [(event.from_status, event.to_status) for event in log] == [
        ("received", "under_review"),
        ("under_review", "verified"),
        ("verified", "referred"),
        ("referred", "cleared"),
    ]
    assert {event.actor_id for event in log} == {operator.id}
    assert [event.reason for event in log] == [f"Because {status}" for status, _ in steps]
    assert log[2].reference == "NMAA-CT-2026/0042"
    page = client.get(f"/en/ops/reports/{report_id}").text
    assert "NMAA-CT-2026/0042" in page
    assert operator.email in page
    assert "Because verified" in page
    assert "This report is closed." in page


def test_a_forbidden_change_is_refused_and_leaves_no_trace(client, db) -> None:
    report_id = send_report(client)
    signed_in_operator(client, db)
    response = post_status(client, report_id, "cleared")
    assert response.status_code == 422
    assert "not possible from the report" in response.text
    assert events(db, report_id) == []
    assert db.get(HazardReport, report_id).status == "received"
    post_status(client, report_id, "under_review")
    post_status(client, report_id, "verified")
    missing_reference = post_status(client, report_id, "referred")
    assert missing_reference.status_code == 422
    assert "Write the clearance team" in missing_reference.text
    no_reason = post_status(client, report_id, "referred", reason="", reference="X-1")
    assert no_reason.status_code == 422
    assert [event.to_status for event in events(db, report_id)] == ["under_review", "verified"]


def test_the_app_offers_no_way_to_change_or_delete_an_audit_entry(app) -> None:
    source = Path(__file__).resolve().parent.parent / "riskedu"
    writes = re.compile(r"(update|delete)\s*\(\s*(ReportEvent|report_events|EVENTS)", re.IGNORECASE)
    for path in source.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        assert not writes.search(text), path
        assert "session.delete(" not in text or "ReportEvent" not in text, path
    for rule in app.url_map.iter_rules():
        if "/ops/" in rule.rule:
            assert not (rule.methods or set()) & {"PUT", "PATCH", "DELETE"}, rule.rule


# --- duplicates --------------------------------------------------------------------------------------------


def test_close_reports_are_suggested_and_marking_one_links_both(client, db) -> None:
    first = send_report(client, observed_at=hours_ago(10))
    again = send_report(
        client,
        observed_at=hours_ago(2),
        location={"lat": 39.7605, "lon": 46.7502, "accuracy_m": 20, "source": "gps"},
    )
    elsewhere = send_report(client, location={"lat": 39.9, "lon": 46.7502, "accuracy_m": 20, "source": "gps"})
    signed_in_operator(client, db)
    page = client.get(f"/en/ops/reports/{again}").text
    assert f'data-candidate="{first}"' in page
    assert f'data-candidate="{elsewhere}"' not in page
    response = post_status(client, again, "duplicate", reason="Same object, same path", duplicate_of=first)
    assert response.status_code == 303
    assert client.get(f"/api/v1/reports/{again}/status").json["status"] == "duplicate"
    assert events(db, again)[0].duplicate_of == first
    # Both records stay, and each page links to the other.
    assert f'href="/en/ops/reports/{first}" data-duplicate-of' in client.get(f"/en/ops/reports/{again}").text
    assert f'href="/en/ops/reports/{again}" data-duplicate' in client.get(f"/en/ops/reports/{first}").text
    assert db.get(HazardReport, first).status == "received"


def test_the_duplicate_window_is_configurable(client, db, app) -> None:
    first = send_report(client, observed_at=hours_ago(10))
    again = send_report(client, observed_at=hours_ago(2))
    signed_in_operator(client, db)
    assert f'data-candidate="{first}"' in client.get(f"/en/ops/reports/{again}").text
    app.config["TRIAGE_DUPLICATE_HOURS"] = 4
    assert f'data-candidate="{first}"' not in client.get(f"/en/ops/reports/{again}").text


def test_a_duplicate_must_point_at_an_original(client, db) -> None:
    first = send_report(client)
    second = send_report(client)
    third = send_report(client)
    signed_in_operator(client, db)
    assert post_status(client, second, "duplicate", duplicate_of=second).status_code == 422
    assert post_status(client, second, "duplicate").status_code == 422
    assert post_status(client, second, "duplicate", duplicate_of=first).status_code == 303
    refused = post_status(client, third, "duplicate", duplicate_of=second)
    assert refused.status_code == 422
    assert "itself a duplicate" in refused.text
    assert db.scalar(select(func.count()).select_from(ReportEvent)) == 1


# --- location privacy -----------------------------------------------------------------------------------


def test_nobody_but_an_operator_sees_the_exact_position(client, db) -> None:
    report_id = send_report(
        client, location={"lat": 39.761234, "lon": 46.751234, "accuracy_m": 5, "source": "gps"}
    )
    receipt_page = client.get(f"/en/reports/{report_id}").text
    status = client.get(f"/api/v1/reports/{report_id}/status").text
    for text in (receipt_page, status):
        assert "39.76" not in text
        assert "46.75" not in text
    signed_in_operator(client, db)
    assert "39.761234, 46.751234" in client.get(f"/en/ops/reports/{report_id}").text


# --- the map ----------------------------------------------------------------------------------------------


def test_the_map_uses_only_this_servers_tiles(client, db, app) -> None:
    send_report(client, place="<i>Orchard</i>")
    signed_in_operator(client, db)
    without_tiles = client.get("/en/ops/map").text
    assert "RISKEDU_MAP_TILE_URL" in without_tiles
    assert 'id="ops-map"' not in without_tiles
    app.config["MAP_TILE_URL"] = "https://tile.example.org/{z}/{x}/{y}.png"
    assert 'id="ops-map"' not in client.get("/en/ops/map").text  # never a third party's tiles
    app.config["MAP_TILE_URL"] = "/tiles/{z}/{x}/{y}.png"
    page = client.get("/en/ops/map").text
    assert 'id="ops-map"' in page
    assert "vendor/leaflet.markercluster/leaflet.markercluster." in page
    config = re.search(r'id="ops-map-config">(.*?)</script>', page, re.S)
    assert config
    assert "/tiles/{z}/{x}/{y}.png" in config.group(1)
    assert "<i>Orchard</i>" not in page  # tojson escapes < and > inside the script block
