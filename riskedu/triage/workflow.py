"""The triage workflow and its ordering, as plain functions (no app, no database): which status may follow
which, how urgent a report is, how far apart two reports are, and the coarse area shown to non-operators."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OPEN_STATUSES = ("received", "under_review", "verified", "referred")
CLOSED_STATUSES = ("cleared", "no_evidence", "duplicate")
# received → under review → verified → referred → cleared | no evidence; any open state → duplicate.
# A review may also end in "no evidence" without being verified: nothing was found to verify.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    "received": ("under_review", "duplicate"),
    "under_review": ("verified", "no_evidence", "duplicate"),
    "verified": ("referred", "duplicate"),
    "referred": ("cleared", "no_evidence", "duplicate"),
    "cleared": (),
    "no_evidence": (),
    "duplicate": (),
}
# Near these, a hazard puts children and daily life at risk: such reports come right after anyone hurt.
PEOPLE_PLACES = frozenset({"school", "home", "path"})
EARTH_RADIUS_M = 6_371_000.0
# Two decimals of a degree: about 1 km, enough to say which village, not which field.
COARSE_DECIMALS = 2


class TransitionError(ValueError):
    """A change the workflow does not allow; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def allowed_next(status: str) -> tuple[str, ...]:
    return NEXT_STATUSES.get(status, ())


def check_transition(
    current: str, target: str, reason: str, reference: str | None, duplicate_of: str | None
) -> None:
    """Raise TransitionError unless ``current`` may become ``target`` with these details."""
    if target not in allowed_next(current):
        raise TransitionError("not_allowed")
    if not reason.strip():
        raise TransitionError("reason_required")
    if target == "referred" and not (reference or "").strip():
        raise TransitionError("reference_required")
    if target == "duplicate" and not duplicate_of:
        raise TransitionError("original_required")


def priority(injured: int | None, near: Iterable[str]) -> int:
    """0: someone is hurt; 1: near a school, home or path; 2: the rest."""
    if injured:
        return 0
    if PEOPLE_PLACES.intersection(near):
        return 1
    return 2


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Located:
    id: str
    lat: float | None
    lon: float | None
    observed_at: dt.datetime


@dataclass(frozen=True)
class Candidate:
    id: str
    distance_m: float
    hours_apart: float


def duplicate_candidates(
    report: Located, others: Sequence[Located], max_distance_m: float, max_hours: float
) -> list[Candidate]:
    """Other reports within ``max_distance_m`` and ``max_hours`` of ``report``, nearest first."""
    if report.lat is None or report.lon is None:
        return []
    found = []
    for other in others:
        if other.id == report.id or other.lat is None or other.lon is None:
            continue
        hours = abs((other.observed_at - report.observed_at).total_seconds()) / 3600
        metres = distance_m(report.lat, report.lon, other.lat, other.lon)
        if metres <= max_distance_m and hours <= max_hours:
            found.append(Candidate(other.id, metres, hours))
    return sorted(found, key=lambda candidate: (candidate.distance_m, candidate.hours_apart))


def coarse_position(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """The area around a position (about 1 km), for anyone who is not an operator."""
    if lat is None or lon is None:
        return None
    return round(lat, COARSE_DECIMALS), round(lon, COARSE_DECIMALS)
