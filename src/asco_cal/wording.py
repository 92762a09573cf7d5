"""How a session is put into words, for every view: .ics, links, the page, `list`, JSON and CSV.

Summary, description, location, reminder text, the clock ("12:00 noon"), the
zone label ("CT"), the day heading and calendar order are decided here once,
so every view of one session says the same thing.  A new session field is
shown by adding it to :func:`details` (the event's notes, the links' text and
the page all use it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from asco_cal import tzrules
from asco_cal.model import Conference, Event, Program
from asco_cal.values import spell_minutes
from asco_cal.zones import ABBREVIATIONS

# US zones are named the way US press releases name them, without the season (the
# abbreviations' own table says which zone each means).
_GENERIC_ZONE = {m.zone: abbr for abbr in ("CT", "ET", "MT", "PT") for m in ABBREVIATIONS[abbr]}


# -- calendar order ------------------------------------------------------------------


def order(event: Event) -> tuple[dt.datetime, dt.datetime, str, int, str]:
    """Calendar order of exported events: start, end, abstract, part, meeting (an all-day
    event from the start of its day on the meeting's clock)."""
    starts, ends = event.starts_at, event.ends_at
    if event.all_day:
        assert event.date is not None
        midnight = dt.datetime.combine(event.date, dt.time(0, 0))
        starts = tzrules.localize(midnight, event.meeting_zone or event.timezone)
        ends = starts + dt.timedelta(days=1)
    assert starts is not None and ends is not None
    return starts, ends, event.name, event.part or 0, event.meeting.slug


def scheduled(events: Iterable[Event]) -> list[Event]:
    """What goes into calendars (timed and all-day events), in calendar order."""
    return sorted((e for e in events if e.scheduled), key=order)


def in_order(events: Iterable[Event]) -> list[Event]:
    """Scheduled events in calendar order, then the others as the file lists them."""
    events = list(events)
    return scheduled(events) + [e for e in events if not e.scheduled]


# -- nouns and numbers -----------------------------------------------------------------

_IRREGULAR = {"symposium": "symposia", "criterion": "criteria", "person": "people",
              "child": "children", "analysis": "analyses", "thesis": "theses"}  # fmt: skip


def plural(noun: str) -> str:
    """The English plural of a noun, or of a phrase ending in its head noun, written in
    lower case (a type such as ``poster discussion``); a name written otherwise
    (``Trials in Progress``, ``Session 2``, ``Year in Review``), a phrase whose head is
    not last (``year in review``) or a word already plural (``news``) is left as it is.

    >>> [plural(w) for w in ("oral", "education session", "symposium", "policy", "day",
    ...                      "class", "lunch", "Trials in Progress", "Session 2",
    ...                      "year in review", "news", "")]  # doctest: +NORMALIZE_WHITESPACE
    ['orals', 'education sessions', 'symposia', 'policies', 'days', 'classes', 'lunches',
     'Trials in Progress', 'Session 2', 'year in review', 'news', '']
    """
    words = noun.split(" ")
    last = words[-1]
    if not last.isalpha() or not last.islower() or any(w in _HEAD_BEFORE for w in words[:-1]):
        return noun
    lead = noun[: len(noun) - len(last)]
    if last in _IRREGULAR:
        return lead + _IRREGULAR[last]
    if last.endswith(("ss", "x", "z", "ch", "sh")):
        return f"{noun}es"
    if last.endswith("s"):  # already plural
        return noun
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{lead}{last[:-1]}ies"
    return f"{noun}s"


_HEAD_BEFORE = {"in", "of", "on", "at", "for", "with", "from", "and"}  # "year in review"


def times(n: int) -> str:
    """``once``, ``twice``, ``3 times``."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def count(n: int, noun: str) -> str:
    """``1 error``, ``3 errors``, ``2 add-to-calendar pages``."""
    return f"{n} {noun if n == 1 else plural(noun)}"


def short_day(day: dt.date) -> str:
    """``Sat, Jun 4``: a session's day beside its time."""
    return f"{day:%a, %b} {day.day}"


# -- what an event says ----------------------------------------------------------------


def summary(event: Event) -> str:
    """What a day view shows: ``SAR3419 poster discussion - Abstract 8017``."""
    head = (
        f"{event.compound} {event.type}"
        if event.compound
        else event.type[:1].upper() + event.type[1:]
    )
    text = f"{head} - Abstract {event.abstract}" if event.abstract else f"{head} - {event.title}"
    return f"CANCELLED: {text}" if event.status == "cancelled" else text


def reference(event: Event) -> str:
    """How a list names the session beside its type: ``Abstract 8017 part 1``, or ``Part 2``
    and ``""`` for a session without an abstract (its title says what it is)."""
    if event.abstract:
        return f"Abstract {event.label}"
    return f"Part {event.part}" if event.part is not None else ""


def place(event: Event) -> str:
    """Where in the venue, for a list: ``Poster Session 653 · Hall A · Section 22 · 24``
    (the session's name, room, hall, section, board, and its own venue if it has one)."""
    parts = (event.session, event.room, event.hall, section(event), event.board, event.venue)
    return " · ".join(p for p in parts if p)


def venue(conference: Conference, event: Event | None = None) -> str:
    """The venue and its address: ``McCormick Place, 2301 S. Lake Shore Drive, ...``;
    the session's own when it gives one (an investor event at a hotel)."""
    if event is not None and (event.venue or event.address):
        return ", ".join(p for p in (event.venue, event.address) if p)
    return ", ".join(p for p in (conference.venue, conference.address) if p)


def section(event: Event) -> str | None:
    """The poster section as people read it: ``Section 22`` (a bare number gets the word)."""
    if not event.section:
        return None
    return f"Section {event.section}" if event.section.isdigit() else event.section


def location(program: Program, event: Event) -> str:
    """Room, hall, section, board, venue and address, in that order: what a map search
    needs."""
    parts = (event.room, event.hall, section(event), event.board,
             venue(event.meeting, event))  # fmt: skip
    return ", ".join(p for p in parts if p)


def url(program: Program, event: Event) -> str | None:
    """The session's own page, else the calendar's."""
    return event.url or program.calendar.url


def geo(conference: Conference, event: Event | None = None) -> tuple[float, float] | None:
    """The venue's position as calendars get it (RFC 5545: at most 6 decimals): the
    session's own, else the conference's (none for a session at a venue of its own
    without a position)."""
    position = conference.geo
    if event is not None and (event.geo or event.venue or event.address):
        position = event.geo
    if position is None:
        return None
    return round(position[0], 6), round(position[1], 6)


def details(program: Program, event: Event) -> list[str]:
    """``Label: value`` lines about the session, in the order people read them."""
    conf = event.meeting
    lines = []
    if event.status != "confirmed":
        lines.append(f"Status: {event.status.upper()}")
    if event.all_day:
        lines.append("Time: to be announced (in calendars for the whole day until then)")
    if event.abstract:
        lines.append(f"Abstract: {event.abstract}")
    lines.append(f"Type: {event.type}")
    if event.session:
        lines.append(f"Session: {event.session}")
    if event.compound:
        lines.append(f"Compound: {event.compound}")
    if event.presenters:
        label = "Presenter" if len(event.presenters) == 1 else "Presenters"
        lines.append(f"{label}: {'; '.join(event.presenters)}")
    if event.room:
        lines.append(f"Room: {event.room}")
    if event.hall:
        lines.append(f"Hall: {event.hall}")
    if event.section:
        lines.append(f"Poster section: {event.section}")
    if event.board:
        lines.append(f"Board: {event.board}")
    where = venue(conf, event)
    if where:
        lines.append(f"Venue: {where}")
    if conf.name:
        lines.append(f"Conference: {conf.name}")
    more = url(program, event)
    if more:
        lines.append(f"More: {more}")
    return lines


def description(program: Program, event: Event) -> str:
    """The event's notes: the title, the details, then the session's own description."""
    lines = [event.title, "", *details(program, event)]
    if event.description:
        lines += ["", event.description]
    return "\n".join(lines)


def alarm(event: Event, minutes: int) -> str:
    """A reminder's text: ``... starts in 15 minutes in E450b``."""
    where = f" in {event.room}" if event.room else ""
    when = "now" if minutes == 0 else f"in {spell_minutes(minutes)}"
    return f"{summary(event)} starts {when}{where}"


# -- when ------------------------------------------------------------------------------


def clock(when: dt.datetime | dt.time) -> str:
    """``8:00 am``, ``12:00 noon``, ``1:30 pm``, ``12:00 midnight``."""
    if (when.hour, when.minute) == (12, 0):
        return "12:00 noon"
    if (when.hour, when.minute) == (0, 0):
        return "12:00 midnight"
    return when.strftime("%I:%M %p").lstrip("0").lower()


def zone_label(zone: str, when: dt.datetime) -> str:
    """``CT`` for Chicago (as press releases write it), else the zone's abbreviation."""
    if zone in _GENERIC_ZONE:
        return _GENERIC_ZONE[zone]
    name = when.tzname() or zone
    if name[0] in "+-":  # zones without a letter abbreviation
        offset = when.utcoffset() or dt.timedelta()
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        return (
            f"UTC{name[0]}{abs(hours):02d}:{rest // 60:02d}"
            if rest
            else f"UTC{name[0]}{abs(hours)}"
        )
    return name


def day(date: dt.date, *, year: bool = True) -> str:
    """A day heading: ``Saturday, June 4, 2011`` (``Saturday, June 4`` without the year)."""
    text = f"{date:%A, %B} {date.day}"
    return f"{text}, {date.year}" if year else text


def dates(conference: Conference) -> str:
    """The conference's dates: ``June 4–8, 2011`` or ``May 30 – June 3, 2025``."""
    lo, hi = conference.start, conference.end
    if not (lo and hi):
        return ""
    if (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo:%B} {lo.day}–{hi.day}, {hi.year}"
    return f"{lo:%B} {lo.day} – {hi:%B} {hi.day}, {hi.year}"


def local(program: Program, event: Event) -> tuple[dt.datetime, dt.datetime] | None:
    """Start and end on its meeting's clock (the session's own without one)."""
    starts, ends = event.starts_at, event.ends_at
    if starts is None or ends is None:
        return None
    zone = tzrules.timezone(event.meeting_zone or event.timezone)
    return starts.astimezone(zone), ends.astimezone(zone)


def span(
    program: Program, event: Event, times: tuple[dt.datetime, dt.datetime] | None = None
) -> str:
    """``8:00 am – 12:00 noon CT``, or "Time to be announced" (``times``: its :func:`local`
    times, if the caller has them already)."""
    if event.all_day:
        return "All day"
    times = times or local(program, event)
    if times is None:
        return "Time to be announced"
    starts, ends = times
    zone = event.meeting_zone or event.timezone
    return f"{clock(starts)} – {clock(ends)} {zone_label(zone, starts)}"


def when(program: Program, event: Event) -> str:
    """The day and time together: ``Saturday, June 4, 8:00 am – 12:00 noon CT``."""
    times = local(program, event)
    if event.day is not None and (times is not None or event.all_day):
        return f"{day(event.day, year=False)}, {span(program, event, times)}"
    return "Time to be announced"


# -- meetings (a calendar read from a folder) --------------------------------------------


PAST_MEETINGS = "Past meetings"  # the heading of the meetings that are over


def meeting_name(conference: Conference) -> str:
    """``ASCO 2011 Annual Meeting`` (its id without a name)."""
    return conference.name or conference.id or ""


def meeting_zone(conference: Conference) -> str:
    """``CT (America/Chicago)``: the meeting's clock, as its season names it."""
    zone = conference.timezone
    if not zone:
        return ""
    day = conference.start or dt.date(2000, 1, 1)
    noon = tzrules.localize(dt.datetime.combine(day, dt.time(12, 0)), zone)
    return f"{zone_label(zone, noon)} ({zone})"


def meeting_line(conference: Conference) -> str:
    """What a list says about a meeting beside its name: ``Chicago · June 4–8, 2011 · CT
    (America/Chicago)`` (the venue without a city)."""
    parts = (conference.city or conference.venue, dates(conference), meeting_zone(conference))
    return " · ".join(p for p in parts if p)


def last_day(program: Program, conference: Conference) -> dt.date | None:
    """The meeting's last day: its ``end``, else its last session's day."""
    if conference.end:
        return conference.end
    days = [e.day for e in program.events if e.meeting.slug == conference.slug and e.day]
    return max(days) if days else conference.start


def upcoming_and_past(
    program: Program, today: dt.date
) -> tuple[list[Conference], list[Conference]]:
    """The meetings still to come (or under way) ``today``, then those over, each in
    date order: how the page and ``list`` show a year of meetings."""
    ahead: list[Conference] = []
    past: list[Conference] = []
    for conference in program.meetings:
        end = last_day(program, conference)
        (past if end is not None and end < today else ahead).append(conference)
    return ahead, past
