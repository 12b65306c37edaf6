"""The SMS fallback's message body: a short, structured text a phone composes when it has a signal but no
data, and the server parses back into a hazard report. Pure functions; the format is documented in
docs/reports.md and built the same way by static/js/reports-mine.js.

    RK1 6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69 20261120T0830+0400 W=mine,shell N=1 P=39.76010,46.75020,25,g
    M=n I=0 A=path,water L=az K=3f2a9c0d1e4b5a67 T=Between the school and the spring

(one line). ``RK1`` names the format; then the report id, the time seen (to the minute, with its UTC
offset), then ``KEY=value`` fields, any of them optional except ``W``: W what, N how many, P position
(lat,lon[,accuracy in m[,source g|m|n]]), M marked (y|n|u), I people hurt, A what is nearby, L language,
K the proof of authorship (16 hex characters of the SHA-256 of the report's secret, docs/sync.md), and
T, always last, the place in the reporter's words up to the end of the message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from riskedu.reports.authorship import SMS_PROOF_PATTERN, sms_proof
from riskedu.reports.schemas import HazardReportData

MAGIC = "RK1"
# Enough for a landmark and a direction; the phone sends the whole text when it gets data again.
PLACE_MAX_CHARACTERS = 160
TIME_FORMAT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(Z|[+-]\d{4})$")
MARKED_CODES = {"yes": "y", "no": "n", "unknown": "u"}
SOURCE_CODES = {"gps": "g", "map": "m", "none": "n"}


class SmsFormatError(ValueError):
    """The message is not an RK1 report, or one of its parts cannot be read. ``part`` names which."""

    def __init__(self, part: str, problem: str) -> None:
        super().__init__(f"{part}: {problem}")
        self.part = part
        self.problem = problem


@dataclass(frozen=True)
class SmsReport:
    """What an SMS carries: a reduced hazard report."""

    report_id: str
    observed_at: dt.datetime
    what: tuple[str, ...]
    count: int | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy_m: int | None = None
    source: str | None = None
    marked: str = "unknown"
    injured: int | None = None
    near: tuple[str, ...] = ()
    locale: str | None = None
    place: str | None = None
    # K: the first characters of the SHA-256 of the phone's secret for this report (never the secret). Not
    # part of what two versions of a report compare.
    proof: str | None = field(default=None, compare=False)

    def report_data(self) -> dict[str, Any]:
        """As hazard_report data of the sync protocol (to be validated like any other)."""
        data: dict[str, Any] = {
            "observed_at": self.observed_at.isoformat(),
            "what": list(self.what),
            "marked": self.marked,
            "near": list(self.near),
        }
        if self.count is not None:
            data["count"] = self.count
        if self.lat is not None and self.lon is not None:
            location: dict[str, Any] = {"lat": self.lat, "lon": self.lon, "source": self.source or "none"}
            if self.accuracy_m is not None:
                location["accuracy_m"] = self.accuracy_m
            data["location"] = location
        if self.injured is not None:
            data["injured"] = self.injured
        if self.locale:
            data["locale"] = self.locale
        if self.place:
            data["place"] = self.place
        return data


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _compact_time(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    if offset == dt.timedelta(0):
        suffix = "Z"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        suffix = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return moment.strftime("%Y%m%dT%H%M") + suffix


def _round_half_up(value: float) -> int:
    # As JavaScript's Math.round, which the phone uses: the same report must give the same message.
    return math.floor(value + 0.5)


def format_sms(report_id: str, data: HazardReportData) -> str:
    parts = [MAGIC, str(uuid.UUID(report_id)), _compact_time(data.observed_at), "W=" + ",".join(data.what)]
    if data.count is not None:
        parts.append(f"N={data.count}")
    if data.location is not None:
        position = [f"{data.location.lat:.5f}", f"{data.location.lon:.5f}"]
        if data.location.accuracy_m is not None:
            position.append(str(_round_half_up(data.location.accuracy_m)))
        else:
            position.append("")
        position.append(SOURCE_CODES[data.location.source])
        parts.append("P=" + ",".join(position))
    parts.append("M=" + MARKED_CODES[data.marked])
    if data.injured is not None:
        parts.append(f"I={data.injured}")
    if data.near:
        parts.append("A=" + ",".join(data.near))
    if data.locale:
        parts.append(f"L={data.locale}")
    if data.author_secret:
        parts.append(f"K={sms_proof(data.author_secret)}")
    place = _one_line(data.place or "")[:PLACE_MAX_CHARACTERS].strip()
    if place:
        parts.append("T=" + place)
    return " ".join(parts)


def _whole_number(part: str, text: str) -> int:
    if not re.fullmatch(r"\d{1,6}", text):
        raise SmsFormatError(part, "must be a whole number")
    return int(text)


def _parse_time(text: str) -> dt.datetime:
    match = TIME_FORMAT.match(text)
    if not match:
        raise SmsFormatError("time", "must look like 20261120T0830+0400")
    year, month, day, hour, minute, zone = match.groups()
    if zone == "Z":
        offset = dt.timedelta(0)
    else:
        sign = 1 if zone[0] == "+" else -1
        offset = sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    try:
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), tzinfo=dt.timezone(offset)
        )
    except ValueError as error:
        raise SmsFormatError("time", "is not a real date and time") from error


def _parse_position(text: str) -> tuple[float, float, int | None, str]:
    pieces = text.split(",")
    if len(pieces) < 2 or len(pieces) > 4:
        raise SmsFormatError("P", "must be lat,lon[,accuracy[,source]]")
    try:
        lat, lon = float(pieces[0]), float(pieces[1])
    except ValueError:
        raise SmsFormatError("P", "latitude and longitude must be numbers") from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise SmsFormatError("P", "latitude and longitude must be numbers")
    accuracy = _whole_number("P", pieces[2]) if len(pieces) > 2 and pieces[2] else None
    source = "none"
    if len(pieces) > 3:
        codes = {code: name for name, code in SOURCE_CODES.items()}
        if pieces[3].lower() not in codes:
            raise SmsFormatError("P", "the source must be g, m or n")
        source = codes[pieces[3].lower()]
    return lat, lon, accuracy, source


def parse_sms(text: str) -> SmsReport:
    """Read an RK1 message; SmsFormatError says which part is wrong. The values are not checked against the
    protocol here (a kind that does not exist, a latitude of 200): validating the data does that."""
    body = text.strip()
    place: str | None = None
    marker = re.search(r"(?:^|\s)[Tt]=", body)
    if marker:
        place = _one_line(body[marker.end() :]) or None
        body = body[: marker.start()]
    tokens = body.split()
    if len(tokens) < 3 or tokens[0].upper() != MAGIC:
        raise SmsFormatError("message", f"must start with {MAGIC}, the report id and the time")
    try:
        report_id = str(uuid.UUID(tokens[1]))
    except ValueError:
        raise SmsFormatError("id", "must be the report's id") from None
    observed_at = _parse_time(tokens[2])
    fields: dict[str, str] = {}
    for token in tokens[3:]:
        key, equals, value = token.partition("=")
        key = key.upper()
        if not equals or key not in {"W", "N", "P", "M", "I", "A", "L", "K"}:
            raise SmsFormatError(token[:20], "is not a field of the message")
        if key in fields:
            raise SmsFormatError(key, "is given twice")
        fields[key] = value
    if not fields.get("W"):
        raise SmsFormatError("W", "what was seen is required")
    lat = lon = None
    accuracy: int | None = None
    source: str | None = None
    if "P" in fields:
        lat, lon, accuracy, source = _parse_position(fields["P"])
    proof = fields.get("K", "").lower() or None
    if proof is not None and not SMS_PROOF_PATTERN.match(proof):
        raise SmsFormatError("K", "must be the report's proof: 16 characters 0-9 a-f")
    marked_codes = {code: name for name, code in MARKED_CODES.items()}
    marked = fields.get("M", "u").lower()
    if marked not in marked_codes:
        raise SmsFormatError("M", "must be y, n or u")
    return SmsReport(
        report_id=report_id,
        observed_at=observed_at,
        what=tuple(sorted(set(fields["W"].lower().split(",")))),
        count=_whole_number("N", fields["N"]) if "N" in fields else None,
        lat=lat,
        lon=lon,
        accuracy_m=accuracy,
        source=source,
        marked=marked_codes[marked],
        injured=_whole_number("I", fields["I"]) if "I" in fields else None,
        near=tuple(sorted(set(filter(None, fields.get("A", "").lower().split(","))))),
        locale=fields.get("L") or None,
        place=place,
        proof=proof,
    )


def reduced(report_id: str, data: HazardReportData) -> SmsReport:
    """What an SMS of this report carries: a full report and a text message of it compare equal this way."""
    return parse_sms(format_sms(report_id, data))
