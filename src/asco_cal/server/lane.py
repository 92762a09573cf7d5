"""The lane: the work a request may need that must not run on the event loop (a page
or a feed nobody asked for before), done in one worker thread, one job at a time.

Rendering holds the interpreter, so two renderings at once would starve the event
loop, and every feed poll with it; one at a time leaves the loop free between the
rendering's turns.  Requests waiting for the lane wait on the loop, costing nothing,
and hold no slot meanwhile (:meth:`Lane.run` gives the caller's slot of the app back
while it waits), so the other routes stay answered.  Past ``max_waiting`` jobs, :class:`Busy`
is raised: the server answers 503 with ``Retry-After`` rather than queue more.

A thread pool of one, not an ``asyncio.Lock``: it is bound to no event loop, and a
request that goes away while waiting leaves its job to finish (its result is kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Busy(Exception):
    """Too many jobs are waiting for the lane."""


class Lane:
    def __init__(self, max_waiting: int) -> None:
        self.max_waiting = max_waiting
        self.waiting = 0  # jobs running or waiting to
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asco-cal-lane")

    async def run(
        self, make: Callable[..., T], *args: object, slot: asyncio.Semaphore | None = None
    ) -> T:
        """``make(*args)`` in the lane's thread; raises :class:`Busy` when too many
        wait.  ``slot``: the semaphore the caller holds a slot of, given back meanwhile."""
        if self.waiting >= self.max_waiting:
            raise Busy
        self.waiting += 1
        try:
            async with _given_back(slot):
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._pool, functools.partial(make, *args))
        finally:
            self.waiting -= 1


@contextlib.asynccontextmanager
async def _given_back(slot: asyncio.Semaphore | None) -> AsyncIterator[None]:
    if slot is None:
        yield
        return
    slot.release()
    try:
        yield
    finally:
        await slot.acquire()
