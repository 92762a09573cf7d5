"""Real press releases typed into sessions files with their own wording of times
(tests/data/releases, each with its source address): every instant right.

The expected instants come from ``make_expected.py``, which computes them with
``zoneinfo`` from a table typed from the release text, never from the sessions
file; the export is read by every independent parser the project uses.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from asco_cal import ics, state, zones
from asco_cal.loader import load_file
from parsers import PYTHON_PARSERS, icaljs_available, with_icaljs
from support import DATA

RELEASES = DATA / "releases"
FILES = sorted(RELEASES.glob("*.yaml"))
WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _key(event_key: str, part: int | None) -> tuple[str, int]:
    return event_key, part or 0


def _expected(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.with_suffix("").with_suffix(".expected.json")
                                         .read_text(encoding="utf-8"))  # fmt: skip
    return data


def _export(path: Path) -> tuple[bytes, dict[str, tuple[str, int]]]:
    """The file's calendar, and each UID's (key, part) as the expected file names them."""
    program = load_file(path).program
    revisions = state.update(state.EMPTY, program, WHEN)
    data = ics.export(program, program.events, revisions)
    names = {e.uid(): _key(e.id or e.abstract, e.part) for e in program.events}
    return data, names


def test_the_corpus_is_large_and_sourced() -> None:
    assert len(FILES) >= 20
    for path in FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# source: http"), path.name
        assert path.with_suffix(".txt").exists(), path.name


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_instant_is_right_in_the_python_parsers(path: Path) -> None:
    expected = _expected(path)
    data, names = _export(path)
    program = load_file(path).program
    # The file may name the zone by its abbreviation (CET): the same clock is enough.
    conf = program.conference
    assert conf.start is not None and conf.end is not None
    assert zones.same_clock(conf.timezone, str(expected["zone"]), (conf.start, conf.end))
    want = {
        _key(e["key"], e["part"]): (e["start"], e["end"])
        for e in expected["events"]  # type: ignore[attr-defined]
    }
    for parser, parse in PYTHON_PARSERS.items():
        got = {}
        for event in parse(data):
            if event.all_day:  # checked below
                continue
            got[names[event.uid]] = (
                f"{event.start:%Y-%m-%dT%H:%M:%SZ}",
                f"{event.end:%Y-%m-%dT%H:%M:%SZ}",
            )
        assert got == want, f"{path.name}: {parser}"
    unscheduled = sorted(e.id or e.abstract for e in program.events if not e.scheduled)
    assert unscheduled == sorted(expected["unscheduled"])  # type: ignore[call-overload]
    all_day = sorted((e.id or e.abstract, str(e.date)) for e in program.events if e.all_day)
    assert all_day == sorted(
        (d["key"], d["date"])
        for d in expected["all_day"]  # type: ignore[attr-defined]
    )


@pytest.mark.skipif(icaljs_available() is not None, reason=str(icaljs_available()))
def test_every_instant_is_right_in_icaljs() -> None:
    exports = {path.name: _export(path) for path in FILES}
    parsed = with_icaljs(*(data for data, _ in exports.values()))
    names = {uid: (file, *name) for file, (_, n) in exports.items() for uid, name in n.items()}
    got = {names[e.uid]: (f"{e.start:%Y-%m-%dT%H:%M:%SZ}", f"{e.end:%Y-%m-%dT%H:%M:%SZ}")
           for e in parsed if e.uid in names and not e.all_day}  # fmt: skip
    for path in FILES:
        for e in _expected(path)["events"]:  # type: ignore[attr-defined]
            key = (path.name, *_key(e["key"], e["part"]))
            assert got[key] == (e["start"], e["end"]), key
