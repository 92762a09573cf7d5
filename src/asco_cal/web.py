"""The live feed: an ASGI app (Starlette) serving the agenda page and .ics feeds.

Run it with ``asco-cal serve`` or any ASGI server::

    ASCO_CAL_SESSIONS=/srv/asco/sessions.yaml uvicorn --factory asco_cal.web:create_app

Routes: ``/`` (agenda page), ``/my?abstract=...`` (a personal feed's page),
``/calendar.ics`` (the feed; filters ``abstract``, ``type``, ``compound``,
``date``), ``/sessions/<id>.ics`` (one event, as a download) and ``/healthz``.

The sessions file is re-read when it changes on disk: a background task
checks it every half second, so requests never wait for a load (under an ASGI
server that runs no lifespan events, requests check instead).  Each new version
is fully built (feed, every event, page) before it is served; an invalid edit
never replaces the calendar being served: the last good one stays, the problems
are logged and shown on ``/healthz``.  Each version is an immutable
:class:`Snapshot`, swapped in one assignment, so no request ever sees a
half-loaded calendar.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import gc
import gzip
import hashlib
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asco_cal import __version__, ics, pages, state
from asco_cal.carry import Carry
from asco_cal.errors import AscoCalError, InvalidInput
from asco_cal.filters import FILTER_NAMES, normalise, parse_filter, query_string
from asco_cal.loader import load_file
from asco_cal.model import Event, Program
from asco_cal.urls import Urls, folder_url

log = logging.getLogger("asco_cal.web")

MAX_AGE = 300  # seconds: clients and CDNs may reuse a feed for 5 minutes
POLL_SECONDS = 0.5
MAX_CACHED = 512
ICS_TYPE = "text/calendar; charset=utf-8"
PAGE_HEADERS = {
    # The page has no script at all; say so, so that nothing injected could run.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
    "data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class Body:
    """Response bytes with their validators, computed once: a cached request
    only looks them up (no hashing or compressing per request)."""

    __slots__ = ("_gz", "_lock", "_starts", "data", "etag", "gz_etag")

    def __init__(self, data: bytes) -> None:
        self.data = data
        digest = hashlib.sha256(data).hexdigest()[:32]
        self.etag, self.gz_etag = f'"{digest}"', f'"{digest}-gzip"'
        self._gz: bytes | None = None
        self._lock = threading.Lock()
        self._starts: dict[tuple[int, bool, str, str | None], list[tuple[bytes, bytes]]] = {}

    def start(
        self, status: int, gz: bool, last_modified: str, download: str | None = None
    ) -> list[tuple[bytes, bytes]]:
        """The response headers (memoised: the same few every time)."""
        key = (status, gz, last_modified, download)
        found = self._starts.get(key)
        if found is None:
            headers = [
                (b"cache-control", f"public, max-age={MAX_AGE}".encode()),
                (b"last-modified", last_modified.encode()),
                (b"vary", b"Accept-Encoding"),
                (b"etag", (self.gz_etag if gz else self.etag).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"no-referrer"),
            ]
            if download:
                disposition = f'attachment; filename="{download}"'
                headers.append((b"content-disposition", disposition.encode("latin-1")))
            if status == 200:
                headers += [
                    (b"content-type", ICS_TYPE.encode()),
                    (b"content-length", str(len(self.gz if gz else self.data)).encode()),
                ]
                if gz:
                    headers.append((b"content-encoding", b"gzip"))
            found = self._starts[key] = headers
        return found

    @property
    def gz(self) -> bytes:
        with self._lock:
            if self._gz is None:
                self._gz = gzip.compress(self.data, mtime=0)
            return self._gz


@dataclass
class Snapshot:
    """One loaded version of the sessions file and everything derived from it."""

    program: Program
    revisions: state.State
    loaded_at: float
    signature: tuple[int, int]  # (mtime_ns, size) of the file it came from
    carry: Carry = field(default_factory=Carry)  # work reused from the previous version
    cache: dict[str, Body] = field(default_factory=dict)
    queries: dict[bytes, Body | AscoCalError] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.writer = ics.Writer(self.program, self.revisions, carry=self.carry)
        self.events = {e.key: e for e in self.program.events}
        self.last_modified_http = _http_date(self.last_modified)

    @property
    def last_modified(self) -> float:
        modified = self.revisions.modified
        return modified.timestamp() if modified else self.loaded_at

    def warm(self, page_base: str | None = None) -> None:
        """Build the full feed, every event and the page once, so that a file that
        loads but cannot be rendered never replaces a good one.  With the page's
        public address known, that page is the one served."""
        self.feed(b"", lambda query: {})
        for event in self.program.scheduled:
            self.memo(f"session:{event.key}", functools.partial(self.single, event))
        urls = Urls(base=page_base or "http://localhost/", static=False)
        html = pages.render(self.program, urls, carry=self.carry).encode()
        if page_base:
            self.memo("page", lambda: html)

    def single(self, event: Event) -> bytes:
        return self.writer.calendar([event], single=True)

    def feed(self, query: bytes, raw: Callable[[bytes], dict[str, list[str]]]) -> Body:
        """The feed for a query string (raising the filter's error if it is bad).

        Each distinct query is parsed once per snapshot; equivalent queries
        (``8017,8013`` and ``8013&abstract=8017``) share one body.
        """
        found = self.queries.get(query)
        if found is None:
            try:
                filters = raw(query)
                chosen = parse_filter(self.program, filters)
                key = f"feed:{query_string(filters, self.program)}"
                found = self.memo(
                    key, lambda: self.writer.calendar(chosen.apply(self.program.events))
                )
            except AscoCalError as exc:
                found = exc
            with self.lock:
                if len(self.queries) < MAX_CACHED:
                    self.queries[query] = found
        if isinstance(found, AscoCalError):
            raise found
        return found

    def memo(self, key: str, make: Callable[[], bytes]) -> Body:
        """Compute once per snapshot; at most MAX_CACHED entries (filters are open-ended)."""
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        value = Body(make())
        with self.lock:
            if len(self.cache) < MAX_CACHED:
                self.cache[key] = value
        return value


class _InFlux(Exception):  # a signal, not an error
    """The file changed while it was being read."""


class Source:
    """The sessions file, its last good snapshot and the problems of the latest edit."""

    def __init__(
        self, path: Path, state_file: Path | None = None, page_base: str | None = None
    ) -> None:
        self.path = path
        self.page_base = page_base  # the agenda page's public address, if fixed
        self.state_file = state_file or state.state_path(path)
        self.problems: list[str] = []
        self.checked_at = 0.0
        self._lock = threading.Lock()
        self._failed_signature: tuple[int, int] | None = None
        self.polling = False  # a background task reloads; requests never wait for a load
        self._unsaved = False  # the state file could not be written
        first = None
        for _ in range(50):  # a file being written as the server starts: wait for it
            try:
                first = self._load(self._signature())
                break
            except _InFlux:
                time.sleep(0.1)
        if first is None:
            raise InvalidStart(self.problems)
        self.snapshot = first

    def _signature(self) -> tuple[int, int]:
        try:
            st = self.path.stat()
        except OSError:
            return (-1, -1)
        return (st.st_mtime_ns, st.st_size)

    def _load(self, signature: tuple[int, int]) -> Snapshot | None:
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

    def _build(self, signature: tuple[int, int]) -> Snapshot | None:
        try:
            try:
                loaded = load_file(self.path)
            finally:
                if self._signature() != signature:
                    raise _InFlux  # changed while being read: neither serve nor report it
            # After a failed save, the revisions in memory are newer than the file's.
            old = self.snapshot.revisions if self._unsaved else state.read(self.state_file)
            revisions = state.update(old, loaded.program, state.now())
            previous = getattr(self, "snapshot", None)
            carry = Carry(previous.carry if previous is not None else None)
            snapshot = Snapshot(loaded.program, revisions, time.time(), signature, carry)
            snapshot.warm(self.page_base)
        except _InFlux:
            raise
        except InvalidInput as exc:
            self.problems = [self._public(p) for p in exc.problems]
            return None
        except AscoCalError as exc:
            self.problems = [self._public(exc)]
            return None
        except Exception:  # a bug: keep serving the last good calendar
            log.exception("cannot build the calendar from %s", self.path)
            self.problems = [
                f"{self.path.name}: cannot build the calendar (an internal error, logged on "
                "the server); please report it"
            ]
            return None
        self.problems = [self._public(w) for w in loaded.warnings]
        if revisions != old:
            try:
                state.save(self.state_file, revisions)
                self._unsaved = False
            except AscoCalError as exc:  # e.g. a read-only deployment: serve the new data anyway
                self._unsaved = True
                log.warning("%s; serving the new version, its revisions are kept in memory", exc)
                self.problems.append(f"{exc} (revisions are kept in memory until a restart)")
        return snapshot

    def _public(self, problem: AscoCalError) -> str:
        """A problem as /healthz shows it: with the file's name, not its full path."""
        text = str(problem)
        full = str(self.path)
        return self.path.name + text[len(full) :] if text.startswith(full) else text

    def current(self) -> Snapshot:
        """The snapshot to serve now.  Without the background poller (an ASGI server
        that does not run lifespan events), the request itself checks the file."""
        return self.snapshot if self.polling else self.refresh()

    def refresh(self, *, force: bool = False) -> Snapshot:
        """Reload if the file changed; return the snapshot to serve (never a broken one)."""
        now = time.monotonic()
        if not force and now - self.checked_at < POLL_SECONDS:
            return self.snapshot
        with self._lock:
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
                    _http_date(self.snapshot.loaded_at),
                )
                for problem in self.problems:
                    log.error("  %s", problem)
                return self.snapshot
            self._failed_signature = None
            self.snapshot = fresh
            log.info(
                "reloaded %s: %d events in %.2f s",
                self.path,
                len(fresh.program.scheduled),
                time.perf_counter() - started,
            )
            return fresh

    @property
    def healthy(self) -> bool:
        return self._failed_signature is None


class InvalidStart(AscoCalError):
    """The sessions file could not be loaded when the server started."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problem_lines = problems

    def __str__(self) -> str:
        return self.message


def _http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def _wants_gzip(headers: Mapping[str, str]) -> bool:
    """Only when the client lists gzip with a non-zero quality (RFC 9110 12.5.3)."""
    for part in headers.get("accept-encoding", "").split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() in ("gzip", "x-gzip"):
            q = params.strip().lower()
            if not q.startswith("q="):
                return True
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False  # a malformed quality: send plain bytes, never an error
    return False


def _not_modified(headers: Mapping[str, str], etags: tuple[str, ...], last_modified: str) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins; else If-Modified-Since."""
    inm = headers.get("if-none-match")
    if inm is not None:
        if inm in etags:  # what a client that already has the feed sends: decided at once
            return True
        if inm.strip() == "*":
            return True
        sent = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return not sent.isdisjoint(etags)
    ims = headers.get("if-modified-since")
    if ims:
        if ims == last_modified:
            return True
        try:
            since = email.utils.parsedate_to_datetime(ims).timestamp()
            modified = email.utils.parsedate_to_datetime(last_modified).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return modified <= since
    return False


def calendar_answer(
    method: str,
    headers: Mapping[str, str],
    body: Body,
    last_modified: str,
    download: str | None = None,
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and content for a calendar: ETag, Last-Modified, 304s, HEAD,
    and gzip when asked."""
    gz = "accept-encoding" in headers and _wants_gzip(headers)
    if _not_modified(headers, (body.etag, body.gz_etag), last_modified):
        return 304, body.start(304, gz, last_modified, download), b""
    content = b"" if method == "HEAD" else (body.gz if gz else body.data)
    return 200, body.start(200, gz, last_modified, download), content


class _Prepared(Response):
    """A response whose status, headers and content are already made."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], content: bytes) -> None:
        self.status_code = status
        self.raw_headers = headers
        self.body = content
        self.background = None


def _filters_from_query(request: Request) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        raw.setdefault(key, []).append(value)
    return raw


def _bad_filter(exc: AscoCalError) -> Response:
    accepted = ", ".join(FILTER_NAMES)
    return PlainTextResponse(
        f"Bad filter: {exc.field}: {exc.message}\n\n"
        f"Filters: {accepted}; several values of one filter are comma-separated "
        "(abstract=8017,8013), different filters all apply "
        "(type=poster&date=2011-06-04). Dates are YYYY-MM-DD.\n",
        status_code=400,
    )


_FEED_HEADERS = (b"accept-encoding", b"if-none-match", b"if-modified-since")


def _query_filters(query: bytes) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for key, value in QueryParams(query.decode("latin-1")).multi_items():
        raw.setdefault(key, []).append(value)
    return raw


class App:
    """The ASGI app: ``/calendar.ics`` answered directly, everything else by Starlette.

    Calendar servers poll the feed all day, mostly for a 304; this path looks up
    the snapshot's prepared response (body, ETag, gzip) and sends it, without a
    request object, routing or middleware stack: close to what a bare ASGI app
    costs.  It behaves exactly like the route it replaces (tests/test_web.py).
    """

    def __init__(self, inner: Starlette, feed: FeedEndpoint) -> None:
        self.inner = inner
        self.feed = feed

    @property
    def state(self) -> Any:
        return self.inner.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/calendar.ics"
            and scope["method"] in ("GET", "HEAD")
            and _refusal(scope) is None  # else Starlette's Guard answers 414 or 431
        ):
            await self.feed(scope, receive, send)
            return
        await self.inner(scope, receive, send)


class FeedEndpoint:
    """``/calendar.ics`` as a bare ASGI endpoint (also routed, for 405s)."""

    def __init__(self, source: Source) -> None:
        self.source = source

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in _FEED_HEADERS
        }
        snap = self.source.current()
        try:
            body = snap.feed(scope["query_string"], _query_filters)
        except AscoCalError as exc:
            await _bad_filter(exc)(scope, receive, Guard._send(send))
            return
        status, start, content = calendar_answer(
            scope["method"], headers, body, snap.last_modified_http
        )
        await send({"type": "http.response.start", "status": status, "headers": start})
        await send({"type": "http.response.body", "body": content})


def create_app(
    sessions: str | os.PathLike[str] | None = None,
    *,
    state_file: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
) -> App:
    """The ASGI app for one sessions file (default: $ASCO_CAL_SESSIONS or ./sessions.yaml).

    Raises :class:`AscoCalError` when the file cannot be loaded at start-up.
    """
    path = Path(sessions or os.environ.get("ASCO_CAL_SESSIONS") or "sessions.yaml")
    given = base_url or os.environ.get("ASCO_CAL_BASE_URL")
    source = Source(path, Path(state_file) if state_file else None, folder_url(given))
    base = given or source.snapshot.program.calendar.url
    source.page_base = folder_url(base)

    def urls_for(request: Request) -> Urls:
        return Urls(base=folder_url(base or str(request.base_url)), static=False)

    async def page(request: Request) -> Response:
        snap = source.current()
        urls = urls_for(request)

        def render() -> bytes:
            # Links are carried between versions only for the one public address:
            # Host headers are the client's to choose, and must not grow the cache.
            carry = snap.carry if base else None
            return pages.render(snap.program, urls, carry=carry).encode()

        # Cache only with a fixed public address: Host headers are the client's to choose.
        html = snap.memo("page", render).data if base else render()
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache", **PAGE_HEADERS},
        )

    async def my(request: Request) -> Response:
        snap = source.current()
        raw = _filters_from_query(request)
        try:
            parse_filter(snap.program, raw)
        except AscoCalError as exc:
            return _bad_filter(exc)
        chosen = normalise(raw, snap.program)
        if not chosen:
            return PlainTextResponse(
                "Tick at least one session on the agenda page to get your feed.\n", status_code=400
            )
        html = pages.render(snap.program, urls_for(request), personal=chosen)
        return Response(html.encode(), media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def session(request: Request) -> Response:
        snap = source.current()
        key = request.path_params["key"]
        event = snap.events.get(key)
        if event is None:
            return PlainTextResponse(
                f"No session {key!r}. See the agenda page for the list.\n", status_code=404
            )
        if not event.scheduled:
            return PlainTextResponse(
                f"Abstract {event.label} has no date or time yet; subscribe to the feed to get "
                "it when it is announced.\n",
                status_code=404,
            )
        body = snap.memo(f"session:{key}", functools.partial(snap.single, event))
        revision = snap.revisions.revision(event.uid(snap.program.conference))
        modified = _http_date(revision.modified.timestamp())
        return _Prepared(
            *calendar_answer(request.method, request.headers, body, modified, f"{key}.ics")
        )

    async def healthz(request: Request) -> Response:
        snap = source.current()
        healthy = source.healthy
        body = {
            "status": "ok" if healthy else "stale",
            "detail": "serving the current file"
            if healthy
            else (f"{path.name} has problems; still serving the last good version"),
            "source": path.name,  # not the full path: this page is public
            "loaded": _http_date(snap.loaded_at),
            "last_modified": _http_date(snap.last_modified),
            "events": len(snap.program.scheduled),
            "unscheduled": len(snap.program.unscheduled),
            "problems": source.problems,
            "version": __version__,
        }
        # 200 even when stale: the last good feed is still served, and a load
        # balancer should keep sending traffic here.
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def poll() -> None:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                await asyncio.to_thread(source.refresh)

        task = asyncio.create_task(poll())
        source.polling = True
        try:
            yield
        finally:
            source.polling = False
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    endpoint = FeedEndpoint(source)
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/index.html", page),
            Route("/my", my),
            Route("/calendar.ics", endpoint, methods=["GET", "HEAD"]),
            Route("/sessions/{key}.ics", session),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
        middleware=[Middleware(Guard)],
    )
    app.state.source = source
    return App(app, endpoint)


MAX_TARGET = 8192  # bytes of path + query: feeds with every abstract of a meeting fit
MAX_HEADERS = 32 * 1024  # bytes of all request headers together


def _refusal(scope: Scope) -> tuple[int, str] | None:
    """414 or 431 (with its message) for an oversized request, else None."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
    if target > MAX_TARGET:
        return 414, f"The address is too long (over {MAX_TARGET} bytes).\n"
    if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > MAX_HEADERS:
        return 431, f"The request headers are too large (over {MAX_HEADERS} bytes).\n"
    return None


class Guard:
    """ASGI middleware: refuse oversized requests, mark every response ``nosniff``.

    A path and query over :data:`MAX_TARGET` bytes get 414, headers over
    :data:`MAX_HEADERS` bytes 431, before any route runs.  Every response,
    errors included, says ``X-Content-Type-Options: nosniff`` and
    ``Referrer-Policy: no-referrer``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _refusal(scope)
        if refusal is not None:
            response = PlainTextResponse(refusal[1], status_code=refusal[0])
            await response(scope, receive, self._send(send))
            return
        await self.app(scope, receive, self._send(send))

    @staticmethod
    def _send(send: Send) -> Send:
        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", b"no-referrer"))
                message = {**message, "headers": headers}
            await send(message)

        return guarded


class AccessLog:
    """ASGI middleware: one log line per request (method, path, status, bytes, time).

    With ``stream`` (what ``asco-cal serve`` uses), lines are written in batches:
    at most a second late, and at shutdown, instead of one write per request,
    which would cost the feed a third of its speed.  Without, each line goes to
    ``logger`` (what tests and embedding applications see).
    """

    def __init__(
        self, app: ASGIApp, logger: logging.Logger = log, stream: TextIO | None = None
    ) -> None:
        self.app = app
        self.logger = logger
        self.stream = stream
        self.lines: list[str] = []
        self._second = -1
        self._stamp = ""
        self._timer: asyncio.TimerHandle | None = None

    def flush(self) -> None:
        self._timer = None
        if self.lines and self.stream is not None:
            self.stream.write("".join(self.lines))
            self.stream.flush()
            self.lines.clear()

    def _write(self, message: str) -> None:
        if self.stream is None:
            self.logger.info("%s", message)
            return
        now = int(time.time())
        if now != self._second:
            self._second = now
            self._stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
        self.lines.append(f"{self._stamp} {message}\n")
        if len(self.lines) >= 200:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(1.0, self.flush)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":

            async def flushing_send(message: Message) -> None:
                if message["type"].startswith("lifespan.shutdown"):
                    self.flush()
                await send(message)

            await self.app(scope, receive, flushing_send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        sent = 0

        async def counting_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            self._write(
                f"{scope['method']} {scope.get('path', '')}{'?' + query if query else ''} "
                f"{status} {sent}B {(time.perf_counter() - started) * 1000:.1f}ms"
            )
