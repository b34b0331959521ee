"""How much statistics work one process does at once.

The annual report, its downloads and its API each read hundreds of thousands of cases, and a
drill-down can list tens of thousands; with twenty of them at once the database's cores and the
process's thread pool (which also serves the static files) would be theirs alone. So each of
those requests first takes a turn (`StatisticsTurn`, a dependency of the routes): at most
`LADO_STATISTICS_AT_ONCE` run at a time (default 1) and up to `LADO_STATISTICS_QUEUE` more
wait, in the order they came, for at most `LADO_STATISTICS_WAIT_SECONDS`. A request that finds
the queue full is answered at once, one whose wait runs out then, with 503 and `Retry-After`
("the statistics are busy"); nothing else in the process waits behind them.

A request waits for its turn on the event loop, not in a thread of the pool, after it has been
signed in (so only managers queue) and before its first query of the route: while it waits it
holds its database connection and nothing else, which is why the queue is short. It gives the
turn back when its handler returns, before the response is sent.

The limit holds for the machine as well as for the process (`MachineSlots`): `lado serve
--workers 2` runs two processes, and two reports at once on a 2-core machine took both cores
(the database's included) from every other request. A turn is a lock file under the data
folder (`statistics-<n>.lock`, one per `LADO_STATISTICS_AT_ONCE`), held with `flock`, which the
system lets go of if the process dies; a request that finds every slot taken by another process
tries again every 50 ms until its wait runs out.
"""

from __future__ import annotations

import asyncio
import fcntl
import math
import os
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ManagerActor
from app.config import get_settings
from app.errors import Busy


class StatisticsBusy(Busy):
    """More statistics asked for at once than the process computes; nothing was changed."""

    title = "Sorry, the statistics are busy"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Other annual statistics are being worked out at this moment. Nothing is lost: "
            f"wait {retry_after} seconds, then reload the page."
        )
        self.retry_after = retry_after


class Turns:
    """A counting semaphore whose waiters queue in arrival order, wait on their own event loop
    (any loop, any thread: the test client runs one per client) and give up after a timeout."""

    def __init__(self, at_once: int, queue: int) -> None:
        self.at_once = max(1, at_once)
        self.queue = max(0, queue)
        self._mutex = threading.Lock()
        self._running = 0
        self._waiting: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def take(self, timeout: float) -> bool:
        """True once the caller holds a turn (it must `give_back()`), False when the queue is full
        or the turn did not come within `timeout` seconds."""
        loop = asyncio.get_running_loop()
        with self._mutex:
            if self._running < self.at_once and not self._waiting:
                self._running += 1
                return True
            if len(self._waiting) >= self.queue or timeout <= 0:
                return False
            entry = (loop, loop.create_future())
            self._waiting.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(entry[1]), timeout)
            return True
        except BaseException as exc:  # timed out, or the client went away while waiting
            with self._mutex:
                queued = entry in self._waiting
                if queued:
                    self._waiting.remove(entry)
            if not queued:  # handed a turn just as the wait ended: it is ours to give back
                if isinstance(exc, TimeoutError):
                    return True
                self.give_back()
            if isinstance(exc, TimeoutError):
                return False
            raise

    def give_back(self) -> None:
        """End a turn: it passes straight to the first waiter, if any."""
        with self._mutex:
            if not self._waiting:
                self._running = max(0, self._running - 1)
                return
            loop, future = self._waiting.popleft()
        try:
            loop.call_soon_threadsafe(_wake, future)
        except RuntimeError:  # that waiter's loop has closed: the turn goes to the next one
            self.give_back()


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class MachineSlots:
    """`count` turns shared by every process of this machine's data folder: lock files."""

    POLL_SECONDS = 0.05

    def __init__(self, folder: Path, count: int) -> None:
        self.paths = [folder / f"statistics-{n}.lock" for n in range(max(1, count))]

    def try_take(self) -> int | None:
        """The descriptor of a free slot, now locked (give it to `give_back`), or None."""
        for path in self.paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return fd
        return None

    async def take(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while (fd := self.try_take()) is None:
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(self.POLL_SECONDS)
        return fd

    @staticmethod
    def give_back(fd: int) -> None:
        os.close(fd)  # closing the descriptor lets go of its lock


_turns: Turns | None = None
_turns_lock = threading.Lock()


def statistics_turns() -> Turns:
    """The process's turns, sized from the settings when first needed."""
    global _turns
    with _turns_lock:
        if _turns is None:
            settings = get_settings()
            _turns = Turns(settings.statistics_at_once, settings.statistics_queue)
        return _turns


def reset_statistics_turns(turns: Turns | None = None) -> None:
    """Start again with `turns` (or from the settings on next use): for tests."""
    global _turns
    with _turns_lock:
        _turns = turns


async def statistics_turn(actor: ManagerActor) -> AsyncIterator[None]:
    """Wait for a turn (see the module's docstring), hold it while the handler runs."""
    del actor  # taken only so that the caller is signed in before queueing
    settings = get_settings()
    wait = settings.statistics_wait_seconds
    started = time.monotonic()
    turns = statistics_turns()
    if not await turns.take(wait):
        raise StatisticsBusy(retry_after=max(1, math.ceil(wait)))
    try:
        slots = MachineSlots(settings.data_dir, settings.statistics_at_once)
        slot = await slots.take(wait - (time.monotonic() - started))
        if slot is None:
            raise StatisticsBusy(retry_after=max(1, math.ceil(wait)))
        try:
            yield
        finally:
            slots.give_back(slot)
    finally:
        turns.give_back()


StatisticsTurn = Annotated[None, Depends(statistics_turn, scope="function")]
