"""VTIMEZONE rules against the tz database, read back by independent parsers.

The VTIMEZONE is renamed to a TZID no library knows ("Test/Zone"), so the
parsers must use the rules we wrote, not their own copy of the tz database.
The offsets they compute are compared with Python's zoneinfo (the system's tz
database, independent of the pytz data the rules were computed from).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import pytz
import vobject
from icalendar import Calendar, Event

from asco_cal import ics
from asco_cal.tzrules import observances
from parsers import icaljs_available, with_icaljs

CASES = [
    ("America/Chicago", 2011, 2011),
    ("America/Chicago", 2026, 2027),
    ("America/Chicago", 2007, 2007),  # first year of the current US rules
    ("America/New_York", 2024, 2024),
    ("America/Los_Angeles", 2019, 2021),
    ("America/Denver", 2015, 2015),
    ("Europe/Berlin", 2011, 2012),
    ("Europe/London", 2026, 2026),
    ("Europe/Dublin", 2023, 2023),  # "negative" daylight saving in the tz source
    ("Australia/Sydney", 2024, 2025),  # southern hemisphere
    ("Pacific/Auckland", 2026, 2026),
    ("America/Sao_Paulo", 2018, 2020),  # daylight saving abolished in 2019
    ("America/St_Johns", 2026, 2026),  # half-hour offset
    ("Asia/Tokyo", 2011, 2011),  # no daylight saving
    ("Asia/Kolkata", 2026, 2026),
    ("UTC", 2026, 2026),
]


def _vtimezone_calendar(zone: str, first: int, last: int, tzid: str = "Test/Zone") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//test//EN")
    cal.add("version", "2.0")
    vtz = ics.build_timezone(zone, (first, last))
    vtz["TZID"] = tzid
    cal.add_component(vtz)
    return bytes(cal.to_ical())


def _hours(first: int, last: int) -> list[dt.datetime]:
    start = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC)
    out, t = [], start
    while t < end:
        out.append(t)
        t += dt.timedelta(hours=1)
    return out


@pytest.mark.parametrize(("zone", "first", "last"), CASES)
def test_offsets_match_tz_database_every_hour(zone: str, first: int, last: int) -> None:
    data = _vtimezone_calendar(zone, first, last)
    parsed = vobject.readOne(data.decode())
    tz = parsed.vtimezone.gettzinfo()
    reference = zoneinfo.ZoneInfo(zone)
    wrong = [
        t for t in _hours(first, last)
        if t.astimezone(tz).utcoffset() != t.astimezone(reference).utcoffset()
    ]  # fmt: skip
    assert not wrong, f"{zone}: {len(wrong)} hours wrong, first {wrong[0]}"


@pytest.mark.parametrize(("zone", "first", "last"), CASES)
def test_shape_outlook_reads(zone: str, first: int, last: int) -> None:
    blocks = observances(zone, first, last)
    reference = zoneinfo.ZoneInfo(zone)
    offsets = {t.astimezone(reference).utcoffset() for t in _hours(first, last)[::24]}
    if zone == "America/Sao_Paulo":  # rules changed inside the span: extra blocks allowed
        assert all(b.rrule is None or "BYDAY" in b.rrule for b in blocks)
        return
    if len(offsets) == 1:
        assert [b.kind for b in blocks] == ["STANDARD"]
        assert blocks[0].offset_from == blocks[0].offset_to
        return
    assert sorted(b.kind for b in blocks) == ["DAYLIGHT", "STANDARD"]
    for block in blocks:
        assert block.rrule is not None
        assert set(block.rrule) == {"FREQ", "BYMONTH", "BYDAY"}
        assert block.start.year == first - 1  # covers all of the first year


def test_chicago_rules_are_second_sunday_march_first_sunday_november() -> None:
    daylight, standard = sorted(observances("America/Chicago", 2011, 2011), key=lambda b: b.kind)
    assert daylight.rrule == {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "2SU"}
    assert standard.rrule == {"FREQ": "YEARLY", "BYMONTH": 11, "BYDAY": "1SU"}
    assert daylight.start == dt.datetime(2010, 3, 14, 2, 0)
    assert standard.start == dt.datetime(2010, 11, 7, 2, 0)
    assert (daylight.offset_from, daylight.offset_to) == (
        dt.timedelta(hours=-6),
        dt.timedelta(hours=-5),
    )


def test_eu_rule_is_last_sunday() -> None:
    blocks = observances("Europe/Berlin", 2011, 2011)
    assert {b.rrule["BYDAY"] for b in blocks if b.rrule} == {"-1SU"}


def _events_near_transitions(zone: str, first: int, last: int) -> tuple[bytes, list[dt.datetime]]:
    """Events at 00:30, 03:30 and 12:00 local on the days around each transition."""
    reference = zoneinfo.ZoneInfo(zone)
    days: set[dt.date] = {dt.date(y, m, 15) for y in range(first, last + 1) for m in range(1, 13)}
    for t in _hours(first, last):
        if (
            t.astimezone(reference).utcoffset()
            != (t - dt.timedelta(hours=1)).astimezone(reference).utcoffset()
        ):
            local = t.astimezone(reference).date()
            days |= {local - dt.timedelta(days=1), local, local + dt.timedelta(days=1)}
    cal = Calendar.from_ical(_vtimezone_calendar(zone, first, last))
    expected = []
    for i, day in enumerate(sorted(days)):
        for clock in (dt.time(0, 30), dt.time(3, 30), dt.time(12, 0)):
            naive = dt.datetime.combine(day, clock)
            aware = naive.replace(tzinfo=reference)
            if aware.astimezone(dt.UTC).astimezone(reference).replace(tzinfo=None) != naive:
                continue  # does not exist that day
            ev = Event()
            ev.add("uid", f"{i}-{clock}")
            ev.add("dtstamp", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            ev.add("summary", "x")
            ev["dtstart"] = ics._local(aware, "Test/Zone")
            ev["dtend"] = ics._local(aware + dt.timedelta(minutes=5), "Test/Zone")
            cal.add_component(ev)
            expected.append(aware.astimezone(dt.UTC))
    return bytes(cal.to_ical()), expected


@pytest.mark.skipif(icaljs_available() is not None, reason=str(icaljs_available()))
def test_icaljs_places_local_times_like_the_tz_database() -> None:
    files, expected = [], []
    for zone, first, last in CASES:
        data, instants = _events_near_transitions(zone, first, last)
        files.append(data)
        expected.append(instants)
    parsed = with_icaljs(*files)
    flat = [t for instants in expected for t in instants]
    got = [p.start for p in parsed]
    assert len(got) == len(flat)
    wrong = [(e, g) for e, g in zip(flat, got, strict=True) if e != g]
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:3]}"


def _local_checkpoints(zone: str, first: int, last: int) -> list[dt.datetime]:
    """Wall-clock times to place: noon on the 1st and 15th of every month, and three
    hours before and after every change (where readers most often go wrong)."""
    tz = pytz.timezone(zone)
    points = [dt.datetime(y, m, d, 12) for y in range(first, last + 1)
              for m in range(1, 13) for d in (1, 15)]  # fmt: skip
    changes: list[dt.datetime] = getattr(tz, "_utc_transition_times", [])
    for change in changes:
        if first <= change.year <= last:
            for hours in (-3, 3):
                instant = pytz.utc.localize(change + dt.timedelta(hours=hours))
                points.append(instant.astimezone(tz).replace(tzinfo=None))
    return points


@pytest.mark.parametrize("years", [(2005, 2006), (2011, 2011), (2019, 2020), (2026, 2027)])
def test_every_zone(years: tuple[int, int]) -> None:
    """All ~430 common zones: events placed with our VTIMEZONE (read by vobject's
    dateutil) land at the UTC instants pytz gives.

    The reference is pytz, the data the rules are made from: this checks the
    rule-making and its reading, not differences between two copies of the tz data.
    """
    wrong = []
    for zone in pytz.common_timezones:
        parsed = vobject.readOne(_vtimezone_calendar(zone, *years).decode())
        tz = parsed.vtimezone.gettzinfo()
        reference = pytz.timezone(zone)
        for local in _local_checkpoints(zone, *years):
            try:
                expected = reference.localize(local, is_dst=None).astimezone(dt.UTC)
            except (pytz.AmbiguousTimeError, pytz.NonExistentTimeError):
                continue
            if local.replace(tzinfo=tz).astimezone(dt.UTC) != expected:
                wrong.append(f"{zone} {local:%Y-%m-%d %H:%M}")
                break
    assert not wrong, wrong
