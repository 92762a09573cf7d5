"""Program -> .ics bytes: the one VEVENT writer, and calendars assembled from its pieces.

The rules followed (what Outlook, Google, Apple, Thunderbird and Evolution need):

* one VCALENDAR with VERSION, PRODID, METHOD:PUBLISH, NAME + X-WR-CALNAME,
  DESCRIPTION + X-WR-CALDESC, X-WR-TIMEZONE, REFRESH-INTERVAL + X-PUBLISHED-TTL;
* times as ``TZID=<IANA zone>`` with one RRULE-based VTIMEZONE per zone used,
  placed before the events (:mod:`asco_cal.tzrules`);
* each VEVENT with a stable UID, DTSTAMP = LAST-MODIFIED (so the bytes only
  change when the data does), SEQUENCE, and its VALARMs after every property;
* CRLF line ends and folding at 75 octets without splitting UTF-8 characters
  (icalendar's ``foldline`` counts bytes).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar.prop import vDDDTypes, vDuration, vGeo, vRecur, vText, vUri

from asco_cal import __version__, wording
from asco_cal.carry import Carry
from asco_cal.model import Event as Session
from asco_cal.model import Program, event_inputs
from asco_cal.state import State
from asco_cal.tzrules import observances, wall_clock, years_of

PRODID = f"-//asco-cal//asco-cal {__version__}//EN"
APPLE_RADIUS = 150  # metres: a conference centre, not a street address


# Names of UTC itself: written as ``...Z`` times, never ``TZID=UTC`` (libical and
# Outlook for Mac misread that; RFC 5545 3.3.5), and with no VTIMEZONE.
UTC_NAMES = frozenset({
    "UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu",
    "GMT", "Etc/GMT", "GMT0", "Etc/GMT0", "GMT+0", "Etc/GMT+0", "GMT-0", "Etc/GMT-0",
    "Greenwich", "Etc/Greenwich",
})  # fmt: skip


def build_timezone(zone: str, years: tuple[int, int]) -> Timezone:
    vtz = Timezone()
    vtz.add("tzid", zone)
    for ob in observances(zone, *years):
        block = TimezoneDaylight() if ob.kind == "DAYLIGHT" else TimezoneStandard()
        block.add("tzname", ob.name)
        block["dtstart"] = vDDDTypes(ob.start)
        block["tzoffsetfrom"] = _offset(ob.offset_from)
        block["tzoffsetto"] = _offset(ob.offset_to)
        if ob.rrule is not None:
            block["rrule"] = vRecur(ob.rrule)
        vtz.add_component(block)
    return vtz


def _offset(delta: dt.timedelta) -> vText:
    """``-0500`` style UTC offset (icalendar's vUTCOffset drops seconds the same way)."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    text = f"{sign}{hours:02d}{rest // 60:02d}" + (f"{rest % 60:02d}" if rest % 60 else "")
    return vText(text)


def _zones(timed: Sequence[Session]) -> list[tuple[str, tuple[int, int]]]:
    """Each zone used, with the years its events span."""
    out = []
    for zone in sorted({e.timezone for e in timed if not e.all_day} - UTC_NAMES):
        dates = [e.date for e in timed if e.timezone == zone and e.date]
        out.append((zone, years_of(dates)))
    return out


def _head(program: Program, *, single: bool) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    meta = program.calendar
    zones = {m.timezone for m in program.meetings}
    if not single:
        cal.add("name", vText(meta.name))  # TEXT: escaped like X-WR-CALNAME
        cal.add("x-wr-calname", vText(meta.name))
        if meta.description:
            cal.add("description", meta.description)
            cal.add("x-wr-caldesc", vText(meta.description))
        zone = zones.pop() if len(zones) == 1 else ""  # meetings on several clocks: none
        if zone:
            cal.add("x-wr-timezone", zone)
        refresh = vDuration(dt.timedelta(minutes=meta.refresh_minutes))
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(dt.timedelta(minutes=meta.refresh_minutes)))
        if meta.url:
            cal.add("url", vUri(meta.url), parameters={"VALUE": "URI"})
    return cal


def build_calendar(
    program: Program,
    events: Iterable[Session],
    state: State,
    *,
    reminders: Sequence[int] | None = None,
    single: bool = False,
) -> Calendar:
    """The calendar for ``events`` as icalendar objects (for the Python API and jCal).

    Parsed from the bytes :func:`export` writes, so there is one VEVENT writer.
    """
    data = Writer(program, state, reminders).calendar(events, single=single)
    return Calendar.from_ical(data)


def to_bytes(cal: Calendar) -> bytes:
    """Serialize with CRLF line ends and byte-counted folding; UTF-8, no BOM."""
    data: bytes = cal.to_ical()
    return data


_END = b"END:VCALENDAR\r\n"


class Writer:
    """Serialises each event and zone once, and assembles calendars from the pieces.

    icalendar writes a component as its own lines followed by its
    subcomponents', so the result is byte-identical to serialising a whole
    :func:`build_calendar`, without redoing the work for every feed, filter and
    single-event download (a static build writes every event several times).
    """

    def __init__(
        self,
        program: Program,
        state: State,
        reminders: Sequence[int] | None = None,
        carry: Carry | None = None,
        shared: Writer | None = None,
    ) -> None:
        """``shared``: a writer of the same events, revisions and reminders under another
        calendar name (a filtered feed's), whose serialised events and zones are these."""
        self.program = program
        self.state = state
        self.reminders = reminders
        self.carry = carry  # serialised events reused from the previous version (serve)
        self._events: dict[str, bytes] = shared._events if shared else {}
        self._zones: dict[tuple[str, tuple[int, int]], bytes] = shared._zones if shared else {}
        self._heads: dict[bool, bytes] = {}
        self._fast = FastEvents(program, state, reminders)

    def _head(self, single: bool) -> bytes:
        if single not in self._heads:
            data = to_bytes(_head(self.program, single=single))
            assert data.endswith(_END)
            self._heads[single] = data[: -len(_END)]
        return self._heads[single]

    def _zone(self, zone: str, years: tuple[int, int]) -> bytes:
        key = (zone, years)
        if key not in self._zones:
            self._zones[key] = bytes(build_timezone(zone, years).to_ical())
        return self._zones[key]

    def _event(self, event: Session) -> bytes:
        if event.key not in self._events:
            if self.carry is None:
                self._events[event.key] = self._fast.event(event)
            else:
                program = self.program
                key = (
                    "vevent",
                    event_inputs(program, event),
                    self.state.revision(event.uid()),
                    None if self.reminders is None else tuple(self.reminders),
                )
                self._events[event.key] = self.carry.get(key, lambda: self._fast.event(event))
        return self._events[event.key]

    def calendar(self, events: Iterable[Session], *, single: bool = False) -> bytes:
        timed = wording.scheduled(events)
        parts = [self._head(single)]
        parts += [self._zone(zone, years) for zone, years in _zones(timed)]
        parts += [self._event(e) for e in timed]
        parts.append(_END)
        return b"".join(parts)


def export(
    program: Program,
    events: Iterable[Session],
    state: State,
    *,
    reminders: Sequence[int] | None = None,
    single: bool = False,
) -> bytes:
    """The .ics bytes for ``events``: what export, serve and build all write."""
    return Writer(program, state, reminders).calendar(events, single=single)


def to_jcal(
    program: Program,
    events: Iterable[Session],
    state: State,
    *,
    reminders: Sequence[int] | None = None,
) -> bytes:
    """The same calendar as jCal (RFC 7265): JSON, built from the same components."""
    data = build_calendar(program, events, state, reminders=reminders).to_jcal()
    _fix_jcal_types(data)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _fix_jcal_types(component: list[Any]) -> None:
    """icalendar 7 writes UTC offsets as text and NAME as unknown; RFC 7265 and
    RFC 7986 say utc-offset ("-05:00") and text."""
    for prop in component[1]:
        name, _, kind, value = prop[0], prop[1], prop[2], prop[3]
        if name in ("tzoffsetfrom", "tzoffsetto") and kind == "text":
            prop[2] = "utc-offset"
            prop[3] = f"{value[:3]}:{value[3:5]}" + (f":{value[5:]}" if len(value) > 5 else "")
        elif name == "name" and kind == "unknown":
            prop[2] = "text"
    for sub in component[2]:
        _fix_jcal_types(sub)


# CalDAV: one calendar object per event, marked so that `push` knows its own.
MARK_CONFERENCE = "X-ASCO-CAL-CONFERENCE"
MARK_DIGEST = "X-ASCO-CAL-DIGEST"


def caldav_object(
    program: Program,
    event: Session,
    state: State,
    reminders: Sequence[int] | None = None,
) -> tuple[bytes, str]:
    """The calendar object for one event on a CalDAV server, and its content digest.

    No METHOD (RFC 4791 4.1 forbids it in a calendar collection); the VEVENT
    carries which conference it came from and a digest of its content, so a
    later push can tell its own events (and unchanged ones) from anyone else's.
    """
    data = Writer(program, state, reminders).calendar([event], single=True)
    data = data.replace(b"METHOD:PUBLISH\r\n", b"", 1)
    digest = hashlib.sha256(data).hexdigest()[:32]
    marks = [
        _fold(f"{MARK_CONFERENCE}:{_text(event.meeting.uid_key)}"),
        _fold(f"{MARK_DIGEST}:{digest}"),
    ]
    # After the event's properties, before its alarms (where icalendar adds properties).
    at = data.find(b"BEGIN:VALARM\r\n")
    at = at if at >= 0 else data.rindex(b"END:VEVENT\r\n")
    return data[:at] + b"\r\n".join(marks) + b"\r\n" + data[at:], digest


def read_marks(data: str | bytes) -> list[tuple[str, str | None, str | None]]:
    """(UID, conference mark, digest mark) of each VEVENT in a calendar object."""
    try:
        cal = Calendar.from_ical(data)
    except ValueError:
        return []
    out = []
    for vevent in cal.walk("VEVENT"):
        marks = [vevent.get(name) for name in (MARK_CONFERENCE, MARK_DIGEST)]
        conference, digest = (str(m) if m is not None else None for m in marks)
        out.append((str(vevent.get("UID", "")), conference, digest))
    return out


# -- the VEVENT writer --------------------------------------------------------------
#
# The one producer of VEVENTs.  Building icalendar objects and calling
# to_ical() costs about 0.5 ms per event, mostly in generic machinery (a
# content-line object per property, a per-character fold).  FastEvents writes
# the same bytes directly: each property value is formatted as icalendar
# formats it (TEXT escaping, CATEGORIES, GEO, URI, DATE-TIME, DURATION),
# parameters and the property order come from icalendar itself, and lines are
# folded on UTF-8 byte boundaries exactly as icalendar's _foldline does.
# tests/test_fast.py checks that icalendar reads every event back and writes
# the very same bytes.

_FOLD_AT = 74  # icalendar: a line part holds at most 74 octets (75 with the leading space)


def _fold(line: str) -> bytes:
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return data
    parts = []
    pos, end = 0, len(data)
    while end - pos > _FOLD_AT:
        cut = pos + _FOLD_AT
        while data[cut] & 0xC0 == 0x80:  # never inside a UTF-8 character
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > pos:  # keep escapes whole (icalendar #1501)
            cut -= 1
        parts.append(data[pos:cut])
        pos = cut
    parts.append(data[pos:])
    return b"\r\n ".join(parts)


def _text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11), as icalendar's ``_escape_char`` does it, but for
    a literal backslash-N, which icalendar 7 turns into a line break: kept as typed."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


@functools.lru_cache(maxsize=1 << 14)
def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@functools.lru_cache(maxsize=1 << 14)
def _wall(when: dt.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%S")


class FastEvents:
    """Serialises VEVENTs exactly as icalendar would, ~10x faster."""

    def __init__(
        self, program: Program, state: State, reminders: Sequence[int] | None = None
    ) -> None:
        from icalendar.caselessdict import canonsort_keys
        from icalendar.parser import Parameters

        self.program = program
        self.state = state
        self.reminders = reminders
        self.words = wording.words(program)
        self._sort = canonsort_keys
        self._order: dict[frozenset[str], list[str]] = {}
        self._params = Parameters
        self._zone_prefix: dict[str, tuple[str, str]] = {}
        self._apple: dict[tuple[str, tuple[float, float], str], bytes] = {}
        self._triggers: dict[int, str] = {}
        self._places: dict[tuple[object, ...], tuple[float, float, str] | None] = {}
        self._alarm_order = canonsort_keys(
            ["ACTION", "DESCRIPTION", "TRIGGER"], Alarm.canonical_order
        )

    def _starts(self, zone: str) -> tuple[str, str]:
        """``DTSTART;TZID=...:`` and ``DTEND;TZID=...:`` for a zone (``...:`` for UTC)."""
        if zone not in self._zone_prefix:
            if zone in UTC_NAMES:
                self._zone_prefix[zone] = ("DTSTART:", "DTEND:")
            else:
                params = self._params({"TZID": zone}).to_ical().decode("utf-8")
                self._zone_prefix[zone] = (f"DTSTART;{params}:", f"DTEND;{params}:")
        return self._zone_prefix[zone]

    def _geo(self, event: Session) -> tuple[float, float, str] | None:
        """The event's position and its GEO value (the venue's, or the session's own)."""
        key = (event.geo, event.venue, event.address, event.meeting.geo)  # meetings differ
        if key not in self._places:
            position = wording.geo(event.meeting, event)
            self._places[key] = None if position is None else (*position, vGeo(position).to_ical())
        return self._places[key]

    def _apple_line(self, where: str, position: tuple[float, float], address: str) -> bytes:
        key = (where, position, address)
        if key not in self._apple:
            from icalendar.parser import Contentline

            lat, lon = position
            params = {"VALUE": "URI", "X-APPLE-RADIUS": str(APPLE_RADIUS), "X-TITLE": where}
            if address:
                params["X-ADDRESS"] = address
            line = Contentline.from_parts(
                "X-APPLE-STRUCTURED-LOCATION", self._params(params), vUri(f"geo:{lat},{lon}")
            )
            self._apple[key] = _fold(str(line))  # the same folding as line.to_ical()
        return self._apple[key]

    def _trigger(self, minutes: int) -> str:
        if minutes not in self._triggers:
            value: bytes = vDuration(-dt.timedelta(minutes=minutes)).to_ical()  # type: ignore[no-untyped-call]
            self._triggers[minutes] = value.decode()
        return self._triggers[minutes]

    def _times(self, event: Session) -> tuple[str, str]:
        """The DTSTART and DTEND lines' text.

        On the zone's clock (``TZID=``); in UTC for a zone that is UTC, and for a
        time in the hour that happens twice (readers disagree which one a local
        time there is; a UTC time they all read alike); all-day events as dates.
        """
        if event.all_day:
            assert event.date is not None
            after = event.date + dt.timedelta(days=1)
            return f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}", f"DTEND;VALUE=DATE:{after:%Y%m%d}"
        starts, ends = event.starts_at, event.ends_at
        if starts is None or ends is None:
            raise ValueError(f"{event.label} is not scheduled")
        if event.timezone in UTC_NAMES:
            return f"DTSTART:{_stamp(starts)}", f"DTEND:{_stamp(ends)}"
        start_prefix, end_prefix = self._starts(event.timezone)
        out = []
        for prefix, when in ((start_prefix, starts), (end_prefix, ends)):
            # Keyed by the wall-clock time itself: aware datetimes compare by instant,
            # so a cache keyed by them would give a 10:00 New York session the
            # wall time of a 9:00 Chicago one.
            wall = when.replace(tzinfo=None)
            if wall_clock(wall, event.timezone) == "twice":
                out.append(prefix.split(";", 1)[0] + ":" + _stamp(when))
            else:
                out.append(prefix + _wall(wall))
        return out[0], out[1]

    def event(self, event: Session) -> bytes:
        program = self.program
        start_line, end_line = self._times(event)
        uid = event.uid()
        rev = self.state.revision(uid)
        modified = _stamp(rev.modified)
        lines: dict[str, bytes] = {
            "UID": _fold(f"UID:{_text(uid)}"),
            "DTSTAMP": f"DTSTAMP:{modified}".encode(),
            "CREATED": f"CREATED:{_stamp(rev.created)}".encode(),
            "LAST-MODIFIED": f"LAST-MODIFIED:{modified}".encode(),
            "SEQUENCE": f"SEQUENCE:{rev.sequence}".encode(),
            "DTSTART": _fold(start_line),
            "DTEND": _fold(end_line),
            "SUMMARY": _fold("SUMMARY:" + _text(self.words.summary(event))),
            "DESCRIPTION": _fold("DESCRIPTION:" + _text(self.words.description(program, event))),
        }
        where = self.words.location(program, event)
        if where:
            lines["LOCATION"] = _fold("LOCATION:" + _text(where))
        place = self._geo(event)
        if place:
            lines["GEO"] = b"GEO:" + place[2].encode()
            if where:
                address = wording.venue(event.meeting, event)
                lines["X-APPLE-STRUCTURED-LOCATION"] = self._apple_line(where, place[:2], address)
        url = wording.url(program, event)
        if url:
            lines["URL"] = _fold(f"URL;VALUE=URI:{url}")
        categories = [event.type] + ([event.compound] if event.compound else [])
        lines["CATEGORIES"] = _fold("CATEGORIES:" + ",".join(_text(c) for c in categories))
        lines["STATUS"] = _fold("STATUS:" + _text(event.status.upper()))
        free = event.status == "cancelled" or event.all_day  # a day's placeholder blocks nothing
        lines["TRANSP"] = b"TRANSP:" + (b"TRANSPARENT" if free else b"OPAQUE")
        names = frozenset(lines)
        order = self._order.get(names)
        if order is None:
            order = self._order[names] = self._sort(list(names), Event.canonical_order)
        out = [b"BEGIN:VEVENT", *(lines[name] for name in order)]
        minutes_list = event.reminders if self.reminders is None else self.reminders
        if minutes_list and not event.all_day:  # a reminder "before" a whole day misleads
            for minutes in minutes_list:
                alarm = {
                    "ACTION": b"ACTION:DISPLAY",
                    "DESCRIPTION": _fold("DESCRIPTION:" + _text(self.words.alarm(event, minutes))),
                    "TRIGGER": f"TRIGGER:{self._trigger(minutes)}".encode(),
                }
                out += [b"BEGIN:VALARM", *(alarm[n] for n in self._alarm_order), b"END:VALARM"]
        out.append(b"END:VEVENT")
        return b"\r\n".join(out) + b"\r\n"
