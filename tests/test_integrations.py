"""Spreadsheets in, other formats out, editor schema, init, links and the Python API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import icalendar
import jsonschema
import pytest
from click.testing import CliRunner

import asco_cal
import yaml12
from asco_cal import schema
from asco_cal.cli import cli
from asco_cal.errors import AscoCalError
from asco_cal.loader import load_file, load_text
from asco_cal.model import Event
from parsers import with_icalendar
from support import DATA, ROOT, SAMPLE

# -- schema ---------------------------------------------------------------------

VALIDATOR = jsonschema.Draft202012Validator(
    schema.schema(), format_checker=jsonschema.FormatChecker()
)
# Expanded by any JSON-Schema validator (editors included): not meaningful to check.
UNCHECKABLE = {"alias_bomb", "alias_bomb_sessions", "merge_key_bomb", "recursive_alias",
               "self_merge"}  # fmt: skip


def _composable(path: Path) -> object | None:
    try:
        doc: object = yaml12.load(path.read_bytes().decode("utf-8-sig"))
    except Exception:  # not YAML at all: nothing for a schema to say
        return None
    return doc


def _all_yaml() -> list[Path]:
    files = [SAMPLE, *sorted(DATA.glob("*/*.yaml"))]
    return [p for p in files if p.stem not in UNCHECKABLE]


def test_the_committed_schema_is_what_the_command_prints(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "sessions.schema.json").read_text(encoding="utf-8")
    assert SAMPLE.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=sessions.schema.json\n"
    )
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_every_file_the_loader_accepts_cleanly_validates_against_the_schema() -> None:
    checked = 0
    for path in _all_yaml():
        try:
            loaded = load_file(path)
        except AscoCalError:
            continue
        if any(w.code in ("unknown-key", "comment-value") for w in loaded.warnings):
            continue  # the loader passes these with a warning (an unknown key, an empty value
            # hidden by a comment: `- #Dr. A`); the schema flags them
        doc = _composable(path)
        errors = [e.message for e in VALIDATOR.iter_errors(doc)]
        assert not errors, (path, errors[:3])
        checked += 1
    assert checked >= 15


SCHEMA_CATCHES = {
    "invalid/wrong_types", "invalid/missing", "invalid/bad_values", "invalid/empty",
    "invalid/unknown_keys", "hostile/lists_where_text_belongs", "hostile/complex_keys",
    "hostile/mappings_where_values_belong", "hostile/many_reminders", "hostile/top_level_list",
    "hostile/top_level_scalar", "hostile/unsafe_urls", "hostile/date_mistakes",
    "hostile/null_fields", "hostile/python_tags", "hostile/feb_30", "hostile/only_comments",
}  # fmt: skip


def test_invalid_files_the_schema_can_express_fail_it() -> None:
    rejected = set()
    for path in _all_yaml():
        doc = _composable(path)
        if doc is None and path.read_bytes().strip(b" \n#abcdefghijklmnopqrstuvwxyz:") != b"":
            continue
        if any(VALIDATOR.iter_errors(doc)):
            rejected.add(f"{path.parent.name}/{path.stem}")
    assert rejected >= SCHEMA_CATCHES, SCHEMA_CATCHES - rejected
    for name in rejected:  # and nothing the loader accepts without warnings
        try:
            loaded = load_file(DATA / f"{name}.yaml")
        except AscoCalError:
            continue
        assert loaded.warnings, name


# -- init -----------------------------------------------------------------------


def test_init_writes_a_starter_that_validates(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "new" / "sessions.yaml"
    result = runner.invoke(
        cli, ["init", str(target), "--conference", "ASCO 2026", "--timezone", "CT"]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=sessions.schema.json\n")
    assert "timezone: America/Chicago" in text and 'name: "ASCO 2026"' in text
    assert (tmp_path / "new" / "sessions.schema.json").exists()
    program = load_file(target).program
    assert program.conference.id == "asco-2026" and len(program.scheduled) == 1
    assert not any(VALIDATOR.iter_errors(yaml12.load(text)))
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 1
    assert (
        again.stderr
        == f"Error: {target}: already exists; nothing was changed (choose another name)\n"
    )
    assert target.read_text(encoding="utf-8") == text
    bad = runner.invoke(cli, ["init", str(tmp_path / "x.yaml"), "--timezone", "Mars/Base"])
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: --timezone: unknown time zone")


# -- export formats ---------------------------------------------------------------


def _export(runner: CliRunner, *args: str) -> bytes:
    result = runner.invoke(cli, ["export", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_jcal_holds_the_same_calendar(workdir: Path, runner: CliRunner) -> None:
    ics_bytes = _export(runner)
    jcal = json.loads(_export(runner, "--format", "jcal"))
    assert jcal[0] == "vcalendar"
    offsets = {p[2] for c in jcal[2] for sub in c[2] for p in sub[1] if p[0].startswith("tzoffset")}
    assert offsets == {"utc-offset"}
    back = icalendar.Calendar.from_jcal(jcal)
    assert with_icalendar(back.to_ical()) == with_icalendar(ics_bytes)


def test_json_and_csv_agenda(workdir: Path, runner: CliRunner) -> None:
    doc = json.loads(_export(runner, "--format", "json"))
    sessions = doc["sessions"]
    assert [(s["abstract"], s["part"], s["start_utc"]) for s in sessions] == [
        ("8017", 1, "2011-06-04T13:00:00Z"), ("8017", 2, "2011-06-04T17:00:00Z"),
        ("8013", None, "2011-06-05T16:30:00Z"), ("TPS102", None, None), ("TPS116", None, None),
    ]  # fmt: skip
    raw = _export(runner, "--format", "csv")
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["Start"] == "08:00" and rows[0]["Room"] == "E450b"
    assert rows[2]["Title"].startswith("Phase I study of lorvotuzumab")
    assert runner.invoke(cli, ["export", "--format", "csv", "--split", "x"]).exit_code == 2


# -- import ---------------------------------------------------------------------


def _fields(event: Event) -> Event:
    return replace(event, line=None, reminders=())


def test_an_exported_csv_imports_to_the_same_events(workdir: Path, runner: CliRunner) -> None:
    (workdir / "agenda.csv").write_bytes(_export(runner, "--format", "csv"))
    result = runner.invoke(
        cli,
        ["import", "agenda.csv", "-o", "imported.yaml", "--id", "asco-2011",
         "--conference", "ASCO 2011 Annual Meeting"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "Imported 5 rows (4 sessions) into imported.yaml. Next: asco-cal validate imported.yaml"
    )
    original = load_file(SAMPLE).program
    imported = load_file(workdir / "imported.yaml").program
    assert [_fields(e) for e in imported.events] == [_fields(e) for e in original.events]
    uids = [e.uid() for e in imported.events]
    assert uids == [e.uid() for e in original.events]


SPREADSHEET = (
    "Abstract #;Session Title;Compound;Session Type;Date;Start Time;End Time;Room;"
    "Presenting Author;Notes\r\n"
    "8017;Étude SAR3419 « phase I/II »;SAR3419;poster;2011-06-04;8:00 am;12:00 noon;E450b;"
    '"Dr. Müller; Dr. Ng";bring badge\r\n'
    "8017;;;poster discussion;2011-06-04;12:00 noon;1:00 pm;E354a;;\r\n"
)
HAND_WRITTEN = """\
calendar: {name: Sheet}
conference: {timezone: America/Chicago}
sessions:
  - abstract: "8017"
    title: Étude SAR3419 « phase I/II »
    compound: SAR3419
    parts:
      - {type: poster, date: 2011-06-04, time: 8:00 am - 12:00 noon, room: E450b,
         presenters: [Dr. Müller, Dr. Ng], description: bring badge}
      - {type: poster discussion, date: 2011-06-04, start: 12:00 noon, end: 1:00 pm, room: E354a}
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_spreadsheet_imports_like_a_hand_written_file(
    encoding: str, tmp_path: Path, runner: CliRunner
) -> None:
    sheet = tmp_path / "program.csv"
    sheet.write_bytes(SPREADSHEET.encode(encoding))
    out = tmp_path / "sessions.yaml"
    result = runner.invoke(cli, ["import", str(sheet), "-o", str(out), "--timezone", "CT",
                                 "--name", "Sheet"])  # fmt: skip
    assert result.exit_code == 0, result.output
    imported = load_file(out).program
    expected = load_text(HAND_WRITTEN).program
    assert [_fields(e) for e in imported.events] == [_fields(e) for e in expected.events]
    assert asco_cal.to_ics(imported) == asco_cal.to_ics(expected)


def test_import_reports_every_row_problem(tmp_path: Path, runner: CliRunner) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "Abstract,Title,Date,Start,End,Room,Extra\n"
        "1,A,2011-02-30,9:00,10:00,R1,x\n"
        ",B,2011-06-04,9:00,10:00,R2,x\n"
        "3,C,2011-06-04,25:00,10:00,R3,x\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", str(sheet), "--timezone", "CT", "-o", "-"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{sheet}:2: column \"Date\": no such date: '2011-02-30'",
        f'{sheet}:3: column "Abstract": empty (every row needs its abstract number)',
        f"{sheet}:4: column \"Start\": not a time: '25:00' (hours go up to 23)",
        f"Error: {sheet}: 3 problems; nothing written",
    ]
    assert result.stdout == ""


def test_import_reports_sessions_that_do_not_validate_at_their_cells(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Cells that parse but make impossible sessions: the reader's messages, at CSV positions."""
    sheet = tmp_path / "p.csv"
    sheet.write_text(
        "Abstract,Title,Type,Date,Start,End,Room,Reminders\n"
        "8017,Study A,Poster,2011-06-04,9:00 AM,8:00 AM,E450b,\n"
        "8013,Study B,Oral,2011-06-05,11:30 AM,11:45 AM,E354a,\n"
        "8014,Study C,Oral,2011-03-13,2:30 AM,3:00 AM,E354a,\n"
        "8015,Study D,Oral,2011-06-05,11:30 AM,,E354a,1h; soon\n"
        "8016,Study E,Oral,2011-06-05,,11:45 AM,E354a,\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", str(sheet), "--timezone", "CT", "-o", "-"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'{sheet}:2: column "End": ends before it starts (08:00 < 09:00)',
        f'{sheet}:4: column "Start": 02:30 on 2011-03-13 does not exist in America/Chicago '
        "(the clocks skip it when daylight saving time starts)",
        f"{sheet}:5: column \"Reminders\": not a duration: 'soon' "
        "(write it like 15m, 1h, 1h30m, 1d or a number of minutes)",
        f'{sheet}:6: column "End": missing (the end time is given, the start is not)',
        f"Error: {sheet}: 4 problems; nothing written",
    ]
    assert result.stdout == ""


@pytest.mark.parametrize("zone", ["CT", None])
def test_the_draft_yaml_reads_as_the_spreadsheet_did(zone: str | None) -> None:
    """The program read from the spreadsheet's tree equals the one read from the YAML draft."""
    from asco_cal.importer import import_csv

    sheet = SPREADSHEET
    if zone is None:  # a zone per row, and no conference zone
        header, first, second = SPREADSHEET.split("\r\n")[:3]
        sheet = f"{header};TZ\r\n{first};Europe/Berlin\r\n{second};America/Denver\r\n"
    imported = import_csv(sheet.encode(), "program.csv", calendar_name="Sheet",
                          conference_id="x", timezone=zone)  # fmt: skip
    assert imported.program == load_text(imported.yaml, "program.yaml").program
    zones = [e.timezone for e in imported.program.events]
    assert zones == (["America/Chicago"] * 2 if zone else ["Europe/Berlin", "America/Denver"])


def test_import_needs_a_timezone_and_refuses_to_overwrite(workdir: Path, runner: CliRunner) -> None:
    (workdir / "p.csv").write_text("Abstract,Title\n1,A\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "p.csv", "-o", "new.yaml"])
    assert result.exit_code == 1
    assert "no timezone column: give --timezone, e.g. --timezone CT" in result.stderr
    before = (workdir / "sessions.yaml").read_bytes()
    result = runner.invoke(cli, ["import", "p.csv", "--timezone", "CT"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: sessions.yaml: already exists; nothing was changed (add --force to replace it)\n"
    )
    assert (workdir / "sessions.yaml").read_bytes() == before
    result = runner.invoke(cli, ["import", "p.csv", "--timezone", "CT", "--force"])
    assert result.exit_code == 0
    assert load_file(workdir / "sessions.yaml").program.events[0].title == "A"


def test_import_map_option(tmp_path: Path, runner: CliRunner) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text("Abstract,Talk,Secret\n1,Hello,x\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["import", str(sheet), "--timezone", "ET", "--map", "Talk=title",
              "--map", "secret=-", "-o", "-"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert 'title: "Hello"' in result.stdout and "Secret" not in result.stderr
    bad = runner.invoke(cli, ["import", str(sheet), "--map", "Talk=nonsense", "-o", "-"])
    assert bad.exit_code == 2 and "write COLUMN=FIELD" in bad.stderr


# -- links ----------------------------------------------------------------------


def test_links_for_a_press_release(workdir: Path, runner: CliRunner) -> None:
    text = runner.invoke(cli, ["links", "--base-url", "https://example.org/asco/"])
    assert text.exit_code == 0, text.output
    blocks = text.stdout.strip().split("\n\n")
    assert len(blocks) == 3
    assert blocks[0].splitlines()[:2] == [
        "SAR3419 poster - Abstract 8017",
        "Saturday, June 4, 8:00 am – 12:00 noon CT, E450b",
    ]
    assert "  Apple Calendar / .ics: https://example.org/asco/sessions/8017-1.ics" in blocks[0]
    # With the public address: short links, answered from the data of the moment.
    assert "  Google Calendar: https://example.org/asco/add/8017-1/?to=google" in blocks[0]
    md = runner.invoke(cli, ["links", "--abstract", "8013", "--format", "markdown"])
    assert md.stdout.startswith("**IMGN901 oral - Abstract 8013**  \nSunday, June 5, ")
    assert "- [Outlook.com](https://outlook.live.com/" in md.stdout
    assert "No .ics links: give --base-url" in md.stderr
    html = runner.invoke(cli, ["links", "--format", "html"])
    assert html.stdout.count("<p><strong>") == 3 and "&amp;" in html.stdout


# -- API and packaging ------------------------------------------------------------


def test_python_api(workdir: Path) -> None:
    program = asco_cal.load("sessions.yaml")
    assert asco_cal.to_ics(program) == (DATA / "golden" / "sessions.ics").read_bytes()
    cal = asco_cal.build_calendar(program, [program.events[0]], reminders=[60])
    (event,) = cal.walk("VEVENT")
    assert event["SUMMARY"] == "SAR3419 poster - Abstract 8017"
    assert asco_cal.load(Path("sessions.yaml").read_bytes()) == program
    with pytest.raises(asco_cal.InvalidInput):
        asco_cal.load(b"calendar: {}\n")


def test_python_dash_m_and_version() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "asco_cal", "--version"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout == f"asco-cal, version {asco_cal.__version__}\n"


def test_a_spreadsheet_with_the_release_forms_imports_them() -> None:
    """Columns for the forms press releases use: ids, session names, halls, sections,
    venues of their own, zone labels in times, start-only talks with a duration."""
    from asco_cal.importer import import_csv

    sheet = (
        "ID,Abstract #,Title,Type,Session name,Hall,Poster section,Board,Date,Time,Duration,"
        "Hotel,Street address\r\n"
        ",653,Study A,Poster,Poster Session 653,Hall A,22,24,2011-06-04,8:00-11:00 am CDT,,,\r\n"
        "investor-event,,Investor reception,Investor event,,,,,2011-06-05,6:00 pm CT,2h,"
        "The Palmer House Hilton,17 E Monroe St\r\n"
    )
    imported = import_csv(sheet.encode(), "p.csv", calendar_name="Sheet", conference_id="x",
                          timezone="CT")  # fmt: skip
    poster, reception = imported.program.events
    assert (poster.abstract, poster.session, poster.hall, poster.section, poster.board) == (
        "653", "Poster Session 653", "Hall A", "22", "24")  # fmt: skip
    assert poster.starts_at is not None
    assert poster.starts_at.astimezone(dt.UTC) == dt.datetime(2011, 6, 4, 13, tzinfo=dt.UTC)
    assert (reception.id, reception.abstract, reception.venue, reception.address) == (
        "investor-event", "", "The Palmer House Hilton", "17 E Monroe St")  # fmt: skip
    assert reception.ends_at is not None
    assert reception.ends_at.astimezone(dt.UTC) == dt.datetime(2011, 6, 6, 1, tzinfo=dt.UTC)
    assert load_text(imported.yaml, "draft.yaml").program == imported.program
