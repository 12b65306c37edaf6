"""Signing in and out, setting a password from a link, and the administrator's page of accounts.

Every page here is under ``/<locale>/teach/`` (sign-in also at ``/<locale>/login``). Forms carry a CSRF token
(checked app-wide, riskedu/web/csrf.py); sign-in is rate-limited per address and per e-mail address."""

from __future__ import annotations

from flask import Response, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response as BaseResponse

from riskedu.accounts import services
from riskedu.accounts.models import ROLES, User
from riskedu.accounts.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_problem
from riskedu.accounts.queries import all_users, user_by_id
from riskedu.accounts.signin import (
    admin_required,
    current_user,
    safe_next,
    sign_in,
    sign_out,
    staff_required,
)
from riskedu.accounts.tokens import (
    INVITATION,
    MAX_AGE,
    RESET,
    make_password_link_token,
    password_fingerprint,
    read_password_link_token,
)
from riskedu.database import db_session
from riskedu.web.localized import localized_blueprint

# Sign-in has a blueprint of its own so that the rate limits (set on the blueprint) count nothing else.
signin = localized_blueprint("signin", __name__, template_folder="templates")
accounts = localized_blueprint("accounts", __name__, template_folder="templates")

ROLE_NAMES = {
    "teacher": lazy_gettext("Teacher"),
    "operator": lazy_gettext("Mine action operator"),
    "admin": lazy_gettext("Administrator"),
}
PROBLEMS = {
    "too_short": lazy_gettext("Use at least %(count)s characters.", count=PASSWORD_MIN_LENGTH),
    "too_long": lazy_gettext("Use at most %(count)s characters.", count=PASSWORD_MAX_LENGTH),
    "is_email": lazy_gettext("Do not use your e-mail address as your password."),
    "mismatch": lazy_gettext("The two passwords are not the same."),
    "bad_email": lazy_gettext("Enter an e-mail address such as name@example.org."),
    "email_taken": lazy_gettext("There is already an account with this e-mail address."),
    "bad_role": lazy_gettext("Choose a role."),
    "wrong_password": lazy_gettext("Your current password is not right."),
    "cannot_deactivate_self": lazy_gettext("You cannot deactivate your own account."),
}


@signin.after_request
@accounts.after_request
def never_cache(response: Response) -> Response:
    # Pages about people and passwords: never kept by the browser, a proxy or the offline pack.
    response.headers["Cache-Control"] = "no-store"
    return response


def home_for(user: User) -> str:
    if user.can_teach:
        return url_for("teaching.class_list")
    if user.role == "operator":
        return url_for("triage.queue")
    return url_for("accounts.account")


# --- signing in and out ---------------------------------------------------------------------------------


@signin.route("/login", methods=["GET", "POST"])
@signin.route("/teach/login", methods=["GET", "POST"])  # the first rule is the one url_for builds
def login() -> str | BaseResponse:
    already = current_user()
    if already is not None and request.method == "GET":
        return redirect(home_for(already))
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")[:320]
        password = request.form.get("password", "")[:PASSWORD_MAX_LENGTH]
        user = services.authenticate(db_session(), email, password)
        if user is not None:
            sign_in(user)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
        error = _("The e-mail address or the password is not right.")
    return render_template("accounts/login.html", error=error, email=email)


@accounts.post("/teach/logout")
def logout() -> BaseResponse:
    sign_out()
    return redirect(url_for("signin.login"))


# --- setting a password from a link ---------------------------------------------------------------------


def _user_for_link(token: str) -> tuple[User, str] | None:
    link = read_password_link_token(current_app.config["SECRET_KEY"], token)
    if link is None:
        return None
    user = user_by_id(db_session(), link.user_id)
    if user is None or not user.active or link.fingerprint != password_fingerprint(user.password_hash):
        return None
    return user, link.purpose


@accounts.route("/teach/password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> str | BaseResponse | tuple[str, int]:
    found = _user_for_link(token)
    if found is None:
        return render_template("accounts/link_invalid.html"), 410
    user, purpose = found
    problem = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password_again", ""):
            problem = "mismatch"
        else:
            problem = password_problem(password, user.email)
        if problem is None:
            services.set_password(db_session(), user, password)
            sign_in(user)
            return redirect(home_for(user))
    return render_template(
        "accounts/set_password.html",
        user=user,
        invitation=purpose == INVITATION,
        problem=PROBLEMS.get(problem or ""),
        min_length=PASSWORD_MIN_LENGTH,
    )


@accounts.route("/teach/account", methods=["GET", "POST"])
@staff_required()
def account() -> str | BaseResponse:
    user = current_user()
    assert user is not None
    problem = None
    if request.method == "POST":
        new = request.form.get("new_password", "")
        if new != request.form.get("new_password_again", ""):
            problem = "mismatch"
        else:
            try:
                services.change_own_password(db_session(), user, request.form.get("password", ""), new)
            except services.AccountError as error:
                problem = error.code
            else:
                # The session's fingerprint changed with the password: sign in again on this device only.
                sign_in(user)
                return redirect(url_for("accounts.account", changed=1))
    return render_template(
        "accounts/account.html",
        user=user,
        role_names=ROLE_NAMES,
        problem=PROBLEMS.get(problem or ""),
        changed=request.args.get("changed") == "1",
        min_length=PASSWORD_MIN_LENGTH,
    )


# --- the administrator's page ---------------------------------------------------------------------------


def _link_page(user: User, purpose: str) -> str:
    token = make_password_link_token(current_app.config["SECRET_KEY"], user.id, user.password_hash, purpose)
    return render_template(
        "accounts/link.html",
        user=user,
        link=url_for("accounts.set_password", token=token, locale=g.locale, _external=True),
        invitation=purpose == INVITATION,
        days=MAX_AGE[purpose].days,
    )


@accounts.get("/teach/admin/users")
@admin_required
def users() -> str:
    return _users_page()


def _users_page(problem: str | None = None, email: str = "", role: str = "teacher") -> str:
    return render_template(
        "accounts/users.html",
        users=all_users(db_session()),
        me=current_user(),
        roles=ROLES,
        role_names=ROLE_NAMES,
        problem=PROBLEMS.get(problem or ""),
        email=email,
        role=role,
    )


@accounts.post("/teach/admin/users")
@admin_required
def invite() -> str:
    acting = current_user()
    assert acting is not None
    email = request.form.get("email", "")[:320]
    role = request.form.get("role", "")
    try:
        user = services.invite(db_session(), acting, email, role)
    except services.AccountError as error:
        return _users_page(error.code, email, role)
    return _link_page(user, INVITATION)


def _managed_user(user_id: str) -> User:
    user = user_by_id(db_session(), user_id)
    if user is None:
        abort(404)
    return user


@accounts.post("/teach/admin/users/<user_id>/password-link")
@admin_required
def password_link(user_id: str) -> str:
    user = _managed_user(user_id)
    # Someone who never set a password gets their invitation again; others a reset link. Their current
    # password keeps working until a new one is set with the link.
    return _link_page(user, INVITATION if user.invitation_pending else RESET)


@accounts.post("/teach/admin/users/<user_id>/active")
@admin_required
def set_active(user_id: str) -> str | BaseResponse:
    acting = current_user()
    assert acting is not None
    user = _managed_user(user_id)
    try:
        services.set_active(db_session(), acting, user, request.form.get("active") == "1")
    except services.AccountError as error:
        return _users_page(error.code)
    return redirect(url_for("accounts.users"))
