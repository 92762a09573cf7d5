"""A session's time: from what the file says to the instants of its calendar entry.

A session says when it is with ``time`` (a range or one time, as releases
write it), or ``start`` and ``end``, or ``start`` and ``duration``; a zone label
may follow any of them (``4:45 pm ET``, ``1:00-5:00pm PT``), and ``TBD`` means
not announced.  The file may add ``defaults`` (a type's duration) and
``all_day_when_no_time``.  Decided here, once, for every input:

* the zone of the times: a label sets it (:func:`asco_cal.zones.label`), else
  the session's ``timezone``, else the meeting's;
* which of a repeated local hour is meant: a label says it (``1:30 am CDT``);
  without one it is an error, because calendar apps disagree about it;
* local times that daylight saving skips, and an end before the start (errors);
* two listings of one slot (``12-2:20 pm CET/6:00-8:20 am ET``) must agree;
* the end of a session given only its start, and the all-day sessions.

Problems are reported through the reader, so each names its place in the input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asco_cal import zones
from asco_cal.model import DURATION, PART, TIME
from asco_cal.tree import Node
from asco_cal.tzrules import localize, timezone, wall_clock
from asco_cal.values import Listing, spell_minutes

if TYPE_CHECKING:
    from asco_cal.reader import Entries, Reader

TIME_KEYS = ("start", "end", "time", "duration")
_START, _END = (next(f for f in PART if f.name == name) for name in ("start", "end"))

# How long a session lasts when the file gives only its start and no default for its
# type: a talk is short, anything else gets an hour.  Always said in a warning.
TALK_MINUTES, OTHER_MINUTES = 15, 60
_TALKS = ("oral", "talk", "presentation", "abstract", "lecture", "speech")
MAX_MINUTES = 23 * 60  # longer is a typo (and would pass the next day's start)
NO_ZONE = "no time zone: set conference.timezone, e.g. America/Chicago"


@dataclass(frozen=True)
class Options:
    """What the file says for all its sessions."""

    defaults: dict[str, int]  # type (case-folded) -> minutes
    all_day: bool  # all_day_when_no_time
    meeting: str  # the meeting's zone ("" without one)
    zone_given: bool  # the meeting's zone was written (maybe wrongly, and reported)


@dataclass(frozen=True)
class Timing:
    """What the event gets: its times, on the clock of ``zone``."""

    start: dt.time | None
    end: dt.time | None
    zone: str
    folds: tuple[int, int] = (0, 0)
    all_day: bool = False


@dataclass(frozen=True)
class _Placed:
    listing: Listing
    zone: str
    start: dt.time
    end: dt.time
    folds: tuple[int, int]
    starts: dt.datetime
    ends: dt.datetime


def read(
    reader: Reader,
    node: Node,
    entries: Entries,
    path: str,
    *,
    date: dt.date | None,
    explicit: str | None,
    kind: str,
    label: str,
    options: Options,
) -> Timing | None:
    """The session's timing; None after an error (reported).

    ``explicit`` is the session's own ``timezone``; ``kind`` its type; ``label``
    how messages name it (``abstract 8017 part 1``).
    """
    said = given(reader, entries, path)
    if said is None:
        return None
    listings, minutes = said
    zone = explicit or options.meeting
    if not zone and not all(x.start_label for x in listings or [Listing(dt.time(), None)]):
        if not options.zone_given:  # else it is wrong, and reported
            reader.error(node, f"{path}.timezone", NO_ZONE)
        return None
    if not listings or date is None:
        if date is not None and options.all_day:
            return Timing(None, None, zone or "UTC", all_day=True)
        if not listings:
            what = "has no date or time yet" if date is None else "has no time yet"
        else:
            what = "has no date yet"
        reader.warn(node, path, f"{label} {what}; listed, not exported to calendars", "unscheduled")
        first = listings[0] if listings else None
        return Timing(first.start if first else None, first.end if first else None, zone or "UTC")
    key = "time" if "time" in entries else "start"
    where = entries[key]
    if minutes is None and any(x.end is None for x in listings):
        minutes = options.defaults.get(kind.casefold())
        if minutes is None:
            minutes = TALK_MINUTES if any(w in kind.casefold() for w in _TALKS) else OTHER_MINUTES
            reader.warn(
                where[1],
                where[2],
                f"no end time; taken to last {spell_minutes(minutes)} (give the end, a "
                f"duration, or the file's defaults: {{{kind}: {minutes}m}})",
                "assumed-duration",
            )
    if len(listings) == 1:
        one = _place(reader, where[1], where[2], entries, listings[0], date, explicit, options,
                     minutes)  # fmt: skip
        return None if one is None else Timing(one.start, one.end, one.zone, one.folds)
    # Two listings of one slot: each in its own zone; they must be the same instants,
    # and the one on the session's (else the meeting's) clock is kept.
    placed = []
    for listing in listings:
        one = _place(reader, where[1], where[2], entries, listing, date, None, options, minutes)
        if one is None:
            return None
        placed.append(one)
    a, b = placed
    if (a.starts, a.ends) != (b.starts, b.ends):
        reader.error(
            where[1],
            where[2],
            f"the two listings disagree: {_utc_span(a)} but {_utc_span(b)} (check the release)",
        )
        return None
    if explicit and explicit not in (a.zone, b.zone):
        reader.error(
            where[1], where[2], f"neither listing is in the session's time zone {explicit}"
        )
        return None
    chosen = next((p for p in placed if p.zone in (explicit, options.meeting)), a)
    return Timing(chosen.start, chosen.end, chosen.zone, chosen.folds)


def given(
    reader: Reader, entries: Entries, path: str
) -> tuple[tuple[Listing, ...], int | None] | None:
    """The listings (each with its end, or None when only the start is known) and the
    duration in minutes; None after an error."""
    minutes = reader.value(DURATION, entries)
    if not (minutes is None or isinstance(minutes, int)):
        return None
    if isinstance(minutes, int) and not 0 < minutes <= MAX_MINUTES:
        _, n, p = entries["duration"]
        reader.error(
            n, p, f"a session lasts more than 0 minutes and at most {MAX_MINUTES // 60} hours"
        )
        return None
    if "time" in entries:
        clash = [k for k in ("start", "end") if k in entries]
        for key in clash:
            reader.error(
                entries[key][0], entries[key][2], "give either time or start and end, not both"
            )
        value = reader.value(TIME, entries)
        if clash or not (value is None or isinstance(value, tuple)):
            return None
        listings: tuple[Listing, ...] = value or ()
    else:
        start, end = (reader.value(field, entries) for field in (_START, _END))
        if not (start is None or isinstance(start, tuple)) or not (
            end is None or isinstance(end, tuple)
        ):
            return None  # reported
        if start is None and end is not None:
            reader.error(
                entries["end"][1],
                f"{path}.start",
                "missing (the end time is given, the start is not)",
            )
            return None
        if start is None:
            listings = ()
        elif end is None:
            listings = start
        elif len(start) != len(end):
            reader.error(entries["end"][1], entries["end"][2], "give as many listings as the start")
            return None
        else:
            listings = tuple(
                Listing(s.start, e.start, s.start_label, e.start_label or s.start_label)
                for s, e in zip(start, end, strict=True)
            )
    if minutes is not None and any(x.end is not None for x in listings):
        _, n, p = entries["duration"]
        reader.error(n, p, "give the end or the duration, not both")
        return None
    if minutes is not None and not listings:
        _, n, p = entries["duration"]
        reader.warn(n, p, "a duration without a start time; ignored", "unscheduled")
    return listings, minutes


def _place(
    reader: Reader,
    node: Node,
    path: str,
    entries: Entries,
    listing: Listing,
    date: dt.date,
    explicit: str | None,
    options: Options,
    minutes: int | None,
) -> _Placed | None:
    """One listing on the clock: its zone, which of a repeated hour, its instants."""
    walls = [dt.datetime.combine(date, listing.start)]
    if listing.end is not None:
        walls.append(dt.datetime.combine(date, listing.end))
    labels = (listing.start_label, listing.end_label)
    found: list[tuple[str, dt.timedelta | None]] = []
    notes: list[str] = []
    for wall, text in zip(walls, labels, strict=False):
        if text is None:
            found.append(("", None))
            continue
        try:
            meant = zones.label(text, wall, near=options.meeting or None, explicit=explicit)
        except ValueError as exc:
            reader.error(node, path, str(exc))
            return None
        found.append((meant.zone, meant.offset))
        if meant.note and meant.note not in notes:
            notes.append(meant.note)
    named = sorted({z for z, _ in found if z})
    if len(named) > 1:
        reader.error(
            node,
            path,
            f"the start is in {named[0]} and the end in {named[1]}; give one zone for both",
        )
        return None
    zone = named[0] if named else explicit or options.meeting
    assert zone, "read() checks there is a zone or a label"
    for note in notes:
        reader.warn(node, path, note, "zone-label")
    folds = [0, 0]
    for i, wall in enumerate(walls):
        fold = _place_wall(reader, node, path, entries, i, wall, zone, found[i][1])
        if fold is None:
            return None
        folds[i] = fold
    starts = localize(walls[0], zone, folds[0])
    if listing.end is None:
        assert minutes is not None
        ends = (starts.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(
            timezone(zone)
        )
        end_wall = ends.replace(tzinfo=None)
        end_fold = 0
        if wall_clock(end_wall, zone) == "twice":
            end_fold = 0 if localize(end_wall, zone, 0) == ends else 1
        return _Placed(listing, zone, listing.start, end_wall.time(), (folds[0], end_fold),
                       starts, ends)  # fmt: skip
    ends = localize(walls[1], zone, folds[1])
    if ends <= starts:  # by the instants: 1:45 am CDT - 1:15 am CST is half an hour
        if listing.end != dt.time(0, 0):
            end_node, end_path = (node, path) if "time" in entries else entries["end"][1:]
            if listing.end == listing.start:
                message = f"ends when it starts ({listing.end:%H:%M})"
            else:
                message = f"ends before it starts ({listing.end:%H:%M} < {listing.start:%H:%M})"
            reader.error(end_node, end_path, message)
            return None
        midnight = walls[1] + dt.timedelta(days=1)  # ends at midnight
        ends = localize(midnight, zone, 0)
    return _Placed(listing, zone, listing.start, listing.end, (folds[0], folds[1]), starts, ends)


def _place_wall(
    reader: Reader,
    node: Node,
    path: str,
    entries: Entries,
    i: int,
    wall: dt.datetime,
    zone: str,
    offset: dt.timedelta | None,
) -> int | None:
    """Which occurrence of ``wall`` is meant (0 unless it happens twice); None after an
    error: a time the clocks skip, or one they repeat without a label saying which."""
    which = "start" if i == 0 else "end"
    where = (node, path) if "time" in entries else entries[which][1:]
    kind = wall_clock(wall, zone)
    if kind == "gap":
        reader.error(
            *where,
            f"{wall:%H:%M} on {wall.date()} does not exist in {zone} "
            "(the clocks skip it when daylight saving time starts)",
        )
        return None
    if kind != "twice":
        return 0
    fold = _fold(wall, zone, offset)
    if fold is None:
        first, second = (localize(wall, zone, f) for f in (0, 1))
        reader.error(
            *where,
            f"{wall:%H:%M} on {wall.date()} happens twice in {zone} (the clocks go back); "
            f"say which with its zone: {_labelled(first)} or {_labelled(second)}",
        )
    return fold


def _fold(wall: dt.datetime, zone: str, offset: dt.timedelta | None) -> int | None:
    """Which occurrence of a repeated ``wall`` time has UTC offset ``offset``."""
    if offset is None:
        return None
    for fold in (0, 1):
        if localize(wall, zone, fold).utcoffset() == offset:
            return fold
    return None


def _labelled(when: dt.datetime) -> str:
    """``1:30 am CDT``: a time as a release would write it, with its zone's name."""
    name = when.tzname() or ""
    if name[:1] in "+-":
        name = "UTC" + name
    clock = when.strftime("%I:%M %p").lstrip("0").lower()
    return f"{clock} {name}".strip()


def _utc_span(p: _Placed) -> str:
    listing = p.listing
    text = f"{listing.start:%H:%M}" + (f"-{listing.end:%H:%M}" if listing.end else "")
    label = listing.start_label or p.zone
    starts, ends = p.starts.astimezone(dt.UTC), p.ends.astimezone(dt.UTC)
    return f"{text} {label} is {starts:%H:%M}-{ends:%H:%M} UTC"
