"""The sessions as plain JSON or CSV (``export --format json|csv``), for documents and scripts.

Every session is listed, scheduled or not (those without a time have empty
times), in calendar order, with local and UTC times.  ``export --format csv``
writes columns that ``asco-cal import`` reads back.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from asco_cal import wording
from asco_cal.model import SESSION, Conference, Event, Program
from asco_cal.values import format_minutes

# Every input field of an event, in the field table's order (so a new field is listed
# too), then what is derived from them.  JSON keys are the field names; CSV headers
# are names `asco-cal import` reads back.
_ATTRIBUTES = {f.name for f in dataclasses.fields(Event)}
FIELDS = tuple(f for f in SESSION if f.target in _ATTRIBUTES)  # not parts, time, duration
_JSON_KEY = {"reminders": "reminders_minutes"}
_HEADER = {"url": "URL", "timezone": "Time zone"}
DERIVED = ("part", "meeting_day", "all_day", "start_utc", "end_utc", "uid")
CSV_COLUMNS = (
    *(_HEADER.get(f.name, f.name.capitalize()) for f in FIELDS),
    "Part", "Meeting day", "All day", "Start (UTC)", "End (UTC)", "UID",
)  # fmt: skip


def _utc(when: dt.datetime | None) -> str | None:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def _plain(value: object) -> object:
    """A model value as JSON holds it: dates ISO, times HH:MM, tuples lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return list(value)
    return value


def rows(program: Program, events: Iterable[Event]) -> list[dict[str, Any]]:
    out = []
    for e in wording.in_order(events):
        row = {_JSON_KEY.get(f.name, f.name): _plain(getattr(e, f.target)) for f in FIELDS}
        row.update(
            part=e.part,
            meeting_day=_plain(e.day),
            all_day=e.all_day,
            start_utc=_utc(e.starts_at),
            end_utc=_utc(e.ends_at),
            uid=e.uid(),
        )
        if program.folder:
            row["meeting"] = e.meeting.slug
        out.append(row)
    return out


def _meeting(conf: Conference) -> dict[str, object]:
    return {"conference": conf.name, "venue": conf.venue, "address": conf.address,
            "timezone": conf.timezone or None}  # fmt: skip


def to_json(program: Program, events: Iterable[Event]) -> bytes:
    """The calendar, its meeting (``meetings``, each with its ``id``, for several) and
    every session."""
    doc: dict[str, object] = {"calendar": program.calendar.name}
    if program.folder:
        doc["meetings"] = [
            {
                "id": m.slug,
                **_meeting(m),
                "city": m.city,
                "start": _plain(m.start),
                "end": _plain(m.end),
            }
            for m in program.meetings
        ]
    else:
        doc.update(_meeting(program.conference))
    doc["sessions"] = rows(program, events)
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(name: str, value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if name == "reminders_minutes":
        return "; ".join(format_minutes(m) for m in value)  # type: ignore[attr-defined]
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def to_csv(program: Program, events: Iterable[Event]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the accents), CRLF line ends, every field quoted
    where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*CSV_COLUMNS, "Meeting") if program.folder else CSV_COLUMNS)
    for r in rows(program, events):
        writer.writerow([_cell(k, v) for k, v in r.items()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
