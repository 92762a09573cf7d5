"""The .ics writer: golden bytes, independent parsers, client rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from asco_cal import ics, state
from asco_cal.loader import load_file, load_text
from asco_cal.model import Program
from parsers import PYTHON_PARSERS, Parsed, icaljs_available, with_icaljs
from support import DATA, SAMPLE, SAMPLE_STATE

GOLDEN = DATA / "golden" / "sessions.ics"
UTC = dt.UTC


def sample_bytes() -> bytes:
    program = load_file(SAMPLE).program
    return ics.export(program, program.events, state.read(SAMPLE_STATE))


def export_text(yaml_text: str) -> tuple[Program, bytes]:
    program = load_text(yaml_text).program
    revisions = state.update(state.EMPTY, program, state.now())
    return program, ics.export(program, program.events, revisions)


def test_sample_matches_golden_file_byte_for_byte() -> None:
    assert sample_bytes() == GOLDEN.read_bytes()


def test_two_exports_are_byte_identical() -> None:
    assert sample_bytes() == sample_bytes()


EXPECTED_SAMPLE = [
    # (summary, start UTC, end UTC, room)
    ("SAR3419 poster - Abstract 8017", dt.datetime(2011, 6, 4, 13, tzinfo=UTC),
     dt.datetime(2011, 6, 4, 17, tzinfo=UTC), "E450b"),
    ("SAR3419 poster discussion - Abstract 8017", dt.datetime(2011, 6, 4, 17, tzinfo=UTC),
     dt.datetime(2011, 6, 4, 18, tzinfo=UTC), "E354a"),
    ("IMGN901 oral - Abstract 8013", dt.datetime(2011, 6, 5, 16, 30, tzinfo=UTC),
     dt.datetime(2011, 6, 5, 16, 45, tzinfo=UTC), "E354a"),
]  # fmt: skip


def _check_sample(events: list[Parsed]) -> None:
    assert [(e.summary, e.start, e.end) for e in events] == [x[:3] for x in EXPECTED_SAMPLE]
    for event, (_, _, _, room) in zip(events, EXPECTED_SAMPLE, strict=True):
        assert event.location is not None
        assert event.location.startswith(room + ", ")
        assert "McCormick Place, 2301 S. Lake Shore Drive, Chicago, IL 60616" in event.location
        assert event.alarms == ((
            "DISPLAY", -900, f"{event.summary} starts in 15 minutes in {room}"),)  # fmt: skip
        assert event.sequence == 0


@pytest.mark.parametrize("parser", sorted(PYTHON_PARSERS))
def test_sample_read_by_python_parsers(parser: str) -> None:
    _check_sample(PYTHON_PARSERS[parser](sample_bytes()))


@pytest.mark.skipif(icaljs_available() is not None, reason=str(icaljs_available()))
def test_sample_read_by_icaljs() -> None:
    _check_sample(with_icaljs(sample_bytes()))


def test_all_parsers_agree_on_the_sample() -> None:
    data = sample_bytes()
    results = {name: parse(data) for name, parse in PYTHON_PARSERS.items()}
    if icaljs_available() is None:
        results["ical.js"] = with_icaljs(data)
    first = results.pop("icalendar")
    for name, events in results.items():
        assert events == first, name


def test_calendar_properties() -> None:
    text = sample_bytes().decode()
    for line in (
        "VERSION:2.0",
        "PRODID:-//asco-cal//asco-cal",
        "METHOD:PUBLISH",
        "NAME:ImmunoGen at ASCO 2011",
        "X-WR-CALNAME:ImmunoGen at ASCO 2011",
        "X-WR-TIMEZONE:America/Chicago",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "DESCRIPTION:ImmunoGen's clinical",
        "X-WR-CALDESC:ImmunoGen's clinical",
    ):
        assert f"\r\n{line}" in text, line
    assert text.count("BEGIN:VCALENDAR") == 1
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_vtimezone_is_rrule_based_with_one_standard_and_one_daylight() -> None:
    text = sample_bytes().decode()
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert block.count("BEGIN:STANDARD") == 1
    assert block.count("BEGIN:DAYLIGHT") == 1
    assert "RDATE" not in block
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in block
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in block


def test_every_event_has_the_required_properties_and_alarm_last() -> None:
    text = sample_bytes().decode()
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, re.S):
        names = [line.split(":")[0].split(";")[0] for line in block.split("\r\n") if line
                 and not line.startswith(" ")]  # fmt: skip
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "LAST-MODIFIED",
                         "SUMMARY", "DESCRIPTION", "LOCATION", "GEO",
                         "X-APPLE-STRUCTURED-LOCATION", "CATEGORIES", "STATUS"):  # fmt: skip
            assert required in names, required
        first_alarm = names.index("BEGIN")
        assert all(n in ("BEGIN", "END", "ACTION", "TRIGGER", "DESCRIPTION")
                   for n in names[first_alarm:])  # fmt: skip
        assert re.search(r"DTSTAMP:\d{8}T\d{6}Z", block)
        assert re.search(r"DTSTART;TZID=America/Chicago:\d{8}T\d{6}\r\n", block)
        assert "GEO:41.8514;-87.6169" in block
        assert "X-APPLE-STRUCTURED-LOCATION;VALUE=URI;" in block


def test_lines_are_crlf_folded_at_75_octets_and_never_split_utf8() -> None:
    _, data = export_text((DATA / "valid" / "unicode.yaml").read_text(encoding="utf-8"))
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # every physical line is valid UTF-8 on its own


def test_text_is_escaped_and_unicode_survives_every_parser() -> None:
    program, data = export_text((DATA / "valid" / "unicode.yaml").read_text(encoding="utf-8"))
    (event,) = program.scheduled
    expected_title = event.title
    assert "\\," in data.decode() and "\\;" in data.decode() and "\\\\" in data.decode()
    results = {name: parse(data) for name, parse in PYTHON_PARSERS.items()}
    if icaljs_available() is None:
        results["ical.js"] = with_icaljs(data)
    for name, (parsed,) in results.items():
        assert parsed.description.startswith(expected_title + "\n"), name
        assert event.room is not None
        assert parsed.location is not None
        assert parsed.location.startswith(event.room), name
        assert 'Ünïcødé 🧬 naïve, "quoted"; semi\\colon' in parsed.description, name


def test_newline_in_a_one_line_field_cannot_start_a_new_property() -> None:
    yaml_text = (DATA / "valid" / "injection.yaml").read_text(encoding="utf-8")
    _, data = export_text(yaml_text)
    lines = data.decode().split("\r\n")
    names = {line.split(":")[0].split(";")[0] for line in lines if line and line[0] != " "}
    assert "X-INJECTED" not in names
    assert "ATTENDEE" not in names
    for name, parse in PYTHON_PARSERS.items():
        (parsed,) = parse(data)
        assert "X-INJECTED" in parsed.summary or "X-INJECTED" in parsed.description, name


def test_cancelled_session_stays_marked() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "    type: oral\n", "    type: oral\n    status: cancelled\n"
    )
    _, data = export_text(text)
    body = data.decode()
    assert "SUMMARY:CANCELLED: IMGN901 oral - Abstract 8013" in body
    assert "STATUS:CANCELLED" in body
    (cancelled,) = [e for e in PYTHON_PARSERS["ical"](data) if e.summary.startswith("CANCELLED")]
    assert cancelled.start == dt.datetime(2011, 6, 5, 16, 30, tzinfo=UTC)


def test_reminder_override_and_none() -> None:
    program = load_file(SAMPLE).program
    revisions = state.read(SAMPLE_STATE)
    two = ics.export(program, program.events, revisions, reminders=(60, 15))
    none = ics.export(program, program.events, revisions, reminders=())
    assert PYTHON_PARSERS["ical"](two)[0].alarms == (
        ("DISPLAY", -3600, "SAR3419 poster - Abstract 8017 starts in 1 hour in E450b"),
        ("DISPLAY", -900, "SAR3419 poster - Abstract 8017 starts in 15 minutes in E450b"),
    )
    assert b"VALARM" not in none


def test_single_event_download_has_no_calendar_name() -> None:
    program = load_file(SAMPLE).program
    (event,) = [e for e in program.events if e.key == "8013"]
    data = ics.export(program, [event], state.read(SAMPLE_STATE), single=True)
    assert b"X-WR-CALNAME" not in data
    assert b"REFRESH-INTERVAL" not in data
    assert data.count(b"BEGIN:VEVENT") == 1
    assert b"BEGIN:VTIMEZONE" in data


def test_each_zone_used_gets_one_vtimezone(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "    type: oral\n", "    type: oral\n    timezone: Europe/Berlin\n"
    )
    _, data = export_text(text)
    body = data.decode()
    assert body.count("BEGIN:VTIMEZONE") == 2
    assert "TZID:America/Chicago" in body
    assert "TZID:Europe/Berlin" in body
    berlin = next(e for e in PYTHON_PARSERS["vobject"](data) if "8013" in e.summary)
    assert berlin.start == dt.datetime(2011, 6, 5, 9, 30, tzinfo=UTC)


def test_utc_sessions_use_z_times_and_no_vtimezone() -> None:
    _, data = export_text(
        "calendar: {name: x}\n"
        "conference: {timezone: UTC, geo: [41.123456789, -87.987654321]}\n"
        "sessions: [{abstract: '1', title: t, type: o, date: 2026-06-01, time: 9-10 am}]\n"
    )
    body = data.decode()
    assert "\r\nDTSTART:20260601T090000Z\r\n" in body
    assert "TZID" not in body.replace("X-WR-TIMEZONE", "")
    assert "BEGIN:VTIMEZONE" not in body
    assert "\r\nGEO:41.123457;-87.987654\r\n" in body  # at most 6 decimals
    assert "X-APPLE-STRUCTURED-LOCATION" not in body  # no place name to show
    for parse in PYTHON_PARSERS.values():
        (event,) = parse(data)
        assert event.start == dt.datetime(2026, 6, 1, 9, tzinfo=UTC)


def test_sessions_at_one_instant_in_two_zones_keep_their_own_wall_clock() -> None:
    """9:00 in Chicago and 10:00 in New York are one instant; each keeps its own local time."""
    program = load_text(
        "calendar: {name: Two zones}\n"
        "conference: {timezone: CT}\n"
        "sessions:\n"
        '  - {abstract: "1", title: A, date: 2011-06-04, time: 9-10 am}\n'
        '  - {abstract: "2", title: B, date: 2011-06-04, time: 10-11 am, timezone: ET}\n'
    ).program
    now = dt.datetime(2011, 5, 26, tzinfo=dt.UTC)
    data = ics.export(program, program.events, state.update(state.EMPTY, program, now))
    lines = [line for line in data.decode().split("\r\n") if line.startswith("DTSTART;TZID=")]
    assert lines == [
        "DTSTART;TZID=America/Chicago:20110604T090000",
        "DTSTART;TZID=America/New_York:20110604T100000",
    ]
