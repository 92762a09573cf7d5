"""``asco-cal build``: the agenda page and every feed as static files.

Layout of the output folder (ready for GitHub Pages, S3 plus a CDN, nginx):

    index.html                   the agenda page
    calendar.ics                 all sessions
    sessions/<id>.ics            one event each, e.g. sessions/8017-1.ics
    feeds/type/<type>.ics        e.g. feeds/type/poster.ics
    feeds/compound/<name>.ics    e.g. feeds/compound/sar3419.ics
    feeds/date/<YYYY-MM-DD>.ics  e.g. feeds/date/2011-06-04.ics

Each feed holds exactly the bytes ``asco-cal export`` writes with the same
filter.  Files are written atomically; .ics files that an earlier build wrote
under sessions/ and feeds/ and that no longer exist are removed.  Other files in
the folder (a CNAME, a README) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asco_cal import ics, pages
from asco_cal.files import flush_all, write_atomic
from asco_cal.filters import TOPICS, topics
from asco_cal.model import Program
from asco_cal.state import State
from asco_cal.urls import Urls, folder_url


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]
    removed: tuple[Path, ...]


def site_files(program: Program, revisions: State, base_url: str | None) -> dict[str, bytes]:
    """Relative path -> bytes of every file of the site."""
    urls = Urls(base=folder_url(base_url or program.calendar.url), static=True)
    writer = ics.Writer(program, revisions)
    out: dict[str, bytes] = {
        "index.html": pages.render(program, urls).encode("utf-8"),
        urls.feed(): writer.calendar(program.events),
    }
    for event in program.scheduled:
        out[urls.session(event)] = writer.calendar([event], single=True)
    for name in TOPICS:
        for value, events in topics(program, name):
            out[urls.feed({name: [value]})] = writer.calendar(events)
    return out


def build(program: Program, revisions: State, out_dir: Path, base_url: str | None) -> BuildResult:
    files = site_files(program, revisions, base_url)
    written = []
    for relative, data in sorted(files.items()):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            write_atomic(path, data, durable=False)
        written.append(path)
    removed = []
    for folder in ("sessions", "feeds"):
        for stale in sorted((out_dir / folder).rglob("*.ics")):
            if stale.relative_to(out_dir).as_posix() not in files:
                stale.unlink()
                removed.append(stale)
    flush_all()  # one sync for all the files, not one per file
    return BuildResult(tuple(written), tuple(removed))
