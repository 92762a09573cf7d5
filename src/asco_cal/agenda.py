"""``agenda.json``: the agenda as data for a website, and its JSON Schema.

Every session, in calendar order, with its local and UTC times, room, status and
every link (its add page, the Google, Outlook.com and Microsoft 365 "add"
addresses, its ``.ics``), and every feed with its subscribe addresses.  Without
the public address, the site's own addresses are relative to ``agenda.json``.
The schema (:func:`schema`) is generated here and committed as
``agenda.schema.json``; ``build`` publishes both, ``serve`` answers
``/agenda.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from asco_cal import __version__, pages, wording
from asco_cal import links as services
from asco_cal.filters import TOPICS
from asco_cal.model import Conference, Event, Program
from asco_cal.urls import AGENDA_SCHEMA, Urls, download_name

SCHEMA_ID = "https://asco-cal.invalid/agenda.schema.json"
VERSION = 1  # of the data's shape: raised when a field changes meaning or goes


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _address(urls: Urls, relative: str) -> str:
    return urls.absolute(relative) or relative


def _feed(feed: pages.Feed, urls: Urls, relative: str) -> dict[str, Any]:
    return {
        "label": feed.label,
        "name": feed.name,
        "ics": _address(urls, relative),
        "bytes": feed.size,
        "subscribe": {
            "webcal": feed.webcal,
            "google": feed.google if feed.fits else None,
            "outlook": feed.outlook,
            "office": feed.office,
        }
        if feed.https
        else None,
    }


def _session(program: Program, event: Event, urls: Urls) -> dict[str, Any]:
    words = wording.words(program)
    times = wording.local(program, event)
    start = end = None
    if times is not None:
        start, end = times
    links: dict[str, Any] = {}
    if event.scheduled:  # (a session without a time has no page or file yet)
        links["page"] = _address(urls, urls.add(event))
        links["ics"] = _address(urls, urls.session(event))
        links["download"] = download_name(program, event)
        if event.status != "cancelled":
            links.update(services.add_links(program, event, urls.absolute("")))
    return {
        "key": event.key,
        "meeting": event.meeting.slug or None,
        "abstract": event.abstract or None,
        "id": event.id,
        "part": event.part,
        "reference": words.reference(event) or None,
        "title": event.title,
        "type": event.type,
        "compound": event.compound,
        "status": event.status,
        "day": event.day.isoformat() if event.day else None,
        "all_day": event.all_day,
        "when": words.when(program, event),
        "timezone": event.timezone or None,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "start_utc": _utc(start) if start else None,
        "end_utc": _utc(end) if end else None,
        "room": event.room,
        "place": words.place(event) or None,
        "location": words.location(program, event) or None,
        "session": event.session,
        "presenters": list(event.presenters),
        "description": event.description,
        "url": event.url,
        "links": links,
    }


def agenda(program: Program, urls: Urls, sizes: pages.Sizes | None = None) -> dict[str, Any]:
    """The agenda as a JSON-ready mapping (see :func:`schema`)."""
    conf = program.meetings[0]  # a folder's: its first meeting (all of them: "meetings")
    main = pages.make_feed(program, urls, wording.words(program)._("All sessions"), {}, sizes=sizes)
    topic = [
        {"group": anchor.removeprefix("by-"), **_feed(feed, urls, _relative(feed, urls))}
        for anchor, _, group in pages.topic_feeds(program, urls, sizes)
        for feed in group
    ]
    return {
        "$schema": _address(urls, AGENDA_SCHEMA),
        "version": VERSION,
        "generator": f"asco-cal {__version__}",
        "calendar": {
            "name": program.calendar.name,
            "description": program.calendar.description,
            "page": urls.absolute("") or "./",
            "locale": program.calendar.locale,
        },
        "conference": _meeting(conf),
        "meetings": [_meeting(m) for m in program.meetings],
        "feeds": {"all": _feed(main, urls, urls.feed()), "topics": topic},
        "sessions": [_session(program, e, urls) for e in wording.in_order(program.events)],
    }


def _meeting(conf: Conference) -> dict[str, Any]:
    return {
        "id": conf.slug or None,
        "name": conf.name,
        "city": conf.city,
        "venue": conf.venue,
        "address": conf.address,
        "timezone": conf.timezone or None,
        "start": conf.start.isoformat() if conf.start else None,
        "end": conf.end.isoformat() if conf.end else None,
    }


def _relative(feed: pages.Feed, urls: Urls) -> str:
    return feed.url.removeprefix(urls.root)


def dumps(program: Program, urls: Urls, sizes: pages.Sizes | None = None) -> bytes:
    return (json.dumps(agenda(program, urls, sizes), indent=1, ensure_ascii=False) + "\n").encode()


# -- the schema -------------------------------------------------------------------

_TEXT = {"type": "string"}
_MAYBE = {"type": ["string", "null"]}
_ADDRESS = {"type": "string", "description": "An https address, or one relative to agenda.json."}


def _obj(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def schema() -> dict[str, Any]:
    """The JSON Schema of ``agenda.json`` (draft 2020-12)."""
    moment = {"type": ["string", "null"], "format": "date-time"}
    subscribe = _obj(
        {
            "webcal": {**_MAYBE, "description": "Apple Calendar / iPhone."},
            "google": {**_MAYBE, "description": "Google Calendar (null: over its 1 MB)."},
            "outlook": {**_MAYBE, "description": "Outlook.com."},
            "office": {**_MAYBE, "description": "Microsoft 365 (work or school)."},
        },
        "Subscribe addresses (only when the public address is known).",
    )
    feed = _obj(
        {
            "label": _TEXT,
            "name": {**_TEXT, "description": "The calendar's name in people's apps."},
            "ics": _ADDRESS,
            "bytes": {"type": ["integer", "null"]},
            "subscribe": {"anyOf": [subscribe, {"type": "null"}]},
        },
        "A feed: subscribing gets every later change.",
    )
    topic = {
        **feed,
        "properties": {
            "group": {"enum": [pages.group_name(t) for t in TOPICS]},
            **feed["properties"],
        },
        "required": ["group", *feed["required"]],
    }
    link = {"type": "string"}
    links = {
        "type": "object",
        "description": "For a session with a time: its add page, its .ics (with the name "
        "it is saved under) and the services' add addresses (not for a cancelled session).",
        "properties": {
            "page": _ADDRESS,
            "ics": _ADDRESS,
            "download": link,
            "google": link,
            "outlook": link,
            "office": link,
        },
        "additionalProperties": False,
    }
    meeting = _obj(
        {
            "id": {**_MAYBE, "description": "asco-2011: as the meeting= filter writes it."},
            "name": _MAYBE,
            "city": _MAYBE,
            "venue": _MAYBE,
            "address": _MAYBE,
            "timezone": _MAYBE,
            "start": {"type": ["string", "null"], "format": "date"},
            "end": {"type": ["string", "null"], "format": "date"},
        },
        "A meeting: where and when.",
    )
    session = _obj(
        {
            "key": {**_TEXT, "description": "8017-1: the part's id in addresses."},
            "meeting": {**_MAYBE, "description": "The id of its meeting (in meetings)."},
            "abstract": _MAYBE,
            "id": _MAYBE,
            "part": {"type": ["integer", "null"], "minimum": 1},
            "reference": _MAYBE,
            "title": _TEXT,
            "type": _TEXT,
            "compound": _MAYBE,
            "status": {"enum": ["confirmed", "tentative", "cancelled"]},
            "day": {"type": ["string", "null"], "format": "date"},
            "all_day": {"type": "boolean"},
            "when": {**_TEXT, "description": "The day and time as the page writes them."},
            "timezone": _MAYBE,
            "start": {**moment, "description": "Local start, with its UTC offset."},
            "end": {**moment, "description": "Local end, with its UTC offset."},
            "start_utc": {**moment, "pattern": "Z$"},
            "end_utc": {**moment, "pattern": "Z$"},
            "room": _MAYBE,
            "place": _MAYBE,
            "location": _MAYBE,
            "session": _MAYBE,
            "presenters": {"type": "array", "items": _TEXT},
            "description": _MAYBE,
            "url": _MAYBE,
            "links": links,
        },
        "One session (one part of an abstract shown several times).",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "asco-cal agenda.json",
        **_obj(
            {
                "$schema": _TEXT,
                "version": {"const": VERSION},
                "generator": _TEXT,
                "calendar": _obj(
                    {
                        "name": _TEXT,
                        "description": _MAYBE,
                        "page": _ADDRESS,
                        "locale": {
                            "type": "string",
                            "description": "The BCP 47 tag its words (when, reference, place) "
                            "are written in.",
                        },
                    },
                    "The calendar.",
                ),
                "conference": {
                    **meeting,
                    "description": "The meeting (a calendar of "
                    "meetings: its first; all of them are in meetings).",
                },
                "meetings": {"type": "array", "items": meeting, "minItems": 1},
                "feeds": _obj(
                    {"all": feed, "topics": {"type": "array", "items": topic}},
                    "The full feed, and one per day, type, compound and meeting.",
                ),
                "sessions": {"type": "array", "items": session},
            },
            "The agenda of a meeting as published by asco-cal, in calendar order.",
        ),
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
