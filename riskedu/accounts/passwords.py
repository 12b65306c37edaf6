"""Password hashing (Argon2id through argon2-cffi) and the rules a new password must meet. Pure functions:
no database, no request. Passwords are never logged or stored anywhere but as a hash."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PASSWORD_MIN_LENGTH = 10
# Long passphrases are welcome; the cap only stops someone making the server hash megabytes.
PASSWORD_MAX_LENGTH = 256

# argon2-cffi's defaults are RFC 9106's low-memory profile (Argon2id, 64 MiB, 3 passes).
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _stand_in_hash() -> str:
    return _hasher.hash("no account has this password")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Without a hash (no such account, or an invitation not yet accepted)
    a stand-in hash is checked all the same, so the answer takes as long either way and does not tell
    which e-mail addresses have accounts."""
    try:
        return _hasher.verify(password_hash or _stand_in_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker settings than today's (rehashed at the next sign-in)."""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with a new password, as a key of ``accounts.views.PROBLEMS``; None if nothing."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return "too_short"
    if len(password) > PASSWORD_MAX_LENGTH:
        return "too_long"
    if email and password.strip().lower() == email.strip().lower():
        return "is_email"
    return None
