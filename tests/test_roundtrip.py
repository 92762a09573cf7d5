"""Property tests: random sessions with arbitrary Unicode survive export and re-parse."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asco_cal import ics, state, wording
from asco_cal.model import CalendarMeta, Conference, Event, Program
from parsers import PYTHON_PARSERS
from strategies import events, line_text, wall_ok


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=events().filter(wall_ok),
    name=line_text,
    venue=st.none() | line_text,
    address=st.none() | line_text,
)
def test_random_event_survives_every_parser(
    event: Event, name: str, venue: str | None, address: str | None
) -> None:
    conf = Conference(
        name=name, timezone=event.timezone, venue=venue, address=address, geo=(41.85, -87.61)
    )
    event = replace(event, meeting=conf)
    program = Program(
        calendar=CalendarMeta(name=name, description=name), meetings=(conf,), events=(event,)
    )
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    data = ics.export(program, program.events, revisions)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    for parser_name, parse in PYTHON_PARSERS.items():
        (parsed,) = parse(data)
        assert parsed.uid == event.uid(), parser_name
        assert parsed.start == event.starts_at, parser_name
        assert parsed.end == event.ends_at, parser_name
        assert parsed.summary == wording.words(program).summary(event), parser_name
        assert parsed.description == wording.words(program).description(program, event), parser_name
        assert parsed.location == (wording.words(program).location(program, event) or None), (
            parser_name
        )
        assert len(parsed.alarms) == len(event.reminders), parser_name
        assert {a[1] for a in parsed.alarms} == {-60 * m for m in event.reminders}, parser_name


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(events().filter(wall_ok), min_size=1, max_size=5), single=st.booleans())
def test_assembled_calendar_equals_whole_serialisation(batch: list[Event], single: bool) -> None:
    """ics.Writer reuses serialised pieces; the bytes must equal icalendar's own output."""
    conf = Conference(name="C", timezone=batch[0].timezone)
    batch = [replace(e, abstract=f"{e.abstract}-{i}", meeting=conf) for i, e in enumerate(batch)]
    program = Program(
        calendar=CalendarMeta(name="N", description="D", url="https://example.org/"),
        meetings=(conf,),
        events=tuple(batch),
    )
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    whole = ics.to_bytes(ics.build_calendar(program, batch, revisions, single=single))
    writer = ics.Writer(program, revisions)
    writer.calendar(batch[:1])  # warm the cache with a different selection first
    assert writer.calendar(batch, single=single) == whole
