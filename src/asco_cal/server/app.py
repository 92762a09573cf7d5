"""The ASGI app for one sessions file: the routes, the Guard and the feed's fast path."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from asco_cal.loader import Inputs
from asco_cal.model import Program
from asco_cal.server.hosts import LOOPBACK, Hosts, host_of
from asco_cal.server.lane import Lane
from asco_cal.server.middleware import Guard, refusal, secured
from asco_cal.server.routes import Endpoints, FeedEndpoint, PageEndpoint
from asco_cal.server.source import Settings, Source

PAGE_SLOTS = 4  # requests other than the feed's answered at once (the rest wait their turn)


class App:
    """The ASGI app: ``/calendar.ics`` and the ready page answered directly, everything
    else by Starlette.

    Calendar servers poll the feed all day, mostly for a 304; this path looks up
    the snapshot's prepared response (body, ETag, gzip) and sends it, without a
    request object, routing or middleware stack: close to what a bare ASGI app
    costs.  It behaves exactly like the route it replaces (tests/test_web.py).
    """

    def __init__(
        self,
        inner: Starlette,
        feed: FeedEndpoint,
        source: Source,
        hosts: Hosts | None = None,
        slots: asyncio.Semaphore | None = None,
        page: PageEndpoint | None = None,
    ) -> None:
        self.inner = inner
        self.feed = feed
        self.page = page
        self.source = source
        self.hosts = hosts or Hosts()
        self.slots = slots or asyncio.Semaphore(PAGE_SLOTS)

    @property
    def program(self) -> Program:
        """The program being served: the file's last good version."""
        return self.source.snapshot.program

    @property
    def problems(self) -> list[str]:
        """The warnings of the version served, or the problems of the latest edit."""
        return list(self.source.problems)

    @property
    def size_warning(self) -> str | None:
        """Whether the full feed is too big for Google Calendar, and which feeds fit."""
        return self.source.snapshot.size_warning()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and self.source.page_base is None
            and not self.hosts.allows(host_of(scope))
        ):  # without a fixed public address, only the hosts it was told (hosts.py)
            refused = PlainTextResponse(self.hosts.refusal(), status_code=400)
            await refused(scope, receive, secured(send))
            return
        if (
            scope["type"] == "http"
            and scope["path"] == "/calendar.ics"
            and scope["method"] in ("GET", "HEAD")
            and refusal(scope) is None  # else Starlette's Guard answers 414 or 431
        ):
            await self.feed(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        # Every other request (pages above all) takes one of a few slots, so that however
        # many pages are asked for at once, the feed's polls are answered between them.
        async with self.slots:
            if (
                self.page is not None
                and scope["path"] in ("/", "/index.html")
                and not scope["query_string"]
                and scope["method"] in ("GET", "HEAD")
                and refusal(scope) is None
                and await self.page(scope, receive, send)
            ):
                return
            await self.inner(scope, receive, send)


@contextlib.asynccontextmanager
async def _lifespan(source: Source, lane: Lane) -> AsyncIterator[None]:
    """While the app serves: the file watched, each version's rendering process forked
    as soon as it is served; at its end, no rendering process left."""
    try:
        async with source.watching(lane.prepare):
            yield
    finally:
        lane.close()


def create_app(
    sessions: str | os.PathLike[str] | Sequence[str] | None = None,
    *,
    state_file: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    settings: Settings | None = None,
    allowed_hosts: Iterable[str] | None = None,
    locale: str | None = None,
) -> App:
    """The ASGI app for one sessions file (default: $ASCO_CAL_SESSIONS or ./sessions.yaml),
    or a folder of meetings (or several files: a sequence of paths),
    its page's public address ``base_url`` (default: $ASCO_CAL_BASE_URL, else the file's
    ``calendar.url``).  Without a public address, only requests naming one of
    ``allowed_hosts`` are answered (default: $ASCO_CAL_ALLOWED_HOSTS, comma-separated,
    else the loopback names).  ``locale`` (a canonical tag) overrides the file's
    ``calendar.locale``, in every version of the file served.

    Raises :class:`~asco_cal.server.source.InvalidStart` when the file cannot be
    loaded at start-up.
    """
    if sessions is None or isinstance(sessions, (str, os.PathLike)):
        given: tuple[str, ...] = (
            str(sessions or os.environ.get("ASCO_CAL_SESSIONS") or "sessions.yaml"),
        )
    else:
        given = tuple(str(s) for s in sessions)
    source = Source(
        Inputs(given),
        state_file=Path(state_file) if state_file else None,
        base_url=base_url or os.environ.get("ASCO_CAL_BASE_URL"),
        settings=settings or Settings(),
        locale=locale,
    )
    page = PageEndpoint(source)
    slots = asyncio.Semaphore(PAGE_SLOTS)
    settings = source.settings
    lane = Lane(  # pages and feeds not made yet, one at a time, in another process
        settings.max_waiting,
        apart=settings.render_apart,
        timeout=settings.render_seconds,
        quiet=source.reloading,  # never forked while a version is half built
    )
    endpoints = Endpoints(source, lane, page, slots)
    feed = FeedEndpoint(source, lane)
    inner = Starlette(
        routes=[
            Route("/", endpoints.page),
            Route("/index.html", endpoints.page),
            Route("/my", endpoints.my),
            Route("/add/{key}", endpoints.add_slash),
            Route("/add/{key}/", endpoints.add),
            Route("/calendar.ics", feed, methods=["GET", "HEAD"]),
            Route("/sessions/{key}.ics", endpoints.session),
            Route("/agenda.json", endpoints.agenda_json),
            Route("/embed.html", endpoints.embed),
            Route("/favicon.ico", endpoints.icon),
            Route("/favicon.svg", endpoints.icon),
            Route("/logo.{kind}", endpoints.icon),
            Route("/healthz", endpoints.healthz),
        ],
        lifespan=lambda _: _lifespan(source, lane),
        middleware=[Middleware(Guard)],
    )
    if allowed_hosts is None:
        named = os.environ.get("ASCO_CAL_ALLOWED_HOSTS", "")
        allowed_hosts = [h for h in named.split(",") if h.strip()] or LOOPBACK
    return App(inner, feed, source, Hosts(allowed_hosts), slots=slots, page=page)
