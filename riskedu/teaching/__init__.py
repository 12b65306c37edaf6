"""Teaching: classes with join codes and QR codes, the class dashboard, CSV exports, recorded sessions for
beneficiary reporting (``/<locale>/teach/``), and the learner's join page (``/<locale>/join``)."""

from __future__ import annotations

from flask import Flask

from riskedu.teaching import enrollments
from riskedu.teaching.views import joining, teaching

# Enrollments get their meaning here (a code must name a class; the answer names it), so sync needs to know
# nothing of classes. Registered on import (riskedu imports every package), so it holds for every app.
enrollments.register()


def init_app(app: Flask) -> None:
    app.register_blueprint(teaching)
    app.register_blueprint(joining)
