"""sessions.yaml text -> validated :class:`~asco_cal.model.Program`.

The YAML is *composed* (parsed to nodes with line and column) but never
*constructed* by PyYAML, so YAML 1.1's surprises never happen: ``8:00`` stays
"8:00" (not 480), ``0123`` stays "0123" (not 83) and ``NO`` stays "NO" (not
false).  Each field is read from its raw text by the parsers in
:mod:`asco_cal.values`.

Every problem is collected with its file, line, column and field path, and
reported together (errors and warnings), like khal's config checking.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from asco_cal import fields
from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.model import (
    STATUSES,
    CalendarMeta,
    Conference,
    Event,
    Program,
    Status,
)
from asco_cal.tzrules import localize, wall_clock
from asco_cal.values import (
    clean_text,
    format_minutes,
    parse_date,
    parse_duration_minutes,
    parse_time,
    parse_time_range,
    resolve_timezone,
    shown,
)

T = TypeVar("T")

TOP_KEYS = fields.names(fields.TOP)
CALENDAR_KEYS = fields.names(fields.CALENDAR)
CONFERENCE_KEYS = fields.names(fields.CONFERENCE)
PART_KEYS = fields.names(fields.PART)
SESSION_KEYS = fields.names(fields.SESSION)
_NULLS = ("", "~", "null", "Null", "NULL")
# libyaml's parser (C) when PyYAML has it: 5-10x faster, same events and marks.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Deeper nesting is never a sessions file (it needs 4 levels), and unbounded
# nesting would overflow the C stack of libyaml's recursive composer.
MAX_DEPTH = 64
# Bigger files are refused before they are read (see load_file); raise it with
# --max-size.  ASCO's ~6,000 abstracts take about 2 MB.
MAX_BYTES = 16 * 1024 * 1024
# Text fields longer than this are mistakes (a pasted document), not titles.
MAX_TEXT, MAX_LONG_TEXT = 20_000, 200_000
MAX_REMINDERS = 5


class Node:
    """A YAML node and where it starts (0-based line and column).

    Lighter than PyYAML's nodes (no tag, no end mark, no mark objects): a big
    file's nodes take about a third of the memory.
    """

    __slots__ = ("column", "line", "value")

    def __init__(self, value: object, line: int, column: int) -> None:
        self.value = value
        self.line = line
        self.column = column


class ScalarNode(Node):
    __slots__ = ("plain",)
    value: str

    def __init__(self, value: str, line: int, column: int, plain: bool) -> None:
        self.value = value  # (no super() call: this runs once per value of a big file)
        self.line = line
        self.column = column
        self.plain = plain  # unquoted: ``~`` and ``null`` mean "no value"


class SequenceNode(Node):
    __slots__ = ()
    value: list[Node]


class MappingNode(Node):
    __slots__ = ()
    value: list[tuple[Node, Node]]


@dataclass(frozen=True)
class Loaded:
    """A valid program and the warnings found while reading it."""

    program: Program
    warnings: tuple[AscoCalError, ...]


def load_file(
    path: str | os.PathLike[str], *, name: str | None = None, max_bytes: int | None = None
) -> Loaded:
    """Read and validate a sessions file; raise :class:`InvalidInput` on errors.

    Messages name the file as ``name`` (default: the path as given).  Files over
    ``max_bytes`` (default: :func:`max_file_bytes`) are refused before they are
    read, so a stray 2 GB file cannot exhaust memory.
    """
    p = Path(path)
    name = str(path) if name is None else name
    limit = max_file_bytes() if max_bytes is None else max_bytes
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise AscoCalError("file not found", location=Location(name)) from None
    except IsADirectoryError:
        raise AscoCalError("is a folder, not a file", location=Location(name)) from None
    except OSError as exc:
        raise AscoCalError(f"cannot read: {exc.strerror}", location=Location(name)) from None
    if len(data) > limit:
        raise AscoCalError(
            f"larger than {_megabytes(limit)}, the most asco-cal reads "
            f"(set {SIZE_VARIABLE}=200MB, say, if this really is a sessions file)",
            location=Location(name),
        )
    return load_bytes(data, name)


def load_bytes(data: bytes, name: str = "sessions.yaml") -> Loaded:
    """Validate the bytes of a sessions file (UTF-8, with or without a BOM)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AscoCalError(
            "saved as UTF-16 text; save it as UTF-8 instead", location=Location(name, 1, 1)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        raise AscoCalError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02X} (save the file as UTF-8)",
            location=Location(name, line, column),
        ) from None
    return load_text(text, name)


SIZE_VARIABLE = "ASCO_CAL_MAX_SIZE"


def max_file_bytes() -> int:
    """:data:`MAX_BYTES`, or ``$ASCO_CAL_MAX_SIZE`` (``200MB``, ``1GB``, bytes)."""
    raw = os.environ.get(SIZE_VARIABLE, "").strip()
    if not raw:
        return MAX_BYTES
    units = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
    number = raw.upper().rstrip("BKMG ")
    unit = raw.upper()[len(number) :].strip()
    try:
        return int(float(number) * units[unit])
    except (ValueError, KeyError):
        raise AscoCalError(f"{SIZE_VARIABLE}={raw!r} is not a size; write it like 200MB") from None


def _megabytes(n: int) -> str:
    return f"{n / 1024**2:g} MB"


def load_text(text: str, filename: str = "sessions.yaml") -> Loaded:
    """Validate YAML text; raise :class:`InvalidInput` listing every error."""
    reader = _Reader(filename)
    program = reader.read(text)
    if program is None or any(p.is_error for p in reader.problems):
        raise InvalidInput(reader.problems)
    warnings = sorted(reader.problems, key=AscoCalError.sort_key)
    return Loaded(program, tuple(warnings))


# A mapping's entries: key -> (key node, value node, field path).
Entries = dict[str, tuple[Node, Node, str]]


class _Reader:
    def __init__(self, filename: str) -> None:
        self.file = filename
        self.problems: list[AscoCalError] = []
        self.zone_given = False  # conference.timezone present (even if invalid)

    # -- reporting -------------------------------------------------------------

    def _loc(self, node: Node | None) -> Location:
        if node is None:
            return Location(self.file)
        return Location(self.file, node.line + 1, node.column + 1)

    def error(self, node: Node | None, field: str, message: str) -> None:
        self.problems.append(AscoCalError(message, location=self._loc(node), field=field))

    def warn(self, node: Node | None, field: str, message: str) -> None:
        self.problems.append(
            AscoCalError(message, location=self._loc(node), field=field, severity="warning")
        )

    # -- generic readers -------------------------------------------------------

    def mapping(self, node: Node, path: str, allowed: tuple[str, ...]) -> Entries | None:
        if not isinstance(node, MappingNode):
            self.error(node, path, f"expected a mapping of keys, got {_kind(node)}")
            return None
        entries: Entries = {}
        for key_node, value_node in _merged_pairs(node):
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "keys must be plain words")
                continue
            key = key_node.value
            sub = f"{path}.{key}" if path else key
            if key in entries:
                first = entries[key][0].line + 1
                self.error(key_node, sub, f"appears twice (first on line {first})")
                continue
            if key not in allowed:
                self.warn(key_node, sub, f"unknown key, ignored{_did_you_mean(key, allowed)}")
                continue
            entries[key] = (key_node, value_node, sub)
        return entries

    def scalar(self, node: Node, path: str, what: str = "text") -> str | None:
        """The raw text of a scalar; None for an empty value."""
        if not isinstance(node, ScalarNode):
            self.error(node, path, f"expected {what}, got {_kind(node)}")
            return None
        return None if _blank(node) else str(node.value)

    def text(self, node: Node, path: str, *, multiline: bool = False) -> str | None:
        raw = self.scalar(node, path)
        if raw is None:
            return None
        limit = MAX_LONG_TEXT if multiline else MAX_TEXT
        if len(raw) > limit:
            self.error(node, path, f"too long: {len(raw):,} characters (at most {limit:,})")
            return None
        return clean_text(raw, multiline=multiline) or None

    def parsed(self, node: Node, path: str, parse: Callable[[str], T], what: str) -> T | None:
        raw = self.scalar(node, path, what)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.error(node, path, str(exc))
            return None

    def url(self, node: Node, path: str) -> str | None:
        value = self.text(node, path)
        if value is not None and not value.lower().startswith(("http://", "https://")):
            self.error(node, path, f"not a web address: {shown(value)} (start it with https://)")
            return None
        return value

    def reminders(self, node: Node, path: str) -> tuple[int, ...] | None:
        """A list of lead times (or one); ``[]`` or an empty value means none."""
        if isinstance(node, SequenceNode):
            items = [(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        elif _blank(node):
            return ()
        else:
            items = [(node, path)]
        if len(items) > MAX_REMINDERS:
            self.error(
                node,
                path,
                f"{len(items)} reminders; give at most {MAX_REMINDERS} "
                "(Google Calendar keeps 5, Outlook shows only the first)",
            )
            return None
        minutes: set[int] = set()
        ok = True
        for item, sub in items:
            value = self.parsed(item, sub, parse_duration_minutes, "a duration such as 15m")
            if value is None:
                if _blank(item):
                    self.error(item, sub, "empty reminder (write it like 15m, or use [] for none)")
                ok = False
            else:
                minutes.add(value)
        return tuple(sorted(minutes, reverse=True)) if ok else None

    def strings(self, node: Node, path: str) -> tuple[str, ...]:
        if isinstance(node, SequenceNode):
            out = (self.text(item, f"{path}[{i}]") for i, item in enumerate(node.value))
            return tuple(s for s in out if s)
        value = self.text(node, path)
        return (value,) if value else ()

    # -- the document ----------------------------------------------------------

    def read(self, text: str) -> Program | None:
        try:
            composed = compose_all(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            loc = (
                Location(self.file, mark.line + 1, mark.column + 1) if mark else Location(self.file)
            )
            problem = exc.problem or exc.context or "cannot read"
            if "maximum nesting depth" in problem:  # libyaml >= 0.2.6's own limit (1,000)
                problem = f"nested more than {MAX_DEPTH} levels deep"
            if mark and "cannot start any token" in problem and _char_at(text, mark.index) == "\t":
                problem = "a tab character; indent with spaces, not tabs"
            self.problems.append(AscoCalError(f"YAML syntax: {problem}", location=loc))
            return None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow
            before = text[: exc.position]
            line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            self.problems.append(
                AscoCalError(
                    f"YAML does not allow the character U+{code:04X} here; remove it",
                    location=Location(self.file, line, column),
                )
            )
            return None
        docs = [d for d in composed if d is not None and not _blank(d)]
        if not docs:
            self.error(None, "", "the file is empty (start from the sample sessions.yaml)")
            return None
        if len(docs) > 1:
            self.error(docs[1], "", "holds several YAML documents (---); keep one")
        root = self.mapping(docs[0], "", TOP_KEYS)
        if root is None:
            return None
        calendar = self.read_calendar(root, docs[0])
        conference = self.read_conference(root)
        reminders: tuple[int, ...] = ()
        if "reminders" in root:
            _, node, path = root["reminders"]
            reminders = self.reminders(node, path) or ()
        events = self.read_sessions(root, docs[0], conference, reminders)
        if calendar is None or conference is None:
            return None
        self.check_events(events, conference)
        return Program(
            calendar=calendar,
            conference=conference,
            events=tuple(f.event for f in events),
            reminders=reminders,
        )

    def read_calendar(self, root: Entries, doc: Node) -> CalendarMeta | None:
        if "calendar" not in root:
            self.error(doc, "calendar", "missing (it needs at least a name)")
            return None
        _, node, path = root["calendar"]
        entries = self.mapping(node, path, CALENDAR_KEYS)
        if entries is None:
            return None
        name = None
        if "name" in entries:
            _, n, p = entries["name"]
            name = self.text(n, p)
        if not name:
            self.error(
                entries["name"][1] if "name" in entries else node,
                f"{path}.name",
                "missing (the name people see in their calendar list)",
            )
            return None
        description = url = None
        refresh = 60
        if "description" in entries:
            _, n, p = entries["description"]
            description = self.text(n, p, multiline=True)
        if "url" in entries:
            _, n, p = entries["url"]
            url = self.url(n, p)
        if "refresh" in entries:
            _, n, p = entries["refresh"]
            value = self.parsed(n, p, _refresh_minutes, "a duration such as 1h")
            if value is not None and value < 15:
                self.error(n, p, "at least 15m, so subscribers do not hammer the server")
            elif value is not None:
                refresh = value
        return CalendarMeta(name=name, description=description, url=url, refresh_minutes=refresh)

    def read_conference(self, root: Entries) -> Conference | None:
        if "conference" not in root:
            return Conference()
        _, node, path = root["conference"]
        entries = self.mapping(node, path, CONFERENCE_KEYS)
        if entries is None:
            return None
        values: dict[str, object] = {}
        for key in ("name", "id", "venue"):
            if key in entries:
                _, n, p = entries[key]
                values[key] = self.text(n, p)
        if "address" in entries:
            _, n, p = entries["address"]
            values["address"] = self.text(n, p)
        if "timezone" in entries:
            _, n, p = entries["timezone"]
            zone = self.parsed(n, p, resolve_timezone, "a time zone name")
            if zone is not None:
                values["timezone"] = zone
        for key in ("start", "end"):
            if key in entries:
                _, n, p = entries[key]
                values[key] = self.parsed(n, p, parse_date, "a date")
        if "geo" in entries:
            _, n, p = entries["geo"]
            values["geo"] = self.geo(n, p)
        start, end = values.get("start"), values.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.error(entries["end"][1], f"{path}.end", f"before the start ({end} < {start})")
        self.zone_given = "timezone" in entries
        return Conference(**values)  # type: ignore[arg-type]

    def geo(self, node: Node, path: str) -> tuple[float, float] | None:
        hint = "write it as [latitude, longitude], e.g. [41.8517, -87.6164]"
        if not isinstance(node, SequenceNode) or len(node.value) != 2:
            self.error(node, path, f"expected two numbers ({hint})")
            return None
        numbers: list[float] = []
        for i, (item, limit) in enumerate(zip(node.value, (90, 180), strict=True)):
            raw = self.scalar(item, f"{path}[{i}]", "a number")
            try:
                value = float(raw) if raw is not None else None
            except ValueError:
                value = None
            if value is None or value != value or abs(value) > limit:
                self.error(item, f"{path}[{i}]", f"not a number from -{limit} to {limit} ({hint})")
                return None
            numbers.append(value)
        return numbers[0], numbers[1]

    def read_sessions(
        self,
        root: Entries,
        doc: Node,
        conference: Conference | None,
        reminders: tuple[int, ...],
    ) -> list[_Found]:
        if "sessions" not in root:
            self.error(doc, "sessions", "missing (list the sessions to put in the calendar)")
            return []
        _, node, path = root["sessions"]
        if not isinstance(node, SequenceNode):
            if not (isinstance(node, ScalarNode) and self.scalar(node, path) is None):
                self.error(node, path, f"expected a list of sessions, got {_kind(node)}")
            return []
        if not node.value:
            self.warn(node, path, "no sessions yet; the calendar will be empty")
        found: list[_Found] = []
        for i, item in enumerate(node.value):
            found.extend(self.read_session(item, f"{path}[{i}]", conference, reminders))
        return found

    def read_session(
        self,
        node: Node,
        path: str,
        conference: Conference | None,
        default_reminders: tuple[int, ...],
    ) -> Iterator[_Found]:
        entries = self.mapping(node, path, SESSION_KEYS)
        if entries is None:
            return
        abstract = self.required(
            entries, node, path, "abstract", 'the abstract number, e.g. "8017"'
        )
        title = self.required(entries, node, path, "title", "the full title of the abstract")
        compound = self.optional_text(entries, "compound")
        shared = {k: v for k, v in entries.items() if k != "parts"}
        if "parts" not in entries:
            yield from self.build_event(
                node, path, shared, abstract, title, compound, None, conference, default_reminders
            )
            return
        _, parts_node, parts_path = entries["parts"]
        if not isinstance(parts_node, SequenceNode) or not parts_node.value:
            self.error(
                parts_node,
                parts_path,
                "expected a list of parts, each with its type, date, times and room",
            )
            return
        for j, part_node in enumerate(parts_node.value):
            part_path = f"{parts_path}[{j}]"
            part_entries = self.mapping(part_node, part_path, PART_KEYS)
            if part_entries is not None:
                yield from self.build_event(
                    part_node,
                    part_path,
                    {**shared, **part_entries},
                    abstract,
                    title,
                    compound,
                    j + 1,
                    conference,
                    default_reminders,
                )

    def required(self, entries: Entries, node: Node, path: str, key: str, what: str) -> str | None:
        value = self.optional_text(entries, key)
        if not value and (key not in entries or isinstance(entries[key][1], ScalarNode)):
            where = entries[key][1] if key in entries else node
            self.error(where, f"{path}.{key}", f"missing ({what})")
        return value

    def optional_text(self, entries: Entries, key: str, *, multiline: bool = False) -> str | None:
        if key not in entries:
            return None
        _, n, p = entries[key]
        return self.text(n, p, multiline=multiline)

    def build_event(
        self,
        node: Node,
        path: str,
        entries: Entries,
        abstract: str | None,
        title: str | None,
        compound: str | None,
        part: int | None,
        conference: Conference | None,
        default_reminders: tuple[int, ...],
    ) -> Iterator[_Found]:
        description = self.optional_text(entries, "description", multiline=True)
        url = self.url(entries["url"][1], entries["url"][2]) if "url" in entries else None
        presenters: tuple[str, ...] = ()
        if "presenters" in entries:
            _, n, p = entries["presenters"]
            presenters = self.strings(n, p)
        reminders = default_reminders
        if "reminders" in entries:
            _, n, p = entries["reminders"]
            reminders = self.reminders(n, p) or ()
        status = self.status(entries)
        zone = conference.timezone if conference else None
        zone_given = self.zone_given
        if "timezone" in entries:
            _, n, p = entries["timezone"]
            zone = self.parsed(n, p, resolve_timezone, "a time zone name")
            zone_given = True
        date = None
        if "date" in entries:
            _, n, p = entries["date"]
            date = self.parsed(n, p, parse_date, "a date")
        times = self.times(entries, path)
        date_failed = "date" in entries and date is None and not _blank(entries["date"][1])
        if not abstract or not title or times is None or date_failed:
            return  # problems are reported; no "not announced" warning on top
        if not zone:
            if not zone_given:
                self.error(
                    node,
                    f"{path}.timezone",
                    "no time zone: set conference.timezone, e.g. America/Chicago",
                )
            return
        kind = self.optional_text(entries, "type")
        if kind is None:
            if "type" not in entries or isinstance(entries["type"][1], ScalarNode):
                self.warn(node, f"{path}.type", "missing; using 'presentation' (e.g. poster, oral)")
            kind = "presentation"
        event = Event(
            abstract=abstract,
            title=title,
            type=kind,
            timezone=zone,
            part=part,
            date=date,
            start=times[0],
            end=times[1],
            room=self.optional_text(entries, "room"),
            board=self.optional_text(entries, "board"),
            compound=compound,
            presenters=presenters,
            description=description,
            url=url,
            reminders=reminders,
            status=status,
            line=node.line + 1,
        )
        found = _Found(event, node, path, entries)
        self.check_times(found)
        yield found

    def status(self, entries: Entries) -> Status:
        if "status" not in entries:
            return "confirmed"
        _, n, p = entries["status"]
        raw = self.text(n, p)
        if raw is None:
            return "confirmed"
        word = raw.lower().replace("canceled", "cancelled")
        for status in STATUSES:
            if word == status:
                return status
        self.error(n, p, f"unknown status {shown(raw)} (use one of: {', '.join(STATUSES)})")
        return "confirmed"

    def times(self, entries: Entries, path: str) -> tuple[dt.time | None, dt.time | None] | None:
        """(start, end), both None when not announced; None after an error."""
        if "time" in entries:
            _, n, p = entries["time"]
            clash = [k for k in ("start", "end") if k in entries]
            for key in clash:
                self.error(
                    entries[key][0], entries[key][2], "give either time or start and end, not both"
                )
            if _blank(n):
                return None if clash else (None, None)
            value = self.parsed(n, p, parse_time_range, "a time range")
            return None if value is None or clash else value
        parsed: dict[str, dt.time | None] = {}
        ok = True
        for key in ("start", "end"):
            parsed[key] = None
            if key in entries:
                _, n, p = entries[key]
                if not _blank(n):
                    parsed[key] = self.parsed(n, p, parse_time, "a time")
                    ok = ok and parsed[key] is not None
        if not ok:
            return None
        start, end = parsed["start"], parsed["end"]
        if (start is None) != (end is None):
            have, missing = ("start", "end") if start is not None else ("end", "start")
            self.error(
                entries[have][1],
                f"{path}.{missing}",
                f"missing (the {have} time is given, the {missing} is not)",
            )
            return None
        return start, end

    # -- checks across fields and sessions -------------------------------------

    def check_times(self, found: _Found) -> None:
        event, entries = found.event, found.entries
        if not event.scheduled:
            if event.date is None and event.start is not None:
                what = "has no date yet"
            else:
                what = "has no time yet" if event.date else "has no date or time yet"
            self.warn(
                found.node,
                found.path,
                f"abstract {event.label} {what}; listed, not exported to calendars",
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
            self.error(n, p, message)
            return
        for which, value in (("start", event.start), ("end", event.end)):
            _, n, p = entries["time" if "time" in entries else which]
            day = event.date
            if which == "end" and event.end <= event.start:
                day += dt.timedelta(days=1)  # ends at midnight
            wall = dt.datetime.combine(day, value)
            kind = wall_clock(wall, event.timezone)
            if kind == "gap":
                self.error(
                    n,
                    p,
                    f"{value:%H:%M} on {day} does not exist in {event.timezone} "
                    "(the clocks skip it when daylight saving time starts)",
                )
            elif kind == "twice":
                first = localize(wall, event.timezone)
                self.warn(
                    n,
                    p,
                    f"{value:%H:%M} on {day} happens twice in {event.timezone} "
                    f"(daylight saving time ends); calendars use the first ({first:%Z})",
                )

    def check_events(self, found: list[_Found], conference: Conference) -> None:
        seen: dict[str, _Found] = {}
        by_room: dict[str, list[_Found]] = defaultdict(list)
        for item in found:
            event = item.event
            if event.key in seen:
                first = seen[event.key].event
                what = f"abstract {event.abstract}" + (f" part {event.part}" if event.part else "")
                if first.abstract != event.abstract:
                    what += f" (same file name as abstract {first.abstract})"
                where = item.entries["abstract"]
                self.error(where[1], where[2], f"duplicate: {what} is already on line {first.line}")
            else:
                seen[event.key] = item
            if event.date and "date" in item.entries:
                lo, hi = conference.start, conference.end
                if (lo and event.date < lo) or (hi and event.date > hi):
                    _, n, p = item.entries["date"]
                    self.error(
                        n,
                        p,
                        f"{event.date} is outside the conference dates "
                        f"({lo or '...'} to {hi or '...'})",
                    )
            if event.scheduled and event.status != "cancelled" and event.room:
                by_room[" ".join(event.room.casefold().split())].append(item)
        for items in by_room.values():
            self.check_room(items)

    def check_room(self, items: list[_Found]) -> None:
        """Warn when two sessions share a room at overlapping times.

        Posters on different boards share a hall legitimately, so only sessions
        without a board, or on the same board, count.
        """
        timed: list[tuple[dt.datetime, dt.datetime, _Found]] = []
        for f in items:
            starts, ends = f.event.starts_at, f.event.ends_at
            if starts is not None and ends is not None:
                timed.append((starts, ends, f))
        timed.sort(key=lambda t: (t[0], t[2].event.line or 0))
        active: list[tuple[dt.datetime, _Found]] = []
        for starts, ends, item in timed:
            active = [(e, a) for e, a in active if e > starts]
            event = item.event
            for _, other in active:
                if event.board and other.event.board and event.board != other.event.board:
                    continue
                _, n, p = item.entries["room"]
                self.warn(
                    n,
                    p,
                    f"overlaps abstract {other.event.label} (line {other.event.line}) "
                    f"in room {event.room} on {event.date} "
                    f"({max(starts, other.event.starts_at or starts):%H:%M}-"
                    f"{min(ends, other.event.ends_at or ends):%H:%M})",
                )
                break
            active.append((ends, item))


@dataclass(frozen=True)
class _Found:
    """An event with the YAML it came from, for checks across sessions."""

    event: Event
    node: Node
    path: str
    entries: Entries


class _Limit(yaml.MarkedYAMLError):
    pass


def compose_all(text: str, max_nodes: int | None = None) -> list[Node | None]:
    """The documents of ``text`` as nodes with positions, composed without recursion.

    Like ``yaml.compose_all`` but iterative (libyaml's composer recurses in C and
    crashes on ``[[[[...`` nested a few hundred thousand deep), limited to
    :data:`MAX_DEPTH` levels and ``max_nodes`` nodes (default: one per 32 bytes
    of the size limit, far more than real files use), and without resolving
    implicit tags, which the loader never uses (it reads raw text): 4-5x faster
    than PyYAML's composer.  Aliases are shared nodes, never copies, so an alias
    "bomb" stays small.
    """
    budget = max_file_bytes() // 32 if max_nodes is None else max_nodes
    parser = _YAML_LOADER(text)
    docs: list[Node | None] = []
    anchors: dict[str, Node] = {}
    stack: list[tuple[Node, list[Node]]] = []  # open collections and their items
    root: Node | None = None
    count = 0
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    get_event = parser.get_event
    add: Callable[[Node], None] | None = None  # appends to the innermost open collection
    try:
        while True:
            event = get_event()
            node: Node
            kind = type(event)
            if kind is scalar:
                mark = event.start_mark
                node = ScalarNode(event.value, mark.line, mark.column, not event.style)
                count += 1
                if event.anchor is not None:
                    anchors[event.anchor] = node
            elif kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    raise _Limit(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
                cls = MappingNode if kind is mapping_start else SequenceNode
                node = cls([], mark.line, mark.column)
                if event.anchor is not None:
                    anchors[event.anchor] = node
                items: list[Node] = []
                stack.append((node, items))
                add = items.append
                count += 1
                continue
            elif kind is mapping_end or kind is sequence_end:
                node, items = stack.pop()
                if isinstance(node, MappingNode):
                    node.value = list(zip(items[0::2], items[1::2], strict=True))
                else:
                    node.value = items
                add = stack[-1][1].append if stack else None
            elif kind is alias:
                if event.anchor not in anchors:
                    raise _Limit(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                node = anchors[event.anchor]
                count += 1
            elif kind is yaml.DocumentEndEvent:
                docs.append(root)
                root = None
                anchors = {}
                continue
            elif kind is yaml.StreamEndEvent:
                return docs
            else:  # stream and document start
                continue
            if count > budget:
                raise _Limit(
                    None,
                    None,
                    f"more than {budget:,} values: not a sessions file "
                    f"(if it is, raise the limit with {SIZE_VARIABLE}=200MB, say)",
                    event.start_mark,
                )
            if add is not None:
                add(node)
            else:
                root = node
    finally:
        parser.dispose()


def _merged_pairs(node: MappingNode) -> Iterator[tuple[Node, Node]]:
    """Key/value pairs with YAML merge keys (``<<: *defaults``) applied.

    A mapping that merges itself (``&a {<<: *a}``) contributes its keys once.
    Each merged mapping is read once, however often it is merged (``<<: [*a, *a]``
    chains would otherwise take exponential time).
    """
    return iter(_merge(node, set()))


def _merge(node: MappingNode, seen: set[int]) -> list[tuple[Node, Node]]:
    seen.add(id(node))
    own = [(k, v) for k, v in node.value if not (isinstance(k, ScalarNode) and k.value == "<<")]
    own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    merged: list[tuple[Node, Node]] = []
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == "<<":
            sources = v.value if isinstance(v, SequenceNode) else [v]
            for source in sources:
                if isinstance(source, MappingNode) and id(source) not in seen:
                    for mk, mv in _merge(source, seen):
                        if isinstance(mk, ScalarNode) and mk.value not in own_keys:
                            own_keys.add(mk.value)
                            merged.append((mk, mv))
    return own + merged


def _refresh_minutes(text: str) -> int:
    return parse_duration_minutes(text, "apps check at least every 4 weeks anyway")


def _blank(node: Node) -> bool:
    """An empty value (``key:``, ``~``, ``null``), as opposed to a quoted "null"."""
    # Plain style is None with PyYAML's parser and "" with libyaml's.
    return isinstance(node, ScalarNode) and node.plain and node.value in _NULLS


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return shown(str(node.value))


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(allowed)})"


def describe_reminders(minutes: tuple[int, ...]) -> str:
    return ", ".join(format_minutes(m) for m in minutes) if minutes else "none"
