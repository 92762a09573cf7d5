"""Parsing of the values people type: times, time ranges, durations, dates, zones.

Each function takes the text exactly as written and returns a value or raises
``ValueError`` with a message meant for the person who wrote it.  The loader
adds file, line, column and field; the CLI reuses the same functions for its
options, so ``--reminder 30m`` means what ``reminders: [30m]`` means.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from functools import cache, lru_cache

import pytz

# Abbreviations press releases use, mapped to the zone they mean.  Accepted
# as-is; anything else must be an IANA name.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
}


def shown(text: str, limit: int = 40) -> str:
    """``repr`` of a value for a message, cut to ``limit`` characters.

    >>> shown("x" * 50)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (50 characters)"
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[: limit - 1] + '…'!r} ({len(text)} characters)"


_TIME_RE = re.compile(
    r"""^\s*
    (?:
        (?P<word>noon|midday|midnight)
      |
        (?P<hour>[0-9]{1,2})
        (?:[:.h](?P<minute>[0-9]{2}))?
        \s*
        (?P<suffix>a\.?\s?m\.?|p\.?\s?m\.?|noon|midnight)?
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
    return "pm"  # pm, noon


def _parse_time_parts(text: str) -> tuple[int, int, str | None]:
    """Return (hour, minute, meridiem or None) without applying the meridiem."""
    m = _TIME_RE.match(text)
    if not m:
        raise ValueError(f"not a time: {shown(text)} ({TIME_HINT})")
    word = m.group("word")
    if word:
        return (12, 0, "pm") if word.lower() in ("noon", "midday") else (12, 0, "am")
    hour = int(m.group("hour"))
    minute = int(m.group("minute") or 0)
    suffix = m.group("suffix")
    mer = _meridiem(suffix)
    if minute > 59:
        raise ValueError(f"not a time: {shown(text)} (minutes go up to 59)")
    if suffix and suffix.lower() in ("noon", "midnight") and (hour, minute) != (12, 0):
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


@lru_cache(maxsize=4096)  # a programme repeats the same few values
def parse_time(text: str) -> dt.time:
    """Parse a wall-clock time as press releases write it.

    >>> parse_time("1:00 pm"), parse_time("12:00 noon"), parse_time("8:00")
    (datetime.time(13, 0), datetime.time(12, 0), datetime.time(8, 0))
    """
    return _apply(*_parse_time_parts(text))


_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a programme repeats the same few values
def parse_time_range(text: str) -> tuple[dt.time, dt.time]:
    """Parse ``"8:00 am - 12:00 noon"`` or ``"11:30-11:45 am"``.

    A start without am/pm takes the end's, unless that would put it after the
    end (``"11-1 pm"`` is 11 am to 1 pm).

    >>> parse_time_range("11:30-11:45 am")
    (datetime.time(11, 30), datetime.time(11, 45))
    """
    pieces = _RANGE_SPLIT.split(text.strip())
    if len(pieces) != 2 or not all(pieces):
        raise ValueError(
            f"not a time range: {shown(text)} "
            "(write it like '8:00 am - 12:00 noon' or '13:00-14:30')"
        )
    sh, sm, smer = _parse_time_parts(pieces[0])
    eh, em, emer = _parse_time_parts(pieces[1])
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


@cache
def _zone_index() -> dict[str, str]:
    """Lower-cased lookup keys (full name and city) -> canonical IANA name."""
    index: dict[str, str] = {}
    for name in pytz.common_timezones:
        index.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[-1].lower()
        index.setdefault(city, name)
        index.setdefault(city.replace("_", " "), name)
    return index


def resolve_timezone(text: str) -> str:
    """Return the IANA name for ``text`` (an IANA name or CT/ET/MT/PT).

    Raises ``ValueError`` naming the IANA zone the user most likely meant.

    >>> resolve_timezone("CT"), resolve_timezone("Europe/Berlin")
    ('America/Chicago', 'Europe/Berlin')
    """
    name = text.strip()
    if name.upper() in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[name.upper()]
    if name in pytz.all_timezones_set:
        return name
    raise ValueError(f"unknown time zone {shown(text)}{_zone_suggestion(name)}")


def _zone_suggestion(name: str) -> str:
    index = _zone_index()
    key = name.lower().replace(" ", "_")
    candidate = index.get(key) or index.get(name.lower())
    if candidate is None:
        close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.75)
        candidate = index[close[0]] if close else None
    if candidate is None:
        return " (use an IANA name such as America/Chicago, or CT, ET, MT, PT)"
    return f" (did you mean {candidate}?)"


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
