"""Class join codes: six characters a teacher writes on the board and a child types on a small keyboard."""

from __future__ import annotations

import secrets

from riskedu.teaching.models import JOIN_CODE_LENGTH

# No 0/O, no 1/I: read aloud or copied from a blackboard, those pairs get mixed up. The same alphabet as the
# sync protocol's class_code (^[A-HJ-NP-Z2-9]{6}$).
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    """About a billion codes; random, so a code says nothing about other classes (uniqueness is the
    database's job: the caller tries again on a collision)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def spaced(code: str) -> str:
    """``K7Q4M2`` shown as ``K7Q 4M2``: easier to read out and to copy."""
    return f"{code[:3]} {code[3:]}"
