"""A teacher runs a class from creation to CSV export; learners' phones send their work later, through the
real sync API, and it shows on the dashboard."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from riskedu.content import content_catalog
from riskedu.offline.pack import page_urls
from riskedu.teaching.models import SchoolClass
from riskedu.teaching.qr import join_qr_svg
from tests.test_teaching_support import (
    a_wrong_choice,
    attempt_item,
    enrollment_item,
    lesson_item,
    make_class,
    make_user,
    moment,
    new_id,
    post_form,
    right_answers,
    send,
    sign_in,
)


@pytest.fixture
def catalog(app):
    with app.app_context():
        return content_catalog()


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "no byte order mark: spreadsheets would guess the encoding"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def row_of(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]


def test_a_teacher_runs_a_class_from_creation_to_csv_export(client, db, catalog) -> None:
    teacher = make_user(db)
    sign_in(client, teacher)

    # 1. The class, and its join code and QR code.
    made = post_form(
        client,
        "/en/teach/classes/new",
        {"name": "5B", "school": "Məktəb 3", "place": "Ağdam", "grade": "5", "language": "az"},
    )
    assert made.status_code == 302
    school_class = db.scalar(select(SchoolClass).where(SchoolClass.teacher_id == teacher.id))
    code = school_class.join_code
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)
    assert made.headers["Location"] == f"/en/teach/classes/{school_class.id}/code"
    sheet = client.get(made.headers["Location"]).text
    assert f"{code[:3]} {code[3:]}" in sheet
    join_url = f"http://localhost/az/join?code={code}"
    assert join_url in sheet
    qr = client.get(f"/en/teach/classes/{school_class.id}/qr.svg")
    assert qr.headers["Content-Type"].startswith("image/svg+xml")
    assert qr.get_data() == join_qr_svg(join_url, title=f"{code[:3]} {code[3:]}")
    assert b"<script" not in qr.get_data()
    assert b"style=" not in qr.get_data()

    # 2. Phones send what learners did, some of it offline days ago.
    aysel, leyla = new_id(), new_id()
    results = send(
        client,
        enrollment_item(code.lower(), "Aysel", aysel),
        enrollment_item(code, "Leyla", leyla),
        enrollment_item("ZZZZZZ", "Lost"),
    )
    assert [result["status"] for result in results] == ["stored", "stored", "invalid"]
    assert results[0]["class_name"] == "5B"
    assert results[2]["errors"] == [{"field": "data.class_code", "message": "no class has this code"}]

    lessons = catalog.lessons_in_order("az")
    quiz = catalog.quiz("az", lessons[0].quiz_id)
    first_question = quiz.questions[0]
    one_wrong = {**right_answers(quiz), first_question.id: a_wrong_choice(first_question)}
    total = len(quiz.questions)
    first_try = round(100 * (total - 1) / total)
    send(
        client,
        attempt_item(quiz, aysel, moment(days_ago=15), answers=one_wrong),
        attempt_item(quiz, aysel, moment(days_ago=14)),
        attempt_item(quiz, leyla, moment(days_ago=1), answers=one_wrong),
        attempt_item(quiz, None, moment(days_ago=1)),  # before joining: belongs to nobody's class
        lesson_item(lessons[0].id, aysel, moment(days_ago=16)),
        lesson_item(lessons[1].id, aysel, moment(days_ago=2)),
        lesson_item(lessons[0].id, leyla, moment(days_ago=1)),
    )

    # 3. The dashboard.
    page = client.get(f"/en/teach/classes/{school_class.id}/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = page.text
    aysel_row = row_of(text, f'data-learner="{aysel}"')
    assert "Aysel" in aysel_row
    assert "2 of 11" in aysel_row
    assert f"<td data-first>{first_try}%</td>" in aysel_row
    assert "<td data-best>100%</td>" in aysel_row
    leyla_row = row_of(text, f'data-learner="{leyla}"')
    assert "1 of 11" in leyla_row
    assert f"<td data-best>{first_try}%</td>" in leyla_row
    assert "Lost" not in text
    english = catalog.quiz("en", quiz.id)
    assert english.title in text  # titles in the dashboard's language, whatever the phone's
    difficult = text[text.index('id="questions"') : text.index('id="progress"')]
    assert english.questions[0].prompt.replace("'", "&#39;").replace('"', "&#34;") in difficult
    wrong_text = next(
        c.text for c in english.questions[0].choices if c.id == a_wrong_choice(first_question)[0]
    )
    assert wrong_text.replace("'", "&#39;") in difficult
    assert "Wrong 2 times out of 3 (67%)" in difficult
    progress = text[text.index('id="progress"') : text.index('id="sessions"')]
    assert '<svg class="chart"' in progress
    assert "<polyline" in progress

    learner = client.get(f"/en/teach/classes/{school_class.id}/learners/{aysel}")
    assert learner.status_code == 200
    assert "<h1>Aysel</h1>" in learner.text
    assert "2 of 11" in learner.text
    assert english.title in learner.text

    # 4. Everything as CSV.
    exports = {
        table: read_csv(client.get(f"/en/teach/classes/{school_class.id}/export/{table}.csv"))
        for table in ("learners", "quizzes", "questions", "attempts", "answers", "lessons", "progress")
    }
    learners = {row[0]: row for row in exports["learners"][1:]}
    assert set(learners) == {"Aysel", "Leyla"}
    assert learners["Aysel"][2:6] == ["2", "1", str(first_try), "100"]
    scores = {row[0]: row for row in exports["quizzes"][1:]}
    assert scores["Aysel"][1:6] == [english.title, "2", str(first_try), "100", "Yes"]
    assert scores["Leyla"][5] == ("Yes" if first_try >= quiz.pass_percent else "No")
    assert exports["questions"][1][1] == english.questions[0].prompt
    assert exports["questions"][1][2:5] == ["3", "2", "67"]
    assert len(exports["attempts"]) == 1 + 3
    assert len(exports["answers"]) == 1 + 3 * total
    assert sorted(row[0] for row in exports["lessons"][1:]) == ["Aysel", "Aysel", "Leyla"]
    assert [row[1] for row in exports["progress"][1:] if row[1] != "0"] == ["2", "1"]


def test_csv_keeps_arabic_and_azerbaijani_intact_and_defuses_formulas(client, db, catalog) -> None:
    teacher = make_user(db)
    school_class = make_class(db, teacher, name="الصف الخامس", language="ar")
    sign_in(client, teacher, locale="ar")
    quiz = catalog.quiz("ar", catalog.lessons_in_order("ar")[0].quiz_id)
    learners = {"ليلى": new_id(), "Şəbnəm": new_id(), "=HYPERLINK(1)": new_id()}
    send(
        client,
        *(enrollment_item(school_class.join_code, name, learner) for name, learner in learners.items()),
        *(attempt_item(quiz, learner, moment(days_ago=1)) for learner in learners.values()),
        locale="ar",
    )
    rows = read_csv(client.get(f"/ar/teach/classes/{school_class.id}/export/quizzes.csv"))
    names = {row[0] for row in rows[1:]}
    assert names == {"ليلى", "Şəbnəm", "'=HYPERLINK(1)"}
    assert {row[1] for row in rows[1:]} == {quiz.title}


def test_a_learner_page_of_another_class_is_not_found(client, db) -> None:
    teacher = make_user(db)
    first, second = make_class(db, teacher), make_class(db, teacher, name="6A")
    learner = new_id()
    send(client, enrollment_item(second.join_code, "Aysel", learner))
    sign_in(client, teacher)
    assert client.get(f"/en/teach/classes/{second.id}/learners/{learner}").status_code == 200
    assert client.get(f"/en/teach/classes/{first.id}/learners/{learner}").status_code == 404


def test_two_learners_with_one_nickname_are_told_apart(client, db) -> None:
    teacher = make_user(db)
    school_class = make_class(db, teacher)
    ids = [new_id(), new_id()]
    send(client, *(enrollment_item(school_class.join_code, "Aysel", learner) for learner in ids))
    sign_in(client, teacher)
    page = client.get(f"/en/teach/classes/{school_class.id}/").text
    for learner in ids:
        assert f"Aysel · {learner[:4].upper()}" in page


def test_a_class_is_changed_but_keeps_its_code(client, db) -> None:
    teacher = make_user(db)
    school_class = make_class(db, teacher)
    sign_in(client, teacher)
    path = f"/en/teach/classes/{school_class.id}/edit"
    refused = post_form(client, path, {"name": "", "place": "Ağdam", "language": "az"})
    assert refused.status_code == 200
    assert "Fill this in." in refused.text
    saved = post_form(client, path, {"name": "6A", "place": "Füzuli", "language": "ru"})
    assert saved.status_code == 302
    db.refresh(school_class)
    assert (school_class.name, school_class.place, school_class.language) == ("6A", "Füzuli", "ru")
    assert (
        f"{school_class.join_code[:3]} {school_class.join_code[3:]}"
        in client.get(saved.headers["Location"]).text
    )


def test_sessions_are_recorded_and_summarised_for_gichd(client, db) -> None:
    teacher = make_user(db)
    school_class = make_class(db, teacher, place="Ağdam")
    other = make_class(db, teacher, name="6A", place="Füzuli")
    sign_in(client, teacher)
    form = f"/en/teach/classes/{school_class.id}/sessions/new"
    empty = post_form(client, form, {"held_on": "2026-10-01", "place": "Ağdam", "method": "face_to_face"})
    assert "Type how many people took part" in empty.text
    bad = post_form(
        client,
        form,
        {"held_on": "2026-10-01", "place": "Ağdam", "method": "face_to_face", "female_6_11": "-3"},
    )
    assert "Type a whole number from 0 to 10000." in bad.text
    saved = post_form(
        client,
        form,
        {
            "held_on": "2026-10-01",
            "place": "Ağdam",
            "method": "face_to_face_with_app",
            "female_6_11": "12",
            "male_6_11": "10",
            "female_18_59": "1",
        },
    )
    assert saved.status_code == 302
    post_form(
        client,
        f"/en/teach/classes/{other.id}/sessions/new",
        {
            "held_on": "2026-11-05",
            "place": "Füzuli",
            "method": "face_to_face",
            "female_12_17": "7",
            "male_12_17": "9",
        },
    )

    page = client.get("/en/teach/summary")
    assert 'data-total="39"' in page.text
    assert 'data-cell="6-11/female">12<' in page.text
    assert 'data-total="23"' in client.get("/en/teach/summary?place=Ağdam").text
    assert 'data-total="16"' in client.get("/en/teach/summary?from=2026-11-01&to=2026-11-30").text
    assert 'data-total="20"' in client.get("/en/teach/summary?sex=female").text
    assert 'data-total="16"' in client.get("/en/teach/summary?age=12-17").text
    assert 'data-total="0"' in client.get("/en/teach/summary?age=60%2B").text

    rows = read_csv(client.get("/en/teach/summary.csv"))
    header = rows[0]
    assert header[:6] == ["location", "country", "date", "organisation", "method", "class"]
    assert header[-5:] == ["girls", "boys", "women", "men", "total"]
    by_place = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    agdam = by_place["Ağdam"]
    assert agdam["date"] == "2026-10-01"
    assert agdam["country"] == "AZ"
    assert agdam["organisation"] == "riskedu demonstration deployment"
    assert (agdam["female_6_11"], agdam["male_6_11"], agdam["girls"], agdam["boys"], agdam["women"]) == (
        "12",
        "10",
        "12",
        "10",
        "1",
    )
    assert agdam["total"] == "23"
    assert by_place["Füzuli"]["total"] == "16"
    girls_only = read_csv(client.get("/en/teach/summary.csv?sex=female&age=6-11"))
    assert girls_only[0] == [
        "location",
        "country",
        "date",
        "organisation",
        "method",
        "class",
        "female_6_11",
        "total",
    ]
    assert [row[-1] for row in girls_only[1:]] == ["12"]

    # A session recorded by mistake is deleted.
    dashboard = client.get(f"/en/teach/classes/{school_class.id}/").text
    session_id = re.search(r"/sessions/([0-9a-f-]{36})/delete", dashboard).group(1)
    post_form(
        client,
        f"/en/teach/classes/{school_class.id}/sessions/{session_id}/delete",
        {},
        token_from=f"/en/teach/classes/{school_class.id}/",
    )
    assert 'data-total="16"' in client.get("/en/teach/summary").text


def test_teachers_see_only_their_own_sessions_and_administrators_everyone(app, db) -> None:
    first, second, admin = make_user(db), make_user(db), make_user(db, role="admin")
    for teacher, people in ((first, "5"), (second, "8")):
        school_class = make_class(db, teacher)
        client = app.test_client()
        sign_in(client, teacher)
        post_form(
            client,
            f"/en/teach/classes/{school_class.id}/sessions/new",
            {"held_on": "2026-10-01", "place": "Ağdam", "method": "face_to_face", "male_12_17": people},
        )
    totals = {}
    for person in (first, second, admin):
        client = app.test_client()
        sign_in(client, person)
        totals[person.role if person is admin else person.id] = re.search(
            r'data-total="(\d+)"', client.get("/en/teach/summary").text
        ).group(1)
    assert totals == {first.id: "5", second.id: "8", "admin": "13"}


def test_the_join_page_is_in_every_offline_pack_and_the_same_for_everyone(app, client) -> None:
    with app.test_request_context():
        for locale in ("en", "az", "ru", "ar"):
            assert f"/{locale}/join" in page_urls(locale)
    first = client.get("/az/join")
    second = app.test_client().get("/az/join")
    # Precached once for every visitor: no cookie, no per-visitor token; the code from the QR link is read by
    # the script (the precached page answers /az/join?code=… too).
    assert first.get_data() == second.get_data()
    assert "Set-Cookie" not in first.headers
    assert "csrf_token" not in first.text
    assert 'id="join-words"' in first.text
    assert "/static/js/join." in first.text
