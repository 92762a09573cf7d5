"""The served page at scale: made once per version (off the event loop), gzipped, with
ETags and 304s; filtered views in a bounded cache; the page's light shape."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from asco_cal import pages
from asco_cal.errors import AscoCalError
from asco_cal.server import Settings, create_app

HOSTS = ("testserver",)


def _on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_the_page_is_gzipped_with_an_etag_and_304s(workdir: Path) -> None:
    client = TestClient(create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS))
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.content == plain.content
    assert plain.headers["cache-control"] == "no-cache"  # checked on each view: a 304
    assert plain.headers["vary"] == "Accept-Encoding"
    assert "frame-ancestors 'none'" in plain.headers["content-security-policy"]
    for response in (plain, zipped):
        again = client.get("/", headers={"If-None-Match": response.headers["etag"]})
        assert (again.status_code, again.content) == (304, b"")
    head = client.head("/", headers={"Accept-Encoding": "identity"})
    assert head.content == b"" and head.headers["etag"] == plain.headers["etag"]
    filtered = client.get("/?type=poster")
    assert filtered.headers["etag"] != plain.headers["etag"]
    again = client.get("/?type=poster", headers={"If-None-Match": filtered.headers["etag"]})
    assert again.status_code == 304


def test_no_page_is_rendered_on_the_event_loop(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Noted in a file: views not made yet are rendered in their version's own process.
    log = workdir / "seen.txt"
    real_render, real_add = pages.render, pages.render_add

    def note(kind: str) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{kind} {int(_on_the_loop())}\n")

    def render(*args: Any, **kwargs: Any) -> str:
        note("render")
        html: str = real_render(*args, **kwargs)
        return html

    def render_add(*args: Any, **kwargs: Any) -> str:
        note("add")
        html: str = real_add(*args, **kwargs)
        return html

    monkeypatch.setattr(pages, "render", render)
    monkeypatch.setattr(pages, "render_add", render_add)
    sessions = workdir / "sessions.yaml"
    app = create_app(sessions, allowed_hosts=HOSTS, settings=Settings(poll_seconds=0.05))
    with TestClient(app) as client:  # with its lifespan: the background poller runs
        for url in ("/", "/?type=poster", "/?q=lymphoma", "/my?session=8017-2", "/add/8013/",
                    "/", "/?type=poster"):  # fmt: skip
            assert client.get(url).status_code == 200, url
        text = sessions.read_text(encoding="utf-8").replace("room: E354a", "room: S100a", 1)
        sessions.write_text(text, encoding="utf-8")
        later = time.time() + 2
        os.utime(sessions, (later, later))
        deadline = time.monotonic() + 5
        while b"S100a" not in client.get("/").content and time.monotonic() < deadline:
            time.sleep(0.05)
        assert b"S100a" in client.get("/").content  # the next version's page, made ahead
    seen = [
        (kind, on_loop == "1") for kind, on_loop in map(str.split, log.read_text().splitlines())
    ]
    assert seen and not any(on_loop for _, on_loop in seen), seen
    # Made once per version and address: the page twice here (start and reload), each
    # filtered view and the add page once, however often they were asked for.
    assert sum(1 for kind, _ in seen if kind == "add") == 1


def test_filtered_views_are_kept_in_a_bounded_cache(workdir: Path) -> None:
    small = Settings(poll_seconds=0.0, page_bytes=200_000)
    app = create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS, settings=small)
    client = TestClient(app)
    for i in range(60):
        assert client.get(f"/?q=word{i}").status_code == 200
    snapshot = app.source.snapshot
    held = sum(len(a.data) + len(a.gz) for a in snapshot.pages.values())  # type: ignore[union-attr,misc]
    assert held <= 200_000
    assert ("page", "http://testserver/", "q=word59") in snapshot.pages  # the latest are kept
    assert ("page", "http://testserver/", "q=word0") not in snapshot.pages
    # Equivalent queries are one view.
    first = client.get("/?type=Poster&q=+Phase++I").headers["etag"]
    assert client.get("/?q=Phase%20I&type=poster&date=").headers["etag"] == first


def test_a_bad_filter_on_the_page_is_a_page_that_says_so(workdir: Path) -> None:
    client = TestClient(create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS))
    for url, text in (("/?type=postr", "type: no session has &#39;postr&#39;"),
                      ("/?room=E450b", "room: not a filter")):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 400
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert text in response.text, response.text
        assert "Back to the agenda" in response.text
    assert client.get("/?q=&date=&type=&compound=").status_code == 200  # an empty form


def test_twelve_elements_at_most_per_session(workdir: Path) -> None:
    html = TestClient(create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS)).get("/").text
    for entry in re.findall(r'<ol class="s">(.*?)</ol>', html, re.DOTALL):
        for item in re.findall(r"<li.*?</li>", entry, re.DOTALL):
            assert len(re.findall(r"<[a-z]", item)) <= 12, item


def test_pages_are_rendered_one_at_a_time_and_a_queue_too_long_is_told_to_retry(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    # Counted in shared memory: views not made yet are rendered in their version's process.
    busy, most = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    real_render = pages.render

    def render(*args: Any, **kwargs: Any) -> str:
        with busy.get_lock():
            busy.value += 1
            most.value = max(most.value, busy.value)
        time.sleep(0.05)  # long enough for the other requests to arrive meanwhile
        try:
            html: str = real_render(*args, **kwargs)
            return html
        finally:
            with busy.get_lock():
                busy.value -= 1

    settings = Settings(poll_seconds=60, max_waiting=3)
    app = create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS, settings=settings)
    monkeypatch.setattr(pages, "render", render)  # after the start: its page is made ahead

    asked = iter(range(1000))

    async def get(path: str, query: bytes = b"") -> int:
        """One GET straight to the ASGI app; its status."""
        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                 "query_string": query, "headers": [(b"host", b"testserver")],
                 "scheme": "http", "server": ("testserver", 80), "root_path": "",
                 "http_version": "1.1", "client": ("127.0.0.1", 1)}  # fmt: skip
        sent: list[MutableMapping[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        status: int = sent[0]["status"]
        return status

    def new_views(n: int) -> list[Any]:
        """``n`` requests for views not asked for before."""
        return [get("/", b"q=word%d" % next(asked)) for _ in range(n)]

    async def scenario() -> None:  # on one event loop, as under a server
        assert await asyncio.gather(*new_views(3)) == [200, 200, 200]
        assert most.value == 1  # never two renderings at once
        # 8 at once, more than the app's 4 slots: one renders, 2 wait (3 in the lane),
        # the others are told to retry; waiting for the lane holds no slot, so the
        # other routes are answered meanwhile, before the renderings are done.
        done: list[str] = []

        async def healthz() -> int:
            await asyncio.sleep(0.01)  # once the views are queued
            status = await get("/healthz")
            done.append("healthz")
            return status

        async def view(request: Any) -> int:
            status: int = await request
            done.append(str(status))
            return status

        statuses = await asyncio.gather(healthz(), *(view(r) for r in new_views(8)))
        assert statuses[0] == 200
        assert sorted(statuses[1:]) == [200] * 3 + [503] * 5, statuses
        assert done.index("healthz") < done.index("200"), done
        assert await asyncio.gather(*new_views(1)) == [200]  # the queue is gone

    asyncio.run(scenario())
    # The lane is bound to no event loop: the same app under another one.
    assert asyncio.run(get("/", b"q=another")) == 200


def test_a_replaced_version_is_freed_not_kept_frozen(workdir: Path) -> None:
    """Served snapshots are frozen out of the collector's scans (source._settle): each
    reload must free the one it replaces, even after requests that left a reference
    cycle (a bad filter's error, kept with the snapshot), or every reload would leak
    a calendar."""
    import gc
    import weakref

    from asco_cal.server.routes import query_filters
    from asco_cal.server.source import Source

    sessions = workdir / "sessions.yaml"
    source = Source(sessions, settings=Settings(poll_seconds=0))
    replaced = []
    try:
        for i in range(4):
            with pytest.raises(AscoCalError):
                source.snapshot.feed(b"date=2011-13-45", query_filters)  # remembered
            source.snapshot.feed(b"type=poster", query_filters)
            replaced.append(weakref.ref(source.snapshot))
            sessions.write_text(sessions.read_text(encoding="utf-8") + f"# edit {i}\n", "utf-8")
            later = time.time() + 2 + i
            os.utime(sessions, (later, later))
            source.refresh(force=True)
            assert source.healthy and source.snapshot.signature[1] == sessions.stat().st_size
        assert [ref() is None for ref in replaced] == [True] * 4
        assert gc.get_freeze_count() > 0  # the served one is frozen
    finally:
        gc.unfreeze()
