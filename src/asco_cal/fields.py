"""What a sessions file may hold: every key, its kind, a description and an example.

The loader takes its known keys from here (anything else is warned about) and
``asco-cal schema`` turns the same table into a JSON Schema, so the editor
help can never drift from what the loader reads.  The CSV importer maps
spreadsheet columns onto :data:`SESSION` and :data:`PART` fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from asco_cal.model import STATUSES

# Kinds (how the loader reads a value):
#   text        one line of text (numbers and words like NO stay as written)
#   long text   text that may span lines
#   url         an http(s) address
#   date        YYYY-MM-DD
#   time        13:00, 1:00 pm, 1 pm, 12:00 noon, noon, midnight
#   time range  "8:00 am - 12:00 noon", "13:00-14:30", "11:30-11:45 am"
#   duration    15m, 1h, 1h30m, 1d or a number of minutes
#   durations   one duration or a list of them ([] for none)
#   zone        an IANA time zone name, or CT, ET, MT, PT
#   texts       one text or a list of them
#   geo         [latitude, longitude]
#   status      one of STATUSES
#   parts       a list of part mappings (PART fields)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: str
    example: object = None
    required: bool = False


TYPES = ("poster", "poster discussion", "oral", "clinical science symposium", "education session")

CALENDAR = (
    Field("name", "text", "The calendar's name, as people see it in their calendar list.",
          "ImmunoGen at ASCO 2011", required=True),
    Field("description", "long text", "What the calendar holds.",
          "ImmunoGen's clinical presentations at ASCO 2011."),
    Field("url", "url", "Where the agenda page and the feed are published.",
          "https://example.org/asco-2011/"),
    Field("refresh", "duration", "How often subscribed apps should check for changes "
          "(at least 15m; default 1h).", "1h"),
)  # fmt: skip

CONFERENCE = (
    Field("name", "text", "The conference's name.", "ASCO 2011 Annual Meeting"),
    Field("id", "text", "A short id that event identities (UIDs) are derived from; never "
          "change it once the calendar is published.", "asco-2011"),
    Field("timezone", "zone", "The time zone the times below are in.", "America/Chicago"),
    Field("venue", "text", "The venue.", "McCormick Place"),
    Field("address", "text", "The venue's street address.",
          "2301 S. Lake Shore Drive, Chicago, IL 60616"),
    Field("geo", "geo", "Latitude and longitude of the venue: lets apps show a map.",
          [41.8514, -87.6169]),
    Field("start", "date", "First day of the conference.", "2011-06-04"),
    Field("end", "date", "Last day of the conference.", "2011-06-08"),
)  # fmt: skip

PART = (
    Field("type", "text", "What kind of session: poster, oral, poster discussion...", "poster"),
    Field("date", "date", "The day (YYYY-MM-DD).", "2011-06-04"),
    Field("start", "time", "Start time (or give `time` as a range).", "8:00 am"),
    Field("end", "time", "End time.", "12:00 noon"),
    Field("time", "time range", "Start and end together, as press releases write them.",
          "8:00 am - 12:00 noon"),
    Field("room", "text", "Room.", "E450b"),
    Field("board", "text", "Poster board.", "Poster 3"),
    Field("presenters", "texts", "Who presents.", ["Jane Doe, MD"]),
    Field("description", "long text", "More text for the event's notes.", None),
    Field("url", "url", "A page about the session.", "https://example.org/abstract/8017"),
    Field("reminders", "durations", "Reminders before the start; replaces the file's "
          "`reminders`; [] for none.", ["15m"]),
    Field("status", "status", "confirmed (default), tentative or cancelled.", "confirmed"),
    Field("timezone", "zone", "This session's time zone, if not the conference's.",
          "America/Chicago"),
)  # fmt: skip

SESSION = (
    Field("abstract", "text", "The abstract number (quote it: \"8017\").", "8017", required=True),
    Field("title", "text", "The abstract's full title.", "Phase I/II study of ...",
          required=True),
    Field("compound", "text", "The compound or product it is about.", "SAR3419"),
    Field("parts", "parts", "For an abstract presented several times (a poster, then its "
          "discussion): one entry per presentation; the fields above are shared.", None),
    *PART,
)  # fmt: skip

TOP = (
    Field("calendar", "mapping", "The calendar as people see it.", None, required=True),
    Field("conference", "mapping", "Where and when the conference is.", None),
    Field("reminders", "durations", "Reminders for every session; [] for none.", ["15m"]),
    Field("sessions", "sessions", "The sessions, one entry per abstract.", None, required=True),
)


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


__all__ = ["CALENDAR", "CONFERENCE", "PART", "SESSION", "STATUSES", "TOP", "TYPES", "Field"]
