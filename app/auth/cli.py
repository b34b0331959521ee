"""`lado rotate-secret-key`: re-encrypt stored secrets with the first key of LADO_SECRET_KEY."""

from __future__ import annotations

import sys

import click


@click.command("rotate-secret-key")
def rotate_secret_key() -> None:
    """Re-encrypt every two-factor secret with the first key in LADO_SECRET_KEY. Rotate a key by
    putting a new key first (LADO_SECRET_KEY=NEW,OLD), running this, then removing OLD."""
    from app.auth.totp import reencrypt_secrets
    from app.context import Actor
    from app.db import session_scope
    from app.encryption import SecretKeyError

    try:
        with session_scope() as session:
            count = reencrypt_secrets(session, Actor(user=None, via="cli"))
    except SecretKeyError as exc:
        click.echo(f"Nothing was changed: {exc}", err=True)
        sys.exit(1)
    noun = "secret" if count == 1 else "secrets"
    click.echo(f"Re-encrypted {count} two-factor {noun} with the first key of LADO_SECRET_KEY.")


COMMANDS = [rotate_secret_key]
