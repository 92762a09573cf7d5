"""End to end: the real server, the real page, in headless Chromium.

Starts `asco-cal serve` on a free loopback port and opens the pages in Debian's
Chromium driven by Playwright: the agenda (sessions, buttons, accessibility), the
jump links and sticky day headings, a filtered view and its feed, the short
"add" addresses of every service (their redirects' times decoded back to UTC
instants), the sticky "my feed" bar with two parts of one abstract on a phone,
one session's .ics download, and screenshots in test-artifacts/ (desktop and a
390 px phone).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from asco_cal.loader import load_file
from parsers import PYTHON_PARSERS
from support import ROOT, brand

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium not found: install Debian's chromium package (apt-get install chromium) "
        "or set CHROMIUM=/path/to/chrome",
    ),
]


LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]  # fmt: skip


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _context(browser: Any, width: int = 900, height: int = 1200) -> Any:
    # bypass_csp: the page forbids all scripts; the tests inject axe-core and read the DOM.
    return browser.new_context(
        bypass_csp=True, accept_downloads=True, viewport={"width": width, "height": height}
    )


def _in_view(page: Any, locator: Any) -> bool:
    """Whether the element is inside the viewport as the page stands (no scrolling)."""
    box = locator.bounding_box()
    bottom = page.viewport_size["height"]
    bar = page.locator("form.bar").bounding_box()  # the sticky bar covers the bottom
    if bar and locator.evaluate("e => !e.closest('form.bar')"):
        bottom = bar["y"]
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= bottom


def test_agenda_in_chromium(server: str, workdir: Path, browser: Any) -> None:
    context = _context(browser)
    page = context.new_page()
    page.goto(server)
    assert page.title() == "ImmunoGen at ASCO 2011"
    # Sessions grouped by day, in Chicago time, with the zone named and the day beside each.
    assert page.get_by_role("heading", name="Saturday, June 4, 2011").is_visible()
    assert page.get_by_text("Sat, Jun 4 · 8:00 am – 12:00 noon CT").is_visible()
    assert page.get_by_text("Sun, Jun 5 · 11:30 am – 11:45 am CT").is_visible()
    assert page.get_by_role("heading", name="Time to be announced").is_visible()
    # One short "Add to calendar" link per scheduled session, and subscribe-to-all.
    assert page.get_by_role("link", name="Add to calendar").count() == 3
    subscribe = page.get_by_role("link", name="Apple Calendar / iPhone").first
    assert (
        subscribe.get_attribute("href") == server.replace("http://", "webcal://") + "calendar.ics"
    )
    assert page.get_by_label("Feed address (for any other app):").first.input_value() == (
        server + "calendar.ics"
    )
    page.screenshot(path=str(ARTIFACTS / "agenda.png"), full_page=True)
    _check_accessibility(browser, server)
    _check_accessibility(browser, server + "add/8017-1/")

    # Download one session's .ics from its page (Apple's button: a redirect to the file).
    page.get_by_role("listitem").filter(has_text="Abstract 8013").get_by_role(
        "link", name="Add to calendar"
    ).click()
    page.wait_for_url("**/add/8013/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Apple Calendar / .ics").click()
    download = info.value
    assert (
        download.suggested_filename == "immunogen-at-asco-2011-8013-oral.ics"
    )  # the calendar and the session
    saved = workdir / "downloaded.ics"
    download.save_as(saved)
    (event,) = PYTHON_PARSERS["vobject"](saved.read_bytes())
    assert event.summary == "IMGN901 oral - Abstract 8013"
    assert event.start.isoformat() == "2011-06-05T16:30:00+00:00"


def test_jump_links_and_sticky_day_headings(server: str, browser: Any) -> None:
    page = _context(browser, 900, 500).new_page()
    page.goto(server)
    days = page.get_by_role("navigation", name="Days")
    days.get_by_role("link", name="Sun, Jun 5").click()
    page.wait_for_url("**/#d-2011-06-05")
    heading = page.get_by_role("heading", name="Sunday, June 5, 2011")
    assert _in_view(page, heading)
    # Scrolled into Saturday's list, Saturday's heading stays at the top of the screen.
    page.goto(server)
    saturday = page.get_by_role("heading", name="Saturday, June 4, 2011")
    first = page.get_by_role("listitem").filter(has_text="Abstract 8017 part 2")
    page.evaluate("y => window.scrollTo(0, y)", first.bounding_box()["y"] - 60)
    box = saturday.bounding_box()
    assert box is not None and abs(box["y"]) < 2, box


def test_filtered_view_and_its_feed(server: str, browser: Any) -> None:
    context = _context(browser)
    page = context.new_page()
    page.goto(server)
    # The search form works without JavaScript: a plain GET.
    page.get_by_text("Day, type, compound").click()  # the menus, folded away at first
    page.get_by_role("combobox", name="Any type").select_option("poster")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/?q=&date=&type=poster&compound=")  # as browsers send a form
    assert page.get_by_role("heading", name="Subscribe to posters").is_visible()
    assert page.get_by_text("3 sessions match.").is_visible()  # 2 without a time yet
    assert page.get_by_role("link", name="Add to calendar").count() == 1
    feed_url = page.get_by_label("Feed address (for any other app):").first.input_value()
    assert feed_url == server + "calendar.ics?type=poster"
    google = page.get_by_role("link", name="Google Calendar").first.get_attribute("href")
    assert "cid=webcal%3A%2F%2F127.0.0.1" in google and "type%3Dposter" in google
    feed = context.request.get(feed_url)
    assert b"X-WR-CALNAME:ImmunoGen at ASCO 2011 \xe2\x80\x94 posters" in feed.body()
    assert [e.summary for e in PYTHON_PARSERS["ical"](feed.body())] == [
        "SAR3419 poster - Abstract 8017"
    ]
    # A search, typed.
    page.goto(server)
    page.get_by_role("searchbox").fill("immunoconjugate weekly")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/?q=immunoconjugate+weekly**")
    assert page.get_by_role("link", name="Add to calendar").count() == 2  # 8017's two parts
    searched = page.get_by_label("Feed address (for any other app):").first.input_value()
    assert searched == server + "calendar.ics?q=immunoconjugate+weekly"
    assert len(PYTHON_PARSERS["ical"](context.request.get(searched).body())) == 2


def _utc(text: str) -> dt.datetime:
    for shape in ("%Y%m%dT%H%M%SZ", "%Y-%m-%dT%H:%M:%SZ"):
        with contextlib.suppress(ValueError):
            return dt.datetime.strptime(text, shape).replace(tzinfo=dt.UTC)
    raise AssertionError(text)


def test_short_add_addresses_redirect_to_the_right_instants(
    server: str, workdir: Path, browser: Any
) -> None:
    program = load_file(workdir / "sessions.yaml").program
    context = _context(browser)
    for event in program.scheduled:
        start, end = event.starts_at, event.ends_at
        assert start is not None and end is not None
        short = f"{server}add/{event.key}/"
        times = {}
        for to in ("google", "outlook", "office", "apple"):
            answer = context.request.get(f"{short}?to={to}", max_redirects=0)
            assert answer.status == 302, (event.key, to)
            target = answer.headers["location"]
            query = parse_qs(urlsplit(target).query)
            if to == "google":
                assert target.startswith("https://calendar.google.com/calendar/render?")
                times[to] = tuple(_utc(t) for t in query["dates"][0].split("/"))
            elif to == "apple":
                assert target == f"{server}sessions/{event.key}.ics"
                (parsed,) = PYTHON_PARSERS["icalendar"](context.request.get(target).body())
                times[to] = (parsed.start, parsed.end)
            else:
                host = "outlook.live.com" if to == "outlook" else "outlook.office.com"
                assert urlsplit(target).hostname == host
                times[to] = (_utc(query["startdt"][0]), _utc(query["enddt"][0]))
        for to, (got_start, got_end) in times.items():
            assert got_start == start and got_end == end, (event.key, to)
    # The page behind the address shows the four buttons.
    page = context.new_page()
    page.goto(f"{server}add/8017-2/")
    for name in ("Google Calendar", "Outlook.com", "Microsoft 365", "Apple Calendar / .ics"):
        assert page.get_by_role("link", name=name).is_visible(), name


def test_my_feed_with_two_parts_of_one_abstract_on_a_phone(server: str, browser: Any) -> None:
    context = _context(browser, 390, 844)
    page = context.new_page()
    page.goto(server)
    # Readable on a phone: nothing wider than the screen, the first session on the first screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.get_by_role("listitem").filter(has_text="Abstract 8017 part 1")
    assert _in_view(page, first)  # all of it: the "my feed" bar shows once a box is ticked
    button = page.get_by_role("button", name="Get my feed address")
    assert not button.is_visible()
    page.screenshot(path=str(ARTIFACTS / "agenda-phone.png"), full_page=False)
    page.screenshot(path=str(ARTIFACTS / "agenda-phone-full.png"), full_page=True)
    # Each part of 8017 has its own box; ticking the second picks that part only.
    part1 = page.get_by_label("Add abstract 8017 part 1 to my feed")
    part2 = page.get_by_label("Add abstract 8017 part 2 to my feed")
    part2.check()
    assert not part1.is_checked()
    page.get_by_label("Add abstract 8013 to my feed").check()
    # The button stays on screen wherever the page is scrolled (a sticky bar).
    for y in (0, 400, 100_000):
        page.evaluate("y => window.scrollTo(0, y)", y)
        assert _in_view(page, button), y
    button.click()
    page.wait_for_url("**/my?session=8017-2&session=8013")
    assert page.get_by_role("heading", name="Your sessions: 8017 part 2, 8013").is_visible()
    feed_url = page.locator("#my-feed-url").input_value()
    assert feed_url == server + "calendar.ics?session=8013,8017-2"
    feed = context.request.get(feed_url)
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert b"X-WR-CALNAME:ImmunoGen at ASCO 2011 \xe2\x80\x94 my sessions" in feed.body()
    assert [e.summary for e in PYTHON_PARSERS["ical"](feed.body())] == [
        "SAR3419 poster discussion - Abstract 8017",
        "IMGN901 oral - Abstract 8013",
    ]
    assert page.get_by_label("Add abstract 8017 part 2 to my feed").is_checked()
    assert not page.get_by_label("Add abstract 8017 part 1 to my feed").is_checked()
    page.screenshot(path=str(ARTIFACTS / "my-feed-phone.png"), full_page=True)
    # Nothing ticked: a page that says what to do, not a bare error.
    page.goto(server + "my")
    assert page.get_by_role("heading", name="Pick your sessions").is_visible()
    page.get_by_role("link", name="Back to the agenda").click()
    page.wait_for_url(server)


def test_first_session_visible_on_a_desktop_screen(server: str, browser: Any) -> None:
    page = _context(browser, 1280, 900).new_page()
    page.goto(server)
    first = page.get_by_role("listitem").filter(has_text="Abstract 8017 part 1")
    assert _in_view(page, first)
    assert _in_view(page, page.get_by_role("button", name="Get my feed address"))


AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


def _check_accessibility(browser: Any, url: str, width: int = 1280) -> None:
    """axe-core (WCAG 2 A and AA rules, colour contrast included) finds no violations."""
    # The page's Content-Security-Policy forbids every script; this context may inject axe.
    page = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900}).new_page()
    page.goto(url)
    _axe(page)


def _axe(page: Any) -> None:
    """axe-core finds no violations in the page as it stands."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (run: npm ci --prefix tests/js)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
    )
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
    ]
    assert not problems, "\n".join(problems)


def _pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _branded(server: str, workdir: Path) -> None:
    """Give the served sample the company's look, and wait until the server shows it."""
    brand(workdir)
    deadline = time.monotonic() + 10
    while b'class="logo"' not in urllib.request.urlopen(server).read():
        assert time.monotonic() < deadline, "the server did not pick up the edit"
        time.sleep(0.2)


def test_branded_page_at_desktop_and_phone_widths(server: str, workdir: Path, browser: Any) -> None:
    _branded(server, workdir)
    page = _context(browser, 1280, 900).new_page()
    page.goto(server)
    logo = page.locator("img.logo")
    assert logo.is_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") > 0  # it loaded
    assert page.get_by_text("For investors and healthcare professionals only.").is_visible()
    primary = page.locator(".button.primary").first
    assert primary.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(122, 31, 92)"
    assert page.locator('meta[property="og:title"]').get_attribute("content") == (
        "ImmunoGen at ASCO 2011"
    )
    assert context_get(page, server + "favicon.ico") == 200
    page.screenshot(path=str(ARTIFACTS / "branded-desktop.png"), full_page=True)
    _check_accessibility(browser, server)
    _check_accessibility(browser, server + "add/8017-1/")

    phone = _context(browser, 390, 844).new_page()
    phone.goto(server)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_text("Feed address, QR code and how to subscribe by hand").first.click()
    assert not phone.locator(".qr").first.is_visible()  # no QR code for the phone itself
    phone.screenshot(path=str(ARTIFACTS / "branded-phone.png"), full_page=True)
    phone.goto(server + "add/8017-1/")
    buttons = phone.locator("ul.buttons .button")
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    assert len(boxes) == 4
    assert len({round(b["x"]) for b in boxes}) == 1  # one column
    assert len({round(b["width"]) for b in boxes}) == 1 and boxes[0]["width"] > 300  # full width
    assert phone.get_by_role("link", name="Apple Calendar / iPhone").is_visible()
    assert phone.get_by_role("link", name="Apple Calendar / .ics").count() == 0
    phone.screenshot(path=str(ARTIFACTS / "branded-add-phone.png"), full_page=True)
    _check_accessibility(browser, server, width=390)
    _check_accessibility(browser, server + "add/8017-1/", width=390)


def context_get(page: Any, url: str) -> int:
    status: int = page.context.request.get(url).status
    return status


def test_print_view_is_one_a4_page_of_one_line_sessions(server: str, browser: Any) -> None:
    page = _context(browser, 1000, 1200).new_page()
    page.goto(server)
    page.emulate_media(media="print")
    for hidden in (".buttons", ".qr", "form.find", "form.bar", ".panel"):
        found = page.locator(hidden)
        for i in range(found.count()):
            assert not found.nth(i).is_visible(), hidden
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('ol.s li')).lineHeight)"
    )
    items = page.locator("ol.s li")
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        assert box["height"] < 1.6 * line, (i, box)  # one line each
    page.screenshot(path=str(ARTIFACTS / "print.png"), full_page=True)
    _axe(page)  # as printed
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "print.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) == 1


def test_embed_inside_a_host_page(server: str, workdir: Path, browser: Any) -> None:
    _branded(server, workdir)
    context = _context(browser, 1100, 900)
    fragment = context.request.get(server + "embed.html").text()
    host = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example Bio: '
        "Investors</title><style>body{font:17px Georgia,serif;margin:0}"
        "header{background:#222;color:#fff;padding:1rem}main{max-width:50rem;margin:auto}"
        "h2{color:#900}li{margin:2rem}</style></head><body><header><p>Example Bio · "
        "Investors · News</p></header><main><h1>Events</h1>" + fragment + "</main>"
        "<footer><p>© Example Bio</p></footer></body></html>"
    )
    page = context.new_page()
    page.goto(server + "healthz")  # the host page's origin: another site in real life
    page.set_content(host)
    title = page.get_by_role("heading", name="ImmunoGen at ASCO 2011")
    assert title.is_visible()
    # The host's own rules reach the fragment only where it does not set its own.
    assert title.evaluate("e => getComputedStyle(e).color") == "rgb(26, 26, 26)"
    assert page.get_by_role("link", name="Add to calendar").count() == 3
    assert page.locator("script").count() == 0
    page.screenshot(path=str(ARTIFACTS / "embed-in-host.png"), full_page=True)
    _axe(page)
