"""Sessions written the way press releases write them (issue 11): each form with its
exact outcome, the instants in UTC as independent parsers read the export, or the
exact message with file, line, column and field."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from asco_cal import ics, state, tabular
from asco_cal.cli import cli
from asco_cal.errors import InvalidInput
from asco_cal.loader import Loaded, load_text
from parsers import PYTHON_PARSERS, Parsed, icaljs_available, with_icaljs

HEAD = """\
calendar:
  name: Test
conference:
  timezone: {zone}
  start: {start}
  end: {end}
sessions:
"""


def _file(sessions: str, zone: str = "America/Chicago", start: str = "2011-06-04",
          end: str = "2011-06-08", top: str = "") -> str:  # fmt: skip
    head = HEAD.format(zone=zone, start=start, end=end)
    return top + head + textwrap.indent(textwrap.dedent(sessions).strip() + "\n", "  ")


def _load(text: str) -> Loaded:
    return load_text(text, "s.yaml")


def _messages(text: str) -> list[str]:
    try:
        loaded = _load(text)
    except InvalidInput as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in loaded.warnings]


WHEN = dt.datetime(2011, 5, 26, 12, tzinfo=dt.UTC)


def _export(loaded: Loaded) -> bytes:
    program = loaded.program
    return ics.export(program, program.events, state.update(state.EMPTY, program, WHEN))


def _read_all(data: bytes) -> dict[str, list[Parsed]]:
    out = {name: parse(data) for name, parse in PYTHON_PARSERS.items()}
    if icaljs_available() is None:
        out["ical.js"] = with_icaljs(data)
    return out


def _instants(text: str) -> list[tuple[str, str]]:
    """Each event's (start, end) in UTC, the same in every parser (checked)."""
    loaded = _load(text)
    data = _export(loaded)
    seen = {}
    for name, events in _read_all(data).items():
        seen[name] = sorted(
            (f"{e.start:%Y-%m-%dT%H:%MZ}", f"{e.end:%Y-%m-%dT%H:%MZ}") for e in events
        )
    first = next(iter(seen.values()))
    assert all(v == first for v in seen.values()), seen
    assert len(seen) >= 3
    return first


SESSION = """\
- abstract: "1"
  title: T
  type: oral
  date: {date}
  {times}
"""


@pytest.mark.parametrize(
    ("zone", "date", "times", "expected"),
    [
        # a zone after a range, in the forms releases use
        ("America/New_York", "2019-06-03", "time: 8:00 a.m. to 12 noon EDT",
         ("2019-06-03T12:00Z", "2019-06-03T16:00Z")),
        ("America/Los_Angeles", "2018-12-01", "time: 1:00-5:00pm PT",
         ("2018-12-01T21:00Z", "2018-12-02T01:00Z")),
        ("Asia/Singapore", "2023-12-02", "time: 3:25-3:30 p.m. SGT",
         ("2023-12-02T07:25Z", "2023-12-02T07:30Z")),
        ("America/New_York", "2019-12-07", "time: 6:00 p.m. ET – 8:00 p.m. ET",
         ("2019-12-07T23:00Z", "2019-12-08T01:00Z")),
        ("Europe/Berlin", "2019-12-07", "time: 10:00-15:00 CET",
         ("2019-12-07T09:00Z", "2019-12-07T14:00Z")),
        ("Europe/Madrid", "2023-10-21", "time: 11:30 - 11:45 AM CEST",
         ("2023-10-21T09:30Z", "2023-10-21T09:45Z")),
        ("Europe/Vienna", "2015-06-12", "time: 11:45-12:30 (CEST)",
         ("2015-06-12T09:45Z", "2015-06-12T10:30Z")),
        # labels that used to be refused
        ("Europe/London", "2019-06-03", "time: 9:00-10:00 BST",
         ("2019-06-03T08:00Z", "2019-06-03T09:00Z")),
        ("Europe/Athens", "2019-06-03", "time: 9:00-10:00 EEST",
         ("2019-06-03T06:00Z", "2019-06-03T07:00Z")),
        ("Asia/Tokyo", "2019-06-03", "time: 9:00-10:00 JST",
         ("2019-06-03T00:00Z", "2019-06-03T01:00Z")),
        ("Asia/Seoul", "2019-06-03", "time: 9:00-10:00 KST",
         ("2019-06-03T00:00Z", "2019-06-03T01:00Z")),
        ("Asia/Hong_Kong", "2019-06-03", "time: 9:00-10:00 HKT",
         ("2019-06-03T01:00Z", "2019-06-03T02:00Z")),
        ("Australia/Sydney", "2019-06-03", "time: 9:00-10:00 AEST",
         ("2019-06-02T23:00Z", "2019-06-03T00:00Z")),
        ("Australia/Sydney", "2019-12-03", "time: 9:00-10:00 AEDT",
         ("2019-12-02T22:00Z", "2019-12-02T23:00Z")),
        # the other season's label means the local clock (a warning says so)
        ("Orlando", "2019-07-10", "time: 9:00-10:00 am EST",
         ("2019-07-10T13:00Z", "2019-07-10T14:00Z")),
        ("Barcelona", "2019-10-28", "time: 14:00-15:00 CET",
         ("2019-10-28T13:00Z", "2019-10-28T14:00Z")),
        ("Barcelona", "2019-10-25", "time: 14:00-15:00 CET",
         ("2019-10-25T12:00Z", "2019-10-25T13:00Z")),
        # a label sets the zone of that time: Eastern time at a Berlin meeting
        ("Europe/Berlin", "2019-06-03", "time: 6:00-8:20 am ET",
         ("2019-06-03T10:00Z", "2019-06-03T12:20Z")),
        # two listings of one slot that agree
        ("Europe/Berlin", "2019-06-03", "time: 12-2:20 pm CEST/6:00-8:20 am ET",
         ("2019-06-03T10:00Z", "2019-06-03T12:20Z")),
        ("America/Chicago", "2019-06-03", "time: 5:05-6:30 p.m. CDT (06:05-7:30 p.m. EDT)",
         ("2019-06-03T22:05Z", "2019-06-03T23:30Z")),
        # start-only talks: the duration given, or the file's default for the type
        ("America/New_York", "2019-12-10", "start: 4:45 pm ET\n  duration: 15m",
         ("2019-12-10T21:45Z", "2019-12-10T22:00Z")),
        ("Asia/Singapore", "2023-12-02", "start: 11:50 am Singapore time\n  duration: 10m",
         ("2023-12-02T03:50Z", "2023-12-02T04:00Z")),
        # the repeated hour, said which by its label
        ("America/Chicago", "2011-11-06", "time: 1:30-1:45 am CDT",
         ("2011-11-06T06:30Z", "2011-11-06T06:45Z")),
        ("America/Chicago", "2011-11-06", "time: 1:30-1:45 am CST",
         ("2011-11-06T07:30Z", "2011-11-06T07:45Z")),
        # an end in the repeated hour, by its label or by the duration
        ("America/Chicago", "2011-11-06", "time: 1:45 am CDT - 1:15 am CST",
         ("2011-11-06T06:45Z", "2011-11-06T07:15Z")),
        ("America/Chicago", "2024-11-03", "start: 1:30 am CDT\n  duration: 30m",
         ("2024-11-03T06:30Z", "2024-11-03T07:00Z")),
        ("America/Chicago", "2024-11-03", "start: 12:45 am\n  duration: 1h30m",
         ("2024-11-03T05:45Z", "2024-11-03T07:15Z")),
        ("Europe/Dublin", "2019-10-27", "time: 1:30-1:45 am GMT",
         ("2019-10-27T01:30Z", "2019-10-27T01:45Z")),
        ("Europe/Dublin", "2019-10-27", "time: 1:30-1:45 am IST",
         ("2019-10-27T00:30Z", "2019-10-27T00:45Z")),
    ],
)  # fmt: skip
def test_release_time_forms_export_the_right_instants(
    zone: str, date: str, times: str, expected: tuple[str, str]
) -> None:
    text = _file(SESSION.format(date=date, times=times), zone=zone, start=date, end=date)
    assert _instants(text) == [expected]


def test_the_repeated_hour_is_written_in_utc_so_every_reader_agrees() -> None:
    text = _file(SESSION.format(date="2011-11-06", times="time: 1:30-2:30 am CST"),
                 start="2011-11-06", end="2011-11-06")  # fmt: skip
    loaded = _load(text)
    data = _export(loaded).decode()
    assert "DTSTART:20111106T073000Z" in data  # 1:30 am CST, the second one
    assert "DTEND;TZID=America/Chicago:20111106T023000" in data  # 2:30 happens once


def test_the_repeated_hour_without_a_label_is_an_error_saying_how_to_choose() -> None:
    text = _file(SESSION.format(date="2011-11-06", times="time: 1:30-3:00 am"),
                 start="2011-11-06", end="2011-11-06")  # fmt: skip
    assert _messages(text) == [
        "s.yaml:12:11: sessions[0].time: 01:30 on 2011-11-06 happens twice in "
        "America/Chicago (the clocks go back); say which with its zone: 1:30 am CDT or "
        "1:30 am CST"
    ]


def test_a_label_of_the_other_season_means_the_local_clock_with_a_warning() -> None:
    text = _file(SESSION.format(date="2018-06-15", times="time: 8:30-8:45 am CET"),
                 zone="Stockholm", start="2018-06-14", end="2018-06-17")  # fmt: skip
    loaded = _load(text)
    assert [p.code for p in loaded.warnings] == ["zone-label"]
    assert _instants(text) == [("2018-06-15T06:30Z", "2018-06-15T06:45Z")]


def test_two_listings_that_disagree_are_an_error_naming_both() -> None:
    text = _file(SESSION.format(date="2019-06-03", times="time: 12-2:20 pm CEST/7:00-9:20 am ET"),
                 zone="Europe/Berlin", start="2019-06-03", end="2019-06-03")  # fmt: skip
    assert _messages(text) == [
        "s.yaml:12:11: sessions[0].time: the two listings disagree: 12:00-14:20 CEST is "
        "10:00-12:20 UTC but 07:00-09:20 ET is 11:00-13:20 UTC (check the release)"
    ]


def test_a_label_against_the_sessions_own_zone_is_an_error_naming_both() -> None:
    sessions = SESSION.format(date="2019-06-03", times="time: 10:00-11:00 ET") + (
        "  timezone: Europe/Berlin\n"
    )
    messages = _messages(_file(sessions, zone="Europe/Berlin", start="2019-06-03",
                               end="2019-06-03"))  # fmt: skip
    assert len(messages) == 1
    assert messages[0].startswith("s.yaml:12:11: sessions[0].time: ")
    assert "ET" in messages[0] and "Europe/Berlin" in messages[0]


def test_start_only_uses_the_files_default_for_its_type_else_says_what_it_assumed() -> None:
    sessions = """\
    - abstract: "1"
      title: T
      type: oral
      date: 2011-06-04
      start: 4:45 pm
    - abstract: "2"
      title: T
      type: poster
      date: 2011-06-04
      start: 8:00 am
    - abstract: "3"
      title: T
      type: investor event
      date: 2011-06-04
      start: 6:00 pm
    """
    text = _file(sessions, top="defaults: {oral: 10m, Poster: 2h}\n")
    assert _instants(text) == [
        ("2011-06-04T13:00Z", "2011-06-04T15:00Z"),
        ("2011-06-04T21:45Z", "2011-06-04T21:55Z"),
        ("2011-06-04T23:00Z", "2011-06-05T00:00Z"),
    ]
    assert [str(p) for p in _load(text).warnings] == [
        "s.yaml:23:12: warning: sessions[2].start: no end time; taken to last 1 hour (give "
        "the end, a duration, or the file's defaults: {investor event: 60m})"
    ]


@pytest.mark.parametrize("word", ["TBD", "TBA", "tba", "to be announced", "To be determined"])
def test_tbd_means_not_announced(word: str) -> None:
    sessions = f"""\
    - abstract: "1"
      title: T
      type: poster
      date: {word}
      time: {word}
    """
    loaded = _load(_file(sessions))
    (event,) = loaded.program.events
    assert (event.date, event.start, event.end, event.scheduled) == (None, None, None, False)
    assert [str(p) for p in loaded.warnings] == [
        "s.yaml:8:5: warning: sessions[0]: abstract 1 has no date or time yet; listed, "
        "not exported to calendars"
    ]


def test_a_date_without_a_time_is_an_all_day_event_when_the_file_says_so() -> None:
    sessions = """\
    - abstract: "1"
      title: T
      type: poster
      date: 2011-06-05
    """
    text = _file(sessions, top="all_day_when_no_time: true\n")
    loaded = _load(text)
    assert loaded.warnings == ()
    data = _export(loaded)
    assert b"DTSTART;VALUE=DATE:20110605\r\nDTEND;VALUE=DATE:20110606\r\n" in data
    assert b"BEGIN:VALARM" not in data
    midnight = dt.datetime(2011, 6, 5, tzinfo=dt.UTC)
    for name, events in _read_all(data).items():
        assert [(e.all_day, e.start, e.end) for e in events] == [
            (True, midnight, midnight + dt.timedelta(days=1))
        ], name
    rows = tabular.rows(loaded.program, loaded.program.events)
    assert (rows[0]["meeting_day"], rows[0]["all_day"], rows[0]["start_utc"]) == (
        "2011-06-05", True, None)  # fmt: skip


def test_off_site_event_without_abstract_keeps_its_uid_when_an_abstract_is_added() -> None:
    base = """\
    - id: investor-event
      title: Investor reception
      type: investor event
      date: 2011-06-05
      time: 6:00-8:00 pm
      venue: The Palmer House Hilton
      address: 17 E Monroe St, Chicago, IL 60603
    """
    conference_geo = "  venue: McCormick Place\n  geo: [41.8514, -87.6169]\n"
    text = _file(base).replace("sessions:\n", conference_geo + "sessions:\n")
    later = _file(base.replace("    - id:", '    - abstract: "INV1"\n      id:')).replace(
        "sessions:\n", conference_geo + "sessions:\n"
    )
    first, second = (_load(t).program for t in (text, later))
    (a,), (b,) = first.events, second.events
    assert a.uid() == b.uid()
    data = ics.export(first, first.events, state.update(state.EMPTY, first, WHEN)).decode()
    assert "SUMMARY:Investor event - Investor reception" in data
    assert "LOCATION:The Palmer House Hilton\\, 17 E Monroe St\\, Chicago\\, IL 60603" in data
    assert "GEO:" not in data  # the congress's position is not the hotel's
    assert "Abstract" not in data.split("SUMMARY:")[1].split("\r\n")[0]


def test_session_names_and_poster_places_are_shown_and_shared_slots_do_not_warn() -> None:
    sessions = """\
    - abstract: "653"
      title: A
      type: poster
      session: "Poster Session 653; Poster III"
      date: 2011-06-04
      time: 8:00-11:00 am
      room: Hall A
      section: "22"
      board: "24"
    - abstract: "654"
      title: B
      type: poster
      session: "Poster Session 653; Poster III"
      date: 2011-06-04
      time: 8:00-11:00 am
      room: Hall A
    - abstract: "700"
      title: C
      type: oral
      date: 2011-06-04
      time: 9:00-9:15 am
      room: E354a
    - abstract: "701"
      title: D
      type: oral
      date: 2011-06-04
      time: 9:00-9:15 am
      room: E354a
    """
    loaded = _load(_file(sessions))
    assert [p.code for p in loaded.warnings] == ["overlap"]  # the two orals only
    assert "701" in str(loaded.warnings[0]) or "700" in str(loaded.warnings[0])
    parsed = {e.summary: e for e in PYTHON_PARSERS["vobject"](_export(loaded))}
    poster = parsed["Poster - Abstract 653"]
    assert poster.location == "Hall A, Section 22, 24"
    assert "Session: Poster Session 653; Poster III\nRoom: Hall A\nPoster section: 22\n" in (
        poster.description
    )


def test_one_day_everywhere_in_list_date_filter_and_per_day_feeds(tmp_path: Path) -> None:
    """The page, list, --date, the per-day feeds and JSON agree on a session's day."""
    sessions = """\
    - abstract: "1"
      title: Friday morning in Berlin
      type: oral
      date: 2019-06-07
      time: 9:00-10:00
    - abstract: "2"
      title: Thursday evening in New York, Friday in Berlin
      type: oral
      date: 2019-06-06
      time: 11:30-11:45 pm
      timezone: America/New_York
    - abstract: "3"
      title: Friday afternoon in Berlin
      type: oral
      date: 2019-06-07
      time: 14:00-15:00
    """
    path = tmp_path / "s.yaml"
    path.write_text(_file(sessions, zone="Europe/Berlin", start="2019-06-04", end="2019-06-08"),
                    encoding="utf-8")  # fmt: skip
    runner = CliRunner()
    listed = runner.invoke(cli, ["list", str(path)])
    assert listed.exit_code == 0, listed.output
    days = [line for line in listed.stdout.splitlines() if line.endswith(", 2019")]
    assert days == ["Friday, June 7, 2019"]
    out = tmp_path / "friday.ics"
    exported = runner.invoke(cli, ["export", str(path), "--date", "2019-06-07", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert len(PYTHON_PARSERS["icalendar"](out.read_bytes())) == 3
    thursday = runner.invoke(cli, ["export", str(path), "--date", "2019-06-06", "-o", "-"])
    assert thursday.exit_code != 0  # no session is on the Thursday of the Berlin meeting
    site = tmp_path / "site"
    built = runner.invoke(cli, ["build", str(path), "-o", str(site)])
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in (site / "feeds" / "date").glob("*.ics")) == ["2019-06-07.ics"]


def test_one_day_everywhere_for_a_session_in_its_own_zone() -> None:
    # 23:30 in New York on June 5 is June 6 in Berlin: the Berlin meeting's day.
    sessions = """\
    - abstract: "1"
      title: T
      type: oral
      date: 2019-06-05
      time: 11:30-11:45 pm
      timezone: America/New_York
    """
    loaded = _load(_file(sessions, zone="Europe/Berlin", start="2019-06-04", end="2019-06-08"))
    (event,) = loaded.program.events
    assert event.day == dt.date(2019, 6, 6)
    assert tabular.rows(loaded.program, loaded.program.events)[0]["meeting_day"] == "2019-06-06"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("US/Central", "America/Chicago"), ("US/Eastern", "America/New_York"),
     ("Europe/Kiev", "Europe/Kyiv"), ("Asia/Calcutta", "Asia/Kolkata"), ("Egypt", "Africa/Cairo")],
)  # fmt: skip
def test_aliases_come_out_as_canonical_names(alias: str, canonical: str) -> None:
    loaded = _load(_file(SESSION.format(date="2011-06-04", times="time: 9:00-10:00 am"),
                         zone=alias))  # fmt: skip
    data = _export(loaded).decode()
    assert f"TZID:{canonical}\r\n" in data and f"X-WR-TIMEZONE:{canonical}\r\n" in data
    assert alias not in data
    assert loaded.program.conference.timezone == canonical


def test_all_day_events_count_as_scheduled_everywhere(tmp_path: Path) -> None:
    sessions = """\
    - abstract: "1"
      title: T
      type: poster
      date: 2011-06-05
    - abstract: "2"
      title: U
      type: oral
      date: 2011-06-05
      time: 9:00-10:00 am
    - abstract: "3"
      title: V
      type: poster
    """
    path = tmp_path / "s.yaml"
    path.write_text(_file(sessions, top="all_day_when_no_time: true\n"), encoding="utf-8")
    runner = CliRunner()
    validated = runner.invoke(cli, ["validate", str(path)])
    assert validated.stdout.splitlines()[-1].endswith(
        "OK: 3 events (2 scheduled, 1 not yet), 1 warning"
    )
    exported = runner.invoke(cli, ["export", str(path), "-o", str(tmp_path / "x.ics")])
    assert "Wrote 2 events" in exported.stderr and "skipped 1 session" in exported.stderr
    split = runner.invoke(cli, ["export", str(path), "--split", str(tmp_path / "one")])
    assert split.exit_code == 0, split.output
    assert sorted(p.name for p in (tmp_path / "one").glob("*.ics")) == ["1.ics", "2.ics"]
    data = (tmp_path / "one" / "1.ics").read_bytes()
    assert b"DTSTART;VALUE=DATE:20110605" in data and b"TRANSP:TRANSPARENT" in data


def test_all_day_events_get_all_day_links() -> None:
    from urllib.parse import parse_qs, urlsplit

    from asco_cal import links

    sessions = """\
    - abstract: "1"
      title: T
      type: poster
      date: 2011-06-05
    """
    program = _load(_file(sessions, top="all_day_when_no_time: true\n")).program
    (event,) = program.events
    google = parse_qs(urlsplit(links.google_add(program, event)).query)
    assert google["dates"] == ["20110605/20110606"]
    outlook = parse_qs(urlsplit(links.outlook_add(program, event)).query)
    assert (outlook["startdt"], outlook["enddt"], outlook["allday"]) == (
        ["2011-06-05"], ["2011-06-06"], ["true"])  # fmt: skip


def test_the_conference_dates_are_checked_on_the_meetings_day() -> None:
    sessions = """\
    - abstract: "1"
      title: Friday evening in New York is Saturday in Berlin
      type: oral
      date: 2024-05-31
      time: 7:00-8:00 pm ET
    - abstract: "2"
      title: Monday evening in New York is Tuesday in Berlin
      type: oral
      date: 2024-06-03
      time: 8:00-9:00 pm ET
    """
    text = _file(sessions, zone="Europe/Berlin", start="2024-06-01", end="2024-06-03")
    assert _messages(text) == [
        "s.yaml:16:11: sessions[1].date: 2024-06-03 (2024-06-04 on the meeting's clock) is "
        "outside the conference dates (2024-06-01 to 2024-06-03)"
    ]


def test_the_page_shows_release_forms(tmp_path: Path) -> None:
    """Sessions without abstracts, all-day sessions, session names and poster places on
    the agenda page and the add pages of a static build."""
    sessions = """\
    - id: investor-event
      title: Investor reception
      type: investor event
      date: 2011-06-05
      time: 6:00-8:00 pm
      venue: The Palmer House Hilton
    - abstract: "653"
      title: A poster
      type: poster
      session: "Poster Session 653"
      hall: Hall A
      section: "22"
      board: "24"
      date: 2011-06-04
    """
    path = tmp_path / "s.yaml"
    path.write_text(_file(sessions, top="all_day_when_no_time: true\n"), encoding="utf-8")
    site = tmp_path / "site"
    built = CliRunner().invoke(cli, ["build", str(path), "-o", str(site)])
    assert built.exit_code == 0, built.output
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<em>investor event</em> <br><span class="t">Investor reception</span>' not in page
    assert '<em>investor event</em><br><span class="t">Investor reception</span>' in page
    assert "Abstract investor-event" not in page
    assert "Sat, Jun 4 · All day" in page
    assert "Poster Session 653 · Hall A · Section 22 · 24" in page
    assert "The Palmer House Hilton" in page
    add = (site / "add" / "653" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Poster, abstract 653</h1>" in add and "Google Calendar" in add
    reception = (site / "add" / "investor-event" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Investor event</h1>" in reception
    assert "Investor reception · Test" in reception  # the page's title
    assert (site / "sessions" / "653.ics").exists()  # the all-day session's download


def test_the_calendar_name_is_escaped_like_any_text() -> None:
    text = _file(SESSION.format(date="2011-06-04", times="time: 9:00-10:00 am"))
    loaded = _load(text.replace("name: Test", 'name: "Friday, June 3; all"'))
    data = _export(loaded).decode()
    assert "\r\nNAME:Friday\\, June 3\\; all\r\n" in data
    assert "\r\nX-WR-CALNAME:Friday\\, June 3\\; all\r\n" in data


def test_an_offset_label_in_the_hour_daylight_saving_skips_is_an_instant() -> None:
    """2:30-3:30 UTC-6 on the day Chicago springs forward: 08:30Z-09:30Z, read by every
    parser; the same wall time with CST stays an error (it names Chicago's clock)."""
    session = """\
    - abstract: "1"
      title: T
      type: poster
      date: 2026-03-08
      time: {time}
    """
    text = _file(session.format(time="2:30-3:30 UTC-6"), start="2026-03-07", end="2026-03-09")
    assert _instants(text) == [("2026-03-08T08:30Z", "2026-03-08T09:30Z")]
    assert _messages(text) == []
    wrong = _file(session.format(time="2:30-3:30 CST"), start="2026-03-07", end="2026-03-09")
    assert any("does not exist in America/Chicago" in m for m in _messages(wrong))
