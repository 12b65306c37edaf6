"""Checking items, receipts and the canonical comparison: plain functions, tested without an app."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from riskedu.content.model import Catalog, Choice, Lesson, Question, Quiz, SiteSettings
from riskedu.sync.receipts import RECEIPT_ALPHABET, RECEIPT_PATTERN, new_receipt
from riskedu.sync.schemas import InvalidResult
from riskedu.sync.validation import CheckedItem, check_item, content_hash

BAKU = dt.timezone(dt.timedelta(hours=4))


def choices(*ids: str) -> tuple[Choice, ...]:
    return tuple(Choice(id=choice_id, text=choice_id, explanation="") for choice_id in ids)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    quiz = Quiz(
        id="signs-quiz",
        locale="en",
        lesson_id="signs",
        title="Signs",
        pass_percent=80,
        questions=(
            Question("skull", "single", "?", choices("danger", "first-aid"), frozenset({"danger"})),
            Question(
                "marks", "multiple", "?", choices("tape", "stones", "flowers"), frozenset({"tape", "stones"})
            ),
        ),
    )
    lesson = Lesson("signs", "en", 1, "Signs", "", ("children",), (), (), "signs-quiz", (), "", 0)
    return Catalog(
        version="test",
        locales=("en", "az"),
        site=SiteSettings(organisation={}, country="", emergency_numbers=()),
        core_messages={},
        lessons={"en": {"signs": lesson}},
        quizzes={"en": {"signs-quiz": quiz}},
    )


def attempt(**data: Any) -> dict[str, Any]:
    defaults = {
        "quiz_id": "signs-quiz",
        "locale": "en",
        "started_at": "2026-11-20T08:30:00+04:00",
        "finished_at": "2026-11-20T08:34:00+04:00",
        "answers": {"skull": ["danger"], "marks": ["tape", "stones"]},
    }
    return {"kind": "quiz_attempt", "id": "6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69", "data": defaults | data}


def joining(nickname: str = "Aysel", class_code: str = "K7Q4M2") -> dict[str, Any]:
    data = {"class_code": class_code, "nickname": nickname}
    return {"kind": "enrollment", "id": str(uuid.uuid4()), "data": data}


def accepted(item: Any, catalog: Catalog) -> CheckedItem:
    checked = check_item(item, catalog)
    assert isinstance(checked, CheckedItem), checked
    return checked


def problems(item: Any, catalog: Catalog) -> dict[str, str]:
    checked = check_item(item, catalog)
    assert isinstance(checked, InvalidResult), checked
    return {error.field: error.message for error in checked.errors}


# --- receipts ------------------------------------------------------------------------------------------


def test_receipts_are_two_groups_of_three_without_easily_confused_characters() -> None:
    receipts = {new_receipt() for _ in range(2000)}
    assert len(receipts) > 1990  # random, not sequential
    for receipt in receipts:
        assert RECEIPT_PATTERN.match(receipt), receipt
    assert not set("".join(receipts)) & set("0O1I")
    assert set("".join(receipts)) - {"-"} == set(RECEIPT_ALPHABET)


# --- the canonical comparison ---------------------------------------------------------------------------


def test_the_same_content_written_differently_has_the_same_fingerprint(catalog) -> None:
    original = accepted(attempt(), catalog)
    rewritten = attempt(
        started_at="2026-11-20T04:30:00Z",
        finished_at="2026-11-20T04:34:00.000+00:00",
        answers={"marks": ["stones", "tape", "tape"], "skull": ["danger"]},
        added_by_a_newer_app="ignored",
    )
    rewritten["id"] = rewritten["id"].upper()
    again = accepted(rewritten, catalog)
    assert again.content_hash == original.content_hash
    assert again.id == original.id
    assert again.sent_id == rewritten["id"]


@pytest.mark.parametrize(
    "change",
    [
        {"finished_at": "2026-11-20T08:35:00+04:00"},
        {"answers": {"skull": ["first-aid"], "marks": ["tape", "stones"]}},
        {"learner_id": "0b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e"},
    ],
)
def test_different_content_has_a_different_fingerprint(catalog, change) -> None:
    assert accepted(attempt(**change), catalog).content_hash != accepted(attempt(), catalog).content_hash


def test_the_kind_is_part_of_the_fingerprint(catalog) -> None:
    data = accepted(joining(), catalog).data
    assert content_hash("enrollment", data) != content_hash("hazard_report", data)


# --- quiz attempts against the catalog ------------------------------------------------------------------


def test_answers_are_checked_against_the_quiz(catalog) -> None:
    item = attempt(answers={"skull": ["danger", "first-aid"], "marks": ["glue"], "q9": ["a"]})
    assert problems(item, catalog) == {
        "data.answers.skull": "this question takes one answer, not several",
        "data.answers.marks": "this question has no choice 'glue'",
        "data.answers.q9": "the quiz has no question 'q9'",
    }


def test_an_unknown_quiz_or_language_is_named(catalog) -> None:
    assert problems(attempt(quiz_id="nope"), catalog) == {"data.quiz_id": "there is no quiz 'nope' in en"}
    assert set(problems(attempt(locale="fr"), catalog)) == {"data.locale"}
    assert set(problems(attempt(locale="English"), catalog)) == {"data.locale"}


def test_times_need_an_offset_and_may_not_be_ahead_of_the_server_beyond_the_skew(catalog) -> None:
    now = dt.datetime.now(BAKU).replace(microsecond=0)
    slightly_ahead = (now + dt.timedelta(minutes=4)).isoformat()
    accepted(attempt(started_at=now.isoformat(), finished_at=slightly_ahead), catalog)
    later = (now + dt.timedelta(minutes=10)).isoformat()
    assert problems(attempt(finished_at=later), catalog) == {
        "data.finished_at": "must not be in the future (check the phone's clock)"
    }
    assert problems(attempt(started_at="2026-11-20T08:30:00"), catalog) == {
        "data.started_at": "must include a UTC offset, e.g. +04:00 or Z"
    }
    assert set(problems(attempt(started_at=1763613000), catalog)) == {"data.started_at"}
    assert set(problems(attempt(started_at="yesterday"), catalog)) == {"data.started_at"}
    assert problems(attempt(finished_at="2026-11-20T08:29:00+04:00"), catalog) == {
        "data.finished_at": "must not be before started_at"
    }


def test_times_are_kept_in_utc(catalog) -> None:
    data = accepted(attempt(), catalog).data
    assert data.started_at == dt.datetime(2026, 11, 20, 4, 30, tzinfo=dt.UTC)  # type: ignore[attr-defined]
    assert data.started_at.utcoffset() == dt.timedelta(0)  # type: ignore[attr-defined]


# --- enrollments ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nickname", "kept"),
    [
        ("Aysel", "Aysel"),
        ("  Leyla K. ", "Leyla K."),
        ("Ayşə 2014", "Ayşə 2014"),
        ("سارة", "سارة"),
        ("x" * 40, "x" * 40),
    ],
)
def test_nicknames_are_trimmed_and_kept(catalog, nickname, kept) -> None:
    assert accepted(joining(nickname), catalog).data.nickname == kept  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("   ", "must not be empty"),
        ("x" * 41, "must be at most 40 characters"),
        ("aysel@example.org", "must be a nickname, not an e-mail address"),
        ("+994 50 123 45 67", "must be a nickname, not a phone number"),
        ("٠٥٠١٢٣٤٥٦٧", "must be a nickname, not a phone number"),
        ("Aysel\nK", "must be one line of text"),
        (42, "must be text"),
    ],
)
def test_nicknames_that_identify_or_reach_a_child_are_refused(catalog, nickname, message) -> None:
    assert problems(joining(nickname), catalog) == {"data.nickname": message}


@pytest.mark.parametrize(("code", "kept"), [("K7Q4M2", "K7Q4M2"), (" k7q4m2 ", "K7Q4M2")])
def test_class_codes_are_upper_cased(catalog, code, kept) -> None:
    assert accepted(joining(class_code=code), catalog).data.class_code == kept  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", ["K7Q4M", "K7Q4M22", "K7Q4M0", "K7Q4MO", "K7Q4M1", "K7Q4MI", "K7-Q4M"])
def test_class_codes_outside_the_alphabet_are_refused(catalog, code) -> None:
    assert set(problems(joining(class_code=code), catalog)) == {"data.class_code"}


# --- item envelopes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "fields"),
    [
        ({"id": str(uuid.uuid4()), "data": {}}, ["kind"]),
        ({"kind": 7, "id": str(uuid.uuid4()), "data": {}}, ["kind"]),
        ({"kind": "enrollment", "data": {"class_code": "K7Q4M2", "nickname": "A"}}, ["id"]),
        ({"kind": "enrollment", "id": str(uuid.uuid4()), "data": "Aysel"}, ["data"]),
        ({"kind": "enrollment", "id": str(uuid.uuid4())}, ["data"]),
        (["enrollment"], ["item"]),
    ],
)
def test_a_malformed_item_is_told_which_part_is_wrong(catalog, item, fields) -> None:
    assert list(problems(item, catalog)) == fields
