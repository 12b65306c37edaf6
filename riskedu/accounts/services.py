"""Changing accounts. Functions take the session and the acting person as arguments and only flush: the
request (or CLI command) commits."""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from riskedu.accounts.models import EMAIL_MAX_LENGTH, ROLES, User
from riskedu.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from riskedu.accounts.queries import normalise_email, user_by_email
from riskedu.database import utcnow

# Deliberately loose: one @, something on each side, a dot in the domain. The invitation link is what
# proves the address works, not a pattern.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A change that cannot be made; ``code`` says why (views show it in the reader's language)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def email_problem(email: str) -> str | None:
    address = normalise_email(email)
    if not EMAIL_SHAPE.match(address) or len(address) > EMAIL_MAX_LENGTH:
        return "bad_email"
    return None


def create_user(session: Session, email: str, role: str, password: str | None = None) -> User:
    """A new account; without a password it waits for its invitation link to be used."""
    if role not in ROLES:
        raise AccountError("bad_role")
    if problem := email_problem(email):
        raise AccountError(problem)
    if user_by_email(session, email) is not None:
        raise AccountError("email_taken")
    user = User(id=str(uuid.uuid4()), email=normalise_email(email), role=role, active=True)
    if password is not None:
        _set_password(user, password)
    session.add(user)
    session.flush()
    return user


def invite(session: Session, acting: User, email: str, role: str) -> User:
    """The account an invitation link is made for. Inviting an address again whose invitation is still
    pending (the first link was lost) gives the same account, so a new link can be made for it."""
    _require_admin(acting)
    existing = user_by_email(session, email)
    if existing is not None:
        if not existing.invitation_pending:
            raise AccountError("email_taken")
        if role not in ROLES:
            raise AccountError("bad_role")
        existing.role = role
        existing.active = True
        session.flush()
        return existing
    return create_user(session, email, role)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None; the same effort either way."""
    user = user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        return None
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    _set_password(user, password)
    session.flush()


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("wrong_password")
    set_password(session, user, new)


def set_active(session: Session, acting: User, user: User, active: bool) -> None:
    _require_admin(acting)
    if user.id == acting.id and not active:
        # Someone must be left who can let people in.
        raise AccountError("cannot_deactivate_self")
    user.active = active
    session.flush()


def _set_password(user: User, password: str) -> None:
    if problem := password_problem(password, user.email):
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.password_set_at = utcnow()


def _require_admin(acting: User) -> None:
    if not acting.is_admin:
        raise PermissionError("only an administrator may do this")
