"""The lane: the work a request may need that must not run on the event loop (a page
or a feed nobody asked for before), done one job at a time, off the server's
interpreter.

A job is data (:class:`Job`: a function of the served version and its arguments),
so it can be sent to another process.  For each version served, the lane forks one
long-lived rendering process (:class:`Renderer`) once it is built: the child has
that version as it is in memory (copy-on-write; nothing to load, nothing to
send but the jobs), renders each job it is sent and sends the bytes back through a
pipe; the server keeps them (ETag, gzip, least-recently-used cache) as if it had
made them.  Rendering holds an interpreter, and a thread's would be the event
loop's, so every feed poll would wait for its turns; the child's is its own, and it
runs at a lower priority (``NICE``) so that, when the cores are busy, the polls come
first.  A job for the version before a reload (a request that began before it) is
rendered in the thread.

A child that dies, fails a job or takes longer than ``timeout`` seconds (then it is
killed) hands the job back: it is rendered in the lane's thread as before, so a
request is always answered, and the next job forks a new child (at most
``RESTARTS`` times per version).  Where ``os.fork`` is missing (or with
``apart=False``), every job is rendered in the thread.  :meth:`Lane.close` (the
app's lifespan end) kills and reaps the child; so does the garbage collector when a
lane that was never closed goes.

One job at a time: requests waiting for the lane wait on the loop, costing nothing,
and hold no slot meanwhile (:meth:`Lane.run` gives the caller's slot of the app back
while it waits), so the other routes stay answered.  Past ``max_waiting`` jobs,
:class:`Busy` is raised: the server answers 503 with ``Retry-After`` rather than
queue more.

A thread pool of one, not an ``asyncio.Lock``: it is bound to no event loop, and a
request that goes away while waiting leaves its job to finish (its result is kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import pickle
import select
import signal
import struct
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R", covariant=True)  # what a job makes

log = logging.getLogger(__name__)

FORKS = hasattr(os, "fork")  # Windows has none: every job renders in the thread
NICE = 10  # the rendering process's priority below the server's (renderings wait, polls don't)
RESTARTS = 3  # rendering processes forked for one version before its jobs stay in the thread
_LENGTH = struct.Struct("!Q")  # each message through a pipe: its length, then its pickle


class Busy(Exception):
    """Too many jobs are waiting for the lane."""


class Target(Protocol):
    """What a rendering process is forked from: a served version, whose lock its jobs
    take (held while forking, so the child never gets it locked by a thread it has not)."""

    lock: threading.Lock


@dataclass(frozen=True)
class Job(Generic[R]):
    """``do(target, *args)``: a job as data, rendered in whichever process has the target.

    ``do`` is a module-level function (or a class's method), found by name in the child.
    """

    do: Callable[..., R]
    args: tuple[Any, ...] = ()

    def __call__(self, target: Any) -> R:
        return self.do(target, *self.args)


class Lane:
    """``max_waiting``: jobs running or waiting before :class:`Busy`; ``apart``: render
    in a process forked from the version served (where there is ``os.fork``);
    ``timeout``: seconds a job may take there before the process is killed and the job
    rendered in the thread; ``quiet``: a lock held by work a fork must not catch half
    done (the building of a new version, which renders in its own thread)."""

    def __init__(
        self,
        max_waiting: int,
        *,
        apart: bool = True,
        timeout: float = 30.0,
        quiet: threading.Lock | None = None,
    ) -> None:
        self.max_waiting = max_waiting
        self.waiting = 0  # jobs running or waiting to
        self.apart = apart and FORKS
        self.timeout = timeout
        self.quiet = quiet
        self.renderer: Renderer | None = None  # the process of the newest version, if any
        self._forks = 0  # processes forked for the renderer's target
        self._retired: list[weakref.ref[Any]] = []  # targets replaced since (by identity)
        self._closed = False
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

    def render(self, target: Target, job: Job[T]) -> T:
        """``job(target)`` in the rendering process of ``target``, or in this thread if
        that cannot give it.  Call it in the lane (from a job of :meth:`run`)."""
        renderer = self._renderer_for(target)
        if renderer is not None:
            found = renderer.call(job)
            if found is not None:
                return found[0]
        return job(target)

    def prepare(self, target: Target) -> None:
        """Fork the rendering process of a new version now (in the lane's thread),
        before a request needs it."""
        if self.apart and not self._closed:
            self._pool.submit(self._renderer_for, target)

    def _renderer_for(self, target: Target) -> Renderer | None:
        if not self.apart or self._closed:
            return None
        self._retired = [old for old in self._retired if old() is not None]
        if any(old() is target for old in self._retired):
            return None
        current = self.renderer
        if current is not None and current.target is target and current.alive:
            return current
        if current is not None and current.target is not target:
            self._retired.append(weakref.ref(current.target))  # the older's jobs stay here
            self._forks = 0
        if current is not None:
            current.close()
            self.renderer = None
        if self._forks >= RESTARTS:
            return None
        self._forks += 1
        try:
            self.renderer = Renderer(target, self.timeout, self.quiet)
        except OSError as exc:  # no memory or processes left: render here
            log.warning("cannot start a process to render in (%s); rendering in the server", exc)
        return self.renderer

    def close(self) -> None:
        """Kill and reap the rendering process; later jobs render in the thread."""
        self._closed = True
        renderer = self.renderer
        if renderer is not None:
            renderer.close()


class Renderer:
    """A child process forked from ``target`` that renders the jobs it is sent, one at
    a time, until its pipe closes (:meth:`close`, or the server's end)."""

    def __init__(self, target: Target, timeout: float, quiet: threading.Lock | None) -> None:
        jobs_in, jobs_out = os.pipe()
        results_in, results_out = os.pipe()
        # Forked with the locks held, so that no other thread holds them then; both
        # processes let them go once forked.
        with quiet or contextlib.nullcontext(), target.lock:
            pid = os.fork()
        if pid == 0:  # the child: never back into the server's code
            _serve(target, jobs_in, results_out)
        os.close(jobs_in)
        os.close(results_out)
        self.target = target
        self.pid = pid
        self.timeout = timeout
        self.alive = True
        self._jobs, self._results = jobs_out, results_in
        self._lock = threading.Lock()
        self._end = weakref.finalize(self, _end, pid, jobs_out, results_in)

    def call(self, job: Job[T]) -> tuple[T] | None:
        """``(job(target),)`` rendered in the child; None if it could not be (the child
        then ended, unless only this job failed there)."""
        with self._lock:
            if not self.alive:
                return None
            try:
                sent = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, TypeError, AttributeError):
                log.warning("a job that cannot be sent to the rendering process: %r", job)
                return None
            try:
                _write(self._jobs, sent)
                data = _read(self._results, time.monotonic() + self.timeout)
            except OSError:
                data = None
            if data is None:
                log.warning("the rendering process %d gave no result; rendering in the server",
                            self.pid)  # fmt: skip
                self._close()
                return None
        done, value = pickle.loads(data)  # noqa: S301 - its own child's, through its own pipe
        if not done:  # rendered again here, where its error is raised and logged
            log.warning("a job failed in the rendering process (%s); rendering in the server",
                        value)  # fmt: skip
            return None
        return (value,)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        self.alive = False
        self._end()


def _end(pid: int, *pipes: int) -> None:
    """Close the pipes, kill and reap the child (no zombie, no orphan)."""
    for fd in pipes:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _serve(target: Target, jobs: int, results: int) -> None:
    """In the forked child: render each job received, send back ``(True, result)`` or
    ``(False, why)``; exit when the jobs' pipe closes (0) or on any other failure (1)."""
    code = 1
    try:
        kept = sorted((jobs, results))
        os.closerange(3, kept[0])  # the server's sockets and other pipes: not this one's
        os.closerange(kept[0] + 1, kept[1])
        os.closerange(kept[1] + 1, os.sysconf("SC_OPEN_MAX"))
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # the server's handlers are not its own
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        os.nice(NICE)
        while (data := _read(jobs)) is not None:
            job = pickle.loads(data)  # noqa: S301 - from its parent, through its own pipe
            try:
                reply = pickle.dumps((True, job(target)), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # reported, and the job made again in the server
                reply = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
            _write(results, reply)
        code = 0
    finally:
        os._exit(code)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int, deadline: float | None = None) -> bytes | None:
    """One message; None at the pipe's end, or if ``deadline`` passes first."""
    head = _exactly(fd, _LENGTH.size, deadline)
    if head is None:
        return None
    (size,) = _LENGTH.unpack(head)
    return _exactly(fd, size, deadline)


def _exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


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
