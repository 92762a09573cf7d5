"""VTIMEZONE rules computed from the tz database, in the shape Outlook reads.

Outlook reads only TZID, DTSTART, RRULE, TZOFFSETFROM and TZOFFSETTO of a
VTIMEZONE and wants one STANDARD and one DAYLIGHT block with yearly
``BYMONTH``/``BYDAY`` rules (MS-STANOICAL 2.2.47).  icalendar's
``add_missing_timezones()`` writes RDATE lists instead, which Outlook and even
ical.js mis-read.  This module derives those yearly rules for any IANA zone,
for the years the sessions span:

* a zone without transitions in those years gets one STANDARD block;
* a zone with daylight saving gets one STANDARD and one DAYLIGHT block, each
  ``FREQ=YEARLY;BYMONTH=m;BYDAY=nWD`` (``-1`` for "last");
* only where a zone's rules change inside the span (rare: a country moving its
  dates or dropping daylight saving) are further blocks added, each ended by
  ``UNTIL``, so the times stay right for every client that follows RFC 5545.

The observances start in the year before the first session, so every instant
of the span is covered.  The result is plain data; ``ics.py`` turns it into
iCalendar components.

The facts come from pytz, whose tables stop in 2037.  Later changes come from
``zoneinfo``, which reads the same tz data as TZif files and applies their
footer, the zone's recurring POSIX TZ rule, to the years after the listed
changes.  :func:`timezone` is pytz's zone with its tables carried on that way
to :data:`RULES_END`, so pytz's own ``localize`` and ``fromutc`` are right for
those years too.  Up to 2037 pytz is used as it is: those years read exactly
as they always did.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import pytz
from pytz.tzinfo import DstTzInfo

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PYTZ_LAST_YEAR = 2037  # pytz's transition tables end with this year
RULES_END = dt.datetime(2101, 1, 1)  # UTC: changes are known up to here (dates end in 2099)
_EPOCH = dt.datetime(1970, 1, 1)
_STEP = 86400  # seconds between samples looking for changes (the closest: 6 days, Asia/Gaza)

_Info = tuple[dt.timedelta, dt.timedelta, str]  # pytz's (utcoffset, dst, tzname)


def _seconds(utc: dt.datetime) -> int:
    return int((utc - _EPOCH).total_seconds())


def _key(info: _Info) -> tuple[dt.timedelta, str]:
    return info[0], info[2]  # offset and name: pytz and zoneinfo count ``dst`` differently


def _zoneinfo_state(ref: zoneinfo.ZoneInfo, seconds: int) -> _Info:
    """zoneinfo's (utcoffset, dst, tzname) at ``seconds`` after the epoch (UTC)."""
    local = dt.datetime.fromtimestamp(seconds, ref)
    offset, dst = local.utcoffset(), local.dst()
    assert offset is not None and dst is not None
    return offset, dst, local.tzname() or ""


def _changes_after(
    ref: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, _Info]]:
    """zoneinfo's changes in ``(start, end)``: (naive UTC instant, state after)."""

    def probe(seconds: int) -> tuple[dt.timedelta | None, str | None]:
        local = dt.datetime.fromtimestamp(seconds, ref)
        return local.utcoffset(), local.tzname()

    t, stop = _seconds(start), _seconds(end)
    state = probe(t)
    out = []
    while t < stop:
        step = min(t + _STEP, stop)
        if probe(step) == state:
            t = step
            continue
        lo, hi = t, step  # the old state at lo, another at hi: find the first second of it
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if probe(mid) == state else (lo, mid)
        t, state = hi, probe(hi)
        out.append((_EPOCH + dt.timedelta(seconds=hi), _zoneinfo_state(ref, hi)))
    return out


def _copies(name: str) -> list[zoneinfo.ZoneInfo]:
    """zoneinfo's copies of the zone: the ``tzdata`` package's, then the system's."""
    out = []
    try:
        path = resources.files("tzdata.zoneinfo")
        for part in name.split("/"):
            path = path.joinpath(part)
        with path.open("rb") as f:
            out.append(zoneinfo.ZoneInfo.from_file(f, key=name))
    except (ModuleNotFoundError, OSError, ValueError):
        pass  # no tzdata package, or not this zone in it
    with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
        out.append(zoneinfo.ZoneInfo(name))
    return out


def _same_data(
    ref: zoneinfo.ZoneInfo, times: list[dt.datetime], infos: list[_Info], start: dt.datetime
) -> bool:
    """Does zoneinfo's copy agree with pytz's at pytz's changes of its last ten years
    and at ``start``?  (System files and pip packages can hold different releases.)"""
    if _key(_zoneinfo_state(ref, _seconds(start))) != _key(infos[-1]):
        return False
    for i in range(1, len(times)):
        if times[i].year > PYTZ_LAST_YEAR - 10:
            at = _seconds(times[i])
            got = _key(_zoneinfo_state(ref, at - 1)), _key(_zoneinfo_state(ref, at))
            if got != (_key(infos[i - 1]), _key(infos[i])):
                return False
    return True


@cache
def timezone(name: str) -> pytz.BaseTzInfo:
    """pytz's zone ``name`` with its transitions carried on past 2037 to :data:`RULES_END`.

    The later transitions are zoneinfo's (past its explicit ones, from the
    TZif footer's yearly rule), read from the copy of the tz data (``tzdata``
    package or system files) that agrees with pytz's.  Each reuses pytz's
    ``(utcoffset, dst, tzname)`` for the same offset and name, so ``localize``
    treats those years as it treats the earlier ones.  Zones pytz keeps
    without transitions (UTC, fixed offsets) come unchanged.  For instants of
    any year: ``instant.astimezone(timezone(name))``.
    """
    base = pytz.timezone(name)
    if not isinstance(base, DstTzInfo):
        return base
    times: list[dt.datetime] = list(getattr(base, "_utc_transition_times", []))
    infos: list[_Info] = list(getattr(base, "_transition_info", []))
    start = max(times[-1], dt.datetime(PYTZ_LAST_YEAR + 1, 1, 1))
    copies = _copies(name)
    if not copies:
        return base  # no TZif file for it: pytz's tables are all there is
    ref = next((c for c in copies if _same_data(c, times, infos, start)), copies[0])
    changes = _changes_after(ref, start, RULES_END)
    seam = _zoneinfo_state(ref, _seconds(start))
    if _key(seam) != _key(infos[-1]):  # no copy agrees with pytz: zoneinfo's from here on
        changes.insert(0, (start, seam))
    known = {_key(inf): inf for inf in infos}
    for utc, state in changes:
        times.append(utc)
        infos.append(known.setdefault(_key(state), state))
    tables = {"_utc_transition_times": times, "_transition_info": infos}
    extended: pytz.BaseTzInfo = type(name, (type(base),), tables)()
    return extended


def _tz(name: str, year: int) -> pytz.BaseTzInfo:
    """pytz's zone itself for the years its tables cover (as always), else :func:`timezone`."""
    return pytz.timezone(name) if year <= PYTZ_LAST_YEAR else timezone(name)


@dataclass(frozen=True)
class Transition:
    utc: dt.datetime  # naive UTC instant of the change
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str  # abbreviation after the change, e.g. CDT

    @property
    def local(self) -> dt.datetime:
        """Wall-clock time of the change, in the offset before it (RFC 5545 DTSTART)."""
        return self.utc + self.offset_from


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT block."""

    kind: str  # "STANDARD" or "DAYLIGHT"
    start: dt.datetime  # local DTSTART
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    month: int | None = None  # with weekday and nth: the yearly rule
    weekday: int | None = None
    nth: int | None = None
    until: dt.datetime | None = None  # UTC end of the yearly rule, if it stops

    @property
    def rrule(self) -> dict[str, object] | None:
        """The RRULE as icalendar's ``vRecur`` mapping, or None."""
        if self.month is None or self.weekday is None or self.nth is None:
            return None
        rule: dict[str, object] = {
            "FREQ": "YEARLY",
            "BYMONTH": self.month,
            "BYDAY": f"{self.nth}{WEEKDAYS[self.weekday]}",
        }
        if self.until is not None:
            rule["UNTIL"] = self.until.replace(tzinfo=dt.UTC)
        return rule


def transitions(zone: str, first_year: int, last_year: int) -> list[Transition]:
    """Offset changes of ``zone`` from Jan 1 ``first_year`` to the end of ``last_year``."""
    tz = _tz(zone, last_year)
    times: list[dt.datetime] = getattr(tz, "_utc_transition_times", [])
    infos: list[tuple[dt.timedelta, dt.timedelta, str]] = getattr(tz, "_transition_info", [])
    lo, hi = dt.datetime(first_year, 1, 1), dt.datetime(last_year + 1, 1, 1)
    out: list[Transition] = []
    for i in range(1, len(times)):
        if lo <= times[i] < hi and infos[i][0] != infos[i - 1][0]:
            out.append(Transition(times[i], infos[i - 1][0], infos[i][0], infos[i][2]))
    return out


def _offset_at(zone: str, when: dt.datetime) -> tuple[dt.timedelta, str]:
    aware = pytz.utc.localize(when).astimezone(_tz(zone, when.year))
    offset = aware.utcoffset()
    assert offset is not None
    return offset, aware.tzname() or zone


def _nth_candidates(day: dt.date) -> set[int]:
    """Which ``BYDAY`` ordinals describe ``day``: 2 for the 2nd Sunday, -1 for the last."""
    out = {(day.day - 1) // 7 + 1}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        out.add(-1)
    return out


def _rule_key(t: Transition) -> tuple[object, ...]:
    local = t.local
    return (local.month, local.weekday(), local.time(), t.offset_from, t.offset_to, t.name)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The ``nth`` (``-1``: last) ``weekday`` of ``month`` in ``year``."""
    days = [
        dt.date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if dt.date(year, month, d).weekday() == weekday
    ]
    return days[-1] if nth == -1 else days[min(nth, len(days)) - 1]


def _runs(changes: list[Transition]) -> list[tuple[list[Transition], set[int]]]:
    """Group changes into runs of consecutive years that one yearly rule describes."""
    runs: list[tuple[list[Transition], set[int]]] = []
    latest: dict[tuple[object, ...], tuple[list[Transition], set[int]]] = {}
    for t in changes:
        key = _rule_key(t)
        nths = _nth_candidates(t.local.date())
        run = latest.get(key)
        if run is not None and run[0][-1].local.year == t.local.year - 1 and run[1] & nths:
            run[0].append(t)
            run[1].intersection_update(nths)
            continue
        run = ([t], nths)
        latest[key] = run
        runs.append(run)
    return runs


def _choose_nth(zone: str, first: Transition, nths: set[int], years: tuple[int, int]) -> int:
    """Pick "4th" or "last" when the span's years fit both, from neighbouring years."""
    if len(nths) > 1:
        key = _rule_key(first)
        for t in transitions(zone, years[0] - 6, years[1] + 6):
            if _rule_key(t) == key and nths & _nth_candidates(t.local.date()):
                nths = nths & _nth_candidates(t.local.date())
    if -1 in nths:
        return -1
    return min(nths)


@cache
def observances(zone: str, first_year: int, last_year: int) -> tuple[Observance, ...]:
    """The VTIMEZONE blocks for ``zone`` covering ``first_year`` to ``last_year``.

    Where every change in the span follows a yearly rule (nearly always), the
    rules start one year early so that all of ``first_year`` is covered, which
    gives Outlook's one STANDARD plus one DAYLIGHT.  Otherwise the changes of
    the year before are written as they were, and the rules pick up from there.
    """
    blocks = _blocks(zone, transitions(zone, first_year, last_year), first_year, last_year)
    if blocks and _agrees(zone, blocks, first_year, last_year):
        return tuple(_fix_kinds(blocks))
    changes = transitions(zone, first_year - 1, last_year)
    if not changes:
        offset, name = _offset_at(zone, dt.datetime(first_year, 7, 1))
        start = dt.datetime(first_year - 1, 1, 1)
        return (Observance("STANDARD", start, offset, offset, name),)
    blocks = _with_new_year(zone, _blocks(zone, changes, first_year - 1, last_year), first_year)
    if not _agrees(zone, blocks, first_year, last_year):
        # Rules that no yearly pattern describes: one block per change, exact for the span.
        exact = [
            Observance("DAYLIGHT" if t.offset_to > t.offset_from else "STANDARD", t.local,
                       t.offset_from, t.offset_to, t.name)
            for t in transitions(zone, first_year, last_year)
        ]  # fmt: skip
        blocks = _with_new_year(zone, exact, first_year)
    return tuple(_fix_kinds(blocks))


def _with_new_year(zone: str, blocks: list[Observance], first_year: int) -> list[Observance]:
    """Add a block for the offset at the new year if no block covers it yet."""
    new_year = dt.datetime(first_year, 1, 1)
    if blocks and offset_from_blocks(blocks, new_year) is not None:
        return blocks
    offset, name = _offset_at(zone, new_year)
    start = dt.datetime(first_year - 1, 1, 1)
    return [Observance("STANDARD", start, offset, offset, name), *blocks]


def _onsets(block: Observance, last_year: int) -> list[dt.datetime]:
    """UTC instants (naive) at which ``block`` takes effect, up to ``last_year``."""
    first = block.start - block.offset_from
    if block.month is None or block.weekday is None or block.nth is None:
        return [first]
    out = []
    for year in range(block.start.year, last_year + 1):
        day = _nth_weekday(year, block.month, block.weekday, block.nth)
        onset = dt.datetime.combine(day, block.start.time()) - block.offset_from
        if onset < first:
            continue
        if block.until is not None and onset > block.until:
            break
        out.append(onset)
    return out


def offset_from_blocks(blocks: Iterable[Observance], when: dt.datetime) -> dt.timedelta | None:
    """The UTC offset the blocks give at the UTC instant ``when`` (as RFC 5545 reads them)."""
    latest: tuple[dt.datetime, dt.timedelta] | None = None
    for block in blocks:
        for onset in _onsets(block, when.year):
            if onset <= when and (latest is None or onset > latest[0]):
                latest = (onset, block.offset_to)
    return latest[1] if latest else None


def _agrees(zone: str, blocks: list[Observance], first_year: int, last_year: int) -> bool:
    """Do the blocks give the tz database's offset all through the span?

    Checked at the new year and just before and after every change: between
    changes the offset cannot differ.
    """
    instants = [dt.datetime(first_year, 1, 1), dt.datetime(last_year, 12, 31, 23)]
    for t in transitions(zone, first_year, last_year):
        instants += [t.utc - dt.timedelta(minutes=1), t.utc + dt.timedelta(minutes=1)]
    return all(offset_from_blocks(blocks, i) == _offset_at(zone, i)[0] for i in instants)


def _blocks(
    zone: str, changes: list[Transition], first_year: int, last_year: int
) -> list[Observance]:
    """One block per run of changes; runs reaching ``last_year`` recur yearly."""
    blocks: list[Observance] = []
    for items, nths in _runs(changes):
        first, last = items[0], items[-1]
        kind = "DAYLIGHT" if first.offset_to > first.offset_from else "STANDARD"
        block = Observance(kind, first.local, first.offset_from, first.offset_to, first.name)
        if len(items) > 1 or last.local.year == last_year:
            month, weekday = first.local.month, first.local.weekday()
            nth = _choose_nth(zone, first, nths, (first_year, last_year))
            block = replace(block, month=month, weekday=weekday, nth=nth)
            if first.local.year == first_year:  # start a year early: covers all of first_year
                day = _nth_weekday(first_year - 1, month, weekday, nth)
                block = replace(block, start=dt.datetime.combine(day, first.local.time()))
            if last.local.year < last_year:
                # UNTIL a day after the last onset: RFC 5545 reads UNTIL as UTC, but some
                # readers (dateutil) compare it with local times and would drop that onset.
                block = replace(block, until=last.utc + dt.timedelta(days=1))
        blocks.append(block)
    return blocks


def _fix_kinds(blocks: Iterable[Observance]) -> list[Observance]:
    """Name each block by its offset: the larger offset of a pair is DAYLIGHT.

    (Europe/Dublin's tz data calls winter "negative daylight saving time";
    calendar clients expect summer to be DAYLIGHT.)
    """
    blocks = list(blocks)
    if not blocks:
        return blocks
    standard = min(b.offset_to for b in blocks)
    return [replace(b, kind="DAYLIGHT" if b.offset_to > standard else "STANDARD") for b in blocks]


def years_of(instants: Iterable[dt.date]) -> tuple[int, int]:
    years = [d.year for d in instants]
    return (min(years), max(years)) if years else (dt.date.today().year,) * 2


@functools.lru_cache(maxsize=1 << 16)
def localize(naive: dt.datetime, zone: str, fold: int = 0) -> dt.datetime:
    """Attach ``zone`` to a wall-clock time; a time that happens twice is the first
    (``fold=0``) or the second (``fold=1``) by the clock, whatever the zone calls
    daylight saving (Europe/Dublin's is negative).

    Cached: a program has few distinct (day, time) pairs, and pytz is slow.
    The result carries a pytz tzinfo (``tzname()``, ``utcoffset()``, ``%Z``)
    for every year, past 2037 from :func:`timezone`'s carried-on tables.
    """
    # _tz, inlined: this is on the export path
    tz = pytz.timezone(zone) if naive.year <= PYTZ_LAST_YEAR else timezone(zone)
    try:
        return tz.localize(naive, is_dst=None)
    except pytz.AmbiguousTimeError:
        both = sorted(
            (tz.localize(naive, is_dst=True), tz.localize(naive, is_dst=False)),
            key=lambda when: when.astimezone(dt.UTC),
        )
        return both[fold]
    except pytz.NonExistentTimeError:  # reported by the reader; kept for the API
        return tz.localize(naive, is_dst=True)


@functools.lru_cache(maxsize=1 << 16)
def wall_clock(naive: dt.datetime, zone: str) -> str:
    """``"ok"``, ``"gap"`` (skipped by daylight saving) or ``"twice"`` (repeated)."""
    tz = pytz.timezone(zone) if naive.year <= PYTZ_LAST_YEAR else timezone(zone)
    try:
        tz.localize(naive, is_dst=None)
    except pytz.NonExistentTimeError:
        return "gap"
    except pytz.AmbiguousTimeError:
        return "twice"
    return "ok"
