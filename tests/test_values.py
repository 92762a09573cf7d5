"""Parsing of times, ranges, durations, dates and zone names as people write them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from asco_cal.values import (
    Listing,
    clean_text,
    not_announced,
    parse_date,
    parse_duration_minutes,
    parse_listings,
)
from asco_cal.zones import resolve

T = dt.time


def parse_time(text: str) -> dt.time:
    (listing,) = parse_listings(text, single=True)
    assert listing.end is None and listing.start_label is None
    return listing.start


def parse_time_range(text: str) -> tuple[dt.time, dt.time | None]:
    (listing,) = parse_listings(text)
    assert listing.start_label is None
    return listing.start, listing.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13:00", T(13)), ("8:00", T(8)), ("08:05", T(8, 5)), ("0:00", T(0)),
        ("1:00 pm", T(13)), ("1 pm", T(13)), ("1PM", T(13)), ("1 p.m.", T(13)),
        ("12:00 noon", T(12)), ("noon", T(12)), ("Noon", T(12)), ("12 pm", T(12)),
        ("12 am", T(0)), ("midnight", T(0)), ("12:00 midnight", T(0)), ("11:45 am", T(11, 45)),
        ("9.30", T(9, 30)), ("9h30", T(9, 30)), ("12 midday", T(12)), ("midday", T(12)),
    ],
)  # fmt: skip
def test_parse_time(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "not a time: '25:00' (hours go up to 23)"),
        ("8:61", "not a time: '8:61' (minutes go up to 59)"),
        ("13 pm", "not a time: '13 pm' (with am/pm, hours go from 1 to 12)"),
        ("1 noon", "not a time: '1 noon' (noon is 12:00)"),
        ("1 midday", "not a time: '1 midday' (midday is 12:00)"),
        (
            "8 amazing",
            "not a time: '8 amazing' (unknown time zone 'amazing' after the time; write "
            "one such as CT, CET or UTC+2, or set timezone)",
        ),  # never "8 am"
        ("soon", "not a time: 'soon' (write it like 13:00, 1:00 pm, 1 pm or 12:00 noon)"),
        ("", "not a time: '' (write it like 13:00, 1:00 pm, 1 pm or 12:00 noon)"),
    ],
)
def test_parse_time_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:00 am-12:00 noon", (T(8), T(12))),
        ("8:00 am - 12:00 noon", (T(8), T(12))),
        ("12:00 noon-1:00 pm", (T(12), T(13))),
        ("11:30-11:45 am", (T(11, 30), T(11, 45))),
        ("11-1 pm", (T(11), T(13))),
        ("1-2 pm", (T(13), T(14))),
        ("13:00–14:30", (T(13), T(14, 30))),
        ("9 am to 5 pm", (T(9), T(17))),
        ("8:00-12:00 noon", (T(8), T(12))),
        ("10 pm - midnight", (T(22), T(0))),
    ],
)
def test_parse_time_range(text: str, expected: tuple[dt.time, dt.time]) -> None:
    assert parse_time_range(text) == expected


def test_parse_time_range_error() -> None:
    with pytest.raises(ValueError, match=r"^not a time range: '9:00-' \(write it like"):
        parse_time_range("9:00-")
    assert parse_time_range("8:00") == (T(8), None)  # a start only


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:00 a.m. to 12 noon EDT", [Listing(T(8), T(12), "EDT", "EDT")]),
        ("1:00-5:00pm PT", [Listing(T(13), T(17), "PT", "PT")]),
        ("6:00 p.m. ET – 8:00 p.m. ET", [Listing(T(18), T(20), "ET", "ET")]),
        ("10:00 CET - 11:00", [Listing(T(10), T(11), "CET", "CET")]),
        ("14:00-15:00 UTC-5", [Listing(T(14), T(15), "UTC-5", "UTC-5")]),
        ("at 4:45 pm ET", [Listing(T(16, 45), None, "ET", None)]),
        ("12-2:20 pm CET/6:00-8:20 am ET",
         [Listing(T(12), T(14, 20), "CET", "CET"), Listing(T(6), T(8, 20), "ET", "ET")]),
        ("5:05-6:30 p.m. CDT (06:05-7:30 p.m. EDT)",
         [Listing(T(17, 5), T(18, 30), "CDT", "CDT"), Listing(T(18, 5), T(19, 30), "EDT", "EDT")]),
    ],
)  # fmt: skip
def test_times_with_zone_labels(text: str, expected: list[Listing]) -> None:
    assert list(parse_listings(text)) == expected


def test_a_word_after_a_time_that_is_no_zone_says_so() -> None:
    with pytest.raises(ValueError, match=r"^not a time") as info:
        parse_listings("8:45 am XYZ")
    assert str(info.value) == (
        "not a time: '8:45 am XYZ' (unknown time zone 'XYZ' after the time; write one such "
        "as CT, CET or UTC+2, or set timezone)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("TBD", True), ("tba", True), ("TBC.", True), ("to be announced", True),
     ("To be determined", True), ("8:00", False), ("TBDX", False), ("", False)],
)  # fmt: skip
def test_not_announced(text: str, expected: bool) -> None:
    assert not_announced(text) is expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("15m", 15), ("15", 15), ("0", 0), ("1h", 60), ("1h30m", 90), ("1 h 30 min", 90),
     ("1d", 1440), ("2 days", 2880), ("1w", 10080), ("90 minutes", 90), ("4 weeks", 40320)],
)  # fmt: skip
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration_minutes(text) == minutes


@pytest.mark.parametrize("text", ["soon", "15x", "-15m", "1h30", "m15", ""])
def test_parse_duration_errors(text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a duration: "):
        parse_duration_minutes(text)


def test_parse_duration_too_long() -> None:
    with pytest.raises(ValueError, match=r"^too long: '5w' \(reminders can be at most 4 weeks"):
        parse_duration_minutes("5w")


def test_parse_date() -> None:
    assert parse_date("2011-06-04") == dt.date(2011, 6, 4)
    with pytest.raises(ValueError, match=r"^no such date: '2011-02-29'$"):
        parse_date("2011-02-29")
    with pytest.raises(ValueError, match=r"^not a date: '04/06/2011' \(write it as YYYY-MM-DD"):
        parse_date("04/06/2011")
    assert parse_date("2040-06-01") == dt.date(2040, 6, 1)
    for far in ("0001-01-01", "9999-12-31", "2100-01-01", "1970-12-31"):
        with pytest.raises(ValueError, match=rf"^out of range: '{far}' \(years 1971 to 2099\)$"):
            parse_date(far)


@pytest.mark.parametrize(
    ("text", "zone"),
    [("CT", "America/Chicago"), ("ct", "America/Chicago"), ("ET", "America/New_York"),
     ("MT", "America/Denver"), ("PT", "America/Los_Angeles"), ("Europe/Berlin", "Europe/Berlin"),
     ("UTC", "UTC"), ("US/Central", "America/Chicago"), ("chicago", "America/Chicago"),
     ("Berlin", "Europe/Berlin"), ("europe/paris", "Europe/Paris"),
     ("New York", "America/New_York")],
)  # fmt: skip
def test_resolve_timezone(text: str, zone: str) -> None:
    assert resolve(text) == zone


def test_unknown_timezone_suggests() -> None:
    with pytest.raises(ValueError, match=r"^unknown time zone") as info:
        resolve("America/Chicgo")
    assert str(info.value) == "unknown time zone 'America/Chicgo' (did you mean America/Chicago?)"


def test_clean_text() -> None:
    assert clean_text("  a\r\nb \n c  ") == "a b c"
    assert clean_text("a\r\nb\rc", multiline=True) == "a\nb\nc"
    assert clean_text("\ufeffzero\x00width\x1b[0m") == "zerowidth[0m"
    assert clean_text("line\u2028sep") == "line sep"
    assert clean_text("Ünïcødé 🧬 ok\tTab") == "Ünïcødé 🧬 ok\tTab"
    assert clean_text("e\u0301") == "é"  # NFC
