"""Sessions files -> a validated :class:`~asco_cal.model.Program`, and the limits on reading them.

Reading goes: bytes (size limit, encoding) -> YAML text -> the located tree
(:mod:`asco_cal.yamltree`) -> the reader (:mod:`asco_cal.reader`), which
collects every problem with its file, line, column and field.

A year of meetings is a folder (or several files) with one meeting per file:
:class:`Inputs` says which files a command reads, :func:`load_inputs` reads
each and :func:`combine` makes them one program (meetings in date order, one
calendar from ``calendar.yaml`` or the first file, no meeting id twice).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from asco_cal import reader, state, yamltree
from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.model import CalendarMeta, Conference, Program, SiteMeta
from asco_cal.tree import Node

CALENDAR_FILE = "calendar.yaml"  # a folder's calendar details (name, description, url)

# Bigger files are refused before they are read (see load_file); raise it with
# $ASCO_CAL_MAX_SIZE.  ASCO's ~6,000 abstracts take about 2 MB.
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """A valid program and the warnings found while reading it."""

    program: Program
    warnings: tuple[AscoCalError, ...]


def load_file(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    max_bytes: int | None = None,
    in_folder: bool = False,
) -> Loaded:
    """Read and validate a sessions file; raise :class:`InvalidInput` on errors.

    Messages name the file as ``name`` (default: the path as given).  Files over
    ``max_bytes`` (default: :func:`max_file_bytes`) are refused before they are
    read, so a stray 2 GB file cannot exhaust memory.  ``in_folder``: one meeting
    of several (see :func:`asco_cal.reader.read`).
    """
    data, name = _read_bytes(path, name, max_bytes)
    return load_bytes(data, name, in_folder=in_folder, folder=Path(path).parent)


def _read_bytes(
    path: str | os.PathLike[str], name: str | None, max_bytes: int | None
) -> tuple[bytes, str]:
    p = Path(path)
    name = str(path) if name is None else name
    limit = max_file_bytes() if max_bytes is None else max_bytes
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise AscoCalError("file not found", location=Location(name)) from None
    except IsADirectoryError:
        raise AscoCalError("is a folder, not a file", location=Location(name)) from None
    except OSError as exc:
        raise AscoCalError(f"cannot read: {exc.strerror}", location=Location(name)) from None
    if len(data) > limit:
        raise AscoCalError(
            f"larger than {_megabytes(limit)}, the most asco-cal reads "
            f"(set {SIZE_VARIABLE}=200MB, say, if this really is a sessions file)",
            location=Location(name),
        )
    return data, name


def load_bytes(
    data: bytes, name: str = "sessions.yaml", *, in_folder: bool = False, folder: Path | None = None
) -> Loaded:
    """Validate the bytes of a sessions file (UTF-8, with or without a BOM); the files
    it names (``site.logo``) are in ``folder`` (default: the current one)."""
    return load_text(_text(data, name), name, in_folder=in_folder, folder=folder)


def _text(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AscoCalError(
            "saved as UTF-16 text; save it as UTF-8 instead", location=Location(name, 1, 1)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        raise AscoCalError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02X} (save the file as UTF-8)",
            location=Location(name, line, column),
        ) from None
    return text


SIZE_VARIABLE = "ASCO_CAL_MAX_SIZE"


def max_file_bytes() -> int:
    """:data:`MAX_BYTES`, or ``$ASCO_CAL_MAX_SIZE`` (``200MB``, ``1GB``, bytes)."""
    raw = os.environ.get(SIZE_VARIABLE, "").strip()
    if not raw:
        return MAX_BYTES
    units = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
    number = raw.upper().rstrip("BKMG ")
    unit = raw.upper()[len(number) :].strip()
    try:
        return int(float(number) * units[unit])
    except (ValueError, KeyError):
        raise AscoCalError(f"{SIZE_VARIABLE}={raw!r} is not a size; write it like 200MB") from None


def _megabytes(n: int) -> str:
    return f"{n / 1024**2:g} MB"


def load_text(
    text: str,
    filename: str = "sessions.yaml",
    *,
    in_folder: bool = False,
    folder: Path | None = None,
) -> Loaded:
    """Validate YAML text; raise :class:`InvalidInput` listing every error."""
    return load_tree(_documents(text, filename), filename, in_folder=in_folder, folder=folder)


def _documents(text: str, filename: str) -> list[Node]:
    hint = f"{SIZE_VARIABLE}=200MB, say"
    try:
        return yamltree.documents(text, filename, max_file_bytes() // 32, hint)
    except AscoCalError as exc:
        raise InvalidInput([exc]) from None


def load_tree(
    docs: list[Node], filename: str, *, in_folder: bool = False, folder: Path | None = None
) -> Loaded:
    """Validate a located tree (from YAML or a spreadsheet); raise :class:`InvalidInput`."""
    program, problems = reader.read(docs, filename, in_folder=in_folder, folder=folder)
    if program is None or any(p.is_error for p in problems):
        raise InvalidInput(problems)
    return Loaded(program, tuple(sorted(problems, key=AscoCalError.sort_key)))


def load_calendar(path: Path, name: str) -> CalendarMeta:
    """A folder's ``calendar.yaml`` (the calendar's name, description, url, refresh)."""
    data, name = _read_bytes(path, name, None)
    calendar, problems = reader.read_calendar(_documents(_text(data, name), name), name)
    if calendar is None or any(p.is_error for p in problems):
        raise InvalidInput(problems)
    return calendar


# -- several meetings -------------------------------------------------------------


class FileLoader(Protocol):
    """Reads one sessions file; its messages name the file as ``name``."""

    def __call__(self, path: Path, *, name: str, in_folder: bool = False) -> Loaded: ...


def meeting_file(path: Path) -> bool:
    """A file of a folder that holds a meeting: ``*.yaml``/``*.yml``, not the folder's
    ``calendar.yaml``, a state file or an editor's hidden or backup file."""
    name = path.name
    return (
        name.endswith((".yaml", ".yml"))
        and name != CALENDAR_FILE
        and not name.endswith((".state.yaml", ".state.yml"))
        and not name.startswith((".", "~", "#"))
    )


@dataclass(frozen=True)
class Inputs:
    """What a command reads: one sessions file (as always), or a year of meetings: a
    folder of meeting files, or several files given one by one."""

    given: tuple[str, ...]

    @property
    def several(self) -> bool:
        return len(self.given) > 1 or Path(self.given[0]).is_dir()

    @property
    def label(self) -> str:
        """How messages name the input: ``sessions.yaml``, ``meetings/``, ``a.yaml, b.yaml``."""
        return ", ".join(self.given)

    def files(self) -> list[tuple[Path, str]]:
        """Each meeting file as it is now, with the name messages give it (a folder's
        files in name order; files given one by one in that order)."""
        out: list[tuple[Path, str]] = []
        for given in self.given:
            p = Path(given)
            if p.is_dir():
                found = sorted(f for f in p.iterdir() if meeting_file(f) and f.is_file())
                out += [(f, os.path.join(given, f.name)) for f in found]
            elif not (self.several and p.name == CALENDAR_FILE):
                out.append((p, given))
        return out

    def calendar_file(self) -> tuple[Path, str] | None:
        """The ``calendar.yaml`` given, or in the (first) folder given, if there is one."""
        for given in self.given:
            p = Path(given)
            if p.name == CALENDAR_FILE and not p.is_dir():
                return p, given
            if p.is_dir() and (p / CALENDAR_FILE).is_file():
                return p / CALENDAR_FILE, os.path.join(given, CALENDAR_FILE)
        return None

    def state_file(self) -> Path:
        """One state file for all: ``sessions.state.yaml`` beside a single file; a
        folder's ``calendar.state.yaml`` (for several files, in the first one's folder)."""
        first = Path(self.given[0])
        if not self.several or first.is_dir():
            return state.state_path(first)
        return first.parent / state.FOLDER_STATE


def load_inputs(inputs: Inputs, load: FileLoader = load_file) -> Loaded:
    """Every file of ``inputs`` as one program; raise :class:`InvalidInput` with the
    problems of every file (or :class:`AscoCalError` for a file that cannot be read)."""
    if not inputs.several:
        return load(Path(inputs.given[0]), name=inputs.given[0])
    read = read_meetings(inputs, load)
    if read.problems:
        raise InvalidInput(read.problems)
    return read.loaded


Signature = tuple[int, int]  # a file's (mtime_ns, size): it changed when they do


def signature(path: Path) -> Signature:
    """A file's :data:`Signature`; (-1, -1) when it is missing."""
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


@dataclass
class Versions:
    """A folder's files as last read: each one's signature and last good version."""

    files: dict[Path, tuple[Signature, Loaded]] = field(default_factory=dict)
    calendar: tuple[Signature, CalendarMeta] | None = None
    gone: frozenset[Path] = frozenset()  # missing at this read: kept until the next one


@dataclass(frozen=True)
class Meetings:
    """A folder read by :func:`read_meetings`."""

    loaded: Loaded  # the program, with each broken file in its last good version (if any)
    versions: Versions  # for the next read
    problems: tuple[AscoCalError, ...] = ()  # of the files that could not be read as they are
    broken: tuple[str, ...] = ()  # those files, by name


def read_meetings(
    inputs: Inputs,
    load: FileLoader = load_file,
    last: Versions | None = None,
    *,
    short: bool = False,
    grace: bool = False,
) -> Meetings:
    """The meetings of ``inputs`` (a folder, several files) as one program.

    A file whose signature is the one in ``last`` is not read again; a file that cannot
    be read as it is now keeps its version in ``last`` (a server keeps serving it) and
    is reported in ``problems``.  Messages name each file as given (``meetings/a.yaml``),
    or by its name alone if ``short`` (a public page).  With ``grace``, a file that
    has gone since ``last`` is kept for one more read: some editors save by deleting
    and writing again, and a server should not drop a meeting meanwhile.  Raises
    :class:`InvalidInput` when the meetings cannot make one program (a meeting id twice),
    with every problem.
    """
    last = last or Versions()
    problems: list[AscoCalError] = []
    broken: list[str] = []
    versions = Versions()
    found = inputs.calendar_file()
    if found is not None:
        path, given = found
        name = path.name if short else given
        mark = signature(path)
        if last.calendar is not None and last.calendar[0] == mark:
            versions.calendar = last.calendar
        else:
            try:
                versions.calendar = (mark, load_calendar(path, name))
            except AscoCalError as exc:
                problems += _problems(exc)
                broken.append(name)
                versions.calendar = last.calendar  # its last good version, if any
    calendar = versions.calendar[1] if versions.calendar else None
    files = inputs.files()
    if not files:
        where = inputs.label
        raise AscoCalError(f"no meeting files (*.yaml) in {where}", location=Location(where))
    for path, given in files:
        name = path.name if short else given
        mark = signature(path)
        known = last.files.get(path)
        if known is not None and known[0] == mark:
            versions.files[path] = known
            continue
        try:
            versions.files[path] = (mark, load(path, name=name, in_folder=True))
        except AscoCalError as exc:
            problems += _problems(exc)
            broken.append(name)
            if known is not None:  # its last good version, until it is mended
                versions.files[path] = known
    if grace:
        gone = {path for path in last.files if path not in versions.files and path not in last.gone}
        versions.files.update((path, last.files[path]) for path in sorted(gone))
        versions.gone = frozenset(gone)
    meetings = [version for _, version in versions.files.values()]
    try:
        if not meetings:
            raise InvalidInput([])
        loaded = combine(meetings, calendar)
    except InvalidInput as exc:
        raise InvalidInput([*problems, *exc.problems]) from None
    return Meetings(loaded, versions, tuple(problems), tuple(broken))


def _problems(exc: AscoCalError) -> list[AscoCalError]:
    return list(exc.problems) if isinstance(exc, InvalidInput) else [exc]


def _when(loaded: Loaded) -> dt.date:
    """When a meeting is, for the date order: its first day (else its first session's)."""
    conf = loaded.program.meetings[0]
    days = [e.day for e in loaded.program.events if e.day is not None]
    return conf.start or (min(days) if days else dt.date.max)


def combine(meetings: Sequence[Loaded], calendar: CalendarMeta | None = None) -> Loaded:
    """Meetings read one file each (``in_folder``) as one program, in date order.

    The calendar's details come from ``calendar`` (a folder's ``calendar.yaml``), else
    from the first file that gives them, with a warning for each file that says
    otherwise.  Two meetings with the same id (their UIDs would collide) are an error
    naming both places.  Raises :class:`InvalidInput`.
    """
    problems: list[AscoCalError] = []
    warnings = [w for m in meetings for w in m.warnings]
    seen: dict[str, Conference] = {}
    for loaded in meetings:
        conf = loaded.program.meetings[0]
        first = seen.setdefault(conf.slug, conf)
        if first is not conf:
            problems.append(
                AscoCalError(
                    f"the meeting id {conf.uid_key!r} is already the id of {first.file}'s "
                    f"meeting (line {first.line}); give each meeting its own `id`",
                    location=Location(conf.file, conf.line, conf.column),
                    field="conference.id",
                )
            )
    given = [(m.program.meetings[0].file, m.program.calendar) for m in meetings]
    given = [(file, c) for file, c in given if c.name]
    if calendar is None and given:
        calendar = given[0][1]
    if calendar is None:
        name = meetings[0].program.meetings[0].file if meetings else ""
        problems.append(
            AscoCalError(
                f"missing (give the calendar's name in {CALENDAR_FILE} or in the first file)",
                location=Location(name, 1, 1),
                field="calendar",
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert calendar is not None
    for file, other in given:
        if other != calendar:
            warnings.append(
                AscoCalError(
                    f"differs from the calendar used ({calendar.name!r}); this file's is ignored",
                    location=Location(file, other.line, 1),
                    field="calendar",
                    severity="warning",
                    code="calendar-differs",
                )
            )
    ordered = sorted(meetings, key=lambda m: (_when(m), m.program.meetings[0].slug))
    program = Program(
        calendar=replace(calendar, line=None),
        meetings=tuple(m.program.meetings[0] for m in ordered),
        events=tuple(e for m in ordered for e in m.program.events),
        reminders=ordered[0].program.reminders,
        site=next((m.program.site for m in meetings if m.program.site != SiteMeta()), SiteMeta()),
    )
    return Loaded(program, tuple(sorted(warnings, key=AscoCalError.sort_key)))
