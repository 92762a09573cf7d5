"""The reloading source: the sessions file, its last good :class:`Snapshot` and the
problems of the latest edit.

The file is re-read when it changes on disk: a background task (:meth:`Source.watching`,
the app's lifespan) checks it every ``poll_seconds``, so requests never wait for a
load (under an ASGI server that runs no lifespan events, requests check instead).
Each new version is fully built (feed, every event, page) before it is served, in
the background (the event loop only swaps it in); an
invalid edit never replaces the calendar being served: the last good one stays, the
problems are logged and shown on ``/healthz``.  Each version is an immutable
:class:`Snapshot`, swapped in one assignment, so no request ever sees a half-loaded
calendar.

A folder of meetings (or several files) is watched the same way: its signature
covers every meeting file and ``calendar.yaml``, so a file added, edited or removed
is a new version.  Each file keeps its last good version: a broken edit of one
meeting leaves that meeting as it was while the others update, and ``/healthz``
names the file and its problems.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from asco_cal import feeds, pages, state, wording
from asco_cal.carry import Carry
from asco_cal.errors import AscoCalError, InvalidInput
from asco_cal.filters import parse_filter, query_string
from asco_cal.loader import (
    FileLoader,
    Inputs,
    Loaded,
    Signature,
    Versions,
    load_file,
    read_meetings,
    signature,
)
from asco_cal.model import Event, Program
from asco_cal.server.http import Body, http_date, page_body, page_csp
from asco_cal.server.lane import Job
from asco_cal.urls import Urls, folder_url

log = logging.getLogger(__name__)

# A file's signature, or a folder's: each file's, by path.
Signatures = Signature | tuple[tuple[str, Signature], ...]


@dataclass(frozen=True)
class Settings:
    """How a :class:`Source` watches and builds its file."""

    poll_seconds: float = 0.5  # how often the file is looked at (0: on every request)
    max_cached: int = 512  # bodies and queries kept per snapshot: filters are open-ended
    page_bytes: int = 64_000_000  # rendered pages kept per snapshot (least recently used go)
    max_waiting: int = 200  # page requests rendering or waiting to; more get a 503
    # Render pages and feeds not made yet in a process forked from each version served
    # (server/lane.py), off the server's interpreter; a job that takes longer than
    # render_seconds there is rendered in the server instead.
    render_apart: bool = True
    render_seconds: float = 30.0
    load: FileLoader = load_file
    # Take each version in service out of the garbage collector's scans (gc.freeze:
    # process-wide, see _settle); False for a process that has other uses for it.
    freeze: bool = True


@dataclass(frozen=True)
class Refused:
    """A page the server answers with an error status (a message page)."""

    status: int
    html: bytes


Answer = Body | Refused
# How the lane makes what is not made yet: ``render(job)`` returns ``job(snapshot)``,
# rendered wherever it can (server/lane.py).
Render = Callable[[Job[Body]], Body]
MAX_BASES = 4  # addresses the page is prepared for at each reload (without a fixed one)


@dataclass
class Snapshot:
    """One loaded version of the sessions file and everything derived from it."""

    program: Program
    revisions: state.State
    loaded_at: float
    signature: Signatures  # (mtime_ns, size) of the file it came from (of each, for a folder)
    carry: Carry = field(default_factory=Carry)  # work reused from the previous version
    cache: dict[str, Body] = field(default_factory=dict)
    queries: dict[bytes, Body | AscoCalError] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    day: dt.date = field(default_factory=lambda: state.now().date(), kw_only=True)  # its page's
    max_cached: int = field(default=Settings.max_cached, kw_only=True)
    page_bytes: int = field(default=Settings.page_bytes, kw_only=True)

    def __post_init__(self) -> None:
        self.writers = feeds.Writers(self.program, self.revisions, carry=self.carry)
        self.writer = self.writers.writer(parse_filter(self.program, {}))
        self.events = {e.key: e for e in self.program.events}
        self.csp = page_csp(self.program.site)
        self.last_modified_http = http_date(self.last_modified)
        self.pages: OrderedDict[Hashable, Answer] = OrderedDict()  # least recently used first
        self._page_total = 0
        self._rendering: dict[Hashable, Future[Answer]] = {}
        self._groups: dict[Hashable, list[tuple[str, str, list[pages.Feed]]]] = {}

    @property
    def last_modified(self) -> float:
        modified = self.revisions.modified
        return modified.timestamp() if modified else self.loaded_at

    def warm(self, bases: tuple[str, ...] = ()) -> None:
        """Build the full feed (gzipped too), every event and the page once, so that a
        file that loads but cannot be rendered never replaces a good one; the page
        is prepared for each of ``bases`` (its public address, or the ones asked
        for lately), so that no request waits for it."""
        self.feed(b"", lambda query: {}).prepare()
        for event in self.program.scheduled:
            self.memo(f"session:{event.key}", functools.partial(self.single, event))
        for base in bases or ("http://localhost/",):
            answer = self.render_page(Urls(base=base, static=False), {})
            if bases:
                self.page(("page", base, ""), lambda answer=answer: answer)  # type: ignore[misc]

    def feed_of(self, filters: dict[str, list[str]], render: Render | None = None) -> Body:
        """The feed of some filters (raising the filter's error if they are bad), made
        by ``render`` if given (the lane's)."""
        parse_filter(self.program, filters)  # a bad filter's error: raised here, at once
        key = f"feed:{query_string(filters, self.program)}"
        job = Job(Snapshot.made_feed, (filters,))
        return self.kept(key, lambda: render(job) if render else job(self))

    def made_feed(self, filters: dict[str, list[str]]) -> Body:
        """The feed of some filters, made now (gzipped too)."""
        return Body(self.writers.calendar(parse_filter(self.program, filters))).prepare()

    def size(self, filters: dict[str, list[str]]) -> int:
        return len(self.feed_of(filters).data)

    def size_warning(self) -> str | None:
        """The warning for a full feed over Google's limit, naming the feeds that fit."""
        return feeds.size_warning(
            self.program,
            "the full feed (/calendar.ics)",
            self.size({}),
            lambda name, value, _: self.size({name: [value]}),
        )

    def topic_feeds(self, urls: Urls) -> list[tuple[str, str, list[pages.Feed]]]:
        """The page's per-day, per-type and per-compound feeds (the same in every view)."""
        key = ("topic feeds", urls)
        with self.lock:
            found = self._groups.get(key)
        if found is None:
            found = pages.topic_feeds(self.program, urls, self.size)
            with self.lock:
                if len(self._groups) < MAX_BASES * 2:
                    self._groups[key] = found
        return found

    def render_page(
        self,
        urls: Urls,
        filters: dict[str, list[str]],
        personal: dict[str, list[str]] | None = None,
    ) -> Answer:
        """The agenda page (a message page for a filter that names no session)."""
        try:
            html = pages.render(
                self.program,
                urls,
                filters=filters,
                personal=personal,
                sizes=self.size,
                groups=self.topic_feeds(urls),
                today=self.day,
            )
        except AscoCalError as exc:
            lines = [f"{exc.field}: {exc.message}." if exc.field else exc.message]
            title = wording.words(self.program)._("No such sessions")
            message = pages.render_message(self.program, urls, title, lines)
            return Refused(400, message.encode())
        return page_body(html, self.csp).prepare()

    def cached_page(self, key: Hashable) -> Answer | None:
        """A page already rendered (the request's fast path: no thread, no rendering)."""
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def page(self, key: Hashable, make: Callable[[], Answer]) -> Answer:
        """The page for ``key``, made once however many requests ask at the same time
        (call it from a worker thread: ``make`` renders); kept while the least
        recently used pages together fit in ``page_bytes``."""
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
                return found
            waiting = self._rendering.get(key)
            if waiting is None:
                self._rendering[key] = mine = Future[Answer]()
        if waiting is not None:
            return waiting.result()
        try:
            answer = make()
        except BaseException as exc:
            with self.lock:
                del self._rendering[key]
            mine.set_exception(exc)
            raise
        size = _weight(answer)
        with self.lock:
            del self._rendering[key]
            if size <= self.page_bytes:
                self.pages[key] = answer
                self._page_total += size
                while self._page_total > self.page_bytes:
                    _, old = self.pages.popitem(last=False)
                    self._page_total -= _weight(old)
        mine.set_result(answer)
        return answer

    def single(self, event: Event) -> bytes:
        return self.writer.calendar([event], single=True)

    def cached_feed(self, query: bytes) -> Body | None:
        """The feed of a query string if made already (raising the filter's error)."""
        found = self.queries.get(query)
        if isinstance(found, AscoCalError):
            raise found
        return found

    def feed(
        self,
        query: bytes,
        raw: Callable[[bytes], dict[str, list[str]]],
        render: Render | None = None,
    ) -> Body:
        """The feed for a query string (raising the filter's error if it is bad), made
        by ``render`` if given (the lane's).

        Each distinct query is parsed once per snapshot; equivalent queries
        (``8017,8013`` and ``8013&abstract=8017``) share one body.
        """
        found = self.queries.get(query)
        if found is None:
            try:
                found = self.feed_of(raw(query), render)
            except AscoCalError as exc:  # kept without its traceback, which holds this
                found = exc.with_traceback(None)  # snapshot in a cycle (see _settle)
            with self.lock:
                if len(self.queries) < self.max_cached:
                    self.queries[query] = found
        if isinstance(found, AscoCalError):
            raise found
        return found

    def memo(self, key: str, make: Callable[[], bytes]) -> Body:
        """Compute once per snapshot; at most ``max_cached`` entries."""
        return self.kept(key, lambda: Body(make()))

    def kept(self, key: str, make: Callable[[], Body]) -> Body:
        """A body made once per snapshot; at most ``max_cached`` entries."""
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        value = make()
        with self.lock:
            if len(self.cache) < self.max_cached:
                self.cache[key] = value
        return value


def _weight(answer: Answer) -> int:
    if isinstance(answer, Refused):
        return len(answer.html)
    return len(answer.data) + len(answer.gz)


def _settle() -> None:
    """Take the objects alive now (above all the snapshot just put in service) out of
    the cyclic garbage collector's generations (``gc.freeze``).

    They live until a later reload replaces them, and scanning them in every full
    collection would hold the interpreter for some 30 ms (1,200 sessions), during
    which no request is answered.  At each reload, everything frozen before is
    unfrozen and collected first, so a replaced snapshot goes even if something
    tied it in a reference cycle: this one collection holds the interpreter once per
    reload (about 10 ms at 1,200 sessions, 70-130 ms at 10,000), in the reloading
    thread, in place of those that would come during requests.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class _InFlux(Exception):  # a signal, not an error
    """The file changed while it was being read."""


class InvalidStart(AscoCalError):
    """The sessions file could not be loaded when the server started."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problem_lines = problems

    def __str__(self) -> str:
        return self.message


class Source:
    """The sessions file, its last good snapshot and the problems of the latest edit.

    ``base_url`` is the agenda page's public address (default: ``calendar.url`` of
    the file as it is at start); ``state_file`` defaults to the one beside the file.
    Raises :class:`InvalidStart` when the file cannot be loaded.
    """

    def __init__(
        self,
        path: Path | Inputs,
        *,
        state_file: Path | None = None,
        base_url: str | None = None,
        settings: Settings = Settings(),
        locale: str | None = None,
    ) -> None:
        self.inputs = path if isinstance(path, Inputs) else Inputs((str(path),))
        self.path = Path(self.inputs.given[0])
        # How messages and /healthz name it: never the full path.
        self.name = ", ".join(Path(given).name for given in self.inputs.given)
        self.locale = locale  # over the file's calendar.locale (``serve --locale``)
        self.settings = settings
        self._versions = Versions()  # a folder's files as last read
        self.broken: list[str] = []  # the names of the folder's files with problems
        self.page_base = folder_url(base_url)  # the agenda page's public address, if fixed
        self.bases: list[str] = []  # without one, the addresses the page was asked at lately
        self.state_file = state_file or self.inputs.state_file()
        self.problems: list[str] = []
        self.checked_at = 0.0
        self.reloading = threading.Lock()  # held while a new version is built
        self._failed_signature: Signatures | None = None
        self.polling = False  # a background task reloads; requests never wait for a load
        self._unsaved = False  # the state file could not be written
        first = None
        for _ in range(50):  # a file being written as the server starts: wait for it
            try:
                first = self._load(self._signature())
                break
            except _InFlux:
                time.sleep(0.1)
        if first is None or self.broken:  # a folder starts only with every file valid
            raise InvalidStart(self.problems)
        self.snapshot = first
        if settings.freeze:
            _settle()
        self.page_base = folder_url(base_url or first.program.calendar.url)
        if self.page_base:  # known now (calendar.url): the page people get, made ahead
            urls = Urls(base=self.page_base, static=False)
            first.page(("page", self.page_base, ""), lambda: first.render_page(urls, {}))

    def _signature(self) -> Signatures:
        if not self.inputs.several:
            return signature(self.path)
        found = self.inputs.calendar_file()
        files = [*self.inputs.files(), *([found] if found else [])]
        return tuple((str(path), signature(path)) for path, _ in files)

    def _read(self) -> Loaded:
        """The program from the file, or from the folder's files (each broken one in its
        last good version, and named in :attr:`broken`)."""
        if not self.inputs.several:
            return self.settings.load(self.path, name=self.name)
        read = read_meetings(
            self.inputs, self.settings.load, self._versions, short=True, grace=True
        )
        self._versions, self.broken = read.versions, list(read.broken)
        return Loaded(read.loaded.program, (*read.problems, *read.loaded.warnings))

    def _load(self, signature: Signatures) -> Snapshot | None:
        """A new snapshot, fully built before it is served; None (and problems) if not.

        The cyclic garbage collector is paused meanwhile: building a big program
        creates hundreds of thousands of (acyclic) objects, and collections
        triggered by them would double the time.
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._build(signature)
        finally:
            if collecting:
                gc.enable()

    def _build(self, signature: Signatures) -> Snapshot | None:
        try:
            try:
                loaded = self._read()
            finally:
                if self._signature() != signature:
                    raise _InFlux  # changed while being read: neither serve nor report it
            # After a failed save, the revisions in memory are newer than the file's.
            old = self.snapshot.revisions if self._unsaved else state.read(self.state_file)
            program = loaded.program.in_locale(self.locale)
            revisions = state.update(old, program, state.now())
            previous = getattr(self, "snapshot", None)
            carry = Carry(previous.carry if previous is not None else None)
            snapshot = Snapshot(
                program,
                revisions,
                time.time(),
                signature,
                carry,
                max_cached=self.settings.max_cached,
                page_bytes=self.settings.page_bytes,
            )
            snapshot.warm((self.page_base,) if self.page_base else tuple(self.bases))
        except _InFlux:
            raise
        except InvalidInput as exc:
            self.problems = [str(p) for p in exc.problems]
            return None
        except AscoCalError as exc:
            self.problems = [str(exc)]
            return None
        except Exception:  # a bug: keep serving the last good calendar
            log.exception("cannot build the calendar from %s", self.path)
            self.problems = [
                f"{self.name}: cannot build the calendar (an internal error, logged on "
                "the server); please report it"
            ]
            return None
        self.problems = [str(w) for w in loaded.warnings]
        if revisions != old:
            try:
                state.save(self.state_file, revisions)
                self._unsaved = False
            except AscoCalError as exc:  # e.g. a read-only deployment: serve the new data anyway
                self._unsaved = True
                log.warning("%s; serving the new version, its revisions are kept in memory", exc)
                self.problems.append(f"{exc} (revisions are kept in memory until a restart)")
        return snapshot

    def base_for(self, asked: str) -> str:
        """The page's address: the public one if fixed, else ``asked`` (the request's,
        from an allowed host), remembered so the next versions' pages are made ahead."""
        if self.page_base:
            return self.page_base
        if asked not in self.bases:
            self.bases = [asked, *self.bases][:MAX_BASES]
        return asked

    def current(self) -> Snapshot:
        """The snapshot to serve now.  Without the background poller (an ASGI server
        that does not run lifespan events), the request itself checks the file."""
        return self.snapshot if self.polling else self.refresh()

    def refresh(self, *, force: bool = False) -> Snapshot:
        """Reload if the file changed; return the snapshot to serve (never a broken one)."""
        now = time.monotonic()
        if not force and now - self.checked_at < self.settings.poll_seconds:
            return self.snapshot
        if self.snapshot.program.folder and self.snapshot.day != state.now().date():
            force = True  # a new day: meetings that ended yesterday move to the past
        if self._versions.gone:
            force = True  # a file gone at the last look: gone for good if still missing
        with self.reloading:
            self.checked_at = now
            signature = self._signature()
            if signature == self.snapshot.signature and not force:
                return self.snapshot
            if signature == self._failed_signature and not force:
                return self.snapshot
            started = time.perf_counter()
            try:
                fresh = self._load(signature)
            except _InFlux:  # an editor still writing it in place: the next poll reads it
                return self.snapshot
            if fresh is None:
                self._failed_signature = signature
                log.error(
                    "%s changed but has problems; still serving the last good calendar "
                    "(loaded %s):",
                    self.path,
                    http_date(self.snapshot.loaded_at),
                )
                for problem in self.problems:
                    log.error("  %s", problem)
                return self.snapshot
            self._failed_signature = None
            self.snapshot = fresh
            if self.settings.freeze:
                _settle()
            log.info(
                "reloaded %s: %d events in %.2f s",
                self.path,
                len(fresh.program.scheduled),
                time.perf_counter() - started,
            )
            return fresh

    @property
    def healthy(self) -> bool:
        return self._failed_signature is None and not self.broken

    @contextlib.asynccontextmanager
    async def watching(
        self, served: Callable[[Snapshot], None] | None = None
    ) -> AsyncIterator[None]:
        """While it lasts (the app's lifespan), a background task reloads the file;
        ``served(snapshot)`` is called with each version put in service (the first too)."""

        async def poll() -> None:
            last = self.snapshot
            while True:
                await asyncio.sleep(self.settings.poll_seconds)
                fresh = await asyncio.to_thread(self.refresh)
                if fresh is not last and served is not None:
                    served(fresh)
                last = fresh

        if served is not None:
            served(self.snapshot)

        task = asyncio.create_task(poll())
        self.polling = True
        try:
            yield
        finally:
            self.polling = False
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
