"""Revision memory: which events changed since the last export.

Calendar apps update an event they already have only when its SEQUENCE goes up
and its LAST-MODIFIED moves (Google's subscription importer relies on both).
Working that out needs memory of earlier exports, so asco-cal keeps a small
file beside sessions.yaml (``sessions.state.yaml``), safe to commit.  It is
JSON (which is YAML too) after a comment header::

    {
      "calendar": {"modified": "2011-05-26T12:00:00Z", "digest": "998fdc0f4b3dc009"},
      "events": {
        "5c52c2f5-4b1e-5a2c-8e29-f43333f37c83@asco-cal": {
          "event": "8017 part 1", "sequence": 1, "created": "2011-05-26T12:00:00Z",
          "modified": "2011-05-30T09:15:00Z", "digest": "3f2a9c0e1b7d4a55"}}}

Older block-style YAML state files are still read.
For each event it stores a digest of the event's content.  When the digest
changes, SEQUENCE goes up by one and LAST-MODIFIED becomes "now"; otherwise
nothing moves, so two exports of the same input are byte-identical.  "Now" is
the current time, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from asco_cal.errors import AscoCalError, Location
from asco_cal.files import write_atomic
from asco_cal.model import CALENDAR, CONFERENCE, Conference, Event, Program, event_inputs
from asco_cal.tree import MappingNode, Node, ScalarNode, SequenceNode
from asco_cal.yamltree import compose_all

HEADER = """\
# asco-cal revision state: remembers each event's content digest so that
# calendar apps see changes (SEQUENCE goes up, LAST-MODIFIED moves).
# Keep it beside the sessions file and commit it with it.  Written by
# `asco-cal export`, `build` and `serve`; no need to edit it.  Deleting it makes
# every event start again at SEQUENCE 0.
"""


@dataclass(frozen=True)
class Revision:
    label: str
    sequence: int
    created: dt.datetime
    modified: dt.datetime
    digest: str


@dataclass(frozen=True)
class State:
    events: dict[str, Revision]  # by UID
    modified: dt.datetime | None = None  # the last change of anything in the calendar
    digest: str = ""

    def revision(self, uid: str) -> Revision:
        return self.events[uid]


EMPTY = State(events={})


def now() -> dt.datetime:
    """The current UTC time to the second, or ``SOURCE_DATE_EPOCH`` if set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def state_path(sessions_path: str | os.PathLike[str]) -> Path:
    """``sessions.yaml`` -> ``sessions.state.yaml`` in the same folder; a folder of
    meetings -> its ``calendar.state.yaml`` (one state for all its meetings)."""
    p = Path(sessions_path)
    if p.is_dir():
        return p / FOLDER_STATE
    return p.with_name(f"{p.stem}.state.yaml")


FOLDER_STATE = "calendar.state.yaml"


# The fields every digest holds (the Event of the first published format), then the
# ones added since, held only when they are not at their default: so adding a field
# to the model changes no published event's digest, and bumps no SEQUENCE.
_EVENT_FIELDS = ("abstract", "title", "compound", "type", "date", "start", "end", "room",
                 "board", "presenters", "description", "url", "reminders", "status",
                 "timezone", "part")  # fmt: skip
# Where it is; its meeting (its UID, and the venue in ``_where`` below).
_NOT_DIGESTED = ("line", "meeting")
_ADDED_FIELDS = tuple(
    (f.name, f.default)
    for f in fields(Event)
    if f.name not in _EVENT_FIELDS and f.name not in _NOT_DIGESTED
)


def event_digest(program: Program, event: Event) -> str:
    """A digest of everything that shows in the event (not where it is in the file).

    Made from :func:`~asco_cal.model.event_inputs` but the UID's key: the state
    is indexed by UID already.
    """
    _event, _uid, conference, venue, address, geo, url, _day, locale = event_inputs(program, event)
    # The same JSON as ``asdict(event)`` minus ``line`` (an Event holds no nested
    # dataclasses), without asdict's deep copy: 8x faster.
    data: dict[str, object] = {name: getattr(event, name) for name in _EVENT_FIELDS}
    for name, default in _ADDED_FIELDS:
        value = getattr(event, name)
        if value != default:
            data[name] = value
    data["_where"] = [conference, venue, address, geo]
    data["_url"] = url
    if locale != "en-US":  # the words shown change with it (en-US digests stay as they were)
        data["_locale"] = locale
    blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


# A meeting's fields of the first format, then the ones added since (only when given).
_CONFERENCE_FIELDS = ("name", "id", "timezone", "venue", "address", "geo", "start", "end")
# Calendar keys added after state files were first written: digested only when not their
# default, so an upgrade moves no LAST-MODIFIED.
_ADDED_CALENDAR = {"locale": "en-US"}


def _meeting(conference: Conference) -> dict[str, object]:
    data = {f.target: getattr(conference, f.target) for f in CONFERENCE}
    return {k: v for k, v in data.items() if k in _CONFERENCE_FIELDS or v is not None}


def _calendar(program: Program) -> dict[str, object]:
    data = {f.target: getattr(program.calendar, f.target) for f in CALENDAR}
    return {k: v for k, v in data.items() if _ADDED_CALENDAR.get(k, object()) != v}


def calendar_digest(program: Program, events: dict[str, Revision]) -> str:
    meetings = [_meeting(m) for m in program.meetings]
    data = {
        "calendar": _calendar(program),
        "conference": meetings if program.folder else meetings[0],
        "events": sorted((uid, r.digest) for uid, r in events.items()),
    }
    blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def update(state: State, program: Program, when: dt.datetime) -> State:
    """The state after seeing ``program``: changed events get a new revision.

    Events no longer in the program keep their entry, so an abstract that comes
    back continues its SEQUENCE instead of starting again at 0.
    """
    events = dict(state.events)
    current: dict[str, Revision] = {}
    for event in program.events:
        uid = event.uid()
        digest = event_digest(program, event)
        old = events.get(uid)
        if old is None:
            rev = Revision(event.label, 0, when, when, digest)
        elif old.digest != digest:
            rev = replace(
                old, label=event.label, sequence=old.sequence + 1, modified=when, digest=digest
            )
        else:
            rev = replace(old, label=event.label)
        events[uid] = current[uid] = rev
    digest = calendar_digest(program, current)
    modified = state.modified if digest == state.digest and state.modified else when
    return State(events=events, modified=modified, digest=digest)


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(state: State) -> str:
    doc: dict[str, object] = {
        "calendar": {
            "modified": _stamp(state.modified) if state.modified else None,
            "digest": state.digest,
        },
        "events": {
            uid: {
                "event": r.label,
                "sequence": r.sequence,
                "created": _stamp(r.created),
                "modified": _stamp(r.modified),
                "digest": r.digest,
            }
            for uid, r in sorted(state.events.items(), key=lambda kv: (kv[1].label, kv[0]))
        },
    }
    # JSON is YAML too: any YAML tool reads it, and json reads 10,000 events in
    # milliseconds (older block-style files are still read, through YAML).
    return HEADER + json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@functools.lru_cache(maxsize=4096)
def _parse_stamp(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def _plain(node: Node | None) -> object:
    """A composed node as dicts, lists and strings (the state file holds nothing else)."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return None if node.plain and node.value in ("", "~", "null") else node.value
    if isinstance(node, MappingNode):
        return {str(_plain(k)): _plain(v) for k, v in node.value}
    assert isinstance(node, SequenceNode)
    return [_plain(item) for item in node.value]


def loads(text: str, filename: str) -> State:
    hint = f"delete {filename} to start again (every event restarts at SEQUENCE 0)"
    try:
        doc: Any = None
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        if body.lstrip().startswith("{"):
            try:
                doc = json.loads(body)
            except ValueError:
                doc = None
        if doc is None:  # block-style YAML (asco-cal before 0.2, or edited by hand)
            docs = compose_all(text, max_nodes=1 << 40)
            doc = _plain(docs[0]) if docs else {}
        doc = doc or {}
        cal = doc.get("calendar") or {}
        events = {
            str(uid): Revision(
                label=str(r.get("event") or ""),
                sequence=int(r["sequence"]),
                created=_parse_stamp(str(r["created"])),
                modified=_parse_stamp(str(r["modified"])),
                digest=str(r["digest"]),
            )
            for uid, r in (doc.get("events") or {}).items()
        }
        modified = _parse_stamp(str(cal["modified"])) if cal.get("modified") else None
        return State(events=events, modified=modified, digest=str(cal.get("digest") or ""))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        loc = Location(filename, mark.line + 1, mark.column + 1) if mark else Location(filename)
        raise AscoCalError(f"damaged state file ({exc.problem}); {hint}", location=loc) from None
    except (yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError) as exc:
        raise AscoCalError(
            f"damaged state file ({exc}); {hint}", location=Location(filename)
        ) from None


def read(path: Path) -> State:
    try:
        return loads(path.read_text(encoding="utf-8"), str(path))
    except FileNotFoundError:
        return EMPTY


def save(path: Path, state: State) -> None:
    """Write the state file atomically; :class:`AscoCalError` if that fails."""
    try:
        write_atomic(path, dumps(state).encode("utf-8"))
    except OSError as exc:
        raise AscoCalError(
            f"cannot write the state file: {exc.strerror}", location=Location(str(path))
        ) from None


def sync(path: Path, program: Program, when: dt.datetime | None = None) -> State:
    """Read the state file, record ``program``'s changes, write it back if they moved.

    Raises :class:`AscoCalError` if the file is damaged or cannot be written.
    """
    old = read(path)
    new = update(old, program, when or now())
    if new != old:
        save(path, new)
    return new
