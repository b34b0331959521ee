"""`lado retention schedule --as MANAGER_EMAIL`: a retention review date for every closed case
that has none.

Cases concluded (or closed with no further action) before retention existed, or imported as
concluded, have no review date; the conclude and NFA steps set one from then on. The command
applies the policy as it stands (the settings page), reads the cases through the case scope as
the manager named (every change is attributable to a user), and can be run again: it only
touches cases still without a date.
"""

from __future__ import annotations

import sys

import click

from app.context import Actor
from app.db import session_scope
from app.errors import Forbidden
from app.retention.service import schedule_closed_cases
from app.users import repository as users_repository


@click.group()
def retention() -> None:
    """Retention of closed cases."""


@retention.command("schedule")
@click.option("--as", "email", required=True, metavar="EMAIL", help="The manager the change is made as.")
def schedule(email: str) -> None:
    """Give every closed case without a retention review date its date from the policy."""
    with session_scope() as session:
        user = users_repository.get_user_by_email(session, email)
        if user is None or not user.is_active:
            click.echo(f"No active user has the e-mail address {email}", err=True)
            sys.exit(2)
        try:
            count = schedule_closed_cases(session, Actor(user=user, via="cli"))
        except Forbidden as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
    click.echo(f"Retention review dates set for {count} closed case{'s' if count != 1 else ''}")


COMMANDS = [retention]
