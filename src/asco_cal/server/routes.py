"""The endpoints: the agenda page, ``/my``, ``/sessions/<key>.ics``, ``/healthz`` and
the feed, each answering from the :class:`~asco_cal.server.source.Source` it is given."""

from __future__ import annotations

import functools

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from asco_cal import __version__, pages
from asco_cal.errors import AscoCalError
from asco_cal.filters import normalise, parse_filter
from asco_cal.server.http import PAGE_HEADERS, Prepared, bad_filter, calendar_answer, http_date
from asco_cal.server.middleware import secured
from asco_cal.server.source import Source
from asco_cal.urls import Urls, folder_url

HTML_TYPE = "text/html; charset=utf-8"
_FEED_HEADERS = (b"accept-encoding", b"if-none-match", b"if-modified-since")


def query_filters(query: bytes) -> dict[str, list[str]]:
    """A raw query string as filters: each name with its values, in order."""
    raw: dict[str, list[str]] = {}
    for key, value in QueryParams(query).multi_items():
        raw.setdefault(key, []).append(value)
    return raw


class FeedEndpoint:
    """``/calendar.ics`` as a bare ASGI endpoint: the snapshot's prepared answer
    (also routed, for 405s)."""

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
            body = snap.feed(scope["query_string"], query_filters)
        except AscoCalError as exc:
            await bad_filter(exc)(scope, receive, secured(send))
            return
        status, start, content = calendar_answer(
            scope["method"], headers, body, snap.last_modified_http
        )
        await send({"type": "http.response.start", "status": status, "headers": start})
        await send({"type": "http.response.body", "body": content})


class Endpoints:
    """The page, ``/my``, one event's download and ``/healthz`` for one source."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def urls(self, request: Request) -> Urls:
        """Addresses from the public one if fixed, else from the request's."""
        return Urls(base=self.source.page_base or folder_url(str(request.base_url)), static=False)

    async def page(self, request: Request) -> Response:
        snap = self.source.current()
        urls = self.urls(request)
        # Cache only with a fixed public address: Host headers are the client's to choose,
        # and must not grow the cache (nor the links carried between versions).
        fixed = self.source.page_base is not None

        def render() -> bytes:
            return pages.render(snap.program, urls, carry=snap.carry if fixed else None).encode()

        html = snap.memo("page", render).data if fixed else render()
        return Response(
            html, media_type=HTML_TYPE, headers={"Cache-Control": "no-cache", **PAGE_HEADERS}
        )

    async def my(self, request: Request) -> Response:
        snap = self.source.current()
        raw = query_filters(request.scope["query_string"])
        try:
            parse_filter(snap.program, raw)
        except AscoCalError as exc:
            return bad_filter(exc)
        chosen = normalise(raw, snap.program)
        if not chosen:
            return PlainTextResponse(
                "Tick at least one session on the agenda page to get your feed.\n", status_code=400
            )
        html = pages.render(snap.program, self.urls(request), personal=chosen)
        return Response(html.encode(), media_type=HTML_TYPE, headers=PAGE_HEADERS)

    async def session(self, request: Request) -> Response:
        snap = self.source.current()
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
        modified = http_date(revision.modified.timestamp())
        return Prepared(
            *calendar_answer(request.method, request.headers, body, modified, f"{key}.ics")
        )

    async def healthz(self, request: Request) -> Response:
        source = self.source
        snap = source.current()
        healthy = source.healthy
        body = {
            "status": "ok" if healthy else "stale",
            "detail": "serving the current file"
            if healthy
            else f"{source.name} has problems; still serving the last good version",
            "source": source.name,  # not the full path: this page is public
            "loaded": http_date(snap.loaded_at),
            "last_modified": http_date(snap.last_modified),
            "events": len(snap.program.scheduled),
            "unscheduled": len(snap.program.unscheduled),
            "problems": source.problems,
            "version": __version__,
        }
        # 200 even when stale: the last good feed is still served, and a load
        # balancer should keep sending traffic here.
        return JSONResponse(body, headers={"Cache-Control": "no-store"})
