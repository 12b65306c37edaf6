"""Teacher pages under ``/<locale>/teach/`` (classes, join codes, the class dashboard, a page per learner, CSV
exports, recorded sessions and the beneficiary summary), and the learner's join page ``/<locale>/join``.

Every teacher page finds a class only together with its teacher (``_own_class``): another teacher's class is
a 404, exactly like a class that does not exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import Response, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import format_date, lazy_gettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from riskedu.accounts.models import User
from riskedu.accounts.signin import current_user, teacher_required
from riskedu.content import content_catalog
from riskedu.database import db_session
from riskedu.i18n import available_locales, locale_codes
from riskedu.teaching import queries, services
from riskedu.teaching.beneficiaries import (
    AGE_GROUPS,
    MAX_PEOPLE_PER_GROUP,
    METHODS,
    SEXES,
    Summary,
    count_field,
    read_filters,
    summarise,
)
from riskedu.teaching.catalog_texts import CatalogTexts
from riskedu.teaching.charts import ChartPoint, LineChart, line_chart
from riskedu.teaching.dashboard import (
    Attempt,
    Learner,
    LearnerSummary,
    WeekPoint,
    labels,
    learner_summaries,
    question_difficulty,
    quiz_overview,
    weekly_progress,
)
from riskedu.teaching.exports import csv_bytes
from riskedu.teaching.join_codes import spaced
from riskedu.teaching.models import SchoolClass
from riskedu.teaching.qr import join_qr_svg
from riskedu.web.localized import localized_blueprint

teaching = localized_blueprint("teaching", __name__, template_folder="templates")
joining = localized_blueprint("joining", __name__, template_folder="templates")

DIFFICULT_QUESTIONS_SHOWN = 10
AGE_GROUP_NAMES = {
    "0-5": lazy_gettext("0–5 years"),
    "6-11": lazy_gettext("6–11 years"),
    "12-17": lazy_gettext("12–17 years"),
    "18-59": lazy_gettext("18–59 years"),
    "60+": lazy_gettext("60 years and over"),
}
SEX_NAMES = {"female": lazy_gettext("Female"), "male": lazy_gettext("Male")}
METHOD_NAMES = {
    "face_to_face": lazy_gettext("Face-to-face session"),
    "face_to_face_with_app": lazy_gettext("Face-to-face session with the app"),
    "app_only": lazy_gettext("The app only, without a session"),
}
PROBLEMS = {
    "required": lazy_gettext("Fill this in."),
    "too_long": lazy_gettext("This is too long."),
    "bad_date": lazy_gettext("Choose a date that is not in the future."),
    "bad_count": lazy_gettext("Type a whole number from 0 to %(max)s.", max=MAX_PEOPLE_PER_GROUP),
    "no_people": lazy_gettext("Type how many people took part, in at least one group."),
}


@teaching.after_request
def never_cache(response: Response) -> Response:
    # Children's nicknames and scores: never kept by the browser, a proxy or the offline pack.
    response.headers["Cache-Control"] = "no-store"
    return response


def _me() -> User:
    user = current_user()
    assert user is not None, "views here are all behind teacher_required"
    return user


def _own_class(class_id: str) -> SchoolClass:
    school_class = queries.class_of_teacher(db_session(), class_id, _me().id)
    if school_class is None:
        abort(404)
    return school_class


def _texts() -> CatalogTexts:
    return CatalogTexts(content_catalog(), g.locale)


def _locale_names() -> dict[str, str]:
    return {locale.code: locale.name for locale in available_locales()}


# --- classes ----------------------------------------------------------------------------------------------


@teaching.get("/teach/")
@teacher_required
def class_list() -> str:
    return render_template(
        "teaching/classes.html", classes=queries.classes_of(db_session(), _me().id), spaced=spaced
    )


def _class_form(template: str, values: dict[str, str], problems: dict[str, str], **context: object) -> str:
    return render_template(
        template,
        values=values,
        problems={field: PROBLEMS[problem] for field, problem in problems.items()},
        locale_names=_locale_names(),
        **context,
    )


@teaching.route("/teach/classes/new", methods=["GET", "POST"])
@teacher_required
def new_class() -> str | BaseResponse:
    if request.method == "POST":
        details, problems = services.read_class_details(request.form, locale_codes())
        if not problems:
            created = services.create_class(db_session(), _me(), details)
            return redirect(url_for("teaching.join_code_page", class_id=created.id))
        return _class_form("teaching/class_form.html", request.form.to_dict(), problems, school_class=None)
    return _class_form("teaching/class_form.html", {"language": g.locale}, {}, school_class=None)


@teaching.route("/teach/classes/<class_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_class(class_id: str) -> str | BaseResponse:
    school_class = _own_class(class_id)
    if request.method == "POST":
        details, problems = services.read_class_details(request.form, locale_codes())
        if not problems:
            services.update_class(db_session(), _me(), school_class, details)
            return redirect(url_for("teaching.dashboard", class_id=school_class.id))
        return _class_form(
            "teaching/class_form.html", request.form.to_dict(), problems, school_class=school_class
        )
    values = {name: getattr(school_class, name) for name in ("name", "school", "place", "grade", "language")}
    return _class_form("teaching/class_form.html", values, {}, school_class=school_class)


def _join_url(school_class: SchoolClass) -> str:
    return url_for(
        "joining.join_page", locale=school_class.language, code=school_class.join_code, _external=True
    )


@teaching.get("/teach/classes/<class_id>/code")
@teacher_required
def join_code_page(class_id: str) -> str:
    school_class = _own_class(class_id)
    return render_template(
        "teaching/join_code.html",
        school_class=school_class,
        spaced_code=spaced(school_class.join_code),
        join_url=_join_url(school_class),
        join_path=url_for("joining.join_page", locale=school_class.language),
    )


@teaching.get("/teach/classes/<class_id>/qr.svg")
@teacher_required
def join_qr(class_id: str) -> Response:
    school_class = _own_class(class_id)
    svg = join_qr_svg(_join_url(school_class), title=spaced(school_class.join_code))
    response = Response(svg, mimetype="image/svg+xml")
    # Opened on its own, the picture may do nothing at all.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- the dashboard -----------------------------------------------------------------------------------------


@dataclass
class ClassResults:
    learners: list[Learner]
    summaries: list[LearnerSummary]
    attempts: list[Attempt]


def _class_results(school_class: SchoolClass) -> ClassResults:
    session = db_session()
    learners = queries.learners_of(session, school_class.join_code)
    attempts = queries.attempts_of_class(session, school_class.join_code)
    completions = queries.completions_of_class(session, school_class.join_code)
    return ClassResults(learners, learner_summaries(learners, attempts, completions), attempts)


def _week_label(start: dt.date) -> str:
    return format_date(start, "d MMM")


def _progress_chart(attempts: Sequence[Attempt]) -> tuple[LineChart | None, list[WeekPoint]]:
    weeks = weekly_progress(attempts)
    points = [
        ChartPoint(
            label=_week_label(week.start),
            value=week.average_percent,
            description=_(
                "Week of %(date)s: average score %(percent)s%%, %(attempts)s quizzes taken",
                date=_week_label(week.start),
                percent=week.average_percent,
                attempts=week.attempts,
            ),
        )
        for week in weeks
    ]
    return (line_chart(points) if weeks else None), weeks


@teaching.get("/teach/classes/<class_id>/")
@teacher_required
def dashboard(class_id: str) -> str:
    school_class = _own_class(class_id)
    results = _class_results(school_class)
    session = db_session()
    difficulty = question_difficulty(
        *queries.answer_stats_of_class(session, school_class.join_code), limit=DIFFICULT_QUESTIONS_SHOWN
    )
    chart, weeks = _progress_chart(results.attempts)
    return render_template(
        "teaching/dashboard.html",
        school_class=school_class,
        spaced_code=spaced(school_class.join_code),
        summaries=results.summaries,
        quizzes=quiz_overview(results.summaries),
        difficulty=difficulty,
        chart=chart,
        weeks=weeks,
        week_label=_week_label,
        texts=_texts(),
        locale_names=_locale_names(),
        method_names=METHOD_NAMES,
        sessions=queries.sessions_of_class(session, school_class.id),
        exports=EXPORTS,
    )


@teaching.get("/teach/classes/<class_id>/learners/<learner_id>")
@teacher_required
def learner_page(class_id: str, learner_id: str) -> str:
    school_class = _own_class(class_id)
    session = db_session()
    learner = queries.learner_of(session, school_class.join_code, learner_id)
    if learner is None:
        abort(404)
    (summary,) = learner_summaries(
        [learner],
        queries.attempts_of_learner(session, learner.id),
        queries.completions_of_learner(session, learner.id),
    )
    # A nickname used twice in the class gets a short id: the label depends on the whole class.
    summary.label = labels(queries.learners_of(session, school_class.join_code))[learner.id]
    return render_template(
        "teaching/learner.html",
        school_class=school_class,
        summary=summary,
        attempts=queries.attempt_details_of_learner(session, learner.id),
        texts=_texts(),
    )


# --- CSV exports -------------------------------------------------------------------------------------------

EXPORTS = {
    "learners": lazy_gettext("Learners: lessons finished and average scores"),
    "quizzes": lazy_gettext("Quiz scores per learner: first try and best"),
    "questions": lazy_gettext("Questions: how often each was answered wrong, and with what"),
    "attempts": lazy_gettext("Every quiz attempt"),
    "answers": lazy_gettext("Every answer to every question"),
    "lessons": lazy_gettext("Lessons finished, with the date"),
    "progress": lazy_gettext("Progress week by week"),
}


def _percent(value: int | None) -> int | str:
    return "" if value is None else value


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _csv_table(school_class: SchoolClass, table: str) -> tuple[list[str], Iterable[Sequence[object]]]:
    texts = _texts()
    session = db_session()
    if table == "questions":
        ranked = question_difficulty(*queries.answer_stats_of_class(session, school_class.join_code))
        return [
            _("Quiz"),
            _("Question"),
            _("Answers"),
            _("Wrong"),
            _("Wrong (%)"),
            _("Wrong answers chosen"),
        ], [
            [
                texts.quiz_title(q.quiz_id),
                texts.question_prompt(q.quiz_id, q.question_id),
                q.answered,
                q.wrong,
                q.wrong_percent,
                "; ".join(
                    f"{_choice_list(texts, q.quiz_id, q.question_id, chosen)} ({count})"
                    for chosen, count in q.wrong_answers
                ),
            ]
            for q in ranked
        ]
    # Every other table is about learners.
    results = _class_results(school_class)
    if table == "learners":
        return [
            _("Nickname"),
            _("Joined"),
            _("Lessons finished"),
            _("Quizzes taken"),
            _("Average first try (%)"),
            _("Average best (%)"),
            _("Last active"),
        ], [
            [
                s.label,
                s.learner.enrolled_at,
                len(s.lessons_completed),
                len(s.quizzes),
                _percent(s.first_average),
                _percent(s.best_average),
                s.last_active,
            ]
            for s in results.summaries
        ]
    if table == "quizzes":
        return [
            _("Nickname"),
            _("Quiz"),
            _("Attempts"),
            _("First try (%)"),
            _("Best (%)"),
            _("Passed"),
            _("First try on"),
            _("Last try on"),
        ], [
            [
                s.label,
                texts.quiz_title(r.quiz_id),
                r.attempts,
                r.first_percent,
                r.best_percent,
                _yes_no(r.passed),
                r.first_at,
                r.last_at,
            ]
            for s in results.summaries
            for r in sorted(s.quizzes.values(), key=lambda r: r.quiz_id)
        ]
    names = {s.learner.id: s.label for s in results.summaries}
    if table == "attempts":
        return [_("Nickname"), _("Quiz"), _("Finished"), _("Score (%)"), _("Passed")], [
            [names[a.learner_id], texts.quiz_title(a.quiz_id), a.finished_at, a.percent, _yes_no(a.passed)]
            for a in results.attempts
        ]
    if table == "answers":
        return [_("Nickname"), _("Finished"), _("Quiz"), _("Question"), _("Answer chosen"), _("Right")], [
            [
                names[a.learner_id],
                a.finished_at,
                texts.quiz_title(a.quiz_id),
                texts.question_prompt(a.quiz_id, a.question_id),
                _choice_list(texts, a.quiz_id, a.question_id, a.chosen),
                _yes_no(a.correct),
            ]
            for a in queries.answers_of_class(session, school_class.join_code)
        ]
    if table == "lessons":
        return [_("Nickname"), _("Lesson"), _("Finished")], [
            [s.label, texts.lesson_title(lesson_id), at]
            for s in results.summaries
            for lesson_id, at in sorted(s.lessons_completed.items(), key=lambda item: item[1])
        ]
    assert table == "progress"
    return [_("Week starting"), _("Quizzes taken"), _("Learners active"), _("Average score (%)")], [
        [week.start, week.attempts, week.learners, _percent(week.average_percent)]
        for week in weekly_progress(results.attempts)
    ]


def _choice_list(texts: CatalogTexts, quiz_id: str, question_id: str, chosen: Sequence[str]) -> str:
    if not chosen:
        return _("(no answer)")
    return " + ".join(texts.choice_texts(quiz_id, question_id, chosen))


def _csv_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    # ASCII file names: the class name may be in any script, and old browsers mangle encoded names.
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@teaching.get("/teach/classes/<class_id>/export/<any(" + ",".join(EXPORTS) + "):table>.csv")
@teacher_required
def export_csv(class_id: str, table: str) -> Response:
    school_class = _own_class(class_id)
    header, rows = _csv_table(school_class, table)
    return _csv_response(csv_bytes(header, rows), f"class-{school_class.join_code}-{table}.csv")


# --- recorded sessions and the beneficiary summary --------------------------------------------------------


def _organisation() -> str:
    # Recorded in the deployment's main language, so one organisation has one name across every session.
    names = content_catalog().site.organisation
    return names.get(current_app.config["DEFAULT_LOCALE"]) or next(iter(names.values()), "")


@teaching.route("/teach/classes/<class_id>/sessions/new", methods=["GET", "POST"])
@teacher_required
def new_session(class_id: str) -> str | BaseResponse:
    school_class = _own_class(class_id)
    values: dict[str, str] = {
        "held_on": dt.date.today().isoformat(),
        "place": school_class.place,
        "method": "face_to_face_with_app",
    }
    problems: dict[str, str] = {}
    if request.method == "POST":
        details, problems = services.read_session_details(request.form, dt.date.today())
        if not problems:
            services.record_session(db_session(), _me(), school_class, details, _organisation())
            return redirect(url_for("teaching.dashboard", class_id=school_class.id, _anchor="sessions"))
        values = request.form.to_dict()
    return render_template(
        "teaching/session_form.html",
        school_class=school_class,
        values=values,
        problems={field: PROBLEMS[problem] for field, problem in problems.items()},
        organisation=_organisation(),
        age_groups=AGE_GROUPS,
        sexes=SEXES,
        count_field=count_field,
        age_group_names=AGE_GROUP_NAMES,
        sex_names=SEX_NAMES,
        methods=METHODS,
        method_names=METHOD_NAMES,
        max_people=MAX_PEOPLE_PER_GROUP,
    )


@teaching.post("/teach/classes/<class_id>/sessions/<session_id>/delete")
@teacher_required
def delete_session(class_id: str, session_id: str) -> BaseResponse:
    school_class = _own_class(class_id)
    recorded = queries.session_of_class(db_session(), school_class.id, session_id)
    if recorded is None:
        abort(404)
    services.delete_session(db_session(), _me(), school_class, recorded)
    return redirect(url_for("teaching.dashboard", class_id=school_class.id, _anchor="sessions"))


def _summary() -> tuple[Summary, list[str]]:
    me = _me()
    # Administrators see every class's sessions; a teacher sees their own.
    scope = None if me.is_admin else me.id
    session = db_session()
    places = queries.session_places(session, scope)
    filters = read_filters(request.args, places)
    return summarise(queries.headcount_rows(session, scope), filters), places


@teaching.get("/teach/summary")
@teacher_required
def summary() -> str:
    result, places = _summary()
    return render_template(
        "teaching/summary.html",
        summary=result,
        places=places,
        age_groups=AGE_GROUPS,
        sexes=SEXES,
        age_group_names=AGE_GROUP_NAMES,
        sex_names=SEX_NAMES,
        method_names=METHOD_NAMES,
        everyone=_me().is_admin,
        csv_url=url_for("teaching.summary_csv", **request.args.to_dict()),
    )


@teaching.get("/teach/summary.csv")
@teacher_required
def summary_csv() -> Response:
    result, _places = _summary()
    cells = [(age, sex) for age in result.filters.age_groups for sex in result.filters.sexes]
    whole = len(cells) == len(AGE_GROUPS) * len(SEXES)
    # Column names stay the same in every language: national databases and donors' templates read them.
    header = ["location", "country", "date", "organisation", "method", "class"]
    header += [count_field(age, sex) for age, sex in cells]
    if whole:
        header += ["girls", "boys", "women", "men"]
    header.append("total")
    country = content_catalog().site.country
    rows = []
    for s in result.sessions:
        row: list[object] = [s.place, country, s.held_on, s.organisation, s.method, s.class_name]
        row += [s.cells.get(cell, 0) for cell in cells]
        if whole:
            row += [s.girls, s.boys, s.women, s.men]
        row.append(s.people(result.filters.sexes, result.filters.age_groups))
        rows.append(row)
    return _csv_response(csv_bytes(header, rows), "beneficiaries.csv")


# --- the learner's join page --------------------------------------------------------------------------------


@joining.get("/join")
def join_page() -> str:
    # The same bytes for everyone (it is in the offline pack): the code from the QR link is read by the
    # page's script from the address, not written in here.
    return render_template("teaching/join.html", words=join_words())


def join_words() -> dict[str, str]:
    """What static/js/join.js says, in the page's language."""
    return {
        "codeShape": _("The code has 6 letters and digits, without 0, O, 1 or I."),
        "nicknameEmpty": _("Choose a nickname."),
        "nicknameTooLong": _("Use at most 40 characters."),
        "nicknamePrivate": _("Use a nickname: no e-mail address and no phone number."),
        "waiting": _(
            "Saved on this phone. You join class %(code)s as %(nickname)s when the phone connects.",
            code="{code}",
            nickname="{nickname}",
        ),
        "joined": _("You are in the class %(name)s as %(nickname)s.", name="{name}", nickname="{nickname}"),
        "attention": _(
            "Joining did not work: %(message)s Check the code with your teacher and join again.",
            message="{message}",
        ),
    }
