"""What the terminal commands print: `asco-cal list`'s agenda and `asco-cal links`' blocks.

The words come from :mod:`asco_cal.wording` and the links from
:mod:`asco_cal.links`, as on the agenda page.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
import unicodedata
from collections.abc import Sequence

from asco_cal import links, wording
from asco_cal.model import Event, Program
from asco_cal.urls import Urls, folder_url


def entries(
    program: Program, events: Sequence[Event], base: str | None
) -> list[tuple[Event, str, list[tuple[str, str]]]]:
    """Each scheduled event with its day and time, and its links.

    With the public address known, the links are the short addresses of the
    site or server (``add/<id>/?to=google``): the live server answers them with
    the service's link made from the data of the moment, a static site with the
    session's page of buttons, rebuilt with every change, so a link pasted into
    a press release follows every later change.  Without it, the services' own
    links, which hold the session as it is now.
    """
    page = folder_url(base)
    urls = Urls(base=page, static=True)
    words = wording.words(program)
    out = []
    for event in wording.scheduled(events):
        if page:
            found = {to: urls.absolute(urls.add(event, to)) or "" for to in links.SERVICES}
            found["apple"] = urls.absolute(urls.session(event)) or ""
        else:
            found = links.add_links(program, event, page)
        targets = [(name, found[to]) for to, name in words.services.items() if to in found]
        out.append((event, words.when(program, event), targets))
    return out


def link_blocks(program: Program, events: Sequence[Event], fmt: str, base: str | None) -> str:
    """Per session, its add-to-calendar links as ``text``, ``markdown`` or ``html``."""
    words = wording.words(program)
    add_to = words._("Add to calendar:")
    blocks = []
    for event, when, targets in entries(program, events, base):
        title = words.summary(event)
        where = f", {event.room}" if event.room else ""
        if fmt == "markdown":
            items = "\n".join(f"- [{name}]({url})" for name, url in targets)
            blocks.append(f"**{_md(title)}**  \n{_md(when)}{_md(where)}\n\n{items}\n")
        elif fmt == "html":
            items = " | ".join(
                f'<a href="{html.escape(url)}">{html.escape(name)}</a>' for name, url in targets
            )
            blocks.append(
                f"<p><strong>{html.escape(title)}</strong><br>\n"
                f"{html.escape(when + where)}<br>\n{html.escape(add_to)} {items}</p>\n"
            )
        else:
            items = "\n".join(f"  {name}: {url}" for name, url in targets)
            blocks.append(f"{title}\n{when}{where}\n{items}\n")
    return "\n".join(blocks)


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def agenda(
    program: Program, events: Sequence[Event], width: int = 100, today: dt.date | None = None
) -> list[str]:
    """What `list` prints: sessions by day, on the conference's clock; for a calendar of
    meetings, each meeting with its sessions, those still to come ``today`` first."""
    words = wording.words(program)
    lines = [program.calendar.name]
    if not program.folder:
        conf = program.conference
        where = ", ".join(p for p in (conf.name, conf.venue) if p)
        if where:
            lines.append(where)
        return lines + _days(program, events, width)
    ahead, past = wording.upcoming_and_past(program, today or dt.date.today())
    for heading, meetings in (("", ahead), (words.past_meetings, past)):
        shown = [(m, [e for e in events if e.meeting.slug == m.slug]) for m in meetings]
        shown = [(m, mine) for m, mine in shown if mine]
        if heading and shown:
            lines += ["", heading, "=" * len(heading)]
        for conference, mine in shown:
            name = wording.meeting_name(conference)
            lines += ["", name, words.meeting_line(conference), "-" * len(name)]
            lines += _days(program, mine, width)
    if not events:
        lines += ["", words._("No sessions match.")]
    return lines


def _days(program: Program, events: Sequence[Event], width: int) -> list[str]:
    """The sessions by day, then those without a time yet."""
    words = wording.words(program)
    lines: list[str] = []
    day: dt.date | None = None
    indent = " " * 29
    for e in wording.scheduled(events):
        times = wording.local(program, e)
        if e.day is not None and e.day != day:
            day = e.day
            lines += ["", words.day(day)]
        room = ", ".join(p for p in (e.room, e.hall, words.section(e), e.board, e.venue) if p)
        mark = ""
        if e.status == "cancelled":
            mark = f"  [{words.status(e)}]"
        elif e.status == "tentative":
            mark = "  [" + words._("tentative") + "]"
        when = words.span(program, e, times)
        lines.append(f"  {_pad(when, 27)}{e.name:<8} {e.type}{' · ' + room if room else ''}{mark}")
        lines += _title(e, width, indent)
    later = [e for e in events if not e.scheduled]
    if later:
        lines += ["", words.to_be_announced]
        for e in later:
            day_note = (
                " " + words._("on %(day)s") % {"day": words.day(e.day, year=False)} if e.day else ""
            )
            lines.append(f"  {'':<27}{e.name:<8} {e.type}{day_note}")
            lines += _title(e, width, indent)
    if not events:
        lines += ["", words._("No sessions match.")]
    return lines


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns of a terminal, where CJK characters take two."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return text + " " * max(0, width - len(text) - wide)


def _title(event: Event, width: int, indent: str) -> list[str]:
    """The session's compound and title, wrapped under its line."""
    title = f"{event.compound}: {event.title}" if event.compound else event.title
    return textwrap.wrap(title, width=width, initial_indent=indent, subsequent_indent=indent)
