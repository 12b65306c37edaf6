"""Accounts: passwords, signing in and out, invitations, resets, roles, `flask users`, rate limits, CSRF."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from riskedu import create_app
from riskedu.accounts import tokens
from riskedu.accounts.models import User
from riskedu.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from riskedu.database import database
from tests.conftest import TEST_SECRET_KEY, app_config
from tests.test_teaching_support import PASSWORD, csrf_token, make_user, post_form, sign_in

LINK = re.compile(r"data-password-link>([^<]+)<")


# --- passwords and links, without an app -------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id_and_verified() -> None:
    hashed = hash_password("a long enough passphrase")
    assert hashed.startswith("$argon2id$")
    assert "a long enough passphrase" not in hashed
    assert verify_password(hashed, "a long enough passphrase")
    assert not verify_password(hashed, "a long enough passphrasE")
    assert not verify_password(None, "anything at all")
    assert not verify_password("not a hash", "anything at all")
    assert not needs_rehash(hashed)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "too_short"),
        ("x" * 257, "too_long"),
        ("Teacher@Example.org", "is_email"),
        ("four words make sense", None),
    ],
)
def test_new_passwords_must_be_long_enough(password, problem) -> None:
    assert password_problem(password, "teacher@example.org") == problem


def test_a_password_link_works_only_for_the_password_it_was_made_for_and_expires(monkeypatch) -> None:
    token = tokens.make_password_link_token(TEST_SECRET_KEY, "user-1", None, tokens.INVITATION)
    link = tokens.read_password_link_token(TEST_SECRET_KEY, token)
    assert link == tokens.PasswordLink("user-1", tokens.INVITATION, tokens.password_fingerprint(None))
    # Once a password is set, the fingerprint no longer matches: the link has been used.
    assert link.fingerprint != tokens.password_fingerprint(hash_password("a long enough passphrase"))
    assert tokens.read_password_link_token("another secret key, just as long as the first", token) is None
    assert tokens.read_password_link_token(TEST_SECRET_KEY, token + "x") is None

    # A reset link older than two days is refused, an invitation of the same age is not.
    three_days_ago = int(dt.datetime.now(dt.UTC).timestamp()) - 3 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda signer: three_days_ago)
        old = {
            purpose: tokens.make_password_link_token(TEST_SECRET_KEY, "user-1", None, purpose)
            for purpose in (tokens.RESET, tokens.INVITATION)
        }
    assert tokens.read_password_link_token(TEST_SECRET_KEY, old[tokens.RESET]) is None
    assert tokens.read_password_link_token(TEST_SECRET_KEY, old[tokens.INVITATION]) is not None


# --- flask users ----------------------------------------------------------------------------------------


def test_flask_users_create_with_a_password_for_scripts(cli, db) -> None:
    result = cli.invoke(
        args=["users", "create", "Admin@Example.org", "--role", "admin", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert "Created admin admin@example.org." in result.output
    user = db.scalar(select(User).where(User.email == "admin@example.org"))
    assert user.role == "admin"
    assert verify_password(user.password_hash, PASSWORD)


def test_flask_users_create_asks_for_the_password_twice_without_echoing_it(cli, db) -> None:
    result = cli.invoke(
        args=["users", "create", "teacher@example.org", "--role", "teacher"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert PASSWORD not in result.output
    assert cli.invoke(args=["users", "list"]).output.strip() == "teacher@example.org\tteacher\tactive"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--role", "teacher", "--password", PASSWORD], "not an e-mail address"),
        (["a@example.org", "--role", "teacher", "--password", "short"], "too short"),
        (["a@example.org", "--role", "headmaster", "--password", PASSWORD], "headmaster"),
    ],
)
def test_flask_users_create_refuses_in_plain_words(cli, db, args, message) -> None:
    result = cli.invoke(args=["users", "create", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_the_same_address_cannot_have_two_accounts(cli, db) -> None:
    make_user(db, email="teacher@example.org")
    result = cli.invoke(
        args=["users", "create", "TEACHER@example.org", "--role", "teacher", "--password", PASSWORD]
    )
    assert result.exit_code != 0
    assert "already an account" in result.output


# --- signing in and out ---------------------------------------------------------------------------------


def test_a_teacher_signs_in_sees_their_classes_and_signs_out(client, db) -> None:
    teacher = make_user(db)
    assert client.get("/en/teach/").status_code == 302
    signed_in = sign_in(client, teacher)
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/en/teach/"
    page = client.get("/en/teach/")
    assert page.status_code == 200
    assert "My classes" in page.text
    assert page.headers["Cache-Control"] == "no-store"

    out = post_form(client, "/en/teach/logout", {}, token_from="/en/teach/")
    assert out.status_code == 302
    assert client.get("/en/teach/").status_code == 302


def test_signing_in_at_the_short_address_works_too_and_comes_back_to_the_page_asked_for(client, db) -> None:
    teacher = make_user(db)
    asked = client.get("/az/teach/summary")
    assert asked.headers["Location"] == "/az/teach/login?next=/az/teach/summary"
    token = csrf_token(client, "/az/login")
    response = client.post(
        "/az/login?next=/az/teach/summary",
        data={"email": teacher.email.upper(), "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/az/teach/summary"


def test_next_never_leads_to_another_site(client, db) -> None:
    teacher = make_user(db)
    token = csrf_token(client)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(
            f"/en/teach/login?next={target}",
            data={"email": teacher.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == "/en/teach/", target
        token = csrf_token(client, "/en/teach/account")


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, db) -> None:
    teacher = make_user(db)
    invited = make_user(db, email="invited@example.org", password=None)
    answers = [
        sign_in(client, teacher, password="not the password"),
        sign_in(client, "nobody@example.org"),
        sign_in(client, invited, password=""),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert "The e-mail address or the password is not right." in answer.text
    assert client.get("/en/teach/").status_code == 302


def test_the_sign_in_page_speaks_the_language_of_its_address(client, db) -> None:
    page = client.get("/ar/teach/login")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert 'action=""' in page.text  # posts back to itself, keeping ?next=


def test_a_form_without_its_csrf_token_is_refused(client, db) -> None:
    teacher = make_user(db)
    refused = client.post("/en/teach/login", data={"email": teacher.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert client.get("/en/teach/").status_code == 302  # not signed in
    sign_in(client, teacher)
    for path, data in (
        ("/en/teach/classes/new", {"name": "5B", "place": "Ağdam", "language": "az"}),
        ("/en/teach/logout", {}),
        (
            "/en/teach/account",
            {"password": PASSWORD, "new_password": "x" * 12, "new_password_again": "x" * 12},
        ),
    ):
        assert client.post(path, data=data).status_code == 400, path
    assert "You have no classes yet" in client.get("/en/teach/").text  # still signed in, nothing made


def test_sign_in_is_rate_limited_per_address_with_a_translated_429(migrated_database) -> None:
    app = create_app(app_config(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    try:
        client = app.test_client()
        token = csrf_token(client, "/az/teach/login")
        answers = [
            client.post(
                "/az/teach/login",
                data={"email": f"nobody{n}@example.org", "password": "wrong", "csrf_token": token},
            )
            for n in range(4)
        ]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert 'lang="az"' in refused.text
        assert "Too many tries" not in refused.text  # in Azerbaijani, not English
        # Reading the sign-in page is not limited; the sync API keeps its own count.
        assert client.get("/az/teach/login").status_code == 200
    finally:
        database(app).engine.dispose()


def test_sign_in_is_rate_limited_per_email_address_from_any_address(migrated_database) -> None:
    app = create_app(app_config(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    try:
        client = app.test_client()
        token = csrf_token(client, "/en/teach/login")
        statuses = [
            client.post(
                "/en/teach/login",
                data={"email": "Target@example.org", "password": "guess", "csrf_token": token},
                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
            ).status_code
            for n in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
    finally:
        database(app).engine.dispose()


def test_passwords_never_reach_the_logs(client, db, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    teacher = make_user(db)
    sign_in(client, teacher, password="a wrong password here")
    sign_in(client, teacher)
    post_form(
        client,
        "/en/teach/account",
        {
            "password": PASSWORD,
            "new_password": "another passphrase",
            "new_password_again": "another passphrase",
        },
    )
    logged = "\n".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    for secret in (PASSWORD, "a wrong password here", "another passphrase"):
        assert secret not in logged


# --- invitations, resets, roles -----------------------------------------------------------------------------


def link_path(response) -> str:
    found = LINK.search(response.text)
    assert found, response.text
    return found.group(1).split("localhost", 1)[1]


def test_an_invited_teacher_sets_a_password_with_a_link_that_works_once(client, db, app) -> None:
    admin = make_user(db, role="admin")
    sign_in(client, admin)
    invited = post_form(
        client, "/en/teach/admin/users", {"email": "new.teacher@example.org", "role": "teacher"}
    )
    assert invited.status_code == 200
    path = link_path(invited)
    assert path.startswith("/en/teach/password/")
    assert "invited, no password yet" in client.get("/en/teach/admin/users").text

    invitee = app.test_client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert "new.teacher@example.org" in page.text
    token = csrf_token(invitee, path)
    mismatch = invitee.post(
        path, data={"password": PASSWORD, "password_again": PASSWORD + "!", "csrf_token": token}
    )
    assert "The two passwords are not the same." in mismatch.text
    too_short = invitee.post(path, data={"password": "short", "password_again": "short", "csrf_token": token})
    assert "at least 10 characters" in too_short.text
    done = invitee.post(path, data={"password": PASSWORD, "password_again": PASSWORD, "csrf_token": token})
    assert done.status_code == 302
    assert invitee.get("/en/teach/").status_code == 200  # signed in
    used = app.test_client().get(path)
    assert used.status_code == 410
    assert "does not work any more" in used.text
    assert sign_in(app.test_client(), "new.teacher@example.org").status_code == 302


def test_an_administrator_resets_a_password_the_old_one_works_until_the_new_one_is_set(
    client, db, app
) -> None:
    admin = make_user(db, role="admin")
    teacher = make_user(db)
    teacher_phone = app.test_client()
    sign_in(teacher_phone, teacher)
    assert teacher_phone.get("/en/teach/").status_code == 200

    sign_in(client, admin)
    reset = post_form(
        client, f"/en/teach/admin/users/{teacher.id}/password-link", {}, token_from="/en/teach/admin/users"
    )
    path = link_path(reset)
    assert teacher_phone.get("/en/teach/").status_code == 200  # nothing changed yet

    stranger = app.test_client()
    token = csrf_token(stranger, path)
    new = "a brand new passphrase"
    assert (
        stranger.post(path, data={"password": new, "password_again": new, "csrf_token": token}).status_code
        == 302
    )
    # Every other session of that teacher ends; the old password no longer works, the new one does.
    assert teacher_phone.get("/en/teach/").status_code == 302
    assert sign_in(app.test_client(), teacher).status_code == 200
    assert sign_in(app.test_client(), teacher, password=new).status_code == 302


def test_a_deactivated_account_cannot_sign_in_and_its_sessions_end(client, db, app) -> None:
    admin = make_user(db, role="admin")
    teacher = make_user(db)
    teacher_phone = app.test_client()
    sign_in(teacher_phone, teacher)
    sign_in(client, admin)
    post_form(
        client,
        f"/en/teach/admin/users/{teacher.id}/active",
        {"active": "0"},
        token_from="/en/teach/admin/users",
    )
    assert teacher_phone.get("/en/teach/").status_code == 302
    assert sign_in(app.test_client(), teacher).status_code == 200
    # An administrator cannot lock themselves out.
    kept = post_form(
        client,
        f"/en/teach/admin/users/{admin.id}/active",
        {"active": "0"},
        token_from="/en/teach/admin/users",
    )
    assert "You cannot deactivate your own account." in kept.text


def test_roles_decide_which_pages_open(app, db) -> None:
    people = {role: make_user(db, role=role) for role in ("teacher", "operator", "admin")}
    expected = {
        "/en/teach/": {"teacher": 200, "operator": 403, "admin": 200},
        "/en/teach/admin/users": {"teacher": 403, "operator": 403, "admin": 200},
        "/en/teach/account": {"teacher": 200, "operator": 200, "admin": 200},
    }
    for role, person in people.items():
        client = app.test_client()
        sign_in(client, person)
        for path, statuses in expected.items():
            assert client.get(path).status_code == statuses[role], (role, path)


def test_an_operator_lands_on_the_report_queue(client, db) -> None:
    operator = make_user(db, role="operator")
    assert sign_in(client, operator).headers["Location"] == "/en/ops/"


def test_a_teacher_changes_their_own_password(client, db) -> None:
    teacher = make_user(db)
    sign_in(client, teacher)
    wrong = post_form(
        client,
        "/en/teach/account",
        {"password": "not mine", "new_password": "x" * 12, "new_password_again": "x" * 12},
    )
    assert "Your current password is not right." in wrong.text
    changed = post_form(
        client,
        "/en/teach/account",
        {
            "password": PASSWORD,
            "new_password": "another passphrase",
            "new_password_again": "another passphrase",
        },
    )
    assert changed.status_code == 302
    assert client.get("/en/teach/").status_code == 200  # this device stays signed in
    assert (
        sign_in(client.application.test_client(), teacher, password="another passphrase").status_code == 302
    )
