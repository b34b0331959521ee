"""Statistics work is bounded per process and per machine (app/reports/limits.py): past the limit
a request waits its turn or is told the statistics are busy, and every other route still answers."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from app.config import get_settings
from app.reports.limits import MachineSlots, Turns, reset_statistics_turns
from tests.helpers import sign_in
from tests.reports import dataset

PAGE = "/reports/annual?start_year=2019&as_at-day=30&as_at-month=6&as_at-year=2020"
STATISTICS = [
    PAGE,
    "/reports/annual/2019/cases?table=outcome&row=continuing&col=2&as_at=2020-06-30",
    "/reports/annual/2019.csv?as_at=2020-06-30",
    "/api/v1/reports/annual/2019?as_at=2020-06-30",
]
OTHERS = ["/static/app.css", "/", "/cases"]


def run(coro):
    """asyncio.run in a thread of its own: the calling thread may already run an event loop
    (Playwright's, when a browser test ran before in this process)."""
    got: list = []
    worker = threading.Thread(target=lambda: got.append(asyncio.run(coro)))
    worker.start()
    worker.join()
    return got[0]


def take(turns: Turns, timeout: float = 0) -> bool:
    """turns.take on an event loop of its own, in a thread of its own: the calling thread may
    already run one (Playwright's, when a browser test ran before in this process)."""
    got: list[bool] = []
    worker = threading.Thread(target=lambda: got.append(asyncio.run(turns.take(timeout))))
    worker.start()
    worker.join()
    return got[0]


class TestTurns:
    def test_at_most_so_many_at_once(self):
        turns = Turns(at_once=2, queue=0)
        assert take(turns) and take(turns)
        assert not take(turns, timeout=5)  # no queue: refused at once, not after 5 s
        turns.give_back()
        assert take(turns)
        assert turns.running == 2

    def test_waiters_are_served_in_the_order_they_came(self):
        turns = Turns(at_once=1, queue=3)
        assert take(turns)
        served: list[int] = []

        async def wait(n: int) -> None:
            if await turns.take(5):
                served.append(n)
                await asyncio.sleep(0.01)
                turns.give_back()

        async def main() -> None:
            waiting = []
            for n in range(3):
                waiting.append(asyncio.create_task(wait(n)))
                await asyncio.sleep(0.01)
            assert turns.waiting == 3
            turns.give_back()
            await asyncio.gather(*waiting)

        run(main())
        assert served == [0, 1, 2]
        assert (turns.running, turns.waiting) == (0, 0)

    def test_a_full_queue_refuses_at_once(self):
        turns = Turns(at_once=1, queue=1)
        assert take(turns)

        async def main() -> tuple[bool, bool, float]:
            first = asyncio.create_task(turns.take(0.5))
            await asyncio.sleep(0.01)
            started = time.monotonic()
            second = await turns.take(5)
            waited = time.monotonic() - started
            return await first, second, waited

        first, second, waited = run(main())
        assert (first, second) == (False, False)
        assert waited < 0.1
        assert turns.waiting == 0

    def test_a_wait_that_runs_out_leaves_the_queue(self):
        turns = Turns(at_once=1, queue=5)
        assert take(turns)
        started = time.monotonic()
        assert not take(turns, timeout=0.1)
        assert 0.09 <= time.monotonic() - started < 1
        assert turns.waiting == 0
        turns.give_back()
        assert turns.running == 0

    def test_a_turn_given_from_another_thread_wakes_the_waiter(self):
        turns = Turns(at_once=1, queue=1)
        assert take(turns)
        threading.Timer(0.1, turns.give_back).start()
        assert take(turns, timeout=5)
        assert turns.running == 1

    def test_a_waiter_that_goes_away_does_not_keep_the_turn(self):
        turns = Turns(at_once=1, queue=2)
        assert take(turns)

        async def main() -> bool:
            leaver = asyncio.create_task(turns.take(5))
            await asyncio.sleep(0.01)
            stayer = asyncio.create_task(turns.take(5))
            await asyncio.sleep(0.01)
            leaver.cancel()  # the client disconnected while waiting
            await asyncio.sleep(0.01)
            turns.give_back()
            return await stayer

        assert run(main())
        assert (turns.running, turns.waiting) == (1, 0)


@pytest.fixture
def turns(monkeypatch):
    """One statistics computation at a time, one more may wait, for a fifth of a second."""
    monkeypatch.setattr(get_settings(), "statistics_wait_seconds", 0.2)
    turns = Turns(at_once=1, queue=1)
    reset_statistics_turns(turns)
    yield turns
    reset_statistics_turns(None)


@pytest.fixture
def manager(client, factory, db):
    dataset.build(db)
    user = factory.user("manager")
    sign_in(client, user.email)
    return user


class TestRoutes:
    def test_past_the_limit_the_statistics_are_busy_and_the_rest_answers(self, client, manager, turns):
        assert take(turns)  # someone else's report is being worked out
        for url in STATISTICS:
            started = time.monotonic()
            resp = client.get(url)
            assert resp.status_code == 503, url
            assert resp.headers["retry-after"] == "1"
            assert time.monotonic() - started < 5  # waited its 0.2 s, not its turn
            if url.startswith("/api/"):
                assert resp.headers["content-type"].startswith("application/problem+json")
                assert resp.json()["title"] == "Sorry, the statistics are busy"
            else:
                assert "Sorry, the statistics are busy" in resp.text
        for url in OTHERS:
            assert client.get(url).status_code == 200, url
        turns.give_back()
        assert client.get(PAGE).status_code == 200
        assert (turns.running, turns.waiting) == (0, 0)

    def test_a_request_waits_its_turn_while_other_routes_answer(self, client, manager, turns, monkeypatch):
        monkeypatch.setattr(get_settings(), "statistics_wait_seconds", 10)
        assert take(turns)
        answer: dict[str, object] = {}

        def report() -> None:
            started = time.monotonic()
            answer["status"] = client.get(PAGE).status_code
            answer["seconds"] = time.monotonic() - started

        waiting = threading.Thread(target=report)
        waiting.start()
        deadline = time.monotonic() + 5
        while turns.waiting == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert turns.waiting == 1
        started = time.monotonic()
        assert client.get("/static/app.css").status_code == 200  # not stuck behind the report
        assert time.monotonic() - started < 3
        time.sleep(0.2)
        turns.give_back()
        waiting.join(10)
        assert answer["status"] == 200
        assert answer["seconds"] >= 0.2
        assert (turns.running, turns.waiting) == (0, 0)

    def test_only_signed_in_managers_queue(self, client, factory, turns):
        assert take(turns)
        sign_in(client, factory.user("lado").email)
        assert client.get(PAGE).status_code == 403  # refused before it would wait
        assert turns.waiting == 0


@pytest.fixture
def other_process_holds_the_slot():
    """Another process of this machine is working out a report: it holds the slot's lock file
    (flock locks belong to an open file, so a slot taken here through a second open of it
    conflicts as theirs would). Yields a function that lets go of it."""
    settings = get_settings()
    slots = MachineSlots(settings.data_dir, settings.statistics_at_once)
    fd = slots.try_take()
    assert fd is not None
    held = [fd]

    def let_go() -> None:
        slots.give_back(held.pop())

    yield let_go
    if held:
        let_go()


class TestMachineSlots:
    def test_a_slot_is_one_holder_at_a_time_and_free_again_when_given_back(self, tmp_path):
        slots = MachineSlots(tmp_path, 1)
        first = slots.try_take()
        assert first is not None
        assert slots.try_take() is None
        slots.give_back(first)
        again = slots.try_take()
        assert again is not None
        slots.give_back(again)

    def test_two_slots_take_two_holders(self, tmp_path):
        slots = MachineSlots(tmp_path, 2)
        held = [slots.try_take(), slots.try_take()]
        assert None not in held
        assert slots.try_take() is None
        for fd in held:
            slots.give_back(fd)  # type: ignore[arg-type]

    def test_a_wait_for_a_slot_ends_when_it_is_given_back(self, tmp_path):
        slots = MachineSlots(tmp_path, 1)
        first = slots.try_take()
        assert first is not None
        threading.Timer(0.2, slots.give_back, args=(first,)).start()
        started = time.monotonic()
        fd = run(slots.take(5))
        assert fd is not None
        assert 0.15 <= time.monotonic() - started < 3
        slots.give_back(fd)
        last = run(slots.take(0))
        assert last is not None
        slots.give_back(last)


class TestAnotherProcess:
    def test_while_another_process_works_out_a_report_this_one_waits_then_answers_busy(
        self, client, manager, turns, other_process_holds_the_slot
    ):
        resp = client.get(PAGE)
        assert resp.status_code == 503
        assert "Sorry, the statistics are busy" in resp.text
        assert (turns.running, turns.waiting) == (0, 0)  # the process's own turn was given back
        assert client.get("/cases").status_code == 200
        other_process_holds_the_slot()
        assert client.get(PAGE).status_code == 200
