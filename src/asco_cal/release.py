"""A press release -> a commented sessions.yaml draft, read by the same reader as any file.

A small rule-based extractor over the release's lines (:mod:`asco_cal.releasetext`):

1. **The meeting**: its dates (``June 4-8, 2011``), its city (``in Chicago``, else the
   dateline's) and from them the zone, unless the release's times carry zone labels (``CT``,
   ``CEST``); the year from the meeting's dates, the dateline, a year next to the meeting's
   name, or the address the release was published at.
2. **Mentions** on every line: dates (``Saturday, June 4``, ``3 July``, ``Thursday``), times
   as :func:`asco_cal.values.parse_listings` reads them (found by a pattern, then parsed by
   it), abstract numbers, titles, rooms, halls, boards, types, compounds, ``Label: value``
   fields.
3. **Sessions**: each time makes a session (or a part of the presentation just named, such as
   a poster and its discussion), with the date nearest it or the one its heading or paragraph
   gives; a presentation named with no time is "to be announced".

Every value keeps where it came from, so the draft cites the release's line for it and the
located tree (:mod:`asco_cal.tree`) the reader gets puts every problem at the release's line and
column.  Whatever the extractor inferred (a date from a weekday alone, a zone from a city, a
title cut from a sentence) is marked ``# check:`` and listed as a warning; what it could not
place is reported, not guessed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from asco_cal import zones
from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.loader import Loaded, load_tree
from asco_cal.releasetext import Line, Release
from asco_cal.timing import NO_ZONE
from asco_cal.tree import MappingNode, Node, Option, ScalarNode, SequenceNode
from asco_cal.values import CLOCK_WORDS_RE, MERIDIEM, Listing, parse_listings, shown, slug

# -- values with their place -------------------------------------------------------------------


@dataclass
class Value:
    """A value of the draft, where the release gives it, and why to check it (if at all)."""

    text: str
    line: int
    column: int
    quote: str  # the release's words
    check: str | None = None
    computed: bool = False  # made by the extractor (an id), not a copy of the release's words

    def node(self) -> ScalarNode:
        return ScalarNode(self.text, self.line - 1, self.column - 1, False)


@dataclass
class Session:
    shared: dict[str, Value] = field(default_factory=dict)  # abstract, id, title, compound
    parts: list[dict[str, Value]] = field(default_factory=list)
    line: int = 0
    all_day: Value | None = None  # the release's words saying it lasts the whole day


@dataclass
class Draft:
    """What the extractor made of a release: the draft's text and what the reader made of it."""

    yaml: str
    loaded: Loaded
    sessions: list[Session]
    conference: dict[str, Value]
    warnings: list[AscoCalError]  # checks and what could not be placed, in the release's places

    def flagged(self, session: Session, part: dict[str, Value]) -> bool:
        """Is anything its instants depend on marked ``# check:``?"""
        keys = ("date", "time", "start", "end", "duration", "timezone")
        if any(part[k].check for k in keys if k in part):
            return True
        zone = self.conference.get("timezone")
        spoken = part.get("time") or part.get("start")
        unlabelled = spoken is not None and not any(x.start_label for x in _listings(spoken.text))
        return bool(zone and zone.check and unlabelled)

    @property
    def checks(self) -> int:
        values = [*self.conference.values()]
        for s in self.sessions:
            values += [*s.shared.values(), *(v for p in s.parts for v in p.values())]
        return sum(1 for v in values if v.check)


def _listings(text: str) -> tuple[Listing, ...]:
    try:
        return parse_listings(text, single=False)
    except ValueError:
        try:
            return parse_listings(text, single=True)
        except ValueError:
            return ()


# -- patterns ------------------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
    r"(?![a-z])"
)
_WD = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?![a-z])"
_DAY = r"[0-3]?[0-9](?:st|nd|rd|th)?(?![0-9:])"
_YEAR = r"(?:19|20)[0-9]{2}(?![0-9])"
_DASH = r"\s*(?:[-–—]|to|through|until)\s*"
_RANGE = re.compile(
    rf"(?P<m1>{_MON})\s+(?P<d1>{_DAY}){_DASH}(?:(?P<m2>{_MON})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"
    rf"|(?P<e1>{_DAY}){_DASH}(?P<e2>{_DAY})\s+(?:of\s+)?(?P<em>{_MON})(?:,?\s+(?P<ey>{_YEAR}))?"
)
_DATE = re.compile(
    rf"(?:(?P<wd>{_WD}),?\s+(?:the\s+)?)?(?:(?P<m>{_MON})\s+(?P<d>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?"
    rf"(?P<m2>{_MON}))(?:,?\s+(?P<y>{_YEAR}))?"
    rf"|(?P<iso>{_YEAR})-(?P<im>[01][0-9])-(?P<id>[0-3][0-9])"
)
_WEEKDAYS = re.compile(rf"{_WD}(?:(?:,\s*|\s+and\s+|,\s+and\s+){_WD})*")
_AMPM = rf"(?i:{MERIDIEM}|(?:{CLOCK_WORDS_RE})\b)"
_T = rf"(?:[0-9]{{1,2}}(?::[0-5][0-9])?\s*{_AMPM}|[0-9]{{1,2}}:[0-5][0-9](?![0-9])|(?i:\bnoon\b))"
_T_START = rf"(?:{_T}|[0-9]{{1,2}}(?=\s*[-–—]\s*[0-9]))"
# A zone label after a time; "local" may come before it ("4:20 p.m. local EDT").
_LBL = (
    r"(?:\s*\(?(?:(?:[Ll]ocal\s+(?:[Tt]ime\s+)?)?(?:[A-Z]{2,5}\b|(?:UTC|GMT)\s*[+\-−]\s*[0-9]{1,2}"
    r"(?::?[0-9]{2})?)|[Ll]ocal [Tt]ime|[A-Z][a-z]+(?: [A-Z][a-z]+)? [Tt]ime\b)\)?)"
)
_LOCAL = re.compile(r"\b[Ll]ocal\s+(?:[Tt]ime\s+)?(?=\(?(?:[A-Z]{2,5}\b|UTC|GMT))")
# A word after a time that looks like a zone's abbreviation (SST, HKT, (KST)).
_ZONE_LIKE = re.compile(r"^(?:[A-Z]{1,4}T|\([A-Z]{2,5}\))$")
_SEP = r"\s*(?:[-–—]|\bto\b|\buntil\b|\btill\b)\s*"
_LISTING = rf"(?:{_T_START}{_LBL}?{_SEP}{_T}|{_T}){_LBL}?"
_TIME = re.compile(rf"(?<![0-9:.]){_LISTING}(?:\s*(?:/\s*|\(\s*)(?:{_LISTING})\)?)?")
_EMBARGO = re.compile(
    r"(?i)embargo(?:ed)?\s+(?:until|till)|\blift\b|\bdeadline\b|\bwebsite\b|\bregistration\b"
)
# Sentences whose times and dates are no session: abstracts published, an embargo lifting,
# a deadline, registering by a date.
_NOT_SESSION = re.compile(
    r"(?i)(?P<embargo>\bembargo(?:ed)?\b[^.;]{0,40}?\b(?:lift(?:s|ed)?|until|till|ends?|expires?)\b"
    r"|\blift(?:s|ed|ing)?\b[^.;]{0,20}?\bembargo)"
    r"|(?P<published>\b(?:publish(?:es|ed|ing)?|post(?:s|ed|ing)?)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}"
    r"abstracts?\b"
    r"|\babstracts?\b[^.;]{0,100}?\b(?:be|are|is|were|was|been)\s+(?:made\s+)?(?:publicly\s+)?"
    r"(?:released|published|posted|available|online|accessible)\b"
    r"|\b(?:available|posted|published)\s+online\b)"
    r"|(?P<deadline>\bdeadlines?\b|\bregist(?:er|ration)\b[^.;]{0,60}?\b(?:by|before|closes?|ends?)\b"
    r"|\bsubmi(?:t|ssions?)\b[^.;]{0,40}?\bby\b)"
)
_NOT_SESSION_WHY = {
    "embargo": "an embargo",
    "published": "abstracts being published",
    "deadline": "a deadline",
}
# Days the release names relative to its own date, or to the date just before.
_RELATIVE = re.compile(
    r"(?i)\b(?P<today>(?:later\s+)?today|tonight|this\s+(?:morning|afternoon|evening))\b"
    r"|\b(?P<same>(?:that|the)\s+same\s+day|(?:later\s+)?that\s+day)\b"
)
_ALL_DAY = re.compile(r"(?i)\ball[- ]day\b|\bthroughout the day\b|\bfull[- ]day\b")
_TOKEN = r"(?:[A-Z]{1,4}-?)?[0-9]{1,5}(?:-?[A-Z]{1,3})?(?![\w-])"  # noqa: S105 (no password)
_ABSTRACT = re.compile(
    rf"(?i:abstracts?(?:\s*(?:#|no\.?|nos\.?|number|nr\.?|id)\s*)?)\s*[:#]?\s*#?(?P<n>{_TOKEN})"
    rf"(?P<more>(?:\s*(?:,|and|&)\s*#?{_TOKEN})*)"
)
_MORE = re.compile(rf"#?({_TOKEN})")
_QUOTED = re.compile(r"[\"“]([^\"“”]{15,600})[\"”]")
_ROOM = re.compile(r"\b(?:[Rr]oom:?\s+)(?P<r>[A-Z0-9][\w-]*(?: [0-9][\w-]*)?)")
_HALL = re.compile(
    r"\b(?P<h>(?:(?!(?:The|In|At|On|Of|And)\b)[A-Z][a-z]+ )?Hall [A-Z0-9][\w-]*"
    r"(?:\s*(?:\+|&|and)\s*[A-Z0-9][\w-]*)*)"
)
_SECTION = re.compile(r"\b(?P<s>[Ss]ection [0-9]{1,3}[A-Z]?)\b")
_BOARD = re.compile(
    r"\b(?:[Pp]oster [Bb]oard(?: [Nn]umber)?:?\s*#?\s*(?P<b>[A-Z]{0,3}[0-9]{1,4}[a-z]?)"
    r"|(?P<p>Poster [0-9]{1,4}[a-z]?)(?![\w-]))"
)
_MINUTES = re.compile(r"\b(?P<n>[0-9]{1,3})-minute\b")
_INN = re.compile(
    r"\b[a-z]{3,}(?:mab|nib|cept|stat|lisib|parib|ciclib|limus|vedotin|tansine|tecan|platin|"
    r"taxel|rubicin|lidomide|ercept)(?:\s+[a-z]+(?:vedotin|tansine|tecan|mertansine))?"
    r"(?:\s+\([A-Z][\w, -]{0,20}[0-9][\w-]*\))?"
)
_CODE = re.compile(r"\b[A-Z]{2,5}-?[0-9]{2,6}[A-Z]?\b")
_CITY_AFTER = re.compile(r"\b(?:in|at)\s+(?P<c>[A-Z][a-zA-Z.'-]+(?:\s[A-Z][a-zA-Z.'-]+){0,2})")
_DATELINE = re.compile(r"^\(?(?P<c>[A-Z][A-Z.'-]+(?:[ -][A-Z][A-Z.'-]+){0,3})\b[ ,(]")
_CONGRESS = re.compile(
    r"(?:\b[0-9]{1,3}(?:st|nd|rd|th)\s+|\b(?:19|20)[0-9]{2}\s+)?(?:(?:[A-Z][\w&'-]*|\(\w+\))"
    r"(?:\s+(?:[A-Z0-9][\w&'-]*|of|on|for|and|the|\(\w+\)))*\s+)?"
    r"(?:(?i:annual meeting)|Congress|Symposium|World Conference|Conference|Meeting)"
    r"(?:\s+(?:on|of)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?"
    r"(?:\s+(?:19|20)[0-9]{2})?(?:\s+and Exposition)?"
)
_HEADLINE_YEAR = re.compile(rf"(?<![0-9])(?P<y>{_YEAR})\b")  # "2023", "EHA2025"
_NAMED_YEAR = re.compile(rf"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*[ -]?(?P<y>{_YEAR})\b")  # WCLC 2023
_URL_YEAR = re.compile(r"/(?P<y>(?:19|20)[0-9]{2})(?:[/_-]|[01][0-9][0-3][0-9])")
_LABEL = re.compile(r"(?P<label>[A-Z][A-Za-z#&/ .-]{0,45}?)\s*:(?=\s|$)")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“\[])")  # not before "(Abstract 6546)"
_ABBREVIATED = frozenset(
    [
        "a.m",
        "p.m",
        "dr",
        "mr",
        "ms",
        "mrs",
        "st",
        "no",
        "vs",
        "inc",
        "co",
        "jr",
        "sr",
        "mt",
        "prof",
        "dec",
        "nov",
        "oct",
        "sep",
        "sept",
        "aug",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "calif",
        "mass",
        "wash",
        "fla",
        "ill",
        "ind",
        "penn",
        "tex",
        "ariz",
        "colo",
        "conn",
        "del",
        "md",
        "minn",
        "mo",
        "nev",
        "okla",
        "ore",
        "va",
        "wis",
        "e.g",
        "i.e",
        "al",
        "fig",
        "u.s",
        "approx",
        "ph.d",
        "m.d",
    ]
)


def sentence_ends(text: str) -> list[int]:
    """Where the sentences of ``text`` end (not after "Dr.", "Dec.", "p.m." or an initial)."""
    out = []
    for m in _SENTENCE_END.finditer(text):
        word = text[: m.start()].rsplit(None, 1)[-1].lower() if text[: m.start()].strip() else ""
        if word in _ABBREVIATED or len(word) == 1 or word.endswith(("a.m", "p.m")):
            continue
        out.append(m.end())
    return out


TYPES = (
    ("poster discussion", r"poster discussion"),
    ("mini oral", r"mini[- ]?oral"),
    ("e-poster", r"e-?poster"),
    ("press conference", r"press conferences?|news conferences?"),
    ("press briefing", r"press briefings?|media briefings?"),
    ("media brief", r"media brief"),
    (
        "investor event",
        r"investor (?:event|meeting|reception|call|dinner|breakfast)s?|analyst "
        r"(?:event|meeting|call)s?",
    ),
    ("webcast", r"webcast|conference call"),
    ("panel session", r"panel(?: session| discussion)?"),
    ("plenary", r"plenary"),
    ("keynote", r"keynote"),
    ("education session", r"education(?:al)? (?:session|book)"),
    ("discussion", r"oral discussion|discussion session"),
    ("oral", r"oral(?: abstract)?(?: presentations?| sessions?)?|late-breaking abstract|\btalk\b"),
    ("poster", r"posters?"),
    ("ceremony", r"ceremony"),
    ("concert", r"concert"),
)
_TYPE = re.compile("|".join(f"(?P<t{i}>\\b(?:{p})\\b)" for i, (_, p) in enumerate(TYPES)), re.I)

# "Label: value" fields, by the words of the label (lower case).
FIELD_LABELS = {
    "title": "title",
    "abstract title": "title",
    "presentation title": "title",
    "poster title": "title",
    "abstract": "abstract",
    "abstract number": "abstract",
    "abstract #": "abstract",
    "abstract no": "abstract",
    "abstract no.": "abstract",
    "abstract # & link": "abstract",
    "abstract id": "abstract",
    "presentation number": "abstract",
    "presentation #": "abstract",
    "abstract/presentation number": "abstract",
    "session": "session",
    "session name": "session",
    "session title": "session",
    "session & location": "session",
    "track": "session",
    "date": "date",
    "session date": "date",
    "presentation date": "date",
    "day": "date",
    "time": "time",
    "session time": "time",
    "presentation time": "time",
    "date & time": "time",
    "date and time": "time",
    "when": "time",
    "room": "room",
    "location": "room",
    "venue": "room",
    "where": "room",
    "hall": "hall",
    "poster board": "board",
    "poster board number": "board",
    "board": "board",
    "board number": "board",
    "poster no": "board",
    "poster no.": "board",
    "poster number": "board",
    "poster #": "board",
    "type": "type",
    "presentation type": "type",
    "format": "type",
    "session type": "type",
    "section": "section",
    "poster section": "section",
}
_PEOPLE = re.compile(r"(?i)speaker|presenter|author|moderator|leader|chair|discussant|faculty")
_DEGREES = re.compile(
    r"^(?:M\.?D\.?|Ph\.?D\.?|MBBS|ScD|Dr\. ?P\.?H\.?|MPH|M\.?S\.?|R\.?N\.?|PharmD|"
    r"D\.?O\.?|FASCO|FACP|FRCPC|MSc|MBA|BSN|DrPH|FRCP|MMSc|MHS|MS)$"
)


# -- mentions in a line ---------------------------------------------------------------------------


@dataclass
class DateSaid:
    start: int
    end: int
    text: str
    month: int | None
    day: int | None
    year: int | None
    weekdays: tuple[int, ...]  # 0 = Monday
    relative: str | None = None  # "today" (the release's date) or "same" (the date before)


@dataclass
class TimeSaid:
    start: int
    end: int
    text: str  # as the reader takes it ("local" left out), second listing included
    listings: tuple[Listing, ...]
    quote: str = ""  # as written
    unknown: str | None = None  # a zone-like word after it that is no zone asco-cal knows


@dataclass
class Mentions:
    dates: list[DateSaid]
    times: list[TimeSaid]
    ranges: list[tuple[int, int, str, tuple[dt.date | None, dt.date | None, int | None]]]
    unread: list[tuple[int, str]]  # times found by the pattern that parse_listings refused


def _month(text: str) -> int:
    return MONTHS[text[:3].lower()]


def _day(text: str) -> int:
    return int(re.match(r"[0-9]+", text).group())  # type: ignore[union-attr]


def _weekday(text: str) -> int:
    return WEEKDAYS.index(text.lower())


def mentions(text: str) -> Mentions:
    masked = list(text)

    def mask(a: int, b: int) -> None:
        masked[a:b] = "§" * (b - a)

    ranges = []
    for m in _RANGE.finditer(text):
        y = m.group("y") or m.group("ey")
        year = int(y) if y else None
        if m.group("m1"):
            m1 = _month(m.group("m1"))
            m2 = _month(m.group("m2")) if m.group("m2") else m1
            d1, d2 = _day(m.group("d1")), _day(m.group("d2"))
        else:
            m1 = m2 = _month(m.group("em"))
            d1, d2 = _day(m.group("e1")), _day(m.group("e2"))
        if not (1 <= d1 <= 31 and 1 <= d2 <= 31) or (m1, d1) >= (m2, d2):
            continue
        ranges.append((m.start(), m.end(), m.group(), ((m1, d1), (m2, d2), year)))
        mask(m.start(), m.end())
    dates = []
    flat = "".join(masked)
    for m in _DATE.finditer(flat):
        if m.group("iso"):
            dates.append(
                DateSaid(
                    m.start(),
                    m.end(),
                    m.group(),
                    int(m.group("im")),
                    int(m.group("id")),
                    int(m.group("iso")),
                    (),
                )
            )
        else:
            month = _month(m.group("m") or m.group("m2"))
            day = _day(m.group("d") or m.group("d2"))
            if not 1 <= day <= 31:
                continue
            wd = (_weekday(m.group("wd")),) if m.group("wd") else ()
            year = int(m.group("y")) if m.group("y") else None
            dates.append(DateSaid(m.start(), m.end(), m.group(), month, day, year, wd))
        mask(m.start(), m.end())
    flat = "".join(masked)
    for m in _RELATIVE.finditer(flat):
        kind = "today" if m.group("today") else "same"
        dates.append(DateSaid(m.start(), m.end(), m.group(), None, None, None, (), kind))
        mask(m.start(), m.end())
    flat = "".join(masked)
    for m in _WEEKDAYS.finditer(flat):
        days = tuple(_weekday(w) for w in re.findall(_WD, m.group()))
        dates.append(DateSaid(m.start(), m.end(), m.group(), None, None, None, days))
        mask(m.start(), m.end())
    dates.sort(key=lambda d: d.start)
    flat = "".join(masked)
    times: list[TimeSaid] = []
    unread: list[tuple[int, str]] = []
    for m in _TIME.finditer(flat):
        said = _read_time(text[m.start() : m.end()])
        if said is None:
            unread.append((m.start(), m.group()))
            continue
        written, listings, unknown = said
        quote = text[m.start() : m.start() + len(written)]
        value = _LOCAL.sub("", quote)
        if unknown:
            tail = text[m.start() + len(written) : m.end()]
            quote = (quote + tail).rstrip(" ,;")
        times.append(TimeSaid(m.start(), m.start() + len(quote), value, listings, quote, unknown))
    return Mentions(dates, times, ranges, unread)  # type: ignore[arg-type]


def _read_time(text: str) -> tuple[str, tuple[Listing, ...], str | None] | None:
    """The time as written, its listings, and a zone-like word after it that is no zone
    asco-cal knows (dropped from the time, reported by the caller); another word is dropped."""
    text = text.rstrip(" ,;")
    for candidate in (text, zones.split_label(text)[0], re.sub(r"\s*\(\s*$", "", text)):
        candidate = candidate.strip()
        while candidate.count(")") > candidate.count("(") and candidate.endswith(")"):
            candidate = candidate[:-1].rstrip()
        if candidate.count("(") > candidate.count(")"):
            candidate = candidate.rsplit("(", 1)[0].strip()
        try:
            listings = parse_listings(_LOCAL.sub("", candidate))
        except ValueError:
            continue
        if all(x.start_label is None or zones.known_label(x.start_label) for x in listings):
            dropped = text[len(candidate) :].strip(" ,;")
            unknown = dropped if _ZONE_LIKE.match(dropped) else None
            return candidate, listings, unknown
    return None


# -- the meeting ----------------------------------------------------------------------------------


@dataclass
class Meeting:
    year: int | None = None
    year_value: Value | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    dates_value: Value | None = None
    city: Value | None = None
    zone: Value | None = None
    name: Value | None = None
    dateline: dt.date | None = None


class Extractor:
    def __init__(
        self, release: Release, *, year: int | None = None, zone: str | None = None
    ) -> None:
        self.release = release
        self.name = release.name
        self.warnings: list[AscoCalError] = []
        self.errors: list[AscoCalError] = []
        self.given_year = year
        self.given_zone = zone
        self.said = [mentions(line.text) for line in release.lines]
        self.index = {id(line): i for i, line in enumerate(release.lines)}
        self.meeting = Meeting()

    # -- places and messages

    def value(
        self, line: Line, offset: int, text: str, quote: str | None = None, check: str | None = None
    ) -> Value:
        quote = text if quote is None else quote
        ln, col = self.release.locate(line, offset, quote)
        return Value(text, ln, col, quote, check)

    def warn(
        self,
        where: Value | tuple[int, int] | None,
        message: str,
        code: str = "check",
        path: str | None = None,
    ) -> None:
        if isinstance(where, Value):
            location = Location(self.name, where.line, where.column)
        elif where is not None:
            location = Location(self.name, *where)
        else:
            location = Location(self.name)
        self.warnings.append(
            AscoCalError(message, location=location, field=path, severity="warning", code=code)
        )

    def error(self, where: Value, message: str, path: str | None = None) -> None:
        self.errors.append(
            AscoCalError(
                message, location=Location(self.name, where.line, where.column), field=path
            )
        )

    # -- the meeting

    def find_meeting(self) -> None:
        m = self.meeting
        lines = self.release.lines
        # Its dates: the first range (June 4-8, 2011; 19-23 October).
        self._range: tuple[int, int, int, int, int | None, Line] | None = None
        for line, said in zip(lines, self.said, strict=True):
            if said.ranges:
                start, _, text, ((m1, d1), (m2, d2), year) = said.ranges[0]  # type: ignore[misc]
                m.dates_value = self.value(line, start, text)
                self._range = (m1, d1, m2, d2, year, line)
                break
        # The dateline: a full date in the first lines.
        for line, said in list(zip(lines, self.said, strict=True))[:8]:
            full = [d for d in said.dates if d.year and d.month and d.day]
            if full:
                try:
                    m.dateline = dt.date(full[0].year, full[0].month, full[0].day)  # type: ignore[arg-type]
                except ValueError:
                    continue
                dateline_value = self.value(line, full[0].start, full[0].text)
                break
        else:
            dateline_value = None
        # The year.
        if self.given_year:
            m.year = self.given_year
            m.year_value = Value(str(self.given_year), 1, 1, "--year")
        elif self._range and self._range[4]:
            m.year, m.year_value = self._range[4], m.dates_value
        elif m.dateline:
            m.year, m.year_value = m.dateline.year, dateline_value
        else:
            for i, line in enumerate(lines):
                if i > 40:
                    break
                for c in _CONGRESS.finditer(line.text[:2000]):
                    y = _HEADLINE_YEAR.search(c.group())
                    if y:
                        m.year = int(y.group("y"))
                        m.year_value = self.value(
                            line,
                            c.start() + y.start(),
                            y.group(),
                            check=f"the year from {shown(c.group(), 60)}",
                        )
                        break
                if m.year:
                    break
            for i, line in enumerate(lines[:40]):
                if m.year is not None:
                    break
                # A meeting's short name with its year ("WCLC 2023", "EHA2025"), then the
                # headline's year.
                y = _NAMED_YEAR.search(line.text[:2000]) or (
                    _HEADLINE_YEAR.search(line.text[:300]) if i == 0 else None
                )
                if y:
                    m.year = int(y.group("y"))
                    m.year_value = self.value(
                        line,
                        y.start("y"),
                        y.group("y"),
                        check=f"the year from {shown(y.group(), 60)}",
                    )
            if m.year is None and self.release.title:
                y = _HEADLINE_YEAR.search(self.release.title)
                if y:
                    m.year = int(y.group("y"))
                    m.year_value = Value(
                        y.group(),
                        1,
                        1,
                        self.release.title,
                        f"the year from the page's title {shown(self.release.title, 60)}",
                    )
            if m.year is None and self.release.address:
                y = _URL_YEAR.search(self.release.address)
                if y:
                    m.year = int(y.group("y"))
                    m.year_value = Value(
                        y.group("y"),
                        1,
                        1,
                        self.release.address,
                        "the year from the address the release was published at",
                    )
        if self._range and m.year:
            m1, d1, m2, d2, _, line = self._range
            try:
                m.start = dt.date(m.year, m1, d1)
                m.end = dt.date(m.year + (m2 < m1), m2, d2)
            except ValueError:
                m.start = m.end = None
        self.find_name()
        self.find_zone()

    def find_name(self) -> None:
        for line in self.release.lines[:40]:
            for c in _CONGRESS.finditer(line.text[:2000]):
                words = c.group().strip()
                words = re.sub(r"^(?:the|The)\s+", "", words)
                if len(words.split()) < 3 and words.split()[0] in ("Annual", "Congress", "Meeting"):
                    continue
                self.meeting.name = self.value(
                    line, c.start(), words, check="the meeting's name, as the release writes it"
                )
                return

    def find_zone(self) -> None:
        m = self.meeting
        dates = (m.start, m.end) if m.start and m.end else None
        if self.given_zone:
            try:
                zone = zones.resolve(self.given_zone)
            except ValueError as exc:
                from asco_cal.errors import UsageError

                raise UsageError(f"--timezone: {exc}") from None
            m.zone = Value(zone, 1, 1, "--timezone")
            return
        # The labels of the times, each time's first listing only: a conversion in brackets or
        # after a slash ("4:20 p.m. EDT (10:20 pm CEST)") never chooses the meeting's zone.
        labels: dict[str, list[Value]] = {}
        names: set[str] = set()
        for line, said in zip(self.release.lines, self.said, strict=True):
            for t in said.times:
                listing = t.listings[0]
                if listing.start_label:
                    names.add(listing.start_label)
                    try:
                        zone = zones.resolve(listing.start_label, dates=dates)
                    except ValueError:
                        continue
                    labels.setdefault(zone, []).append(self.value(line, t.start, t.text, t.quote))
        cities = self.cities()
        named = [(c, z) for c, z, dateline in cities if not dateline]
        datelines = [(c, z) for c, z, dateline in cities if dateline]
        if named:
            # The meeting's city ("in Boston"): never the dateline's (the company's home).
            city, zone = named[0]
            m.city = city
            if labels and not any(zones.same_clock(zone, z, dates) for z in labels):
                check: str | None = (
                    f"from the city {shown(city.text)}; the release's times are labelled "
                    + ", ".join(sorted(names))
                )
            elif labels:
                check = None
            else:
                check = f"from the city {shown(city.text)}; no time in the release names its zone"
            m.zone = Value(zone, city.line, city.column, city.quote, check)
            return
        if labels:
            zone = max(labels, key=lambda z: len(labels[z]))
            first = labels[zone][0]
            for city, city_zone in datelines:
                if zones.same_clock(city_zone, zone, dates):
                    m.city = city
                    m.zone = Value(
                        city_zone,
                        city.line,
                        city.column,
                        city.quote,
                        f"the clock of the times' zone label, named after the dateline's city "
                        f"{shown(city.text)} (where the release was issued, maybe not the "
                        "meeting's city)",
                    )
                    return
            m.zone = Value(
                zone,
                first.line,
                first.column,
                first.quote,
                "from the times' zone label; the release names no city on its clock",
            )
            return
        if datelines:
            city, zone = datelines[0]
            m.city = city
            m.zone = Value(
                zone,
                city.line,
                city.column,
                city.quote,
                f"from the dateline's city {shown(city.text)} (where the release was issued, "
                "maybe not where the meeting is); no time in the release names its zone",
            )
            return
        self.errors.append(
            AscoCalError(
                "no time zone found: the release names no zone after its times and no city; "
                "give --timezone, e.g. --timezone CT",
                location=Location(self.name),
            )
        )

    def cities(self) -> list[tuple[Value, str, bool]]:
        """Cities the release names, the meeting's first (the line with its dates), then others;
        each with its zone and whether it is only the dateline's."""
        out: list[tuple[Value, str, bool]] = []
        seen: set[str] = set()
        lines = list(zip(self.release.lines, self.said, strict=True))[:60]
        ordered = sorted(range(len(lines)), key=lambda i: (not lines[i][1].ranges, i))
        for i in ordered:
            line, _ = lines[i]
            found = [(c.start("c"), c.group("c"), False) for c in _CITY_AFTER.finditer(line.text)]
            if i < 8:
                d = _DATELINE.match(line.text)
                if d:
                    found.append((d.start("c"), d.group("c").title(), True))
            for start, name, dateline in found:
                words = name.split()
                for n in range(len(words), 0, -1):
                    candidate = " ".join(words[:n]).rstrip(".,")
                    if candidate.lower() in seen or len(candidate) < 4:
                        continue
                    if candidate.split()[0].lower() in WEEKDAYS or (
                        candidate[:3].lower() in MONTHS and len(candidate) < 10
                    ):
                        continue
                    zone = _city_zone(candidate)
                    if zone:
                        seen.add(candidate.lower())
                        out.append((self.value(line, start, candidate), zone, dateline))
                        break
        return out

    # -- dates

    def date_of(self, said: DateSaid, line: Line, context: dt.date | None = None) -> list[Value]:
        """The day(s) a date mention names, checked against its weekday; [] if not placed."""
        m = self.meeting
        quote = said.text
        out = []
        if said.relative is not None:  # "today", "that same day"
            where = self.value(line, said.start, quote)
            if said.relative == "same" and context is not None:
                how = f"{shown(quote)}: the date said just before it ({context:%B %d, %Y})"
                return [self.value(line, said.start, context.isoformat(), quote, how)]
            if m.dateline is None:
                self.warn(
                    where,
                    f"{shown(quote)}: the release gives no date of its own to count from; "
                    "give the session's date",
                    "not-placed",
                )
                return []
            how = f"{shown(quote)}: the release's own date ({m.dateline:%B %d, %Y})"
            return [self.value(line, said.start, m.dateline.isoformat(), quote, how)]
        if said.month is None:  # weekdays only
            for wd in said.weekdays:
                day, how = self._weekday_day(wd, context)
                if day is None:
                    self.warn(
                        self.value(line, said.start, quote),
                        f"{shown(quote)}: a weekday without a date, and the meeting's dates "
                        "are not in the release; give the session's date",
                        "not-placed",
                    )
                    return []
                how = f"the release says only {shown(quote)}: the {WEEKDAYS[wd].title()} {how}"
                out.append(self.value(line, said.start, day.isoformat(), quote, how))
            return out
        year = said.year or self._year_for(said.month)
        if year is None:
            candidates = [
                y
                for y in range(1990, 2031)
                if said.weekdays
                and _valid(y, said.month, said.day)
                and dt.date(y, said.month, said.day or 1).weekday() == said.weekdays[0]
            ]
            hint = f" ({quote} is in {', '.join(map(str, candidates[-4:]))})" if candidates else ""
            self.warn(
                self.value(line, said.start, quote),
                f"{shown(quote)}: the release gives no year{hint}; give it with --year",
                "not-placed",
            )
            return []
        assert said.month is not None and said.day is not None
        if not _valid(year, said.month, said.day):
            self.error(
                self.value(line, said.start, quote), f"{shown(quote)}: no such day in {year}"
            )
            return []
        day = dt.date(year, said.month, said.day)
        check = self.meeting.year_value.check if not said.year and self.meeting.year_value else None
        if said.weekdays and day.weekday() != said.weekdays[0]:
            self.error(
                self.value(line, said.start, quote),
                f"{shown(quote)}: {day:%B} {day.day}, {year} is a {day:%A}, not a "
                f"{WEEKDAYS[said.weekdays[0]].title()}; check the release",
            )
            return []
        if said.weekdays and check:
            check = None  # the weekday confirms the year
        return [self.value(line, said.start, day.isoformat(), quote, check)]

    def _year_for(self, month: int) -> int | None:
        m = self.meeting
        if m.start and m.end and m.start.year != m.end.year:
            return m.start.year if month >= m.start.month else m.end.year
        return m.year

    def _weekday_day(self, wd: int, context: dt.date | None) -> tuple[dt.date | None, str]:
        """The day a weekday alone names, and how it was found: the dated day just before it
        (same weekday, or the next such day), the meeting's, or the next after the release's."""
        m = self.meeting
        if context is not None and context.weekday() == wd:
            return context, f"of the date said before it ({context:%A, %B %d})"
        if m.start and m.end and (m.end - m.start).days < 7:
            day = m.start
            while day <= m.end:
                if day.weekday() == wd:
                    return day, f"of the meeting ({m.start:%b %d}-{m.end:%b %d})"
                day += dt.timedelta(days=1)
            return None, ""
        if context is not None:
            day = context + dt.timedelta(days=(wd - context.weekday()) % 7)
            return day, f"after the date said before it ({context:%A, %B %d})"
        if m.dateline:
            day = m.dateline + dt.timedelta(days=(wd - m.dateline.weekday()) % 7 or 7)
            return day, f"after the release's date ({m.dateline:%B %d, %Y})"
        return None, ""


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _city_zone(name: str) -> str | None:
    if name.isupper() and len(name) <= 5:
        return None  # an abbreviation (CT, ASCO), not a city
    try:
        zone = zones.resolve(name)
    except ValueError:
        return None
    # A city, not a zone's abbreviation or IANA name written in the text.
    if name.upper() in zones.ABBREVIATIONS or "/" in name:
        return None
    return zone


# -- labels ("Title: ...") --------------------------------------------------------------------


def labels_in(text: str) -> list[tuple[int, int, str, str]]:
    """The ``Label:`` fields of a line: (start, end of the colon, field, label as written)."""
    out = []
    for m in _LABEL.finditer(text):
        words = m.group("label")
        # The label may be the last words of what the pattern took ("... Trial Abstract Number").
        parts = words.split(" ")
        for n in range(len(parts)):
            label = " ".join(parts[n:])
            lower = " ".join(label.lower().split())
            start = m.start() + len(" ".join(parts[:n])) + (1 if n else 0)
            if lower in FIELD_LABELS:
                out.append((start, m.end(), FIELD_LABELS[lower], label))
                break
            if _PEOPLE.search(lower) and len(parts) - n <= 5 and (n == 0 or parts[n][:1].isupper()):
                out.append((start, m.end(), "presenters", label))
                break
    return out


def _after(text: str, start: int, stop: int) -> str:
    return text[start:stop].strip(" ;,.\t")


def _presenters(text: str) -> list[str]:
    """``"Antonio Piga, M.D., Ph.D., San Luigi Hospital"`` -> ``["Antonio Piga, M.D., Ph.D."]``."""
    out = []
    for person in re.split(r"\s*;\s*|\s+and\s+(?=[A-Z])", text):
        pieces = [p.strip() for p in person.split(",")]
        kept = [pieces[0]]
        for piece in pieces[1:]:
            if _DEGREES.match(piece.replace(" ", "")) or _DEGREES.match(piece):
                kept.append(piece)
            else:
                break
        name = re.sub(r"\s*\(.*?\)\s*$", "", ", ".join(kept)).strip(" .") if kept[0] else ""
        if name.endswith(("M.D", "Ph.D", "P.H")):
            name += "."
        if 3 <= len(name) <= 80 and not re.search(r"[0-9]", name):
            out.append(name)
    return out


# -- building sessions --------------------------------------------------------------------------


@dataclass
class _Context:
    dates: list[Value] = field(default_factory=list)  # from a heading or an intro line
    time: tuple[Line, TimeSaid] | None = None  # a line that is only a time (a programme's slot)
    compound: Value | None = None
    type: Value | None = None


def _type_near(text: str, before: int) -> tuple[int, str, str] | None:
    """The session type whose words are nearest before ``before`` (else first after it)."""
    found = [
        (m.start(), next(TYPES[int(k[1:])][0] for k, v in m.groupdict().items() if v), m.group())
        for m in _TYPE.finditer(text)
    ]
    if not found:
        return None
    earlier = [f for f in found if f[0] < before]
    return earlier[-1] if earlier else found[0]


# Words that end like a drug's name and are none.
_NOT_INN = frozenset(
    [
        "concept",
        "concepts",
        "intercept",
        "intercepts",
        "accept",
        "except",
        "precept",
        "percept",
        "thermostat",
        "rheostat",
        "hemostat",
        "haemostat",
    ]
)


def _compound(text: str) -> tuple[int, str] | None:
    found = [(m.start(), m.group()) for m in _CODE.finditer(text)]
    found = [f for f in found if not re.fullmatch(r"[A-Z]{2,3}[0-9]{1,2}", f[1])]  # CD19, HER2
    found += [
        (m.start(), m.group())
        for m in _INN.finditer(text)
        if m.group().split()[0].lower() not in _NOT_INN
    ]
    found.sort()
    return found[0] if found else None


def _title_from(text: str, said: Mentions, lo: int, hi: int) -> str:
    """What a line says between lo and hi, without its dates, times and filler."""
    cut = list(text[lo:hi])
    for span in [*((d.start, d.end) for d in said.dates), *((t.start, t.end) for t in said.times)]:
        if span[1] > lo and span[0] < hi:
            for i in range(max(span[0], lo), min(span[1], hi)):
                cut[i - lo] = " "
    words = "".join(cut)
    words = re.sub(r"\((?:[0-9]{1,2}|[^()]*\b(?:abstract|Abstract)\b[^()]*)\)", " ", words)
    words = re.sub(r"\s+", " ", words)
    words = re.sub(r"^[\s\-–—―•·*:,;.0-9)]+|[\s\-–—―:,;(]+$", "", words)
    words = re.sub(
        r"^(?:(?:on|at|from|in)\s+)+|(?:\s+(?:on|at|from|in|begin|beginning))+$", "", words
    )
    return words.strip(" ,;:-–—")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Builder(Extractor):
    def build(self) -> list[Session]:
        self.find_meeting()
        lines = self.release.lines
        blocks: dict[int, list[int]] = {}
        for i, line in enumerate(lines):
            blocks.setdefault(line.block, []).append(i)
        self.out: list[Session] = []
        ctx = _Context()
        self.pending: Session | None = None
        self.pending_block = -1
        self.session_items: Session | None = None  # items under a timed line: its description
        self.carry: tuple[int, list[Value]] = (-1, [])  # a paragraph's last date
        # A line that is only a time ("11 a.m. ET"), until entries under it use it: with none,
        # it is a session of its own (a press conference's slot under its day).
        self.open_slot: tuple[Line, TimeSaid, list[Value]] | None = None
        self.last_heading: tuple[int, Line] | None = None  # a short line naming what follows
        self.intro: tuple[int, Line] | None = None  # a line ending with ":"
        for line, said in zip(lines, self.said, strict=True):
            for at, words in said.unread:
                self.warn(
                    self.value(line, at, words),
                    f"{shown(words)} looks like a time but is not read as one; give the "
                    "session's time if it is one",
                    "not-placed",
                )
        i = 0
        while i < len(lines):
            line, said = lines[i], self.said[i]
            text = line.text
            if text.strip("[]. …") == "" or (text.startswith("[...") and len(text) < 12):
                i += 1
                continue
            self._note_heading(i, line, said)
            alone = len(blocks[line.block]) == 1
            if (
                self.pending is not None
                and line.block != self.pending_block
                and not (
                    line.item
                    or (labels_in(text)[:1] and labels_in(text)[0][0] <= 3)
                    or len(text) < 160
                )
            ):
                self._close()
            rest = self._rest(text, said)
            if said.dates and not said.times and not rest:  # a day heading: "Friday, June 1st"
                self._flush_slot()
                ctx = _Context(dates=self.date_of(said.dates[0], line))
                self._close()
                i += 1
                continue
            if said.times and not rest and not said.dates:  # a slot heading: "1-4 p.m."
                self._flush_slot()
                ctx.time = (line, said.times[0])
                self.open_slot = (line, said.times[0], list(ctx.dates))
                self._close()
                i += 1
                continue
            labels = labels_in(text)
            if (labels and labels[0][0] <= 3) or len(labels) >= 2:
                self._flush_slot()
                i = self._record(i, ctx)
                continue
            heading = (
                alone
                and len(text) < 120
                and not text.endswith(".")
                and not line.item
                and not said.times
                and not _ABSTRACT.search(text)
                and not _QUOTED.search(text)
            )
            if heading:
                self._flush_slot()
                self._close()
                self.session_items = None
                ctx = _Context()
                if said.dates:
                    ctx.dates = self.date_of(said.dates[0], line)
                c = _compound(text)
                if c:
                    ctx.compound = self.value(line, c[0], c[1])
                kinds = {k for _, k, _ in filter(None, [_type_near(text, len(text))])}
                found = list(_TYPE.finditer(text))
                if len(found) == 1 and kinds:
                    t = _type_near(text, len(text))
                    assert t is not None
                    ctx.type = self.value(line, t[0], t[1], t[2])
                i += 1
                continue
            if (
                ctx.time is not None
                and not said.times
                and not line.item
                and not text.startswith("About ")
            ):
                self.open_slot = None
                i = self._slot_entry(i, blocks[line.block], ctx)
                continue
            self._flush_slot()
            self._prose(i, ctx)
            i += 1
        self._flush_slot()
        self._close()
        return self.out

    def _note_heading(self, i: int, line: Line, said: Mentions) -> None:
        text = line.text
        if text.rstrip().endswith(":") and not line.item:
            self.intro = (i, line)
        elif (
            len(text) < 120
            and len(text.split()) <= 14
            and text[:1].isupper()
            and not line.item
            and not said.times
            and not text.endswith((".", ",", ";"))
            and self._rest(text, said)  # words, not only a date
        ):
            self.last_heading = (i, line)

    def _flush_slot(self) -> None:
        """A time alone on its line that no entries followed: a session of its own, named by
        the heading (or the line with ":") above it."""
        if self.open_slot is None:
            return
        line, t, dates = self.open_slot
        self.open_slot = None
        at = self.index[id(line)]
        above = [h for h in (self.last_heading, self.intro) if h is not None and h[0] < at]
        part: dict[str, Value] = {}
        self._timed(part, line, t, dates, _Context())
        if not dates:
            self.warn(
                part.get("time") or part.get("start"),
                f"{shown(t.quote)}: no date for this time in the release",
                "not-placed",
            )
        words = " ".join(h[1].text for h in above)
        kind = _type_near(words, len(words))
        session = Session(line=line.marks[0][1])
        if above:
            # The heading, unless the line with ":" is well below it.
            named = above[0][1] if above[-1][0] - above[0][0] <= 2 else max(above)[1]
            session.shared["title"] = self.value(
                named,
                0,
                _short(named.text.rstrip(":"), 100),
                named.text,
                "named from the heading above the time; give the session's name",
            )
            for _, h in above:
                self._places(part, h, 0, len(h.text))
            if kind:
                where = next(h for _, h in above if kind[2] in h.text)
                part["type"] = self.value(where, where.text.find(kind[2]), kind[1], kind[2])
        else:
            session.shared["title"] = self.value(
                line, 0, _short(line.text, 100), line.text, "no title in the release; name it"
            )
        session.parts.append(part)
        self._close()
        self._add(session)

    def _rest(self, text: str, said: Mentions) -> str:
        cut = list(text)
        for a, b in [
            *((d.start, d.end) for d in said.dates),
            *((t.start, t.end) for t in said.times),
        ]:
            cut[a:b] = " " * (b - a)
        return (
            re.sub(r"[\W_]+", "", "".join(cut))
            .replace("st", "")
            .replace("nd", "")
            .replace("rd", "")
            .replace("th", "")
        )

    def _close(self) -> None:
        if self.pending is not None:
            self.out.append(self.pending)
            self.pending = None

    # -- a programme's slot: entries under "1-4 p.m."

    def _slot_entry(self, i: int, block: list[int], ctx: _Context) -> int:
        assert ctx.time is not None
        lines = self.release.lines
        members = [j for j in block if j >= i]
        first = lines[members[0]]
        session = Session(line=first.marks[0][1])
        part: dict[str, Value] = {}
        slot_line, slot = ctx.time
        session.shared["title"] = self.value(first, 0, _short(first.text, 200))
        for j in members:
            line = lines[j]
            for a in _ABSTRACT.finditer(line.text):
                session.shared.setdefault("abstract", self.value(line, a.start("n"), a.group("n")))
            b = re.search(r"Poster No\.?:?\s*(?P<b>[A-Z]{0,3}[0-9]{1,4})", line.text)
            if b:
                part["board"] = self.value(line, b.start("b"), b.group("b"))
            for _, end, name, _ in labels_in(line.text)[:1]:
                if name == "presenters":
                    value = line.text[end:].strip() or (
                        lines[j + 1].text if j + 1 in members else ""
                    )
                    target = line if line.text[end:].strip() else lines[j + 1]
                    people = _presenters(value)
                    if people:
                        part["presenters"] = self.value(target, 0, "; ".join(people), value)
        t = _type_near(" ".join(lines[j].text for j in members), 10_000)
        if t:
            said_in = next((lines[j] for j in members if t[2] in lines[j].text), first)
            part["type"] = self.value(said_in, max(said_in.text.find(t[2]), 0), t[1], t[2])
        if "abstract" in session.shared and len(members) > 2:
            # "Session name / Poster No ... Abstract No. / title / presenter": the title follows.
            at = next(k for k, j in enumerate(members) if _ABSTRACT.search(lines[j].text))
            if at + 1 < len(members):
                title_line = lines[members[at + 1]]
                part["session"] = session.shared["title"]
                session.shared["title"] = self.value(title_line, 0, title_line.text)
        self._timed(part, slot_line, slot, ctx.dates, ctx)
        session.parts.append(part)
        self._add(session)
        return members[-1] + 1

    # -- "Label: value" records

    def _record(self, i: int, ctx: _Context) -> int:
        lines = self.release.lines
        fields: dict[str, tuple[Line, int, str]] = {}
        lead: tuple[Line, str] | None = None
        j = i
        while j < len(lines):
            line = lines[j]
            labels = labels_in(line.text)
            if j > i and not (labels and labels[0][0] <= 3):
                break
            if j == i and labels[0][0] > 3:
                lead = (line, line.text[: labels[0][0]].strip(" :;-"))
            repeated = any(
                name in fields and name in ("title", "abstract", "time", "date")
                for _, _, name, _ in labels[:1]
            )
            if j > i and repeated:
                break
            said = self.said[j]
            for k, (_, end, name, _) in enumerate(labels):
                stop = labels[k + 1][0] if k + 1 < len(labels) else len(line.text)
                if name not in ("date", "time"):
                    # "Senior Author: Amer Zeidan, MBBS. June 2 —3:12 PM": the date and time
                    # after a value are the record's own.
                    starts = [m.start for m in said.dates] + [t.start for t in said.times]
                    inside = [at for at in starts if end < at < stop]
                    if inside:
                        first = min(inside)
                        if "time" not in fields and any(
                            t.start >= first for t in said.times if t.start < stop
                        ):
                            fields["time"] = (line, first, line.text[first:stop])
                        stop = first
                value = _after(line.text, end, stop)
                target, offset = (
                    line,
                    end + (len(line.text[end:stop]) - len(line.text[end:stop].lstrip())),
                )
                if not value and k + 1 == len(labels) and j + 1 < len(lines):
                    nxt = lines[j + 1]
                    if not labels_in(nxt.text)[:1] or labels_in(nxt.text)[0][0] > 3:
                        target, offset, value = nxt, 0, nxt.text
                        j += 1
                if value and name not in fields:
                    fields[name] = (target, offset, value)
            j += 1
        self._from_fields(fields, lead, ctx)
        return j

    def _from_fields(
        self, fields: dict[str, tuple[Line, int, str]], lead: tuple[Line, str] | None, ctx: _Context
    ) -> None:
        session = Session()
        part: dict[str, Value] = {}
        if "title" in fields:
            line, offset, text = fields["title"]
            a = _ABSTRACT.search(text)
            title = text
            if a:
                session.shared["abstract"] = self.value(line, offset + a.start("n"), a.group("n"))
                title = re.sub(r"\s*[(\[]\s*$", "", text[: a.start()]).strip()
            session.shared["title"] = self.value(line, offset, title)
            session.line = line.marks[0][1]
        if "abstract" in fields:
            line, offset, text = fields["abstract"]
            n = re.search(_TOKEN, text)
            if n:
                session.shared["abstract"] = self.value(line, offset + n.start(), n.group())
        if lead is not None:
            line, text = lead
            a = _ABSTRACT.search(text)
            if a and "abstract" not in session.shared:
                session.shared["abstract"] = self.value(line, a.start("n"), a.group("n"))
            session_value = fields.get("session")
            if "title" not in session.shared and session_value and len(text.split()) <= 4:
                # "Oral Abstract Session: Leukemia ...: IMerge: Results ...": the title is in it.
                sline, soffset, stext = session_value
                session.shared["title"] = self.value(
                    sline, soffset, stext, check="the session's line, with the title in it"
                )
            if "title" not in session.shared and text:
                title = _title_from(text, self.said[self.index[id(line)]], 0, len(text))
                title = re.sub(r"\s*(?:Abstract|abstract)\s*#?\s*" + _TOKEN + r"\s*$", "", title)
                if title:
                    session.shared["title"] = self.value(line, 0, title)
        for name in ("session", "room", "hall", "board", "section", "presenters", "type"):
            if name not in fields:
                continue
            line, offset, text = fields[name]
            if name == "presenters":
                people = _presenters(text)
                if people:
                    part["presenters"] = self.value(line, offset, "; ".join(people), text)
            elif name == "board":
                n = re.search(r"[A-Z]{0,3}[0-9]{1,4}[a-z]?", text)
                if n:
                    part["board"] = self.value(line, offset + n.start(), n.group())
            elif name in ("room", "session"):
                h = _HALL.search(text)
                if h:
                    part["hall"] = self.value(line, offset + h.start(), h.group())
                    text = (text[: h.start()] + text[h.end() :]).strip(" ,;")
                if name == "room" and text and "hall" not in part:
                    part["room"] = self.value(line, offset, text.split(",")[0].strip())
                elif name == "session" and text:
                    part["session"] = self.value(line, offset, text)
            elif name == "type":
                t = _type_near(text, len(text))
                part["type"] = self.value(line, offset, t[1] if t else text, text)
            else:
                part[name] = self.value(line, offset, text)
        if "type" not in part:
            t = None
            if lead is not None:
                t = _type_near(lead[1], len(lead[1]))
                if t:
                    part["type"] = self.value(lead[0], t[0], t[1], t[2])
            if t is None and ctx.type is not None:
                part["type"] = ctx.type
        if "compound" not in session.shared:
            if ctx.compound is not None:
                session.shared["compound"] = ctx.compound
            elif "title" in session.shared:
                named = session.shared["title"]
                c = _compound(named.text)
                if c:
                    session.shared["compound"] = Value(c[1], named.line, named.column, named.quote)
        when = fields.get("time") or fields.get("date")
        dates: list[Value] = []
        if "date" in fields:
            line, offset, text = fields["date"]
            said = mentions(text)
            if said.dates:
                d = said.dates[0]
                d.start += offset
                d.end += offset
                dates = self.date_of(d, line)
        timed = False
        if "time" in fields:
            line, offset, text = fields["time"]
            said = self.said[self.index[id(line)]]
            inside = [t for t in said.times if offset <= t.start < offset + len(text) + 1]
            if not dates:
                near = [d for d in said.dates if offset <= d.start < offset + len(text)]
                if near:
                    dates = self.date_of(near[0], line)
            if inside:
                self._timed(part, line, inside[0], dates or ctx.dates, ctx)
                self._places(part, line, offset, offset + len(text))
                timed = True
        if not timed and dates:
            part["date"] = dates[0]
        if not session.shared.get("title") and not session.shared.get("abstract"):
            if not timed:
                return
            line, offset, text = when or next(iter(fields.values()))
            session.shared["title"] = self.value(
                line,
                offset,
                _short(line.text, 100),
                check="no title in the release; name the session",
            )
        session.line = session.line or (when[0].marks[0][1] if when else 0)
        session.parts.append(part)
        self._close()
        self._add(session)

    # -- the times of a part

    def _timed(
        self, part: dict[str, Value], line: Line, t: TimeSaid, dates: list[Value], ctx: _Context
    ) -> None:
        key = "time" if t.listings[0].end is not None else "start"
        check = None
        if t.unknown:
            check = (
                f"{shown(t.unknown.strip('()'))} after the time is no time zone asco-cal knows: "
                "the time is read on the meeting's clock"
            )
        part[key] = self.value(line, t.start, t.text, t.quote, check)
        if dates:
            part["date"] = dates[0]

    def _places(self, part: dict[str, Value], line: Line, lo: int, hi: int) -> None:
        text = line.text[lo:hi]
        for key, pattern, group in (
            ("room", _ROOM, "r"),
            ("hall", _HALL, "h"),
            ("section", _SECTION, "s"),
        ):
            m = pattern.search(text)
            if m and key not in part:
                part[key] = self.value(line, lo + m.start(group), m.group(group))
        b = _BOARD.search(text)
        if b and "board" not in part:
            g = "b" if b.group("b") else "p"
            part["board"] = self.value(line, lo + b.start(g), b.group(g))
        d = _MINUTES.search(text)
        if d and "duration" not in part and "start" in part:
            part["duration"] = self.value(line, lo + d.start(), f"{d.group('n')}m", d.group())

    # -- prose: sentences and list items

    def _prose(self, i: int, ctx: _Context) -> None:
        line, said = self.release.lines[i], self.said[i]
        text = line.text
        bounds = [0, *sentence_ends(text), len(text)]
        # The paragraph's last date, for a time whose sentence gives none (marked to check).
        carry: list[Value] = self.carry[1] if self.carry[0] == line.block else []
        for lo, hi in itertools.pairwise(bounds):
            aside = _NOT_SESSION.search(text, lo, hi)
            if aside is not None:
                # Abstracts published, an embargo lifting, a deadline: neither its times nor
                # its dates are a session's, nor carried to the next sentence.
                why = _NOT_SESSION_WHY[aside.lastgroup or "deadline"]
                for t in said.times:
                    if lo <= t.start < hi:
                        self.warn(
                            self.value(line, t.start, t.text, t.quote),
                            f"{shown(t.quote)} is not read as a session: the sentence is about "
                            f"{why}",
                            "not-placed",
                        )
                continue
            times = [
                t
                for t in said.times
                if lo <= t.start < hi and not _EMBARGO.search(text[max(lo, t.start - 45) : t.start])
            ]
            for t in said.times:
                if lo <= t.start < hi and t not in times:
                    self.warn(
                        self.value(line, t.start, t.text, t.quote),
                        f"{shown(t.quote)} is not read as a session (an embargo or a deadline?)",
                        "not-placed",
                    )
            dates = [d for d in said.dates if lo <= d.start < hi]
            abstracts = [a for a in _ABSTRACT.finditer(text) if lo <= a.start() < hi]
            if not times:
                if abstracts:
                    self._named(line, text, lo, hi, abstracts, dates, ctx)
                elif (
                    dates
                    and self.pending is not None
                    and not any("date" in p for p in self.pending.parts)
                ):
                    day = self.date_of(dates[0], line)
                    if day:
                        self.pending.parts[-1]["date"] = day[0]
                elif dates and text[lo:hi].rstrip().endswith(":"):
                    ctx.dates = self.date_of(dates[0], line)
                elif self.session_items is not None and line.item:
                    pass  # an item of the session above (a press conference's topics)
                elif _QUOTED.search(text[lo:hi]) and _TYPE.search(text[lo:hi]):
                    self._named(line, text, lo, hi, [], dates, ctx)
                unplaced = (
                    dates
                    and dates[-1].relative
                    and self.meeting.dateline is None
                    and not (carry or ctx.dates)
                )
                if dates and not unplaced:  # ("today" with nothing to count from: no time)
                    days = self.date_of(dates[-1], line, _iso(carry) or _iso(ctx.dates))
                    carry = days or carry
                continue
            previous = lo
            for k, t in enumerate(times):
                nearest = sorted(
                    dates, key=lambda d: min(abs(d.start - t.end), abs(t.start - d.end))
                )
                if nearest:
                    days = self.date_of(nearest[0], line, _iso(carry) or _iso(ctx.dates))
                elif carry and (carry[0].line, carry[0].column) >= self._heading_at(ctx):
                    days = [_carried(carry[0])]
                elif ctx.dates:
                    days = ctx.dates
                elif carry:
                    days = [_carried(carry[0])]
                else:
                    days = []
                if nearest and days:
                    carry = days[:1]
                segment_end = times[k + 1].start if k + 1 < len(times) else hi
                # What is said about a time is near it: a window keeps long lines linear.
                wlo, whi = max(lo, t.start - WINDOW), min(hi, t.end + WINDOW)
                previous, segment_end = max(previous, wlo), min(segment_end, whi)
                chosen: list[Value | None] = [*days] if days else [None]
                for when in chosen:
                    part: dict[str, Value] = {}
                    self._timed(part, line, t, [when] if when else [], ctx)
                    if when is None and not nearest:  # (else the date's problem is reported)
                        self.warn(
                            part.get("time") or part.get("start"),
                            f"{shown(t.quote)}: no date for this time in the release",
                            "not-placed",
                        )
                    self._places(part, line, previous, segment_end)
                    kind = _type_near(text[wlo:whi], t.start - wlo)
                    if kind and kind[0] + wlo >= previous - 80:
                        part["type"] = self.value(line, wlo + kind[0], kind[1], kind[2])
                    elif ctx.type is not None:
                        part["type"] = ctx.type
                    own = [a for a in abstracts if previous <= a.start() < segment_end] or (
                        abstracts if len(times) == 1 else []
                    )
                    self._place_part(line, text, wlo, whi, previous, t, part, own, ctx)
                previous = t.end
        self.carry = (line.block, carry)

    def _heading_at(self, ctx: _Context) -> tuple[int, int]:
        """Where the day heading or intro the context's dates came from (0, 0 if none)."""
        return (ctx.dates[0].line, ctx.dates[0].column) if ctx.dates else (0, 0)

    def _place_part(
        self,
        line: Line,
        text: str,
        lo: int,
        hi: int,
        previous: int,
        t: TimeSaid,
        part: dict[str, Value],
        abstracts: list[re.Match[str]],
        ctx: _Context,
    ) -> None:
        if self.pending is not None and not abstracts:  # noqa: SIM102 (two rules)
            if (
                "type" in part
                or not self.pending.parts
                or (
                    "date" in self.pending.parts[-1]
                    and "time" not in self.pending.parts[-1]
                    and "start" not in self.pending.parts[-1]
                )
            ):
                if self.pending.parts and not any(
                    k in self.pending.parts[-1] for k in ("time", "start")
                ):
                    base = self.pending.parts.pop()
                    part = {**base, **part}
                self.pending.parts.append(part)
                return
        session = Session(line=line.marks[0][1])
        if abstracts:
            a = abstracts[0]
            session.shared["abstract"] = self.value(line, a.start("n"), a.group("n"))
        at = self.index[id(line)]
        said = self.said[at]
        quoted = _QUOTED.search(text, lo, hi)
        if quoted:
            session.shared["title"] = self.value(line, quoted.start(1), quoted.group(1).strip())
        else:
            whole = _title_from(text, said, lo, hi)
            # "Session 1: Advancing ... | Amber Hall 3+4": the place is no part of the name.
            pieces = re.split(r"\s+\|\s+", whole)
            if len(pieces) > 1 and (_HALL.search(pieces[-1]) or _ROOM.search(pieces[-1])):
                whole = " | ".join(pieces[:-1]).strip(" ,;")
            above = self.last_heading
            if (
                len(whole) <= 160
                and len(text[lo:hi]) < 240
                and not re.search(r"\b(?:will|is|are|was)\b", whole)
            ):
                title = whole
            elif (
                above is not None
                and 0 < above[0] == at - 1  # the line above, not the headline
                and not abstracts
                and not _ABSTRACT.search(above[1].text)
            ):
                named = above[1]
                session.shared["title"] = self.value(
                    named,
                    0,
                    _short(named.text, 100),
                    named.text,
                    "named from the heading above it; give the session's name",
                )
                title = ""
            else:
                caps = re.findall(
                    r"(?:[A-Z][\w'&-]*(?:\s+(?:of|on|for|and|the|[A-Z][\w'&-]*))*\s+)?[A-Z][\w'&-]*",
                    text[previous if previous > lo else lo : t.start],
                )
                caps = [
                    c
                    for c in caps
                    if len(c.split()) >= 2 and not re.fullmatch(r"(?:The|A|An)\s+\w+", c)
                ]
                title = caps[-1] if caps else _short(whole or text[lo:hi], 100)
            if title:
                session.shared["title"] = self.value(
                    line,
                    text.find(title[:20], lo),
                    title,
                    text[lo:hi],
                    "made from the sentence; give the session's name",
                )
        c = _compound(text[lo:hi])
        if ctx.compound is not None:
            session.shared["compound"] = ctx.compound
        elif c:
            session.shared["compound"] = self.value(line, lo + c[0], c[1])
        if "title" not in session.shared:
            session.shared["title"] = self.value(
                line,
                lo,
                _short(text[lo:hi], 100),
                text[lo:hi],
                "no title in the release; name the session",
            )
        session.parts.append(part)
        self._close()
        self._add(session)
        if line.text.rstrip().endswith(":"):
            self.session_items = session

    def _named(
        self,
        line: Line,
        text: str,
        lo: int,
        hi: int,
        abstracts: list[re.Match[str]],
        dates: list[DateSaid],
        ctx: _Context,
    ) -> None:
        """Presentations named with no time: their times may follow (a poster, its discussion)."""
        if (
            self.session_items is not None
            and line.item
            and any("time" in p or "start" in p for p in self.session_items.parts)
        ):
            return  # a topic of the timed session above it
        numbers: list[tuple[int, str]] = []
        for a in abstracts:
            numbers.append((a.start("n"), a.group("n")))
            base = a.start("more")
            for more in _MORE.finditer(a.group("more") or ""):
                numbers.append((base + more.start(1), more.group(1)))
        quoted = _QUOTED.search(text, lo, hi)
        kind = _type_near(text[lo:hi], hi - lo)
        c = _compound(text[lo:hi])
        day = self.date_of(dates[0], line) if dates else ctx.dates
        self._close()
        for k, (at, number) in enumerate(numbers or [(lo, "")]):
            session = Session(line=line.marks[0][1])
            if number:
                session.shared["abstract"] = self.value(line, at, number)
            if quoted and len(numbers) <= 1:
                session.shared["title"] = self.value(line, quoted.start(1), quoted.group(1).strip())
            else:
                before = text[lo : abstracts[0].start()] if abstracts else text[lo:hi]
                before = re.sub(r"\s*[(\[]\s*$", "", before)
                title = _title_from(before, mentions(before), 0, len(before))
                title = re.sub(
                    r"^(?:Abstract|abstract)\s*(?:Number|No\.?|#)?\s*" + _TOKEN + r"\s*:\s*",
                    "",
                    title,
                )
                prose = (
                    bool(re.search(r"\b(?:will|is|are|was|were|has|have|include)\b", title))
                    or len(numbers) > 1
                )
                if not title:
                    after = text[abstracts[0].end() : hi].strip(" :") if abstracts else ""
                    title = after
                if title:
                    session.shared["title"] = self.value(
                        line,
                        lo,
                        _short(title, 200),
                        text[lo:hi],
                        "made from the sentence; give the abstract's title" if prose else None,
                    )
                else:
                    session.shared["title"] = self.value(
                        line, lo, f"Abstract {number}", text[lo:hi], "the release gives no title"
                    )
            if ctx.compound is not None:
                session.shared["compound"] = ctx.compound
            elif c:
                session.shared["compound"] = self.value(line, lo + c[0], c[1])
            part: dict[str, Value] = {}
            if kind:
                part["type"] = self.value(line, lo + kind[0], kind[1], kind[2])
            elif ctx.type is not None:
                part["type"] = ctx.type
            if day:
                part["date"] = day[0]
            whole_day = _ALL_DAY.search(text, lo, hi)
            if whole_day:  # "on display all day"
                session.all_day = self.value(line, whole_day.start(), whole_day.group())
            self._places(part, line, lo, hi)
            session.parts.append(part)
            if k == len(numbers) - 1 and len(numbers) <= 1:
                self.pending = session
                self.pending_block = line.block
            else:
                self._add(session)

    def _add(self, session: Session) -> None:
        self.out.append(session)
        if len(self.out) > MAX_SESSIONS:
            raise InvalidInput(
                [
                    AscoCalError(
                        f"more than {MAX_SESSIONS} presentations: not a press release "
                        "(a programme? "
                        "import it as a spreadsheet)",
                        location=Location(self.name, session.line or None),
                    )
                ]
            )


def _iso(days: list[Value]) -> dt.date | None:
    return dt.date.fromisoformat(days[0].text) if days else None


def _carried(day: Value) -> Value:
    """A date said in an earlier sentence, for a time whose own sentence gives none."""
    if day.check:
        return day
    return Value(
        day.text,
        day.line,
        day.column,
        day.quote,
        f"the date of an earlier sentence ({shown(day.quote)}, line {day.line}); this one "
        "gives none",
    )


# -- the draft ------------------------------------------------------------------------------------

WINDOW = 400  # characters around a time that say what it is
MAX_SESSIONS = 300  # a release announces a few; a programme is a spreadsheet's job
SHARED_KEYS = ("abstract", "id", "title", "compound")
PART_KEYS = (
    "type",
    "session",
    "date",
    "time",
    "start",
    "duration",
    "room",
    "hall",
    "section",
    "board",
    "presenters",
    "description",
)


def extract(release: Release, *, year: int | None = None, zone: str | None = None) -> Draft:
    """The draft for a release; raises :class:`InvalidInput` with every problem, each at its place
    in the release, when the draft would not be a valid sessions file."""
    builder = Builder(release, year=year, zone=zone)
    for line, note in release.notes:
        builder.warn(
            (line, 1), f"line {line} is {note}" if note[0].isdigit() else note, "not-placed"
        )
    sessions = _tidy(builder, builder.build())
    meeting = builder.meeting
    conference: dict[str, Value] = {}
    if meeting.name is not None:
        conference["name"] = meeting.name
        conference["id"] = Value(
            slug(meeting.name.text),
            meeting.name.line,
            meeting.name.column,
            meeting.name.quote,
            computed=True,
        )
    if meeting.zone is not None:
        conference["timezone"] = meeting.zone
    days = [dt.date.fromisoformat(p["date"].text) for s in sessions for p in s.parts if "date" in p]
    if meeting.start and meeting.end and meeting.dates_value is not None:
        if all(meeting.start <= d <= meeting.end for d in days):
            v = meeting.dates_value
            conference["start"] = Value(
                meeting.start.isoformat(), v.line, v.column, v.quote, v.check
            )
            conference["end"] = Value(meeting.end.isoformat(), v.line, v.column, v.quote, v.check)
        else:
            builder.warn(
                meeting.dates_value,
                f"{shown(meeting.dates_value.quote)} does not hold "
                "every session's date: the meeting's dates are left out",
                "check",
            )
    headline = next((line for line in release.lines), None)
    name_from = meeting.name or (
        builder.value(headline, 0, _short(headline.text, 80))
        if headline
        else Value("Press release", 1, 1, "")
    )
    calendar = Value(
        name_from.text, name_from.line, name_from.column, name_from.quote, computed=True
    )
    # A date without a time is an all-day event only when the release says the presentation
    # lasts the day ("on display all day"); otherwise it is listed, not exported.
    all_day = any(
        s.all_day is not None and "date" in p and not ("time" in p or "start" in p)
        for s in sessions
        for p in s.parts
    )
    _check_unlabelled(sessions, conference.get("timezone"))
    for i, s in enumerate(sessions):
        for j, p in enumerate(s.parts):
            for key, v in p.items():
                if v.check:
                    path = f"sessions[{i}]" + (f".parts[{j}]" if len(s.parts) > 1 else "")
                    builder.warn(v, f"check: {v.check}", "check", f"{path}.{key}")
        for key, v in s.shared.items():
            if v.check:
                builder.warn(v, f"check: {v.check}", "check", f"sessions[{i}].{key}")
    for key, v in conference.items():
        if v.check:
            builder.warn(v, f"check: {v.check}", "check", f"conference.{key}")
    tree = _tree(calendar, conference, sessions, all_day)
    problems: list[AscoCalError] = [*builder.errors]
    loaded = None
    try:
        loaded = load_tree([tree], release.name)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if meeting.zone is None:
        # "no time zone found" is said once, for the release, not again for each session of
        # a draft that is never written.
        problems = [p for p in problems if p.message != NO_ZONE]
    if (problems and any(p.is_error for p in problems)) or loaded is None:
        raise InvalidInput([*problems, *builder.warnings])
    warnings = sorted([*builder.warnings, *loaded.warnings], key=AscoCalError.sort_key)
    text = _yaml(release, calendar, conference, sessions, all_day)
    return Draft(text, loaded, sessions, conference, warnings)


def _check_unlabelled(sessions: list[Session], zone: Value | None) -> None:
    """A time without its own zone label, on a meeting's clock that was inferred: to check."""
    if zone is None or not zone.check:
        return
    for s in sessions:
        for p in s.parts:
            for key in ("time", "start"):
                v = p.get(key)
                if v is None or v.check:
                    continue
                if not all(x.start_label for x in _listings(v.text)):
                    v.check = (
                        f"no zone after this time: read on the meeting's clock, {zone.text}, "
                        "itself inferred (see conference.timezone)"
                    )


def _tidy(builder: Builder, sessions: list[Session]) -> list[Session]:
    """Drop empty sessions and repeated mentions of one slot, type the parts, give ids."""
    out: list[Session] = []
    seen: dict[tuple[str, ...], Session] = {}
    for s in sessions:
        s.parts = [p for p in s.parts if p] or [{}]
        if "title" not in s.shared:
            for p in s.parts:
                when = p.get("time") or p.get("start")
                if when is not None:
                    builder.warn(
                        when,
                        f"{shown(when.quote)}: nothing names what happens then; not a session",
                        "not-placed",
                    )
            continue
        if len(s.parts) == 1 and "abstract" not in s.shared:
            p = s.parts[0]
            when = p.get("time") or p.get("start")
            if when is not None and "date" in p:
                listings = _listings(when.text)
                where = (p.get("hall") or p.get("room") or Value("", 0, 0, "")).text
                key = (
                    p["date"].text,
                    str(listings and (listings[0].start, listings[0].end)),
                    where,
                )
                if where and key in seen:
                    builder.warn(
                        when,
                        f"{shown(when.quote)}: the slot of the session at line "
                        f"{seen[key].line or when.line} again; not a second session",
                        "not-placed",
                    )
                    continue
                seen[key] = s
        if len(s.parts) > 1:
            kinds = [p["type"].text for p in s.parts if "type" in p]
            for p in s.parts:
                if "type" in p and p["type"].text == "discussion" and "poster" in kinds:
                    v = p["type"]
                    p["type"] = Value(
                        "poster discussion",
                        v.line,
                        v.column,
                        v.quote,
                        "the discussion of the poster above it: a poster discussion",
                    )
        for p in s.parts:
            if "type" in p and p["type"].text == "discussion":
                p["type"].text = "oral discussion"
        out.append(s)
    ids: set[str] = set()
    for s in out:
        if "abstract" in s.shared:
            continue
        title = s.shared["title"]
        base = slug(" ".join(title.text.split()[:6]))[:48].strip("-") or "session"
        name, n = base, 2
        while name in ids:
            name, n = f"{base}-{n}", n + 1
        ids.add(name)
        s.shared = {
            "id": Value(name, title.line, title.column, title.quote, computed=True),
            **s.shared,
        }
    return out


def _key(name: str, v: Value | None) -> ScalarNode:
    if v is None:
        return ScalarNode(name, 0, 0, False)
    return ScalarNode(name, v.line - 1, v.column - 1, False)


def _node(key: str, v: Value) -> Node:
    if key == "presenters":
        names = v.text.split("; ")
        return SequenceNode(
            [ScalarNode(n, v.line - 1, v.column - 1, False) for n in names],
            v.line - 1,
            v.column - 1,
        )
    if v.quote in ("--year", "--timezone"):
        return Option(v.text, v.quote)
    return v.node()


def _mapping(entries: Iterable[tuple[str, Value]], where: Value | None = None) -> MappingNode:
    pairs: list[tuple[Node, Node]] = [(_key(k, v), _node(k, v)) for k, v in entries]
    line = where.line - 1 if where else 0
    column = where.column - 1 if where else 0
    return MappingNode(pairs, line, column)


def _ordered(values: dict[str, Value], keys: tuple[str, ...]) -> Iterator[tuple[str, Value]]:
    return ((k, values[k]) for k in keys if k in values)


def _tree(
    calendar: Value, conference: dict[str, Value], sessions: list[Session], all_day: bool
) -> MappingNode:
    items: list[Node] = []
    for s in sessions:
        first = next(iter(s.shared.values()))
        shared = list(_ordered(s.shared, SHARED_KEYS))
        if len(s.parts) == 1:
            items.append(_mapping([*shared, *_ordered(s.parts[0], PART_KEYS)], first))
        else:
            parts = [
                _mapping(_ordered(p, PART_KEYS), next(iter(p.values()), first)) for p in s.parts
            ]
            node = _mapping(shared, first)
            node.value.append((_key("parts", first), SequenceNode(list(parts), first.line - 1, 0)))
            items.append(node)
    root: list[tuple[Node, Node]] = [
        (_key("calendar", calendar), _mapping([("name", calendar)], calendar)),
        (_key("conference", None), _mapping(conference.items())),
    ]
    if all_day:
        flag = ScalarNode("true", 0, 0, False)
        root.append((ScalarNode("all_day_when_no_time", 0, 0, False), flag))
    root.append((_key("sessions", None), SequenceNode(items, 0, 0)))
    return MappingNode(root, 0, 0)


def _comment(v: Value) -> str:
    if v.quote in ("--year", "--timezone"):
        return f"  # from {v.quote}"
    where = f"line {v.line}" if v.line else "the release"
    said = f"{where}: {json.dumps(_short(v.quote), ensure_ascii=False)}" if v.quote else where
    made = "made from " if v.computed else ""
    check = f"  # check: {v.check}" if v.check else ""
    return f"  # {made}{said}{check}"


def _scalar(v: Value) -> str:
    return json.dumps(v.text, ensure_ascii=False)


def _entry(key: str, v: Value, indent: str) -> str:
    if key == "presenters":
        body = "[" + ", ".join(json.dumps(n, ensure_ascii=False) for n in v.text.split("; ")) + "]"
    else:
        body = _scalar(v)
    return f"{indent}{key}: {body}{_comment(v)}"


def _yaml(
    release: Release,
    calendar: Value,
    conference: dict[str, Value],
    sessions: list[Session],
    all_day: bool,
) -> str:
    out = [
        "# yaml-language-server: $schema=sessions.schema.json",
        f"# sessions.yaml: a draft made by asco-cal from the press release {release.name}.",
        "# Each value cites the release's line it came from.  Review every `# check:`",
        "# (grep for it), then `asco-cal validate` it and export or serve it.",
    ]
    if release.address:
        out.append(f"# source: {release.address}")
    out += ["", "calendar:", _entry("name", calendar, "  "), ""]
    if conference:
        out.append("conference:")
        for key in ("name", "id", "timezone", "start", "end"):
            if key in conference:
                line = _entry(key, conference[key], "  ")
                if key == "id":
                    line += "; UIDs come from this id: never change it once published"
                out.append(line)
    else:
        out.append("conference: {}")
    if all_day:
        out += [
            "",
            "all_day_when_no_time: true  # check: sessions with a date and no time become "
            "all-day events",
        ]
    out += ["", "sessions:" if sessions else "sessions: []  # no session found in the release"]
    for s in sessions:
        shared = list(_ordered(s.shared, SHARED_KEYS))
        body = [_entry(k, v, "    ") for k, v in shared]
        if len(s.parts) == 1:
            body += [_entry(k, v, "    ") for k, v in _ordered(s.parts[0], PART_KEYS)]
            if not any(k in s.parts[0] for k in ("time", "start")):
                if "date" in s.parts[0] and not all_day:
                    body.append(
                        "    # a date and no time: listed, not exported (all_day_when_no_time: "
                        "true would export it as an all-day event)"
                    )
                else:
                    body.append("    # to be announced: the release gives no time")
        else:
            body.append("    parts:")
            for p in s.parts:
                lines = [_entry(k, v, "        ") for k, v in _ordered(p, PART_KEYS)] or [
                    "        {}"
                ]
                body += ["      - " + lines[0].lstrip(), *lines[1:]]
        out += ["  - " + body[0].lstrip(), *body[1:]]
    return "\n".join(out) + "\n"
