"""Receipt codes: what a person reads out on a phone call to say which report or attempt they mean."""

from __future__ import annotations

import re
import secrets

# No 0/O or 1/I: on a bad line, or in a child's handwriting, those pairs are guessed wrong.
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECEIPT_PATTERN = re.compile(r"^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$")
RECEIPT_LENGTH = 7


def new_receipt() -> str:
    """Six random characters shown as two groups of three, e.g. ``RK7-Q4M``: about a billion codes.

    Random rather than sequential so a receipt says nothing about how many items exist or who sent them;
    uniqueness is the database's job (the caller retries on a collision)."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(6))
    return f"{code[:3]}-{code[3:]}"
