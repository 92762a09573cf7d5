"""Checks that look at the sessions together (a session's own times: :mod:`asco_cal.timing`).

The same abstract (or id) and part twice, dates outside the conference (errors),
two sessions in one room at once (warnings; not the abstracts of one poster
session, nor posters sharing a hall).

They report through the reader, so each problem names the place in the input.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asco_cal.model import Conference, Event
from asco_cal.tree import Node

if TYPE_CHECKING:
    from asco_cal.reader import Entries, Reader


@dataclass(frozen=True)
class Found:
    """An event with the input it came from, for checks across sessions."""

    event: Event
    node: Node
    path: str
    entries: Entries


def check_events(reader: Reader, found: list[Found], conference: Conference) -> None:
    seen: dict[str, Found] = {}
    by_room: dict[str, list[Found]] = defaultdict(list)
    lo, hi = conference.start, conference.end
    for item in found:
        event = item.event
        if event.key in seen:
            first = seen[event.key].event
            noun = "abstract" if event.abstract else "session"
            what = f"{noun} {event.name}" + (f" part {event.part}" if event.part else "")
            if first.name != event.name:
                other = "abstract" if first.abstract else "session"
                what += f" (same file name as {other} {first.name})"
            where = item.entries[
                "abstract" if event.abstract and "abstract" in item.entries else "id"
            ]
            reader.error(where[1], where[2], f"duplicate: {what} is already on line {first.line}")
        else:
            seen[event.key] = item
        day = event.day  # on the meeting's clock, as every view shows it
        if day and "date" in item.entries and ((lo and day < lo) or (hi and day > hi)):
            _, n, p = item.entries["date"]
            when = (
                f"{event.date}"
                if day == event.date
                else f"{event.date} ({day} on the meeting's clock)"
            )
            reader.error(
                n, p, f"{when} is outside the conference dates ({lo or '...'} to {hi or '...'})"
            )
        if event.scheduled and event.status != "cancelled" and event.room:
            by_room[" ".join(event.room.casefold().split())].append(item)
    for items in by_room.values():
        if len(items) > 1:
            check_room(reader, items)


def check_room(reader: Reader, items: list[Found]) -> None:
    """Warn when two sessions share a room at overlapping times.

    Some share a slot legitimately: the abstracts of one session (the same
    ``session``), and posters in a hall unless they are on the same board.
    """
    timed: list[tuple[dt.datetime, dt.datetime, Found]] = []
    for f in items:
        starts, ends = f.event.starts_at, f.event.ends_at
        if starts is not None and ends is not None:
            timed.append((starts, ends, f))
    timed.sort(key=lambda t: (t[0], t[2].event.line or 0))
    active: list[tuple[dt.datetime, Found]] = []
    for starts, ends, item in timed:
        active = [(e, a) for e, a in active if e > starts]
        event = item.event
        for _, other in active:
            if _shared_slot(event, other.event):
                continue
            _, n, p = item.entries["room"]
            reader.warn(
                n,
                p,
                f"overlaps abstract {other.event.label} (line {other.event.line}) "
                f"in room {event.room} on {event.date} "
                f"({max(starts, other.event.starts_at or starts):%H:%M}-"
                f"{min(ends, other.event.ends_at or ends):%H:%M})",
                "overlap",
            )
            break
        active.append((ends, item))


def _poster(event: Event) -> bool:
    kind = event.type.casefold()
    return "poster" in kind and "discussion" not in kind


def _shared_slot(a: Event, b: Event) -> bool:
    """Two events that may share a room and a time: one session's abstracts, posters."""
    if a.session and a.session.casefold() == (b.session or "").casefold():
        return True
    if a.board and b.board:
        return a.board != b.board
    return _poster(a) and _poster(b)
