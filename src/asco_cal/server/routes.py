"""The endpoints: the agenda page, ``/my``, ``/add/<key>/``, ``/sessions/<key>.ics``,
``/agenda.json``, ``/embed.html``, the logo and favicon, ``/healthz`` and the feed, each
answering from the :class:`~asco_cal.server.source.Source` it is given."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Hashable
from urllib.parse import quote

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from asco_cal import __version__, agenda, brand, links, pages, wording
from asco_cal.errors import AscoCalError
from asco_cal.filters import FILTER_NAMES, normalise, query_string
from asco_cal.model import Event
from asco_cal.server.http import (
    HTML_TYPE,
    PAGE_CACHE,
    PAGE_HEADERS,
    Body,
    Prepared,
    bad_filter,
    calendar_answer,
    http_date,
    page_body,
)
from asco_cal.server.lane import Busy, Job, Lane
from asco_cal.server.middleware import secured
from asco_cal.server.source import Answer, Refused, Snapshot, Source
from asco_cal.urls import Urls, abstract_download_name, download_name, folder_url
from asco_cal.values import shown

_FEED_HEADERS = (b"accept-encoding", b"if-none-match", b"if-modified-since")


def query_filters(query: bytes) -> dict[str, list[str]]:
    """A raw query string as filters: each name with its values, in order."""
    raw: dict[str, list[str]] = {}
    for key, value in QueryParams(query).multi_items():
        raw.setdefault(key, []).append(value)
    return raw


def page_filters(query: bytes) -> dict[str, list[str]]:
    """A page's query as filters, without the empty values a form sends (``q=&date=``)."""
    return {
        name: kept
        for name, values in query_filters(query).items()
        if (kept := [v for v in values if v.strip()])
    }


def _message(
    snap: Snapshot,
    urls: Urls,
    title: str,
    lines: list[str],
    status: int = 400,
    choices: list[tuple[str, str]] | None = None,
) -> Refused:
    """A message page (nothing ticked, no such filter, session or service) and its status."""
    html = pages.render_message(snap.program, urls, title, lines, choices or ())
    return Refused(status, html.encode())


# The pages made in the lane, as functions of the snapshot (jobs: server/lane.py).


def _add_page(snap: Snapshot, key: str, urls: Urls) -> Answer:
    """A session's "add to calendar" page."""
    return page_body(pages.render_add(snap.program, snap.events[key], urls), snap.csp).prepare()


def _parts_page(snap: Snapshot, key: str, urls: Urls, to: str | None) -> Answer:
    """The page of an abstract presented more than once, listing its sessions."""
    parts = pages.parted(snap.program)[key]
    return page_body(pages.render_parts(snap.program, parts, urls, to), snap.csp).prepare()


def _agenda(snap: Snapshot, urls: Urls) -> Answer:
    """``agenda.json`` (readable from any site)."""
    data = agenda.dumps(snap.program, urls, snap.size)
    extra = ((b"access-control-allow-origin", b"*"),)
    return Body(data, "application/json", PAGE_CACHE, extra).prepare()


def _embed(snap: Snapshot, urls: Urls) -> Answer:
    return page_body(pages.render_embed(snap.program, urls), snap.csp).prepare()


def _icon(snap: Snapshot) -> Answer:
    """The logo's file, or the generated favicon."""
    site = snap.program.site
    if site.logo is not None and site.logo.data is not None:
        data, kind = site.logo.data, site.logo.media_type
    else:
        accent = site.accent or brand.DEFAULT_ACCENT
        data, kind = brand.favicon_svg(snap.program.calendar.name, accent), "image/svg+xml"
    no_script = ((b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'"),)
    return Body(data, kind, "public, max-age=3600", no_script).prepare()


class FeedEndpoint:
    """``/calendar.ics`` as a bare ASGI endpoint: the snapshot's prepared answer
    (also routed, for 405s)."""

    def __init__(self, source: Source, lane: Lane) -> None:
        self.source = source
        self.lane = lane

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in _FEED_HEADERS
        }
        snap = self.source.current()
        query = scope["query_string"]
        try:
            body = snap.cached_feed(query)
            if body is None:  # a filter nobody asked for yet: built in the lane
                render = functools.partial(self.lane.render, snap)  # apart (lane.py)
                body = await self.lane.run(snap.feed, query, query_filters, render)
        except Busy:
            await _busy()(scope, receive, secured(send))
            return
        except AscoCalError as exc:
            await bad_filter(exc)(scope, receive, secured(send))
            return
        status, start, content = calendar_answer(
            scope["method"], headers, body, snap.last_modified_http
        )
        await send({"type": "http.response.start", "status": status, "headers": start})
        await send({"type": "http.response.body", "body": content})


class PageEndpoint:
    """The agenda page (``/`` without a query) as a bare ASGI endpoint, when the
    snapshot has it already: looked up and sent like the feed, without a request
    object, routing or middleware.  Anything else (a first request at a new address,
    a filtered view) goes to :meth:`Endpoints.page`, which renders off the loop."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._bases: dict[tuple[str, str, str], str] = {}  # (scheme, host, root) -> base

    def base(self, scope: Scope) -> str | None:
        if self.source.page_base:
            return self.source.page_base
        host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        key = (scope.get("scheme", "http"), host, scope.get("root_path", ""))
        return self._bases.get(key)

    def remember(self, scope: Scope, base: str) -> None:
        host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        if len(self._bases) < 64:  # the allowed hosts' few spellings
            self._bases[(scope.get("scheme", "http"), host, scope.get("root_path", ""))] = base

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer if the page is ready (True), else leave the request alone (False)."""
        base = self.base(scope)
        if base is None:
            return False
        snap = self.source.current()
        answer = snap.cached_page(("page", base, ""))
        if not isinstance(answer, Body):
            return False
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in _FEED_HEADERS
        }
        status, start, content = calendar_answer(
            scope["method"], headers, answer, snap.last_modified_http
        )
        await send({"type": "http.response.start", "status": status, "headers": start})
        await send({"type": "http.response.body", "body": content})
        return True


class Endpoints:
    """The page, ``/my``, ``/add/<key>/``, one event's download and ``/healthz`` for one
    source.

    Pages come from the snapshot's cache of rendered pages; one that is not there
    yet is rendered once, however many ask, in the :class:`~asco_cal.server.lane.Lane`
    (never on the event loop, one at a time, 503 past its bound), while the
    request gives its ``slot`` of the app back.
    """

    def __init__(
        self,
        source: Source,
        lane: Lane,
        fast: PageEndpoint | None = None,
        slot: asyncio.Semaphore | None = None,
    ) -> None:
        self.source = source
        self.lane = lane
        self.fast = fast
        self.slot = slot

    def urls(self, request: Request, depth: int = 0) -> Urls:
        """Addresses from the public one if fixed, else from the request's (its host
        already checked against the allowed ones: see :mod:`~asco_cal.server.hosts`)."""
        base = self.source.base_for(folder_url(str(request.base_url)) or "/")
        if self.fast is not None:
            self.fast.remember(request.scope, base)
        return Urls(base=base, static=False).below(depth)

    async def _answer(
        self, request: Request, snap: Snapshot, key: Hashable, job: Job[Answer]
    ) -> Response:
        answer = snap.cached_page(key)
        if answer is None:  # not made yet: in the lane, never on the event loop
            make = functools.partial(self.lane.render, snap, job)  # apart (lane.py)
            try:
                answer = await self.lane.run(snap.page, key, make, slot=self.slot)
            except Busy:
                return _busy()
        if isinstance(answer, Refused):
            return Response(
                answer.html, status_code=answer.status, media_type=HTML_TYPE, headers=PAGE_HEADERS
            )
        return Prepared(
            *calendar_answer(request.method, request.headers, answer, snap.last_modified_http)
        )

    async def _unknown_filter(
        self, request: Request, snap: Snapshot, urls: Urls, raw: dict[str, list[str]]
    ) -> Response | None:
        """The friendly page for a query naming no filter; None when every name is one."""
        unknown = sorted(set(raw) - set(FILTER_NAMES))
        if not unknown:
            return None
        _ = wording.words(snap.program)._
        text = [_("%(name)s: not a filter; the filters are %(names)s.")
                % {"name": unknown[0], "names": ", ".join(FILTER_NAMES)}]  # fmt: skip
        key: Hashable = ("unknown", unknown[0])
        return await self._answer(
            request, snap, key, Job(_message, (urls, _("No such filter"), text))
        )

    async def page(self, request: Request) -> Response:
        snap = self.source.current()
        urls = self.urls(request)
        raw = page_filters(request.scope["query_string"])
        refused = await self._unknown_filter(request, snap, urls, raw)
        if refused is not None:
            return refused
        filters = normalise(raw, snap.program)
        key = ("page", urls.base, query_string(filters, snap.program))
        return await self._answer(request, snap, key, Job(Snapshot.render_page, (urls, filters)))

    async def my(self, request: Request) -> Response:
        snap = self.source.current()
        urls = self.urls(request)
        raw = page_filters(request.scope["query_string"])
        refused = await self._unknown_filter(request, snap, urls, raw)
        if refused is not None:
            return refused
        chosen = normalise(raw, snap.program)
        if not chosen:
            _ = wording.words(snap.program)._
            lines = [
                _(
                    "No session was ticked. Tick the box beside each session you want on the "
                    "agenda page, then press “%(button)s”: you get one feed with just those "
                    "sessions."
                )
                % {"button": _("Get my feed address")}
            ]
            key: Hashable = ("nothing",)
            job = Job(_message, (urls, _("Pick your sessions"), lines))
            return await self._answer(request, snap, key, job)
        key = ("my", urls.base, query_string(chosen, snap.program))
        return await self._answer(request, snap, key, Job(Snapshot.render_page, (urls, {}, chosen)))

    async def add_slash(self, request: Request) -> Response:
        """``/add/<key>`` answered with its folder's address, where the pages' relative
        links hold (a relative Location, so it works below any path prefix)."""
        query = request.scope["query_string"].decode("latin-1")
        target = quote(request.path_params["key"], safe="") + "/" + (f"?{query}" if query else "")
        return Response(status_code=308, headers={"Location": target, **PAGE_HEADERS})

    async def add(self, request: Request) -> Response:
        """A session's "add to calendar" page, or (``?to=google``, ``outlook``,
        ``office``, ``apple``, any case) a redirect to the service, from the data of the
        moment.  An abstract presented more than once gets a page listing its sessions."""
        snap = self.source.current()
        key = request.path_params["key"]
        urls = self.urls(request)
        here = urls.below(2)
        typed = request.query_params.get("to", "").strip()
        to = typed.casefold() or None
        event = snap.events.get(key)
        parts = None if event else pages.parted(snap.program).get(key)
        if event is None and not parts:
            return await self._no_session(request, snap, here, key)
        if to is not None and to not in links.SERVICES:
            words = wording.words(snap.program)
            choices = [(name, here.link(here.add(key, service)))
                       for service, name in words.services.items()]  # fmt: skip
            line = words._("to=%(value)s: not a calendar service; pick one:") % {
                "value": shown(typed)}  # fmt: skip
            return await self._refuse(request, snap, here, ("no service", key, typed[:40]), 400,
                                      words._("No such calendar service"), [line],
                                      choices)  # fmt: skip
        if parts:
            job = Job(_parts_page, (key, here, to))
            return await self._answer(request, snap, ("parts", urls.base, key, to), job)
        assert event is not None
        if to is None:
            return await self._answer(
                request, snap, ("add", urls.base, key), Job(_add_page, (key, here))
            )
        if not event.scheduled:
            return await self._not_yet(request, snap, here, event)
        if to == "apple":
            target = urls.absolute(urls.session(event)) or urls.session(event)
        else:
            page = urls.absolute("")
            target = pages.carried_links(snap.program, event, page, snap.carry)[to]
        return Response(
            status_code=302,
            headers={"Location": target, "Cache-Control": "no-cache", **PAGE_HEADERS},
        )

    async def _refuse(
        self,
        request: Request,
        snap: Snapshot,
        urls: Urls,
        key: Hashable,
        status: int,
        title: str,
        lines: list[str],
        choices: list[tuple[str, str]] | None = None,
    ) -> Response:
        """A message page, made once (in the lane) like every page."""
        job = Job(_message, (urls, title, lines, status, choices))
        return await self._answer(request, snap, ("message", urls.root, key), job)

    async def _no_session(self, request: Request, snap: Snapshot, urls: Urls, key: str) -> Response:
        _ = wording.words(snap.program)._
        line = _("No session %(key)s: the agenda page lists them all.") % {"key": shown(key)}
        return await self._refuse(
            request, snap, urls, ("no session", key), 404, _("No such session"), [line]
        )

    async def _not_yet(
        self, request: Request, snap: Snapshot, urls: Urls, event: Event
    ) -> Response:
        """The answer for a session that is not in calendars yet (no date or time)."""
        words = wording.words(snap.program)
        line = words._(
            "%(session)s has no date or time yet; subscribe to a feed on the agenda page to "
            "get it when it is announced."
        ) % {"session": words.reference(event) or event.title}
        return await self._refuse(request, snap, urls, ("not yet", event.key), 404,
                                  words._("Not in calendars yet"), [line])  # fmt: skip

    async def session(self, request: Request) -> Response:
        """One event's download, or (``/sessions/8017.ics``) every part of an abstract
        shown in parts."""
        snap = self.source.current()
        key = request.path_params["key"]
        event = snap.events.get(key)
        here = self.urls(request).below(1)  # /sessions/
        if event is None:
            return await self._abstract(request, snap, here, key)
        if not event.scheduled:
            return await self._not_yet(request, snap, here, event)
        body = snap.memo(f"session:{key}", functools.partial(snap.single, event))
        revision = snap.revisions.revision(event.uid())
        modified = http_date(revision.modified.timestamp())
        name = download_name(snap.program, event)
        return Prepared(*calendar_answer(request.method, request.headers, body, modified, name))

    async def _abstract(self, request: Request, snap: Snapshot, here: Urls, key: str) -> Response:
        """Every part of an abstract presented more than once (``/sessions/8017.ics``)."""
        parts = [e for e in pages.parted(snap.program).get(key, []) if e.scheduled]
        if not parts:
            return await self._no_session(request, snap, here, key)
        body = snap.memo(f"abstract:{key}", lambda: snap.writer.calendar(parts, single=True))
        changed = max(snap.revisions.revision(e.uid()).modified
                      for e in parts)  # fmt: skip
        name = abstract_download_name(snap.program, parts[0])
        return Prepared(
            *calendar_answer(
                request.method, request.headers, body, http_date(changed.timestamp()), name
            )
        )

    async def agenda_json(self, request: Request) -> Response:
        """``agenda.json``: every session and feed, with its links (readable from any site)."""
        snap = self.source.current()
        urls = self.urls(request)
        return await self._answer(request, snap, ("agenda.json", urls.base), Job(_agenda, (urls,)))

    async def embed(self, request: Request) -> Response:
        """``embed.html``: the agenda as a fragment for another site's page."""
        snap = self.source.current()
        urls = self.urls(request)
        return await self._answer(request, snap, ("embed.html", urls.base), Job(_embed, (urls,)))

    async def icon(self, request: Request) -> Response:
        """The logo's file, or the generated favicon (also at ``/favicon.ico``)."""
        snap = self.source.current()
        asked = request.url.path.lstrip("/")
        if asked not in ("favicon.ico", Urls(base=None, static=False).favicon(snap.program.site)):
            return PlainTextResponse(f"No file {asked!r}.\n", status_code=404)
        return await self._answer(request, snap, ("icon",), Job(_icon))

    async def healthz(self, request: Request) -> Response:
        source = self.source
        snap = source.current()
        healthy = source.healthy
        broken = ", ".join(source.broken)
        body: dict[str, object] = {
            "status": "ok" if healthy else "stale",
            "detail": "serving the current file"
            if healthy
            else f"{broken} has problems; still serving its last good version"
            if broken
            else f"{source.name} has problems; still serving the last good version",
            "source": source.name,  # not the full path: this page is public
            "loaded": http_date(snap.loaded_at),
            "last_modified": http_date(snap.last_modified),
            "events": len(snap.program.scheduled),
            "unscheduled": len(snap.program.unscheduled),
            "problems": source.problems,
            "version": __version__,
        }
        if source.inputs.several:
            body["broken"] = source.broken  # the folder's files with problems
        # 200 even when stale: the last good feed is still served, and a load
        # balancer should keep sending traffic here.
        return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _busy() -> Response:
    return PlainTextResponse(
        "Busy rendering other views of the agenda; please try again in a few seconds.\n",
        status_code=503,
        headers={"Retry-After": "5", "Cache-Control": "no-store"},
    )
