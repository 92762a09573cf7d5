"""The hypothesis strategies of the property tests, in one place.

* events: random valid events with arbitrary Unicode text (``events``,
  ``wall_ok``, ``line_text``, ``tricky``);
* documents: random sessions-file structures, valid or not (``document``,
  ``VALUES``, ``mapping``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from asco_cal.model import Event
from asco_cal.reader import CALENDAR_KEYS, CONFERENCE_KEYS, SESSION_KEYS
from asco_cal.values import clean_text

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
    day = draw(st.dates(dt.date(1971, 1, 1), dt.date(2099, 12, 30)))
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


def wall_ok(event: Event) -> bool:
    """Skip local times that do not exist or happen twice (the loader rejects them), by
    zoneinfo, which knows the zones' rules past 2037 too (pytz's tables end there)."""
    from zoneinfo import ZoneInfo

    assert event.date and event.start and event.end
    zone = ZoneInfo(event.timezone)
    for t in (event.start, event.end):
        wall = dt.datetime.combine(event.date, t)
        first, second = wall.replace(tzinfo=zone), wall.replace(tzinfo=zone, fold=1)
        if first.utcoffset() != second.utcoffset():
            return False  # in a gap or in the repeated hour
        back = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if back != wall:
            return False
    return True


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


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from([
        "8:00", "12:00 noon", "1 pm", "11:30-11:45 am", "25:00", "2011-06-04", "2011-02-30",
        "CT", "America/Chicago", "Mars/Base", "15m", "1h", "soon", "cancelled", "[]", "~",
        "2:30 am", "2011-03-13", "2011-11-06", "1:30 am", "midnight", "https://x.org", "0123",
    ]),
)  # fmt: skip


def mapping(keys: tuple[str, ...], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.dictionaries(st.sampled_from([*keys, "unknown"]), values, max_size=len(keys))


TIMED = {  # values that make a valid, scheduled session likely
    "abstract": st.text(min_size=1, max_size=8) | st.sampled_from(["8017", "TPS 102", "Ü-7"]),
    "title": st.text(min_size=1, max_size=40),
    "date": st.sampled_from(["2011-06-04", "2011-03-13", "2011-11-06", "2011-02-30"]),
    "time": st.sampled_from(["8:00 am - 12:00 noon", "1:30-2:30 am", "2-3 am", "10 pm - midnight"]),
}
session = st.fixed_dictionaries(
    {}, optional={**{k: VALUES | st.lists(VALUES, max_size=3) for k in SESSION_KEYS}, **TIMED}
)
part = st.fixed_dictionaries({}, optional={**dict.fromkeys(SESSION_KEYS, VALUES), **TIMED})
session_with_parts = st.builds(lambda s, p: {**s, "parts": p}, session, st.lists(part, max_size=3))
document = st.fixed_dictionaries(
    {},
    optional={
        "calendar": st.just({"name": "Fuzz"}) | mapping(CALENDAR_KEYS, VALUES) | VALUES,
        "conference": st.just({"timezone": "America/Chicago"})
        | mapping(CONFERENCE_KEYS, VALUES | st.lists(VALUES, max_size=3))
        | VALUES,
        "reminders": st.lists(VALUES, max_size=3) | VALUES,
        "sessions": st.lists(session | session_with_parts, max_size=4) | VALUES,
    },
)
