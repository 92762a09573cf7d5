"""Which events to include: ``--abstract 8017 --type poster`` or ``?abstract=8017&type=poster``.

Values of one filter are alternatives (``abstract=8017,8013`` is either);
different filters must all match.  Matching ignores case.  ``session=8017-1``
picks one part of an abstract (by its key), and ``q=lymphoma phase`` is a search:
every word must appear in the session's abstract, title, compound, type, room,
board or presenters (a search that finds nothing is an empty feed, not an error).
``meeting=asco-2011`` picks the sessions of one meeting of a calendar read from a
folder (by the meeting's id, as :attr:`~asco_cal.model.Conference.slug` writes it).
The CLI and the web feed share this module, so the same filter gives the same events (and bytes).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from asco_cal.errors import AscoCalError
from asco_cal.model import Event, Program
from asco_cal.values import clean_text, parse_date, shown

FILTER_NAMES = ("abstract", "session", "type", "compound", "date", "q", "meeting")
OPTION_NAMES = ("abstract", "type", "compound", "date", "meeting")  # the command line's options
MAX_QUERY = 200  # characters of one search


@dataclass(frozen=True)
class Filter:
    abstract: frozenset[str] = frozenset()
    type: frozenset[str] = frozenset()
    compound: frozenset[str] = frozenset()
    date: frozenset[dt.date] = frozenset()
    session: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()  # of the search (q), casefolded
    meeting: frozenset[str] = frozenset()  # meeting slugs

    def __bool__(self) -> bool:
        return bool(
            self.abstract
            or self.type
            or self.compound
            or self.date
            or self.session
            or self.words
            or self.meeting
        )

    def matches(self, event: Event) -> bool:
        return (
            (not self.abstract or event.abstract.casefold() in self.abstract)
            and (not self.session or event.key.casefold() in self.session)
            and (not self.type or event.type.casefold() in self.type)
            and (not self.compound or (event.compound or "").casefold() in self.compound)
            and (not self.date or event.day in self.date)
            and (not self.words or _found(self.words, searched(event)))
            and (not self.meeting or event.meeting.slug in self.meeting)
        )

    def apply(self, events: Iterable[Event]) -> tuple[Event, ...]:
        return tuple(e for e in events if self.matches(e))


def searched(event: Event) -> str:
    """What a search looks in, casefolded."""
    parts = (event.abstract, event.title, event.compound, event.type, event.room, event.board,
             *event.presenters)  # fmt: skip
    return " ".join(p for p in parts if p).casefold()


def _found(words: tuple[str, ...], text: str) -> bool:
    return all(w in text for w in words)


def typed_words(text: str) -> list[str]:
    """A search's words as typed, as clean text (no control characters, NFC) without
    invisible format characters (zero-width spaces, bidirectional overrides, which
    could disguise a calendar's name); at most :data:`MAX_QUERY` characters are read:
    what feed names and pages show."""
    cleaned = clean_text(text[:MAX_QUERY])
    return "".join(c for c in cleaned if unicodedata.category(c) != "Cf").split()


def search_words(text: str) -> list[str]:
    """A search's words, casefolded."""
    return [w.casefold() for w in typed_words(text)]


def choices(program: Program, name: str) -> list[str]:
    """The values ``name`` accepts for ``program``, as people write them (computed once
    per program and filter)."""
    return program.derived(f"choices:{name}", lambda: _choices(program, name))


def _choices(program: Program, name: str) -> list[str]:
    if name == "meeting":  # only a calendar of meetings (a folder) has the filter
        return [m.slug for m in program.meetings] if program.folder else []
    values: dict[str, str] = {}
    for e in program.events:
        raw = {
            "abstract": e.abstract,
            "session": e.key,
            "type": e.type,
            "compound": e.compound,
            "date": e.day.isoformat() if e.day else None,
        }[name]
        if raw:
            values.setdefault(raw.casefold(), raw)
    return sorted(values.values(), key=str.casefold)


def _accepted(program: Program, name: str) -> str:
    values = choices(program, name)
    shown = ", ".join(values[:20]) + (f" and {len(values) - 20} more" if len(values) > 20 else "")
    return f"accepted: {shown}" if values else "no session has one"


def parse_filter(program: Program, raw: Mapping[str, Iterable[str]]) -> Filter:
    """Build a filter from lists of values (each may hold comma-separated values).

    Raises :class:`AscoCalError` (field = the filter's name) for an unknown
    filter, a malformed date or a value no session has, listing what is accepted.
    """
    parsed: dict[str, set[str]] = {}
    for name, values in raw.items():
        if name not in FILTER_NAMES:
            raise AscoCalError(f"unknown filter (accepted: {', '.join(FILTER_NAMES)})", field=name)
        if name == "q":
            continue
        known = _known(program, name)
        for value in values:
            for item in _items(value, known):
                if not item:
                    raise AscoCalError(f"empty value ({_accepted(program, name)})", field=name)
                parsed.setdefault(name, set()).add(item)
    dates: set[dt.date] = set()
    for item in parsed.get("date", ()):
        try:
            dates.add(parse_date(item))
        except ValueError as exc:
            raise AscoCalError(f"{exc}; {_accepted(program, 'date')}", field="date") from None
    known_dates = {e.day for e in program.events}
    for day in sorted(dates - known_dates):
        raise AscoCalError(f"no session on {day} ({_accepted(program, 'date')})", field="date")
    folded: dict[str, frozenset[str]] = {}
    for name in ("abstract", "session", "type", "compound", "meeting"):
        wanted = {v.casefold(): v for v in parsed.get(name, ())}
        known = _known(program, name)
        for key in sorted(set(wanted) - known):
            raise AscoCalError(
                f"no session has {shown(wanted[key])} ({_accepted(program, name)})", field=name
            )
        folded[name] = frozenset(wanted)
    return Filter(
        abstract=folded["abstract"],
        type=folded["type"],
        compound=folded["compound"],
        date=frozenset(dates),
        session=folded["session"],
        meeting=folded["meeting"],
        words=tuple(sorted({w for q in raw.get("q", ()) for w in search_words(q)})),
    )


def _known(program: Program | None, name: str) -> frozenset[str]:
    """The casefolded values of ``name`` (computed once per program and filter)."""
    if program is None or name in ("date", "q"):
        return frozenset()
    return program.derived(
        f"known:{name}", lambda: frozenset(map(str.casefold, choices(program, name)))
    )


def _items(value: str, known: frozenset[str]) -> list[str]:
    """``"8013, 8017"`` -> two values; a value some session has is kept whole,
    commas and all (a type such as "poster, discussion")."""
    whole = value.strip()
    if whole.casefold() in known:
        return [whole]
    return [item.strip() for item in value.split(",")]


def normalise(
    raw: Mapping[str, Iterable[str]], program: Program | None = None, *, split: bool = True
) -> dict[str, list[str]]:
    """Each known filter's values, comma-separated ones split (but for values
    ``program`` has whole, or all if not ``split``), spelled as ``program`` spells
    them, sorted, without duplicates."""
    out = {}
    for name in FILTER_NAMES:
        known = _known(program, name)
        spelled = (
            {c.casefold(): c for c in choices(program, name)}
            if program is not None and name not in ("date", "q")
            else {}
        )
        if name == "q":  # one search of all its words, in the order typed
            typed = " ".join(w for value in raw.get(name, ()) for w in typed_words(value))
            if typed:
                out[name] = [typed]
            continue
        values = {
            spelled.get(item.casefold(), item)
            for value in raw.get(name, ())
            for item in (_items(value, known) if split else [value.strip()])
            if item
        }
        if values:
            out[name] = sorted(values, key=str.casefold)
    return out


def query_string(
    raw: Mapping[str, Iterable[str]], program: Program | None = None, *, split: bool = True
) -> str:
    """A canonical query string (sorted, comma-joined) for a feed URL.

    A value with a comma in it gets a parameter of its own (``type=a%2C+b``),
    which :func:`parse_filter` keeps whole.
    """
    pairs = []
    for name, values in normalise(raw, program, split=split).items():
        plain = [v for v in values if "," not in v]
        if plain:
            pairs.append((name, ",".join(plain)))
        pairs += [(name, v) for v in values if "," in v]
    return urlencode(pairs, safe=",")


TOPICS = ("type", "compound", "date", "meeting")


def topics(program: Program, name: str) -> list[tuple[str, tuple[Event, ...]]]:
    """The values of topic filter ``name`` that have a feed (at least one scheduled
    event), each with its events: what the page links to and ``build`` writes
    (computed once per program and filter)."""
    return list(program.derived(f"topics:{name}", lambda: _topics(program, name)))


def _topics(program: Program, name: str) -> list[tuple[str, tuple[Event, ...]]]:
    out = []
    for value in choices(program, name):
        events = parse_filter(program, {name: [value]}).apply(program.events)
        if any(e.scheduled for e in events):
            out.append((value, events))
    return out
