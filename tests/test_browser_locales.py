"""The agenda in German and Japanese, end to end in headless Chromium.

`asco-cal serve --locale de-DE` (and ja-JP) on the Berlin test congress
(tests/data/locale/sessions.yaml): the day headings, times and zone note as
CLDR writes them, the page's words from the catalogs, ``<html lang>``, a
session's add page, axe-core with no violations, and screenshots in
test-artifacts/ (agenda-de-DE.png, agenda-ja-JP.png, and their add pages).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import DATA, serving
from test_browser import ARTIFACTS, CHROMIUM, _check_accessibility, _context, browser

__all__ = ["browser"]  # the fixture, shared with test_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found (see test_browser)"),
]

EXPECTED = {
    "de-DE": {
        "lang": "de-DE",
        "heading": "Sonntag, 19. Oktober 2025",
        "time": "So., 19. Okt. · 14:00–14:10 MESZ",
        "note": "Alle Zeiten in Mitteleuropäische Zeit, UTC+2; Kalender-Apps zeigen Ihre eigene Zeit.",
        "subscribe": "Alle Sitzungen abonnieren",
        "add": "Zum Kalender hinzufügen",
        "later": "Uhrzeit folgt",
        "cancelled": "ABGESAGT",
        "add_heading": "Zum eigenen Kalender hinzufügen",
        "title": "Poster, Abstract 777P",  # a German noun keeps its capital mid-title
        "apple": "Apple Kalender / .ics",
    },
    "ja-JP": {
        "lang": "ja-JP",
        "heading": "2025年10月19日日曜日",
        "time": "10月19日(日) · 14:00–14:10 CEST",
        "note": "時刻はすべて中央ヨーロッパ時間（UTC+2）です。カレンダーアプリではお使いの時間帯で表示されます。",
        "subscribe": "全セッションを購読",
        "add": "カレンダーに追加",
        "later": "時間は未定",
        "cancelled": "中止",
        "add_heading": "カレンダーに追加",
        "title": "Poster, 演題 777P",
        "apple": "Apple カレンダー / .ics",
    },
}


@pytest.fixture(params=sorted(EXPECTED))
def localized(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`asco-cal serve --locale ...` on the Berlin congress: (locale, base URL)."""
    locale = request.param
    shutil.copy(DATA / "locale" / "sessions.yaml", tmp_path / "sessions.yaml")
    with serving(tmp_path, "--locale", locale) as base:
        yield locale, base


def test_localized_agenda_in_chromium(localized: tuple[str, str], browser: Any) -> None:
    locale, base = localized
    want = EXPECTED[locale]
    page = _context(browser).new_page()
    page.goto(base)
    assert page.locator("html").get_attribute("lang") == want["lang"]
    assert page.get_by_role("heading", name=want["heading"], exact=False).is_visible()
    assert page.get_by_text(want["time"], exact=True).is_visible()
    assert page.locator("header p.muted").inner_text() == want["note"]
    assert page.get_by_role("heading", name=want["subscribe"]).is_visible()
    # Five scheduled sessions (the all-day one too) less the cancelled one: no add link.
    assert page.get_by_role("link", name=want["add"], exact=True).count() == 4
    assert page.get_by_role("heading", name=want["later"]).is_visible()
    assert page.locator("strong.status").first.inner_text() == want["cancelled"]
    english = ("Add to calendar", "Subscribe", "Time to be announced", "Skip to the agenda")
    text = page.locator("body").inner_text()
    assert not [word for word in english if word in text], "English left on the page"
    page.screenshot(path=str(ARTIFACTS / f"agenda-{locale}.png"), full_page=True)
    _check_accessibility(browser, base)

    page.get_by_role("link", name=want["add"], exact=True).first.click()
    page.wait_for_url("**/add/**")
    assert page.locator("html").get_attribute("lang") == want["lang"]
    assert page.get_by_role("heading", name=want["add_heading"]).is_visible()
    assert page.locator("h1").inner_text() == want["title"]
    assert page.get_by_role("link", name=want["apple"]).is_visible()
    page.screenshot(path=str(ARTIFACTS / f"add-{locale}.png"), full_page=True)
    _check_accessibility(browser, page.url)
