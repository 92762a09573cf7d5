"""Work carried from one version of the sessions file to the next (the server's reloads).

After an edit of one session in a file of thousands, almost every serialised
event and every add-to-calendar link is the same as before.  A :class:`Carry`
looks a key up in the previous version's results, computes only what is new,
and keeps exactly what the current version used (so nothing stale piles up).
Keys hold everything the value depends on (frozen, hashable model objects),
so a carried value is always the one that would have been computed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Carry:
    def __init__(self, previous: Carry | None = None) -> None:
        self.previous: dict[Hashable, object] = previous.current if previous else {}
        self.current: dict[Hashable, object] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key in self.current:
            return self.current[key]  # type: ignore[return-value]
        value = self.previous[key] if key in self.previous else make()
        self.current[key] = value
        return value  # type: ignore[return-value]
