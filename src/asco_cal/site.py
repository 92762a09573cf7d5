"""``asco-cal build``: the agenda page and every feed as static files.

Layout of the output folder (ready for GitHub Pages, S3 plus a CDN, nginx):

    index.html                   the agenda page
    days/<YYYY-MM-DD>/index.html one day's agenda
    add/<id>/index.html          one session's "add to calendar" buttons
    calendar.ics                 all sessions
    sessions/<id>.ics            one event each, e.g. sessions/8017-1.ics
    feeds/type/<type>.ics        e.g. feeds/type/poster.ics
    feeds/compound/<name>.ics    e.g. feeds/compound/sar3419.ics
    feeds/date/<YYYY-MM-DD>.ics  e.g. feeds/date/2011-06-04.ics
    feeds/meeting/<id>.ics       a calendar of meetings: e.g. feeds/meeting/asco-2011.ics
    sessions/<abstract>.ics      every part of an abstract shown in parts (8017.ics)
    agenda.json                  the agenda as data, and agenda.schema.json its schema
    embed.html                   the agenda as a fragment for another site's page
    logo.<ext> or favicon.svg    the logo (a file given in site.logo), else a favicon

Each feed holds exactly the bytes ``asco-cal export`` writes with the same
filter (and so the same calendar name, e.g. "… — posters").  Files are written
atomically; .ics files that an earlier build wrote under sessions/ and feeds/, and
pages under add/ and days/, that no longer exist are removed.  Other files in
the folder (a CNAME, a README) are left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asco_cal import agenda, brand, feeds, pages
from asco_cal.files import flush_all, write_atomic
from asco_cal.filters import TOPICS, parse_filter, topics
from asco_cal.model import Program
from asco_cal.state import State
from asco_cal.urls import AGENDA_JSON, AGENDA_SCHEMA, EMBED, Urls, folder_url

PAGE_FOLDERS = ("add", "days")  # folders of generated pages: stale ones are removed
ICON_FILES = ("logo.*", "favicon.svg")  # written beside the page: stale ones are removed


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]
    removed: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


def feed_files(program: Program, revisions: State, urls: Urls) -> dict[str, bytes]:
    """Relative path -> bytes of every feed and event download."""
    writers = feeds.Writers(program, revisions)
    out = {urls.feed(): writers.calendar(parse_filter(program, {}))}
    single = writers.writer(parse_filter(program, {}))
    for event in program.scheduled:
        out[urls.session(event)] = single.calendar([event], single=True)
    for parts in pages.parted(program).values():
        scheduled = [e for e in parts if e.scheduled]
        path = urls.abstract(parts[0])
        if scheduled and path not in out:  # never over a session's own file
            out[path] = single.calendar(scheduled, single=True)
    for name in TOPICS:
        for value, events in topics(program, name):
            chosen = parse_filter(program, {name: [value]})
            out[urls.feed({name: [value]})] = writers.calendar(chosen, events)
    return out


def icon_files(program: Program, urls: Urls) -> dict[str, bytes]:
    """The logo's copy, or the generated favicon."""
    site = program.site
    logo = urls.logo_file(site)
    if logo and site.logo is not None and site.logo.data is not None:
        return {logo: site.logo.data}
    accent = site.accent or brand.DEFAULT_ACCENT
    return {urls.favicon(site): brand.favicon_svg(program.calendar.name, accent)}


def size_warning(program: Program, urls: Urls, files: dict[str, bytes]) -> str | None:
    """The warning for a full feed over Google's limit, naming the feeds that fit."""

    def size_of(name: str, value: str, events: object) -> int:
        return len(files[urls.feed({name: [value]})])

    full = len(files[urls.feed()])
    return feeds.size_warning(program, "the full feed (calendar.ics)", full, size_of)


def site_files(
    program: Program, revisions: State, base_url: str | None, today: dt.date | None = None
) -> dict[str, bytes]:
    """Relative path -> bytes of every file of the site (``today``: which meetings of a
    calendar of meetings are past)."""
    urls = Urls(base=folder_url(base_url or program.calendar.url), static=True)
    out = feed_files(program, revisions, urls)

    def sizes(filters: dict[str, list[str]]) -> int | None:
        found = out.get(urls.feed(filters))
        return len(found) if found is not None else None

    out["index.html"] = pages.render(program, urls, sizes=sizes, today=today).encode("utf-8")
    below = urls.below(2)
    groups = pages.topic_feeds(program, below, sizes)  # the same on every day's page
    for value, _ in topics(program, "date"):
        day = dt.date.fromisoformat(value)
        html = pages.render(
            program, below, filters={"date": [value]}, sizes=sizes, groups=groups, today=today
        )
        out[urls.day_page(day) + "index.html"] = html.encode("utf-8")
    for event in program.scheduled:
        html = pages.render_add(program, event, below)
        out[urls.add(event) + "index.html"] = html.encode("utf-8")
    for key, parts in pages.parted(program).items():  # add/8017/: its sessions, to pick
        if urls.add(key) + "index.html" not in out:  # a session's own page comes first
            out[urls.add(key) + "index.html"] = pages.render_parts(program, parts, below).encode()
    out[AGENDA_JSON] = agenda.dumps(program, urls, sizes)
    out[AGENDA_SCHEMA] = agenda.schema_text().encode()
    out[EMBED] = pages.render_embed(program, urls).encode("utf-8")
    out.update(icon_files(program, urls))
    return out


def build(
    program: Program,
    revisions: State,
    out_dir: Path,
    base_url: str | None,
    today: dt.date | None = None,
) -> BuildResult:
    files = site_files(program, revisions, base_url, today)
    written = []
    for relative, data in sorted(files.items()):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            write_atomic(path, data, durable=False)
        written.append(path)
    removed = []
    for folder, pattern in (("sessions", "*.ics"), ("feeds", "*.ics"),
                            *((f, "index.html") for f in PAGE_FOLDERS)):  # fmt: skip
        for stale in sorted((out_dir / folder).rglob(pattern)):
            if stale.relative_to(out_dir).as_posix() not in files:
                stale.unlink()
                removed.append(stale)
                if stale.name == "index.html" and not any(stale.parent.iterdir()):
                    stale.parent.rmdir()
    for pattern in ICON_FILES:  # a logo of another type than before, or none now
        for stale in sorted(out_dir.glob(pattern)):
            if stale.name not in files:
                stale.unlink()
                removed.append(stale)
    flush_all()  # one sync for all the files, not one per file
    urls = Urls(base=None, static=True)
    warning = size_warning(program, urls, files)
    return BuildResult(tuple(written), tuple(removed), (warning,) if warning else ())
