"""The `lado` command."""

from __future__ import annotations

import sys

import click


@click.group()
def main() -> None:
    """LADO case manager."""


def _migrate() -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import ROOT

    cfg = Config(str(ROOT / "alembic.ini"))
    command.upgrade(cfg, "head")


@main.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    _migrate()
    click.echo("Database is up to date.")


#: How long a `lado serve --workers N` worker may take to answer the supervisor's ping.
WORKER_HEALTHCHECK_SECONDS = 60


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--migrate/--no-migrate",
    "run_migrations",
    default=True,
    show_default=True,
    help="Run database migrations before serving.",
)
@click.option(
    "--worker/--no-worker",
    "with_worker",
    default=None,
    help="Deliver queued e-mail in a background thread (default: on with SQLite, the embedded setup).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web server processes (each has its own thread pool and database connections).",
)
@click.option(
    "--graceful-seconds",
    default=5.0,
    show_default=True,
    type=float,
    help="On SIGTERM, how long requests in flight may take to finish before the server stops.",
)
@click.option(
    "--keep-alive-seconds",
    default=75,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="How long an idle connection stays open. Keep it above a proxy's idle timeout (60 s for "
    "nginx and most load balancers), so the proxy, never the app, closes an idle connection: "
    "otherwise a request sent just as the app closes it fails.",
)
def serve(
    host: str,
    port: int,
    run_migrations: bool,
    with_worker: bool | None,
    workers: int,
    graceful_seconds: float,
    keep_alive_seconds: int,
) -> None:
    """Serve the web application with uvicorn."""
    import uvicorn

    from app.config import get_settings

    if run_migrations:
        _migrate()
    if with_worker if with_worker is not None else get_settings().sqlalchemy_url.startswith("sqlite"):
        from sqlalchemy.orm import configure_mappers

        import app.models  # noqa: F401  (every model, as the server will import them)
        from app.outbox.worker import start_in_thread

        # Mapped now, before the worker's first flush: configured from its thread while the server
        # was still importing the app, a model half-imported (its relationship's class not yet
        # defined) failed every mapper for good, the web requests' included.
        configure_mappers()

        start_in_thread()
        click.echo("Delivering queued e-mail in the background (lado worker).")
    click.echo(f"Serving on http://{host}:{port}/ (sign in at http://{host}:{port}/sign-in)")
    # X-Forwarded-For only from the proxies the operator listed; no Server header naming uvicorn.
    proxies = get_settings().trusted_proxies
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=",".join(proxies) or None,
        server_header=False,
        workers=workers,
        timeout_graceful_shutdown=round(graceful_seconds),
        timeout_keep_alive=keep_alive_seconds,
        # uvloop (found by uvicorn's loop="auto"): its TCP transports set TCP_NODELAY. Without it,
        # with --workers > 1, uvicorn binds a socket whose accepted connections asyncio leaves
        # with Nagle's algorithm on, and each answer on a kept-alive connection waited ~40 ms for
        # the client's delayed ACK.
        loop="uvloop",
        # The supervisor kills a worker that does not answer its ping in time; a worker busy with
        # heavy pages on a loaded machine can take longer than uvicorn's 5 s to answer, and killing
        # it drops every request it holds. A truly hung worker is still replaced.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def _read_password(prompt: str = "Password") -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["lado", "manager", "hr_liaison", "admin"]))
@click.option(
    "--organisation", "organisations", multiple=True, help="Organisation name (HR liaison); repeatable."
)
def create_user(email: str, name: str, role: str, organisations: tuple[str, ...]) -> None:
    """Create a user; the password is read from standard input when it is not a terminal."""
    from app.context import Actor
    from app.db import session_scope
    from app.errors import ValidationFailed
    from app.users.service import create_user as create

    password = _read_password()
    try:
        with session_scope() as session:
            user = create(
                session,
                Actor(user=None, via="cli"),
                email=email,
                name=name,
                role=role,
                password=password,
                organisation_names=list(organisations),
            )
            click.echo(f"Created {user.role} {user.email}")
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            click.echo(f"{field}: {message}", err=True)
        sys.exit(2)


@main.command("demo-data")
@click.option("--cases", "count", default=48, show_default=True, type=int)
def demo_data(count: int) -> None:
    """Add synthetic demo cases and one user per role (passwords printed once)."""
    from app.demo import load_demo_data

    _migrate()
    load_demo_data(count, echo=click.echo)


def _register_optional_commands() -> None:
    """Commands owned by feature folders (report, import-cases, worker, ...)."""
    import importlib

    for module in (
        *("app.reports.cli", "app.imports.cli", "app.outbox.cli", "app.auth.cli", "app.backups.cli"),
        "app.retention.cli",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                continue
            raise
        for command in getattr(mod, "COMMANDS", []):
            main.add_command(command)


_register_optional_commands()
