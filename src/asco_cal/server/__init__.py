"""The live feed: an ASGI app (Starlette) serving the agenda page and .ics feeds.

Run it with ``asco-cal serve`` or any ASGI server::

    ASCO_CAL_SESSIONS=/srv/asco/sessions.yaml uvicorn --factory asco_cal.server:create_app

Routes: ``/`` (agenda page, filtered by the feed's filters and ``q``), ``/my?session=...``
(a personal feed's page), ``/calendar.ics`` (the feed; filters ``abstract``, ``session``,
``type``, ``compound``, ``date``, ``q``), ``/add/<id>/`` (one event's add-to-calendar
buttons; ``?to=google|outlook|office|apple`` redirects), ``/sessions/<id>.ics`` (one
event, as a download) and ``/healthz``.  Without a public address, only allowed hosts
are answered (:mod:`~asco_cal.server.hosts`).

One module per concern: :mod:`~asco_cal.server.http` (validators, 304s, gzip,
prepared answers), :mod:`~asco_cal.server.source` (the reloading file and its
snapshots), :mod:`~asco_cal.server.lane` (pages and feeds not made yet, made one at a
time off the event loop, in a process forked from the version served),
:mod:`~asco_cal.server.routes` (the endpoints),
:mod:`~asco_cal.server.middleware` (Guard, AccessLog) and
:mod:`~asco_cal.server.app` (``create_app``, the feed's fast path).
"""

from asco_cal.server.app import App, create_app
from asco_cal.server.middleware import AccessLog
from asco_cal.server.source import InvalidStart, Settings

__all__ = ["AccessLog", "App", "InvalidStart", "Settings", "create_app"]
