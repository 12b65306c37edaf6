"""Reading accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskedu.accounts.models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def user_by_id(session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.email)))
