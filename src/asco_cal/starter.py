"""The commented starter file `asco-cal init` writes."""

from __future__ import annotations

import datetime as dt
import json

from asco_cal.values import slug

TEMPLATE = """\
# yaml-language-server: $schema=sessions.schema.json
# sessions.yaml: the sessions asco-cal turns into calendar events.
# Fill it in, then run `asco-cal validate` to check it line by line.
# Text after a # is a comment.  Quote values that start with a digit: "8017".

calendar:
  name: {calendar}                 # what people see in their calendar list
  # description: Our presentations at {bare}.
  # url: https://example.org/{id}/   # where you publish the page and feed
  # locale: de-DE                   # language, dates and clock of the page and events (en-US)

conference:
  name: {conference}
  id: {id}          # event identities (UIDs) come from this: never change it once published
  timezone: {zone}  # the times below are in this zone: an IANA name, a city or CT, CET...
  # venue: Convention Center
  # address: 1 Main Street, City
  # geo: [41.8514, -87.6169]         # latitude, longitude: lets apps show a map
  # start: {today}
  # end: {today}

# How the published page looks (all optional); the public address is calendar.url.
# site:
#   logo: logo.svg                    # an image beside this file, or an https address
#   accent: "#0b57d0"                 # links and buttons; quote it (# starts a comment)
#   intro: Meet us at booth 12.       # texts allow [links](https://...) and *emphasis*
#   contact: "Investor relations: [ir@example.com](mailto:ir@example.com)"
#   footer: © Our Company
#   disclaimer: For investors and healthcare professionals only.
#   embed_origins: [https://www.example.com]   # sites that may frame the page
#   made_with: false                  # hide the "Made with asco-cal" line

reminders: [15m]                     # for every session; [] for none
# defaults: {{oral: 15m, poster: 1h}}  # how long a session lasts when only its start is given
# all_day_when_no_time: true          # a date without a time: an all-day event

sessions:
  - abstract: "1234"
    title: Replace with the abstract's full title
    compound: ABC123                 # optional
    type: poster                     # poster, oral, poster discussion...
    date: {today}
    time: 8:00 am - 12:00 noon       # or start: and end:; a zone may follow: 1:00-5:00pm PT
    room: Hall A
    # session: Poster Session 653    # the session's name or number
    # section: "22"                  # poster section
    # board: Poster 12
    # presenters: [Jane Doe, MD]

  # A talk announced by its start only, and a company event at a hotel:
  # - abstract: "4321"
  #   title: ...
  #   type: oral
  #   date: {today}
  #   start: 4:45 pm                 # time: TBD while it is not announced
  #   duration: 15m
  # - id: investor-event             # an id instead of an abstract number: the
  #   title: Investor reception      #   event's identity, kept when numbers change
  #   type: investor event
  #   date: {today}
  #   time: 6:00-8:00 pm
  #   venue: Hotel name               # a venue of its own
  #   address: 1 Hotel Street, City

  # An abstract presented twice (a poster, then its discussion):
  # - abstract: "5678"
  #   title: ...
  #   date: {today}
  #   parts:
  #     - type: poster
  #       time: 8:00 am - 12:00 noon
  #       room: Hall A
  #     - type: poster discussion
  #       time: 1:00-2:00 pm
  #       room: E354a
"""


CALENDAR_BLOCK = TEMPLATE[TEMPLATE.index("calendar:\n") : TEMPLATE.index("conference:\n")]

CALENDAR_FILE = """\
# calendar.yaml: the calendar's own details, for every meeting in this folder.
# Each other .yaml file here is one meeting: `asco-cal init --meeting FOLDER` adds one.

calendar:
  name: {calendar}                 # what people see in their calendar list
  # description: Our presentations at this year's meetings.
  # url: https://example.org/meetings/   # where you publish the page and feed
"""


def starter(
    conference: str, zone: str, today: dt.date | None = None, *, meeting: bool = False
) -> str:
    """The commented starter file; ``meeting``: one meeting of a folder (its calendar's
    details are in the folder's calendar.yaml)."""
    day = today or dt.date.today()
    text = TEMPLATE.replace(CALENDAR_BLOCK, "") if meeting else TEMPLATE
    if meeting:
        text = text.replace(
            "# sessions.yaml: the sessions", "# One meeting of a folder: the sessions"
        )
    return text.format(
        calendar=json.dumps(f"Our sessions at {conference}", ensure_ascii=False),
        bare=conference,
        conference=json.dumps(conference, ensure_ascii=False),
        id=slug(conference) or "my-conference",
        zone=zone,
        today=day.isoformat(),
    )


def calendar_file(name: str) -> str:
    """The commented ``calendar.yaml`` of a new folder of meetings."""
    return CALENDAR_FILE.format(calendar=json.dumps(name, ensure_ascii=False))
