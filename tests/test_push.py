"""`asco-cal push` against a real Radicale CalDAV server started on a free loopback port."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from asco_cal.cli import cli
from asco_cal.loader import Inputs, load_inputs
from support import free_port

pytest.importorskip("radicale")
caldav = pytest.importorskip("caldav")

PASSWORD = "s3cret"  # noqa: S105 - a throwaway test server
FOREIGN = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//someone else//EN
BEGIN:VEVENT
UID:lunch-with-the-board@example.org
DTSTAMP:20110601T120000Z
DTSTART:20110604T170000Z
DTEND:20110604T180000Z
SUMMARY:Lunch with the board
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale server with user ann (password s3cret) and her empty calendar 'asco'."""
    (tmp_path / "users").write_text("ann:s3cret\n", encoding="utf-8")
    port = free_port()
    log = (tmp_path / "radicale.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "radicale",
            "--server-hosts", f"127.0.0.1:{port}",
            "--storage-filesystem-folder", str(tmp_path / "collections"),
            "--auth-type", "htpasswd",
            "--auth-htpasswd-filename", str(tmp_path / "users"),
            "--auth-htpasswd-encryption", "plain",
            "--logging-level", "warning",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "radicale did not start: " + (tmp_path / "radicale.log").read_text()
                    )
                time.sleep(0.1)
        with caldav.DAVClient(url=base, username="ann", password=PASSWORD) as client:
            client.principal().make_calendar(name="ASCO", cal_id="asco")
        yield f"{base}ann/asco/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _remote(url: str) -> dict[str, str]:
    with caldav.DAVClient(url=url, username="ann", password=PASSWORD) as client:
        calendar = client.calendar(url=url)
        out = {}
        for obj in calendar.events():
            component = obj.icalendar_component
            out[str(component["UID"])] = str(component.get("LOCATION", ""))
        return out


def _push(runner: CliRunner, url: str, *args: str) -> str:
    result = runner.invoke(
        cli, ["push", url, "--user", "ann", "--password-env", "ASCO_PW", *args],
        env={"ASCO_PW": "s3cret"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    last: str = result.stderr.splitlines()[-1]
    return last


def test_push_creates_updates_removes_and_leaves_other_events_alone(
    radicale: str, workdir: Path, runner: CliRunner
) -> None:
    with caldav.DAVClient(url=radicale, username="ann", password=PASSWORD) as client:
        client.calendar(url=radicale).save_event(FOREIGN)
    first = _push(runner, radicale)
    assert first == (
        f"Pushed to {radicale}: 3 created, 0 updated, 0 unchanged, 0 removed; skipped 2 "
        "sessions with no date or time yet (TPS102, TPS116)."
    )
    remote = _remote(radicale)
    assert len(remote) == 4 and "lunch-with-the-board@example.org" in remote
    assert _push(runner, radicale).startswith(
        f"Pushed to {radicale}: 0 created, 0 updated, 3 unchanged, 0 removed"
    )
    # One room edited, abstract 8013 removed from the file.
    sessions = workdir / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8").replace("room: E450b", "room: E451")
    start = text.index('  - abstract: "8013"')
    end = text.index("  # Trials in Progress")
    sessions.write_text(text[:start] + text[end:], encoding="utf-8")
    dry = _push(runner, radicale, "--dry-run")
    assert dry.startswith(f"Would push to {radicale}: 0 created, 1 updated, 1 unchanged, 1 removed")
    assert len(_remote(radicale)) == 4  # a dry run changes nothing
    second = _push(runner, radicale)
    assert second.startswith(f"Pushed to {radicale}: 0 created, 1 updated, 1 unchanged, 1 removed")
    remote = _remote(radicale)
    assert len(remote) == 3
    assert "lunch-with-the-board@example.org" in remote  # the foreign event survives
    assert any(location.startswith("E451, Poster 3") for location in remote.values())


def test_push_reports_a_wrong_password_and_a_dead_server(
    radicale: str, workdir: Path, runner: CliRunner
) -> None:
    result = runner.invoke(
        cli, ["push", radicale, "--user", "ann", "--password-env", "PW"], env={"PW": "wrong"}
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {radicale}: the server refused the user name or password"
    )
    dead = f"http://127.0.0.1:{free_port()}/ann/asco/"
    result = runner.invoke(cli, ["push", dead])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {dead}: cannot connect")
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["push", radicale, "--password-env", "NOT_SET_ANYWHERE"])
    assert result.exit_code == 2


def test_push_removes_the_events_of_a_meeting_taken_out_of_the_folder(
    radicale: str, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from support import ROOT

    folder = tmp_path / "meetings"
    shutil.copytree(ROOT / "examples" / "meetings", folder)
    monkeypatch.chdir(tmp_path)
    with caldav.DAVClient(url=radicale, username="ann", password=PASSWORD) as client:
        client.calendar(url=radicale).save_event(FOREIGN)
    first = _push(runner, radicale, "meetings")
    created = int(first.split(": ")[1].split(" created")[0])
    before = _remote(radicale)
    assert len(before) == created + 1
    program = load_inputs(Inputs(("meetings",))).program
    esmo_asia = [e.uid() for e in program.scheduled if e.meeting.slug == "esmo-asia-2024"]
    assert esmo_asia and set(esmo_asia) <= set(before)
    (folder / "esmo-asia-2024.yaml").unlink()
    second = _push(runner, radicale, "meetings")
    assert f"0 created, 0 updated, {created - len(esmo_asia)} unchanged, " in second
    assert f"{len(esmo_asia)} removed" in second
    after = _remote(radicale)
    assert set(after) == set(before) - set(esmo_asia)
    assert "lunch-with-the-board@example.org" in after  # another's event, never touched
