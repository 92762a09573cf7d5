"""The ASGI app in-process: every route, header and status."""

from __future__ import annotations

import gzip
import logging
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from asco_cal import feeds, pages, state
from asco_cal.cli import cli
from asco_cal.filters import parse_filter
from asco_cal.loader import Loaded, load_file
from asco_cal.server import AccessLog, InvalidStart, Settings, create_app
from asco_cal.urls import Urls
from parsers import PYTHON_PARSERS

EVERY_REQUEST = Settings(poll_seconds=0.0)  # the server looks at the file on every request
TESTSERVER = ("testserver",)  # the host name TestClient sends


@pytest.fixture
def client(workdir: Path) -> TestClient:
    return TestClient(
        create_app(workdir / "sessions.yaml", settings=EVERY_REQUEST, allowed_hosts=TESTSERVER),
        base_url="http://testserver",
    )


def _export(runner: CliRunner, *args: str) -> bytes:
    result = runner.invoke(cli, ["export", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Make sure the change is visible even on file systems with coarse mtimes.
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


def test_feed_headers(client: TestClient) -> None:
    response = client.get("/calendar.ics", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "content-disposition" not in response.headers
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["etag"].startswith('"') and response.headers["etag"].endswith('"')
    assert not response.headers["etag"].startswith("W/")
    assert response.headers["last-modified"] == "Thu, 26 May 2011 12:00:00 GMT"
    assert "content-encoding" not in response.headers


def test_feed_bytes_equal_export(client: TestClient, runner: CliRunner) -> None:
    assert client.get("/calendar.ics").content == _export(runner)
    filtered = client.get("/calendar.ics?type=poster&date=2011-06-04")
    assert filtered.content == _export(runner, "--type", "poster", "--date", "2011-06-04")


def test_feed_for_one_abstract_holds_exactly_its_two_events(client: TestClient) -> None:
    events = PYTHON_PARSERS["ical"](client.get("/calendar.ics?abstract=8017").content)
    assert [e.summary for e in events] == [
        "SAR3419 poster - Abstract 8017",
        "SAR3419 poster discussion - Abstract 8017",
    ]


@pytest.mark.parametrize(
    ("query", "summaries"),
    [
        ("abstract=8017,8013", 3),
        ("abstract=8017&abstract=8013", 3),
        ("type=oral", 1),
        ("compound=sar3419", 2),
        ("date=2011-06-05", 1),
        ("abstract=8017&type=poster", 1),
        ("abstract=TPS102", 0),
    ],
)
def test_filters(client: TestClient, query: str, summaries: int) -> None:
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 200
    assert len(PYTHON_PARSERS["icalendar"](response.content)) == summaries


@pytest.mark.parametrize(
    ("query", "first_line"),
    [
        ("type=postr", "Bad filter: type: no session has 'postr' (accepted: oral, poster, "
                       "poster discussion)"),
        ("date=tomorrow", "Bad filter: date: not a date: 'tomorrow' (write it as YYYY-MM-DD, "
                          "e.g. 2011-06-04); accepted: 2011-06-04, 2011-06-05"),
        ("room=E450b", "Bad filter: room: unknown filter (accepted: abstract, session, type, "
                       "compound, date, q, meeting)"),
        ("abstract=", "Bad filter: abstract: empty value (accepted: 8013, 8017, TPS102, TPS116)"),
    ],
)  # fmt: skip
def test_bad_filter_is_a_400_with_plain_text(
    client: TestClient, query: str, first_line: str
) -> None:
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.splitlines()[0] == first_line
    assert "Filters: abstract, session, type, compound, date, q, meeting" in response.text


def test_etag_gives_304(client: TestClient) -> None:
    first = client.get("/calendar.ics")
    again = client.get("/calendar.ics", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    other = client.get("/calendar.ics", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_if_modified_since(client: TestClient) -> None:
    first = client.get("/calendar.ics")
    same = client.get(
        "/calendar.ics", headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert same.status_code == 304
    older = client.get(
        "/calendar.ics", headers={"If-Modified-Since": "Wed, 25 May 2011 12:00:00 GMT"}
    )
    assert older.status_code == 200
    garbage = client.get("/calendar.ics", headers={"If-Modified-Since": "yesterday"})
    assert garbage.status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = client.get("/calendar.ics", headers={
        "If-None-Match": '"stale"', "If-Modified-Since": first.headers["last-modified"]})  # fmt: skip
    assert both.status_code == 200


def test_head(client: TestClient) -> None:
    identity = {"Accept-Encoding": "identity"}
    get = client.get("/calendar.ics", headers=identity)
    head = client.head("/calendar.ics", headers=identity)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == "text/calendar; charset=utf-8"


def test_same_bytes_whatever_the_accept_header(client: TestClient) -> None:
    plain = client.get("/calendar.ics").content
    for accept in ("text/html", "application/json", "*/*", "text/calendar"):
        assert client.get("/calendar.ics", headers={"Accept": accept}).content == plain


def test_authorization_header_is_not_rejected(client: TestClient) -> None:
    response = client.get("/calendar.ics", headers={"Authorization": "Bearer probe"})
    assert response.status_code == 200


def test_gzip_only_when_asked(client: TestClient) -> None:
    plain = client.get("/calendar.ics", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.content == plain.content  # httpx decodes it
    assert zipped.headers["etag"] != plain.headers["etag"]
    refused = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    for odd in ("gzip;q=abc", "gzip;q=", "deflate, br", ", ;"):
        response = client.get("/calendar.ics", headers={"Accept-Encoding": odd})
        assert response.status_code == 200, odd
        assert "content-encoding" not in response.headers, odd
    raw = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"}).headers
    assert int(raw["content-length"]) < len(plain.content)


def test_gzip_bytes_are_deterministic(client: TestClient) -> None:
    data = client.get("/calendar.ics").content
    assert gzip.compress(data, mtime=0) == gzip.compress(data, mtime=0)


def test_session_download(client: TestClient, runner: CliRunner, workdir: Path) -> None:
    response = client.get("/sessions/8017-1.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="immunogen-at-asco-2011-8017-poster.ics"'
    )
    assert runner.invoke(cli, ["export", "--split", "split"]).exit_code == 0
    assert response.content == (workdir / "split" / "8017-1.ics").read_bytes()
    (event,) = PYTHON_PARSERS["vobject"](response.content)
    assert event.summary == "SAR3419 poster - Abstract 8017"


def test_session_not_found_and_unscheduled(client: TestClient) -> None:
    for url, depth in (("/sessions/9999.ics", "../"), ("/add/9999/", "../../")):
        missing = client.get(url)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "text/html; charset=utf-8"
        assert "<p>No session &#39;9999&#39;: the agenda page lists them all.</p>" in missing.text
        assert f'<a class="button primary" href="{depth}">Back to the agenda</a>' in missing.text
    for url in ("/sessions/tps102.ics", "/add/tps102/?to=google"):
        later = client.get(url)
        assert later.status_code == 404, url
        assert "<p>Abstract TPS102 has no date or time yet; subscribe" in later.text


def test_add_addresses_forgive_case_and_list_an_abstracts_parts(client: TestClient) -> None:
    upper = client.get("/add/8013/?to=Google", follow_redirects=False)
    assert upper.status_code == 302
    assert upper.headers["location"].startswith("https://calendar.google.com/")
    wrong = client.get("/add/8013/?to=Yahoo")
    assert wrong.status_code == 400
    assert wrong.headers["content-type"] == "text/html; charset=utf-8"
    assert "to=&#39;Yahoo&#39;: not a calendar service; pick one:" in wrong.text  # as typed
    for to, name in (("google", "Google Calendar"), ("outlook", "Outlook.com"),
                     ("office", "Microsoft 365"), ("apple", "Apple Calendar / .ics")):  # fmt: skip
        assert f'<a href="../../add/8013/?to={to}">{name}</a>' in wrong.text
    assert client.get("/add/8013/?to=").status_code == 200  # an empty choice: the add page
    assert client.get("/add/9999/?to=yahoo").status_code == 404  # no such session first
    # Without the slash, the address moves to the folder its page's links are relative to.
    moved = client.get("/add/8013?to=google", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (308, "8013/?to=google")
    # 8017 is presented twice: its address lists both sessions (keeping the service).
    for query, suffix in (("", ""), ("?to=outlook", "?to=outlook")):
        parts = client.get(f"/add/8017/{query}")
        assert parts.status_code == 200
        assert "<h1>Abstract 8017 is presented twice</h1>" in parts.text
        for n, when in ((1, "Saturday, June 4, 8:00 am – 12:00 noon CT"),
                        (2, "Saturday, June 4, 12:00 noon – 1:00 pm CT")):  # fmt: skip
            link = f'<a href="../../add/8017-{n}/{suffix}">Abstract 8017 part {n}: {when}</a>'
            assert link in parts.text
        chosen = client.get(f"/add/8017-2/{suffix}", follow_redirects=False)
        assert chosen.status_code == (302 if suffix else 200)


def test_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert "<script" not in html
    assert "8:00 am – 12:00 noon CT" in html
    assert "11:30 am – 11:45 am CT" in html
    assert "Saturday, June 4, 2011" in html
    assert html.count("Time to be announced") >= 3
    assert 'href="webcal://testserver/calendar.ics"' in html
    assert (
        "https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Ftestserver%2Fcalendar.ics"
        in html
    )
    assert 'value="http://testserver/calendar.ics"' in html
    assert "<svg" in html  # the QR code
    assert 'href="calendar.ics?type=poster"' in html
    # One short "add" address per session; the services' long links are behind it.
    assert html.count("Add to calendar</a>") == 3
    assert 'href="add/8017-1/"' in html
    assert "calendar/render?action=TEMPLATE" not in html
    assert 'name="session" value="8017-1" form="my"' in html
    add = client.get("/add/8017-1/").text
    assert 'href="../../add/8017-1/?to=google"' in add
    assert 'href="../../add/8017-1/?to=apple"' in add
    google = client.get("/add/8017-1/?to=google", follow_redirects=False)
    assert google.status_code == 302
    assert google.headers["location"].startswith(
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
    )
    assert "ctz=America%2FChicago" in google.headers["location"]
    for to, host in (("outlook", "outlook.live.com"), ("office", "outlook.office.com")):
        moved = client.get(f"/add/8017-1/?to={to}", follow_redirects=False).headers["location"]
        assert moved.startswith(f"https://{host}/calendar/0/deeplink/compose?"), to
    slashless = client.get("/add/8017-1?to=apple", follow_redirects=False)
    assert slashless.headers["location"] == "8017-1/?to=apple"  # relative: any path prefix
    apple = client.get("/add/8017-1/?to=apple", follow_redirects=False)
    assert apple.headers["location"] == "http://testserver/sessions/8017-1.ics"


def test_page_escapes_everything_from_the_file(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(workdir / "sessions.yaml", "    room: E450b\n",
          "    room: \"<script>alert(1)</script>\"\n")  # fmt: skip
    _edit(workdir / "sessions.yaml", "  name: ImmunoGen at ASCO 2011 ",
          "  name: \"ImmunoGen <b>& co</b>\" ")  # fmt: skip
    html = TestClient(create_app(workdir / "sessions.yaml", allowed_hosts=TESTSERVER)).get("/").text
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html
    assert "ImmunoGen &lt;b&gt;&amp; co&lt;/b&gt;" in html


def test_personal_feed_page(client: TestClient) -> None:
    response = client.get("/my?abstract=8017&abstract=8013")
    assert response.status_code == 200
    html = response.text
    assert "Your sessions: 8013, 8017" in html
    assert 'value="8013" form="my" aria-label="Add abstract 8013 to my feed" checked>' in html
    assert 'value="tps102" form="my" aria-label="Add abstract TPS102 to my feed">' in html
    assert 'value="http://testserver/calendar.ics?abstract=8013,8017"' in html
    assert "webcal://testserver/calendar.ics?abstract=8013,8017" in html
    feed = client.get("/calendar.ics?abstract=8013,8017")
    assert len(PYTHON_PARSERS["ical"](feed.content)) == 3
    assert client.get("/my").status_code == 400
    assert client.get("/my?abstract=nope").status_code == 400
    # Each part of an abstract has its own box: ticking one part picks that part only.
    one = client.get("/my?session=8017-2").text
    assert "Your sessions: 8017 part 2" in one
    assert (
        'value="8017-2" form="my" aria-label="Add abstract 8017 part 2 to my feed" checked>' in one
    )
    assert 'aria-label="Add abstract 8017 part 1 to my feed">' in one
    part = client.get("/calendar.ics?session=8017-2")
    assert [e.summary for e in PYTHON_PARSERS["ical"](part.content)] == [
        "SAR3419 poster discussion - Abstract 8017"
    ]
    assert b"X-WR-CALNAME:ImmunoGen at ASCO 2011 \xe2\x80\x94 my sessions" in part.content


def test_an_empty_submission_gets_a_friendly_page(client: TestClient) -> None:
    response = client.get("/my")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Pick your sessions</h1>" in response.text
    assert "No session was ticked." in response.text
    assert 'href="./">Back to the agenda</a>' in response.text


def test_healthz(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["events"] == 3
    assert body["unscheduled"] == 2
    assert len(body["problems"]) == 2  # the two "no time yet" warnings


def test_reload_on_change(
    client: TestClient, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = client.get("/calendar.ics")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1306584000")  # the edit happens two days later
    _edit(workdir / "sessions.yaml", "    room: E354a\n", "    room: S100a\n")
    after = client.get("/calendar.ics")
    assert after.status_code == 200
    assert after.content != before.content
    assert b"S100a" in after.content
    assert (
        client.get("/calendar.ics", headers={"If-None-Match": before.headers["etag"]}).status_code
        == 200
    )
    assert after.headers["last-modified"] != before.headers["last-modified"]
    changed = [e for e in PYTHON_PARSERS["ical"](after.content) if "S100a" in (e.location or "")]
    assert [e.sequence for e in changed] == [1]
    # The state file now remembers the change.
    assert '"sequence": 1' in (workdir / "sessions.state.yaml").read_text(encoding="utf-8")


def test_invalid_edit_keeps_the_last_good_calendar(
    client: TestClient, workdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = client.get("/calendar.ics")
    _edit(workdir / "sessions.yaml", "    time: 11:30-11:45 am\n", "    time: 11:30-11:15 am\n")
    with caplog.at_level(logging.ERROR, logger="asco_cal.server"):
        still = client.get("/calendar.ics")
    assert still.status_code == 200
    assert still.content == good.content
    assert "still serving the last good calendar" in caplog.text
    assert "sessions[1].time: ends before it starts (11:15 < 11:30)" in caplog.text
    raw_health = client.get("/healthz")
    assert str(workdir) not in raw_health.text  # a public page: the file's name only
    health = raw_health.json()
    assert health["status"] == "stale"
    assert health["problems"][0] == (
        "sessions.yaml:62:11: sessions[1].time: ends before it starts (11:15 < 11:30)"
    )
    assert len(health["problems"]) == 3  # and the two warnings
    assert client.get("/").status_code == 200
    # A broken YAML file, then a deleted one: still the last good calendar, never a 500.
    (workdir / "sessions.yaml").write_text("sessions: [\n", encoding="utf-8")
    os.utime(workdir / "sessions.yaml", (time.time() + 4, time.time() + 4))
    assert client.get("/calendar.ics").content == good.content
    (workdir / "sessions.yaml").unlink()
    assert client.get("/calendar.ics").content == good.content
    assert "file not found" in client.get("/healthz").json()["problems"][0]
    # Fixing the file brings the server back to "ok".
    (workdir / "sessions.yaml").write_text(
        (Path(__file__).parent.parent / "sessions.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert client.get("/healthz").json()["status"] == "ok"


def test_start_with_an_invalid_file_fails_clearly(workdir: Path) -> None:
    (workdir / "sessions.yaml").write_text("calendar: {}\nsessions: []\n", encoding="utf-8")
    with pytest.raises(InvalidStart, match=r"calendar\.name: missing"):
        create_app(workdir / "sessions.yaml")


def test_serve_refuses_an_invalid_file(runner: CliRunner, workdir: Path) -> None:
    (workdir / "sessions.yaml").write_text("calendar: {}\nsessions: []\n", encoding="utf-8")
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: sessions.yaml: cannot start the server until the file is valid "
        "(run `asco-cal validate sessions.yaml`)"
    )


def test_factory_reads_the_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASCO_CAL_SESSIONS", str(workdir / "sessions.yaml"))
    monkeypatch.setenv("ASCO_CAL_BASE_URL", "https://cal.example.org/asco/")
    html = TestClient(create_app()).get("/").text
    assert 'value="https://cal.example.org/asco/calendar.ics"' in html


def test_access_log_line(workdir: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = AccessLog(create_app(workdir / "sessions.yaml", allowed_hosts=TESTSERVER))
    with caplog.at_level(logging.INFO, logger="asco_cal.server"):
        TestClient(app).get("/calendar.ics?abstract=8013")
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("GET ")]
    method, path, status, size, elapsed = line.split(" ")
    assert (method, path, status) == ("GET", "/calendar.ics?abstract=8013", "200")
    assert size.endswith("B") and int(size[:-1]) > 1000
    assert elapsed.endswith("ms")


def test_lifespan_poller_reloads_without_requests(workdir: Path) -> None:
    app = create_app(workdir / "sessions.yaml", allowed_hosts=TESTSERVER)
    with TestClient(app) as client:
        _edit(workdir / "sessions.yaml", "    room: E354a\n", "    room: S100a\n")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if app.program.events[1].room == "S100a":
                break
            time.sleep(0.1)
        assert app.program.events[1].room == "S100a"
        assert b"S100a" in client.get("/calendar.ics").content


def test_long_personal_feed_warns_about_google(workdir: Path) -> None:
    sessions = workdir / "sessions.yaml"
    extra = "".join(
        f'  - {{abstract: "LONG-ABSTRACT-NUMBER-{i}", title: t, type: poster}}\n' for i in range(12)
    )
    sessions.write_text(sessions.read_text(encoding="utf-8") + extra, encoding="utf-8")
    client = TestClient(create_app(sessions, allowed_hosts=TESTSERVER))
    few = client.get("/my?abstract=8017").text
    assert "Google Calendar may not accept it" not in few
    many = client.get("/my?" + "&".join(f"abstract=LONG-ABSTRACT-NUMBER-{i}" for i in range(12)))
    assert "Google Calendar may not accept it" in many.text


def test_serve_refuses_a_busy_port(runner: CliRunner, workdir: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); try another --port"
    )


def test_page_security_headers(client: TestClient) -> None:
    for path in ("/", "/my?abstract=8017"):
        headers = client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'none';")
        assert "script-src" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_a_file_that_cannot_be_rendered_never_replaces_a_good_one(
    client: TestClient,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = client.get("/calendar.ics").content
    state_before = (workdir / "sessions.state.yaml").read_bytes()
    real_render = pages.render

    def broken_render(program: Any, *args: Any, **kwargs: Any) -> str:
        if any(e.room == "S100a" for e in program.events):
            raise RuntimeError("template bug")
        html: str = real_render(program, *args, **kwargs)
        return html

    monkeypatch.setattr(pages, "render", broken_render)
    _edit(workdir / "sessions.yaml", "    room: E354a\n", "    room: S100a\n")
    with caplog.at_level(logging.ERROR, logger="asco_cal.server"):
        assert client.get("/calendar.ics").content == good
    assert "RuntimeError: template bug" in caplog.text  # the details go to the log...
    health = client.get("/healthz").json()
    assert health["status"] == "stale"
    assert health["problems"] == [  # ...not to the public status page
        "sessions.yaml: cannot build the calendar (an internal error, logged on the server); "
        "please report it"
    ]
    assert (workdir / "sessions.state.yaml").read_bytes() == state_before


def test_read_only_state_file_still_serves_new_data(
    client: TestClient, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(state, "write_atomic", refuse)
    _edit(workdir / "sessions.yaml", "    room: E354a\n", "    room: S100a\n")
    assert b"S100a" in client.get("/calendar.ics").content
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["problems"][-1] == (
        f"{workdir / 'sessions.state.yaml'}: cannot write the state file: Permission denied "
        "(revisions are kept in memory until a restart)"
    )
    # A later edit of another event leaves the first one's revision as it was.
    first = client.get("/calendar.ics?abstract=8017").content
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1306584000")
    _edit(workdir / "sessions.yaml", "    room: E354a\n", "    room: S200\n")  # 8013's room
    assert b"S200" in client.get("/calendar.ics").content
    assert client.get("/calendar.ics?abstract=8017").content == first


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(["/", "/my", "/calendar.ics", "/sessions/8017-1.ics", "/healthz"]),
    query=st.lists(
        st.tuples(st.sampled_from(["abstract", "type", "compound", "date", "x", ""]),
                  st.text(max_size=12)),
        max_size=4,
    ),
    header=st.sampled_from(["if-none-match", "if-modified-since", "accept-encoding", "accept"]),
    value=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
)  # fmt: skip
def test_no_request_gets_a_server_error(
    client: TestClient, path: str, query: list[tuple[str, str]], header: str, value: str
) -> None:
    from urllib.parse import urlencode

    url = path + ("?" + urlencode(query) if query else "")
    response = client.get(url, headers={header: value})
    assert response.status_code in (200, 304, 400, 404), (url, header, value)


def test_a_file_changing_while_it_is_read_is_neither_served_nor_reported(workdir: Path) -> None:
    """An editor writing in place: a half-written (maybe valid) version is skipped."""
    sessions = workdir / "sessions.yaml"
    full = sessions.read_text(encoding="utf-8")
    half = full[: full.index('  - abstract: "8013"')]  # valid YAML: just fewer sessions
    calls = []

    def load_while_writing(path: Path, *, name: str, in_folder: bool = False) -> Loaded:
        calls.append(path)
        loaded = load_file(path, name=name, in_folder=in_folder)
        if len(calls) == 2:  # the first reload: the editor finishes writing while we read
            sessions.write_text(full.replace("E354a", "S100a"), encoding="utf-8")
            os.utime(sessions, (time.time() + 8, time.time() + 8))
        return loaded

    client = TestClient(
        create_app(
            sessions,
            settings=Settings(poll_seconds=0.0, load=load_while_writing),
            allowed_hosts=TESTSERVER,
        )
    )
    good = client.get("/calendar.ics").content
    assert len(calls) == 1  # the start
    sessions.write_text(half, encoding="utf-8")
    os.utime(sessions, (time.time() + 4, time.time() + 4))
    assert client.get("/calendar.ics").content == good  # the half file was not served
    assert client.get("/healthz").json()["status"] == "ok"
    after = client.get("/calendar.ics").content  # the next look reads the finished file
    assert b"S100a" in after and after.count(b"BEGIN:VEVENT") == 3
    assert len(calls) == 3  # the start, the half-written file, the finished one


def test_an_unreadable_file_keeps_the_last_good_calendar(
    client: TestClient,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = client.get("/calendar.ics").content
    sessions = workdir / "sessions.yaml"
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "sessions.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)  # chmod 000 does not stop root, so simulate it
    _edit_mtime = time.time() + 4
    os.utime(sessions, (_edit_mtime, _edit_mtime))
    with caplog.at_level(logging.ERROR, logger="asco_cal.server"):
        assert client.get("/calendar.ics").content == good
    assert "sessions.yaml: cannot read: Permission denied" in caplog.text
    health = client.get("/healthz").json()
    assert health["status"] == "stale"
    assert health["problems"] == ["sessions.yaml: cannot read: Permission denied"]


def test_work_carried_between_versions_equals_fresh_work(workdir: Path, runner: CliRunner) -> None:
    """Events and links reused from the previous version give the bytes a fresh run gives."""
    base = "https://example.org/asco/"
    app = create_app(workdir / "sessions.yaml", base_url=base, settings=EVERY_REQUEST)
    client = TestClient(app)
    client.get("/calendar.ics")
    _edit(workdir / "sessions.yaml", "    room: E354a\n", "    room: S100a\n")
    feed = client.get("/calendar.ics").content
    page = client.get("/").text
    snapshot = app.source.snapshot
    assert snapshot.carry.previous  # the previous version's work was offered...
    assert _export(runner) == feed  # ...and the feed is what a fresh export writes
    program = load_file(workdir / "sessions.yaml").program
    writers = feeds.Writers(program, state.read(workdir / "sessions.state.yaml"))

    def sizes(chosen: dict[str, list[str]]) -> int:
        return len(writers.calendar(parse_filter(program, chosen)))

    assert page == pages.render(program, Urls(base=base, static=False), sizes=sizes)
