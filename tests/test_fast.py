"""The fast serialiser writes exactly the bytes icalendar writes for the same event."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asco_cal import ics, state
from asco_cal.model import CalendarMeta, Conference, Event, Program
from asco_cal.values import clean_text
from test_roundtrip import _wall_ok, events

# Text that exercises every escape and fold rule: backslashes (and "\N"), carets,
# quotes, commas, semicolons, colons, CR/LF and multi-byte characters near 74 octets;
# cleaned as the loader cleans every text (so no control characters or U+FEFF, which
# icalendar drops at the start of a value: a model never holds them).
tricky = (
    st.text(
        st.sampled_from(list("\\^\"',;: \n\rNxé€😀")) | st.characters(exclude_categories=["Cs"]),
        min_size=1,
        max_size=200,
    )
    .map(clean_text)
    .filter(bool)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=events().filter(_wall_ok),
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
    event = replace(event, title=title, room=room, url=url)
    program = Program(
        calendar=CalendarMeta(name="N"),
        conference=Conference(
            name="C", timezone=event.timezone, venue=venue, address=address, geo=geo
        ),
        events=(event,),
    )
    revisions = state.update(state.EMPTY, program, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    chosen = None if reminders is None else tuple(reminders)
    fast = ics.FastEvents(program, revisions, chosen).event(event)
    reference = bytes(ics.build_event(program, event, revisions, chosen).to_ical())
    assert fast == reference
