"""The lane renders views not made yet in one process forked from the version served:
the same bytes as rendering in the server, one process for every view of a version,
answered even when that process dies or hangs, a new process for a new version, and
none left when the server stops."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from asco_cal import pages
from asco_cal.server import Settings, create_app
from asco_cal.server import lane as lanes
from asco_cal.server.lane import Job, Lane

HOSTS = ("testserver",)
VIEWS = ("/?q=lymphoma", "/?type=poster", "/my?session=8017-2", "/add/8013/",
         "/agenda.json", "/calendar.ics?type=poster", "/calendar.ics?q=lymphoma")  # fmt: skip
SERVER = os.getpid()


def _noting(log: Path, monkeypatch: pytest.MonkeyPatch, then: Any = None) -> None:
    """Note in ``log`` the process each page is rendered in (``then()`` run in children)."""
    real_render = pages.render

    def render(*args: Any, **kwargs: Any) -> str:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        if then is not None and os.getpid() != SERVER:
            then()
        html: str = real_render(*args, **kwargs)
        return html

    monkeypatch.setattr(pages, "render", render)


def _renderers(log: Path) -> list[int]:
    return [int(line) for line in log.read_text(encoding="utf-8").split()] if log.exists() else []


def _answers(workdir: Path, apart: bool) -> list[tuple[int, bytes, str]]:
    settings = Settings(poll_seconds=60, render_apart=apart)
    app = create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS, settings=settings)
    found = []
    with TestClient(app) as client:
        for url in VIEWS:
            for encoding in ("identity", "gzip"):
                got = client.get(url, headers={"Accept-Encoding": encoding})
                found.append((got.status_code, got.content, got.headers.get("etag", "")))
    return found


def test_a_view_rendered_apart_is_the_one_rendered_in_the_server(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = workdir / "renderers.txt"
    _noting(log, monkeypatch)
    apart = _answers(workdir, apart=True)
    forked = [pid for pid in _renderers(log) if pid != SERVER]
    assert len(forked) >= 2  # the filtered page and /my at least were rendered apart
    assert len(set(forked)) == 1  # by one process, the version's
    log.unlink()
    here = _answers(workdir, apart=False)
    assert set(_renderers(log)) == {SERVER}
    assert apart == here
    assert all(status == 200 for status, _, _ in apart)


def test_a_rendering_process_that_dies_leaves_the_request_answered(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = workdir / "renderers.txt"
    died: list[int] = []

    def die_once() -> None:
        if not (workdir / "died").exists():
            (workdir / "died").write_text("")
            os.kill(os.getpid(), signal.SIGKILL)

    _noting(log, monkeypatch, then=die_once)
    settings = Settings(poll_seconds=60)
    client = TestClient(
        create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS, settings=settings)
    )
    log.unlink()  # the page made at the start
    got = client.get("/?q=lymphoma")
    assert got.status_code == 200 and b"lymphoma" in got.content.lower()
    first, *rest = _renderers(log)
    died.append(first)
    assert first != SERVER and rest == [SERVER]  # killed, then rendered in the server
    log.unlink()
    assert client.get("/?type=poster").status_code == 200  # the next one: a new process
    (again,) = _renderers(log)
    assert again not in (SERVER, first)
    with pytest.raises(ChildProcessError):
        os.waitpid(first, 0)  # reaped: no zombie left


class _Version:
    """A stand-in for a served version: a lane's target needs only a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()


def _hang_apart(version: _Version) -> str:
    if os.getpid() != SERVER:
        time.sleep(60)
    return f"made in {os.getpid()}"


def test_a_hung_rendering_process_is_killed_and_the_view_made_in_the_server() -> None:
    lane = Lane(4, timeout=0.5)
    version = _Version()
    started = time.monotonic()
    made = asyncio.run(lane.run(lane.render, version, Job(_hang_apart)))
    assert made == f"made in {SERVER}"
    assert time.monotonic() - started < 10
    hung = lane.renderer
    assert hung is not None and not hung.alive
    with pytest.raises(ChildProcessError):
        os.waitpid(hung.pid, 0)  # killed and reaped
    lane.close()


def test_a_reload_is_rendered_apart_in_its_new_version(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = workdir / "renderers.txt"
    _noting(log, monkeypatch)
    sessions = workdir / "sessions.yaml"
    settings = Settings(poll_seconds=0)
    client = TestClient(create_app(sessions, allowed_hosts=HOSTS, settings=settings))
    assert b"E354a" in client.get("/?q=lymphoma").content
    before = {pid for pid in _renderers(log) if pid != SERVER}
    text = sessions.read_text(encoding="utf-8").replace("room: E354a", "room: S100a")
    sessions.write_text(text, encoding="utf-8")
    later = time.time() + 2
    os.utime(sessions, (later, later))
    log.unlink()
    got = client.get("/?q=lymphoma").content
    assert b"S100a" in got and b"E354a" not in got
    after = {pid for pid in _renderers(log) if pid != SERVER}
    assert after and before and after.isdisjoint(before)  # the new version's own process
    for pid in before:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)  # the old one: ended and reaped


def test_no_rendering_process_outlives_the_server(workdir: Path) -> None:
    app = create_app(workdir / "sessions.yaml", allowed_hosts=HOSTS, settings=Settings())
    lane = app.feed.lane
    with TestClient(app) as client:
        assert client.get("/?q=lymphoma").status_code == 200
        renderer = lane.renderer
        assert renderer is not None and renderer.alive  # forked when the version was served
        os.kill(renderer.pid, 0)
    with pytest.raises(ProcessLookupError):
        os.kill(renderer.pid, 0)  # killed and reaped at the lifespan's end
    assert not renderer.alive


def _pid(version: _Version) -> int:
    return os.getpid()


def test_without_fork_views_are_rendered_in_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lanes, "FORKS", False)
    lane = Lane(4)
    assert asyncio.run(lane.run(lane.render, _Version(), Job(_pid))) == SERVER
    assert lane.renderer is None


def test_one_process_renders_every_job_of_a_version() -> None:
    lane = Lane(4)
    version = _Version()
    pids = {asyncio.run(lane.run(lane.render, version, Job(_pid))) for _ in range(3)}
    assert len(pids) == 1 and SERVER not in pids
    lane.close()
    assert asyncio.run(lane.run(lane.render, version, Job(_pid))) == SERVER  # closed: here
