"""HTTP answers for calendars and pages: validators (ETag, Last-Modified), 304s, gzip,
HEAD, the security headers every response carries and the 400 for a bad filter."""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import threading
from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse, Response

from asco_cal.errors import AscoCalError
from asco_cal.filters import FILTER_NAMES
from asco_cal.model import SiteMeta

MAX_AGE = 300  # seconds: clients and CDNs may reuse a feed for 5 minutes
ICS_TYPE = "text/calendar; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
FEED_CACHE = f"public, max-age={MAX_AGE}"
PAGE_CACHE = "no-cache"  # a page is checked on every view (a 304 when unchanged)
# On every response, errors included (Guard adds them where a route did not).
SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))
# The pages have no script at all; say so, so that nothing injected could run.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    **{name.decode(): value.decode() for name, value in SECURITY_HEADERS},
}

RawHeaders = list[tuple[bytes, bytes]]


class Body:
    """Response bytes with their validators, computed once: a cached request
    only looks them up (no hashing or compressing per request)."""

    __slots__ = ("_gz", "_lock", "_starts", "cache", "data", "etag", "extra", "gz_etag", "type")

    def __init__(
        self,
        data: bytes,
        content_type: str = ICS_TYPE,
        cache: str = FEED_CACHE,
        extra: tuple[tuple[bytes, bytes], ...] = (),
    ) -> None:
        self.data = data
        self.type = content_type
        self.cache = cache
        self.extra = extra
        digest = hashlib.sha256(data).hexdigest()[:32]
        self.etag, self.gz_etag = f'"{digest}"', f'"{digest}-gzip"'
        self._gz: bytes | None = None
        self._lock = threading.Lock()
        self._starts: dict[tuple[int, bool, str, str | None], RawHeaders] = {}

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its bytes (made in the rendering process: server/lane.py)."""
        return (_body, (self.data, self.type, self.cache, self.extra, self._gz))

    def start(
        self, status: int, gz: bool, last_modified: str, download: str | None = None
    ) -> RawHeaders:
        """The response headers (memoised: the same few every time)."""
        key = (status, gz, last_modified, download)
        found = self._starts.get(key)
        if found is None:
            headers = [
                (b"cache-control", self.cache.encode()),
                (b"last-modified", last_modified.encode()),
                (b"vary", b"Accept-Encoding"),
                (b"etag", (self.gz_etag if gz else self.etag).encode()),
                *SECURITY_HEADERS,
                *self.extra,
            ]
            if download:
                disposition = f'attachment; filename="{download}"'
                headers.append((b"content-disposition", disposition.encode("latin-1")))
            if status == 200:
                headers += [
                    (b"content-type", self.type.encode()),
                    (b"content-length", str(len(self.gz if gz else self.data)).encode()),
                ]
                if gz:
                    headers.append((b"content-encoding", b"gzip"))
            found = self._starts[key] = headers
        return found

    def prepare(self) -> Body:
        """Compress now (in the background, before the body is served)."""
        _ = self.gz
        return self

    @property
    def gz(self) -> bytes:
        with self._lock:
            if self._gz is None:
                self._gz = gzip.compress(self.data, mtime=0)
            return self._gz


def _body(
    data: bytes,
    content_type: str,
    cache: str,
    extra: tuple[tuple[bytes, bytes], ...],
    gz: bytes | None,
) -> Body:
    body = Body(data, content_type, cache, extra)
    body._gz = gz
    return body


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def wants_gzip(headers: Mapping[str, str]) -> bool:
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


def not_modified(headers: Mapping[str, str], etags: tuple[str, ...], last_modified: str) -> bool:
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


def page_csp(site: SiteMeta) -> str:
    """The pages' Content-Security-Policy for a site: no script; images from the site
    (and the logo's host); framed only by the ``site.embed_origins``."""
    images = "'self' data:"
    if site.logo is not None and site.logo.address:
        parts = urlsplit(site.logo.address)
        images += f" https://{parts.netloc}"
    frames = " ".join(site.embed_origins) or "'none'"
    return CSP.replace("img-src 'self' data:", f"img-src {images}").replace(
        "frame-ancestors 'none'", f"frame-ancestors {frames}"
    )


def page_body(html: str, csp: str = CSP) -> Body:
    """An HTML page's bytes with their validators, gzipped once (when first asked)."""
    return Body(html.encode(), HTML_TYPE, PAGE_CACHE, ((b"content-security-policy", csp.encode()),))


def calendar_answer(
    method: str,
    headers: Mapping[str, str],
    body: Body,
    last_modified: str,
    download: str | None = None,
) -> tuple[int, RawHeaders, bytes]:
    """Status, headers and content for a calendar or page: ETag, Last-Modified, 304s,
    HEAD, and gzip when asked."""
    gz = "accept-encoding" in headers and wants_gzip(headers)
    if not_modified(headers, (body.etag, body.gz_etag), last_modified):
        return 304, body.start(304, gz, last_modified, download), b""
    content = b"" if method == "HEAD" else (body.gz if gz else body.data)
    return 200, body.start(200, gz, last_modified, download), content


class Prepared(Response):
    """A response whose status, headers and content are already made."""

    def __init__(self, status: int, headers: RawHeaders, content: bytes) -> None:
        self.status_code = status
        self.raw_headers = headers
        self.body = content
        self.background = None


def bad_filter(exc: AscoCalError) -> Response:
    """The 400 for a filter that names no session, with the filters there are."""
    accepted = ", ".join(FILTER_NAMES)
    return PlainTextResponse(
        f"Bad filter: {exc.field}: {exc.message}\n\n"
        f"Filters: {accepted}; several values of one filter are comma-separated "
        "(abstract=8017,8013), different filters all apply "
        "(type=poster&date=2011-06-04). Dates are YYYY-MM-DD; session=8017-1 is one part "
        "of an abstract; q=lymphoma is a search.\n",
        status_code=400,
    )
