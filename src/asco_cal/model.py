"""The validated program: frozen dataclasses, no I/O.

One :class:`Event` is one timed presentation of one abstract.  An abstract
shown in several parts (a poster, then its oral discussion) gives several
events sharing ``abstract`` and numbered by ``part``.  Events whose date or
time is not announced yet have ``date``/``start``/``end`` of ``None``: they are
listed but never exported as timed events.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass, field
from typing import Literal

from asco_cal.tzrules import localize
from asco_cal.values import slug

Status = Literal["confirmed", "tentative", "cancelled"]
STATUSES: tuple[Status, ...] = ("confirmed", "tentative", "cancelled")

# Namespace of every asco-cal UID.  Never change it: UIDs derived from it must
# stay the same forever so calendar apps update events instead of duplicating.
UID_NAMESPACE = uuid.UUID("6f1b6a3e-2f55-5c8e-9a63-5a1f0f1c0a11")


@dataclass(frozen=True)
class CalendarMeta:
    name: str
    description: str | None = None
    url: str | None = None
    refresh_minutes: int = 60


@dataclass(frozen=True)
class Conference:
    name: str | None = None
    id: str | None = None
    timezone: str = ""  # IANA name; "" when the file gives none
    venue: str | None = None
    address: str | None = None
    geo: tuple[float, float] | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def uid_key(self) -> str:
        """What UIDs are derived from: ``id`` if given, else the name."""
        return self.id or self.name or ""


@dataclass(frozen=True)
class Event:
    abstract: str
    title: str
    type: str
    timezone: str
    part: int | None = None
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    room: str | None = None
    board: str | None = None
    compound: str | None = None
    presenters: tuple[str, ...] = ()
    description: str | None = None
    url: str | None = None
    reminders: tuple[int, ...] = ()  # minutes before the start
    status: Status = "confirmed"
    line: int | None = field(default=None, compare=False)  # where it is in the YAML

    @functools.cached_property
    def key(self) -> str:
        """Short id used in file names and URLs: ``8017-1``, ``8013``."""
        base = slug(self.abstract)
        return f"{base}-{self.part}" if self.part is not None else base

    @property
    def label(self) -> str:
        """How people refer to it: ``8017 part 1``, ``TPS102``."""
        return f"{self.abstract} part {self.part}" if self.part is not None else self.abstract

    @property
    def scheduled(self) -> bool:
        return self.date is not None and self.start is not None and self.end is not None

    def uid(self, conference: Conference) -> str:
        """Stable UID: from the conference and the abstract and part only."""
        return _uid(conference.uid_key, self.abstract, self.part or 0)

    @functools.cached_property
    def starts_at(self) -> dt.datetime | None:
        """Start as an aware datetime in the event's zone (None if unscheduled)."""
        if self.date is None or self.start is None:
            return None
        return localize(dt.datetime.combine(self.date, self.start), self.timezone)

    @functools.cached_property
    def ends_at(self) -> dt.datetime | None:
        """End as an aware datetime; an end at or before the start is the next day."""
        if self.date is None or self.end is None or self.start is None:
            return None
        day = self.date
        if self.end <= self.start:  # only midnight gets here after validation
            day += dt.timedelta(days=1)
        return localize(dt.datetime.combine(day, self.end), self.timezone)


@functools.lru_cache(maxsize=1 << 17)
def _uid(conference: str, abstract: str, part: int) -> str:
    name = f"{conference}\x1f{abstract}\x1f{part}"
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@asco-cal"


@dataclass(frozen=True)
class Program:
    calendar: CalendarMeta
    conference: Conference
    events: tuple[Event, ...]
    reminders: tuple[int, ...] = ()

    @property
    def scheduled(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.scheduled)

    @property
    def unscheduled(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if not e.scheduled)

    @functools.cached_property
    def memo(self) -> dict[str, object]:
        """Values derived from this (immutable) program, computed once by their users."""
        return {}
