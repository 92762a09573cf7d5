"""Checks that look at more than one value: a session's times, and the sessions together.

* a session's times: ``time`` or ``start`` and ``end`` (not both, not one
  alone), an end after the start, local times that daylight saving skips
  (errors) or repeats (warnings);
* the sessions together: the same abstract and part twice, dates outside the
  conference, two sessions in one room at once (warnings).

They report through the reader, so each problem names the place in the input.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asco_cal.model import PART, TIME, Conference, Event
from asco_cal.tree import Node, blank
from asco_cal.tzrules import localize, wall_clock

if TYPE_CHECKING:
    from asco_cal.reader import Entries, Reader

TIME_KEYS = ("start", "end", "time")
_START, _END = (next(f for f in PART if f.name == name) for name in ("start", "end"))


@dataclass(frozen=True)
class Found:
    """An event with the input it came from, for checks across sessions."""

    event: Event
    node: Node
    path: str
    entries: Entries


def times(
    reader: Reader, entries: Entries, path: str
) -> tuple[dt.time | None, dt.time | None] | None:
    """(start, end), both None when not announced; None after an error."""
    if "time" in entries:
        node = entries["time"][1]
        clash = [k for k in ("start", "end") if k in entries]
        for key in clash:
            reader.error(
                entries[key][0], entries[key][2], "give either time or start and end, not both"
            )
        if blank(node):
            return None if clash else (None, None)
        value = reader.value(TIME, entries)
        return None if not isinstance(value, tuple) or clash else value
    start, end = (reader.value(field, entries) for field in (_START, _END))
    if not (start is None or isinstance(start, dt.time)) or not (
        end is None or isinstance(end, dt.time)
    ):
        return None  # reported
    if (start is None) != (end is None):
        have, missing = ("start", "end") if start is not None else ("end", "start")
        reader.error(
            entries[have][1],
            f"{path}.{missing}",
            f"missing (the {have} time is given, the {missing} is not)",
        )
        return None
    return start, end


def check_times(reader: Reader, found: Found) -> None:
    event, entries = found.event, found.entries
    if not event.scheduled:
        if event.date is None and event.start is not None:
            what = "has no date yet"
        else:
            what = "has no time yet" if event.date else "has no date or time yet"
        reader.warn(
            found.node,
            found.path,
            f"abstract {event.label} {what}; listed, not exported to calendars",
            "unscheduled",
        )
        return
    assert event.date and event.start and event.end
    end_key = "time" if "time" in entries else "end"
    if event.end <= event.start and event.end != dt.time(0, 0):
        if event.end == event.start:
            message = f"ends when it starts ({event.end:%H:%M})"
        else:
            message = f"ends before it starts ({event.end:%H:%M} < {event.start:%H:%M})"
        _, n, p = entries[end_key]
        reader.error(n, p, message)
        return
    for which, value in (("start", event.start), ("end", event.end)):
        _, n, p = entries["time" if "time" in entries else which]
        day = event.date
        if which == "end" and event.end <= event.start:
            day += dt.timedelta(days=1)  # ends at midnight
        wall = dt.datetime.combine(day, value)
        kind = wall_clock(wall, event.timezone)
        if kind == "gap":
            reader.error(
                n,
                p,
                f"{value:%H:%M} on {day} does not exist in {event.timezone} "
                "(the clocks skip it when daylight saving time starts)",
            )
        elif kind == "twice":
            first = localize(wall, event.timezone)
            reader.warn(
                n,
                p,
                f"{value:%H:%M} on {day} happens twice in {event.timezone} "
                f"(daylight saving time ends); calendars use the first ({first:%Z})",
                "repeated-hour",
            )


def check_events(reader: Reader, found: list[Found], conference: Conference) -> None:
    seen: dict[str, Found] = {}
    by_room: dict[str, list[Found]] = defaultdict(list)
    lo, hi = conference.start, conference.end
    for item in found:
        event = item.event
        if event.key in seen:
            first = seen[event.key].event
            what = f"abstract {event.abstract}" + (f" part {event.part}" if event.part else "")
            if first.abstract != event.abstract:
                what += f" (same file name as abstract {first.abstract})"
            where = item.entries["abstract"]
            reader.error(where[1], where[2], f"duplicate: {what} is already on line {first.line}")
        else:
            seen[event.key] = item
        if (
            event.date
            and "date" in item.entries
            and ((lo and event.date < lo) or (hi and event.date > hi))
        ):
            _, n, p = item.entries["date"]
            reader.error(
                n,
                p,
                f"{event.date} is outside the conference dates ({lo or '...'} to {hi or '...'})",
            )
        if event.scheduled and event.status != "cancelled" and event.room:
            by_room[" ".join(event.room.casefold().split())].append(item)
    for items in by_room.values():
        if len(items) > 1:
            check_room(reader, items)


def check_room(reader: Reader, items: list[Found]) -> None:
    """Warn when two sessions share a room at overlapping times.

    Posters on different boards share a hall legitimately, so only sessions
    without a board, or on the same board, count.
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
            if event.board and other.event.board and event.board != other.event.board:
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
