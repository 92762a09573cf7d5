"""VTIMEZONE rules against the tz database, read back by independent parsers.

The VTIMEZONE is renamed to a TZID no library knows ("Test/Zone"), so the
parsers must use the rules we wrote, not their own copy of the tz database.
The offsets they compute are compared with Python's zoneinfo (the system's tz
database, independent of the pytz data the rules were computed from).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
import pytz
import vobject
from click.testing import CliRunner
from icalendar import Calendar, Event
from icalendar.prop import vDDDTypes

import asco_cal
from asco_cal import ics
from asco_cal.cli import cli
from asco_cal.tzrules import localize, observances, timezone, wall_clock
from parsers import PYTHON_PARSERS, Parsed, icaljs_available, with_icaljs

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
            ev["dtstart"] = _wall(aware, "Test/Zone")
            ev["dtend"] = _wall(aware + dt.timedelta(minutes=5), "Test/Zone")
            cal.add_component(ev)
            expected.append(aware.astimezone(dt.UTC))
    return bytes(cal.to_ical()), expected


def _wall(when: dt.datetime, zone: str) -> vDDDTypes:
    """A DTSTART/DTEND value: the wall-clock time with ``TZID=zone``."""
    prop = vDDDTypes(when.replace(tzinfo=None))
    prop.params["TZID"] = zone
    return prop


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


# --- Years after 2037, where pytz's tables end --------------------------------------------
#
# The rules for those years come from the zone's recurring rule (the TZif footer that
# zoneinfo applies).  The expected instants are zoneinfo's, computed here on their own.

FAR_ZONES = ["America/Chicago", "Europe/Berlin", "Australia/Sydney", "Asia/Tokyo"]
FAR_CASES = [
    ("America/Chicago", 2040, 2040),
    ("America/Chicago", 2036, 2039),  # across the end of pytz's tables
    ("Europe/Berlin", 2050, 2050),
    ("Australia/Sydney", 2040, 2041),
    ("Asia/Tokyo", 2050, 2050),
    ("America/New_York", 2099, 2099),  # the last year a date may have
]


@pytest.mark.parametrize(("zone", "first", "last"), FAR_CASES)
def test_far_offsets_match_zoneinfo_every_hour(zone: str, first: int, last: int) -> None:
    test_offsets_match_tz_database_every_hour(zone, first, last)


@pytest.mark.parametrize(("zone", "first", "last"), FAR_CASES)
def test_far_shape_outlook_reads(zone: str, first: int, last: int) -> None:
    test_shape_outlook_reads(zone, first, last)


def test_chicago_2040_rules_are_the_same_yearly_rules() -> None:
    daylight, standard = sorted(observances("America/Chicago", 2040, 2040), key=lambda b: b.kind)
    assert daylight.rrule == {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "2SU"}
    assert standard.rrule == {"FREQ": "YEARLY", "BYMONTH": 11, "BYDAY": "1SU"}
    assert daylight.start == dt.datetime(2039, 3, 13, 2, 0)
    assert standard.start == dt.datetime(2039, 11, 6, 2, 0)
    assert (daylight.name, standard.name) == ("CDT", "CST")


def _change_days(zone: str, year: int) -> list[dt.date]:
    """Local days on which zoneinfo says the zone's offset changes in ``year``."""
    reference = zoneinfo.ZoneInfo(zone)
    return [
        t.astimezone(reference).date() for t in _hours(year, year)
        if t.astimezone(reference).utcoffset()
        != (t - dt.timedelta(hours=1)).astimezone(reference).utcoffset()
    ]  # fmt: skip


def _far_program(zone: str) -> tuple[bytes, dict[str, tuple[dt.datetime, dt.datetime]]]:
    """A 2040 and a 2050 meeting in ``zone``: sessions on the days around every change
    (one of them across the change) and in January, June and November; the exported
    .ics and each event's (start, end) in UTC, as zoneinfo has them.

    Each zone's sessions start on their own minutes, so sessions of two zones never
    share an instant (ics._wall caches wall-clock text by aware datetime, which
    compares by instant, whatever the zone).
    """
    reference = zoneinfo.ZoneInfo(zone)
    minutes = 5 * FAR_ZONES.index(zone)
    times = [(dt.time(0, 30 + minutes), dt.time(4, minutes)),  # across the change
             (dt.time(9, minutes), dt.time(10, minutes))]  # fmt: skip
    lines = ["calendar:", "  name: Far future", "conference:", "  id: far",
             f"  timezone: {zone}", "sessions:"]  # fmt: skip
    wanted: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for year in (2040, 2050):
        days = {dt.date(year, m, 15) for m in (1, 6, 11)}
        for change in _change_days(zone, year):
            days |= {change + dt.timedelta(days=d) for d in (-1, 0, 1)}
        for day in sorted(days):
            for start, end in times:
                n = str(len(wanted) + 1)
                lines += [f'  - abstract: "{n}"', f"    title: Session {n}", "    type: oral",
                          f"    date: {day}", f"    time: {start:%H:%M}-{end:%H:%M}"]  # fmt: skip
                wanted[n] = (
                    dt.datetime.combine(day, start, reference).astimezone(dt.UTC),
                    dt.datetime.combine(day, end, reference).astimezone(dt.UTC),
                )
    program = asco_cal.load(("\n".join(lines) + "\n").encode())
    data = asco_cal.to_ics(program)
    assert f"TZID={zone}:2040".encode() in data  # local times with the zone's VTIMEZONE
    return data, {e.uid(): wanted[e.abstract] for e in program.events}


def _renamed(data: bytes, zone: str) -> bytes:
    """The same calendar with a TZID no library knows, so every parser must use the
    VTIMEZONE in the file rather than its own copy of the tz database.  (One name per
    zone: icalendar keeps the first VTIMEZONE it saw for a TZID, process-wide.)"""
    fake = rb"TZID\1Test/Far/" + zone.encode()
    return re.sub(rb"TZID([:=])" + re.escape(zone.encode()), fake, data)


def _instants(events: list[Parsed]) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    return {e.uid: (e.start, e.end) for e in events}


def _wrong(
    got: dict[str, tuple[dt.datetime, dt.datetime]],
    expected: dict[str, tuple[dt.datetime, dt.datetime]],
) -> list[str]:
    return [f"{got.get(uid)} != {want}" for uid, want in expected.items() if got.get(uid) != want]


# ical (allenporter/ical 14) reads a VTIMEZONE whose one STANDARD has no RRULE as UTC
# when it does not know the TZID itself (2011 too); with the IANA TZID it is right.
_ICAL_FIXED_OFFSET = pytest.mark.xfail(reason="ical: a lone STANDARD without RRULE is UTC")
FAR_PARSES = [
    pytest.param(zone, parser, renamed, id=f"{zone}-{parser}-{'renamed' if renamed else 'iana'}",
                 marks=[_ICAL_FIXED_OFFSET] if (zone, parser, renamed) == ("Asia/Tokyo", "ical", True)
                 else [])
    for zone in FAR_ZONES for parser in sorted(PYTHON_PARSERS) for renamed in (False, True)
]  # fmt: skip


@pytest.mark.parametrize(("zone", "parser", "renamed"), FAR_PARSES)
def test_2040_and_2050_meetings_read_by_python_parsers(
    zone: str, parser: str, renamed: bool
) -> None:
    data, expected = _far_program(zone)
    if renamed:
        data = _renamed(data, zone)
        assert f"TZID={zone}".encode() not in data
    wrong = _wrong(_instants(PYTHON_PARSERS[parser](data)), expected)
    assert not wrong, f"{zone}, {parser}: {len(wrong)} of {len(expected)} wrong: {wrong[:3]}"


@pytest.mark.skipif(icaljs_available() is not None, reason=str(icaljs_available()))
def test_2040_and_2050_meetings_read_by_icaljs() -> None:
    for zone in FAR_ZONES:
        data, expected = _far_program(zone)
        for file in (data, _renamed(data, zone)):
            wrong = _wrong(_instants(with_icaljs(file)), expected)
            assert not wrong, f"{zone}: {len(wrong)} of {len(expected)} wrong: {wrong[:3]}"


def _zoneinfo_checkpoints(zone: str, first: int, last: int) -> list[dt.datetime]:
    """Like :func:`_local_checkpoints`, with the changes found in zoneinfo."""
    reference = zoneinfo.ZoneInfo(zone)
    points = [dt.datetime(y, m, d, 12) for y in range(first, last + 1)
              for m in range(1, 13) for d in (1, 15)]  # fmt: skip
    day, end = dt.datetime(first, 1, 1, tzinfo=dt.UTC), dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    while day < end:
        if (
            day.astimezone(reference).utcoffset()
            != (day + 24 * hour).astimezone(reference).utcoffset()
        ):
            for t in (day + h * hour for h in range(24)):
                if (
                    t.astimezone(reference).utcoffset()
                    != (t + hour).astimezone(reference).utcoffset()
                ):
                    points += [
                        (t + k * hour).astimezone(reference).replace(tzinfo=None) for k in (-2, 4)
                    ]
        day += 24 * hour
    return points


def _same_release(zone: str) -> bool:
    """Do zoneinfo's tz data and pytz's agree on the zone's last pytz years?  (They are
    separate copies: the system's files can be an older or newer release.)"""
    reference, tz = zoneinfo.ZoneInfo(zone), pytz.timezone(zone)
    weeks = (dt.datetime(2030, 1, 1, tzinfo=dt.UTC) + dt.timedelta(weeks=n) for n in range(418))
    return all(t.astimezone(reference).utcoffset() == t.astimezone(tz).utcoffset() for t in weeks)


def test_every_zone_after_2037() -> None:
    """All common zones in 2040-2041: events placed with our VTIMEZONE (read by vobject)
    land where zoneinfo puts them (zones whose zoneinfo data is another release than
    pytz's are left out: then there is no independent reference)."""
    zones = [z for z in pytz.common_timezones if _same_release(z)]
    assert len(zones) > 0.9 * len(pytz.common_timezones)
    wrong = []
    for zone in zones:
        tz = vobject.readOne(_vtimezone_calendar(zone, 2040, 2041).decode()).vtimezone.gettzinfo()
        reference = zoneinfo.ZoneInfo(zone)
        for local in _zoneinfo_checkpoints(zone, 2040, 2041):
            first, second = local.replace(tzinfo=reference), local.replace(tzinfo=reference, fold=1)
            expected = first.astimezone(dt.UTC)
            if (
                expected != second.astimezone(dt.UTC)
                or expected.astimezone(reference).replace(tzinfo=None) != local
            ):
                continue  # happens twice, or not at all
            if local.replace(tzinfo=tz).astimezone(dt.UTC) != expected:
                wrong.append(f"{zone} {local:%Y-%m-%d %H:%M}")
                break
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("zone", "wall", "kind"),
    [
        ("America/Chicago", dt.datetime(2038, 3, 14, 2, 30), "gap"),  # the first past pytz's
        ("America/Chicago", dt.datetime(2040, 3, 11, 2, 30), "gap"),  # 2nd Sunday of March
        ("America/Chicago", dt.datetime(2040, 3, 11, 3, 30), "ok"),
        ("America/Chicago", dt.datetime(2040, 11, 4, 1, 30), "twice"),  # 1st Sunday of November
        ("America/Chicago", dt.datetime(2040, 11, 4, 2, 30), "ok"),
        ("America/Chicago", dt.datetime(2040, 6, 15, 12, 0), "ok"),
        ("America/Chicago", dt.datetime(2050, 3, 13, 2, 0), "gap"),
        ("America/Chicago", dt.datetime(2050, 11, 6, 1, 0), "twice"),
        ("Europe/Berlin", dt.datetime(2040, 3, 25, 2, 30), "gap"),  # last Sunday of March
        ("Europe/Berlin", dt.datetime(2040, 10, 28, 2, 30), "twice"),  # last Sunday of October
        ("Australia/Sydney", dt.datetime(2040, 10, 7, 2, 30), "gap"),  # 1st Sunday of October
        ("Australia/Sydney", dt.datetime(2040, 4, 1, 2, 30), "twice"),  # 1st Sunday of April
        ("Asia/Tokyo", dt.datetime(2040, 3, 11, 2, 30), "ok"),
    ],
)
def test_wall_clock_after_2037(zone: str, wall: dt.datetime, kind: str) -> None:
    assert wall_clock(wall, zone) == kind
    reference = zoneinfo.ZoneInfo(zone)
    first, second = wall.replace(tzinfo=reference), wall.replace(tzinfo=reference, fold=1)
    exists = first.astimezone(dt.UTC).astimezone(reference).replace(tzinfo=None) == wall
    assert kind == ("gap" if not exists else "twice" if first.utcoffset() != second.utcoffset()
                    else "ok")  # fmt: skip
    if kind != "gap":  # the first of the two, as zoneinfo's fold=0
        aware = localize(wall, zone)
        assert aware.astimezone(dt.UTC) == first.astimezone(dt.UTC)
        assert (aware.utcoffset(), aware.tzname()) == (first.utcoffset(), first.tzname())
        assert aware.strftime("%Z") == first.strftime("%Z")


def test_localize_after_2037_names_the_offset() -> None:
    summer = localize(dt.datetime(2040, 6, 15, 9), "America/Chicago")
    winter = localize(dt.datetime(2040, 12, 15, 9), "America/Chicago")
    assert (summer.tzname(), summer.utcoffset()) == ("CDT", dt.timedelta(hours=-5))
    assert (winter.tzname(), winter.utcoffset()) == ("CST", dt.timedelta(hours=-6))
    assert f"{localize(dt.datetime(2050, 7, 1, 12), 'Europe/Berlin'):%H:%M %Z}" == "12:00 CEST"
    noon = dt.datetime(2040, 7, 1, 17, tzinfo=dt.UTC).astimezone(timezone("America/Chicago"))
    assert f"{noon:%H:%M %Z}" == "12:00 CDT"  # instants to wall clocks, for the page


def test_validate_reports_a_2040_gap_as_an_error(tmp_path: Path) -> None:
    path = tmp_path / "far.yaml"
    path.write_text(
        """\
calendar:
  name: Test
conference:
  timezone: America/Chicago
sessions:
  - {abstract: "1", title: Night session, type: oral, date: 2040-03-11, start: 2:30 am, end: 4:00 am}
  - {abstract: "2", title: Late session, type: oral, date: 2040-11-04, start: 1:30 am, end: 3:00 am}
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        "sessions[0].start: 02:30 on 2040-03-11 does not exist in America/Chicago "
        "(the clocks skip it when daylight saving time starts)" in result.stdout
    )
    assert (
        "sessions[1].start: 01:30 on 2040-11-04 happens twice in America/Chicago "
        "(the clocks go back); say which with its zone: 1:30 am CDT or 1:30 am CST" in result.stdout
    )
    assert result.stdout.endswith("far.yaml: 2 errors, 0 warnings\n")


def test_dates_up_to_2099_load() -> None:
    program = asco_cal.load(
        b"calendar: {name: T}\nconference: {timezone: America/Chicago}\nsessions:\n"
        b'  - {abstract: "1", title: T, type: oral, date: 2099-12-31, time: 9:00-10:00}\n'
    )
    (event,) = program.events
    assert event.starts_at is not None
    assert event.starts_at.astimezone(dt.UTC) == dt.datetime(2099, 12, 31, 15, tzinfo=dt.UTC)
