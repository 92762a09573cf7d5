"""A JSON Schema for sessions.yaml, built from :mod:`asco_cal.fields` (what the loader reads).

Editors that speak the yaml-language-server protocol (VS Code's YAML extension,
Neovim, Helix, JetBrains) use it for completion, hover help and checking, from
the modeline at the top of the sample file::

    # yaml-language-server: $schema=https://.../sessions.schema.json

The schema accepts everything the loader accepts (numbers where text belongs
are fine: asco-cal reads every value as written); what it rejects the loader
rejects too, except unknown keys, which the loader ignores with a warning.
Finer checks (real dates, end after start, daylight-saving gaps) stay with
``asco-cal validate``.
"""

from __future__ import annotations

import json
from typing import Any

from asco_cal import __version__
from asco_cal.fields import KINDS, TOP, Field
from asco_cal.model import CALENDAR, CONFERENCE, PART, SESSION, SITE

SCHEMA_ID = "https://asco-cal.invalid/sessions.schema.json"


def _kind(field: Field) -> dict[str, Any]:
    return dict(KINDS[field.kind])


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """An empty value (``room:``) means "not given", as in the loader."""
    return {"anyOf": [schema, {"type": "null"}]}


def _describe(field: Field, schema: dict[str, Any]) -> dict[str, Any]:
    out = {"description": field.description, **schema}
    if field.example is not None:
        out.setdefault("examples", [field.example])
    return out


def _object(
    fields: tuple[Field, ...], extra: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    properties = {
        f.name: _describe(f, _kind(f) if f.required else _nullable(_kind(f)))
        for f in fields
        if f.kind != "parts"
    }
    properties.update(extra or {})
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required and not f.unless]
    if required:
        out["required"] = required
    either = [{"required": [f.name]} for f in fields if f.required and f.unless]
    either += [{"required": [f.unless]} for f in fields if f.required and f.unless]
    if either:
        out["anyOf"] = either  # abstract, or id instead
    return out


def schema() -> dict[str, Any]:
    part = _object(PART)
    session_fields = tuple(f for f in SESSION if f.name != "parts")
    parts = next(f for f in SESSION if f.name == "parts")
    session = _object(session_fields, {"parts": _describe(parts, _kind(parts))})
    top = {f.name: f for f in TOP}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "asco-cal sessions file",
        "description": f"Conference sessions for asco-cal {__version__}: "
        "`asco-cal validate` checks the rest.",
        "type": "object",
        "properties": {
            "calendar": _describe(top["calendar"], _object(CALENDAR)),
            "conference": _describe(top["conference"], _object(CONFERENCE)),
            "site": _describe(top["site"], _object(SITE)),
            "reminders": _describe(top["reminders"], _kind(top["reminders"])),
            "defaults": _describe(top["defaults"], _nullable(_kind(top["defaults"]))),
            "all_day_when_no_time": _describe(
                top["all_day_when_no_time"], _nullable(_kind(top["all_day_when_no_time"]))
            ),
            "sessions": _describe(
                top["sessions"], {"type": ["array", "null"], "items": {"$ref": "#/$defs/session"}}
            ),
        },
        "required": [f.name for f in TOP if f.required],
        "additionalProperties": False,
        "$defs": {"session": session, "part": part},
    }


def dumps() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
