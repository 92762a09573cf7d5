"""The validated program: frozen dataclasses, no I/O.

One :class:`Event` is one timed presentation of one abstract.  An abstract
shown in several parts (a poster, then its oral discussion) gives several
events sharing ``abstract`` and numbered by ``part``.  Events whose date or
time is not announced yet have ``date``/``start``/``end`` of ``None``: they are
listed but never exported as timed events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from asco_cal import fields
from asco_cal.brand import Logo
from asco_cal.fields import Field, Status, spec
from asco_cal.tzrules import localize, timezone
from asco_cal.values import slug

T = TypeVar("T")

STATUSES = fields.STATUSES

# Namespace of every asco-cal UID.  Never change it: UIDs derived from it must
# stay the same forever so calendar apps update events instead of duplicating.
UID_NAMESPACE = uuid.UUID("6f1b6a3e-2f55-5c8e-9a63-5a1f0f1c0a11")

# -- the field table ---------------------------------------------------------------
#
# Every key a sessions file may hold is declared here, on the attribute it
# fills, with spec(kind, description, example, ...): see asco_cal.fields.  A new
# session field is one attribute below plus the place that shows it
# (asco_cal.wording.Words.details); reading, checking, the JSON Schema, the CSV
# importer's columns, the revision digest and the caches all follow from here.


@dataclass(frozen=True)
class CalendarMeta:
    name: str = field(
        metadata=spec(
            "text",
            "The calendar's name, as people see it in their calendar list.",
            "ImmunoGen at ASCO 2011",
            missing="the name people see in their calendar list",
        )
    )
    description: str | None = field(
        default=None,
        metadata=spec(
            "long text",
            "What the calendar holds.",
            "ImmunoGen's clinical presentations at ASCO 2011.",
        ),
    )
    url: str | None = field(
        default=None,
        metadata=spec(
            "url",
            "Where the agenda page and the feed are published.",
            "https://example.org/asco-2011/",
        ),
    )
    refresh_minutes: int = field(
        default=60,
        metadata=spec(
            "refresh",
            "How often subscribed apps should check for changes (at least 15m; default 1h).",
            "1h",
            key="refresh",
        ),
    )
    locale: str = field(
        default="en-US",
        metadata=spec(
            "locale",
            "The language and region the page, `list`, `links` and the calendar's text are "
            "written for: its words, day names, date order and clock (default en-US).",
            "de-DE",
        ),
    )
    line: int | None = field(default=None, compare=False)  # of `calendar:` in its file


@dataclass(frozen=True)
class SiteMeta:
    """How the published page looks and who may embed it (the public address is
    ``calendar.url``)."""

    logo: Logo | None = field(
        default=None,
        metadata=spec(
            "logo",
            "The logo at the top of the page: an image file beside sessions.yaml (PNG, JPEG, "
            "SVG, WebP or GIF, under 1 MB; copied into the site) or an https address.",
            "logo.svg",
        ),
    )
    accent: str | None = field(
        default=None,
        metadata=spec(
            "colour",
            "The accent colour of links and buttons, as #rrggbb; it must keep WCAG AA "
            "contrast (4.5:1) with the white page (default #0b57d0).",
            "#0b57d0",
        ),
    )
    intro: str | None = field(
        default=None,
        metadata=spec(
            "markdown",
            "Text under the page's heading: paragraphs, [links](https://...) and *emphasis*.",
            "Meet our team at booth 12.",
        ),
    )
    contact: str | None = field(
        default=None,
        metadata=spec(
            "markdown",
            "A contact line at the foot of the page (links and *emphasis* allowed).",
            "Investor relations: [ir@example.com](mailto:ir@example.com)",
        ),
    )
    footer: str | None = field(
        default=None,
        metadata=spec(
            "markdown",
            "Text at the foot of the page: paragraphs, [links](https://...) and *emphasis*.",
            "© 2011 ImmunoGen, Inc.",
        ),
    )
    disclaimer: str | None = field(
        default=None,
        metadata=spec(
            "markdown",
            "A disclaimer shown on every page (a pharmaceutical company's notice), in the "
            "same small Markdown.",
            "For investors and healthcare professionals only.",
        ),
    )
    embed_origins: tuple[str, ...] = field(
        default=(),
        metadata=spec(
            "origins",
            "The websites that may show the live page or embed.html in a frame "
            "(Content-Security-Policy frame-ancestors); none by default.",
            ["https://www.example.com"],
        ),
    )
    made_with: bool = field(
        default=True,
        metadata=spec(
            "bool",
            'Show the "Made with asco-cal" line at the foot of the page (default true).',
            True,
        ),
    )


@dataclass(frozen=True)
class Conference:
    name: str | None = field(
        default=None, metadata=spec("text", "The conference's name.", "ASCO 2011 Annual Meeting")
    )
    id: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "A short id that event identities (UIDs) are derived from; never change it "
            "once the calendar is published.",
            "asco-2011",
        ),
    )
    timezone: str = field(
        default="",
        metadata=spec(  # IANA name; "" when the file gives none
            "zone", "The time zone the times below are in.", "America/Chicago"
        ),
    )
    city: str | None = field(
        default=None,
        metadata=spec("text", "The city, as the meetings' list names it.", "Chicago"),
    )
    venue: str | None = field(default=None, metadata=spec("text", "The venue.", "McCormick Place"))
    address: str | None = field(
        default=None,
        metadata=spec(
            "text", "The venue's street address.", "2301 S. Lake Shore Drive, Chicago, IL 60616"
        ),
    )
    geo: tuple[float, float] | None = field(
        default=None,
        metadata=spec(
            "geo", "Latitude and longitude of the venue: lets apps show a map.", [41.8514, -87.6169]
        ),
    )
    start: dt.date | None = field(
        default=None, metadata=spec("date", "First day of the conference.", "2011-06-04")
    )
    end: dt.date | None = field(
        default=None, metadata=spec("date", "Last day of the conference.", "2011-06-08")
    )
    # Read with other meetings (a folder, or several files): its events' keys (their
    # addresses, the `session=` filter) then start with the meeting's slug.
    in_folder: bool = field(default=False, compare=False)
    file: str = field(default="", compare=False)  # the file it was read from, as messages name it
    line: int | None = field(default=None, compare=False)  # where its id (or name) is given
    column: int | None = field(default=None, compare=False)

    @property
    def uid_key(self) -> str:
        """What UIDs are derived from: ``id`` if given, else the name."""
        return self.id or self.name or ""

    @functools.cached_property
    def slug(self) -> str:
        """The meeting's id as filters and addresses write it: ``asco-2011``."""
        return slug(self.uid_key)


PARTS = Field(
    "parts",
    "parts",
    "For an abstract presented several times (a poster, then its "
    "discussion): one entry per presentation; the fields above are shared.",
)
DURATION = Field(
    "duration",
    "duration",
    "How long it lasts, when only the start is given (else the file's `defaults` for its type).",
    "15m",
    synonyms=("duration", "length"),
)
TIME = Field(
    "time",
    "time range",
    "Start and end together, as press releases write them, with the zone if they give one.",
    "8:00 am - 12:00 noon CT",
    synonyms=("time", "session time", "times", "time slot", "slot"),
    then=DURATION,
)


@dataclass(frozen=True, kw_only=True)
class Event:
    abstract: str = field(
        default="",  # "" when the session has an id instead
        metadata=spec(
            "text",
            'The abstract number (quote it: "8017"); may be left out when `id` is given.',
            "8017",
            shared=True,
            missing='the abstract number, e.g. "8017", or an `id`',
            unless="id",
            synonyms=(
                "abstract",
                "abstract #",
                "abstract no",
                "abstract no.",
                "abstract number",
                "abstract id",
                "abs",
                "abs #",
                "abstract nr",
                "number",
                "no",
                "#",
            ),
        ),
    )
    id: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "A stable identity for the session: its calendar entry follows it, so adding or "
            "correcting the abstract number later changes nothing for subscribers.",
            "investor-event",
            shared=True,
            synonyms=("id", "session id", "identifier"),
        ),
    )
    title: str = field(
        metadata=spec(
            "text",
            "The abstract's full title.",
            "Phase I/II study of ...",
            shared=True,
            missing="the full title of the abstract",
            synonyms=("title", "session title", "abstract title", "presentation title", "name"),
        )
    )
    compound: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "The compound or product it is about.",
            "SAR3419",
            shared=True,
            then=PARTS,
            synonyms=("compound", "drug", "product", "asset", "molecule"),
        ),
    )
    type: str = field(
        default="presentation",
        metadata=spec(
            "type",
            "What kind of session: poster, oral, poster discussion...",
            "poster",
            synonyms=("type", "session type", "presentation type", "format", "category", "kind"),
        ),
    )
    date: dt.date | None = field(
        default=None,
        metadata=spec(
            "date",
            "The day (YYYY-MM-DD).",
            "2011-06-04",
            synonyms=("date", "session date", "day", "presentation date"),
        ),
    )
    start: dt.time | None = field(
        default=None,
        metadata=spec(
            "time",
            "Start time (or give `time` as a range).",
            "8:00 am",
            synonyms=("start", "start time", "begins", "from", "time start", "starts"),
        ),
    )
    end: dt.time | None = field(
        default=None,
        metadata=spec(
            "time",
            "End time.",
            "12:00 noon",
            then=TIME,
            synonyms=("end", "end time", "ends", "to", "until", "time end", "finish"),
        ),
    )
    session: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "The session's name or number, as the release writes it.",
            "Poster Session 653; Poster III",
            synonyms=("session", "session name", "session number", "session #", "track"),
        ),
    )
    room: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "Room.",
            "E450b",
            synonyms=("room", "location", "venue room", "session room"),
        ),
    )
    hall: str | None = field(
        default=None,
        metadata=spec("text", "Hall.", "Hall A", synonyms=("hall", "exhibit hall", "poster hall")),
    )
    section: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "Poster section.",
            "22",
            synonyms=("section", "poster section"),
        ),
    )
    board: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "Poster board.",
            "Poster 3",
            synonyms=(
                "board",
                "poster board",
                "board #",
                "poster #",
                "board number",
                "poster board #",
            ),
        ),
    )
    venue: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "Where it is held, if not at the conference's venue (an investor event at a hotel).",
            "The Palmer House Hilton",
            synonyms=("venue", "place", "hotel"),
        ),
    )
    address: str | None = field(
        default=None,
        metadata=spec(
            "text",
            "The street address of this session's venue.",
            "17 E Monroe St, Chicago, IL 60603",
            synonyms=("address", "street address"),
        ),
    )
    geo: tuple[float, float] | None = field(
        default=None,
        metadata=spec(
            "geo",
            "Latitude and longitude of this session's venue.",
            [41.8807, -87.6270],
            synonyms=("geo", "coordinates", "lat/lon"),
        ),
    )
    presenters: tuple[str, ...] = field(
        default=(),
        metadata=spec(
            "texts",
            "Who presents.",
            ["Jane Doe, MD"],
            synonyms=(
                "presenters",
                "presenter",
                "speaker",
                "speakers",
                "author",
                "authors",
                "presenting author",
                "presenting authors",
            ),
        ),
    )
    description: str | None = field(
        default=None,
        metadata=spec(
            "long text",
            "More text for the event's notes.",
            None,
            synonyms=("description", "notes", "summary", "details", "abstract text"),
        ),
    )
    url: str | None = field(
        default=None,
        metadata=spec(
            "url",
            "A page about the session.",
            "https://example.org/abstract/8017",
            synonyms=("url", "link", "web", "website", "web page"),
        ),
    )
    reminders: tuple[int, ...] = field(
        default=(),
        metadata=spec(  # minutes before the start
            "durations",
            "Reminders before the start; replaces the file's `reminders`; [] for none.",
            ["15m"],
            synonyms=("reminders", "reminder", "alarm", "alarms"),
        ),
    )
    status: Status = field(
        default="confirmed",
        metadata=spec(
            "status",
            "confirmed (default), tentative or cancelled.",
            "confirmed",
            synonyms=("status",),
        ),
    )
    timezone: str = field(
        metadata=spec(
            "zone",
            "This session's time zone, if not the conference's.",
            "America/Chicago",
            synonyms=("timezone", "time zone", "tz", "zone"),
        )
    )
    part: int | None = None  # 1, 2... for the parts of one abstract, else None
    line: int | None = field(default=None, compare=False)  # where it is in the input
    # The meeting (the file's `conference:`) it belongs to: its UID, its venue, and the
    # clock its day is read on.  Not compared: an event is its session's content (what
    # it takes from its meeting is in event_inputs).
    meeting: Conference = field(default=Conference(), compare=False)
    # Which of a repeated local hour the start and end are (0 the first, 1 the second),
    # as the file's zone label said (1:30 am CDT / CST); only read in the repeated hour.
    folds: tuple[int, int] = (0, 0)
    all_day: bool = False  # a date without a time, exported as an all-day event

    def __post_init__(self) -> None:
        assert self.abstract or self.id, "an event has an abstract or an id"

    @functools.cached_property
    def key(self) -> str:
        """Short id used in file names and URLs: ``8017-1``, ``8013`` (``asco-2011-8017-1``
        for a meeting read with others, whose abstract numbers may repeat)."""
        base = self.shared_key
        return f"{base}-{self.part}" if self.part is not None else base

    @property
    def shared_key(self) -> str:
        """The key all parts of an abstract share: ``8017`` (the key of a one-part one;
        ``asco-2011-8017`` for a meeting read with others)."""
        base = slug(self.id or self.abstract)
        return f"{self.meeting.slug}-{base}" if self.meeting.in_folder else base

    @property
    def meeting_zone(self) -> str:
        """The meeting's zone ("" without one): the clock the session's day is read on."""
        return self.meeting.timezone

    @property
    def name(self) -> str:
        """The abstract number, else the id: ``8017``, ``investor-event``."""
        return self.abstract or self.id or ""

    @property
    def label(self) -> str:
        """How people refer to it: ``8017 part 1``, ``TPS102``."""
        return f"{self.name} part {self.part}" if self.part is not None else self.name

    @property
    def timed(self) -> bool:
        """A date, a start and an end."""
        return self.date is not None and self.start is not None and self.end is not None

    @property
    def scheduled(self) -> bool:
        """In the calendars: timed, or an all-day event."""
        return self.all_day or self.timed

    @functools.cached_property
    def day(self) -> dt.date | None:
        """The session's day, the same in every view: the meeting's local calendar day of
        its start (its own date when it has no time, or no meeting zone)."""
        starts = self.starts_at
        if starts is None or not self.meeting_zone or self.meeting_zone == self.timezone:
            return self.date
        return starts.astimezone(timezone(self.meeting_zone)).date()

    def uid(self) -> str:
        """Stable UID: from its meeting's id (else name) and its own id (else the
        abstract) and part only: never from the file it is in or the other meetings."""
        key = self.meeting.uid_key
        if self.id:
            return _uid(key, "\x1eid\x1e" + self.id, self.part or 0)
        return _uid(key, self.abstract, self.part or 0)

    @functools.cached_property
    def starts_at(self) -> dt.datetime | None:
        """Start as an aware datetime in the event's zone (None if unscheduled)."""
        if self.date is None or self.start is None:
            return None
        return localize(dt.datetime.combine(self.date, self.start), self.timezone, self.folds[0])

    @functools.cached_property
    def ends_at(self) -> dt.datetime | None:
        """End as an aware datetime; an end at or before the start is the next day."""
        if self.date is None or self.end is None or self.start is None:
            return None
        ends = localize(dt.datetime.combine(self.date, self.end), self.timezone, self.folds[1])
        starts = self.starts_at
        assert starts is not None
        if ends <= starts:  # past midnight (an end in the repeated hour is after by its fold)
            day = self.date + dt.timedelta(days=1)
            ends = localize(dt.datetime.combine(day, self.end), self.timezone, self.folds[1])
        return ends


@functools.lru_cache(maxsize=1 << 17)
def _uid(conference: str, abstract: str, part: int) -> str:
    name = f"{conference}\x1f{abstract}\x1f{part}"
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@asco-cal"


@dataclass(frozen=True)
class Program:
    calendar: CalendarMeta
    meetings: tuple[Conference, ...]  # in date order; one for a single sessions file
    events: tuple[Event, ...]
    reminders: tuple[int, ...] = ()
    site: SiteMeta = SiteMeta()

    @property
    def conference(self) -> Conference:
        """The meeting of a program read from one file (use :attr:`meetings` otherwise)."""
        if len(self.meetings) != 1:
            raise ValueError(f"a program of {len(self.meetings)} meetings has no one conference")
        return self.meetings[0]

    @property
    def folder(self) -> bool:
        """Read from a folder (or several files): meetings have feeds and keys of their own."""
        return any(m.in_folder for m in self.meetings)

    def meeting(self, slug: str) -> Conference | None:
        """The meeting whose :attr:`Conference.slug` is ``slug`` (any case)."""
        folded = slug.casefold()
        return next((m for m in self.meetings if m.slug == folded), None)

    @property
    def scheduled(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.scheduled)

    @property
    def unscheduled(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if not e.scheduled)

    def in_locale(self, locale: str | None) -> Program:
        """The program written for ``locale`` (a canonical tag, as ``--locale`` gives it)
        instead of its file's ``calendar.locale``; itself for None or the same locale."""
        if locale is None or locale == self.calendar.locale:
            return self
        return dataclasses.replace(self, calendar=dataclasses.replace(self.calendar, locale=locale))

    @functools.cached_property
    def memo(self) -> dict[str, object]:
        """Values derived from this (immutable) program, computed once by their users."""
        return {}

    def derived(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, computed once for this program (it is immutable) under ``key``."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]  # type: ignore[return-value]


# The tables the reader, the schema and the importer use.
CALENDAR = fields.table(CalendarMeta)
CONFERENCE = fields.table(Conference)
SITE = fields.table(SiteMeta)
SHARED = fields.table(Event, shared=True)  # abstract, title, compound, parts
PART = fields.table(Event, shared=False)  # what each part may say
SESSION = SHARED + PART


def event_inputs(program: Program, event: Event) -> tuple[object, ...]:
    """Everything an event's calendar entry and links are made from (hashable).

    The revision digest (:func:`asco_cal.state.event_digest`) and every cache of
    serialised events and links key on this, so nothing that shows can change
    without both noticing.
    """
    conf = event.meeting
    return (event, conf.uid_key, conf.name, conf.venue, conf.address, conf.geo,
            program.calendar.url, event.meeting_zone, program.calendar.locale)  # fmt: skip
