"""Signed links that let a person set a password: an invitation an administrator makes, or a password reset.

Nothing is stored for them. A link carries the account id and a fingerprint of the account's password hash
as it was when the link was made, so it stops working as soon as a password is set with it (or in any
other way): each link works once. It also expires."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "riskedu.accounts.password-link"
INVITATION = "invitation"
RESET = "reset"
MAX_AGE = {INVITATION: dt.timedelta(days=7), RESET: dt.timedelta(days=2)}


def password_fingerprint(password_hash: str | None) -> str:
    """Changes whenever the password does; reveals nothing about it (a hash of the salted hash)."""
    return hashlib.sha256((password_hash or "no password yet").encode()).hexdigest()[:20]


@dataclass(frozen=True)
class PasswordLink:
    user_id: str
    purpose: str
    fingerprint: str


def make_password_link_token(secret_key: str, user_id: str, password_hash: str | None, purpose: str) -> str:
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
    return serializer.dumps({"u": user_id, "p": purpose, "f": password_fingerprint(password_hash)})


def read_password_link_token(secret_key: str, token: str) -> PasswordLink | None:
    """The link's content if its signature is good and it has not expired for its purpose; None otherwise."""
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
    longest = max(MAX_AGE.values())
    try:
        payload, signed_at = serializer.loads(
            token, max_age=int(longest.total_seconds()), return_timestamp=True
        )
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(payload, dict) or payload.get("p") not in MAX_AGE:
        return None
    if dt.datetime.now(dt.UTC) - signed_at > MAX_AGE[payload["p"]]:
        return None
    return PasswordLink(str(payload.get("u")), payload["p"], str(payload.get("f")))
