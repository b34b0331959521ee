"""`lado serve` run for real: the client address comes from the socket unless the peer is a proxy the
operator listed in LADO_TRUSTED_PROXIES, so a client that makes up X-Forwarded-For headers can
neither escape the per-IP sign-in throttle nor write the address it likes into the audit. The
server does not name itself (no `Server: uvicorn`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth import throttle
from app.auth.models import SignInThrottle
from tests.helpers import csrf_from

pytestmark = pytest.mark.committed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def lado_serve(**env: str) -> Iterator[str]:
    """`lado serve` in a process of its own, on the test database, with `env` added."""
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from app.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-migrate",
        "--no-worker",
    ]
    environment = {k: v for k, v in os.environ.items() if k != "LADO_TRUSTED_PROXIES"} | env
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"lado serve stopped: {process.stderr.read().decode()[-2000:]}")
            try:
                httpx.get(url + "/sign-in", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("lado serve did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def failed_sign_ins(url: str, forwarded_for: list[str]) -> list[httpx.Response]:
    """One failed sign-in (each with a new unknown e-mail address) per X-Forwarded-For value."""
    with httpx.Client(base_url=url, timeout=10) as client:
        token = csrf_from(client.get("/sign-in").text)
        return [
            client.post(
                "/sign-in",
                headers={"X-Forwarded-For": address},
                data={
                    "email": f"nobody{n}@example.test",
                    "password": "wrong password here",
                    "csrf_token": token,
                },
            )
            for n, address in enumerate(forwarded_for)
        ]


def audited(engine) -> list[tuple[str | None, str]]:
    with Session(engine) as session:
        stmt = select(AuditEvent).where(AuditEvent.verb == "sign_in_failed").order_by(AuditEvent.id)
        events = session.scalars(stmt)
        return [(e.ip, e.details.get("reason")) for e in events]


@pytest.mark.slow
def test_an_untrusted_client_cannot_choose_its_address(committed_engine):
    forged = [f"203.0.113.{n}" for n in range(1, throttle.IP_LIMIT + 2)]
    with lado_serve() as url:
        answers = failed_sign_ins(url, forged)
        assert "server" not in {k.lower() for k in httpx.get(url + "/sign-in").headers}
    assert all(r.status_code == 422 for r in answers), [r.status_code for r in answers]
    assert "server" not in {k.lower() for k in answers[0].headers}
    events = audited(committed_engine)
    assert {ip for ip, _ in events} == {"127.0.0.1"}, "a made-up X-Forwarded-For reached the audit"
    assert events[-1][1] == "throttled", "rotating X-Forwarded-For escaped the per-IP sign-in throttle"
    with Session(committed_engine) as session:
        keys = set(session.scalars(select(SignInThrottle.key).where(SignInThrottle.key.like("ip:%"))))
    assert keys == {"ip:127.0.0.1"}


@pytest.mark.slow
def test_a_listed_proxy_is_trusted_for_the_address_it_forwards(committed_engine):
    with lado_serve(LADO_TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1") as url:
        failed_sign_ins(url, ["198.51.100.7", "192.0.2.1, 198.51.100.8"])
    assert [ip for ip, _ in audited(committed_engine)] == ["198.51.100.7", "198.51.100.8"]


def test_the_setting_takes_addresses_and_networks_and_refuses_anything_else():
    from pydantic import ValidationError

    from app.config import Settings

    assert Settings().trusted_proxies == []
    assert Settings(trusted_proxies="10.0.0.5, 10.0.0.0/24,::1").trusted_proxies == [
        "10.0.0.5/32",
        "10.0.0.0/24",
        "::1/128",
    ]
    for bad in ("*", "proxy.example.test", "10.0.0.0/33"):
        with pytest.raises(ValidationError, match="is not an IP address or network"):
            Settings(trusted_proxies=bad)
