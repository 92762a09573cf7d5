"""Reading sessions.yaml: what users wrote is what they get."""

from __future__ import annotations

import datetime as dt

import pytest

from asco_cal.errors import InvalidInput
from asco_cal.loader import load_file, load_text
from support import SAMPLE

HEAD = """\
calendar:
  name: Test
conference:
  timezone: America/Chicago
"""


def test_sample_program() -> None:
    loaded = load_file(SAMPLE)
    program = loaded.program
    assert program.calendar.name == "ImmunoGen at ASCO 2011"
    assert program.conference.timezone == "America/Chicago"
    assert program.conference.geo == (41.8514, -87.6169)
    assert program.reminders == (15,)
    assert [e.key for e in program.events] == ["8017-1", "8017-2", "8013", "tps102", "tps116"]
    poster, discussion = program.events[:2]
    assert (poster.type, poster.room, poster.board) == ("poster", "E450b", "Poster 3")
    assert (discussion.type, discussion.room, discussion.board) == (
        "poster discussion", "E354a", None,
    )  # fmt: skip
    assert poster.title == discussion.title
    assert poster.title.startswith("Phase I/II study of the anti-CD19")
    assert poster.compound == discussion.compound == "SAR3419"
    assert (poster.start, poster.end) == (dt.time(8), dt.time(12))
    assert (discussion.start, discussion.end) == (dt.time(12), dt.time(13))
    assert [e.scheduled for e in program.events] == [True, True, True, False, False]
    assert len(loaded.warnings) == 2


def test_yaml_11_surprises_are_not_applied() -> None:
    loaded = load_text(
        HEAD
        + """\
sessions:
  - abstract: 0123
    title: NO
    type: yes
    compound: 1e3
    date: 2011-06-04
    start: 8:00
    end: 9:30
    room: 010
"""
    )
    (event,) = loaded.program.events
    assert event.abstract == "0123"
    assert event.title == "NO"
    assert event.type == "yes"
    assert event.compound == "1e3"
    assert event.room == "010"
    assert (event.start, event.end) == (dt.time(8), dt.time(9, 30))


def test_parts_inherit_and_override() -> None:
    loaded = load_text(
        HEAD
        + """\
reminders: [1h]
sessions:
  - abstract: "8017"
    title: T
    type: poster
    date: 2011-06-04
    room: Hall A
    reminders: [10m]
    parts:
      - time: 8-9 am
      - type: oral
        time: 10-11 am
        room: E354a
        reminders: []
        status: tentative
"""
    )
    first, second = loaded.program.events
    assert (first.part, first.type, first.room, first.reminders) == (1, "poster", "Hall A", (10,))
    assert (second.part, second.type, second.room, second.reminders) == (2, "oral", "E354a", ())
    assert second.status == "tentative"
    assert first.uid() != second.uid()


def test_merge_keys_and_anchors() -> None:
    loaded = load_text(
        HEAD
        + """\
sessions:
  - &base
    abstract: "1"
    title: T
    type: oral
    date: 2011-06-04
    room: E1
    time: 9-10 am
  - <<: *base
    abstract: "2"
    time: 10-11 am
"""
    )
    assert [(e.abstract, e.room, e.start) for e in loaded.program.events] == [
        ("1", "E1", dt.time(9)), ("2", "E1", dt.time(10)),
    ]  # fmt: skip


def test_uid_depends_on_conference_abstract_and_part_only() -> None:
    base = (
        HEAD + "sessions:\n  - {abstract: '1', title: %s, type: oral, date: 2011-06-04, time: %s}\n"
    )
    a = load_text(base % ("A", "9-10 am")).program
    b = load_text(base % ("B", "1-2 pm")).program
    assert a.events[0].uid() == b.events[0].uid()
    other = load_text((base % ("A", "9-10 am")).replace("timezone:", "id: x\n  timezone:")).program
    assert other.events[0].uid() != a.events[0].uid()


def test_all_problems_are_collected() -> None:
    with pytest.raises(InvalidInput) as info:
        load_text(
            """\
calendar: {}
sessions:
  - {abstract: "1", title: T, date: 2011-13-01, time: 9-10 am}
  - {abstract: "2", title: T, date: 2011-06-01, start: 10:00, end: 9:00}
""",
            "s.yaml",
        )
    assert [str(p) for p in info.value.errors] == [
        "s.yaml:1:11: calendar.name: missing (the name people see in their calendar list)",
        "s.yaml:3:37: sessions[0].date: no such date: '2011-13-01'",
        "s.yaml:4:5: sessions[1].timezone: no time zone: set conference.timezone, "
        "e.g. America/Chicago",
    ]


def test_midnight_end_is_next_day() -> None:
    (event,) = load_text(
        HEAD
        + """\
sessions:
  - {abstract: "1", title: T, type: reception, date: 2011-06-04, time: 10 pm - midnight}
"""
    ).program.events
    assert event.ends_at is not None and event.starts_at is not None
    assert event.ends_at - event.starts_at == dt.timedelta(hours=2)


def test_empty_values_and_quoted_null() -> None:
    loaded = load_text(
        HEAD
        + """\
sessions:
  - {abstract: "1", title: t, type: oral, room: ~, board: , compound: null, date: ~, start: ~}
  - abstract: "2"
    title: "null"
    type: oral
    room:
    reminders: ~
"""
    )
    first, second = loaded.program.events
    assert (first.room, first.board, first.compound, first.date, first.start) == (None,) * 5
    assert second.title == "null"
    assert second.room is None
    assert second.reminders == ()


def test_every_problem_of_a_session_is_reported() -> None:
    with pytest.raises(InvalidInput) as info:
        load_text(
            HEAD
            + """\
sessions:
  - {abstract: "1", title: t, type: o, date: [2011, 6, 4], start: [8, 9], end: 9:00}
""",
            "s.yaml",
        )
    assert [str(p) for p in info.value.errors] == [
        "s.yaml:6:46: sessions[0].date: expected a date, got a list",
        "s.yaml:6:67: sessions[0].start: expected a time, got a list",
    ]


def test_a_mapping_merging_itself_does_not_loop() -> None:
    loaded = load_text("calendar: &a {name: x, <<: *a}\nconference: {timezone: CT}\nsessions: []\n")
    assert loaded.program.calendar.name == "x"


def test_a_value_that_is_wrong_is_one_problem_not_two() -> None:
    """A 68,000-character title is "too long", not also "missing"; likewise the calendar's name."""
    text = (
        f"calendar: {{name: {'n' * 30_000}}}\n"
        "conference: {timezone: CT}\n"
        f'sessions:\n  - {{abstract: "1", title: {"t" * 68_000}, date: 2011-06-04, time: 9-10 am}}\n'
    )
    with pytest.raises(InvalidInput) as info:
        load_text(text)
    assert [str(p) for p in info.value.problems] == [
        "sessions.yaml:1:18: calendar.name: too long: 30,000 characters (at most 20,000)",
        "sessions.yaml:4:28: sessions[0].title: too long: 68,000 characters (at most 20,000)",
    ]
