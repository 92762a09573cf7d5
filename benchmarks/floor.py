"""The practical floor: PyYAML's C loader plus a minimal hand-written RFC 5545 writer.

    python benchmarks/floor.py SESSIONS.yaml OUT.ics [--gc-on] [--parse-only]

What any tool must at least do for a sessions file: parse the YAML (libyaml,
constructing Python objects) and write one VEVENT per session with its UID,
times, summary, location, description and two alarms, escaped and folded.  It
validates nothing, reports nothing and handles no time zone rules: it is the
yardstick `benchmarks/run.py` measures asco-cal against.  By default the
garbage collector is off (as the issue's floor figures are).
"""

from __future__ import annotations

import gc
import sys


def _text(value: object) -> str:
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> bytes:
    data = line.encode("utf-8")
    if len(data) <= 74:
        return data
    parts, pos = [], 0
    while len(data) - pos > 74:
        cut = pos + 74
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        parts.append(data[pos:cut])
        pos = cut
    parts.append(data[pos:])
    return b"\r\n ".join(parts)


def _hhmm(value: str) -> str:
    hour, _, minute = value.strip().partition(":")
    return f"{int(hour):02d}{int(minute or 0):02d}00"


def main(argv: list[str]) -> None:
    if "--gc-on" not in argv:
        gc.disable()
    import yaml

    with open(argv[0], encoding="utf-8") as fh:
        doc = yaml.load(fh, Loader=yaml.CSafeLoader)
    if "--parse-only" in argv:
        return
    zone = doc["conference"]["timezone"]
    venue = doc["conference"].get("venue", "")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//floor//EN"]
    for session in doc["sessions"]:
        parts = session.get("parts") or [session]
        for i, part in enumerate(parts):
            s = {**session, **part}
            day = str(s["date"]).replace("-", "")
            start, _, end = str(s["time"]).partition("-")
            summary = f"{s.get('compound', '')} {s['type']} - Abstract {s['abstract']}"
            lines += [
                "BEGIN:VEVENT",
                f"UID:{s['abstract']}-{i}@floor",
                "DTSTAMP:20110526T120000Z",
                f"DTSTART;TZID={zone}:{day}T{_hhmm(start)}",
                f"DTEND;TZID={zone}:{day}T{_hhmm(end)}",
                f"SUMMARY:{_text(summary)}",
                f"LOCATION:{_text(s.get('room', ''))}\\, {_text(venue)}",
                f"DESCRIPTION:{_text(s['title'])}\\n\\n{_text(s.get('description', ''))}",
            ]
            for reminder in s.get("reminders") or []:
                lines += [
                    "BEGIN:VALARM",
                    "ACTION:DISPLAY",
                    f"DESCRIPTION:{_text(summary)}",
                    f"TRIGGER:-PT{str(reminder).upper()}",
                    "END:VALARM",
                ]
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    with open(argv[1], "wb") as out:
        out.write(b"\r\n".join(_fold(line) for line in lines) + b"\r\n")


if __name__ == "__main__":
    main(sys.argv[1:])
