"""Every address of the page, the feeds and the downloads, from one builder.

Feed and download addresses differ between the live server (query-string
feeds) and a static site (one file per feed); :class:`Urls` hides that
difference from the page, ``build`` and ``links``, like datasette's
``url_builder``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote, urljoin

from asco_cal.filters import query_string
from asco_cal.model import Event, Program, SiteMeta
from asco_cal.values import slug

AGENDA_JSON = "agenda.json"
AGENDA_SCHEMA = "agenda.schema.json"
EMBED = "embed.html"


@dataclass(frozen=True)
class Urls:
    """Where the feeds live.  ``base`` is the public address of the page, if known.

    Addresses are relative to the site's root; :meth:`link` makes one an ``href`` for
    a page ``root`` levels below it (``"../../"`` for ``add/<id>/`` and ``days/<day>/``).
    """

    base: str | None
    static: bool
    root: str = ""

    def link(self, relative: str) -> str:
        """An ``href`` for a root-relative address, from the page being rendered."""
        return self.root + relative if self.root else (relative or "./")

    def below(self, depth: int) -> Urls:
        """The same addresses, for a page ``depth`` folders below the root."""
        return Urls(self.base, self.static, "../" * depth)

    def page(self, filters: dict[str, list[str]] | None = None) -> str:
        """The agenda page, filtered (the live server filters; a static site has a page
        per day, and shows the whole agenda otherwise)."""
        filters = {k: v for k, v in (filters or {}).items() if v}
        if not filters:
            return ""
        if self.static:
            if list(filters) == ["date"] and len(filters["date"]) == 1:
                return self.day_page(dt.date.fromisoformat(filters["date"][0]))
            return ""
        return f"./?{query_string(filters, split=False)}"  # from the page or from /my

    def day_page(self, day: dt.date) -> str:
        """One day's page: a file of its own in a static site."""
        return f"days/{day.isoformat()}/" if self.static else f"./?date={day.isoformat()}"

    def add(self, event: Event | str, to: str | None = None) -> str:
        """The short "add to calendar" address of an event (or of the key in its
        address; ``to``: google, outlook, office or apple, answered by the live server
        with a redirect)."""
        key = event if isinstance(event, str) else event.key
        return f"add/{quote(key, safe='')}/" + (f"?to={to}" if to else "")

    def feed(self, filters: dict[str, list[str]] | None = None) -> str:
        """A feed's address relative to the page."""
        filters = {k: v for k, v in (filters or {}).items() if v}
        if not filters:
            return "calendar.ics"
        if self.static:
            ((name, (value,)),) = filters.items()
            return f"feeds/{name}/{feed_file(name, value)}"
        return f"calendar.ics?{query_string(filters, split=False)}"

    def session(self, event: Event) -> str:
        """One event's download, relative to the page."""
        return f"sessions/{event.key}.ics"

    def abstract(self, event: Event) -> str:
        """Every part of an event's abstract (presented more than once), as one download
        (``sessions/8017.ics``)."""
        return f"sessions/{event.shared_key}.ics"

    def logo_file(self, site: SiteMeta) -> str | None:
        """The logo's copy in the site (None without a logo file)."""
        if site.logo is None or site.logo.data is None:
            return None
        return f"logo{site.logo.suffix}"

    def logo(self, site: SiteMeta) -> str | None:
        """The logo's ``src`` from the page: its copy, or the https address given."""
        if site.logo is None:
            return None
        return site.logo.address or self.link(f"logo{site.logo.suffix}")

    def favicon(self, site: SiteMeta) -> str:
        """The favicon: the logo's file, else a generated SVG."""
        return self.logo_file(site) or "favicon.svg"

    def absolute(self, relative: str) -> str | None:
        """The public address of a relative one (None when the page's is not known)."""
        return urljoin(self.base, relative) if self.base else None


def folder_url(url: str | None) -> str | None:
    """A page address as a base for relative links: ending in ``/`` (None if not given)."""
    if not url:
        return None
    return url if url.endswith("/") else url + "/"


def feed_file(name: str, value: str) -> str:
    """File name of a static per-type, per-compound or per-day feed."""
    return f"{value}.ics" if name == "date" else f"{slug(value)}.ics"


def download_name(
    program: Program, event: Event | None = None, suffix: str = ".ics", *, feed: str | None = None
) -> str:
    """The file name a download is saved under: the calendar's name (or a filtered
    ``feed``'s: ``immunogen-at-asco-2011-posters.ics``), then the session's number and
    type (``immunogen-at-asco-2011-8017-poster.ics``; the part's number too where two
    parts of one abstract share a type).  ``export`` names its file the same way."""
    name = slug(feed or program.calendar.name)
    if event is None:
        return name + suffix
    what = f"{name}-{slug(event.name)}"
    if event.part is None:
        return f"{what}-{slug(event.type)}{suffix}"
    types = program.derived(
        "part types", lambda: Counter((e.name, e.type) for e in program.events if e.part)
    )
    shared = types[(event.name, event.type)] > 1
    return f"{what}-{slug(event.type)}" + (f"-{event.part}" if shared else "") + suffix


def abstract_download_name(program: Program, event: Event) -> str:
    """The file name of every part of an event's abstract together (``...-8017.ics``)."""
    return f"{download_name(program, suffix='')}-{slug(event.name)}.ics"
