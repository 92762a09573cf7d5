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
from asco_cal.values import ZONE_ABBREVIATIONS, spell_minutes

_GENERIC_ZONE = {zone: abbr for abbr, zone in ZONE_ABBREVIATIONS.items() if len(abbr) == 2}


# -- calendar order ------------------------------------------------------------------


def order(event: Event) -> tuple[dt.datetime, dt.datetime, str, int]:
    """Calendar order of scheduled events: start, end, abstract, part."""
    starts, ends = event.starts_at, event.ends_at
    assert starts is not None and ends is not None
    return starts, ends, event.abstract, event.part or 0


def timed(events: Iterable[Event]) -> list[Event]:
    """The scheduled events, in calendar order."""
    return sorted((e for e in events if e.scheduled), key=order)


def in_order(events: Iterable[Event]) -> list[Event]:
    """Scheduled events in calendar order, then the others as the file lists them."""
    events = list(events)
    return timed(events) + [e for e in events if not e.scheduled]


# -- what an event says ----------------------------------------------------------------


def summary(event: Event) -> str:
    """What a day view shows: ``SAR3419 poster discussion - Abstract 8017``."""
    head = (
        f"{event.compound} {event.type}"
        if event.compound
        else event.type[:1].upper() + event.type[1:]
    )
    text = f"{head} - Abstract {event.abstract}"
    return f"CANCELLED: {text}" if event.status == "cancelled" else text


def venue(conference: Conference) -> str:
    """The venue and its address: ``McCormick Place, 2301 S. Lake Shore Drive, ...``."""
    return ", ".join(p for p in (conference.venue, conference.address) if p)


def location(program: Program, event: Event) -> str:
    """Room, board, venue and address, in that order: what a map search needs."""
    return ", ".join(p for p in (event.room, event.board, venue(program.conference)) if p)


def url(program: Program, event: Event) -> str | None:
    """The session's own page, else the calendar's."""
    return event.url or program.calendar.url


def geo(conference: Conference) -> tuple[float, float] | None:
    """The venue's position as calendars get it (RFC 5545: at most 6 decimals)."""
    if conference.geo is None:
        return None
    return round(conference.geo[0], 6), round(conference.geo[1], 6)


def details(program: Program, event: Event) -> list[str]:
    """``Label: value`` lines about the session, in the order people read them."""
    conf = program.conference
    lines = []
    if event.status != "confirmed":
        lines.append(f"Status: {event.status.upper()}")
    lines.append(f"Abstract: {event.abstract}")
    lines.append(f"Type: {event.type}")
    if event.compound:
        lines.append(f"Compound: {event.compound}")
    if event.presenters:
        label = "Presenter" if len(event.presenters) == 1 else "Presenters"
        lines.append(f"{label}: {'; '.join(event.presenters)}")
    if event.room:
        lines.append(f"Room: {event.room}")
    if event.board:
        lines.append(f"Board: {event.board}")
    where = venue(conf)
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
    """Start and end on the conference's clock (the session's own without one)."""
    starts, ends = event.starts_at, event.ends_at
    if starts is None or ends is None:
        return None
    zone = tzrules.timezone(program.conference.timezone or event.timezone)
    return starts.astimezone(zone), ends.astimezone(zone)


def span(
    program: Program, event: Event, times: tuple[dt.datetime, dt.datetime] | None = None
) -> str:
    """``8:00 am – 12:00 noon CT``, or "Time to be announced" (``times``: its :func:`local`
    times, if the caller has them already)."""
    times = times or local(program, event)
    if times is None:
        return "Time to be announced"
    starts, ends = times
    zone = program.conference.timezone or event.timezone
    return f"{clock(starts)} – {clock(ends)} {zone_label(zone, starts)}"


def when(program: Program, event: Event) -> str:
    """The day and time together: ``Saturday, June 4, 8:00 am – 12:00 noon CT``."""
    times = local(program, event)
    if times is None:
        return "Time to be announced"
    return f"{day(times[0].date(), year=False)}, {span(program, event, times)}"
