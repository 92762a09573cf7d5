"""The command line: exact output, exit codes, files written, no tracebacks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from asco_cal.cli import cli
from parsers import PYTHON_PARSERS
from support import DATA

INVALID = DATA / "invalid"
# name -> exit code of `asco-cal validate` (0 where only warnings remain)
BAD_INPUTS = {
    "bad_locale": 1,
    "bad_values": 1,
    "control_char": 1,
    "dst_gap": 1,
    "dst_overlap": 1,  # the repeated hour without a label saying which
    "durations": 1,
    "site": 1,
    "site_kinds": 1,
    "site_files": 1,
    "duplicate": 1,
    "duplicate_keys": 1,
    "empty": 1,
    "geo_mismatch": 1,
    "identities": 1,
    "end_before_start": 1,
    "missing": 1,
    "no_timezone": 1,
    "outside_dates": 1,
    "room_overlap": 0,
    "syntax": 1,
    "tab": 1,
    "times_conflict": 1,
    "unknown_keys": 0,
    "unknown_timezone": 1,
    "unshipped_locale": 1,
    "wrong_types": 1,
    "zone_labels": 1,
    "zone_names": 1,
}


def test_every_bad_input_file_has_a_test() -> None:
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(BAD_INPUTS)


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_validate_reports_exact_messages(
    name: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(INVALID)
    result = runner.invoke(cli, ["validate", f"{name}.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == (INVALID / f"{name}.out").read_text(encoding="utf-8")
    assert result.exit_code == BAD_INPUTS[name]
    assert "Traceback" not in result.output


def test_validate_end_before_start_message(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(INVALID)
    result = runner.invoke(cli, ["validate", "end_before_start.yaml"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "end_before_start.yaml:11:10: sessions[0].end: ends before it starts (11:00 < 11:30)"
    )


@pytest.mark.parametrize("name", sorted(n for n, code in BAD_INPUTS.items() if code == 1))
def test_export_refuses_to_write_on_errors(name: str, runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_bytes(b"previous content")
    result = runner.invoke(cli, ["export", str(INVALID / f"{name}.yaml"), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(f"Error: {INVALID / name}.yaml: ")
    assert "nothing written" in result.stderr.splitlines()[-1]
    assert target.read_bytes() == b"previous content"
    assert not (INVALID / f"{name}.state.yaml").exists()


def test_validate_sample(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert result.stdout == (
        "sessions.yaml:68:5: warning: sessions[2]: abstract TPS102 has no date or time yet; "
        "listed, not exported to calendars\n"
        "sessions.yaml:75:5: warning: sessions[3]: abstract TPS116 has no date or time yet; "
        "listed, not exported to calendars\n"
        "sessions.yaml: OK: 5 events (3 scheduled, 2 not yet), 2 warnings\n"
    )


def test_missing_file(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "export", "list"):
        result = runner.invoke(cli, [command])
        assert result.exit_code == 1, command
        assert result.stderr == "Error: sessions.yaml: file not found\n", command


def test_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("calendar:\n  name: Caf\xe9\n".encode("latin-1"))
    result = runner.invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {bad}:2:12: not UTF-8 text: byte 0xE9 (save the file as UTF-8)\n"
    )


def test_export_sample(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["export"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "Wrote 3 events to immunogen-at-asco-2011.ics; skipped 2 sessions with no date "
        "or time yet (TPS102, TPS116)."
    )
    data = (workdir / "immunogen-at-asco-2011.ics").read_bytes()
    assert data == (DATA / "golden" / "sessions.ics").read_bytes()


def test_export_twice_is_byte_identical_even_without_a_state_file(
    runner: CliRunner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "sessions.state.yaml").unlink()
    assert runner.invoke(cli, ["export", "-o", "a.ics"]).exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1400000000")  # a later "now"
    assert runner.invoke(cli, ["export", "-o", "b.ics"]).exit_code == 0
    assert (workdir / "a.ics").read_bytes() == (workdir / "b.ics").read_bytes()


def test_editing_a_room_changes_only_that_event(
    runner: CliRunner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(cli, ["export", "-o", "before.ics"]).exit_code == 0
    sessions = workdir / "sessions.yaml"
    sessions.write_text(
        sessions.read_text(encoding="utf-8").replace("    room: E354a\n", "    room: S100a\n", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1306584000")  # 2011-05-28 12:00 UTC
    assert runner.invoke(cli, ["export", "-o", "after.ics"]).exit_code == 0
    before = PYTHON_PARSERS["icalendar"]((workdir / "before.ics").read_bytes())
    after = PYTHON_PARSERS["icalendar"]((workdir / "after.ics").read_bytes())
    assert [e.uid for e in before] == [e.uid for e in after]
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1
    old, new = changed[0]
    assert old.summary == "SAR3419 poster discussion - Abstract 8017"
    assert (old.sequence, new.sequence) == (0, 1)
    assert new.location is not None
    assert new.location.startswith("S100a, ")
    text_before = (workdir / "before.ics").read_text(encoding="utf-8")
    text_after = (workdir / "after.ics").read_text(encoding="utf-8")
    assert text_after.count("LAST-MODIFIED:20110528T120000Z") == 1
    assert text_before.count("LAST-MODIFIED:20110526T120000Z") == 3
    # The other events' bytes are untouched.
    blocks_before = text_before.split("BEGIN:VEVENT")
    blocks_after = text_after.split("BEGIN:VEVENT")
    assert blocks_before[1] == blocks_after[1]
    assert blocks_before[3] == blocks_after[3]
    # Exporting the edited file again changes nothing more.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1306670400")
    assert runner.invoke(cli, ["export", "-o", "again.ics"]).exit_code == 0
    assert (workdir / "again.ics").read_bytes() == (workdir / "after.ics").read_bytes()


def test_export_to_stdout_with_filter(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["export", "--abstract", "8017", "-o", "-"])
    assert result.exit_code == 0
    events = PYTHON_PARSERS["ical"](result.stdout_bytes)
    assert [e.summary for e in events] == [
        "SAR3419 poster - Abstract 8017",
        "SAR3419 poster discussion - Abstract 8017",
    ]
    assert result.stderr.splitlines()[-1] == "Wrote 2 events to standard output."


def test_filters_combine(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(
        cli, ["export", "--abstract", "8017,8013", "--type", "Poster Discussion", "--type",
              "oral", "--date", "2011-06-05", "-o", "-"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [e.summary for e in PYTHON_PARSERS["ical"](result.stdout_bytes)] == [
        "IMGN901 oral - Abstract 8013"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "postr"], "Error: --type: no session has 'postr' (accepted: oral, poster, "
                              "poster discussion)"),
        (["--date", "June 4"], "Error: --date: not a date: 'June 4' (write it as YYYY-MM-DD, e.g. "
                               "2011-06-04); accepted: 2011-06-04, 2011-06-05"),
        (["--date", "2011-06-07"], "Error: --date: no session on 2011-06-07 (accepted: "
                                   "2011-06-04, 2011-06-05)"),
        (["--abstract", "9999"], "Error: --abstract: no session has '9999' (accepted: 8013, "
                                 "8017, TPS102, TPS116)"),
        (["--compound", ""], "Error: --compound: empty value (accepted: IMGN901, SAR3419, "
                             "trastuzumab emtansine (T-DM1))"),
        (["--reminder", "1h", "--no-reminders"], "Error: --reminder and --no-reminders "
                                                 "contradict each other; use one"),
    ],
)  # fmt: skip
def test_bad_filters_exit_2(
    runner: CliRunner, workdir: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["export", *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (workdir / "immunogen-at-asco-2011.ics").exists()


def test_bad_reminder_option(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["export", "--reminder", "soon"])
    assert result.exit_code == 2
    assert "Invalid value for '--reminder': not a duration: 'soon'" in result.stderr


def test_reminder_options(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["export", "--reminder", "1h", "--reminder", "1d", "-o", "-"])
    alarms = PYTHON_PARSERS["vobject"](result.stdout_bytes)[0].alarms
    assert [a[1] for a in alarms] == [-86400, -3600]
    result = runner.invoke(cli, ["export", "--no-reminders", "-o", "-"])
    assert b"BEGIN:VALARM" not in result.stdout_bytes


def test_split_writes_one_file_per_event(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["export", "--split", "events"])
    assert result.exit_code == 0
    assert sorted(p.name for p in (workdir / "events").iterdir()) == [
        "8013.ics", "8017-1.ics", "8017-2.ics",
    ]  # fmt: skip
    assert result.stderr.splitlines()[-1] == (
        "Wrote 3 files to events/; skipped 2 sessions with no date or time yet (TPS102, TPS116)."
    )
    for path in (workdir / "events").iterdir():
        (event,) = PYTHON_PARSERS["ical"](path.read_bytes())
        assert event.uid


def test_failed_write_leaves_the_old_file(
    runner: CliRunner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = workdir / "out.ics"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = runner.invoke(cli, ["export", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(
        "out.ics: cannot write (No space left on device); nothing was changed"
    )
    assert target.read_bytes() == b"old"
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".")] == []


def test_unwritable_output_folder(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["export", "-o", "no/such/folder/x.ics"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: no/such/folder/x.ics: cannot write (No such file or directory); nothing was changed"
    )


def test_damaged_state_file(runner: CliRunner, workdir: Path) -> None:
    (workdir / "sessions.state.yaml").write_text("events: [oops\n", encoding="utf-8")
    result = runner.invoke(cli, ["export"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        "Error: sessions.state.yaml:2:1: damaged state"
    )
    assert "delete sessions.state.yaml to start again" in result.stderr


def test_list(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["list", "--date", "2011-06-05"])
    assert result.exit_code == 0
    assert result.stdout == (
        "ImmunoGen at ASCO 2011\n"
        "ASCO 2011 Annual Meeting, McCormick Place\n"
        "\n"
        "Sunday, June 5, 2011\n"
        "  11:30 am – 11:45 am CT     8013     oral · E354a\n"
        "                             IMGN901: Phase I study of lorvotuzumab mertansine (LM, IMGN901) in\n"
        "                             combination with lenalidomide (Len) and dexamethasone (Dex) in patients\n"
        "                             with CD56-positive relapsed or relapsed/refractory multiple myeloma\n"
        "                             (MM).\n"
    )  # fmt: skip


def test_list_shows_unscheduled(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0
    assert "\nTime to be announced\n" in result.stdout
    assert "TPS102   poster" in result.stdout
    assert "Saturday, June 4, 2011" in result.stdout


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_help_for_every_command(runner: CliRunner, command: str) -> None:
    """Every command explains itself, with examples that name it and the exit codes."""
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert cli.commands[command].help
    examples = result.stdout.split("Examples:", 1)[1]
    assert f"asco-cal {command}" in examples
    assert "Exit codes:" in result.stdout


def test_export_caps_warnings_by_kind_and_validate_lists_them_all(
    runner: CliRunner, workdir: Path
) -> None:
    lines = ["calendar: {name: Busy}", "conference: {timezone: CT}", "sessions:"]
    for i in range(25):  # 24 overlaps in one room, and 25 unknown keys
        lines.append(f'  - {{abstract: "{i}", title: T, type: oral, date: 2011-06-04, '
                     f"time: 9-10 am, room: R, rooom: x}}")  # fmt: skip
    (workdir / "busy.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    export = runner.invoke(cli, ["export", "busy.yaml", "-o", "busy.ics"])
    assert export.exit_code == 0
    warnings = [line for line in export.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 40
    assert sum("overlaps abstract" in w for w in warnings) == 20
    assert export.stderr.splitlines()[-2] == (
        "busy.yaml: 9 more warnings not shown (4 overlap, 5 unknown-key); "
        "`asco-cal validate busy.yaml` lists them all"
    )
    validate = runner.invoke(cli, ["validate", "busy.yaml"])
    assert sum(": warning: " in line for line in validate.stdout.splitlines()) == 49
    capped = runner.invoke(cli, ["validate", "busy.yaml", "--max-warnings", "1"])
    assert sum(": warning: " in line for line in capped.stdout.splitlines()) == 2
    quiet = runner.invoke(cli, ["export", "busy.yaml", "-o", "busy.ics", "--quiet"])
    assert quiet.stderr == "Wrote 25 events to busy.ics.\n"


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"asco-cal {name}" in readme, name


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("asco-cal, version ")


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    exe = shutil.which("asco-cal") or ""
    cmd = [exe] if exe else [sys.executable, "-m", "asco_cal"]
    bad = tmp_path / "s.yaml"
    bad.write_text("calendar: [\n", encoding="utf-8")
    proc = subprocess.run([*cmd, "validate", str(bad)], capture_output=True, text=True,
                          env={**os.environ}, check=False)  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.startswith(f"{bad}:2:1: YAML syntax: ")


def test_list_of_a_broken_file(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    result = runner.invoke(cli, ["list", "end_before_start.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "end_before_start.yaml:11:10: sessions[0].end: ends before it starts (11:00 < 11:30)",
        "end_before_start.yaml:16:11: sessions[1].time: ends when it starts (13:00)",
        "Error: end_before_start.yaml: 2 errors (run `asco-cal validate end_before_start.yaml`)",
    ]


def test_list_on_a_broken_file_shows_its_warnings_with_the_errors(
    runner: CliRunner, workdir: Path
) -> None:
    (workdir / "bad.yaml").write_text(
        "calendar: {name: X}\nconference: {timezone: CT}\n"
        'sessions:\n  - {abstract: "1", title: T, date: 2011-06-31, time: 9-10 am, rooom: x}\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["list", "bad.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "bad.yaml:4:37: sessions[0].date: no such date: '2011-06-31'",
        "bad.yaml:4:64: warning: sessions[0].rooom: unknown key, ignored (did you mean 'room'?)",
        "Error: bad.yaml: 1 error, 1 warning (run `asco-cal validate bad.yaml`)",
    ]
