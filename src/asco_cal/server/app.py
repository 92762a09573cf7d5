"""The ASGI app for one sessions file: the routes, the Guard and the feed's fast path."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from asco_cal.model import Program
from asco_cal.server.middleware import Guard, refusal
from asco_cal.server.routes import Endpoints, FeedEndpoint
from asco_cal.server.source import Settings, Source


class App:
    """The ASGI app: ``/calendar.ics`` answered directly, everything else by Starlette.

    Calendar servers poll the feed all day, mostly for a 304; this path looks up
    the snapshot's prepared response (body, ETag, gzip) and sends it, without a
    request object, routing or middleware stack: close to what a bare ASGI app
    costs.  It behaves exactly like the route it replaces (tests/test_web.py).
    """

    def __init__(self, inner: Starlette, feed: FeedEndpoint, source: Source) -> None:
        self.inner = inner
        self.feed = feed
        self.source = source

    @property
    def program(self) -> Program:
        """The program being served: the file's last good version."""
        return self.source.snapshot.program

    @property
    def problems(self) -> list[str]:
        """The warnings of the version served, or the problems of the latest edit."""
        return list(self.source.problems)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/calendar.ics"
            and scope["method"] in ("GET", "HEAD")
            and refusal(scope) is None  # else Starlette's Guard answers 414 or 431
        ):
            await self.feed(scope, receive, send)
            return
        await self.inner(scope, receive, send)


def create_app(
    sessions: str | os.PathLike[str] | None = None,
    *,
    state_file: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    settings: Settings | None = None,
) -> App:
    """The ASGI app for one sessions file (default: $ASCO_CAL_SESSIONS or ./sessions.yaml),
    its page's public address ``base_url`` (default: $ASCO_CAL_BASE_URL, else the file's
    ``calendar.url``).

    Raises :class:`~asco_cal.server.source.InvalidStart` when the file cannot be
    loaded at start-up.
    """
    source = Source(
        Path(sessions or os.environ.get("ASCO_CAL_SESSIONS") or "sessions.yaml"),
        state_file=Path(state_file) if state_file else None,
        base_url=base_url or os.environ.get("ASCO_CAL_BASE_URL"),
        settings=settings or Settings(),
    )
    endpoints = Endpoints(source)
    feed = FeedEndpoint(source)
    inner = Starlette(
        routes=[
            Route("/", endpoints.page),
            Route("/index.html", endpoints.page),
            Route("/my", endpoints.my),
            Route("/calendar.ics", feed, methods=["GET", "HEAD"]),
            Route("/sessions/{key}.ics", endpoints.session),
            Route("/healthz", endpoints.healthz),
        ],
        lifespan=lambda _: source.watching(),
        middleware=[Middleware(Guard)],
    )
    return App(inner, feed, source)
