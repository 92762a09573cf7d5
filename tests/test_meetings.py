"""A year of meetings: a folder of meeting files as one calendar, page and feed."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from asco_cal.cli import cli
from asco_cal.loader import Inputs, load_inputs
from asco_cal.server import Settings, create_app
from parsers import PYTHON_PARSERS, Parsed, icaljs_available, with_icaljs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "meetings"
UTC = dt.UTC

# The example's sessions at their instants, worked out by hand from each city's clock
# in 2024: Chicago on CDT (UTC-5), Barcelona on CEST (UTC+2), Singapore on SGT (UTC+8).
INSTANTS = {
    "EXB-101 poster - Abstract 3021": ((2024, 6, 1, 14, 0), (2024, 6, 1, 17, 0)),
    "EXB-101 oral - Abstract LBA5": ((2024, 6, 2, 18, 15), (2024, 6, 2, 18, 27)),
    "EXB-101 proffered paper - Abstract LBA5": ((2024, 9, 14, 8, 30), (2024, 9, 14, 8, 40)),
    "EXB-202 poster - Abstract 1034P": ((2024, 9, 15, 10, 0), (2024, 9, 15, 11, 0)),
    "EXB-101 poster - Abstract 240P": ((2024, 12, 7, 8, 20), (2024, 12, 7, 8, 30)),
}


@pytest.fixture
def meetings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/meetings in a temporary folder (the cwd)."""
    folder = tmp_path / "meetings"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.chdir(tmp_path)
    return folder


def _run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _export(runner: CliRunner, *args: str) -> bytes:
    result = runner.invoke(cli, ["export", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _vevents(data: bytes) -> dict[str, bytes]:
    """Each VEVENT's text by its UID."""
    out = {}
    for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S):
        uid = re.search(rb"^UID:(.*)\r$", block, re.M)
        assert uid is not None
        out[uid.group(1).decode()] = block
    return out


def _sequences(data: bytes) -> dict[str, int]:
    return {
        uid: int(re.search(rb"SEQUENCE:(\d+)", block).group(1))  # type: ignore[union-attr]
        for uid, block in _vevents(data).items()
    }


def _later(path: Path) -> None:
    """Move a file's modification time on, so that a watcher sees the change."""
    later = time.time() + 5
    os.utime(path, (later, later))


def test_three_meetings_in_three_zones_export_the_right_instants(
    meetings: Path, runner: CliRunner
) -> None:
    data = _export(runner, "meetings")
    expected = {
        summary: (dt.datetime(*a, tzinfo=UTC), dt.datetime(*b, tzinfo=UTC))
        for summary, (a, b) in INSTANTS.items()
    }
    parsers: dict[str, Callable[[bytes], list[Parsed]]] = dict(PYTHON_PARSERS)
    if icaljs_available() is None:
        parsers["ical.js"] = with_icaljs
    assert len(parsers) >= 3
    for name, parse in parsers.items():
        found = {p.summary: (p.start, p.end) for p in parse(data)}
        assert found == expected, name
    assert b"X-WR-TIMEZONE" not in data  # meetings on three clocks: no one calendar zone
    for zone in (b"America/Chicago", b"Europe/Madrid", b"Asia/Singapore"):
        assert b"TZID:" + zone in data


def test_a_meeting_keeps_the_uids_it_has_as_a_file_of_its_own(
    meetings: Path, tmp_path: Path, runner: CliRunner
) -> None:
    alone = tmp_path / "asco.yaml"
    calendar = (meetings / "calendar.yaml").read_text(encoding="utf-8")
    alone.write_text(calendar + (meetings / "asco-2024.yaml").read_text(encoding="utf-8"))
    single = _vevents(_export(runner, str(alone)))
    together = _vevents(_export(runner, "meetings"))
    assert len(single) == 2 and set(single) < set(together)


def test_filters_per_meeting_and_across_meetings(meetings: Path, runner: CliRunner) -> None:
    esmo = _export(runner, "meetings", "--meeting", "esmo-2024")
    (parsed,) = {frozenset(p.summary for p in PYTHON_PARSERS["ical"](esmo))}
    assert parsed == {"EXB-101 proffered paper - Abstract LBA5", "EXB-202 poster - Abstract 1034P"}
    assert b"X-WR-CALNAME:Example Bio at oncology meetings \xe2\x80\x94 ESMO Congress 2024" in esmo
    assert b"X-WR-TIMEZONE:Europe/Madrid" in esmo
    posters = _export(runner, "meetings", "--type", "poster")
    assert len(_vevents(posters)) == 3  # one at each meeting
    both = _export(runner, "meetings", "--meeting", "asco-2024,esmo-asia-2024", "--type", "poster")
    assert {p.summary for p in PYTHON_PARSERS["icalendar"](both)} == {
        "EXB-101 poster - Abstract 3021",
        "EXB-101 poster - Abstract 240P",
    }
    lba5 = _export(runner, "meetings", "--abstract", "LBA5")
    assert len(_vevents(lba5)) == 2  # the same number at two meetings: two events
    wrong = runner.invoke(cli, ["export", "meetings", "--meeting", "asco-2025", "-o", "-"])
    assert wrong.exit_code == 2
    assert (
        "--meeting: no session has 'asco-2025' (accepted: asco-2024, esmo-2024, esmo-asia-2024)"
        in wrong.output
    )
    listed = _run(runner, "list", "meetings", "--meeting", "esmo-asia-2024")
    assert "ESMO Asia Congress 2024" in listed and "ASCO" not in listed


def test_served_and_built_meeting_feeds_are_the_exported_bytes(
    meetings: Path, tmp_path: Path, runner: CliRunner
) -> None:
    exported = _export(runner, "meetings", "--meeting", "esmo-2024")
    _run(runner, "build", "meetings", "-o", "site")
    built = (tmp_path / "site" / "feeds" / "meeting" / "esmo-2024.ics").read_bytes()
    assert built == exported
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for slug in ("asco-2024", "esmo-2024", "esmo-asia-2024"):
        assert f'href="webcal://example.org/meetings/feeds/meeting/{slug}.ics"' in page
    assert (tmp_path / "site" / "sessions" / "esmo-2024-lba5.ics").is_file()
    assert (tmp_path / "site" / "add" / "asco-2024-lba5" / "index.html").is_file()
    client = TestClient(
        create_app(
            [str(meetings)], settings=Settings(poll_seconds=0.0), allowed_hosts=["testserver"]
        )
    )
    served = client.get("/calendar.ics?meeting=esmo-2024")
    assert served.status_code == 200 and served.content == exported
    live = client.get("/").text
    assert 'href="webcal://example.org/meetings/calendar.ics?meeting=esmo-2024"' in live
    assert client.get("/calendar.ics?meeting=nope").status_code == 400


def test_a_meeting_id_twice_names_both_files_and_lines(meetings: Path, runner: CliRunner) -> None:
    shutil.copy(meetings / "esmo-2024.yaml", meetings / "esmo-copy.yaml")
    out = _run(runner, "validate", "meetings", code=1)
    assert (
        "meetings/esmo-copy.yaml:3:7: conference.id: the meeting id 'esmo-2024' is already the "
        "id of meetings/esmo-2024.yaml's meeting (line 3); give each meeting its own `id`"
    ) in out
    # A meeting named alike without an id is the same meeting too (its UIDs would collide).
    text = (meetings / "esmo-copy.yaml").read_text(encoding="utf-8")
    (meetings / "esmo-copy.yaml").write_text(
        text.replace("  name: ESMO Congress 2024\n  id: esmo-2024\n", "  name: ESMO 2024\n")
    )
    (meetings / "esmo-2024.yaml").write_text(
        (meetings / "esmo-2024.yaml").read_text().replace("id: esmo-2024", "id: ESMO 2024")
    )
    out = _run(runner, "validate", "meetings", code=1)
    assert "meetings/esmo-copy.yaml:2:9: conference.id: the meeting id 'ESMO 2024'" in out


def test_bad_input_in_a_folder_is_reported_for_every_file(
    meetings: Path, runner: CliRunner
) -> None:
    asco = meetings / "asco-2024.yaml"
    asco.write_text(asco.read_text().replace("1:15-1:27 pm", "1:15-1:97 pm"))
    esmo = meetings / "esmo-2024.yaml"
    esmo.write_text(
        esmo.read_text()
        .replace("  id: esmo-2024\n", "")
        .replace("  name: ESMO Congress 2024\n", "")
    )
    out = _run(runner, "export", "meetings", "-o", "x.ics", code=1)
    lines = out.splitlines()
    assert any(
        line.startswith("meetings/asco-2024.yaml:30:11: sessions[1].time: ") for line in lines
    ), out
    assert (
        "meetings/esmo-2024.yaml:2:3: conference: missing (in a folder, each meeting's "
        "conference needs an `id` or a `name`)"
    ) in lines
    assert (
        lines[-1] == "Error: meetings: 2 errors; nothing written (run `asco-cal validate meetings`)"
    )
    assert not Path("x.ics").exists()
    (meetings / "calendar.yaml").write_text("calendar:\n  nme: x\n")
    out = _run(runner, "validate", "meetings", code=1)
    assert "meetings/calendar.yaml:2:3: warning: calendar.nme: unknown key, ignored" in out
    assert (
        "meetings/calendar.yaml:2:3: calendar.name: missing (the name people see in their calendar list)"
        in out
    )


def test_the_calendar_from_the_first_file_and_a_warning_when_files_disagree(
    meetings: Path, runner: CliRunner
) -> None:
    (meetings / "calendar.yaml").unlink()
    out = _run(runner, "validate", "meetings", code=1)
    assert (
        "meetings/asco-2024.yaml:1:1: calendar: missing (give the calendar's name in "
        "calendar.yaml or in the first file)"
    ) in out
    for name, title in (("asco-2024.yaml", "Example Bio"), ("esmo-2024.yaml", "Example Bio EU")):
        path = meetings / name
        path.write_text(f"calendar:\n  name: {title}\n" + path.read_text())
    out = _run(runner, "validate", "meetings")
    assert (
        "meetings/esmo-2024.yaml:1:1: warning: calendar: differs from the calendar used "
        "('Example Bio'); this file's is ignored"
    ) in out
    assert b"X-WR-CALNAME:Example Bio\r\n" in _export(runner, "meetings")


def test_renaming_reordering_or_adding_meetings_changes_no_uid_or_sequence(
    meetings: Path, runner: CliRunner
) -> None:
    before = _export(runner, "meetings")
    state = (meetings / "calendar.state.yaml").read_text()
    (meetings / "asco-2024.yaml").rename(meetings / "zz-chicago.yaml")
    (meetings / "esmo-asia-2024.yaml").rename(meetings / "a-singapore.yml")
    other = meetings / "ash-2024.yaml"
    other.write_text(
        "conference: {name: ASH 2024, id: ash-2024, timezone: America/Los_Angeles,"
        " start: 2024-12-07, end: 2024-12-10}\n"
        "sessions:\n  - {abstract: '3021', title: A poster, type: poster, date: 2024-12-08,"
        " time: 5:30-7:30 pm, room: Hall G}\n"
    )
    after = _export(runner, "meetings")
    old, new = _vevents(before), _vevents(after)
    assert len(new) == len(old) + 1
    for uid, block in old.items():
        assert new[uid] == block  # the same UID, SEQUENCE, LAST-MODIFIED: byte for byte
    saved = json.loads(state[state.index("{") :])["events"]
    now = (meetings / "calendar.state.yaml").read_text()
    assert all(json.loads(now[now.index("{") :])["events"][uid] == r for uid, r in saved.items())


def test_editing_one_room_bumps_only_that_sequence(meetings: Path, runner: CliRunner) -> None:
    before = _sequences(_export(runner, "meetings"))
    esmo = meetings / "esmo-2024.yaml"
    esmo.write_text(esmo.read_text().replace("room: Hall 8.0", "room: Hall 8.1"))
    after_data = _export(runner, "meetings")
    after = _sequences(after_data)
    changed = {uid for uid in before if after[uid] != before[uid]}
    assert len(changed) == 1
    (uid,) = changed
    assert after[uid] == before[uid] + 1
    assert b"Hall 8.1" in _vevents(after_data)[uid]


def _order(html: str) -> list[tuple[str, str]]:
    """The meetings' headings and the past meetings' fold, in page order."""
    found: list[tuple[str, str]] = re.findall(
        r'<h2 class="meeting" id="m-([a-z0-9-]+)"|(<details class="past")', html
    )
    return found


def test_the_page_lists_upcoming_meetings_first_and_folds_the_past_ones(
    meetings: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def page(*args: str) -> str:
        _run(runner, "build", "meetings", "-o", "site", *args)
        return (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    july = page("--today", "2024-07-01")
    assert _order(july) == [
        ("esmo-2024", ""),
        ("esmo-asia-2024", ""),
        ("", '<details class="past"'),
        ("asco-2024", ""),
    ]
    assert "Barcelona · September 13–17, 2024 · CEST (Europe/Madrid)" in july
    assert "Chicago · May 31 – June 4, 2024 · CT (America/Chicago)" in july
    assert (
        july.index("Abstract 240P") < july.index("Past meetings (1)") < july.index("Abstract 3021")
    )
    during = page("--today", "2024-09-17")  # the last day of ESMO: still on
    assert [m for m, _ in _order(during) if m] == ["esmo-2024", "esmo-asia-2024", "asco-2024"]
    assert '<details class="past"' in during
    january = page("--today", "2024-01-01")
    assert _order(january) == [("asco-2024", ""), ("esmo-2024", ""), ("esmo-asia-2024", "")]
    # Without --today: SOURCE_DATE_EPOCH's day, so two builds are byte-identical.
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2024, 12, 31, tzinfo=UTC).timestamp()))
    )
    first = page()
    assert [m for m, _ in _order(first) if m] == ["asco-2024", "esmo-2024", "esmo-asia-2024"]
    assert "Past meetings (3)" in first
    assert page() == first
    listed = _run(runner, "list", "meetings", "--today", "2024-07-01")
    assert [line for line in listed.splitlines() if line.startswith(("ASCO", "ESMO", "Past"))] == [
        "ESMO Congress 2024",
        "ESMO Asia Congress 2024",
        "Past meetings",
        "ASCO 2024 Annual Meeting",
    ]


def test_serve_watches_the_folder(meetings: Path) -> None:
    asia = meetings / "esmo-asia-2024.yaml"
    kept = asia.read_text()
    asia.unlink()
    client = TestClient(
        create_app(
            [str(meetings)], settings=Settings(poll_seconds=0.0), allowed_hosts=["testserver"]
        )
    )

    def feed() -> set[str]:
        answer = client.get("/calendar.ics")
        assert answer.status_code == 200
        return {p.summary for p in PYTHON_PARSERS["ical"](answer.content)}

    def health() -> dict[str, object]:
        body = client.get("/healthz").json()
        assert isinstance(body, dict)
        return body

    assert len(feed()) == 4 and health()["status"] == "ok"
    asia.write_text(kept)  # added
    assert "EXB-101 poster - Abstract 240P" in feed() and len(feed()) == 5
    esmo = meetings / "esmo-2024.yaml"
    good = esmo.read_text()
    esmo.write_text(good.replace("time: 12:00-13:00", "time: 12:00-13:61"))  # broken
    _later(esmo)
    asco = meetings / "asco-2024.yaml"
    asco.write_text(asco.read_text().replace("Randomized phase 3", "Randomised phase 3"))
    _later(asco)
    assert len(feed()) == 5  # ESMO as it was, ASCO as it is now
    assert "Randomised phase 3" in client.get("/calendar.ics").text
    body = health()
    assert body["status"] == "stale" and body["broken"] == ["esmo-2024.yaml"]
    assert body["detail"] == "esmo-2024.yaml has problems; still serving its last good version"
    problems = body["problems"]
    assert isinstance(problems, list)
    assert any(str(p).startswith("esmo-2024.yaml:27:11: sessions[1].time: ") for p in problems), (
        problems
    )
    esmo.write_text(good.replace("Hall 8.0", "Hall 8.2"))  # fixed
    _later(esmo)
    assert "Hall 8.2" in client.get("/calendar.ics").text
    assert health()["status"] == "ok" and health()["broken"] == []
    asco_text = asco.read_text()
    asco.unlink()  # an editor saving by deleting and writing again: nothing is dropped
    assert len(feed()) == 5
    asco.write_text(asco_text.replace("Hall A", "Hall B"))
    _later(asco)
    assert len(feed()) == 5 and "Hall B" in client.get("/calendar.ics").text
    asia.unlink()  # removed: kept at the first look after (it may be being saved), then gone
    assert len(feed()) == 5
    assert "EXB-101 poster - Abstract 240P" not in feed() and len(feed()) == 4
    assert client.get("/calendar.ics?meeting=esmo-asia-2024").status_code == 400


def test_init_adds_a_meeting_to_a_folder(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _run(runner, "init", "--meeting", "year", "--conference", "ESMO 2026", "--timezone", "CET")
    _run(runner, "init", "--meeting", "year", "--conference", "ASCO 2026", "--timezone", "CT")
    assert sorted(p.name for p in (tmp_path / "year").iterdir()) == [
        "asco-2026.yaml", "calendar.yaml", "esmo-2026.yaml", "sessions.schema.json"]  # fmt: skip
    assert "calendar:" not in (tmp_path / "year" / "esmo-2026.yaml").read_text()
    out = _run(runner, "validate", "year")
    assert out.startswith("year: OK: 2 events in 2 meetings")
    again = _run(runner, "init", "--meeting", "year", "--conference", "ASCO 2026", code=1)
    assert "year/asco-2026.yaml: already exists" in again


def test_several_files_share_one_state_file_in_the_first_ones_folder(
    meetings: Path, runner: CliRunner
) -> None:
    files = [str(meetings / n) for n in ("calendar.yaml", "esmo-2024.yaml", "asco-2024.yaml")]
    data = _export(runner, *files)
    assert len(_vevents(data)) == 4
    assert (meetings / "calendar.state.yaml").is_file()
    program = load_inputs(Inputs(tuple(files))).program
    assert [m.slug for m in program.meetings] == ["asco-2024", "esmo-2024"]  # date order


def test_the_readme_commands_for_a_year_of_meetings_work(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A year of meetings") :]
    block = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert block is not None
    commands = [shlex.split(line) for line in block.group(1).splitlines()]
    assert len(commands) >= 5 and all(c[0] == "asco-cal" for c in commands)
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "meetings")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        _run(runner, *command[1:])
    assert (tmp_path / "site" / "feeds" / "meeting" / "esmo-asia-2024.ics").is_file()
    assert len(_vevents(Path("esmo.ics").read_bytes())) == 2
    out = _run(runner, "validate", "examples/meetings/")
    assert out.startswith("examples/meetings/: OK: 6 events in 4 meetings")


def test_meetings_on_the_same_days_keep_every_anchor_unique(
    meetings: Path, tmp_path: Path, runner: CliRunner
) -> None:
    text = (meetings / "esmo-2024.yaml").read_text(encoding="utf-8")
    twin = text.replace("id: esmo-2024", "id: esmo-satellite-2024").replace(
        "name: ESMO Congress 2024", "name: ESMO Satellite 2024"
    )
    twin += "  - id: tba1\n    title: A poster with no date yet\n    type: poster\n"
    (meetings / "esmo-satellite-2024.yaml").write_text(twin, encoding="utf-8")
    text += "  - id: tba2\n    title: Another poster with no date yet\n    type: poster\n"
    (meetings / "esmo-2024.yaml").write_text(text, encoding="utf-8")
    _run(runner, "build", "meetings", "-o", "site", "--today", "2024-07-01")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert (
        'id="m-esmo-2024-d-2024-09-14"' in page
        and 'id="m-esmo-satellite-2024-d-2024-09-14"' in page
    )
    assert 'id="m-esmo-2024-later"' in page and 'id="m-esmo-satellite-2024-later"' in page


def test_agenda_json_lists_every_meeting_and_each_sessions_own(
    meetings: Path, tmp_path: Path, runner: CliRunner
) -> None:
    import jsonschema

    _run(runner, "build", "meetings", "-o", "site", "--base-url", "https://example.org/m/")
    data = json.loads((tmp_path / "site" / "agenda.json").read_text(encoding="utf-8"))
    schema = json.loads((tmp_path / "site" / "agenda.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    program = load_inputs(Inputs(("meetings",))).program
    assert [(m["id"], m["city"], m["timezone"]) for m in data["meetings"]] == [
        (m.slug, m.city, m.timezone) for m in program.meetings
    ]
    assert {m["id"] for m in data["meetings"]} == {"asco-2024", "esmo-2024", "esmo-asia-2024"}
    assert data["conference"] == data["meetings"][0]
    by_key = {s["key"]: s["meeting"] for s in data["sessions"]}
    assert by_key == {e.key: e.meeting.slug for e in program.events}
    assert len(set(by_key.values())) == 3
