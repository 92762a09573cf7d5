"""Parsing of the values people type: times and time ranges (with zone labels), durations, dates.

Each function takes the text exactly as written and returns a value or raises
``ValueError`` with a message meant for the person who wrote it.  The loader
adds file, line, column and field; the CLI reuses the same functions for its
options, so ``--reminder 30m`` means what ``reminders: [30m]`` means.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def shown(text: str, limit: int = 40) -> str:
    """``repr`` of a value for a message, cut to ``limit`` characters.

    >>> shown("x" * 50)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (50 characters)"
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[: limit - 1] + '…'!r} ({len(text)} characters)"


# The words of a clock, for every reader of times (sessions files, the zone label after a
# time, press releases): the meridiem (am, p.m.; never the start of "amazing") and the
# words that mean 12:00.
MERIDIEM = r"[ap]\.?\s?m\b\.?"
NOON_WORDS = ("noon", "midday")
CLOCK_WORDS = (*NOON_WORDS, "midnight")
CLOCK_WORDS_RE = "|".join(CLOCK_WORDS)

_TIME_RE = re.compile(
    rf"""^\s*
    (?:
        (?P<word>{CLOCK_WORDS_RE})
      |
        (?P<hour>[0-9]{{1,2}})
        (?:[:.h](?P<minute>[0-9]{{2}}))?
        \s*
        (?P<suffix>{MERIDIEM}|{CLOCK_WORDS_RE})?
        (?:\s*(?:hrs?\.?|uhr))?  # 10:00 hrs, 10:00 Uhr
    )
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)

TIME_HINT = "write it like 13:00, 1:00 pm, 1 pm or 12:00 noon"


def _meridiem(suffix: str | None) -> str | None:
    if suffix is None:
        return None
    s = suffix.lower().replace(".", "").replace(" ", "")
    if s in ("am", "midnight"):
        return "am"
    return "pm"  # pm, noon, midday


def _parse_time_parts(text: str) -> tuple[int, int, str | None]:
    """Return (hour, minute, meridiem or None) without applying the meridiem."""
    m = _TIME_RE.match(text)
    if not m:
        raise ValueError(f"not a time: {shown(text)} ({TIME_HINT})")
    word = m.group("word")
    if word:
        return (12, 0, "pm") if word.lower() in NOON_WORDS else (12, 0, "am")
    hour = int(m.group("hour"))
    minute = int(m.group("minute") or 0)
    suffix = m.group("suffix")
    mer = _meridiem(suffix)
    if minute > 59:
        raise ValueError(f"not a time: {shown(text)} (minutes go up to 59)")
    if suffix and suffix.lower() in CLOCK_WORDS and (hour, minute) != (12, 0):
        raise ValueError(f"not a time: {shown(text)} ({suffix.lower()} is 12:00)")
    if mer is None:
        if hour > 23:
            raise ValueError(f"not a time: {shown(text)} (hours go up to 23)")
    elif not 1 <= hour <= 12:
        raise ValueError(f"not a time: {shown(text)} (with am/pm, hours go from 1 to 12)")
    return hour, minute, mer


def _apply(hour: int, minute: int, mer: str | None) -> dt.time:
    if mer == "am":
        hour = 0 if hour == 12 else hour
    elif mer == "pm":
        hour = 12 if hour == 12 else hour + 12
    return dt.time(hour, minute)


# A dash between two times; not the sign of a UTC offset in a zone label (UTC-5).
_RANGE_SPLIT = re.compile(
    r"\s*(?:(?<![Uu][Tt][Cc])(?<![Gg][Mm][Tt])[-–—]|\bto\b|\buntil\b|\btill\b)\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Listing:
    """A time or a time range as written, with the zone label after each end (if any).

    A label after a range (``1:00-5:00pm PT``) belongs to both ends.
    """

    start: dt.time
    end: dt.time | None
    start_label: str | None = None
    end_label: str | None = None


# Two listings of one slot: "12-2:20 pm CET/6:00-8:20 am ET", "1 pm ET (10 am PT)".
_SLASH = re.compile(r"\s*/\s*(?=[^/]*[0-9])")
_BRACKETED = re.compile(r"^(?P<first>.*[0-9].*?)\s*\((?P<second>\s*[0-9][^()]*)\)\s*$")
MAX_TIME_TEXT = 200  # the longest a time with its zone and a second listing is written
_LEAD = re.compile(r"^\s*(?:at|from|starting at|starts at|beginning at)\s+", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a programme repeats the same few values
def parse_listings(text: str, *, single: bool = False) -> tuple[Listing, ...]:
    """Times as press releases write them, zone labels included; one or two listings.

    ``single`` reads one time (``start:``, ``end:``), not a range.

    >>> [(x.start, x.end, x.start_label, x.end_label) for x in parse_listings("1:00-5:00pm PT")]
    [(datetime.time(13, 0), datetime.time(17, 0), 'PT', 'PT')]
    >>> [x.start_label for x in parse_listings("12-2:20 pm CET/6:00-8:20 am ET")]
    ['CET', 'ET']
    """
    if len(text) > MAX_TIME_TEXT:
        raise ValueError(f"not a time: {shown(text)} (too long for a time)")
    bracketed = _BRACKETED.match(text)
    if bracketed:
        pieces = [bracketed.group("first"), bracketed.group("second")]
    else:
        pieces = _SLASH.split(text.strip())
    if len(pieces) > 2:
        raise ValueError(f"not a time: {shown(text)} (give one time, or two listings of it)")
    return tuple(_listing(piece, text, single) for piece in pieces)


def _listing(piece: str, text: str, single: bool) -> Listing:
    from asco_cal.zones import known_label, split_label  # imported when needed (tz data)

    written = _LEAD.sub("", piece).strip()
    rest, label = split_label(written)
    if label is not None and not known_label(label):
        rest, label = written, None  # a word that is no zone: the time says so
    ends = [rest] if single else _RANGE_SPLIT.split(rest.strip())
    if len(ends) == 1:
        h, m, mer = _time_parts(ends[0], text)
        return Listing(_apply(h, m, mer), None, label, None)
    if len(ends) != 2 or not all(ends):
        raise ValueError(
            f"not a time range: {shown(text)} "
            "(write it like '8:00 am - 12:00 noon' or '13:00-14:30', a zone after it if any)"
        )
    first, first_label = split_label(ends[0].strip())
    sh, sm, smer = _time_parts(first, text)
    eh, em, emer = _time_parts(ends[1], text)
    start, end = _range_times(sh, sm, smer, eh, em, emer)
    if first_label is None:
        return Listing(start, end, label, label)
    return Listing(start, end, first_label, label or first_label)


_TRAILING_WORD = re.compile(r"^(?P<time>.*?)\s*\(?(?P<word>[A-Za-z][A-Za-z/_+.:0-9-]*)\)?\s*$")


def _time_parts(piece: str, text: str) -> tuple[int, int, str | None]:
    """A time's parts; a time followed by a word that is no zone says so."""
    try:
        return _parse_time_parts(piece)
    except ValueError:
        m = _TRAILING_WORD.match(piece)
        if (
            m
            and m.group("time")
            and _TIME_RE.match(m.group("time"))
            and not _TIME_RE.match("1 " + m.group("word"))  # am, p.m., noon: not a zone
            and m.group("word").lower() != "h"
        ):
            raise ValueError(
                f"not a time: {shown(text)} (unknown time zone {shown(m.group('word'))} after "
                "the time; write one such as CT, CET or UTC+2, or set timezone)"
            ) from None
        raise


def _range_times(
    sh: int, sm: int, smer: str | None, eh: int, em: int, emer: str | None
) -> tuple[dt.time, dt.time]:
    """A start without am/pm takes the end's, unless that would put it after the end."""
    end = _apply(eh, em, emer)
    if smer is None and emer is not None and sh <= 12:
        start = _apply(sh, sm, emer)
        if start > end:
            start = _apply(sh, sm, "am")
    else:
        start = _apply(sh, sm, smer)
    return start, end


_DURATION_RE = re.compile(
    r"(?P<n>[0-9]+)\s*(?P<unit>weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)",
    re.IGNORECASE,
)
_UNIT_MINUTES = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}
MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60
DURATION_HINT = "write it like 15m, 1h, 1h30m, 1d or a number of minutes"


@lru_cache(maxsize=4096)  # a programme repeats the same few values
def parse_duration_minutes(
    text: str, limit: str = "reminders can be at most 4 weeks before"
) -> int:
    """Parse a reminder lead time into minutes.

    >>> parse_duration_minutes("15m"), parse_duration_minutes("1h30m"), parse_duration_minutes("90")
    (15, 90, 90)
    """
    s = text.strip()
    if not s:
        raise ValueError(f"not a duration: {shown(text)} ({DURATION_HINT})")
    if s.isascii() and s.isdigit():
        minutes = int(s) if len(s) <= 9 else MAX_REMINDER_MINUTES + 1
    else:
        pos = 0
        minutes = 0
        compact = s.replace(" ", "")
        for m in _DURATION_RE.finditer(compact):
            if m.start() != pos:
                break
            unit = m.group("unit").lower()
            unit = "m" if unit.startswith("min") else unit[0]
            digits = m.group("n")
            n = int(digits) if len(digits) <= 9 else MAX_REMINDER_MINUTES + 1
            minutes += n * _UNIT_MINUTES[unit]
            pos = m.end()
        if pos != len(compact) or pos == 0:
            raise ValueError(f"not a duration: {shown(text)} ({DURATION_HINT})")
    if minutes > MAX_REMINDER_MINUTES:
        raise ValueError(f"too long: {shown(text)} ({limit})")
    return minutes


def format_minutes(minutes: int) -> str:
    """Format minutes the way users write them: ``15m``, ``1h``, ``1h30m``, ``1d``.

    >>> format_minutes(15), format_minutes(90), format_minutes(1440), format_minutes(0)
    ('15m', '1h30m', '1d', '0m')
    """
    if minutes == 0:
        return "0m"
    out = ""
    for unit in ("d", "h", "m"):
        size = _UNIT_MINUTES[unit]
        n, minutes = divmod(minutes, size)
        if n:
            out += f"{n}{unit}"
    return out


def spell_minutes(minutes: int) -> str:
    """Minutes in words: ``15 minutes``, ``1 hour 30 minutes``, ``1 day``.

    >>> spell_minutes(15), spell_minutes(90), spell_minutes(1440)
    ('15 minutes', '1 hour 30 minutes', '1 day')
    """
    words = []
    for unit, size in (("week", 10080), ("day", 1440), ("hour", 60), ("minute", 1)):
        n, minutes = divmod(minutes, size)
        if n:
            words.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return " ".join(words) or "0 minutes"


# pytz's tables end in 2037; tzrules carries each zone's yearly rule on from there (to 2100).
FIRST_YEAR, LAST_YEAR = 1971, 2099
DATE_PATTERN = r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$"  # also in the JSON Schema
# How releases say a date or time is not known yet (case-insensitive): the same as
# leaving the field out.  Also in the JSON Schema.
NOT_ANNOUNCED_PATTERN = (
    r"^\s*([Tt]\.?[Bb]\.?[AaDdCc]|[Tt]o [Bb]e ([Aa]nnounced|[Dd]etermined|[Cc]onfirmed))\.?"
    r"(\s*\(.*\))?\s*$"
)
_NOT_ANNOUNCED = re.compile(NOT_ANNOUNCED_PATTERN)


def not_announced(text: str) -> bool:
    """``TBD``, ``TBA``, ``to be announced``...: a date or time not known yet.

    >>> not_announced("TBA"), not_announced("T.B.D."), not_announced("TBD (embargoed)")
    (True, True, True)
    >>> not_announced("to be announced"), not_announced("8:00")
    (True, False)
    """
    return _NOT_ANNOUNCED.match(text) is not None


_DATE_RE = re.compile(DATE_PATTERN)


@lru_cache(maxsize=4096)  # a programme repeats the same few values
def parse_date(text: str) -> dt.date:
    """Parse an ISO date, ``2011-06-04``.

    >>> parse_date("2011-06-04")
    datetime.date(2011, 6, 4)
    """
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"not a date: {shown(text)} (write it as YYYY-MM-DD, e.g. 2011-06-04)")
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"no such date: {shown(text)}") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"out of range: {shown(text)} (years {FIRST_YEAR} to {LAST_YEAR})")
    return day


_CONTROL_TABLE: dict[int, str | None] = dict.fromkeys(
    (*range(9), *range(14, 32), *range(127, 160), 65279)
)
# Characters some parsers treat as line breaks: keep them as real line breaks.
_CONTROL_TABLE.update({0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"})
_NEWLINES = re.compile(r"[ \t]*\n[ \t\n]*")
_NEEDS_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_TABLE) + "]")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Make user text safe for every calendar client.

    Line breaks become ``\\n`` (or a space where a field is one line), control
    characters and byte-order marks are dropped (Outlook drops them anyway),
    surrounding whitespace is trimmed and the text is NFC-normalised.

    >>> clean_text("a\\r\\nb\\x00c")
    'a bc'
    >>> clean_text("a\\r\\nb", multiline=True)
    'a\\nb'
    """
    s = text.replace("\r\n", "\n").replace("\r", "\n")
    if _NEEDS_TRANSLATE.search(s):  # rare: translate() is slow on long clean text
        s = s.translate(_CONTROL_TABLE)
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    if multiline:
        lines = [line.rstrip() for line in s.split("\n")]
        return "\n".join(lines).strip()
    return (_NEWLINES.sub(" ", s) if "\n" in s else s).strip()


def slug(text: str) -> str:
    """A file-name and URL-safe form of ``text``.

    >>> slug("ImmunoGen at ASCO 2011"), slug("TPS102")
    ('immunogen-at-asco-2011', 'tps102')
    """
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s or "calendar"
