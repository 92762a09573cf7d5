"""Property tests: random sessions with arbitrary Unicode survive export and re-parse."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asco_cal import ics, state, wording
from asco_cal.model import CalendarMeta, Conference, Event, Program
from asco_cal.values import clean_text
from parsers import PYTHON_PARSERS

ZONES = ["America/Chicago", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "UTC"]

# Any character but surrogates and control characters (the loader drops those:
# clean_text, and no calendar client keeps them).
raw_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ufeff")
    | st.sampled_from(",;:\\\"'\n^ "),
    min_size=1,
    max_size=120,
)
line_text = raw_text.map(clean_text).filter(bool)
block_text = raw_text.map(lambda s: clean_text(s, multiline=True)).filter(bool)


@st.composite
def events(draw: st.DrawFn) -> Event:
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.dates(dt.date(1971, 1, 1), dt.date(2037, 12, 30)))
    start = draw(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
    minutes = draw(st.integers(5, 600))
    end_dt = dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)
    if end_dt.date() != day:
        end_dt = dt.datetime.combine(day, dt.time(23, 59))
    end = end_dt.time()
    if end <= start:
        start, end = dt.time(9), dt.time(10)
    return Event(
        abstract=draw(st.from_regex(r"[A-Z]{0,3}[0-9]{1,5}", fullmatch=True)),
        title=draw(line_text),
        type=draw(line_text),
        timezone=zone,
        date=day,
        start=start,
        end=end,
        room=draw(st.none() | line_text),
        board=draw(st.none() | line_text),
        compound=draw(st.none() | line_text),
        presenters=tuple(draw(st.lists(line_text, max_size=3))),
        description=draw(st.none() | block_text),
        reminders=tuple(draw(st.lists(st.integers(0, 40320), max_size=2, unique=True))),
        status=draw(st.sampled_from(["confirmed", "tentative", "cancelled"])),
    )


def _wall_ok(event: Event) -> bool:
    """Skip local times that do not exist (the loader rejects them)."""
    import pytz

    assert event.date and event.start and event.end
    tz = pytz.timezone(event.timezone)
    for t in (event.start, event.end):
        try:
            tz.localize(dt.datetime.combine(event.date, t), is_dst=None)
        except (pytz.NonExistentTimeError, pytz.AmbiguousTimeError):
            return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=events().filter(_wall_ok),
    name=line_text,
    venue=st.none() | line_text,
    address=st.none() | line_text,
)
def test_random_event_survives_every_parser(
    event: Event, name: str, venue: str | None, address: str | None
) -> None:
    program = Program(
        calendar=CalendarMeta(name=name, description=name),
        conference=Conference(
            name=name, timezone=event.timezone, venue=venue, address=address, geo=(41.85, -87.61)
        ),
        events=(event,),
    )
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    data = ics.export(program, program.events, revisions)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    for parser_name, parse in PYTHON_PARSERS.items():
        (parsed,) = parse(data)
        assert parsed.uid == event.uid(program.conference), parser_name
        assert parsed.start == event.starts_at, parser_name
        assert parsed.end == event.ends_at, parser_name
        assert parsed.summary == wording.summary(event), parser_name
        assert parsed.description == wording.description(program, event), parser_name
        assert parsed.location == (wording.location(program, event) or None), parser_name
        assert len(parsed.alarms) == len(event.reminders), parser_name
        assert {a[1] for a in parsed.alarms} == {-60 * m for m in event.reminders}, parser_name


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(events().filter(_wall_ok), min_size=1, max_size=5), single=st.booleans())
def test_assembled_calendar_equals_whole_serialisation(batch: list[Event], single: bool) -> None:
    """ics.Writer reuses serialised pieces; the bytes must equal icalendar's own output."""
    batch = [replace(e, abstract=f"{e.abstract}-{i}") for i, e in enumerate(batch)]
    program = Program(
        calendar=CalendarMeta(name="N", description="D", url="https://example.org/"),
        conference=Conference(name="C", timezone=batch[0].timezone),
        events=tuple(batch),
    )
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    whole = ics.to_bytes(ics.build_calendar(program, batch, revisions, single=single))
    writer = ics.Writer(program, revisions)
    writer.calendar(batch[:1])  # warm the cache with a different selection first
    assert writer.calendar(batch, single=single) == whole
