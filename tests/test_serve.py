"""The real thing over HTTP: `asco-cal serve` under uvicorn, and a built site under a static server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from click.testing import CliRunner

from asco_cal.cli import cli
from parsers import PYTHON_PARSERS
from support import free_port


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def _touch_later(path: Path) -> None:
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


def test_feed_for_8017_and_304(server: str) -> None:
    status, headers, body = _get(server + "calendar.ics?abstract=8017")
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert [e.summary for e in PYTHON_PARSERS["ical"](body)] == [
        "SAR3419 poster - Abstract 8017",
        "SAR3419 poster discussion - Abstract 8017",
    ]
    status, _, body = _get(server + "calendar.ics?abstract=8017",
                               {"If-None-Match": headers["etag"]})  # fmt: skip
    assert (status, body) == (304, b"")
    status, _, _ = _get(server + "calendar.ics?abstract=8017",
                        {"If-Modified-Since": headers["last-modified"]})  # fmt: skip
    assert status == 304
    status, _, body = _get(server + "calendar.ics?type=nope")
    assert status == 400
    assert body.startswith(b"Bad filter: type: no session has 'nope'")


def _wait_for(predicate: object, seconds: float = 3.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():  # type: ignore[operator]
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_edits_reach_the_feed_and_breakage_keeps_the_last_good(server: str, workdir: Path) -> None:
    sessions = workdir / "sessions.yaml"
    original = sessions.read_text(encoding="utf-8")
    sessions.write_text(original.replace("    room: E354a\n", "    room: S100a\n", 1),
                        encoding="utf-8")  # fmt: skip
    _touch_later(sessions)
    took = _wait_for(lambda: b"S100a" in _get(server + "calendar.ics")[2])
    assert took < 2.0
    good = _get(server + "calendar.ics")[2]
    # Break the file: the last good feed stays, /healthz says why.
    sessions.write_text(original.replace("time: 11:30-11:45 am", "time: 11:30-11:15 am"),
                        encoding="utf-8")  # fmt: skip
    stamp = time.time() + 4
    os.utime(sessions, (stamp, stamp))
    _wait_for(lambda: json.loads(_get(server + "healthz")[2])["status"] == "stale")
    health = json.loads(_get(server + "healthz")[2])
    assert health["problems"][0].endswith(
        "sessions.yaml:62:11: sessions[1].time: ends before it starts (11:15 < 11:30)"
    )
    status, _, body = _get(server + "calendar.ics")
    assert (status, body) == (200, good)
    log = (workdir / "server.log").read_text()
    assert "still serving the last good calendar" in log


@pytest.fixture
def static_site(workdir: Path, runner: CliRunner) -> Iterator[str]:
    result = runner.invoke(cli, ["build", "-o", "site", "--base-url", "http://example.org/asco/"])
    assert result.exit_code == 0, result.output
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(workdir / "site")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _reachable(base), 10)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _reachable(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


def test_built_site_works_from_a_static_server(static_site: str, runner: CliRunner) -> None:
    status, _, html = _get(static_site)
    assert status == 200
    hrefs = sorted(set(re.findall(r'href="([^"#:]+)"', html.decode())))
    assert "calendar.ics" in hrefs
    assert "feeds/type/poster.ics" in hrefs
    assert "add/8017-1/" in hrefs  # the session's page, which links its .ics
    assert "days/2011-06-04/" in hrefs
    calendars = {h for h in hrefs if h.endswith(".ics")}
    for page in sorted(h for h in hrefs if h.endswith("/")):
        status, headers, body = _get(static_site + page)
        assert status == 200, page
        assert headers["content-type"] == "text/html", page
        for href in re.findall(r'href="([^"#:?]+)"', body.decode()):  # relative to the page
            calendars |= {urljoin(page, href)} if href.endswith(".ics") else set()
    assert "sessions/8017-1.ics" in calendars
    for href in sorted(calendars):
        status, headers, body = _get(static_site + href)
        assert status == 200, href
        assert headers["content-type"] == "text/calendar", href
        assert PYTHON_PARSERS["ical"](body), href
    exported = runner.invoke(cli, ["export", "--type", "poster", "-o", "-"]).stdout_bytes
    assert _get(static_site + "feeds/type/poster.ics")[2] == exported
