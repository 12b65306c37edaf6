"""Changing classes and recorded sessions. Functions take the session and the acting teacher, never the
request, and only flush: the request layer commits. Reading a form into checked values is a pure function
beside each change, so it is tested without an app."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from riskedu.accounts.models import User
from riskedu.teaching.beneficiaries import METHODS, parse_headcounts
from riskedu.teaching.join_codes import new_join_code
from riskedu.teaching.models import ClassSession, SchoolClass, SessionHeadcount
from riskedu.teaching.queries import join_code_taken

# A collision is about one in a million per new class at a thousand classes; ten in a row means a bug.
JOIN_CODE_ATTEMPTS = 10
LIMITS = {"name": 120, "school": 200, "place": 200, "grade": 40}
REQUIRED = ("name", "place")


@dataclass(frozen=True)
class ClassDetails:
    name: str
    school: str
    place: str
    grade: str
    language: str


def read_class_details(
    form: Mapping[str, str], locales: Collection[str]
) -> tuple[ClassDetails, dict[str, str]]:
    """The class form's values, trimmed, and what is wrong with them (field -> problem key)."""
    values = {name: " ".join((form.get(name) or "").split()) for name in LIMITS}
    problems = {}
    for name, limit in LIMITS.items():
        if name in REQUIRED and not values[name]:
            problems[name] = "required"
        elif len(values[name]) > limit:
            problems[name] = "too_long"
    language = form.get("language") or ""
    if language not in locales:
        problems["language"] = "required"
    return ClassDetails(language=language, **values), problems


def create_class(session: Session, teacher: User, details: ClassDetails) -> SchoolClass:
    if not teacher.can_teach:
        raise PermissionError("only teachers create classes")
    for _ in range(JOIN_CODE_ATTEMPTS):
        code = new_join_code()
        if not join_code_taken(session, code):
            break
    else:
        raise RuntimeError(f"no free join code after {JOIN_CODE_ATTEMPTS} tries")
    school_class = SchoolClass(
        id=str(uuid.uuid4()),
        teacher_id=teacher.id,
        join_code=code,
        name=details.name,
        school=details.school,
        place=details.place,
        grade=details.grade,
        language=details.language,
    )
    session.add(school_class)
    session.flush()
    return school_class


def update_class(session: Session, teacher: User, school_class: SchoolClass, details: ClassDetails) -> None:
    _require_owner(teacher, school_class)
    # The join code stays: learners already joined with it.
    for name in ("name", "school", "place", "grade", "language"):
        setattr(school_class, name, getattr(details, name))
    session.flush()


@dataclass(frozen=True)
class SessionDetails:
    held_on: dt.date | None
    place: str
    method: str
    counts: dict[tuple[str, str], int]


def read_session_details(form: Mapping[str, str], today: dt.date) -> tuple[SessionDetails, dict[str, str]]:
    problems = {}
    held_on = None
    try:
        held_on = dt.date.fromisoformat(form.get("held_on") or "")
    except ValueError:
        problems["held_on"] = "required"
    else:
        # A day of slack: the teacher's day may already have begun where the server's has not.
        if held_on > today + dt.timedelta(days=1) or held_on.year < 2000:
            problems["held_on"] = "bad_date"
    place = " ".join((form.get("place") or "").split())
    if not place:
        problems["place"] = "required"
    elif len(place) > LIMITS["place"]:
        problems["place"] = "too_long"
    method = form.get("method") or ""
    if method not in METHODS:
        problems["method"] = "required"
    counts, wrong = parse_headcounts(form)
    for name in wrong:
        problems[name] = "bad_count"
    if not counts and not wrong:
        problems["counts"] = "no_people"
    return SessionDetails(held_on, place, method, counts), problems


def record_session(
    session: Session, teacher: User, school_class: SchoolClass, details: SessionDetails, organisation: str
) -> ClassSession:
    _require_owner(teacher, school_class)
    assert details.held_on is not None, "read_session_details refuses a session without a date"
    recorded = ClassSession(
        id=str(uuid.uuid4()),
        class_id=school_class.id,
        held_on=details.held_on,
        place=details.place,
        organisation=organisation,
        method=details.method,
        recorded_by=teacher.id,
        headcounts=[
            SessionHeadcount(age_group=age_group, sex=sex, people=people)
            for (age_group, sex), people in sorted(details.counts.items())
        ],
    )
    session.add(recorded)
    session.flush()
    return recorded


def delete_session(
    session: Session, teacher: User, school_class: SchoolClass, recorded: ClassSession
) -> None:
    """For a session recorded by mistake: counts are aggregate, so a wrong one is deleted and made again."""
    _require_owner(teacher, school_class)
    if recorded.class_id != school_class.id:
        raise PermissionError("this session belongs to another class")
    session.delete(recorded)
    session.flush()


def _require_owner(teacher: User, school_class: SchoolClass) -> None:
    if school_class.teacher_id != teacher.id:
        raise PermissionError("this class belongs to another teacher")
