"""The pure parts of teaching, without an app: join codes, the dashboard's arithmetic, the chart, CSV, and
beneficiary counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from riskedu.sync.schemas import CLASS_CODE_PATTERN
from riskedu.teaching.beneficiaries import (
    AGE_GROUPS,
    Filters,
    HeadcountRow,
    count_field,
    parse_headcounts,
    read_filters,
    summarise,
)
from riskedu.teaching.charts import ChartPoint, labelled_indices, line_chart
from riskedu.teaching.dashboard import (
    AnswerCount,
    Attempt,
    Completion,
    Learner,
    WrongChoiceCount,
    labels,
    learner_summaries,
    question_difficulty,
    quiz_overview,
    quiz_results,
    weekly_progress,
)
from riskedu.teaching.exports import csv_bytes, spreadsheet_cell
from riskedu.teaching.join_codes import JOIN_CODE_ALPHABET, new_join_code, spaced
from riskedu.teaching.services import read_class_details, read_session_details

UTC = dt.UTC


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, tzinfo=UTC)


# --- join codes -------------------------------------------------------------------------------------------


def test_join_codes_are_what_the_sync_protocol_accepts_and_avoid_look_alike_characters() -> None:
    codes = {new_join_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(re.fullmatch(CLASS_CODE_PATTERN, code) for code in codes)
    assert not set("01IO") & set(JOIN_CODE_ALPHABET)
    assert spaced("K7Q4M2") == "K7Q 4M2"


# --- the dashboard ----------------------------------------------------------------------------------------


def test_first_try_is_the_earliest_finished_and_best_the_highest_whatever_the_order() -> None:
    attempts = [
        Attempt("a", "quiz", at(3), 100, True),
        Attempt("a", "quiz", at(1), 40, False),
        Attempt("a", "quiz", at(2), 60, False),
        Attempt("b", "quiz", at(2), 80, True),
    ]
    results = quiz_results(attempts)
    assert (results[("a", "quiz")].first_percent, results[("a", "quiz")].best_percent) == (40, 100)
    assert (results[("a", "quiz")].attempts, results[("a", "quiz")].passed) == (3, True)
    assert (results[("b", "quiz")].first_percent, results[("b", "quiz")].best_percent) == (80, 80)


def test_learner_summaries_count_each_lesson_once_from_the_first_time_it_was_finished() -> None:
    learners = [Learner("a", "Aysel", at(1)), Learner("b", "Leyla", at(1))]
    completions = [
        Completion("a", "danger-signs", at(5)),
        Completion("a", "danger-signs", at(3)),
        Completion("a", "how-to-report", at(4)),
        Completion("stranger", "danger-signs", at(4)),  # not in this class
    ]
    attempts = [Attempt("a", "q1", at(2), 50, False), Attempt("a", "q2", at(6), 100, True)]
    aysel, leyla = learner_summaries(learners, attempts, completions)
    assert aysel.lessons_completed == {"danger-signs": at(3), "how-to-report": at(4)}
    assert (aysel.first_average, aysel.best_average, aysel.last_active) == (75, 75, at(6))
    assert (leyla.lessons_completed, leyla.first_average, leyla.last_active) == ({}, None, at(1))
    overview = quiz_overview([aysel, leyla])
    assert [(quiz.quiz_id, quiz.learners, quiz.passed) for quiz in overview] == [("q1", 1, 0), ("q2", 1, 1)]


def test_the_same_nickname_twice_is_told_apart_by_a_short_id() -> None:
    learners = [
        Learner("3f2a0000", "Aysel", at(1)),
        Learner("9c1d0000", "aysel", at(1)),
        Learner("x", "Leyla", at(1)),
    ]
    assert labels(learners) == {"3f2a0000": "Aysel · 3F2A", "9c1d0000": "aysel · 9C1D", "x": "Leyla"}


def test_difficult_questions_come_most_often_wrong_first_with_the_wrong_answers_chosen() -> None:
    counts = [
        AnswerCount("quiz", "easy", True, 9),
        AnswerCount("quiz", "easy", False, 1),
        AnswerCount("quiz", "hard", True, 1),
        AnswerCount("quiz", "hard", False, 3),
        AnswerCount("quiz", "perfect", True, 5),
    ]
    wrong = [
        WrongChoiceCount("quiz", "hard", ("touch",), 2),
        WrongChoiceCount("quiz", "hard", (), 1),
        WrongChoiceCount("quiz", "easy", ("walk-carefully",), 1),
    ]
    ranked = question_difficulty(counts, wrong)
    assert [question.question_id for question in ranked] == ["hard", "easy"]
    hard = ranked[0]
    assert (hard.answered, hard.wrong, hard.wrong_percent) == (4, 3, 75)
    assert hard.wrong_answers == ((("touch",), 2), ((), 1))
    assert question_difficulty(counts, wrong, limit=1) == ranked[:1]


def test_weekly_progress_keeps_quiet_weeks_so_the_chart_is_true_to_time() -> None:
    attempts = [
        Attempt("a", "q", dt.datetime(2026, 10, 5, tzinfo=UTC), 50, False),  # a Monday
        Attempt("b", "q", dt.datetime(2026, 10, 11, tzinfo=UTC), 70, False),  # the Sunday of that week
        Attempt("a", "q", dt.datetime(2026, 10, 21, tzinfo=UTC), 90, True),
    ]
    weeks = weekly_progress(attempts)
    assert [(w.start.isoformat(), w.attempts, w.learners, w.average_percent) for w in weeks] == [
        ("2026-10-05", 2, 2, 60),
        ("2026-10-12", 0, 0, None),
        ("2026-10-19", 1, 1, 90),
    ]
    assert weekly_progress([]) == []
    assert len(weekly_progress(attempts, max_weeks=2)) == 2


# --- the chart ----------------------------------------------------------------------------------------------


def test_the_chart_breaks_its_line_at_quiet_weeks_and_scales_percent_to_the_plot() -> None:
    points = [
        ChartPoint("w1", 0, "a"),
        ChartPoint("w2", 100, "b"),
        ChartPoint("w3", None, "c"),
        ChartPoint("w4", 50, "d"),
    ]
    chart = line_chart(points, width=400, height=200)
    assert len(chart.lines) == 2
    assert [dot.description for dot in chart.dots] == ["a", "b", "d"]
    zero, hundred, half = chart.dots
    assert zero.y == chart.bottom
    assert hundred.y == chart.top
    assert half.y == pytest.approx((chart.top + chart.bottom) / 2, abs=0.1)
    assert zero.x == chart.left
    assert half.x == chart.right
    assert [label for _, label in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]
    one = line_chart([ChartPoint("only", 40, "x")])
    assert one.dots[0].x == pytest.approx((one.left + one.right) / 2, abs=0.1)


@pytest.mark.parametrize(
    ("count", "expected"), [(0, []), (1, [0]), (5, [0, 1, 2, 3, 4]), (10, [0, 2, 4, 6, 8, 9])]
)
def test_axis_labels_stay_few_enough_to_read(count, expected) -> None:
    assert labelled_indices(count) == expected
    assert len(labelled_indices(52)) <= 6


# --- CSV --------------------------------------------------------------------------------------------------


def test_csv_has_a_byte_order_mark_and_arabic_round_trips() -> None:
    body = csv_bytes(["الاسم", "Ad"], [["ليلى", "Şəbnəm"], ["Иван", 3]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows == [["الاسم", "Ad"], ["ليلى", "Şəbnəm"], ["Иван", "3"]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        (-1, -1),
        (None, ""),
        (True, "1"),
        (dt.datetime(2026, 10, 5, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=4))), "2026-10-05 08:30:00"),
        (dt.date(2026, 10, 5), "2026-10-05"),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(value, cell) -> None:
    assert spreadsheet_cell(value) == cell


# --- forms and beneficiary counts ---------------------------------------------------------------------------


def test_class_details_are_trimmed_and_checked() -> None:
    details, problems = read_class_details(
        {"name": "  5B   morning ", "place": "", "school": "x" * 201, "language": "xx"}, ["en", "az"]
    )
    assert details.name == "5B morning"
    assert problems == {"place": "required", "school": "too_long", "language": "required"}


def test_session_details_need_a_date_not_in_the_future_a_place_a_method_and_people() -> None:
    today = dt.date(2026, 11, 21)
    details, problems = read_session_details(
        {
            "held_on": "2026-11-20",
            "place": " Ağdam ",
            "method": "face_to_face",
            "female_6_11": "12",
            "male_6_11": "",
        },
        today,
    )
    assert problems == {}
    assert (details.place, details.counts) == ("Ağdam", {("6-11", "female"): 12})
    _, problems = read_session_details(
        {"held_on": "2026-12-25", "method": "by pigeon", "male_60_plus": "x"}, today
    )
    assert problems == {
        "held_on": "bad_date",
        "place": "required",
        "method": "required",
        "male_60_plus": "bad_count",
    }
    _, problems = read_session_details({"held_on": "2026-11-20", "place": "A", "method": "app_only"}, today)
    assert problems == {"counts": "no_people"}


def test_headcount_fields_cover_every_age_group_and_sex() -> None:
    assert [count_field(age, "female") for age in AGE_GROUPS] == [
        "female_0_5",
        "female_6_11",
        "female_12_17",
        "female_18_59",
        "female_60_plus",
    ]
    counts, wrong = parse_headcounts({"male_0_5": "3", "male_6_11": "10001", "female_0_5": "0"})
    assert (counts, wrong) == ({("0-5", "male"): 3}, ["male_6_11"])


def row(session: str, day: int, place: str, age: str, sex: str, people: int) -> HeadcountRow:
    return HeadcountRow(
        session, dt.date(2026, 10, day), place, "Org", "face_to_face", "5B", "t@example.org", age, sex, people
    )


def test_the_summary_filters_by_place_dates_age_group_and_sex() -> None:
    rows = [
        row("s1", 1, "Ağdam", "6-11", "female", 12),
        row("s1", 1, "Ağdam", "6-11", "male", 10),
        row("s1", 1, "Ağdam", "18-59", "female", 1),
        row("s2", 20, "Füzuli", "12-17", "male", 9),
    ]
    everything = summarise(rows, Filters())
    assert everything.total == 32
    assert everything.by_place == {"Ağdam": 23, "Füzuli": 9}
    first = everything.sessions[1]
    assert (first.girls, first.boys, first.women, first.men, first.total) == (12, 10, 1, 0, 23)
    assert summarise(rows, Filters(place="Füzuli")).total == 9
    assert summarise(rows, Filters(date_from=dt.date(2026, 10, 2))).total == 9
    assert summarise(rows, Filters(date_to=dt.date(2026, 10, 1))).total == 23
    girls = summarise(rows, Filters(sex="female", age_group="6-11"))
    assert (girls.total, girls.cells, [s.session_id for s in girls.sessions]) == (
        12,
        {("6-11", "female"): 12},
        ["s1"],
    )


def test_unknown_filters_are_ignored_rather_than_refused() -> None:
    filters = read_filters(
        {"place": "Nowhere", "from": "yesterday", "age": "7-9", "sex": "x", "to": "2026-10-01"}, ["Ağdam"]
    )
    assert filters == Filters(date_to=dt.date(2026, 10, 1))
