"""The located tree -> a validated :class:`~asco_cal.model.Program`: one loop over the field table.

Every input (YAML, a spreadsheet) is first a located tree
(:mod:`asco_cal.tree`); this module reads any such tree the same way.  For
each mapping it checks the keys against the model's field table
(:mod:`asco_cal.model`), reads each value with the method named after the
field's kind (``text``, ``date``, ``durations``...), and fills the model's
attributes.  Every problem is collected with its place and field, like
khal's config checking; :mod:`asco_cal.checks` then looks at the events
together.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from asco_cal import brand, checks, fields, lang, markup, timing, zones
from asco_cal.errors import AscoCalError, Location, Severity
from asco_cal.fields import Field
from asco_cal.model import (
    CALENDAR,
    CONFERENCE,
    PART,
    SESSION,
    SITE,
    STATUSES,
    CalendarMeta,
    Conference,
    Event,
    Program,
    SiteMeta,
)
from asco_cal.tree import (
    Hidden,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    blank,
    described,
    merged_pairs,
)
from asco_cal.values import (
    Listing,
    clean_text,
    not_announced,
    parse_date,
    parse_duration_minutes,
    parse_listings,
    shown,
)

T = TypeVar("T")

# Text fields longer than this are mistakes (a pasted document), not titles.
MAX_TEXT, MAX_LONG_TEXT = 20_000, 200_000
MAX_REMINDERS = 5


class _Failed:
    """A value that was given but is wrong (already reported): neither a value nor missing."""

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Any = _Failed()

# A mapping's entries: key -> (key node, value node, field path).
Entries = dict[str, tuple[Node, Node, str]]

TOP_KEYS = fields.names(fields.TOP)
CALENDAR_KEYS = fields.names(CALENDAR)
CONFERENCE_KEYS = fields.names(CONFERENCE)
SESSION_KEYS = fields.names(SESSION)
PART_KEYS = fields.names(PART)


def read(
    docs: list[Node], file: str, *, in_folder: bool = False, folder: Path | None = None
) -> tuple[Program | None, list[AscoCalError]]:
    """The program in ``docs`` (the input's non-empty documents) and every problem found.

    ``in_folder``: the file is one meeting of several (a folder): its `conference:`
    must name the meeting, and its `calendar:` may be left to ``calendar.yaml``
    (a program without one has a calendar named "").  Files the input names
    (``site.logo``) are looked for in ``folder`` (default: the current one).
    """
    reader = Reader(file, in_folder=in_folder, folder=folder)
    return reader.program(docs), reader.problems


def read_calendar(docs: list[Node], file: str) -> tuple[CalendarMeta | None, list[AscoCalError]]:
    """A folder's ``calendar.yaml``: the calendar's own details only."""
    reader = Reader(file, in_folder=True)
    return reader.calendar_file(docs), reader.problems


class Reader:
    def __init__(self, file: str, *, in_folder: bool = False, folder: Path | None = None) -> None:
        self.file = file
        self.in_folder = in_folder
        self.folder = folder or Path()
        self.problems: list[AscoCalError] = []
        self._read: dict[tuple[int, str], object] = {}  # shared nodes are read (and reported) once
        self.zone_given = False  # conference.timezone present (even if invalid)
        self.meeting_zone = ""  # the conference's zone, once read: context for zone names
        self.meeting_dates: tuple[dt.date, dt.date] | None = None
        self.kinds: dict[str, Callable[[Node, str], object]] = {
            "text": self.text,
            "type": self.text,
            "long text": self.long_text,
            "url": self.url,
            "date": self.date,
            "time": self.time,
            "time range": self.time_range,
            "refresh": self.refresh,
            "durations": self.durations,
            "duration": self.duration,
            "type durations": self.type_durations,
            "bool": self.bool,
            "zone": self.zone,
            "locale": self.locale,
            "texts": self.texts,
            "geo": self.geo,
            "status": self.status,
            "logo": self.logo,
            "colour": self.colour,
            "markdown": self.markdown,
            "origins": self.origins,
        }

    # -- reporting -------------------------------------------------------------

    def report(
        self,
        node: Node | None,
        path: str,
        message: str,
        severity: Severity,
        code: str | None = None,
    ) -> None:
        if node is None:
            location, field = Location(self.file), path
        else:
            location, field = node.located(self.file, path)
        self.problems.append(
            AscoCalError(message, location=location, field=field, severity=severity, code=code)
        )

    def error(self, node: Node | None, path: str, message: str) -> None:
        self.report(node, path, message, "error")

    def warn(self, node: Node | None, path: str, message: str, code: str) -> None:
        """A warning of kind ``code`` (``overlap``, ``unknown-key``...): counted, and
        capped by the commands that write, by kind."""
        self.report(node, path, message, "warning", code)

    # -- the table loop ----------------------------------------------------------

    def mapping(self, node: Node, path: str, allowed: tuple[str, ...] | None) -> Entries | None:
        """A mapping's entries; keys outside ``allowed`` (None: any) are warned about."""
        if not isinstance(node, MappingNode):
            self.error(node, path, f"expected a mapping of keys, got {described(node)}")
            return None
        entries: Entries = {}
        for key_node, value_node in merged_pairs(node):
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "keys must be plain words")
                continue
            key = key_node.value
            sub = f"{path}.{key}" if path else key
            if key in entries:
                first = entries[key][0].line + 1
                self.error(key_node, sub, f"appears twice (first on line {first})")
                continue
            if allowed is not None and key not in allowed:
                self.warn(
                    key_node,
                    sub,
                    f"unknown key, ignored{_did_you_mean(key, allowed)}",
                    "unknown-key",
                )
                continue
            entries[key] = (key_node, value_node, sub)
        return entries

    def value(self, field: Field, entries: Entries) -> object:
        """The field's value: None if absent or empty, FAILED if given but wrong."""
        entry = entries.get(field.name)
        if entry is None:
            return None
        return self.once(field, entry[1], entry[2])

    def once(self, field: Field, node: Node, path: str) -> object:
        """Read ``node`` as ``field`` once: a session's values shared by its parts are
        read, and reported, once."""
        memo = (id(node), field.kind)
        value = self._read.get(memo, _UNREAD)
        if value is _UNREAD:
            value = self._read[memo] = self.kinds[field.kind](node, path)
        return value

    def values(
        self, table: tuple[Field, ...], entries: Entries, where: Node, path: str
    ) -> dict[str, Any] | None:
        """Each present field's value by attribute; None if a required one is missing."""
        index, required = _INDEX[id(table)]
        out: dict[str, Any] = {}
        failed = False
        for key, (_, node, sub) in entries.items():
            field = index.get(key)
            if field is None:
                continue  # read elsewhere (parts, times)
            value = self.once(field, node, sub)
            if value is FAILED:
                failed = failed or field.required
            elif value is not None:
                out[field.target] = value
        for field in required:
            if field.target in out or (field.unless and field.unless in out):
                continue
            entry = entries.get(field.name)
            if entry is not None and self.once(field, entry[1], entry[2]) is FAILED:
                continue  # wrong, and said so: not "missing" too
            node = entry[1] if entry is not None else where
            self.error(node, f"{path}.{field.name}" if path else field.name,
                       f"missing ({field.missing})")  # fmt: skip
            failed = True
        return None if failed else out

    # -- the kinds -------------------------------------------------------------

    def scalar(self, node: Node, path: str, what: str = "text") -> str | None:
        """The raw text of a scalar; None for an empty value (FAILED if not a scalar)."""
        if not isinstance(node, ScalarNode):
            self.error(node, path, f"expected {what}, got {described(node)}")
            return FAILED  # type: ignore[no-any-return]
        if not blank(node):
            return node.value
        if isinstance(node, Hidden):
            key = path.rsplit(".", 1)[-1]
            quoted = f'- "{node.comment}"' if key.endswith("]") else f'{key}: "{node.comment}"'
            self.warn(node, path, f"empty: {node.comment} after it is a YAML comment; to give "
                      f"it, quote it: {quoted}", "comment-value")  # fmt: skip
        return None

    def text(self, node: Node, path: str, *, multiline: bool = False) -> str | None:
        raw = self.scalar(node, path)
        if raw is None or raw is FAILED:
            return raw
        limit = MAX_LONG_TEXT if multiline else MAX_TEXT
        if len(raw) > limit:
            self.error(node, path, f"too long: {len(raw):,} characters (at most {limit:,})")
            return FAILED  # type: ignore[no-any-return]
        return clean_text(raw, multiline=multiline) or None

    def long_text(self, node: Node, path: str) -> str | None:
        return self.text(node, path, multiline=True)

    def parsed(self, node: Node, path: str, parse: Callable[[str], T], what: str) -> T | None:
        raw = self.scalar(node, path, what)
        if raw is None or raw is FAILED:
            return raw
        try:
            return parse(raw)
        except ValueError as exc:
            self.error(node, path, str(exc))
            return FAILED  # type: ignore[no-any-return]

    def date(self, node: Node, path: str) -> dt.date | None:
        return self.parsed(node, path, _date, "a date")

    def time(self, node: Node, path: str) -> tuple[Listing, ...] | None:
        return self.parsed(node, path, _time, "a time")

    def time_range(self, node: Node, path: str) -> tuple[Listing, ...] | None:
        return self.parsed(node, path, _times, "a time range")

    def zone(self, node: Node, path: str) -> str | None:
        def resolve(text: str) -> str:
            return zones.resolve(text, near=self.meeting_zone or None, dates=self.meeting_dates)

        return self.parsed(node, path, resolve, "a time zone name")

    def locale(self, node: Node, path: str) -> str | None:
        return self.parsed(node, path, lang.parse, "a locale such as de-DE")

    def duration(self, node: Node, path: str) -> int | None:
        return self.parsed(node, path, _minutes, "a duration such as 15m")

    def type_durations(self, node: Node, path: str) -> dict[str, int] | None:
        """``{oral: 15m, poster: 1h}``: by session type (any case)."""
        entries = self.mapping(node, path, None)
        if entries is None:
            return FAILED  # type: ignore[no-any-return]
        out: dict[str, int] = {}
        for key, (_, value, sub) in entries.items():
            minutes = self.duration(value, sub)
            if isinstance(minutes, int):
                out[key.casefold()] = minutes
        return out

    def bool(self, node: Node, path: str) -> bool | None:
        raw = self.scalar(node, path, "true or false")
        if raw is None or raw is FAILED:
            return raw
        word = raw.strip().lower()
        if word in ("true", "yes", "on"):
            return True
        if word in ("false", "no", "off"):
            return False
        self.error(node, path, f"expected true or false, got {shown(raw)}")
        return FAILED  # type: ignore[no-any-return]

    def refresh(self, node: Node, path: str) -> int | None:
        value = self.parsed(node, path, _refresh_minutes, "a duration such as 1h")
        if isinstance(value, int) and value < 15:
            self.error(node, path, "at least 15m, so subscribers do not hammer the server")
            return FAILED  # type: ignore[no-any-return]
        return value

    def url(self, node: Node, path: str) -> str | None:
        value = self.text(node, path)
        if isinstance(value, str) and not value.lower().startswith(("http://", "https://")):
            self.error(node, path, f"not a web address: {shown(value)} (start it with https://)")
            return FAILED  # type: ignore[no-any-return]
        return value

    def durations(self, node: Node, path: str) -> tuple[int, ...]:
        """A list of lead times (or one); ``[]`` or an empty value means none."""
        if isinstance(node, SequenceNode):
            items = [(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        elif blank(node):
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
            return FAILED  # type: ignore[no-any-return]
        minutes: set[int] = set()
        ok = True
        for item, sub in items:
            value = self.parsed(item, sub, parse_duration_minutes, "a duration such as 15m")
            if value is None:
                self.error(item, sub, "empty reminder (write it like 15m, or use [] for none)")
            if not isinstance(value, int):
                ok = False
            else:
                minutes.add(value)
        return tuple(sorted(minutes, reverse=True)) if ok else FAILED

    def texts(self, node: Node, path: str) -> tuple[str, ...]:
        if isinstance(node, SequenceNode):
            out = (self.text(item, f"{path}[{i}]") for i, item in enumerate(node.value))
            return tuple(s for s in out if isinstance(s, str))
        value = self.text(node, path)
        return (value,) if isinstance(value, str) else ()

    def status(self, node: Node, path: str) -> str | None:
        raw = self.text(node, path)
        if not isinstance(raw, str):
            return None
        word = raw.lower().replace("canceled", "cancelled")
        if word in STATUSES:
            return word
        self.error(node, path, f"unknown status {shown(raw)} (use one of: {', '.join(STATUSES)})")
        return None

    def geo(self, node: Node, path: str) -> tuple[float, float] | None:
        hint = "write it as [latitude, longitude], e.g. [41.8517, -87.6164]"
        if not isinstance(node, SequenceNode) or len(node.value) != 2:
            self.error(node, path, f"expected two numbers ({hint})")
            return FAILED  # type: ignore[no-any-return]
        numbers: list[float] = []
        for i, (item, limit) in enumerate(zip(node.value, (90, 180), strict=True)):
            raw = self.scalar(item, f"{path}[{i}]", "a number")
            try:
                value = float(raw) if isinstance(raw, str) else None
            except ValueError:
                value = None
            if value is None or value != value or abs(value) > limit:
                self.error(item, f"{path}[{i}]", f"not a number from -{limit} to {limit} ({hint})")
                return FAILED  # type: ignore[no-any-return]
            numbers.append(value)
        return numbers[0], numbers[1]

    def logo(self, node: Node, path: str) -> brand.Logo | None:
        value = self.text(node, path)
        if not isinstance(value, str):
            return value
        if value.lower().startswith("https://"):
            return brand.Logo(value)
        if "://" in value or value.lower().startswith(("http:", "data:")):
            self.error(node, path, f"{shown(value)}: give an https:// address or a file's name")
            return FAILED  # type: ignore[no-any-return]
        media_type = brand.LOGO_TYPES.get(Path(value).suffix.lower())
        if media_type is None:
            kinds = ", ".join(sorted(brand.LOGO_TYPES))
            self.error(node, path, f"{shown(value)} is not an image file's name (use {kinds})")
            return FAILED  # type: ignore[no-any-return]
        relative = Path(value)
        if relative.is_absolute() or ".." in relative.parts:
            self.error(node, path, f"{shown(value)}: give the name of a file in the sessions "
                       "file's folder (or below it)")  # fmt: skip
            return FAILED  # type: ignore[no-any-return]
        where = self.folder / relative
        try:
            data = where.read_bytes()
        except FileNotFoundError:
            problem: str | None = f"no file {shown(value)} beside the sessions file"
        except OSError as exc:
            problem = f"cannot read {shown(value)}: {exc.strerror}"
        else:
            found = brand.logo_problem(data, media_type)
            problem = f"{shown(value)}: {found}" if found else None
        if problem:
            self.error(node, path, problem)
            return FAILED  # type: ignore[no-any-return]
        return brand.Logo(value, data, media_type)

    def colour(self, node: Node, path: str) -> str | None:
        value = self.parsed(node, path, brand.parse_colour, "a colour such as #0b57d0")
        if isinstance(value, str) and (problem := brand.contrast_problem(value)):
            self.error(node, path, problem)
            return FAILED  # type: ignore[no-any-return]
        return value

    def markdown(self, node: Node, path: str) -> str | None:
        value = self.long_text(node, path)
        if isinstance(value, str) and (problem := markup.check(value)):
            self.error(node, path, problem)
            return FAILED  # type: ignore[no-any-return]
        return value

    def origins(self, node: Node, path: str) -> tuple[str, ...]:
        """Web origins (``https://www.example.com``): scheme, host and port only."""
        items = (
            [(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
            if isinstance(node, SequenceNode)
            else [(node, path)]
        )
        out = []
        for item, sub in items:
            value = self.text(item, sub)
            if not isinstance(value, str):
                continue
            origin = value.strip().rstrip("/")
            host = origin.removeprefix("https://")
            if origin == host or not host or any(c in host for c in "/?#*;' \"\t"):
                self.error(item, sub, f"{shown(value)}: give a site's origin, such as "
                           "https://www.example.com (https, no path)")  # fmt: skip
                return FAILED  # type: ignore[no-any-return]
            out.append(origin.lower())
        return tuple(out)

    # -- the document ----------------------------------------------------------

    def program(self, docs: list[Node]) -> Program | None:
        if not docs:
            self.error(None, "", "the file is empty (start from the sample sessions.yaml)")
            return None
        if len(docs) > 1:
            self.error(docs[1], "", "holds several YAML documents (---); keep one")
        doc = docs[0]
        root = self.mapping(doc, "", TOP_KEYS)
        if root is None:
            return None
        calendar = self.calendar(root, doc)
        site = self.site(root)
        conference = self.conference(root, doc)
        reminders = self.value(_TOP["reminders"], root)
        reminders = reminders if isinstance(reminders, tuple) else ()
        defaults = self.value(_TOP["defaults"], root)
        self.options = timing.Options(
            defaults=defaults if isinstance(defaults, dict) else {},
            all_day=self.value(_TOP["all_day_when_no_time"], root) is True,
            meeting=conference.timezone if conference else "",
            zone_given=self.zone_given,
        )
        found = self.sessions(root, doc, conference, reminders)
        if calendar is None or conference is None or site is None:
            return None
        checks.check_events(self, found, conference)
        return Program(
            calendar=calendar,
            meetings=(conference,),
            events=tuple(f.event for f in found),
            reminders=reminders,
            site=site,
        )

    def section(self, root: Entries, key: str, table: tuple[Field, ...]) -> dict[str, Any] | None:
        _, node, path = root[key]
        entries = self.mapping(node, path, fields.names(table))
        if entries is None:
            return None
        return self.values(table, entries, node, path)

    def calendar(self, root: Entries, doc: Node) -> CalendarMeta | None:
        if "calendar" not in root:
            if self.in_folder:  # from calendar.yaml, or another meeting's file
                return CalendarMeta(name="")
            self.error(doc, "calendar", f"missing ({_TOP['calendar'].missing})")
            return None
        values = self.section(root, "calendar", CALENDAR)
        return None if values is None else CalendarMeta(**values, line=root["calendar"][0].line + 1)

    def calendar_file(self, docs: list[Node]) -> CalendarMeta | None:
        if not docs:
            self.error(None, "calendar", f"missing ({_TOP['calendar'].missing})")
            return None
        doc = docs[0]
        root = self.mapping(doc, "", ("calendar",))
        if root is None:
            return None
        if "calendar" not in root:
            self.error(doc, "calendar", f"missing ({_TOP['calendar'].missing})")
            return None
        return self.calendar(root, doc)

    def site(self, root: Entries) -> SiteMeta | None:
        if "site" not in root:
            return SiteMeta()
        values = self.section(root, "site", SITE)
        return None if values is None else SiteMeta(**values)

    def conference(self, root: Entries, doc: Node) -> Conference | None:
        if "conference" not in root:
            if self.in_folder:
                self.error(doc, "conference", _NAMELESS)
                return None
            return Conference()
        _, node, path = root["conference"]
        entries = self.mapping(node, path, CONFERENCE_KEYS)
        if entries is None:
            return None
        # The dates first: the zone's name is read for them (hints, abbreviations).
        start, end = (self.value(_CONFERENCE[key], entries) for key in ("start", "end"))
        if isinstance(start, dt.date) or isinstance(end, dt.date):
            lo = start if isinstance(start, dt.date) else end
            hi = end if isinstance(end, dt.date) else start
            assert isinstance(lo, dt.date) and isinstance(hi, dt.date)
            self.meeting_dates = (lo, hi) if lo <= hi else None
        values = self.values(CONFERENCE, entries, node, path) or {}
        start, end = values.get("start"), values.get("end")
        if start and end and end < start:
            self.error(entries["end"][1], f"{path}.end", f"before the start ({end} < {start})")
        self.zone_given = "timezone" in entries
        self.meeting_zone = values.get("timezone", "")
        if self.meeting_zone and "geo" in values:
            self.check_geo(entries["geo"][1], f"{path}.geo", values["geo"], self.meeting_zone)
        if not self.in_folder:
            return Conference(**values)
        named = entries.get("id") or entries.get("name")
        if not (values.get("id") or values.get("name")):
            if named is None:
                self.error(node, path, _NAMELESS)
            return None
        assert named is not None
        where = named[1]
        return Conference(**values, in_folder=True, file=self.file, line=where.line + 1,
                          column=where.column + 1)  # fmt: skip

    def check_geo(self, node: Node, path: str, geo: tuple[float, float], zone: str) -> None:
        """The venue's position must be on the zone's clock (a wrong zone, or a typo in geo)."""
        if zone in ("UTC", "Etc/UTC"):
            return  # times given in UTC on purpose (an online meeting), not a place's clock
        there = zones.clock_there(*geo, zone, self.meeting_dates)
        if there is None:
            return
        self.error(node, path, f"[{geo[0]}, {geo[1]}] is in {there}, whose clock differs from "
                   f"{zone}: check timezone and geo")  # fmt: skip

    def sessions(
        self, root: Entries, doc: Node, conference: Conference | None, reminders: tuple[int, ...]
    ) -> list[checks.Found]:
        if "sessions" not in root:
            self.error(doc, "sessions", f"missing ({_TOP['sessions'].missing})")
            return []
        _, node, path = root["sessions"]
        if not isinstance(node, SequenceNode):
            if not (isinstance(node, ScalarNode) and self.scalar(node, path) is None):
                self.error(node, path, f"expected a list of sessions, got {described(node)}")
            return []
        if not node.value:
            self.warn(node, path, "no sessions yet; the calendar will be empty", "no-sessions")
        found: list[checks.Found] = []
        for i, item in enumerate(node.value):
            found.extend(self.session(item, f"{path}[{i}]", conference, reminders))
        return found

    def session(
        self, node: Node, path: str, conference: Conference | None, reminders: tuple[int, ...]
    ) -> Iterator[checks.Found]:
        self._read.clear()  # read-once memory is per session: its parts share its nodes
        entries = self.mapping(node, path, SESSION_KEYS)
        if entries is None:
            return
        shared = self.values(_SHARED, entries, node, path)
        own = {k: v for k, v in entries.items() if k != "parts"}
        if "parts" not in entries:
            yield from self.event(node, path, own, shared, None, conference, reminders)
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
                merged = {**own, **part_entries}
                yield from self.event(
                    part_node, part_path, merged, shared, j + 1, conference, reminders
                )

    def event(
        self,
        node: Node,
        path: str,
        entries: Entries,
        shared: dict[str, Any] | None,
        part: int | None,
        conference: Conference | None,
        reminders: tuple[int, ...],
    ) -> Iterator[checks.Found]:
        values = self.values(_UNTIMED, entries, node, path)
        if shared is None or values is None or self.value(_DATE, entries) is FAILED:
            timing.given(self, entries, path)  # its problems too, all at once
            return  # problems are reported; no "not announced" warning on top
        if "timezone" not in values and "timezone" in entries:
            return  # an invalid zone, reported
        kind = values.get("type", "presentation")
        name = shared.get("abstract") or shared.get("id") or ""
        what = f"abstract {name}" if shared.get("abstract") else f"session {name}"
        if "type" not in values and (
            "type" not in entries or isinstance(entries["type"][1], ScalarNode)
        ):
            self.warn(
                node, f"{path}.type", "missing; using 'presentation' (e.g. poster, oral)", "no-type"
            )
        times = timing.read(
            self,
            node,
            entries,
            path,
            date=values.get("date"),
            explicit=values.get("timezone"),
            kind=kind,
            label=what + (f" part {part}" if part else ""),
            options=self.options,
        )
        if times is None:
            return
        values.setdefault("reminders", reminders)
        values.update(start=times.start, end=times.end, timezone=times.zone, folds=times.folds,
                      all_day=times.all_day)  # fmt: skip
        meeting = conference or Conference()
        event = Event(**shared, **values, part=part, line=node.line + 1, meeting=meeting)
        yield checks.Found(event, node, path, entries)


_NAMELESS = "missing (in a folder, each meeting's conference needs an `id` or a `name`)"
_DATE = next(f for f in PART if f.name == "date")
_TOP = {f.name: f for f in fields.TOP}
_CONFERENCE = {f.name: f for f in CONFERENCE}
_UNTIMED = tuple(f for f in PART if f.name not in timing.TIME_KEYS)  # times: timing.read


_SHARED = tuple(f for f in SESSION if f.shared)  # abstract, title, compound
_UNREAD = object()
# The tables Reader.values reads, each with its fields by key and its required fields.
_INDEX = {
    id(table): ({f.name: f for f in table}, tuple(f for f in table if f.required))
    for table in (CALENDAR, CONFERENCE, SITE, _SHARED, _UNTIMED)
}


def _date(text: str) -> dt.date | None:
    return None if not text.strip() or not_announced(text) else parse_date(text)


def _time(text: str) -> tuple[Listing, ...] | None:
    return None if not text.strip() or not_announced(text) else parse_listings(text, single=True)


def _times(text: str) -> tuple[Listing, ...] | None:
    return None if not text.strip() or not_announced(text) else parse_listings(text)


def _minutes(text: str) -> int:
    return parse_duration_minutes(text, f"a session lasts at most {timing.MAX_MINUTES // 60} hours")


def _refresh_minutes(text: str) -> int:
    return parse_duration_minutes(text, "apps check at least every 4 weeks anyway")


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(allowed)})"
