"""Add-to-calendar and subscribe URLs, one test per format."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from asco_cal import links
from asco_cal.loader import load_file
from support import SAMPLE

PROGRAM = load_file(SAMPLE).program
POSTER = PROGRAM.events[0]


def _params(url: str) -> dict[str, str]:
    query = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    return {k: v[0] for k, v in query.items()}


def test_google_add_event() -> None:
    url = links.google_add(PROGRAM, POSTER, "https://example.org/asco/")
    assert url.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    p = _params(url)
    assert p["text"] == "SAR3419 poster - Abstract 8017"
    assert p["dates"] == "20110604T130000Z/20110604T170000Z"
    assert p["ctz"] == "America/Chicago"
    assert p["location"].startswith("E450b, Poster 3, McCormick Place")
    assert p["details"].endswith("All sessions: https://example.org/asco/")
    assert " " not in url and "\n" not in url
    assert len(url) <= links.MAX_URL


def test_outlook_add_event_personal_and_work() -> None:
    for account, host in (("outlook", "outlook.live.com"), ("office", "outlook.office.com")):
        url = links.outlook_add(PROGRAM, POSTER, account)
        assert url.startswith(f"https://{host}/calendar/0/deeplink/compose?")
        p = _params(url)
        assert p["path"] == "/calendar/action/compose"
        assert p["rru"] == "addevent"
        assert p["subject"] == "SAR3419 poster - Abstract 8017"
        assert p["startdt"] == "2011-06-04T13:00:00Z"
        assert p["enddt"] == "2011-06-04T17:00:00Z"
        assert "<br>Abstract: 8017<br>" in p["body"]
        assert len(url) <= links.MAX_URL


def test_outlook_body_escapes_html() -> None:
    event = replace(POSTER, title="Dose <5 mg & >2 mg")
    assert _params(links.outlook_add(PROGRAM, event))["body"].startswith(
        "Dose &lt;5 mg &amp; &gt;2 mg<br>"
    )


def test_long_descriptions_are_cut_to_fit() -> None:
    event = replace(POSTER, description="🧬 long text, " * 400)
    for url in (links.google_add(PROGRAM, event), links.outlook_add(PROGRAM, event)):
        assert len(url) <= links.MAX_URL
        assert len(url) > links.MAX_URL - 40  # cut just enough
        body = _params(url).get("details") or _params(url)["body"]
        assert body.endswith("…")
        assert body.startswith("Phase I/II study")


def test_subscribe_links() -> None:
    feed = "https://example.org/asco/calendar.ics?abstract=8013,8017"
    assert links.webcal(feed) == "webcal://example.org/asco/calendar.ics?abstract=8013,8017"
    google = links.google_subscribe(feed)
    assert google.startswith("https://calendar.google.com/calendar/r?cid=")
    assert _params(google)["cid"] == "webcal://example.org/asco/calendar.ics?abstract=8013,8017"
    outlook = links.outlook_subscribe(feed, "ImmunoGen at ASCO 2011")
    assert outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?")
    assert _params(outlook) == {"url": feed, "name": "ImmunoGen at ASCO 2011"}
    work = links.outlook_subscribe(feed, "x", "office")
    assert work.startswith("https://outlook.office.com/calendar/0/addfromweb?")
    assert len(feed) < 256  # Google silently fails on longer subscription URLs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=200)), max_size=4))
def test_fast_query_encoding_equals_urlencode(params: list[tuple[str, str]]) -> None:
    from urllib.parse import quote, urlencode

    from asco_cal.links import _q

    params = [(k, v) for k, v in params if not any(0xD800 <= ord(c) < 0xE000 for c in k + v)]
    assert _q(params) == urlencode(params, quote_via=quote, safe="")
