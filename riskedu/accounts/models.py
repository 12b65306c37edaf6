"""People who sign in: teachers, mine action operators and administrators. Learners never have an account
(they are a nickname and a random id, see ``riskedu.sync.models.Enrollment``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from riskedu.database import Base, created_at, uuid_pk

ROLES = ("teacher", "operator", "admin")
EMAIL_MAX_LENGTH = 254


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('teacher', 'operator', 'admin')", name="role"),)

    id: Mapped[uuid_pk]
    # Kept lower-cased and trimmed, so one address is one account however it is typed.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # None until the person sets a password through their invitation link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
    password_set_at: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    # Every session signed in before this moment is over: sign-out, "sign out everywhere", deactivation.
    sessions_valid_after: Mapped[dt.datetime | None]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_teach(self) -> bool:
        # An administrator may run classes too; an operator's work is the hazard reports.
        return self.role in ("teacher", "admin")

    @property
    def invitation_pending(self) -> bool:
        return self.password_hash is None
