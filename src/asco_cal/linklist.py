"""`asco-cal links`: add-to-calendar links per session, as text, Markdown or HTML.

The links come from :mod:`asco_cal.links`, the same builders the agenda page uses.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from asco_cal import links, wording
from asco_cal.model import Event, Program
from asco_cal.urls import Urls, folder_url


def entries(
    program: Program, events: Sequence[Event], base: str | None
) -> list[tuple[Event, str, list[tuple[str, str]]]]:
    page = folder_url(base)
    urls = Urls(base=page, static=True)
    out = []
    for event in wording.timed(events):
        targets = [
            ("Google Calendar", links.google_add(program, event, page)),
            ("Outlook.com", links.outlook_add(program, event)),
            ("Microsoft 365", links.outlook_add(program, event, "microsoft365")),
        ]
        ics = urls.absolute(urls.session(event))
        if ics:
            targets.append(("Apple / .ics", ics))
        out.append((event, wording.when(program, event), targets))
    return out


def render(program: Program, events: Sequence[Event], fmt: str, base: str | None) -> str:
    blocks = []
    for event, when, targets in entries(program, events, base):
        title = wording.summary(event)
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
                f"{html.escape(when + where)}<br>\nAdd to calendar: {items}</p>\n"
            )
        else:
            items = "\n".join(f"  {name}: {url}" for name, url in targets)
            blocks.append(f"{title}\n{when}{where}\n{items}\n")
    return "\n".join(blocks)


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)
