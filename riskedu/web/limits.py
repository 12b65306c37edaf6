"""Limits counted in whatever a request carries (items, photos, password checks), on the app's one rate
limiter and its storage (``memory://`` per process, or Redis shared by every worker and server). Views call
these where a decorator cannot see what to count."""

from __future__ import annotations

import math
import time

from flask import current_app
from flask_limiter import Limiter
from limits import RateLimitItem, parse

LIMITER_KEY = "riskedu.sync.limiter"


def _limiter() -> Limiter:
    return current_app.extensions[LIMITER_KEY]


def limits_enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True)) and _limiter().enabled


def _item(limit: str) -> RateLimitItem:
    return parse(limit)


def within(limit: str, *identity: str, cost: int = 1) -> bool:
    """Whether ``cost`` more fit under ``limit`` for ``identity``, without counting them."""
    if not limits_enabled() or cost <= 0:
        return True
    return _limiter().limiter.test(_item(limit), *identity, cost=cost)


def spend(limit: str, *identity: str, cost: int = 1) -> bool:
    """Count ``cost`` against ``limit`` for ``identity``; False (and nothing counted) when over it."""
    if not limits_enabled() or cost <= 0:
        return True
    return _limiter().limiter.hit(_item(limit), *identity, cost=cost)


def retry_after(limit: str, *identity: str) -> int:
    """Seconds until ``limit`` for ``identity`` has room again."""
    if not limits_enabled():
        return 0
    reset_at, _remaining = _limiter().limiter.get_window_stats(_item(limit), *identity)
    return max(1, math.ceil(reset_at - time.time()))
