"""ASGI middleware: :class:`Guard` (size limits, security headers) and :class:`AccessLog`."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TextIO

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asco_cal.server.http import SECURITY_HEADERS

log = logging.getLogger("asco_cal.server.access")

MAX_TARGET = 8192  # bytes of path + query: feeds with every abstract of a meeting fit
MAX_HEADERS = 32 * 1024  # bytes of all request headers together
# What the HTTP parser may buffer of a request's head before it gives up with a bare 400:
# more than the Guard's limits, so that the Guard decides (414, 431) however the bytes arrive.
MAX_HEAD = MAX_TARGET + MAX_HEADERS + 16 * 1024


def refusal(scope: Scope) -> tuple[int, str] | None:
    """414 or 431 (with its message) for an oversized request, else None."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
    if target > MAX_TARGET:
        return 414, f"The address is too long (over {MAX_TARGET} bytes).\n"
    if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > MAX_HEADERS:
        return 431, f"The request headers are too large (over {MAX_HEADERS} bytes).\n"
    return None


def secured(send: Send) -> Send:
    """``send``, adding the :data:`~asco_cal.server.http.SECURITY_HEADERS` a response lacks."""

    async def guarded(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            message = {**message, "headers": headers}
        await send(message)

    return guarded


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
        refused = refusal(scope)
        if refused is not None:
            response = PlainTextResponse(refused[1], status_code=refused[0])
            await response(scope, receive, secured(send))
            return
        await self.app(scope, receive, secured(send))


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
