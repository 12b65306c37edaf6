"""hazard_report rules as plain functions, no app: every validation rule of shared/sync-protocol.md, the SMS
format both ways, photo bytes, and the form's field mapping."""

from __future__ import annotations

import copy
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from PIL import Image
from werkzeug.datastructures import MultiDict

from riskedu.content.model import Catalog, SiteSettings
from riskedu.reports.form import form_data, form_errors, read_form
from riskedu.reports.photos import NotAnImage, TooManyPixels, check_image, shrunk_for_upload, without_metadata
from riskedu.reports.schemas import HazardReportData
from riskedu.reports.sms import SmsFormatError, format_sms, parse_sms, reduced
from riskedu.sync.schemas import FieldError, InvalidResult
from riskedu.sync.validation import CheckedItem, check_item, content_hash

BAKU = dt.timezone(dt.timedelta(hours=4))
# hazard_report needs nothing from the content catalog.
EMPTY_CATALOG = Catalog(
    version="test", locales=("en", "az"), site=SiteSettings({}, "AZ", ()), core_messages={}
)
GPS_EXIF_TAG = 0x8825


def a_while_ago(minutes: int = 30) -> str:
    return (dt.datetime.now(BAKU) - dt.timedelta(minutes=minutes)).replace(microsecond=0).isoformat()


def report_data(**changes: Any) -> dict[str, Any]:
    """The protocol's example report, with changes (None removes a field)."""
    data: dict[str, Any] = {
        "observed_at": a_while_ago(),
        "what": ["mine"],
        "description": "Round green object half buried next to the path to the spring",
        "count": 1,
        "place": "Between the school and the spring, about 200 m north of the cemetery",
        "location": {"lat": 39.7601, "lon": 46.7502, "accuracy_m": 25, "source": "gps"},
        "marked": "no",
        "injured": 0,
        "near": ["path", "water"],
        "reporter": {"name": "Elnur", "phone": "+994 50 123 45 67"},
        "locale": "az",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def check(data: dict[str, Any], item_id: str | None = None) -> CheckedItem | InvalidResult:
    return check_item(
        {"kind": "hazard_report", "id": item_id or str(uuid.uuid4()), "data": data}, EMPTY_CATALOG
    )


def errors_of(data: dict[str, Any]) -> dict[str, str]:
    result = check(data)
    assert isinstance(result, InvalidResult), "expected the report to be refused"
    return {error.field: error.message for error in result.errors}


def with_location(**changes: Any) -> dict[str, Any]:
    return {"lat": 39.7601, "lon": 46.7502, "accuracy_m": 25, "source": "gps", **changes}


# --- what passes ------------------------------------------------------------------------------------------


def test_the_protocols_example_report_passes() -> None:
    checked = check(report_data())
    assert isinstance(checked, CheckedItem)
    assert isinstance(checked.data, HazardReportData)
    assert checked.data.what == ["mine"]
    assert not checked.data.urgent


@pytest.mark.parametrize(
    "changes",
    [
        {"place": None},  # a position alone
        {"location": None},  # a description alone
        {"description": None, "count": None, "reporter": None, "near": None, "marked": None, "injured": None},
        {"reporter": {}},
        {"reporter": {"phone": "050 123-45-67"}},
        {"count": 10_000},
        {"place": "x" * 500},
        {"description": "x" * 2000},
        {"location": {"lat": -90, "lon": 180}},  # source defaults to "none", accuracy to unknown
        {"location": with_location(source="map", accuracy_m=None)},
        {"observed_at": (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)).isoformat()},  # clock skew
        {"what": ["mine", "shell", "mine"]},
        {"place": "Next to the <b>well</b> & \"old\" tree; 'quote' <script>alert(1)</script>"},
    ],
)
def test_reports_within_the_rules_pass(changes) -> None:
    assert isinstance(check(report_data(**changes)), CheckedItem)


def test_anyone_hurt_makes_the_report_urgent() -> None:
    checked = check(report_data(injured=2))
    assert isinstance(checked, CheckedItem)
    assert checked.data.urgent


# --- every rule, refused with plain words -----------------------------------------------------------------

IN_AN_HOUR = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"observed_at": None}, "data.observed_at", "is required"),
        ({"observed_at": IN_AN_HOUR}, "data.observed_at", "must not be in the future"),
        ({"observed_at": "2026-11-20T08:30:00"}, "data.observed_at", "must include a UTC offset"),
        ({"observed_at": 1700000000}, "data.observed_at", "must be a date and time as text"),
        ({"observed_at": "yesterday"}, "data.observed_at", "ISO 8601"),
        ({"observed_at": "2026-02-30T08:30:00+04:00"}, "data.observed_at", "ISO 8601"),
        ({"what": None}, "data.what", "is required"),
        ({"what": []}, "data.what", "choose at least one"),
        ({"what": ["landmine"]}, "data.what.0", "must be 'mine'"),
        ({"what": "mine"}, "data.what", "must be a list"),
        ({"place": None, "location": None}, "data.place", "describe the place, or give a position"),
        ({"place": "   ", "location": None}, "data.place", "describe the place, or give a position"),
        ({"place": "x" * 501}, "data.place", "at most 500 characters"),
        ({"location": with_location(lat=90.5)}, "data.location.lat", "must be at most 90"),
        ({"location": with_location(lat=-91)}, "data.location.lat", "must be at least -90"),
        ({"location": with_location(lon=180.01)}, "data.location.lon", "must be at most 180"),
        ({"location": with_location(lon=-999)}, "data.location.lon", "must be at least -180"),
        ({"location": with_location(lat="39.76")}, "data.location.lat", "must be a number"),
        ({"location": with_location(lat=True)}, "data.location.lat", "must be a number"),
        ({"location": {"lon": 46.75}}, "data.location.lat", "is required"),
        ({"location": with_location(accuracy_m=-1)}, "data.location.accuracy_m", "must be at least 0"),
        ({"location": with_location(accuracy_m=10**9)}, "data.location.accuracy_m", "must be at most 50000"),
        ({"location": with_location(source="satellite")}, "data.location.source", "must be 'gps', 'map' or"),
        ({"marked": "maybe"}, "data.marked", "must be 'yes', 'no' or 'unknown'"),
        ({"injured": -1}, "data.injured", "must be at least 0"),
        ({"injured": 1.5}, "data.injured", "must be a whole number"),
        ({"injured": "two"}, "data.injured", "must be a whole number"),
        ({"injured": 10**12}, "data.injured", "must be at most 10000"),
        ({"near": ["volcano"]}, "data.near.0", "must be 'home'"),
        ({"description": "x" * 2001}, "data.description", "at most 2000 characters"),
        ({"description": "nul \x00 byte"}, "data.description", "characters that are not text"),
        ({"description": "half a pair \ud800"}, "data.description", "characters that are not text"),
        ({"count": 0}, "data.count", "must be at least 1"),
        ({"count": 10_001}, "data.count", "must be at most 10000"),
        ({"count": "three"}, "data.count", "must be a whole number"),
        ({"reporter": {"name": "x" * 101}}, "data.reporter.name", "at most 100 characters"),
        ({"reporter": {"name": "two\nlines"}}, "data.reporter.name", "must be one line of text"),
        (
            {"reporter": {"phone": "<script>alert(1)</script>"}},
            "data.reporter.phone",
            "must be a phone number",
        ),
        ({"reporter": {"phone": "1" * 31}}, "data.reporter.phone", "at most 30 characters"),
        ({"reporter": "Elnur"}, "data.reporter", "must be an object"),
        ({"locale": "<az>"}, "data.locale", "must be a language code"),
    ],
)
def test_every_rule_refuses_with_a_clear_message(changes, field, words) -> None:
    errors = errors_of(report_data(**changes))
    assert field in errors, errors
    assert words in errors[field]


def test_every_problem_is_named_at_once() -> None:
    data = report_data(what=[], count=0, location=with_location(lat=200), description="x" * 3000)
    assert set(errors_of(data)) >= {"data.what", "data.count", "data.location.lat", "data.description"}


def test_a_resend_written_differently_is_the_same_report_and_a_change_is_not() -> None:
    data = report_data(what=["shell", "mine"], near=["water", "path"])
    same = copy.deepcopy(data)
    same["what"], same["near"] = ["mine", "shell", "mine"], ["path", "water"]
    moment = dt.datetime.fromisoformat(data["observed_at"])
    same["observed_at"] = moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    same = dict(reversed(list(same.items())))
    first, second = check(data), check(same)
    assert isinstance(first, CheckedItem)
    assert isinstance(second, CheckedItem)
    assert first.content_hash == second.content_hash
    changed = check(report_data(what=["shell", "mine"], near=["water", "path"], count=2))
    assert isinstance(changed, CheckedItem)
    assert changed.content_hash != first.content_hash
    assert content_hash("hazard_report", first.data) == first.content_hash


# --- the SMS format -----------------------------------------------------------------------------------------

REPORT_ID = "6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69"


def validated(data: dict[str, Any]) -> HazardReportData:
    checked = check(data, REPORT_ID)
    assert isinstance(checked, CheckedItem), checked
    assert isinstance(checked.data, HazardReportData)
    return checked.data


def test_the_documented_example_message_parses() -> None:
    text = (
        "RK1 6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69 20261120T0830+0400 W=mine,shell N=1 "
        "P=39.76010,46.75020,25,g M=n I=0 A=path,water L=az T=Between the school and the spring"
    )
    message = parse_sms(text)
    assert message.report_id == REPORT_ID
    assert message.observed_at == dt.datetime(2026, 11, 20, 4, 30, tzinfo=dt.UTC)
    assert message.what == ("mine", "shell")
    assert (message.lat, message.lon, message.accuracy_m, message.source) == (39.7601, 46.7502, 25, "gps")
    assert (message.count, message.marked, message.injured) == (1, "no", 0)
    assert message.near == ("path", "water")
    assert message.locale == "az"
    assert message.place == "Between the school and the spring"
    data = validated(message.report_data())
    assert data.location is not None
    assert data.location.source == "gps"


def test_a_report_goes_through_a_text_message_and_back() -> None:
    data = validated(
        report_data(place="Near the  old\nmill, north\tside T=not a field", what=["shell", "mine"])
    )
    text = format_sms(REPORT_ID, data)
    assert text.startswith(f"RK1 {REPORT_ID} ")
    assert "\n" not in text
    message = parse_sms(text)
    assert message == reduced(REPORT_ID, data)
    assert message.place == "Near the old mill, north side T=not a field"
    back = validated(message.report_data())
    assert reduced(REPORT_ID, back) == message


def test_what_a_message_leaves_out_or_rounds() -> None:
    data = validated(
        report_data(
            observed_at="2026-11-20T08:30:59+04:00",
            location={"lat": 39.760123456, "lon": 46.75, "accuracy_m": 24.5, "source": "map"},
            place="é" * 200,
            reporter={"name": "Elnur"},
        )
    )
    message = parse_sms(format_sms(REPORT_ID, data))
    assert message.observed_at == dt.datetime(2026, 11, 20, 4, 30, tzinfo=dt.UTC)  # to the minute
    assert (message.lat, message.accuracy_m, message.source) == (
        39.76012,
        25,
        "map",
    )  # half up, as JavaScript
    assert message.place == "é" * 160
    assert "Elnur" not in format_sms(
        REPORT_ID, data
    )  # name, phone and description wait for the data connection


def test_a_minimal_message() -> None:
    message = parse_sms(f"rk1 {REPORT_ID.replace('-', '')} 20261120T0830Z W=unknown T=by the bridge")
    assert message.report_id == REPORT_ID
    assert (message.marked, message.injured, message.lat, message.count) == ("unknown", None, None, None)
    assert validated(message.report_data()).place == "by the bridge"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Hello, there is a mine near the school", "message"),
        ("RK1 not-a-uuid 20261120T0830Z W=mine T=x", "id"),
        (f"RK1 {REPORT_ID} 20261120 W=mine T=x", "time"),
        (f"RK1 {REPORT_ID} 20261340T0830Z W=mine T=x", "time"),
        (f"RK1 {REPORT_ID} 20261120T0830Z N=1 T=x", "W"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine X=1 T=x", "X=1"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine W=shell T=x", "W"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine P=north T=x", "P"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine P=1,2,3,q T=x", "P"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine P=nan,inf T=x", "P"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine M=maybe T=x", "M"),
        (f"RK1 {REPORT_ID} 20261120T0830Z W=mine N=-3 T=x", "N"),
    ],
)
def test_a_message_that_cannot_be_read_says_which_part(text, part) -> None:
    with pytest.raises(SmsFormatError) as refused:
        parse_sms(text)
    assert refused.value.part == part


def test_values_out_of_range_are_read_and_then_refused_by_the_rules() -> None:
    message = parse_sms(f"RK1 {REPORT_ID} 20261120T0830Z W=mine,volcano P=200,10 T=x")
    errors = errors_of(message.report_data())
    assert set(errors) == {"data.what.1", "data.location.lat"}


# --- photo bytes ------------------------------------------------------------------------------------------


def image_bytes(image_format: str = "JPEG", size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(out, format=image_format, **save)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: turned
    gps = exif.get_ifd(GPS_EXIF_TAG)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 45.0, 36.0), "E", (46.0, 45.0, 0.72)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    return bool(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_EXIF_TAG))


@pytest.mark.parametrize(
    ("image_format", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_accepted_images_are_read_from_their_bytes(image_format, content_type) -> None:
    checked = check_image(image_bytes(image_format))
    assert (checked.content_type, checked.width, checked.height) == (content_type, 64, 48)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\xff\xd8\xff\xe0 this claims to be a JPEG but is not",
        image_bytes("JPEG")[:200],  # cut off half-way
        image_bytes("GIF"),
        image_bytes("BMP"),
    ],
)
def test_anything_else_is_not_an_image(data) -> None:
    with pytest.raises(NotAnImage):
        check_image(data)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(TooManyPixels):
        check_image(image_bytes("PNG", size=(10_000, 10_000), optimize=True))


def test_the_copy_for_everyone_has_no_position_or_camera_and_is_upright() -> None:
    original = jpeg_with_gps()
    assert has_gps(original)
    bare = without_metadata(original, "image/jpeg")
    image = Image.open(io.BytesIO(bare))
    assert not image.getexif()
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert image.size == (48, 64)  # orientation 6 applied to the pixels, since the tag is gone


def test_the_form_shrinks_a_camera_photo_like_the_phone() -> None:
    shrunk = shrunk_for_upload(jpeg_with_gps(size=(4000, 3000)))
    image = Image.open(io.BytesIO(shrunk))
    assert max(image.size) == 1600
    assert not has_gps(shrunk)


# --- the form without JavaScript ----------------------------------------------------------------------


NOW = dt.datetime(2026, 11, 1, 10, 17, 42, tzinfo=dt.UTC)


def posted(**fields: str | list[str]) -> dict[str, Any]:
    form = MultiDict()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            form.add(name, one)
    return form_data(read_form(form), locale="az", now=NOW, zone=BAKU)


def test_the_form_becomes_protocol_data() -> None:
    data = posted(
        what=["mine", "shell"], near="path", place="by the spring", count="2", hurt="yes", injured=""
    )
    assert data == {
        "what": ["mine", "shell"],
        "near": ["path"],
        "locale": "az",
        "observed_at": "2026-11-01T14:17:00+04:00",
        "place": "by the spring",
        "count": 2,
        "injured": 1,
    }
    assert validated(data).urgent


def test_a_time_typed_in_is_read_in_the_phones_offset_or_the_deployments_zone() -> None:
    assert (
        posted(when="earlier", observed_at="2026-11-20T08:30")["observed_at"] == "2026-11-20T08:30:00+04:00"
    )
    typed = posted(when="earlier", observed_at="2026-11-20T08:30", tz_offset="-300")
    assert typed["observed_at"] == "2026-11-20T08:30:00-05:00"
    assert posted(when="earlier", observed_at="last tuesday")["observed_at"] == "last tuesday"


def test_what_cannot_be_read_goes_on_as_typed_so_the_rules_name_it() -> None:
    data = posted(what="mine", place="x", count="many", lat="north", lon="46.7", hurt="no")
    errors = errors_of(data)
    assert errors["data.count"] == "must be a whole number"
    assert errors["data.location.lat"] == "must be a number"
    assert data["injured"] == 0


def test_problems_land_on_the_field_that_shows_them() -> None:
    placed = form_errors(
        [
            FieldError(field="data.location.lat", message="must be at most 90"),
            FieldError(field="data.reporter.phone", message="must be a phone number"),
            FieldError(field="data.what.0", message="must be 'mine'"),
            FieldError(field="kind", message="odd"),
        ]
    )
    assert placed == {
        "location": ["must be at most 90"],
        "reporter_phone": ["must be a phone number"],
        "what": ["must be 'mine'"],
        "form": ["odd"],
    }
