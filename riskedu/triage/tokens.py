"""Personal API tokens: made, checked and revoked. Only the SHA-256 of a token is stored; a token is long
and random, so a plain hash is enough (nothing to guess from, unlike a password)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskedu.accounts.models import User
from riskedu.database import utcnow
from riskedu.triage.models import ApiToken

TOKEN_PREFIX = "rke_"  # noqa: S105 (a marker that says what the string is, not a secret)
NAME_MAX_LENGTH = 100
OPERATOR_ROLES = ("operator", "admin")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the token text is returned once and never stored."""
    if user.role not in OPERATOR_ROLES:
        raise PermissionError("only operators have API tokens")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        id=str(uuid.uuid4()),
        user_id=user.id,
        name=name.strip()[:NAME_MAX_LENGTH] or "API",
        token_hash=token_hash(token),
        prefix=token[:12],
        created_at=utcnow(),
    )
    session.add(record)
    session.flush()
    return record, token


def user_for_token(session: Session, token: str) -> User | None:
    """The active operator a live token belongs to, or None. Marks the token used."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    record, user = found
    if not user.active or user.role not in OPERATOR_ROLES:
        return None
    record.last_used_at = utcnow()
    return user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at))
    )


def revoke_token(session: Session, user: User, token_id: str) -> bool:
    record = session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        return False
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()
    return True
