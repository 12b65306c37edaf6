"""The report form as posted without JavaScript: its fields turned into hazard_report data, and the data's
field errors turned back into the form's fields. Pure functions (no app, no request)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskedu.sync.schemas import FieldError

TEXT_FIELDS = ("place", "description", "reporter_name", "reporter_phone", "count", "injured", "observed_at")
CHOICE_FIELDS = ("when", "marked", "hurt", "lat", "lon", "accuracy_m", "location_source", "tz_offset")
MULTI_FIELDS = ("what", "near")
LOCAL_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$")
# Where each data field's problems are shown on the form.
ERROR_PLACES = {
    "data.what": "what",
    "data.count": "count",
    "data.place": "place",
    "data.location": "location",
    "data.observed_at": "observed_at",
    "data.marked": "marked",
    "data.injured": "injured",
    "data.near": "near",
    "data.description": "description",
    "data.reporter.name": "reporter_name",
    "data.reporter.phone": "reporter_phone",
    "photo": "photo",
}


@dataclass
class FormInput:
    """What the person typed and chose, kept to fill the form again after an error."""

    values: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def chosen(self, name: str) -> list[str]:
        return self.choices.get(name, [])


def read_form(form: Mapping[str, Any]) -> FormInput:
    """``form`` is a MultiDict (``getlist``) or a plain mapping of lists."""

    def getlist(name: str) -> list[str]:
        values = form.getlist(name) if hasattr(form, "getlist") else form.get(name, [])
        return [value for value in values if isinstance(value, str)]

    values = {name: (getlist(name) or [""])[0] for name in (*TEXT_FIELDS, *CHOICE_FIELDS)}
    choices = {name: getlist(name) for name in MULTI_FIELDS}
    return FormInput(values, choices)


def _number(text: str, kind: type[int] | type[float]) -> Any:
    """A number where the text is one; otherwise the text itself, so validation names what is wrong."""
    text = text.strip()
    try:
        number = kind(text)
    except ValueError:
        return text
    if isinstance(number, float) and not math.isfinite(number):
        return text
    return number


def _local_time(text: str, offset: dt.timezone) -> dt.datetime | None:
    match = LOCAL_TIME.match(text.strip())
    if not match:
        return None
    try:
        return dt.datetime(*(int(part) for part in match.groups()), tzinfo=offset)
    except ValueError:
        return None


def _offset(form: FormInput, default: dt.tzinfo, now: dt.datetime) -> dt.tzinfo:
    # The page's script writes the phone's own UTC offset (minutes east); without it, the deployment's zone.
    minutes = _number(form.value("tz_offset"), int)
    if isinstance(minutes, int) and -14 * 60 <= minutes <= 14 * 60:
        return dt.timezone(dt.timedelta(minutes=minutes))
    return default


def form_data(form: FormInput, *, locale: str, now: dt.datetime, zone: dt.tzinfo) -> dict[str, Any]:
    """hazard_report data as the sync protocol has it; anything unreadable is passed on as typed, so that
    validation answers for it in the same words as for the API."""
    tz = _offset(form, zone, now)
    data: dict[str, Any] = {"what": form.chosen("what"), "near": form.chosen("near"), "locale": locale}
    if form.value("when") == "earlier":
        typed = form.value("observed_at")
        if typed.strip():  # left empty, it is missing: "is required"
            parsed = _local_time(typed, tz if isinstance(tz, dt.timezone) else _zone_offset(tz, now))
            data["observed_at"] = parsed.isoformat() if parsed else typed
    else:
        data["observed_at"] = now.astimezone(tz).replace(second=0, microsecond=0).isoformat()
    for name in ("place", "description"):
        if form.value(name).strip():
            data[name] = form.value(name)
    if form.value("count").strip():
        data["count"] = _number(form.value("count"), int)
    if form.value("marked"):
        data["marked"] = form.value("marked")
    hurt = form.value("hurt")
    if hurt == "no":
        data["injured"] = 0
    elif hurt == "yes":
        data["injured"] = _number(form.value("injured"), int) if form.value("injured").strip() else 1
    if form.value("lat").strip() or form.value("lon").strip():
        location: dict[str, Any] = {
            "lat": _number(form.value("lat"), float),
            "lon": _number(form.value("lon"), float),
            "source": form.value("location_source") or "none",
        }
        if form.value("accuracy_m").strip():
            location["accuracy_m"] = _number(form.value("accuracy_m"), float)
        data["location"] = location
    reporter = {
        key: form.value(name)
        for key, name in (("name", "reporter_name"), ("phone", "reporter_phone"))
        if form.value(name).strip()
    }
    if reporter:
        data["reporter"] = reporter
    return data


def _zone_offset(zone: dt.tzinfo, now: dt.datetime) -> dt.timezone:
    return dt.timezone(now.astimezone(zone).utcoffset() or dt.timedelta(0))


def form_errors(errors: Sequence[FieldError]) -> dict[str, list[str]]:
    """Each problem under the form field that shows it (``form`` for anything else)."""
    placed: dict[str, list[str]] = {}
    for error in errors:
        place = next(
            (
                name
                for prefix, name in ERROR_PLACES.items()
                if error.field == prefix or error.field.startswith(prefix + ".")
            ),
            "form",
        )
        if error.message not in placed.setdefault(place, []):
            placed[place].append(error.message)
    return placed
