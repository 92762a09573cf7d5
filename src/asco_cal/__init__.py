"""asco-cal: conference sessions (sessions.yaml) to calendar files, feeds and an agenda page."""

from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.loader import Loaded, load_file, load_text
from asco_cal.model import CalendarMeta, Conference, Event, Program

__version__ = "0.1.0"

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
    "load_file",
    "load_text",
]
