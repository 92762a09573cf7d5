"""asco-cal: conference sessions (sessions.yaml) to calendar files, feeds and an agenda page."""

from typing import TYPE_CHECKING

from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.loader import Loaded, load_file, load_text
from asco_cal.model import CalendarMeta, Conference, Event, Program

__version__ = "0.1.0"

if TYPE_CHECKING:
    from asco_cal.api import build_calendar, load, to_ics

_API = ("build_calendar", "load", "to_ics")


def __getattr__(name: str) -> object:
    """``load``, ``build_calendar`` and ``to_ics`` (see :mod:`asco_cal.api`), imported
    on first use so that ``import asco_cal`` stays light."""
    if name in _API:
        from asco_cal import api

        return getattr(api, name)
    raise AttributeError(f"module 'asco_cal' has no attribute {name!r}")


__all__ = [
    "AscoCalError",
    "CalendarMeta",
    "Conference",
    "Event",
    "InvalidInput",
    "Loaded",
    "Location",
    "Program",
    "__version__",
    "build_calendar",
    "load",
    "load_file",
    "load_text",
    "to_ics",
]
