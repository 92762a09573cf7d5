"""Which ``Host`` a request may name, when the page's public address is not fixed.

Without ``--base-url`` (or ``calendar.url``), the page's subscribe buttons and
feed address are made from the request's ``Host`` header, which the client
chooses.  So the server answers only for the hosts it was told
(``--allowed-host``; by default the loopback names), and refuses any other with
a 400 before any route, page, link or cache sees it.  ``X-Forwarded-Host`` is
never read.  With a fixed public address, the ``Host`` header is used for
nothing, and every host is accepted (a reverse proxy may send its own).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Scope

LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _split(host: str) -> tuple[str, str | None]:
    """``name`` and ``port`` of ``name[:port]`` (``[v6]:port`` for IPv6), lowercased."""
    host = host.strip().lower()
    if host.startswith("["):
        name, _, rest = host.partition("]")
        if rest and not rest.startswith(":"):
            return "", None  # "[::1]evil.example": not a host
        return name[1:], rest[1:] or None
    if host.count(":") > 1:  # a bare IPv6 address, as people write it on the command line
        return host, None
    name, _, port = host.partition(":")
    return name.rstrip("."), port or None


class Hosts:
    """The hosts a request may name: each ``name`` (any port) or ``name:port``."""

    def __init__(self, allowed: Iterable[str] = LOOPBACK) -> None:
        self.allowed = tuple(dict.fromkeys(a.strip().lower() for a in allowed if a.strip()))
        self._names = {_split(a) for a in self.allowed}

    def allows(self, host: str | None) -> bool:
        if not host:
            return False
        name, port = _split(host)
        if not name or (port is not None and not port.isdigit()):
            return False
        return (name, None) in self._names or (name, port) in self._names

    def refusal(self) -> str:
        """The 400's text (which names no allowed host: the client need not know them)."""
        return (
            "Unknown host: this server does not answer for the name in the request. Its "
            "operator can add the name with --allowed-host, or give the public address "
            "with --base-url.\n"
        )


def host_of(scope: Scope) -> str | None:
    """The request's ``Host`` header (None if it has none, or several)."""
    found = [value for name, value in scope["headers"] if name == b"host"]
    if len(found) != 1:
        return None
    host: bytes = found[0]
    return host.decode("latin-1")
