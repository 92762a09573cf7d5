"""Add-to-calendar and subscribe URLs for Google, Outlook and Apple.

None of these formats is officially documented except Google's template
link; the shapes below are the ones in common use (Outlook's and Google's
subscribe links included): times in UTC with ``Z``, every value percent-encoded, and URLs kept
under :data:`MAX_URL` characters, the limit Outlook's deeplinks tolerate.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import quote, urlsplit, urlunsplit

from asco_cal import wording
from asco_cal.model import Event, Program

MAX_URL = 2000  # Outlook compose deeplinks fail beyond about 2,000 characters
GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
OUTLOOK_HOSTS = {"outlook": "outlook.live.com", "office": "outlook.office.com"}


class _Escapes(dict[int, str]):
    """``urllib.parse.quote(ch, safe="")`` for each character, memoised, for str.translate:
    the same result, 20x faster on the long descriptions that go into links."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = quote(char, safe="")
        self[code] = value
        return value


_ESCAPES = _Escapes()


def _quote(text: str) -> str:
    return text.translate(_ESCAPES)


def _q(params: list[tuple[str, str]]) -> str:
    """``urlencode(params, quote_via=quote, safe="")``, faster."""
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in params)


def _fit(base: str, params: list[tuple[str, str]], key: str) -> str:
    """The URL, with the ``key`` parameter (a long description) cut to fit MAX_URL."""

    def url(value: str) -> str:
        return f"{base}?{_q([(k, value if k == key else v) for k, v in params])}"

    full = dict(params)[key]
    whole = url(full)
    if len(whole) <= MAX_URL:
        return whole
    lo, hi = 0, len(full)  # the longest prefix that fits, by bisection
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(url(full[:mid].rstrip() + "…")) <= MAX_URL:
            lo = mid
        else:
            hi = mid - 1
    return url(full[:lo].rstrip() + "…" if lo else "")


def _utc(when: dt.datetime | None) -> dt.datetime:
    if when is None:
        raise ValueError("the session has no date or time yet")
    return when.astimezone(dt.UTC)


def _days(event: Event) -> tuple[dt.date, dt.date] | None:
    """An all-day event's day and the day after (the end is exclusive, as in .ics)."""
    if not event.all_day or event.date is None:
        return None
    return event.date, event.date + dt.timedelta(days=1)


# The services an event is added to, by the ``to`` of its short address
# (``add/8017-1/?to=google``), with their names on buttons and in ``links``.
SERVICES = {
    "google": "Google Calendar",
    "outlook": "Outlook.com",
    "office": "Microsoft 365",
    "apple": "Apple Calendar / .ics",  # the event's .ics download
}


def add_links(program: Program, event: Event, page: str | None) -> dict[str, str]:
    """The services' own "add" addresses for an event, from the current data
    (``google``, ``outlook``, ``office``); ``page`` is the agenda's public address."""
    return {"google": google_add(program, event, page), **outlook_links(program, event)}


def google_add(program: Program, event: Event, page_url: str | None = None) -> str:
    """Google Calendar's "add event" template link, in UTC, with ``ctz`` for display."""
    days = _days(event)
    if days is not None:
        dates = f"{days[0]:%Y%m%d}/{days[1]:%Y%m%d}"  # Google's all-day form
    else:
        start, end = _utc(event.starts_at), _utc(event.ends_at)
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    words = wording.words(program)
    details = words.description(program, event)
    if page_url:
        details += "\n\n" + words.all_sessions(page_url)
    params = [
        ("action", "TEMPLATE"),
        ("text", words.summary(event)),
        ("dates", dates),
        ("ctz", event.timezone),
        ("location", words.location(program, event)),
        ("details", details),
    ]
    return _fit(GOOGLE_RENDER, params, "details")


def outlook_add(program: Program, event: Event, account: str = "outlook") -> str:
    """Outlook on the web compose deeplink: ``outlook`` (personal) or ``office`` (Microsoft 365)."""
    return outlook_links(program, event)[account]


def outlook_links(program: Program, event: Event) -> dict[str, str]:
    """Both Outlook deeplinks, from one query string (the hosts have the same length)."""
    days = _days(event)
    if days is not None:
        when = [("startdt", days[0].isoformat()), ("enddt", days[1].isoformat()),
                ("allday", "true")]  # fmt: skip
    else:
        start, end = _utc(event.starts_at), _utc(event.ends_at)
        when = [("startdt", f"{start:%Y-%m-%dT%H:%M:%SZ}"), ("enddt", f"{end:%Y-%m-%dT%H:%M:%SZ}")]
    words = wording.words(program)
    body = html.escape(words.description(program, event), quote=False).replace("\n", "<br>")
    params = [
        ("path", "/calendar/action/compose"),
        ("rru", "addevent"),
        ("subject", words.summary(event)),
        *when,
        ("location", words.location(program, event)),
        ("body", body),
    ]
    query = _q(params)  # shared, unless a host's address is too long and must be cut
    out = {}
    for account, host in OUTLOOK_HOSTS.items():
        base = f"https://{host}/calendar/0/deeplink/compose"
        url = f"{base}?{query}"
        out[account] = url if len(url) <= MAX_URL else _fit(base, params, "body")
    return out


def webcal(feed_url: str) -> str:
    """``webcal://`` form of an http(s) feed URL: opens the subscribe dialog."""
    parts = urlsplit(feed_url)
    return urlunsplit(("webcal", *parts[1:]))


def google_subscribe(feed_url: str) -> str:
    """Google's "add by URL" link (given the webcal form, which more reports say works)."""
    return f"{GOOGLE_SUBSCRIBE}?{_q([('cid', webcal(feed_url))])}"


def outlook_subscribe(feed_url: str, name: str, account: str = "outlook") -> str:
    """Outlook's "add from web" link (needs the https URL)."""
    host = OUTLOOK_HOSTS[account]
    return f"https://{host}/calendar/0/addfromweb?{_q([('url', feed_url), ('name', name)])}"
