"""Proof of authorship (shared/sync-protocol.md, docs/sync.md): only the phone that made a report can
complete it or add photos to it. The phone makes a random secret per report; the server keeps only its
SHA-256, and an SMS carries only the first characters of that hash. Pure functions."""

from __future__ import annotations

import hashlib
import hmac
import re

# The header photo uploads (and any later change from the phone) carry the report's secret in.
AUTHOR_SECRET_HEADER = "Riskedu-Author-Secret"  # noqa: S105 (a header name)
# base64url without padding; 22 characters are 132 bits, at least the 128 the protocol asks for.
SECRET_MIN_LENGTH = 22
SECRET_MAX_LENGTH = 128
SECRET_PATTERN = rf"^[A-Za-z0-9_-]{{{SECRET_MIN_LENGTH},{SECRET_MAX_LENGTH}}}$"
# Hex characters of the hash an SMS carries after "K=": 64 bits, far beyond guessing through a rate-limited
# API, and short enough for one text message.
SMS_PROOF_LENGTH = 16
SMS_PROOF_PATTERN = re.compile(rf"^[0-9a-f]{{{SMS_PROOF_LENGTH}}}$")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def sms_proof(secret: str) -> str:
    return secret_hash(secret)[:SMS_PROOF_LENGTH]


def proves(stored_hash: str, secret: str | None) -> bool:
    """Whether ``secret`` is the one ``stored_hash`` (a full hash, or an SMS's proof) was made from."""
    if not secret or not re.fullmatch(SECRET_PATTERN, secret) or len(stored_hash) < SMS_PROOF_LENGTH:
        return False
    return hmac.compare_digest(secret_hash(secret)[: len(stored_hash)], stored_hash)
