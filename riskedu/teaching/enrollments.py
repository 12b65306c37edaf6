"""What an ``enrollment`` sync item means once classes exist: its code must be a class's join code (else the
item is ``invalid``, and the phone shows "needs attention"), and its result carries the class's name."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskedu.content.model import Catalog
from riskedu.sync.models import Enrollment
from riskedu.sync.schemas import EnrollmentData, EnrollmentItem, FieldError
from riskedu.sync.services import Extras, register_kind, store_enrollment
from riskedu.sync.validation import CheckedItem
from riskedu.teaching.queries import class_name_for_code


def _code(item: CheckedItem) -> str:
    assert isinstance(item.data, EnrollmentData)
    return item.data.class_code


def class_must_exist(session: Session, item: CheckedItem) -> list[FieldError]:
    if class_name_for_code(session, _code(item)) is not None:
        return []
    # Said in the phone's language (sync checks each item inside the sender's locale).
    return [FieldError(field="data.class_code", message=gettext("no class has this code"))]


def store_enrollment_in_class(session: Session, item: CheckedItem, catalog: Catalog) -> Extras:
    extras = store_enrollment(session, item, catalog)
    return {**extras, "class_name": class_name_for_code(session, _code(item))}


def stored_class_name(session: Session, item_id: str) -> Extras:
    code = session.scalar(select(Enrollment.class_code).where(Enrollment.id == item_id))
    name = class_name_for_code(session, code) if code else None
    return {"class_name": name} if name is not None else {}


def register() -> None:
    register_kind(
        "enrollment",
        EnrollmentItem,
        store_enrollment_in_class,
        stored_extras=stored_class_name,
        check=class_must_exist,
    )
