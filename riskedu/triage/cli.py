"""``flask ops webhooks deliver``: run by a timer (deploy/), posts new urgent reports to the webhook."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from riskedu.database import database
from riskedu.triage.webhooks import deliver_due

ops_cli = AppGroup("ops", help="Tasks for mine action operators.")
webhooks_cli = AppGroup("webhooks", help="The webhook for new urgent reports.")
ops_cli.add_command(webhooks_cli)


@webhooks_cli.command("deliver")
def deliver() -> None:
    """Queue new urgent reports and post every delivery that is due."""
    url = current_app.config.get("TRIAGE_WEBHOOK_URL")
    if not url:
        click.echo("No webhook: RISKEDU_TRIAGE_WEBHOOK_URL is not set.")
        return
    session = database(current_app).session_factory()
    try:
        run = deliver_due(
            session, url, current_app.config.get("TRIAGE_WEBHOOK_SECRET"), commit=session.commit
        )
        session.commit()
    finally:
        session.close()
    click.echo(f"Queued {run.queued}, delivered {run.delivered}, failed {run.failed} (retried later).")
    if run.failed:
        raise SystemExit(1)
