"""``flask users …``: accounts from the server shell (the first administrator is made this way)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from riskedu.accounts.models import ROLES
from riskedu.accounts.queries import all_users
from riskedu.accounts.services import AccountError, create_user
from riskedu.database import db_session

users_cli = AppGroup("users", help="Create and list the accounts of teachers, operators and administrators.")

# The shell speaks English: these are for administrators at a terminal, not the translated pages.
CLI_PROBLEMS = {
    "too_short": "the password is too short (at least 10 characters)",
    "too_long": "the password is too long (at most 256 characters)",
    "is_email": "the password must not be the e-mail address",
    "bad_email": "that is not an e-mail address",
    "email_taken": "there is already an account with this e-mail address",
    "bad_role": f"the role must be one of {', '.join(ROLES)}",
}


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the person may do.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when not given; give it only from scripts (it stays in the shell history).",
)
def create(email: str, role: str, password: str) -> None:
    """Create an account that can sign in at once."""
    session = db_session()
    try:
        user = create_user(session, email, role, password)
    except AccountError as error:
        session.rollback()
        raise click.ClickException(CLI_PROBLEMS.get(error.code, error.code)) from None
    session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("list")
def list_users() -> None:
    """Every account, with its role and whether it can sign in."""
    for user in all_users(db_session()):
        state = "invited" if user.invitation_pending else ("active" if user.active else "deactivated")
        click.echo(f"{user.email}\t{user.role}\t{state}")
