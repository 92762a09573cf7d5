"""The sessions as plain JSON or CSV (``export --format json|csv``), for documents and scripts.

Every session is listed, scheduled or not (those without a time have empty
times), in calendar order, with local and UTC times.  ``export --format csv``
writes columns that ``asco-cal import`` reads back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from asco_cal import wording
from asco_cal.model import Event, Program

CSV_COLUMNS = (
    "Abstract", "Part", "Title", "Type", "Compound", "Date", "Start", "End", "Time zone",
    "Start (UTC)", "End (UTC)", "Room", "Board", "Presenters", "Status", "Description", "URL",
    "UID",
)  # fmt: skip


def _utc(when: dt.datetime | None) -> str | None:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def rows(program: Program, events: Iterable[Event]) -> list[dict[str, Any]]:
    out = []
    for e in wording.in_order(events):
        starts, ends = e.starts_at, e.ends_at
        out.append({
            "abstract": e.abstract,
            "part": e.part,
            "title": e.title,
            "type": e.type,
            "compound": e.compound,
            "date": e.date.isoformat() if e.date else None,
            "start": e.start.strftime("%H:%M") if e.start else None,
            "end": e.end.strftime("%H:%M") if e.end else None,
            "timezone": e.timezone,
            "start_utc": _utc(starts),
            "end_utc": _utc(ends),
            "room": e.room,
            "board": e.board,
            "presenters": list(e.presenters),
            "status": e.status,
            "description": e.description,
            "url": e.url,
            "reminders_minutes": list(e.reminders),
            "uid": e.uid(program.conference),
        })  # fmt: skip
    return out


def to_json(program: Program, events: Iterable[Event]) -> bytes:
    conf = program.conference
    doc = {
        "calendar": program.calendar.name,
        "conference": conf.name,
        "venue": conf.venue,
        "address": conf.address,
        "timezone": conf.timezone or None,
        "sessions": rows(program, events),
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_csv(program: Program, events: Iterable[Event]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the accents), CRLF line ends, every field quoted
    where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows(program, events):
        writer.writerow([
            r["abstract"], r["part"] or "", r["title"], r["type"], r["compound"] or "",
            r["date"] or "", r["start"] or "", r["end"] or "", r["timezone"],
            r["start_utc"] or "", r["end_utc"] or "", r["room"] or "", r["board"] or "",
            "; ".join(r["presenters"]), r["status"], r["description"] or "", r["url"] or "",
            r["uid"],
        ])  # fmt: skip
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
