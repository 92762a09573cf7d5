"""The hostile corpus: broken, malicious and strange sessions files (tests/data/hostile).

Each NAME.yaml has NAME.out: ``# exit N`` and then the exact output of
``asco-cal validate NAME.yaml``.  Files that validate must export to a calendar
that every independent parser reads back with the same text, with no injected
property or component; files that do not must leave an existing export alone.
Every file is also run in its own process (its time and memory: ``benchmarks/hostile.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from asco_cal import ics, site, state, wording
from asco_cal.cli import cli
from asco_cal.loader import load_file
from asco_cal.model import Event, Program
from limits import generated, run_each
from parsers import PYTHON_PARSERS, icaljs_available, with_icaljs
from support import DATA

HOSTILE = DATA / "hostile"
FILES = sorted(p.stem for p in HOSTILE.glob("*.yaml"))


def expected(name: str) -> tuple[int, str]:
    head, _, output = (HOSTILE / f"{name}.out").read_text(encoding="utf-8").partition("\n")
    match = re.fullmatch(r"# exit (\d)", head)
    assert match, f"{name}.out must start with '# exit N'"
    return int(match.group(1)), output


VALID = [n for n in FILES if expected(n)[0] == 0]
INVALID = [n for n in FILES if expected(n)[0] != 0]

# Every property name an export may contain: anything else was injected.
PROPERTIES = {
    "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME",
    "DESCRIPTION", "X-WR-CALDESC", "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL",
    "URL", "TZID", "TZNAME", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "UID",
    "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "DTEND", "SUMMARY", "LOCATION", "GEO",
    "X-APPLE-STRUCTURED-LOCATION", "CATEGORIES", "STATUS", "TRANSP", "ACTION", "TRIGGER",
}  # fmt: skip


def test_corpus_is_complete() -> None:
    assert len(FILES) >= 40
    assert sorted(p.stem for p in HOSTILE.glob("*.out")) == FILES
    assert len(VALID) >= 12 and len(INVALID) >= 30


@pytest.mark.parametrize("name", FILES)
def test_validate_output_is_exact(
    name: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(HOSTILE)
    code, output = expected(name)
    result = runner.invoke(cli, ["validate", f"{name}.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output == output
    assert result.exit_code == code
    if code:  # every error names the file, and a line and column where one exists
        for line in result.output.splitlines()[:-1] or result.output.splitlines():
            assert re.match(rf"(Error: )?{re.escape(name)}\.yaml(:\d+:\d+)?: ", line), line


@pytest.mark.parametrize("name", INVALID)
def test_invalid_files_leave_the_previous_export_alone(
    name: str, runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "out.ics"
    target.write_bytes(b"previous")
    result = runner.invoke(cli, ["export", str(HOSTILE / f"{name}.yaml"), "-o", str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ics"]


def _export(name: str, tmp_path: Path) -> tuple[bytes, list[Event], Program]:
    loaded = load_file(HOSTILE / f"{name}.yaml")
    program = loaded.program
    revisions = state.update(state.EMPTY, program, state.now())
    data = ics.export(program, program.events, revisions)
    return data, [e for e in program.events if e.scheduled], program


def _unfolded(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", line), repr(line)
    return text.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.parametrize("name", VALID)
def test_valid_files_export_a_clean_calendar(name: str, tmp_path: Path) -> None:
    data, timed, program = _export(name, tmp_path)
    lines = _unfolded(data)
    names = {re.split(r"[;:]", line, maxsplit=1)[0] for line in lines}
    assert names <= PROPERTIES, names - PROPERTIES
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(timed)
    assert lines.count("BEGIN:VCALENDAR") == lines.count("END:VCALENDAR") == 1
    want = {
        e.uid(): (
            wording.words(program).summary(e),
            wording.words(program).description(program, e),
            wording.words(program).location(program, e) or None,
        )
        for e in timed
    }
    for parser_name, parse in PYTHON_PARSERS.items():
        got = {p.uid: (p.summary, p.description, p.location) for p in parse(data)}
        assert got == want, parser_name


def test_valid_files_read_the_same_in_icaljs(tmp_path: Path) -> None:
    if reason := icaljs_available():
        pytest.skip(reason)
    exports = [_export(name, tmp_path) for name in VALID]
    parsed = with_icaljs(*(data for data, _, _ in exports))
    want = {
        e.uid(): (
            wording.words(program).summary(e),
            wording.words(program).description(program, e),
        )
        for _, timed, program in exports
        for e in timed
    }
    assert {p.uid: (p.summary, p.description) for p in parsed} == want


@pytest.mark.parametrize("name", VALID)
def test_valid_files_give_a_page_without_markup_from_the_data(name: str, tmp_path: Path) -> None:
    program = load_file(HOSTILE / f"{name}.yaml").program
    revisions = state.update(state.EMPTY, program, state.now())
    site.build(program, revisions, tmp_path / "site", "https://example.org/asco/")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # The page has no script of its own, so any tag here came from the data.
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert not re.search(r"""(href|src)=["']?\s*(javascript|data):""", html, re.IGNORECASE)


def test_what_lookalike_values_mean() -> None:
    """Values YAML 1.1 would turn into numbers, booleans or sexagesimals stay as written."""
    program = load_file(HOSTILE / "yaml11_lookalikes.yaml").program
    first, second = program.events
    assert (first.abstract, first.title, first.type, first.room, first.board, first.compound) == (
        "0123", "NO", "yes", "0x1F", "off", "1e3",
    )  # fmt: skip
    assert (second.abstract, second.title, second.room, second.board) == (
        "0o17", "~t", ".inf", "-.NaN",
    )  # fmt: skip
    times = load_file(HOSTILE / "unquoted_times.yaml").program.events
    assert [(str(e.start), str(e.end)) for e in times] == [
        ("08:00:00", "09:30:00"), ("13:00:00", "14:30:00"), ("09:05:00", "09:50:00"),
    ]  # fmt: skip


def test_every_file_fails_or_succeeds_cleanly_in_its_own_process(tmp_path: Path) -> None:
    """Each file, in its own process: exit 0 or 1, never a crash; the big ones fail.  (Their
    time and memory are a benchmark's: ``benchmarks/hostile.py``.)"""
    paths = [HOSTILE / f"{n}.yaml" for n in FILES] + generated(HOSTILE / "make_big.py", tmp_path)
    export = ["export", "-o", str(tmp_path / "out.ics"), "--state", str(tmp_path / "s.yaml")]
    rows = [row for command in (["validate"], export) for row in run_each(command, paths)]
    assert len(rows) == 2 * len(paths)
    crashed = [r for r in rows if r["exit"] not in (0, 1)]
    assert not crashed, crashed
    big = [r for r in rows if str(tmp_path) in str(r["file"])]
    assert len(big) == 8 and all(r["exit"] == 1 for r in big), big
