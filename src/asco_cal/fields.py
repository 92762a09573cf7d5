"""The field machinery: what a field of a sessions file is, and the kinds of value.

The fields themselves are declared once, on the model's dataclasses
(:mod:`asco_cal.model`): each attribute carries a :class:`Field` in its
metadata, so one table says what a key is called, what kind of value it holds,
how it is documented and named in messages, and which attribute it fills.
The reader (:mod:`asco_cal.reader`) is one loop over that table, the JSON
Schema (:mod:`asco_cal.schema`) is generated from it, and the CSV importer
finds its column names in it.  Like icalendar's ``prop/factory.py``: one table
from name to type, used for reading and for writing.

A kind (:data:`KINDS`) says how a value is written: the reader has one method
per kind, the schema one fragment per kind.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from asco_cal.values import DATE_PATTERN, NOT_ANNOUNCED_PATTERN

Status = Literal["confirmed", "tentative", "cancelled"]
STATUSES: tuple[Status, ...] = ("confirmed", "tentative", "cancelled")
TYPES = ("poster", "poster discussion", "oral", "clinical science symposium", "education session")


@dataclass(frozen=True)
class Field:
    """One key of a sessions file."""

    name: str  # the key as written in YAML
    kind: str  # one of KINDS
    description: str  # for the schema and editors' hover help
    example: object = None
    missing: str | None = None  # required: what to say when it is missing
    unless: str | None = None  # not required when this other key is given
    attr: str | None = None  # the model attribute it fills, if not ``name``
    shared: bool = False  # a session's, shared by its parts (abstract, title, compound)
    synonyms: tuple[str, ...] = ()  # spreadsheet column names that mean this field
    then: Field | None = None  # an input-only key listed right after this one (``time``)

    @property
    def required(self) -> bool:
        return self.missing is not None

    @property
    def target(self) -> str:
        return self.attr or self.name


def spec(kind: str, description: str, example: object = None, **options: Any) -> dict[str, Any]:
    """Dataclass field metadata declaring an input field (the name is the attribute's)."""
    return {"spec": (kind, description, example, options)}


def table(cls: type, *, shared: bool | None = None) -> tuple[Field, ...]:
    """The input fields declared on dataclass ``cls``, in declaration order.

    ``shared`` keeps only the session-level fields (True) or only the part-level
    ones (False); input-only keys declared with ``then=`` follow their field.
    """
    out: list[Field] = []
    for f in dataclasses.fields(cls):
        declared = f.metadata.get("spec")
        if declared is None:
            continue
        kind, description, example, options = declared
        options = dict(options)
        key = options.pop("key", f.name)
        attr = f.name if key != f.name else None
        field = Field(key, kind, description, example, attr=attr, **options)
        if shared is not None and field.shared != shared:
            continue
        out.append(field)
        then = field.then
        while then is not None:
            out.append(then)
            then = then.then
    return tuple(out)


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


SCALAR = ["string", "number", "integer", "boolean"]  # read as written, whatever YAML types it
_DURATION = {"type": ["string", "integer"], "examples": ["15m", "1h", "1h30m", "1d", 30]}

# kind -> its JSON Schema fragment (the reader has a method of the same name).
KINDS: dict[str, dict[str, Any]] = {
    # one line of text (numbers and words like NO stay as written)
    "text": {"type": SCALAR},
    # text that may span lines
    "long text": {"type": SCALAR},
    # an http(s) address
    "url": {"type": "string", "pattern": "^\\s*[hH][tT][tT][pP][sS]?://"},
    # YYYY-MM-DD
    "date": {
        "anyOf": [
            {"type": "string", "pattern": DATE_PATTERN, "format": "date"},
            {"type": "string", "pattern": NOT_ANNOUNCED_PATTERN},
        ]
    },
    # 13:00, 1:00 pm, 1 pm, 12:00 noon, noon, midnight; a zone may follow (4:45 pm ET);
    # TBD or TBA when not announced
    "time": {
        "type": ["string", "integer"],
        "examples": ["13:00", "1:00 pm", "12:00 noon", "4:45 pm ET", "TBD"],
    },
    # "8:00 am - 12:00 noon", "13:00-14:30", "11:30-11:45 am", "1:00-5:00pm PT",
    # "12-2:20 pm CET/6:00-8:20 am ET" (two listings of one slot), or one time
    "time range": {
        "type": "string",
        "examples": ["8:00 am - 12:00 noon", "13:00-14:30", "1:00-5:00pm PT", "TBD"],
    },
    # 15m, 1h, 1h30m, 1d or a number of minutes (at least 15m: subscribers' refresh)
    "refresh": _DURATION,
    # one duration or a list of them ([] for none)
    "durations": {"anyOf": [_DURATION, {"type": "array", "items": _DURATION, "maxItems": 5}]},
    # an IANA time zone name, a city, or an abbreviation such as CT or CET
    "zone": {
        "type": "string",
        "examples": ["America/Chicago", "CT", "Europe/Berlin", "San Antonio", "Singapore"],
    },
    # a BCP 47 locale whose language has words (asco_cal.lang): en-US, de-DE, ja-JP
    "locale": {"type": "string", "examples": ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP"]},
    # one text or a list of them
    "texts": {"anyOf": [{"type": SCALAR}, {"type": "array", "items": {"type": SCALAR}}]},
    # [latitude, longitude]
    "geo": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    # how long: 15m, 1h, 1h30m, or a number of minutes
    "duration": _DURATION,
    # per session type, how long one lasts when only its start is given
    "type durations": {
        "type": "object",
        "additionalProperties": _DURATION,
        "examples": [{"oral": "15m", "poster": "1h"}],
    },
    # true or false
    "bool": {"type": "boolean"},
    # one of STATUSES
    "status": {"enum": list(STATUSES)},
    # the session type: any text, the usual ones offered for completion
    "type": {"anyOf": [{"enum": list(TYPES)}, {"type": SCALAR}]},
    # an image file beside sessions.yaml, or an https address
    "logo": {"type": "string", "examples": ["logo.svg", "https://example.org/logo.png"]},
    # #rrggbb (or #rgb)
    "colour": {"type": "string", "pattern": "^\\s*#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\\s*$"},
    # paragraphs, [links](https://...) and *emphasis* (asco_cal.markup)
    "markdown": {"type": SCALAR},
    # https origins (scheme, host and port, no path)
    "origins": {
        "anyOf": [
            {"type": "string", "pattern": "^\\s*https://[^/\\s]+/?\\s*$"},
            {
                "type": "array",
                "items": {"type": "string", "pattern": "^\\s*https://[^/\\s]+/?\\s*$"},
            },
        ]
    },
    # a list of part mappings (the part-level fields)
    "parts": {"type": "array", "items": {"$ref": "#/$defs/part"}, "minItems": 1},
}

TOP = (
    Field("calendar", "mapping", "The calendar as people see it.", None,
          missing="it needs at least a name"),
    Field("conference", "mapping", "Where and when the conference is.", None),
    Field("site", "mapping", "How the published page looks and who may embed it.", None),
    Field("reminders", "durations", "Reminders for every session; [] for none.", ["15m"]),
    Field("sessions", "sessions", "The sessions, one entry per abstract.", None,
          missing="list the sessions to put in the calendar"),
    Field("defaults", "type durations",
          "How long a session of each type lasts when only its start is given.",
          {"oral": "15m", "poster": "1h"}),
    Field("all_day_when_no_time", "bool",
          "Export a session with a date but no time as an all-day event (default: list it "
          "as to be announced).", False),
)  # fmt: skip

__all__ = ["KINDS", "STATUSES", "TOP", "TYPES", "Field", "Status", "names", "spec", "table"]
