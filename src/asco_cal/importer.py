"""A spreadsheet (CSV) -> a commented sessions.yaml.

Header names are matched case- and space-insensitively, with the synonyms
people use ("Abstract #", "Session Title", "Start Time"...); ``--map`` names
the rest.  UTF-8 (with or without a BOM) and Windows-1252, comma, semicolon
or tab separated.  Every cell is checked with the loader's own parsers, and
every problem is reported as ``FILE.csv:ROW: column "Start": message``.
Rows with the same abstract become its parts, in row order, so an imported
file exports to the same events (and UIDs) as a hand-written one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.loader import load_text
from asco_cal.model import SESSION
from asco_cal.values import (
    parse_date,
    parse_duration_minutes,
    parse_time,
    parse_time_range,
    resolve_timezone,
)

IGNORE = "-"  # --map "Notes=-": skip a column

SYNONYMS: dict[str, tuple[str, ...]] = {
    "abstract": ("abstract", "abstract #", "abstract no", "abstract no.", "abstract number",
                 "abstract id", "abs", "abs #", "abstract nr", "number", "no", "#", "id"),
    "title": ("title", "session title", "abstract title", "presentation title", "name"),
    "type": ("type", "session type", "presentation type", "format", "category", "kind"),
    "compound": ("compound", "drug", "product", "asset", "molecule"),
    "date": ("date", "session date", "day", "presentation date"),
    "start": ("start", "start time", "begins", "from", "time start", "starts"),
    "end": ("end", "end time", "ends", "to", "until", "time end", "finish"),
    "time": ("time", "session time", "times", "time slot", "slot"),
    "room": ("room", "location", "hall", "venue room", "session room"),
    "board": ("board", "poster board", "board #", "poster #", "board number", "poster board #"),
    "presenters": ("presenters", "presenter", "speaker", "speakers", "author", "authors",
                   "presenting author", "presenting authors"),
    "description": ("description", "notes", "summary", "details", "abstract text"),
    "url": ("url", "link", "web", "website", "web page"),
    "status": ("status",),
    "timezone": ("timezone", "time zone", "tz", "zone"),
    "reminders": ("reminders", "reminder", "alarm", "alarms"),
    "part": ("part",),  # written by `export --format csv`: the row order already says it
}  # fmt: skip
SHARED = ("abstract", "title", "compound")  # the same for every part of an abstract
FIELD_ORDER = [f.name for f in SESSION if f.name != "parts"]


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().strip(":").lower())


_LOOKUP = {_norm(s): name for name, synonyms in SYNONYMS.items() for s in synonyms}


@dataclass
class Imported:
    yaml: str
    sessions: int
    rows: int
    ignored: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252: what Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``["Talk=title", "Notes=-"]`` -> ``{"talk": "title", "notes": "-"}``."""
    out = {}
    known = set(SYNONYMS) - {"part"}
    for item in items:
        column, sep, target = item.partition("=")
        target = target.strip().lower()
        if not sep or not column.strip() or (target not in known and target != IGNORE):
            raise AscoCalError(
                f"--map {item!r}: write COLUMN=FIELD, with FIELD one of "
                f"{', '.join(sorted(known))}, or - to skip the column"
            )
        out[_norm(column)] = target
    return out


def _yaml_str(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def import_csv(
    data: bytes,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    calendar_name: str,
    conference: str | None = None,
    conference_id: str | None = None,
    timezone: str | None = None,
) -> Imported:
    """The sessions.yaml text for a CSV file; raises :class:`InvalidInput` listing every problem."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    rows = list(reader)
    problems: list[AscoCalError] = []

    def problem(row: int, column: str | None, message: str) -> None:
        where = f'column "{column}"' if column else ""
        problems.append(AscoCalError(message, location=Location(filename, row), field=where))

    if not rows or not any(cell.strip() for cell in rows[0]):
        problem(1, None, "no header row (the first row must name the columns)")
        raise InvalidInput(problems)
    overrides = dict(mapping or {})
    columns: list[tuple[int, str, str]] = []  # (index, header as written, field)
    ignored = []
    seen: dict[str, str] = {}
    for index, header in enumerate(rows[0]):
        key = _norm(header)
        if not key:
            continue
        target = overrides.pop(key, None) or _LOOKUP.get(key)
        if target is None:
            ignored.append(header.strip())
            continue
        if target == IGNORE:
            continue
        if target in seen:
            problem(1, header.strip(), f'is {target} too (so is column "{seen[target]}"); '
                    f'skip one with --map "{header.strip()}=-"')  # fmt: skip
            continue
        seen[target] = header.strip()
        columns.append((index, header.strip(), target))
    for key in overrides:
        problem(1, None, f"--map names a column the file does not have: {key!r}")
    for required in ("abstract", "title"):
        if required not in seen:
            problem(1, None, f"no {required} column (map one with --map 'COLUMN={required}')")
    zone = None
    if timezone:
        try:
            zone = resolve_timezone(timezone)
        except ValueError as exc:
            raise AscoCalError(f"--timezone: {exc}") from None
    elif "timezone" not in seen:
        problem(1, None, "no timezone column: give --timezone, e.g. --timezone CT")
    if problems:
        raise InvalidInput(problems)

    def reminders(value: str) -> list[int]:
        return [parse_duration_minutes(x) for x in _reminder_cells(value)]

    checks: dict[str, Callable[[str], object]] = {
        "date": parse_date,
        "start": parse_time,
        "end": parse_time,
        "time": parse_time_range,
        "timezone": resolve_timezone,
        "reminders": reminders,
    }
    abstracts: dict[str, list[dict[str, str]]] = {}
    first_row: dict[str, int] = {}
    count = 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        record: dict[str, str] = {}
        for index, header, target in columns:
            value = row[index].strip() if index < len(row) else ""
            if not value:
                continue
            check = checks.get(target)
            if check is not None:
                try:
                    check(value)
                except ValueError as exc:
                    problem(number, header, str(exc))
            record[target] = value
        if "abstract" not in record:
            problem(number, seen["abstract"], "empty (every row needs its abstract number)")
            continue
        if "title" not in record and record["abstract"] not in abstracts:
            problem(number, seen["title"], "empty (the abstract's title)")
        abstracts.setdefault(record["abstract"], []).append(record)
        first_row.setdefault(record["abstract"], number)
    for abstract, parts in abstracts.items():
        for key in SHARED:
            values = {p[key] for p in parts if key in p}
            if len(values) > 1:
                problem(first_row[abstract], seen.get(key), f"abstract {abstract} has "
                        f"{len(values)} different values in its rows; give it once")  # fmt: skip
    if problems:
        raise InvalidInput(problems)
    records = [r for parts in abstracts.values() for r in parts]
    zones = {r.get("timezone") for r in records}
    if zone is None and len(zones) == 1 and None not in zones:
        zone = resolve_timezone(zones.pop() or "")  # one zone for all: the conference's
    for record in records:  # defaults need not be repeated on every row
        if record.get("status", "").lower() == "confirmed":
            del record["status"]
        if (
            zone is not None
            and "timezone" in record
            and resolve_timezone(record["timezone"]) == zone
        ):
            del record["timezone"]

    lines = [
        "# yaml-language-server: $schema=sessions.schema.json",
        f"# sessions.yaml: imported by asco-cal from {filename}.",
        "# Check it with `asco-cal validate`, then export or serve it.",
        "",
        "calendar:",
        f"  name: {_yaml_str(calendar_name)}",
        "",
        "conference:",
    ]
    if conference:
        lines.append(f"  name: {_yaml_str(conference)}")
    if conference_id:
        lines.append(f"  id: {_yaml_str(conference_id)}  # UIDs come from this: never change it")
    if zone:
        lines.append(f"  timezone: {_yaml_str(zone)}")
    if not (conference or conference_id or zone):
        lines[-1] = "conference: {}"
    lines += ["", "sessions:"]
    for abstract, parts in abstracts.items():
        shared = {k: next((p[k] for p in parts if k in p), None) for k in SHARED}
        lines.append(f"  - abstract: {_yaml_str(abstract)}")
        for key in ("title", "compound"):
            if shared[key]:
                lines.append(f"    {key}: {_yaml_str(shared[key] or '')}")
        own = [{k: v for k, v in p.items() if k not in SHARED and k != "part"} for p in parts]
        if len(parts) == 1:
            lines += _fields(own[0], "    ")
        else:
            lines.append("    parts:")
            for part in own:
                body = _fields(part, "        ")
                lines += ["      - " + body[0].lstrip(), *body[1:]] if body else ["      - {}"]
    return Imported("\n".join(lines) + "\n", len(abstracts), count, ignored)


def _reminder_cells(value: str) -> list[str]:
    """``"15m; 1h"`` or ``"15m, 1h"`` -> ``["15m", "1h"]``."""
    return [x.strip() for x in re.split(r"[;,]", value) if x.strip()]


def _fields(record: Mapping[str, str], indent: str) -> list[str]:
    out = []
    for key in FIELD_ORDER:
        if key not in record or key in SHARED:
            continue
        value = record[key]
        if key == "presenters":
            names = [n.strip() for n in value.split(";") if n.strip()]
            out.append(f"{indent}{key}: [{', '.join(_yaml_str(n) for n in names)}]")
        elif key == "reminders":
            items = _reminder_cells(value)
            out.append(f"{indent}{key}: [{', '.join(_yaml_str(x) for x in items)}]")
        else:
            out.append(f"{indent}{key}: {_yaml_str(value)}")
    return out


def check(imported: Imported, filename: str) -> None:
    """The imported text must load: a last guard against an importer bug."""
    load_text(imported.yaml, filename)
