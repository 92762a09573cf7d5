"""Push the sessions to a CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale...).

Each scheduled session becomes one calendar object, found again by its UID.
Objects carry ``X-ASCO-CAL-CONFERENCE`` (which file they came from) and
``X-ASCO-CAL-DIGEST`` (their content), so a push:

* creates the sessions the calendar does not have,
* updates those whose content changed, leaves the rest alone,
* removes the events it pushed earlier for this calendar that are no longer
  in the file (or lost their time, or were in a meeting's file since taken out of
  the folder: the state file remembers every event it published), and never
  touches any other event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from asco_cal import ics
from asco_cal.errors import AscoCalError
from asco_cal.model import Program
from asco_cal.state import State


@dataclass
class PushResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def push(
    program: Program,
    revisions: State,
    url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    reminders: Sequence[int] | None = None,
    dry_run: bool = False,
) -> PushResult:
    """Make the CalDAV calendar at ``url`` hold this program's events (see the module doc)."""
    # Imported here: only `push` needs the CalDAV stack.
    from caldav.davclient import DAVClient
    from caldav.lib import error as dav_error

    ours = {m.uid_key for m in program.meetings}  # the marks of this calendar's meetings
    result = PushResult()
    try:
        with DAVClient(url=url, username=user, password=password, timeout=30) as client:
            calendar = client.calendar(url=url)  # type: ignore[no-untyped-call]
            remote: dict[str, tuple[object, str | None, str | None]] = {}
            for obj in calendar.events():
                for uid, mark, digest in ics.read_marks(obj.data):
                    remote[uid] = (obj, mark, digest)
            wanted = set()
            for event in program.scheduled:
                uid = event.uid()
                wanted.add(uid)
                data, digest = ics.caldav_object(program, event, revisions, reminders)
                if uid not in remote:
                    if not dry_run:
                        calendar.save_event(data.decode("utf-8"))
                    result.created.append(event.label)
                    continue
                obj, mark, old = remote[uid]
                if mark == event.meeting.uid_key and old == digest:
                    result.unchanged.append(event.label)
                    continue
                if not dry_run:
                    obj.data = data.decode("utf-8")  # type: ignore[attr-defined]
                    obj.save()  # type: ignore[attr-defined]
                result.updated.append(event.label)
            for uid, (obj, mark, _) in sorted(remote.items()):
                # Ours: marked by one of this calendar's meetings, or by a meeting it
                # had (a folder's file since removed: its events stay in the state).
                pushed = mark in ours or (mark is not None and uid in revisions.events)
                if pushed and uid not in wanted:
                    if not dry_run:
                        obj.delete()  # type: ignore[attr-defined]
                    result.removed.append(uid)
    except dav_error.AuthorizationError:
        raise AscoCalError(f"{url}: the server refused the user name or password") from None
    except dav_error.NotFoundError:
        raise AscoCalError(f"{url}: no calendar at this address") from None
    except dav_error.DAVError as exc:
        raise AscoCalError(f"{url}: the CalDAV server said: {_short(exc)}") from None
    except OSError as exc:
        raise AscoCalError(f"{url}: cannot connect ({_short(exc)})") from None
    return result


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("..." if len(text) > 200 else "")
