"""The live feed: an ASGI app (Starlette) serving the agenda page and .ics feeds.

Run it with ``asco-cal serve`` or any ASGI server::

    ASCO_CAL_SESSIONS=/srv/asco/sessions.yaml uvicorn --factory asco_cal.server:create_app

Routes: ``/`` (agenda page), ``/my?abstract=...`` (a personal feed's page),
``/calendar.ics`` (the feed; filters ``abstract``, ``type``, ``compound``,
``date``), ``/sessions/<id>.ics`` (one event, as a download) and ``/healthz``.

One module per concern: :mod:`~asco_cal.server.http` (validators, 304s, gzip,
prepared answers), :mod:`~asco_cal.server.source` (the reloading file and its
snapshots), :mod:`~asco_cal.server.routes` (the endpoints),
:mod:`~asco_cal.server.middleware` (Guard, AccessLog) and
:mod:`~asco_cal.server.app` (``create_app``, the feed's fast path).
"""

from asco_cal.server.app import App, create_app
from asco_cal.server.middleware import AccessLog
from asco_cal.server.source import InvalidStart, Settings

__all__ = ["AccessLog", "App", "InvalidStart", "Settings", "create_app"]
