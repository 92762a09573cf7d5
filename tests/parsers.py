"""Read .ics bytes with independent parsers and reduce each event to plain data.

Every parser gives a list of :class:`Parsed` events (UID, UTC instants, text,
alarms), so tests can check that all of them agree with what we meant:

* ``icalendar`` (the library that wrote the file),
* ``ical`` (allenporter/ical, strict, pydantic-validated),
* ``vobject`` (dateutil-based), made to use the VTIMEZONEs in the file rather
  than its own zone lookup,
* Mozilla's ``ical.js`` (Thunderbird's parser), run with node, using the
  VTIMEZONEs in the file.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream

JS_DIR = Path(__file__).parent / "js"


@dataclass(frozen=True)
class Parsed:
    uid: str
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    summary: str
    location: str | None
    description: str
    sequence: int
    alarms: tuple[tuple[str, int, str], ...]  # (action, trigger seconds, description)
    all_day: bool = False  # a date, not a time (start and end: midnight UTC of the dates)


def _utc(value: dt.datetime | dt.date) -> dt.datetime:
    """An instant in UTC; an all-day event's date as midnight UTC of that date (see
    ``Parsed.all_day``)."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), dt.UTC)
    assert value.tzinfo is not None, f"floating time {value}"
    return value.astimezone(dt.UTC)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def with_icalendar(data: bytes) -> list[Parsed]:
    cal = icalendar.Calendar.from_ical(data)
    out = []
    for ev in cal.walk("VEVENT"):
        alarms = tuple(
            (str(a["ACTION"]), int(a.decoded("TRIGGER").total_seconds()), str(a["DESCRIPTION"]))
            for a in ev.walk("VALARM")
        )
        out.append(
            Parsed(
                uid=str(ev["UID"]),
                start=_utc(ev.decoded("DTSTART")),
                end=_utc(ev.decoded("DTEND")),
                summary=str(ev["SUMMARY"]),
                location=str(ev["LOCATION"]) if "LOCATION" in ev else None,
                description=str(ev["DESCRIPTION"]),
                sequence=int(str(ev["SEQUENCE"])),
                alarms=alarms,
                all_day=_is_date(ev.decoded("DTSTART")),
            )
        )
    return out


def with_ical(data: bytes) -> list[Parsed]:
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    out = []
    for ev in cal.events:
        alarms = tuple(
            (str(a.action), int(a.trigger.total_seconds()), str(a.description))  # type: ignore[union-attr]
            for a in ev.alarm
        )
        out.append(
            Parsed(
                uid=str(ev.uid),
                start=_utc(ev.dtstart),  # type: ignore[arg-type]
                end=_utc(ev.end),
                summary=str(ev.summary),
                location=ev.location,
                description=str(ev.description),
                sequence=int(ev.sequence or 0),
                alarms=alarms,
                all_day=_is_date(ev.dtstart),
            )
        )
    return out


def _forget_vobject_zones() -> None:
    """vobject keeps a process-wide TZID -> tzinfo map where the first zone seen wins
    (and IANA names fall back to pytz).  Clear it so each file is read with its own
    VTIMEZONE, as a calendar app reading that one file would."""
    registry: dict[str, Any] = vars(vobject.icalendar)["__tzidMap"]
    utc = registry.get("UTC")
    registry.clear()
    if utc is not None:
        registry["UTC"] = utc


def with_vobject(data: bytes) -> list[Parsed]:
    """vobject, with each TZID read from the file's own VTIMEZONE (through dateutil)."""
    text = data.decode("utf-8")
    _forget_vobject_zones()
    for vtz in vobject.readOne(text).contents.get("vtimezone", []):
        vobject.icalendar.registerTzid(vtz.tzid.value, vtz.gettzinfo())
    cal = vobject.readOne(text)
    out = []
    for ev in cal.contents.get("vevent", []):
        alarms = tuple(
            (
                a.action.value,
                int(a.trigger.value.total_seconds()),
                a.description.value,
            )
            for a in ev.contents.get("valarm", [])
        )
        out.append(
            Parsed(
                uid=ev.uid.value,
                start=_utc(ev.dtstart.value),
                end=_utc(ev.dtend.value),
                summary=ev.summary.value,
                location=ev.location.value if "location" in ev.contents else None,
                description=ev.description.value,
                sequence=int(ev.sequence.value),
                alarms=alarms,
                all_day=_is_date(ev.dtstart.value),
            )
        )
    return out


def icaljs_available() -> str | None:
    """Why ical.js cannot run here, or None if it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed (run: npm ci --prefix tests/js)"
    return None


def with_icaljs(*files: bytes | Path) -> list[Parsed]:
    """Parse with Mozilla's ical.js through node (one process for all files)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, item in enumerate(files):
            if isinstance(item, Path):
                paths.append(str(item))
            else:
                p = Path(tmp) / f"{i}.ics"
                p.write_bytes(item)
                paths.append(str(p))
        result = subprocess.run(
            ["node", str(JS_DIR / "check.mjs"), *paths],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    floating = [r["uid"] for r in rows if r["floating"] and not r["allDay"]]
    assert not floating, f"ical.js read floating (zone-less) times for {floating}"
    return [
        Parsed(
            uid=r["uid"],
            start=dt.datetime.fromtimestamp(r["start"], dt.UTC),
            end=dt.datetime.fromtimestamp(r["end"], dt.UTC),
            summary=r["summary"],
            location=r["location"],
            description=r["description"],
            sequence=r["sequence"],
            alarms=tuple((a[0], a[1], a[2]) for a in r["alarms"]),
            all_day=r["allDay"],
        )
        for r in rows
    ]


PYTHON_PARSERS = {"icalendar": with_icalendar, "ical": with_ical, "vobject": with_vobject}
