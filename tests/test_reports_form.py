"""The report pages as a person sees them, and the form without JavaScript: safety first, the receipt after
sending, every problem shown in words with the person's input kept, and hostile input shown as text."""

from __future__ import annotations

import io
import os
import re
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from riskedu import create_app
from riskedu.database import database
from riskedu.reports.models import HazardReport, ReportPhoto
from riskedu.reports.storage import media_storage
from riskedu.sync.models import SyncItem
from tests.conftest import app_config
from tests.test_reports_rules import has_gps, image_bytes, jpeg_with_gps

LOCALES = ("en", "az", "ru", "ar")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def app(migrated_database, tmp_path):
    app = create_app(app_config(migrated_database, MEDIA_DIR=str(tmp_path / "media"), TIMEZONE="Asia/Baku"))
    yield app
    database(app).engine.dispose()


def reports_count(db) -> int:
    return db.scalar(select(func.count()).select_from(HazardReport))


def good_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "what": ["mine", "shell"],
        "count": "2",
        "place": "Between the school and the spring",
        "when": "now",
        "marked": "no",
        "hurt": "no",
        "near": ["path", "water"],
        "description": "Round, green, half buried",
        "reporter_name": "Elnur",
        "reporter_phone": "+994 50 123 45 67",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def post(
    client, form: dict[str, Any], locale: str = "en", photo: bytes | None = None, filename: str = "p.jpg"
):
    data = MultiDict()
    for name, value in form.items():
        for one in value if isinstance(value, list) else [value]:
            data.add(name, one)
    if photo is not None:
        data.add("photo", FileStorage(io.BytesIO(photo), filename=filename, content_type="image/jpeg"))
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(data)
    return client.post(
        f"/{locale}/report", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


# --- the page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_the_safety_rules_and_the_call_buttons_come_before_the_form(client, locale) -> None:
    page = client.get(f"/{locale}/report")
    assert page.status_code == 200
    html = page.text
    form_starts = html.index("<form")
    assert html.index("safety-steps") < form_starts
    assert html.index('href="tel:112"', html.index("<main")) < form_starts
    assert html.index('href="tel:102"', html.index("<main")) < form_starts
    # Pictures to tap for every kind the protocol names, and the photo comes with its warning.
    for kind in ("mine", "tripwire", "cluster_submunition", "booby_trap", "unknown"):
        assert f'name="what" value="{kind}"' in html
    assert html.count('class="pick__icon"') >= 9 + 10
    assert 'name="photo"' in html
    assert "photo-warning" in html
    # No map without the deployment's own tiles: nothing may ask another server for them.
    assert "data-pin-map" not in html
    assert "leaflet" not in html.lower()


def test_the_photo_warning_says_only_the_surroundings_from_the_safe_place(client) -> None:
    html = client.get("/en/report").text
    assert "never of the object. No flash. No photo is needed." in html
    assert "at least 100 metres from the object" in html


def test_a_map_only_with_tiles_from_this_server(migrated_database, tmp_path, db_connection) -> None:
    own = create_app(
        app_config(migrated_database, MAP_TILE_URL="/tiles/{z}/{x}/{y}.png", MEDIA_DIR=str(tmp_path))
    )
    other = create_app(
        app_config(
            migrated_database,
            MAP_TILE_URL="https://tile.example.org/{z}/{x}/{y}.png",
            MEDIA_DIR=str(tmp_path),
        )
    )
    assert "data-pin-map" in own.test_client().get("/en/report").text
    assert "/tiles/{z}/{x}/{y}.png" in own.test_client().get("/en/report").text
    html = other.test_client().get("/en/report").text
    assert "data-pin-map" not in html
    assert "tile.example.org" not in html
    database(own).engine.dispose()
    database(other).engine.dispose()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_has_a_report_link_one_tap_away(client, locale) -> None:
    for path in ("/", "/lessons/", "/phone", "/report", "/reports/mine"):
        html = client.get(f"/{locale}{path}").text
        header = html[html.index("<header") : html.index("</header>")]
        assert f'href="/{locale}/report"' in header, path
    assert f'href="/{locale}/report"' in client.get(f"/{locale}/").text.split("</header>")[1]


def test_the_offline_pack_holds_the_report_pages_of_every_locale(app) -> None:
    from riskedu.offline.pack import page_urls

    with app.test_request_context():
        for locale in LOCALES:
            urls = page_urls(locale)
            assert f"/{locale}/report" in urls
            assert f"/{locale}/reports/mine" in urls


def test_my_reports_page_carries_what_its_script_needs(client) -> None:
    html = client.get("/ar/reports/mine").text
    config = re.search(r'<script type="application/json" id="report-config">(.*?)</script>', html, re.S)
    assert config
    assert '"smsNumber": "+994000000000"' in config.group(1)
    assert '"smsAfterMinutes": 30' in config.group(1)


# --- posting without JavaScript -------------------------------------------------------------------------


def test_a_report_posted_without_javascript_is_stored_and_the_receipt_shown(client, db) -> None:
    response = post(client, good_form(), locale="az")
    assert response.status_code == 303
    receipt_url = response.headers["Location"]
    report_id = receipt_url.rsplit("/", 1)[1]
    assert receipt_url == f"/az/reports/{report_id}"
    stored = db.get(HazardReport, report_id)
    assert (stored.channel, stored.locale, stored.what, stored.count) == ("form", "az", ["mine", "shell"], 2)
    assert (stored.injured, stored.urgent, stored.reporter_phone) == (0, False, "+994 50 123 45 67")
    page = client.get(receipt_url)
    assert page.status_code == 200
    receipt = db.get(SyncItem, report_id).receipt
    assert f"data-receipt>{receipt}</p>" in page.text
    assert "Between the school" not in page.text  # the receipt page tells nothing of the report


def test_someone_hurt_puts_the_call_first_on_the_receipt(client, db) -> None:
    response = post(client, good_form(hurt="yes", injured="3"))
    page = client.get(response.headers["Location"]).text
    main = page[page.index("<main") :]
    assert main.index('href="tel:112"') < main.index("data-receipt")
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    assert db.get(HazardReport, report_id).urgent


def test_a_time_typed_in_is_read_in_the_deployments_zone(client, db) -> None:
    response = post(client, good_form(when="earlier", observed_at="2026-11-20T08:30"))
    stored = db.get(HazardReport, response.headers["Location"].rsplit("/", 1)[1])
    assert stored.observed_at.isoformat() == "2026-11-20T04:30:00+00:00"


def test_a_photo_from_a_camera_is_shrunk_and_kept_without_position_for_everyone(app, client, db) -> None:
    response = post(client, good_form(), photo=jpeg_with_gps(size=(3200, 2400)))
    assert response.status_code == 303
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    [photo] = db.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report_id)).all()
    assert max(photo.width, photo.height) == 1600
    assert not has_gps(media_storage(app).read(photo.public_key))


def test_a_photo_over_the_apps_request_limit_is_taken_and_shrunk(app, client, db) -> None:
    noise = Image.frombytes("RGB", (1800, 1800), os.urandom(1800 * 1800 * 3))
    camera = io.BytesIO()
    noise.save(camera, format="JPEG", quality=95)
    assert camera.tell() > app.config["MAX_CONTENT_LENGTH"]  # what a camera sends, bigger than the API takes
    response = post(client, good_form(), photo=camera.getvalue())
    assert response.status_code == 303, response.text
    photo = db.scalars(select(ReportPhoto)).one()
    assert photo.byte_size <= 400 * 1024
    assert max(photo.width, photo.height) <= 1600


def test_a_small_photo_is_kept_as_it_was_for_operators(app, client, db) -> None:
    original = jpeg_with_gps()
    response = post(client, good_form(), photo=original)
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    photo = db.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report_id)).one()
    assert media_storage(app).read(photo.original_key) == original


# --- problems: shown in words, input kept, nothing stored ------------------------------------------------


def problems_on(page: str) -> list[str]:
    return re.findall(r'<p class="field-error" id="[a-z_]+-error">(.*?)</p>', page)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"what": None}, "what", "choose at least one"),
        ({"place": None}, "place", "describe the place, or give a position"),
        ({"place": "x" * 501}, "place", "at most 500 characters"),
        ({"description": "x" * 2001}, "description", "at most 2000 characters"),
        ({"count": "0"}, "count", "must be at least 1"),
        ({"count": "lots"}, "count", "must be a whole number"),
        ({"when": "earlier", "observed_at": "2099-01-01T10:00"}, "observed_at", "must not be in the future"),
        ({"when": "earlier", "observed_at": ""}, "observed_at", "is required"),
        ({"lat": "123.4", "lon": "46.7", "location_source": "gps"}, "location", "must be at most 90"),
        ({"lat": "39.7", "lon": "-500"}, "location", "must be at least -180"),
        ({"reporter_phone": "<b>050 123</b>"}, "reporter_phone", "must be a phone number"),
        ({"reporter_name": "n" * 101}, "reporter_name", "at most 100 characters"),
        ({"what": ["mine", "kaboom"]}, "what", "must be"),
        ({"hurt": "yes", "injured": "-2"}, "injured", "must be at least 0"),
    ],
)
def test_every_problem_is_shown_by_its_field_and_nothing_is_stored(client, db, changes, field, words) -> None:
    response = post(client, good_form(**changes))
    assert response.status_code == 422
    page = response.text
    assert f'id="{field}-error"' in page
    assert any(words in message for message in problems_on(page)), problems_on(page)
    assert "Some answers need fixing" in page
    assert reports_count(db) == 0


def test_markup_in_every_text_field_is_kept_and_shown_as_text(client, db) -> None:
    form = good_form(
        what=None,  # one problem, so the form comes back with everything typed
        place=HOSTILE,
        description=HOSTILE,
        reporter_name=HOSTILE,
        reporter_phone=HOSTILE,
        count=HOSTILE,
        observed_at=HOSTILE,
        when="earlier",
    )
    page = post(client, form).text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert page.count(escaped) >= 5
    assert reports_count(db) == 0


def test_markup_is_stored_exactly_as_given_when_the_report_is_valid(client, db) -> None:
    response = post(client, good_form(place=HOSTILE, description=HOSTILE, reporter_name=HOSTILE))
    assert response.status_code == 303
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    stored = db.get(HazardReport, report_id)
    assert (stored.place, stored.description, stored.reporter_name) == (HOSTILE, HOSTILE, HOSTILE)


@pytest.mark.parametrize(
    "photo",
    [
        b"GIF89a but really a script: <script>alert(1)</script>",
        image_bytes("JPEG")[:150],  # a broken image
        image_bytes("GIF"),
    ],
)
def test_a_file_that_is_not_a_usable_photo_is_refused_and_nothing_stored(app, client, db, photo) -> None:
    response = post(client, good_form(place="by the old mill"), photo=photo, filename="photo.jpg")
    assert response.status_code == 422
    assert "This file is not a photo that can be used" in response.text
    assert "by the old mill" in response.text
    assert reports_count(db) == 0
    assert db.scalar(select(func.count()).select_from(ReportPhoto)) == 0


def test_problems_are_in_the_pages_language(client) -> None:
    page = post(client, good_form(what=None), locale="ar").text
    assert 'lang="ar"' in page
    assert 'dir="rtl"' in page
    assert len(problems_on(page)) == 1


def test_an_empty_photo_field_is_no_photo(client, db) -> None:
    response = post(client, good_form(), photo=b"", filename="")
    assert response.status_code == 303
    assert db.scalar(select(func.count()).select_from(ReportPhoto)) == 0


def test_a_receipt_page_for_no_report_is_not_found(client) -> None:
    assert client.get("/en/reports/6f1d2c3a-9b8e-4d7f-a6c5-1e2d3c4b5a69").status_code == 404
    assert client.get("/en/reports/not-an-id").status_code == 404


def test_the_stored_photo_opens_as_an_image(app, client, db) -> None:
    response = post(client, good_form(), photo=image_bytes("PNG"), filename="x.png")
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    photo = db.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report_id)).one()
    Image.open(io.BytesIO(media_storage(app).read(photo.public_key))).verify()
