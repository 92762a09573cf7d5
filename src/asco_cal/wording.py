"""How a session is put into words, for every view: .ics, links, the page, `list`, JSON and CSV.

Summary, description, location, reminder text, the clock ("12:00 noon"), the
zone label ("CT"), the day heading and calendar order are decided here once,
so every view of one session says the same thing.  A new session field is
shown by adding it to :meth:`Words.details` (the event's notes, the links' text
and the page all use it).

The words follow the calendar's locale (``calendar.locale``, or ``--locale``):
:func:`words` gives the :class:`Words` of a program, whose fixed words come
from the locale's gettext catalog (:mod:`asco_cal.lang`) and whose days,
dates, clocks and zone names come from Babel's CLDR data.  ``en-US`` keeps the
wording US press releases use ("8:00 am – 12:00 noon CT").
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable

from babel import dates as cldr_dates
from babel.core import get_global
from babel.lists import format_list

from asco_cal import lang, tzrules
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


# -- what does not depend on the locale ---------------------------------------------


def venue(conference: Conference, event: Event | None = None) -> str:
    """The venue and its address: ``McCormick Place, 2301 S. Lake Shore Drive, ...``;
    the session's own when it gives one (an investor event at a hotel)."""
    if event is not None and (event.venue or event.address):
        return ", ".join(p for p in (event.venue, event.address) if p)
    return ", ".join(p for p in (conference.venue, conference.address) if p)


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


def local(program: Program, event: Event) -> tuple[dt.datetime, dt.datetime] | None:
    """Start and end on its meeting's clock (the session's own without one)."""
    starts, ends = event.starts_at, event.ends_at
    if starts is None or ends is None:
        return None
    zone = tzrules.timezone(event.meeting_zone or event.timezone)
    return starts.astimezone(zone), ends.astimezone(zone)


def utc_offset(when: dt.datetime) -> str:
    """``UTC−5``, ``UTC+5:30``, ``UTC`` (a true minus sign, as CLDR writes offsets)."""
    seconds = int((when.utcoffset() or dt.timedelta()).total_seconds())
    if not seconds:
        return "UTC"
    hours, rest = divmod(abs(seconds), 3600)
    sign = "−" if seconds < 0 else "+"
    return f"UTC{sign}{hours}" + (f":{rest // 60:02d}" if rest else "")


def words(program: Program) -> Words:
    """The words of a program's locale (``calendar.locale``)."""
    return for_locale(program.calendar.locale)


@functools.cache
def for_locale(locale: str) -> Words:
    """The words of a canonical locale tag (one object per locale, made once)."""
    return Words(locale)


class Words:
    """A session in words in one locale: fixed words from its catalog, days, dates,
    clocks and zone names from CLDR (``en-US``: as US press releases write them)."""

    def __init__(self, locale: str = lang.DEFAULT) -> None:
        self.locale = locale
        self.us = locale == "en-US"
        self.cldr = lang.cldr(locale)
        self.translations = lang.translations(locale)
        self._ = self.translations.gettext
        self.ngettext = self.translations.ngettext

    # -- what an event says ------------------------------------------------------------

    def summary(self, event: Event) -> str:
        """What a day view shows: ``SAR3419 poster discussion - Abstract 8017``."""
        _ = self._
        head = (
            f"{event.compound} {event.type}"
            if event.compound
            else event.type[:1].upper() + event.type[1:]
        )
        text = (
            _("%(what)s - Abstract %(abstract)s") % {"what": head, "abstract": event.abstract}
            if event.abstract
            else f"{head} - {event.title}"
        )
        return (
            _("CANCELLED: %(summary)s") % {"summary": text} if event.status == "cancelled" else text
        )

    def reference(self, event: Event) -> str:
        """How a list names the session beside its type: ``Abstract 8017 part 1``, or
        ``Part 2`` and ``""`` for a session without an abstract (its title says what it is)."""
        if event.abstract:
            if event.part is None:
                return self._("Abstract %(abstract)s") % {"abstract": event.name}
            return self._("Abstract %(abstract)s part %(part)d") % {
                "abstract": event.name, "part": event.part}  # fmt: skip
        return self._("Part %(part)d") % {"part": event.part} if event.part is not None else ""

    def within(self, text: str) -> str:
        """A reference inside a sentence: ``abstract 8017`` in English; German nouns, and
        words of languages without case, stay as they are."""
        return text[:1].lower() + text[1:] if self.cldr.language in _LOWER_WITHIN else text

    def status(self, event: Event) -> str:
        """The status as a list marks it: ``CANCELLED``, ``TENTATIVE``, ``CONFIRMED``."""
        names = {"cancelled": self._("CANCELLED"), "tentative": self._("TENTATIVE"),
                 "confirmed": self._("CONFIRMED")}  # fmt: skip
        return names.get(event.status, event.status.upper())

    def section(self, event: Event) -> str | None:
        """The poster section as people read it: ``Section 22`` (a bare number gets the word)."""
        if not event.section:
            return None
        if event.section.isdigit():
            return self._("Section %(section)s") % {"section": event.section}
        return event.section

    def place(self, event: Event) -> str:
        """Where in the venue, for a list: ``Poster Session 653 · Hall A · Section 22 · 24``
        (the session's name, room, hall, section, board, and its own venue if it has one)."""
        parts = (event.session, event.room, event.hall, self.section(event), event.board,
                 event.venue)  # fmt: skip
        return " · ".join(p for p in parts if p)

    def location(self, program: Program, event: Event) -> str:
        """Room, hall, section, board, venue and address, in that order: what a map search
        needs."""
        parts = (event.room, event.hall, self.section(event), event.board,
                 venue(event.meeting, event))  # fmt: skip
        return ", ".join(p for p in parts if p)

    def details(self, program: Program, event: Event) -> list[str]:
        """``Label: value`` lines about the session, in the order people read them."""
        _ = self._
        conf = event.meeting
        lines = []

        def add(label: str, value: str) -> None:
            lines.append(f"{label}: {value}")

        if event.status != "confirmed":
            add(_("Status"), self.status(event))
        if event.all_day:
            lines.append(_("Time: to be announced (in calendars for the whole day until then)"))
        if event.abstract:
            add(_("Abstract"), event.abstract)
        add(_("Type"), event.type)
        if event.session:
            add(_("Session"), event.session)
        if event.compound:
            add(_("Compound"), event.compound)
        if event.presenters:
            label = self.ngettext("Presenter", "Presenters", len(event.presenters))
            add(label, "; ".join(event.presenters))
        if event.room:
            add(_("Room"), event.room)
        if event.hall:
            add(_("Hall"), event.hall)
        if event.section:
            add(_("Poster section"), event.section)
        if event.board:
            add(_("Board"), event.board)
        where = venue(conf, event)
        if where:
            add(_("Venue"), where)
        if conf.name:
            add(_("Conference"), conf.name)
        more = url(program, event)
        if more:
            add(_("More"), more)
        return lines

    def description(self, program: Program, event: Event) -> str:
        """The event's notes: the title, the details, then the session's own description."""
        lines = [event.title, "", *self.details(program, event)]
        if event.description:
            lines += ["", event.description]
        return "\n".join(lines)

    def all_sessions(self, page: str) -> str:
        """The line a link's notes end with: ``All sessions: https://...``."""
        return self._("All sessions: %(page)s") % {"page": page}

    def minutes(self, minutes: int) -> str:
        """Minutes in words: ``15 minutes``, ``1 hour 30 minutes``, ``1 day``."""
        if self.us:
            return spell_minutes(minutes)
        units: tuple[tuple[int, Callable[[int], str]], ...] = (
            (10080, lambda n: self.ngettext("%(n)d week", "%(n)d weeks", n)),
            (1440, lambda n: self.ngettext("%(n)d day", "%(n)d days", n)),
            (60, lambda n: self.ngettext("%(n)d hour", "%(n)d hours", n)),
            (1, lambda n: self.ngettext("%(n)d minute", "%(n)d minutes", n)),
        )
        parts = []
        for size, unit in units:
            n, minutes = divmod(minutes, size)
            if n:
                parts.append(unit(n) % {"n": n})
        return " ".join(parts) or units[-1][1](0) % {"n": 0}

    def alarm(self, event: Event, minutes: int) -> str:
        """A reminder's text: ``... starts in 15 minutes in E450b``."""
        summary = self.summary(event)
        if minutes == 0:
            text = self._("%(summary)s starts now") % {"summary": summary}
        else:
            text = self._("%(summary)s starts in %(lead)s") % {
                "summary": summary, "lead": self.minutes(minutes)}  # fmt: skip
        if event.room:
            return self._("%(reminder)s in %(room)s") % {"reminder": text, "room": event.room}
        return text

    # -- when --------------------------------------------------------------------------

    def clock(self, when: dt.datetime | dt.time) -> str:
        """``8:00 am``, ``12:00 noon``, ``1:30 pm``, ``12:00 midnight`` (en-US); the
        locale's short time elsewhere (``14:00``)."""
        if not self.us:
            wall = when.time() if isinstance(when, dt.datetime) else when
            return cldr_dates.format_time(wall, "short", locale=self.cldr)
        if (when.hour, when.minute) == (12, 0):
            return "12:00 noon"
        if (when.hour, when.minute) == (0, 0):
            return "12:00 midnight"
        return when.strftime("%I:%M %p").lstrip("0").lower()

    def zone_label(self, zone: str, when: dt.datetime) -> str:
        """``CT`` for Chicago (as US press releases write it), else the zone's abbreviation;
        outside en-US, the locale's own short name where CLDR has one (``MESZ`` in
        German), else the abbreviation of the season (``CDT``)."""
        if not self.us:
            name = self._cldr_short(zone, when)
            if name:
                return name
        elif zone in _GENERIC_ZONE:
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

    def _cldr_short(self, zone: str, when: dt.datetime) -> str | None:
        zone = _CLDR_ALIASES.get(zone, zone)
        variant = "daylight" if when.dst() else "standard"
        own = self.cldr.time_zones.get(zone, {}).get("short", {})
        metazone = _METAZONES.get(zone)
        names = self.cldr.meta_zones.get(metazone, {}).get("short", {}) if metazone else {}
        name = own.get(variant) or names.get(variant)
        return str(name) if name and name != _NO_NAME else None

    def zone_note(self, zone: str, when: dt.datetime) -> str:
        """What the page says all times are in: ``Central Time, UTC−5`` (the zone's
        generic name in the locale, and its offset at ``when``)."""
        name = cldr_dates.get_timezone_name(
            tzrules.timezone(zone), "long", zone_variant="generic", locale=self.cldr
        )
        return self._("%(zone)s, %(offset)s") % {"zone": name, "offset": utc_offset(when)}

    def day(self, date: dt.date, *, year: bool = True) -> str:
        """A day heading: ``Saturday, June 4, 2011`` (``Saturday, June 4`` without the year)."""
        if not self.us:
            if year:
                return cldr_dates.format_date(date, "full", locale=self.cldr)
            return cldr_dates.format_skeleton("MMMMEEEEd", date, locale=self.cldr)
        text = f"{date:%A, %B} {date.day}"
        return f"{text}, {date.year}" if year else text

    def short_day(self, date: dt.date) -> str:
        """``Sat, Jun 4``: a session's day beside its time."""
        if not self.us:
            return cldr_dates.format_skeleton("MMMEd", date, locale=self.cldr)
        return f"{date:%a, %b} {date.day}"

    def dates(self, conference: Conference) -> str:
        """The conference's dates: ``June 4–8, 2011`` or ``May 30 – June 3, 2025``."""
        lo, hi = conference.start, conference.end
        if not (lo and hi):
            return ""
        if not self.us:
            return cldr_dates.format_interval(lo, hi, "yMMMMd", locale=self.cldr)
        if (lo.year, lo.month) == (hi.year, hi.month):
            return f"{lo:%B} {lo.day}–{hi.day}, {hi.year}"
        return f"{lo:%B} {lo.day} – {hi:%B} {hi.day}, {hi.year}"

    def span(
        self,
        program: Program,
        event: Event,
        times: tuple[dt.datetime, dt.datetime] | None = None,
    ) -> str:
        """``8:00 am – 12:00 noon CT`` (``14:00–14:10 MESZ``), or "Time to be announced"
        (``times``: its :func:`local` times, if the caller has them already)."""
        if event.all_day:
            return self._("All day")
        times = times or local(program, event)
        if times is None:
            return self.to_be_announced
        starts, ends = times
        zone = event.meeting_zone or event.timezone
        dash = " – " if self.us or "a" in self.cldr.time_formats["short"].pattern else "–"
        return f"{self.clock(starts)}{dash}{self.clock(ends)} {self.zone_label(zone, starts)}"

    def when(self, program: Program, event: Event) -> str:
        """The day and time together: ``Saturday, June 4, 8:00 am – 12:00 noon CT``."""
        times = local(program, event)
        if event.day is not None and (times is not None or event.all_day):
            return f"{self.day(event.day, year=False)}, {self.span(program, event, times)}"
        return self.to_be_announced

    def presented(self, name: str, n: int) -> str:
        """``Abstract 8017 is presented twice``: a title for the parts of one abstract."""
        if self.cldr.language == "en":
            return f"{name} is presented {times(n)}"
        return self.ngettext(
            "%(name)s is presented %(num)d time", "%(name)s is presented %(num)d times", n
        ) % {"name": name, "num": n}

    @property
    def to_be_announced(self) -> str:
        return self._("Time to be announced")

    @functools.cached_property
    def services(self) -> dict[str, str]:
        """:data:`~asco_cal.links.SERVICES` named in the locale (``Apple Kalender / .ics``)."""
        from asco_cal.links import SERVICES  # links words its addresses with this module

        apple = self._("Apple Calendar / .ics")
        return {to: apple if to == "apple" else name for to, name in SERVICES.items()}

    # -- meetings (a calendar read from a folder) ----------------------------------------

    @property
    def past_meetings(self) -> str:
        """The heading of the meetings that are over."""
        return self._("Past meetings")

    def meeting_zone(self, conference: Conference) -> str:
        """``CT (America/Chicago)``: the meeting's clock, as its season names it."""
        zone = conference.timezone
        if not zone:
            return ""
        day = conference.start or dt.date(2000, 1, 1)
        noon = tzrules.localize(dt.datetime.combine(day, dt.time(12, 0)), zone)
        return f"{self.zone_label(zone, noon)} ({zone})"

    def meeting_line(self, conference: Conference) -> str:
        """What a list says about a meeting beside its name: ``Chicago · June 4–8, 2011 · CT
        (America/Chicago)`` (the venue without a city)."""
        parts = (conference.city or conference.venue, self.dates(conference),
                 self.meeting_zone(conference))  # fmt: skip
        return " · ".join(p for p in parts if p)

    # -- lists -------------------------------------------------------------------------

    @property
    def my_sessions(self) -> str:
        """What a feed of chosen sessions holds: ``my sessions``."""
        return self._("my sessions")

    def both(self, items: list[str]) -> str:
        """``A and B and C`` (en-US, as feed names always said it); CLDR's list elsewhere."""
        if self.us:
            return " and ".join(items)
        return format_list(items, locale=self.cldr)


# Older IANA spellings to the names CLDR files zones under, and each zone's metazone.
_CLDR_ALIASES: dict[str, str] = dict(get_global("zone_aliases"))
_METAZONES: dict[str, str] = dict(get_global("meta_zones"))
_LOWER_WITHIN = {"en", "fr", "es", "it"}  # languages writing "abstract 8017" mid-sentence
_NO_NAME = "∅∅∅"  # CLDR: this locale has no such name (not even its parent's)


# -- meetings (a calendar read from a folder) --------------------------------------------


def meeting_name(conference: Conference) -> str:
    """``ASCO 2011 Annual Meeting`` (its id without a name)."""
    return conference.name or conference.id or ""


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
