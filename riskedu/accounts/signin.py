"""Who is signed in: Flask's signed session cookie holds the account id, when the person signed in, and a
fingerprint of their password hash, so setting a new password or deactivating the account ends every
session at once. Sessions also end after ``STAFF_SESSION_HOURS``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from riskedu.accounts.models import User
from riskedu.accounts.queries import user_by_id
from riskedu.accounts.tokens import password_fingerprint
from riskedu.database import db_session

View = TypeVar("View", bound=Callable[..., Any])
USER_KEY = "staff_user"
GUARD_KEY = "staff_guard"
SINCE_KEY = "staff_since"


def sign_in(user: User) -> None:
    # A fresh session: nothing from before signing in (a planted session, a stale CSRF token) survives.
    session.clear()
    session[USER_KEY] = user.id
    session[GUARD_KEY] = password_fingerprint(user.password_hash)
    session[SINCE_KEY] = int(dt.datetime.now(dt.UTC).timestamp())
    g.pop("_staff_user", None)


def sign_out() -> None:
    session.clear()
    g.pop("_staff_user", None)


def current_user() -> User | None:
    """The signed-in person for this request, or None."""
    if "_staff_user" not in g:
        g._staff_user = _load_user()
    return cast(User | None, g._staff_user)


def _load_user() -> User | None:
    user_id = session.get(USER_KEY)
    if not user_id:
        return None
    hours = current_app.config["STAFF_SESSION_HOURS"]
    signed_in_at = session.get(SINCE_KEY, 0)
    if dt.datetime.now(dt.UTC).timestamp() - signed_in_at > hours * 3600:
        return None
    user = user_by_id(db_session(), user_id)
    if user is None or not user.active or session.get(GUARD_KEY) != password_fingerprint(user.password_hash):
        return None
    return user


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host (an open redirect would help phishing)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def staff_required(*roles: str) -> Callable[[View], View]:
    """Anonymous visitors go to the sign-in page (and come back afterwards); a signed-in person without one
    of ``roles`` is refused with 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("signin.login", next=request.full_path.rstrip("?")))
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate


teacher_required = staff_required("teacher", "admin")
admin_required = staff_required("admin")
