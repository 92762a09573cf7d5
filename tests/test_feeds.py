"""Feeds as people subscribe to them: their calendar names, and the warning for feeds
over Google Calendar's 1 MB, on the 1,200-session programme of benchmarks/generate.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from asco_cal import feeds
from asco_cal.cli import cli
from asco_cal.filters import parse_filter
from asco_cal.loader import load_file
from asco_cal.server import create_app
from support import ROOT, SAMPLE

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

PROGRAM = load_file(SAMPLE).program
DAYS = ["2011-06-03", "2011-06-04", "2011-06-05", "2011-06-06", "2011-06-07"]


@pytest.mark.parametrize(
    ("filters", "name"),
    [
        ({}, "ImmunoGen at ASCO 2011"),
        ({"type": ["poster"]}, "ImmunoGen at ASCO 2011 — posters"),
        ({"type": ["Poster Discussion", "oral"]},
         "ImmunoGen at ASCO 2011 — orals and poster discussions"),
        ({"date": ["2011-06-04"]}, "ImmunoGen at ASCO 2011 — Saturday, June 4"),
        ({"compound": ["sar3419"]}, "ImmunoGen at ASCO 2011 — SAR3419"),
        ({"abstract": ["8017", "8013"]}, "ImmunoGen at ASCO 2011 — my sessions"),
        ({"session": ["8017-2"]}, "ImmunoGen at ASCO 2011 — my sessions"),
        ({"type": ["poster"], "date": ["2011-06-04"]},
         "ImmunoGen at ASCO 2011 — posters, Saturday, June 4"),
        ({"q": ["Lymphoma  weekly"]}, "ImmunoGen at ASCO 2011 — “lymphoma weekly”"),
        # Control characters never reach a calendar name (nor the search).
        ({"q": ["lym\x00phoma\x1b[31m\u0085weekly\x7f"]},
         "ImmunoGen at ASCO 2011 — “lymphoma[31m weekly”"),
        ({"q": ["\u202eamgis\u200b \u2066lymphoma\u2069"]},
         "ImmunoGen at ASCO 2011 — “amgis lymphoma”"),
    ],
)  # fmt: skip
def test_each_filtered_feed_has_its_own_calendar_name(
    filters: dict[str, list[str]], name: str
) -> None:
    assert feeds.calendar_name(PROGRAM, parse_filter(PROGRAM, filters)) == name


def test_search_and_parts_in_the_filter_language() -> None:
    def keys(filters: dict[str, list[str]]) -> list[str]:
        return [e.key for e in parse_filter(PROGRAM, filters).apply(PROGRAM.events)]

    assert keys({"session": ["8017-2"]}) == ["8017-2"]
    assert keys({"session": ["8017-1,8013"]}) == ["8017-1", "8013"]
    assert keys({"q": ["IMMUNOCONJUGATE weekly"]}) == ["8017-1", "8017-2"]
    assert keys({"q": ["E354a"]}) == ["8017-2", "8013"]  # rooms are searched
    assert keys({"q": ["no such words"]}) == []  # an empty feed, not an error
    assert keys({"q": ["immuno\x00conjugate"]}) == ["8017-1", "8017-2"]
    with pytest.raises(Exception, match="no session has '9999-1'"):
        keys({"session": ["9999-1"]})


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 1,200-session programme (1,080 abstracts, a tenth in two parts)."""
    path = tmp_path_factory.mktemp("big") / "sessions.yaml"
    path.write_text(generate(1200), encoding="utf-8")
    return path


def _warning(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith("Warning: ")]
    return line


def test_export_warns_about_a_feed_too_big_for_google(big: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.ics"
    result = CliRunner().invoke(cli, ["export", str(big), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1_000_000
    line = _warning(result.stderr)
    assert line.startswith(
        f"Warning: {out} is 2.1 MB, over Google Calendar's 1 MB limit for subscribed feeds"
    )
    assert "these fit: per day (all of them), " in line
    assert all(f"--date {day}" in line for day in DAYS)
    assert '--type "poster discussion"' in line
    # One day fits, and says nothing.
    day = CliRunner().invoke(cli, ["export", str(big), "--date", DAYS[0], "-o", "-", "-q"])
    assert day.exit_code == 0
    assert len(day.stdout_bytes) < 1_000_000
    assert "Warning: " not in day.stderr


def test_the_per_day_feeds_of_1200_sessions_fit_and_build_says_so(
    big: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(big), "-o", str(site), "--base-url",
                                      "https://example.org/asco/"])  # fmt: skip
    assert result.exit_code == 0, result.output
    sizes = {p.stem: p.stat().st_size for p in (site / "feeds" / "date").glob("*.ics")}
    assert sorted(sizes) == DAYS
    assert all(size < 1_000_000 for size in sizes.values()), sizes
    assert (site / "calendar.ics").stat().st_size > 1_000_000
    line = _warning(result.stderr)
    assert line.startswith("Warning: the full feed (calendar.ics) is 2.1 MB, over Google")
    assert f"per day (all of them), {feeds.size_text(min(sizes.values()))}–" in line
    # Instead of the full feed, the page's Google buttons are the per-day feeds'.
    html = (site / "index.html").read_text(encoding="utf-8")
    assert (
        "2.1 MB: too big for Google Calendar (1 MB). In Google Calendar, subscribe to each day"
        in html
    )
    assert 'cid=webcal%3A%2F%2Fexample.org%2Fasco%2Fcalendar.ics"' not in html
    panel = html[html.index('id="subscribe"') : html.index('id="agenda"')]
    for day in DAYS:
        feed = f"webcal%3A%2F%2Fexample.org%2Fasco%2Ffeeds%2Fdate%2F{day}.ics"
        assert f'href="https://calendar.google.com/calendar/r?cid={feed}"' in panel, day
    assert panel.count(">Google: ") == len(DAYS)
    assert 'id="by-day"' in html


def test_serve_knows_the_full_feed_is_too_big(big: Path) -> None:
    app = create_app(big, base_url="https://example.org/asco/")
    warning = app.size_warning
    assert warning is not None
    assert warning.startswith("the full feed (/calendar.ics) is 2.1 MB")
    assert "per day (all of them)" in warning
    client = TestClient(app)
    page = client.get("/").text
    assert "2.1 MB: too big for Google Calendar (1 MB). In Google Calendar, subscribe" in page
    assert page.count(">Google: ") == len(DAYS)
    day = client.get("/?date=2011-06-04").text
    assert "too big for Google" not in day[: day.index('id="agenda"')]  # that day's feed fits
    assert "calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fasco%2Fcalendar.ics%3Fdate%3D" in day
    # A filtered view too big for Google: its Google buttons are its own sessions per
    # day, not the whole programme's day feeds.
    posters = client.get("/?q=phase").text
    panel = posters[posters.index('id="subscribe"') : posters.index('id="agenda"')]
    assert "too big for Google Calendar" in panel
    days = re.findall(r'href="https://calendar\.google\.com/calendar/r\?cid=([^"]+)"', panel)
    assert len(days) == len(DAYS)
    for found, date in zip(days, DAYS, strict=True):
        assert unquote(found) == f"webcal://example.org/asco/calendar.ics?date={date}&q=phase"
        feed = client.get(f"/calendar.ics?date={date}&q=phase")
        assert len(feed.content) < 1_000_000
    assert create_app(SAMPLE).size_warning is None


def test_serve_warns_at_start(big: Path) -> None:
    import socket

    with socket.socket() as busy:  # the warning comes before the server listens
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(big), "--port", str(port)])
    assert result.exit_code == 1
    line = _warning(result.stderr)
    assert line.startswith("Warning: the full feed (/calendar.ics) is 2.1 MB, over Google")
    assert "these fit: per day (all of them)" in line
