"""The one VEVENT writer writes exactly the bytes icalendar writes for the same event.

The reference below builds each property with icalendar's own types (the way
asco-cal built events before it wrote them directly) and lets icalendar
serialise them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import icalendar
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar.prop import vDDDTypes, vGeo, vUri

from asco_cal import ics, state, wording
from asco_cal.model import CalendarMeta, Conference, Event, Program
from asco_cal.state import State
from asco_cal.values import spell_minutes
from strategies import events, tricky, wall_ok


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=events().filter(wall_ok),
    title=tricky,
    room=st.none() | tricky,
    venue=st.none() | tricky,
    address=st.none() | tricky,
    url=st.none()
    | st.from_regex(r"https://[a-z]{1,10}\.org/[a-z0-9/?=&%#,;]{0,120}", fullmatch=True),
    geo=st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    reminders=st.none() | st.lists(st.integers(0, 40320), max_size=3, unique=True),
)
def test_fast_event_bytes_equal_icalendar(
    event: Event,
    title: str,
    room: str | None,
    venue: str | None,
    address: str | None,
    url: str | None,
    geo: tuple[float, float] | None,
    reminders: list[int] | None,
) -> None:
    texts = (title, room, venue, address, event.description, event.type, *event.presenters)
    assume(not any("\\N" in t for t in texts if t))  # icalendar 7 makes it a line break: below
    conf = Conference(name="C", timezone=event.timezone, venue=venue, address=address, geo=geo)
    event = replace(event, title=title, room=room, url=url, meeting=conf)
    program = Program(calendar=CalendarMeta(name="N"), meetings=(conf,), events=(event,))
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    chosen = None if reminders is None else tuple(reminders)
    fast = ics.FastEvents(program, revisions, chosen).event(event)
    reference = bytes(icalendar_event(program, event, revisions, chosen).to_ical())
    assert fast == reference


# -- the reference: icalendar's objects ------------------------------------------


def _alarm(event: Event, minutes: int) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    where = f" in {event.room}" if event.room else ""
    when = "now" if minutes == 0 else f"in {spell_minutes(minutes)}"
    words = wording.for_locale("en-US")  # the reference writes the English reminder
    alarm.add("description", f"{words.summary(event)} starts {when}{where}")
    alarm.add("trigger", -dt.timedelta(minutes=minutes))
    return alarm


def icalendar_event(
    program: Program,
    event: Event,
    state: State,
    reminders: Sequence[int] | None = None,
) -> icalendar.Event:
    """One VEVENT.  ``reminders`` (minutes) replaces the event's own if given."""
    starts, ends = event.starts_at, event.ends_at
    if starts is None or ends is None:
        raise ValueError(f"{event.label} is not scheduled")
    uid = event.uid()
    rev = state.revision(uid)
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", rev.modified)
    vevent.add("created", rev.created)
    vevent.add("last-modified", rev.modified)
    vevent.add("sequence", rev.sequence)
    vevent["dtstart"] = _local(starts, event.timezone)
    vevent["dtend"] = _local(ends, event.timezone)
    vevent.add("summary", wording.words(program).summary(event))
    vevent.add("description", wording.words(program).description(program, event))
    where = wording.words(program).location(program, event)
    if where:
        vevent.add("location", where)
    conf = program.conference
    if conf.geo:
        lat, lon = round(conf.geo[0], 6), round(conf.geo[1], 6)  # RFC 5545: at most 6 decimals
        vevent["geo"] = vGeo((lat, lon))
    if conf.geo and where:
        # Apple shows a map only with this; X-TITLE must equal LOCATION.
        params = {"VALUE": "URI", "X-APPLE-RADIUS": str(ics.APPLE_RADIUS), "X-TITLE": where}
        address = ", ".join(p for p in (conf.venue, conf.address) if p)
        if address:
            params["X-ADDRESS"] = address
        vevent.add("x-apple-structured-location", vUri(f"geo:{lat},{lon}"), parameters=params)
    url = event.url or program.calendar.url
    if url:
        vevent.add("url", vUri(url), parameters={"VALUE": "URI"})
    categories = [event.type] + ([event.compound] if event.compound else [])
    vevent.add("categories", categories)
    vevent.add("status", event.status.upper())
    vevent.add("transp", "TRANSPARENT" if event.status == "cancelled" else "OPAQUE")
    for minutes in event.reminders if reminders is None else reminders:
        vevent.add_component(_alarm(event, minutes))
    return vevent


def _local(when: dt.datetime, zone: str) -> vDDDTypes:
    """A DTSTART/DTEND value: local time with ``TZID=<zone>``, or UTC with ``Z``."""
    if zone in ics.UTC_NAMES:
        return vDDDTypes(when.astimezone(dt.UTC))
    naive = when.replace(tzinfo=None)
    prop = vDDDTypes(naive)
    prop.params["TZID"] = zone
    return prop


def test_a_typed_backslash_n_stays_as_typed() -> None:
    """icalendar 7 writes a literal backslash-N as an escaped line break, which every
    reader then shows as one; the writer escapes the backslash, so every parser reads
    back what was typed."""
    from asco_cal.loader import load_file
    from parsers import PYTHON_PARSERS, icaljs_available, with_icaljs
    from support import SAMPLE

    program = load_file(SAMPLE).program
    typed = "Hall C:\\North\\N2"  # a room as a venue might write it
    event = replace(program.scheduled[0], room=typed)
    program = replace(program, events=(event,))
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    data = ics.Writer(program, revisions).calendar([event])
    assert b"LOCATION:Hall C:\\\\North\\\\N2\\, " in data
    readers = [*PYTHON_PARSERS.values()] + ([with_icaljs] if icaljs_available() else [])
    for parse in readers:
        (read,) = parse(data)
        assert read.location is not None and read.location.startswith(typed + ", "), parse
