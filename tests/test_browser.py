"""End to end: the real server, the real page, in headless Chromium.

Starts `asco-cal serve` on a free loopback port, opens the agenda page in
Debian's Chromium driven by Playwright, checks the sessions and buttons, ticks
two sessions and follows the resulting personal feed, downloads one session's
.ics and parses it, and saves a screenshot to test-artifacts/agenda.png.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from parsers import PYTHON_PARSERS
from support import ROOT

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


def test_agenda_in_chromium(server: str, workdir: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        try:
            # bypass_csp: the page forbids all scripts; the test injects axe-core.
            context = browser.new_context(
                bypass_csp=True, accept_downloads=True, viewport={"width": 900, "height": 1200}
            )
            page = context.new_page()
            page.goto(server)
            assert page.title() == "ImmunoGen at ASCO 2011"
            # Sessions grouped by day, in Chicago time, with the zone named.
            assert page.get_by_role("heading", name="Saturday, June 4, 2011").is_visible()
            assert page.get_by_text("8:00 am – 12:00 noon CT").is_visible()
            assert page.get_by_text("11:30 am – 11:45 am CT").is_visible()
            assert page.get_by_role("heading", name="Time to be announced").is_visible()
            # Buttons: per session, and subscribe-to-all.
            assert page.get_by_role("link", name="Add to Google Calendar").count() == 3
            subscribe = page.get_by_role("link", name="Apple Calendar / iPhone").first
            assert (
                subscribe.get_attribute("href")
                == server.replace("http://", "webcal://") + "calendar.ics"
            )
            assert page.get_by_label("Feed address (for any other app):").first.input_value() == (
                server + "calendar.ics"
            )
            page.screenshot(path=str(ARTIFACTS / "agenda.png"), full_page=True)
            _check_accessibility(browser, server)
            # Readable on a phone: nothing wider than the screen.
            page.set_viewport_size({"width": 375, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(ARTIFACTS / "agenda-phone.png"), full_page=True)
            page.set_viewport_size({"width": 900, "height": 1200})

            # Tick two sessions and follow the personal feed.
            page.get_by_label("Add abstract 8013 to my feed").check()
            page.get_by_label("Add abstract 8017 to my feed").first.check()
            page.get_by_role("button", name="Get my feed address").click()
            page.wait_for_url("**/my?**")
            assert page.get_by_role("heading", name="Your sessions: 8013, 8017").is_visible()
            feed_url = page.locator("#my-feed-url").input_value()
            assert feed_url == server + "calendar.ics?abstract=8013,8017"
            feed = context.request.get(feed_url)
            assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
            summaries = [e.summary for e in PYTHON_PARSERS["ical"](feed.body())]
            assert summaries == [
                "SAR3419 poster - Abstract 8017",
                "SAR3419 poster discussion - Abstract 8017",
                "IMGN901 oral - Abstract 8013",
            ]
            page.screenshot(path=str(ARTIFACTS / "my-feed.png"), full_page=True)

            # Download one session's .ics and parse it.
            page.goto(server)
            oral = page.locator("article", has_text="Abstract 8013")
            with page.expect_download() as info:
                oral.get_by_role("link", name="Download .ics").click()
            download = info.value
            assert download.suggested_filename == "8013.ics"
            saved = workdir / "downloaded.ics"
            download.save_as(saved)
            (event,) = PYTHON_PARSERS["vobject"](saved.read_bytes())
            assert event.summary == "IMGN901 oral - Abstract 8013"
            assert event.start.isoformat() == "2011-06-05T16:30:00+00:00"
        finally:
            browser.close()


AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


def _check_accessibility(browser: Any, url: str) -> None:
    """axe-core (WCAG 2 A and AA rules, colour contrast included) finds no violations."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (run: npm ci --prefix tests/js)")
    # The page's Content-Security-Policy forbids every script; this context may inject axe.
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
    )
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
    ]
    assert not problems, "\n".join(problems)
