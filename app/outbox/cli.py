"""`lado worker`: deliver the outbox until stopped."""

from __future__ import annotations

import logging
import signal
import threading

import click


@click.command("worker")
@click.option("--once", is_flag=True, help="Try every message that is due now, then exit.")
def worker(once: bool) -> None:
    """Send queued e-mail (letters ready, receipts) over SMTP, with retries and backoff."""
    from app.config import get_settings
    from app.outbox.worker import deliver_all_due, run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    if once:
        report = deliver_all_due(settings)
        click.echo(f"Sent {len(report.sent)}, to retry {len(report.retrying)}, failed {len(report.failed)}.")
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"Delivering e-mail through {settings.smtp_host}:{settings.smtp_port}; Ctrl+C stops.")
    run(stop, settings=settings)


COMMANDS = [worker]
