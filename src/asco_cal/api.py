"""The Python API, for people who script asco-cal::

    import asco_cal

    program = asco_cal.load("sessions.yaml")          # raises asco_cal.InvalidInput
    data = asco_cal.to_ics(program)                    # bytes, as `asco-cal export` writes
    cal = asco_cal.build_calendar(program)             # an icalendar.Calendar to adjust
    posters = [e for e in program.events if e.type == "poster"]
    asco_cal.to_ics(program, posters, reminders=[60])  # a subset, one 1-hour reminder

``revisions`` (SEQUENCE and LAST-MODIFIED) default to a fresh start at "now"
(``SOURCE_DATE_EPOCH`` if set); pass :func:`asco_cal.state.read` of a state
file to continue its history, as the CLI does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from asco_cal import ics, state
from asco_cal.loader import Inputs, load_bytes, load_inputs
from asco_cal.model import Event, Program

if TYPE_CHECKING:
    import icalendar


def load(source: str | os.PathLike[str] | bytes) -> Program:
    """A validated program from a file path, a folder of meetings (or the file's bytes);
    raises ``InvalidInput``."""
    if isinstance(source, bytes):
        return load_bytes(source).program
    return load_inputs(Inputs((os.fspath(source),))).program


def _revisions(program: Program, revisions: state.State | None) -> state.State:
    return revisions or state.update(state.EMPTY, program, state.now())


def build_calendar(
    program: Program,
    events: Iterable[Event] | None = None,
    *,
    revisions: state.State | None = None,
    reminders: Sequence[int] | None = None,
) -> icalendar.Calendar:
    """The icalendar ``Calendar`` for ``events`` (default: all; unscheduled ones are left out)."""
    return ics.build_calendar(
        program,
        program.events if events is None else events,
        _revisions(program, revisions),
        reminders=reminders,
    )


def to_ics(
    program: Program,
    events: Iterable[Event] | None = None,
    *,
    revisions: state.State | None = None,
    reminders: Sequence[int] | None = None,
) -> bytes:
    """The .ics bytes, exactly as ``asco-cal export`` writes them."""
    chosen = program.events if events is None else events
    return ics.export(program, chosen, _revisions(program, revisions), reminders=reminders)
