"""Coverage-guided fuzzing of the loader and the exporter with atheris (libFuzzer).

Any bytes go in.  The loader must answer with a valid program or the project's
own error (AscoCalError / InvalidInput), never another exception; a valid
program must export to a calendar that icalendar reads back with every event.

Short run (what CI does through tests/test_fuzz_atheris.py):
    python fuzz/fuzz_sessions.py -runs=3000 -max_len=4096 /tmp/corpus tests/data/hostile
Long run (hours; new interesting inputs are kept in fuzz/corpus/, git-ignored):
    mkdir -p fuzz/corpus && python fuzz/fuzz_sessions.py -max_len=8192 -timeout=10 \\
        -rss_limit_mb=1024 fuzz/corpus tests/data/hostile tests/data/valid tests/data/invalid
A crash is written to crash-<sha1>; reproduce it with
    python fuzz/fuzz_sessions.py crash-<sha1>
then copy it to tests/data/hostile/NAME.yaml with the expected NAME.out, so it
stays fixed (see tests/test_hostile.py).
"""

from __future__ import annotations

import datetime as dt
import sys

import atheris

with atheris.instrument_imports(include=["asco_cal"]):
    from asco_cal import ics, state
    from asco_cal.errors import AscoCalError
    from asco_cal.loader import load_bytes

import icalendar

EPOCH = dt.datetime(2011, 5, 26, 12, tzinfo=dt.UTC)


def test_one_input(data: bytes) -> None:
    try:
        loaded = load_bytes(data, "fuzz.yaml")
    except AscoCalError as exc:  # InvalidInput is one too
        if not str(exc).startswith("fuzz.yaml"):
            raise AssertionError(f"a message without its file: {exc}") from None
        return
    program = loaded.program
    revisions = state.update(state.EMPTY, program, EPOCH)
    out = ics.export(program, program.events, revisions)
    events = icalendar.Calendar.from_ical(out).walk("VEVENT")
    assert len(events) == len(program.scheduled), (len(events), len(program.scheduled))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
