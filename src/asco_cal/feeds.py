"""Feeds as people subscribe to them: each filter's calendar name, and whether a
feed fits Google Calendar, which drops feeds over about 1 MB without a word.

A filtered feed is named after what it holds ("ImmunoGen at ASCO 2011 — posters",
"… — Saturday, June 4", "… — my sessions"), so that subscribing to several
gives calendars people can tell apart.  ``export``, ``build`` and ``serve`` name
the same filter the same way, so the same filter still gives the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from asco_cal import ics, wording
from asco_cal.carry import Carry
from asco_cal.filters import Filter, choices, topics
from asco_cal.model import Event, Program
from asco_cal.state import State

GOOGLE_MAX_BYTES = 1_000_000  # Google Calendar ignores subscribed feeds larger than this
SPLITS = ("date", "type")  # the feeds offered instead of a full feed that is too big


def _shown(program: Program, name: str, folded: Iterable[str]) -> list[str]:
    """Values as the file writes them, in the order of :func:`choices`."""
    wanted = set(folded)
    return [v for v in choices(program, name) if v.casefold() in wanted]


def label(program: Program, chosen: Filter) -> str:
    """What a filtered feed holds, in words ("" for the full feed)."""
    words = wording.words(program)
    parts = []
    if chosen.meeting:
        shown = [m for m in program.meetings if m.slug in chosen.meeting]
        parts.append(" and ".join(wording.meeting_name(m) for m in shown))
    if chosen.abstract or chosen.session:
        parts.append(words.my_sessions)
    if chosen.type:
        types = _shown(program, "type", chosen.type)
        parts.append(words.both([wording.plural(t) for t in types] if words.us else types))
    if chosen.compound:
        parts.append(words.both(_shown(program, "compound", chosen.compound)))
    if chosen.date:
        parts.append(words.both([words.day(d, year=False) for d in sorted(chosen.date)]))
    if chosen.words:
        parts.append(f"“{' '.join(chosen.words)}”")
    return ", ".join(parts)


def calendar_name(program: Program, chosen: Filter) -> str:
    """The name a feed's calendar gets in people's calendar lists."""
    what = label(program, chosen)
    return f"{program.calendar.name} — {what}" if what else program.calendar.name


def named(program: Program, chosen: Filter) -> Program:
    """``program`` under the feed's calendar name, and with only the chosen meetings for
    a meeting's feed (its events are the same objects)."""
    name = calendar_name(program, chosen)
    if name == program.calendar.name:
        return program
    calendar = dataclasses.replace(program.calendar, name=name)
    if chosen.meeting:  # a meeting's feed: its own clock is the calendar's (X-WR-TIMEZONE)
        meetings = tuple(m for m in program.meetings if m.slug in chosen.meeting)
        return dataclasses.replace(program, calendar=calendar, meetings=meetings)
    return dataclasses.replace(program, calendar=calendar)


class Writers:
    """One :class:`~asco_cal.ics.Writer` per calendar name, all sharing their
    serialised events (and, across versions, through one :class:`~asco_cal.carry.Carry`)."""

    def __init__(
        self,
        program: Program,
        revisions: State,
        reminders: Sequence[int] | None = None,
        carry: Carry | None = None,
    ) -> None:
        self.program = program
        self.revisions = revisions
        self.reminders = reminders
        self.carry = carry if carry is not None else Carry()
        self._writers: dict[str, ics.Writer] = {}

    def writer(self, chosen: Filter) -> ics.Writer:
        program = named(self.program, chosen)
        name = program.calendar.name
        if name not in self._writers:
            first = next(iter(self._writers.values()), None)  # events are the same bytes
            self._writers[name] = ics.Writer(
                program, self.revisions, self.reminders, self.carry, shared=first
            )
        return self._writers[name]

    def calendar(self, chosen: Filter, events: Iterable[Event] | None = None) -> bytes:
        """The feed of ``chosen`` (of ``events``, already chosen, if given)."""
        picked = chosen.apply(self.program.events) if events is None else events
        return self.writer(chosen).calendar(picked)


def fits(size: int) -> bool:
    return size <= GOOGLE_MAX_BYTES


def size_text(size: int) -> str:
    """``2.1 MB``, ``449 KB`` (decimal units, as Google states its limit)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


SizeOf = Callable[[str, str, tuple[Event, ...]], int]  # (filter, value, its events) -> bytes


def size_warning(
    program: Program,
    what: str,
    size: int,
    size_of: SizeOf,
    spell: Callable[[str, str], str] | None = None,
) -> str | None:
    """The warning for feed ``what`` of ``size`` bytes over Google's limit, naming the
    per-day and per-type feeds that fit, ``size_of`` each (0: none of its sessions),
    as ``spell(filter, value)`` writes them (None when it fits)."""
    if fits(size):
        return None
    offers = []
    for name in SPLITS:
        sized = [(value, size_of(name, value, events)) for value, events in topics(program, name)]
        good = [(value, n) for value, n in sized if n and fits(n)]
        if not good:
            continue
        lo, hi = min(n for _, n in good), max(n for _, n in good)
        sizes = size_text(lo) if lo == hi else f"{size_text(lo)}–{size_text(hi)}"
        whole = " (all of them)" if len(good) == sum(1 for _, n in sized if n) else ""
        by = "day" if name == "date" else name
        values = ", ".join(spell(name, value) if spell else value for value, _ in good)
        offers.append(f"per {by}{whole}, {sizes}: {values}")
    text = (
        f"{what} is {size_text(size)}, over Google Calendar's 1 MB limit for subscribed "
        "feeds (Google drops it without a word)"
    )
    if offers:
        return f"{text}; these fit: {'; '.join(offers)}"
    return f"{text}; no per-day or per-type feed fits either: pick sessions with filters"


def export_warning(writers: Writers, chosen: Filter, size: int, target: str) -> str | None:
    """The warning for an exported feed over Google's limit, with the sizes of the
    per-day and per-type feeds of the same sessions, as options (None when it fits)."""

    def size_of(name: str, value: str, events: tuple[Event, ...]) -> int:
        picked = chosen.apply(events)
        if not any(e.scheduled for e in picked):
            return 0
        return len(writers.writer(chosen).calendar(picked))

    def spell(name: str, value: str) -> str:
        return f"--{name} " + (f'"{value}"' if " " in value else value)

    return size_warning(writers.program, target, size, size_of, spell)
