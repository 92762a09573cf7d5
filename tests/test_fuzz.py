"""Whatever the file holds, the loader answers with problems, never a crash."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from asco_cal import ics, state
from asco_cal.errors import AscoCalError
from asco_cal.loader import Loaded, load_text
from strategies import TIMED, VALUES, document


def _load(text: str) -> tuple[Loaded | None, list[str]]:
    """The loaded program, or the lines of the one-line problems it reports."""
    try:
        return load_text(text, "fuzz.yaml"), []
    except AscoCalError as exc:
        return None, str(exc).splitlines()


def _check(doc: dict[str, Any]) -> None:
    """Loads and exports one event per scheduled session, or reports located problems."""
    loaded, problems = _load(yaml.safe_dump(doc, allow_unicode=True))
    if loaded is None:
        assert problems
        assert all(line.startswith("fuzz.yaml") for line in problems), problems
        event("rejected")
        return
    program = loaded.program
    event(f"accepted, {'some' if program.scheduled else 'no'} scheduled events")
    revisions = state.update(state.EMPTY, program, state.now())
    data = ics.export(program, program.events, revisions)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.count(b"BEGIN:VEVENT") == len(program.scheduled)


@settings(max_examples=400, deadline=None)
@given(document)
def test_any_structure_loads_or_reports(doc: dict[str, Any]) -> None:
    _check(doc)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_loads_or_reports(text: str) -> None:
    _, problems = _load(text)
    for line in problems:
        assert line.startswith("fuzz.yaml"), line


nearly_valid = st.fixed_dictionaries({
    "calendar": st.fixed_dictionaries({"name": st.text(min_size=1, max_size=30)}),
    "conference": st.fixed_dictionaries({
        "timezone": st.sampled_from(["CT", "Europe/Berlin", "Australia/Sydney", "UTC", "Asia/Kolkata"]),
    }, optional={"geo": st.lists(VALUES, max_size=3), "venue": VALUES}),
    "sessions": st.lists(st.fixed_dictionaries(
        {"abstract": TIMED["abstract"], "title": TIMED["title"], "type": st.text(max_size=10),
         "date": TIMED["date"], "time": TIMED["time"]},
        optional=dict.fromkeys(("room", "board", "compound", "status", "reminders", "url"), VALUES),
    ), max_size=4),
})  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(nearly_valid)
def test_nearly_valid_documents_export_or_report(doc: dict[str, Any]) -> None:
    _check(doc)
