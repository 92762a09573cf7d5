"""The ``asco-cal`` command: a thin click layer over the library.

This is the only module that turns :class:`~asco_cal.errors.AscoCalError` into
messages and exit codes:

* 0: done (warnings may have been printed);
* 1: the sessions file (or the state file) has errors, or a file could not be
  read or written; nothing was written;
* 2: the command line is wrong: an unknown option, a bad ``--reminder`` or a
  filter value no session has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from asco_cal import __version__, state, wording
from asco_cal.errors import AscoCalError, InvalidInput, UsageError
from asco_cal.files import FolderInUse, write_atomic, write_folder_atomic
from asco_cal.filters import OPTION_NAMES, Filter, parse_filter
from asco_cal.loader import Inputs, Loaded, load_inputs
from asco_cal.model import Event, Program
from asco_cal.reader import MAX_REMINDERS
from asco_cal.urls import download_name
from asco_cal.values import parse_duration_minutes, slug

if TYPE_CHECKING:
    from asco_cal import ics

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INVALID, EXIT_USAGE = 1, 2
DEFAULT_SESSIONS = "sessions.yaml"
FORMATS = {"ics": ".ics", "jcal": ".jcal.json", "json": ".json", "csv": ".csv"}

EXIT_CODES = """\b
Exit codes:
  0  done (warnings may have been printed)
  1  the sessions file has errors, or a file could not be read or written
  2  wrong command line (unknown option, bad --reminder or filter value)"""


class Failure(click.ClickException):
    """A message already formatted for the user, and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.code = exit_code

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        return self.code

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def _fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    raise Failure(message, code)


SWITCH_INTERVAL = 0.0005  # serve's sys.setswitchinterval (benchmarks/page.py measures it)
WARNINGS_SHOWN = 20  # of each kind, by the commands that write


def _show(
    path: str, problems: Sequence[AscoCalError], limit: int | None, *, err: bool = True
) -> None:
    """Print errors, and warnings up to ``limit`` of each kind (None: all), then a line
    counting the warnings left out, by kind."""
    shown: dict[str, int] = {}
    cut: dict[str, int] = {}
    for problem in problems:
        kind = problem.code or "other"
        if problem.is_error or limit is None or shown.get(kind, 0) < limit:
            shown[kind] = shown.get(kind, 0) + (not problem.is_error)
            click.echo(str(problem), err=err)
        else:
            cut[kind] = cut.get(kind, 0) + 1
    if cut and limit:
        counts = ", ".join(f"{n:,} {kind}" for kind, n in sorted(cut.items()))
        click.echo(
            f"{path}: {sum(cut.values()):,} more warnings not shown ({counts}); "
            f"`asco-cal validate {path}` lists them all",
            err=err,
        )


def warning_options(func: F) -> F:
    """``--quiet`` and ``--max-warnings N``."""
    func = click.option(
        "--max-warnings",
        type=click.IntRange(0),
        metavar="N",
        help="Show at most N warnings of each kind (overlap, unknown-key, unscheduled...).",
    )(func)
    return click.option("-q", "--quiet", is_flag=True, help="Show no warnings, only errors.")(func)


def _locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from asco_cal import lang  # here, not at the top: `--help` need not load Babel

    try:
        return lang.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


locale_option = click.option(
    "--locale",
    metavar="TAG",
    callback=_locale,
    help="Write for this locale instead of the file's calendar.locale (default en-US): "
    "its words, day names, date order and clock, e.g. de-DE, en-GB, fr-FR, ja-JP.",
)


def _limit(quiet: bool, max_warnings: int | None, default: int | None) -> int | None:
    return 0 if quiet else (max_warnings if max_warnings is not None else default)


def _inputs(sessions: Sequence[str]) -> Inputs:
    """The files a command reads: one sessions file, a folder of meetings, or several."""
    return Inputs(tuple(sessions) or (DEFAULT_SESSIONS,))


def _load(
    inputs: Inputs,
    *,
    quiet: bool = False,
    writes: bool = True,
    limit: int | None = WARNINGS_SHOWN,
    locale: str | None = None,
) -> Loaded:
    """Load and validate; on errors print every problem to stderr and exit 1.

    ``locale`` (``--locale``) is the one the program is written for, over the file's."""
    path = inputs.label
    try:
        loaded = load_inputs(inputs)
    except InvalidInput as exc:
        _show(path, exc.problems, limit)
        errors, warnings = len(exc.errors), len(exc.warnings)
        summary = wording.count(errors, "error") + (
            f", {wording.count(warnings, 'warning')}" if warnings else ""
        )
        nothing = "; nothing written" if writes else ""
        _fail(f"{path}: {summary}{nothing} (run `asco-cal validate {path}`)")
    except AscoCalError as exc:
        _fail(str(exc))
    if not quiet:  # `list` and `links`: warnings only when the file has errors
        _show(path, loaded.warnings, limit)
    if locale is not None:
        loaded = dataclasses.replace(loaded, program=loaded.program.in_locale(locale))
    return loaded


def _state(inputs: Inputs, program: Program, state_file: str | None) -> state.State:
    path = Path(state_file) if state_file else inputs.state_file()
    try:
        return state.sync(path, program)
    except AscoCalError as exc:
        _fail(str(exc))


def _filter(program: Program, options: dict[str, tuple[str, ...]]) -> Filter:
    try:
        return parse_filter(program, {k: v for k, v in options.items() if v})
    except AscoCalError as exc:
        _fail(f"--{exc.field}: {exc.message}", EXIT_USAGE)


def _reminder(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple[int, ...]:
    if len(values) > MAX_REMINDERS:
        raise click.BadParameter(f"{len(values)} reminders; give at most {MAX_REMINDERS}")
    try:
        return tuple(sorted({parse_duration_minutes(v) for v in values}, reverse=True))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def filter_options(func: F) -> F:
    """``--abstract``, ``--type``, ``--compound`` and ``--date``, each repeatable."""
    helps = {
        "abstract": "Only these abstracts, e.g. 8017 (repeat or comma-separate).",
        "type": "Only this session type, e.g. poster.",
        "compound": "Only sessions about this compound, e.g. SAR3419.",
        "date": "Only sessions on this day, YYYY-MM-DD.",
        "meeting": "Only this meeting's sessions (a folder of meetings), by its id, e.g. "
        "asco-2011.",
    }
    for name in reversed(OPTION_NAMES):
        func = click.option(f"--{name}", name, multiple=True, metavar="VALUE", help=helps[name])(
            func
        )
    return func


def sessions_argument(func: F) -> F:
    """``[SESSIONS.yaml]``: one sessions file (default ./sessions.yaml), or a folder of
    meetings, or several files (one meeting each)."""
    return click.argument("sessions", nargs=-1, metavar="[SESSIONS.yaml | FOLDER]...",
                          type=click.Path())(func)  # fmt: skip


def today_option(func: F) -> F:
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        metavar="YYYY-MM-DD",
        help="For a folder of meetings: the day that decides which meetings are past "
        "[default: SOURCE_DATE_EPOCH's day, else today].",
    )(func)


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else state.now().date()


def state_option(func: F) -> F:
    return click.option(
        "--state",
        "state_file",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Revision state file [default: SESSIONS.state.yaml beside the sessions file; "
        "a folder's calendar.state.yaml].",
    )(func)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, "-V", "--version", prog_name="asco-cal")
def cli() -> None:
    """Turn conference sessions (sessions.yaml) into calendar files and feeds.

    \b
    Start with:
      asco-cal validate            check sessions.yaml, every problem at once
      asco-cal list                the agenda in the terminal
      asco-cal export              write the .ics file to import or share
      asco-cal serve               a live feed people subscribe to
      asco-cal build -o site/      the agenda page and feeds as static files
    """


# -- validate -------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@sessions_argument
@warning_options
def validate(sessions: tuple[str, ...], quiet: bool, max_warnings: int | None) -> None:
    """Check SESSIONS.yaml (or a folder of meetings) and report every problem, one per line.

    Each line reads FILE:LINE:COLUMN: FIELD: MESSAGE; warnings say "warning".
    Every warning is listed unless --quiet or --max-warnings says otherwise.
    Exits 1 if there are errors, 0 if only warnings remain.

    \b
    Examples:
      asco-cal validate
      asco-cal validate conferences/asco-2011.yaml
      asco-cal validate --max-warnings 5     # at most 5 overlaps, 5 unknown keys...
      asco-cal validate meetings/            # every meeting of the folder
    """
    limit = _limit(quiet, max_warnings, None)
    inputs = _inputs(sessions)
    sessions_label = inputs.label
    try:
        loaded = load_inputs(inputs)
    except InvalidInput as exc:
        _show(sessions_label, exc.problems, limit, err=False)
        errors, warnings = len(exc.errors), len(exc.warnings)
        found = f"{wording.count(errors, 'error')}, {wording.count(warnings, 'warning')}"
        click.echo(f"{sessions_label}: {found}")
        sys.exit(EXIT_INVALID)
    except AscoCalError as exc:
        _fail(str(exc))
    _show(sessions_label, loaded.warnings, limit, err=False)
    program = loaded.program
    click.echo(
        f"{sessions_label}: OK: {wording.count(len(program.events), 'event')} "
        + (f"in {wording.count(len(program.meetings), 'meeting')} " if program.folder else "")
        + f"({len(program.scheduled)} scheduled, {len(program.unscheduled)} not yet), "
        f"{wording.count(len(loaded.warnings), 'warning')}"
    )


# -- export ---------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@sessions_argument
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write the .ics; - for standard output "
    "[default: the calendar's name, e.g. immunogen-at-asco-2011.ics].",
)
@click.option(
    "--split",
    "split_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write one .ics per event into DIR, replacing its .ics files all at once "
    "(DIR must hold nothing else); with -o, the combined file too.",
)
@filter_options
@click.option(
    "--reminder",
    "reminder",
    multiple=True,
    metavar="DURATION",
    callback=_reminder,
    help="Reminder before each event, e.g. 30m, 1h, 1d (repeatable); "
    "replaces the file's reminders.",
)
@click.option("--no-reminders", is_flag=True, help="Write no reminders at all.")
@warning_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="ics",
    show_default=True,
    help="ics (iCalendar), jcal (the same as JSON, RFC 7265), json (a plain agenda) or "
    "csv (a spreadsheet; `asco-cal import` reads it back).",
)
@state_option
@locale_option
def export(
    sessions: tuple[str, ...],
    output: str | None,
    split_dir: str | None,
    abstract: tuple[str, ...],
    type: tuple[str, ...],
    compound: tuple[str, ...],
    date: tuple[str, ...],
    meeting: tuple[str, ...],
    reminder: tuple[int, ...],
    no_reminders: bool,
    quiet: bool,
    max_warnings: int | None,
    fmt: str,
    state_file: str | None,
    locale: str | None,
) -> None:
    """Write the sessions as an .ics calendar file (or jCal, JSON, CSV).

    Sessions whose date or time is not announced yet are listed as skipped.
    Warnings are shown up to 20 of each kind (--max-warnings, --quiet).
    The file is written atomically: a failed export never leaves a broken file.
    Import it once (a snapshot), or better, publish a feed (see `serve`,
    `build`) so that later changes reach everyone.

    \b
    Examples:
      asco-cal export                                 # writes <calendar name>.ics
      asco-cal export -o asco.ics --reminder 1h --reminder 15m
      asco-cal export --abstract 8017 -o -            # one abstract, to stdout
      asco-cal export --type poster --split posters/  # one file per poster
      asco-cal export --format csv -o agenda.csv      # for spreadsheets and documents
      asco-cal export --locale de-DE -o de.ics        # summaries and notes in German
      asco-cal export meetings/ --meeting asco-2011   # one meeting of a folder
    """
    if split_dir is not None and fmt != "ics":
        _fail("--split writes .ics files; use it without --format", EXIT_USAGE)
    if reminder and no_reminders:
        _fail("--reminder and --no-reminders contradict each other; use one", EXIT_USAGE)
    inputs = _inputs(sessions)
    loaded = _load(inputs, limit=_limit(quiet, max_warnings, WARNINGS_SHOWN), locale=locale)
    program = loaded.program
    selection = _filter(program, {"abstract": abstract, "type": type, "compound": compound,
                                  "date": date, "meeting": meeting})  # fmt: skip
    chosen = selection.apply(program.events)
    revisions = _state(inputs, program, state_file)
    reminders: tuple[int, ...] | None = () if no_reminders else (reminder or None)
    timed = [e for e in chosen if e.scheduled]
    from asco_cal import feeds  # here, not at the top: `--help` need not load icalendar

    writers = feeds.Writers(program, revisions, reminders)
    writer = writers.writer(selection)  # a filtered feed has its own calendar name
    written: list[str] = []
    too_big = None
    if output is not None or split_dir is None:
        target = output or download_name(program, suffix=FORMATS[fmt])
        data = _formatted(fmt, writer, feeds.named(program, selection), chosen, revisions,
                          reminders)  # fmt: skip
        if target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            target = "standard output"
        else:
            _write(Path(target), data)
        if fmt == "ics":  # Google Calendar drops a feed over 1 MB: say so, and what fits
            too_big = feeds.export_warning(writers, selection, len(data), target)
        count = len(timed) if fmt in ("ics", "jcal") else len(chosen)
        written.append(
            f"{wording.count(count, 'event' if fmt in ('ics', 'jcal') else 'session')} to {target}"
        )
    if split_dir is not None:
        folder = Path(split_dir)
        files = {f"{e.key}.ics": writer.calendar([e], single=True) for e in timed}
        try:
            write_folder_atomic(folder, files)
        except FolderInUse as exc:
            _fail(f"{folder}: {exc.strerror}; nothing was changed")
        except OSError as exc:
            _fail(f"{folder}: cannot write ({exc.strerror}); nothing was changed")
        written.append(f"{wording.count(len(timed), 'file')} to {folder}{'/' if timed else ''}")
    skipped = _skipped(chosen) if fmt in ("ics", "jcal") else ""
    click.echo(f"Wrote {' and '.join(written)}{skipped}.", err=True)
    if too_big:
        click.echo(f"Warning: {too_big}.", err=True)


def _formatted(
    fmt: str,
    writer: ics.Writer,
    program: Program,
    chosen: Sequence[Event],
    revisions: state.State,
    reminders: tuple[int, ...] | None,
) -> bytes:
    if fmt == "ics":
        return writer.calendar(chosen)
    if fmt == "jcal":
        from asco_cal import ics

        return ics.to_jcal(program, chosen, revisions, reminders=reminders)
    from asco_cal import tabular

    return tabular.to_json(program, chosen) if fmt == "json" else tabular.to_csv(program, chosen)


def _skipped(events: Iterable[Event]) -> str:
    later = [e.label for e in events if not e.scheduled]
    if not later:
        return ""
    shown = ", ".join(later[:5]) + (f" and {len(later) - 5} more" if len(later) > 5 else "")
    return f"; skipped {wording.count(len(later), 'session')} with no date or time yet ({shown})"


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        _fail(f"{path}: cannot write ({exc.strerror}); nothing was changed")


# -- list -----------------------------------------------------------------------


@cli.command("list", epilog=EXIT_CODES)
@sessions_argument
@filter_options
@locale_option
@today_option
def list_(
    sessions: tuple[str, ...],
    abstract: tuple[str, ...],
    type: tuple[str, ...],
    compound: tuple[str, ...],
    date: tuple[str, ...],
    locale: str | None,
    meeting: tuple[str, ...],
    today: dt.datetime | None,
) -> None:
    """Show the agenda in the terminal, grouped by day, in local time.

    A folder of meetings lists each meeting (name, city, dates, zone) with its
    sessions, in date order: those still to come first, then the past ones.

    \b
    Examples:
      asco-cal list
      asco-cal list --date 2011-06-04
      asco-cal list --compound SAR3419
      asco-cal list --locale de-DE                    # German days, 24-hour clock
      asco-cal list meetings/ --today 2026-07-01
    """
    loaded = _load(_inputs(sessions), quiet=True, writes=False, locale=locale)
    program = loaded.program
    chosen = _filter(program, {"abstract": abstract, "type": type, "compound": compound,
                               "date": date, "meeting": meeting}).apply(program.events)  # fmt: skip
    from asco_cal import terminal

    click.echo("\n".join(terminal.agenda(program, chosen, today=_today(today))))


# -- serve ----------------------------------------------------------------------


def _base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value and not value.lower().startswith(("http://", "https://")):
        raise click.BadParameter(f"not a web address: {value!r} (start it with https://)")
    return value


base_url_option = click.option(
    "--base-url",
    metavar="URL",
    callback=_base_url,
    help="Public address of the page, e.g. https://example.org/asco/ "
    "[default: calendar.url from the file].",
)


@cli.command(epilog=EXIT_CODES)
@sessions_argument
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for every interface.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@base_url_option
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Without --base-url: a host name the page may be asked for, e.g. cal.example.org "
    "(repeatable) [default: localhost, 127.0.0.1, ::1 and --host].",
)
@state_option
@locale_option
def serve(
    sessions: tuple[str, ...],
    host: str,
    port: int,
    base_url: str | None,
    allowed_hosts: tuple[str, ...],
    state_file: str | None,
    locale: str | None,
) -> None:
    """Serve the agenda page and a live feed that calendar apps subscribe to.

    \b
    Routes:
      /                    agenda page with add-to-calendar and subscribe buttons;
                           ?q=&date=&type=&compound= filter it (also /index.html)
      /my                  a personal feed's page: ?session=8017-2&abstract=8013
      /calendar.ics        the feed; filters: ?abstract=8017,8013&type=poster
                           &compound=SAR3419&date=2011-06-04&meeting=asco-2011
      /sessions/ID.ics     one event as a download, e.g. /sessions/8017-1.ics;
                           /sessions/8017.ics: every part of abstract 8017
      /add/ID/             one event's add-to-calendar buttons; ?to=google, outlook,
                           office or apple redirects to the service
      /agenda.json         every session and feed with its links, as JSON
      /embed.html          the agenda as a fragment for another site's page
      /favicon.ico         the icon: the logo's file (/logo.png, /logo.svg...) or
                           a generated /favicon.svg
      /healthz             status, and the problems of the latest edit

    Without --base-url (or calendar.url), the page's links are made from the
    request's host name, so only the names given with --allowed-host (and the
    loopback ones) are answered; others get a 400.

    Edits to SESSIONS.yaml are picked up within a second.  If an edit breaks
    the file, the last good calendar stays online and /healthz says why.
    Calendar apps need HTTPS: put a reverse proxy (Caddy, nginx) in front, or
    publish static files with `asco-cal build` instead.

    \b
    Examples:
      asco-cal serve
      asco-cal serve sessions.yaml --port 8080
      asco-cal serve --host 0.0.0.0 --base-url https://cal.example.org/
      asco-cal serve meetings/        # a folder: files added, edited, removed are seen
    """
    import logging
    import socket

    import uvicorn

    gc.enable()  # a long-running process

    from asco_cal.server import AccessLog, InvalidStart, create_app
    from asco_cal.server.hosts import LOOPBACK
    from asco_cal.server.middleware import MAX_HEAD

    wildcard = host in ("0.0.0.0", "::", "")  # noqa: S104
    hosts = [*LOOPBACK, *([] if wildcard else [host]), *allowed_hosts]
    inputs = _inputs(sessions)
    label = inputs.label
    try:
        app = create_app(
            inputs.given,
            state_file=state_file,
            base_url=base_url,
            allowed_hosts=hosts,
            locale=locale,
        )
    except InvalidStart as exc:
        for line in exc.problem_lines:
            click.echo(line, err=True)
        _fail(
            f"{label}: cannot start the server until the "
            f"{'files are' if inputs.several else 'file is'} valid "
            f"(run `asco-cal validate {label}`)"
        )
    for warning in app.problems:
        click.echo(warning, err=True)
    too_big = app.size_warning
    if too_big:
        click.echo(f"Warning: {too_big}.", err=True)
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror}); try another --port")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S"
    )
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host  # noqa: S104
    local = f"http://{shown}:{port}/"
    program = app.program
    click.echo(
        f"asco-cal {__version__}: serving {program.calendar.name!r} from {label}\n"
        f"  Agenda page:  {local}\n"
        f"  Feed:         {local}calendar.ics\n"
        f"  Health:       {local}healthz\n"
        + (f"  Public page:  {base_url}\n" if base_url else "")
        + (
            ""
            if app.source.page_base
            else f"  Answers for:  {', '.join(dict.fromkeys(hosts))} (add names with "
            "--allowed-host, or give --base-url)\n"
        )
        + "Edits to the file are picked up automatically. Press Ctrl+C to stop.",
        err=True,
    )
    # A page rendering in its worker thread gives the interpreter back to the event loop
    # within this (Python's default is 5 ms), so feed polls wait for no rendering.
    sys.setswitchinterval(SWITCH_INTERVAL)
    uvicorn.run(
        AccessLog(app, stream=sys.stderr),
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        log_level="warning",
        server_header=False,
        h11_max_incomplete_event_size=MAX_HEAD,
    )


# -- build ----------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@sessions_argument
@click.option(
    "-o",
    "--output",
    default="site",
    show_default=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Folder to write the site into.",
)
@base_url_option
@state_option
@locale_option
@today_option
def build(
    sessions: tuple[str, ...],
    output: str,
    base_url: str | None,
    state_file: str | None,
    locale: str | None,
    today: dt.datetime | None,
) -> None:
    """Write the agenda page and every feed as static files, for any web host.

    \b
    DIR/index.html                 the agenda page
    DIR/calendar.ics               all sessions
    DIR/sessions/ID.ics            one event each
    DIR/feeds/type/NAME.ics        one feed per type, per compound (feeds/compound/)
                                   and per day (feeds/date/2011-06-04.ics)
    DIR/feeds/meeting/ID.ics       a folder of meetings: one feed per meeting
    DIR/agenda.json                every session and feed with its links, as JSON
                                   (its schema: agenda.schema.json)
    DIR/embed.html                 the agenda as a fragment for another site's page

    Identical input gives byte-identical files.  Give --base-url (or calendar.url
    in the file) so the page can offer subscribe buttons and a QR code.

    \b
    Examples:
      asco-cal build -o site/ --base-url https://example.org/asco/
      python3 -m http.server -d site 8000      # try it locally
      asco-cal build -o site-de/ --locale de-DE  # the page in German
      asco-cal build meetings/ -o site/        # a year of meetings, upcoming ones first
    """
    from asco_cal import site

    inputs = _inputs(sessions)
    loaded = _load(inputs, locale=locale)
    program = loaded.program
    revisions = _state(inputs, program, state_file)
    out = Path(output)
    try:
        result = site.build(program, revisions, out, base_url, today=_today(today))
    except OSError as exc:
        _fail(f"{exc.filename or out}: cannot write ({exc.strerror})")
    feeds = sum(1 for p in result.written if "feeds" in p.relative_to(out).parts)
    events = sum(1 for p in result.written if "sessions" in p.relative_to(out).parts)
    days = sum(1 for p in result.written if "days" in p.relative_to(out).parts)
    adds = sum(1 for p in result.written if "add" in p.relative_to(out).parts)
    old = wording.count(len(result.removed), "old file")
    removed = f"; removed {old}" if result.removed else ""
    click.echo(
        f"Built {out}/: index.html, calendar.ics, agenda.json, embed.html, "
        f"{wording.count(events, 'session file')}, "
        f"{wording.count(feeds, 'topic feed')}, {wording.count(days, 'day page')}, "
        f"{wording.count(adds, 'add-to-calendar page')}{removed}.",
        err=True,
    )
    for warning in result.warnings:
        click.echo(f"Warning: {warning}.", err=True)
    if not (base_url or program.calendar.url):
        click.echo(
            "Warning: no public address (--base-url or calendar.url): the page links to its "
            "files relatively and offers downloads, but no subscribe buttons or QR code.",
            err=True,
        )


def main() -> None:
    """Console-script entry point."""
    # A command runs once and exits: the cyclic garbage collector would only walk
    # the (acyclic) model over and over.  `serve` turns it back on.
    gc.disable()
    cli(prog_name="asco-cal")


# -- schema ---------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@click.option("-o", "--output", metavar="FILE", help="Write it to FILE instead of standard output.")
@click.option(
    "--agenda",
    is_flag=True,
    help="The schema of agenda.json (what `build` publishes for websites) instead.",
)
def schema(output: str | None, agenda: bool) -> None:
    """Print the JSON Schema of sessions.yaml, for editor completion and checking.

    It is built from the same field definitions the loader uses.  Editors with
    the YAML language server (VS Code's "YAML" extension, Neovim, Helix, JetBrains)
    use it when the file's first line is

      # yaml-language-server: $schema=sessions.schema.json

    \b
    Examples:
      asco-cal schema -o sessions.schema.json
      asco-cal schema --agenda -o agenda.schema.json
      asco-cal schema | python3 -m json.tool
    """
    from asco_cal import agenda as agenda_module
    from asco_cal import schema as schema_module

    text = agenda_module.schema_text() if agenda else schema_module.dumps()
    data = text.encode("utf-8")
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        return
    _write(Path(output), data)
    click.echo(f"Wrote the schema to {output}.", err=True)


# -- init -----------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@click.argument("sessions", default=DEFAULT_SESSIONS, metavar="[SESSIONS.yaml]")
@click.option("--conference", default="My Conference 2026", show_default=True,
              help="The conference's name.")  # fmt: skip
@click.option(
    "--timezone",
    "zone",
    default="America/Chicago",
    show_default=True,
    help="The conference's time zone: an IANA name, or CT, ET, MT, PT.",
)
@click.option(
    "--meeting",
    "folder",
    metavar="FOLDER",
    type=click.Path(file_okay=False),
    help="Add a meeting file to FOLDER (a year of meetings), named after the conference; "
    "writes FOLDER/calendar.yaml too if it has none.",
)
def init(sessions: str, conference: str, zone: str, folder: str | None) -> None:
    """Write a commented starter SESSIONS.yaml (and its schema) to fill in.

    With --meeting FOLDER, write one meeting of a folder instead:
    FOLDER/<conference>.yaml, without the calendar's details, which are in
    FOLDER/calendar.yaml.  Refuses to overwrite an existing file.

    \b
    Examples:
      asco-cal init
      asco-cal init --conference "ASCO 2026" --timezone CT
      asco-cal init conferences/esmo-2026.yaml --conference "ESMO 2026" --timezone Europe/Berlin
      asco-cal init --meeting meetings/ --conference "ESMO 2026" --timezone CET
    """
    from asco_cal import schema as schema_module
    from asco_cal.loader import CALENDAR_FILE
    from asco_cal.starter import calendar_file, starter
    from asco_cal.zones import resolve

    try:
        iana = resolve(zone)
    except ValueError as exc:
        _fail(f"--timezone: {exc}", EXIT_USAGE)
    written = []
    if folder is not None:
        target = Path(folder) / f"{slug(conference)}.yaml"
        calendar = Path(folder) / CALENDAR_FILE
        if target.exists():
            _fail(f"{target}: already exists; nothing was changed (choose another --conference)")
        if not calendar.exists():
            Path(folder).mkdir(parents=True, exist_ok=True)
            _write(calendar, calendar_file("Our sessions this year").encode("utf-8"))
            written.append(str(calendar))
        text = starter(conference, iana, meeting=True)
    else:
        target = Path(sessions)
        if target.exists():
            _fail(f"{target}: already exists; nothing was changed (choose another name)")
        text = starter(conference, iana)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        _fail(f"{target}: cannot write ({exc.strerror})")
    schema_file = target.with_name("sessions.schema.json")
    if not schema_file.exists():
        _write(schema_file, schema_module.dumps().encode("utf-8"))
        written.append(str(schema_file))
    note = "".join(f" and {w}" for w in written)
    check = folder if folder is not None else target
    click.echo(
        f"Wrote {target}{note}. Fill in your sessions, then run `asco-cal validate {check}`.",
        err=True,
    )


# -- links ----------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@sessions_argument
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Plain text, Markdown or an HTML fragment.",
)
@base_url_option
@locale_option
def links(
    sessions: tuple[str, ...],
    abstract: tuple[str, ...],
    type: tuple[str, ...],
    compound: tuple[str, ...],
    date: tuple[str, ...],
    meeting: tuple[str, ...],
    fmt: str,
    base_url: str | None,
    locale: str | None,
) -> None:
    """Print "add to calendar" links per session, to paste into emails and press releases.

    With the address where the site or server is published (--base-url, or
    calendar.url in the file), the links are short ones to it
    (https://.../add/8017-1/?to=google) that follow every later change of the
    session; without, the Google Calendar, Outlook.com and Microsoft 365 links
    hold the session as it is now, and there is no .ics link.

    \b
    Examples:
      asco-cal links
      asco-cal links --abstract 8017 --format markdown
      asco-cal links --format html --base-url https://example.org/asco/ > links.html
      asco-cal links --locale fr-FR                   # French days and words
    """
    from asco_cal import terminal

    loaded = _load(_inputs(sessions), quiet=True, writes=False, locale=locale)
    program = loaded.program
    chosen = _filter(program, {"abstract": abstract, "type": type, "compound": compound,
                               "date": date, "meeting": meeting}).apply(program.events)  # fmt: skip
    base = base_url or program.calendar.url
    click.echo(terminal.link_blocks(program, chosen, fmt, base), nl=False)
    later = [e.label for e in chosen if not e.scheduled]
    if later:
        click.echo(f"No links for {', '.join(later)}: no date or time yet.", err=True)
    if not base:
        click.echo(
            "No .ics links: give --base-url (or calendar.url in the file), also for short "
            "links that follow later changes (these hold the sessions as they are now).",
            err=True,
        )


# -- import ---------------------------------------------------------------------


@cli.command("import", epilog=EXIT_CODES)
@click.argument("csv_file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=DEFAULT_SESSIONS, show_default=True, metavar="FILE",
              help="The sessions file to write; - for standard output.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (atomically).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "txt", "md", "html"]),
    help="What FILE is [default: from its extension; a release's text for - and "
    "addresses, HTML when it looks like a page].",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read COLUMN as FIELD (e.g. --map 'Talk=title'); COLUMN=- skips it. Repeatable.",
)
@click.option("--name", "calendar_name", metavar="TEXT",
              help="The calendar's name [default: from the file name].")  # fmt: skip
@click.option("--conference", metavar="TEXT", help="The conference's name.")
@click.option("--id", "conference_id", metavar="TEXT",
              help="The conference id UIDs are derived from, e.g. asco-2026.")  # fmt: skip
@click.option("--timezone", "zone", metavar="ZONE",
              help="Time zone of the times, e.g. CT or America/Chicago "
              "(needed unless a column gives it).")  # fmt: skip
@click.option("--year", type=click.IntRange(1971, 2099), metavar="YYYY",
              help="A release's year, when it gives none.")  # fmt: skip
def import_(
    csv_file: str,
    output: str,
    force: bool,
    fmt: str | None,
    maps: tuple[str, ...],
    calendar_name: str | None,
    conference: str | None,
    conference_id: str | None,
    zone: str | None,
    year: int | None,
) -> None:
    """Turn a spreadsheet (CSV) or a press release into a commented sessions.yaml.

    \b
    A spreadsheet (FILE.csv, or --format csv):
    Columns are recognised by name, whatever the case and spacing, with the usual
    synonyms: Abstract / Abstract # / Number, ID, Title / Session Title, Type,
    Compound, Date, Start / Start Time, End / End Time, Time (a range, a zone
    may follow), Duration, Session, Room, Hall, Poster Section, Board, Venue,
    Address, Presenters (separated by ;), Description, URL, Status, Time zone,
    Reminders.  Rows with the same ID (else abstract) become its parts.  Reads
    UTF-8 (with or without BOM) and Windows-1252 (Excel), comma, semicolon or tab
    separated.  Every
    problem is reported as FILE.csv:ROW: column "NAME": message.

    \b
    A press release (release.txt, .md, a saved page .html, - for standard input,
    or an https:// address): the draft names the meeting, its zone and every
    presentation found, each value with a comment citing the release's line, and
    marks what was inferred "# check:" (also listed as warnings, at the release's
    line and column).  Review it before you publish it.

    \b
    Examples:
      asco-cal import program.csv --timezone CT --conference "ASCO 2026" --id asco-2026
      asco-cal import program.csv --map "Talk=title" --map "Notes=-" -o asco.yaml --force
      asco-cal import release.txt -o draft.yaml && asco-cal validate draft.yaml
      asco-cal import saved-page.html -o draft.yaml --year 2015
      pbpaste | asco-cal import - -o draft.yaml
      asco-cal import https://example.org/news/asco-2026-presentations -o draft.yaml
    """
    from asco_cal import releasetext

    target = None if output == "-" else Path(output)
    if target is not None and target.exists() and not force:
        _fail(f"{target}: already exists; nothing was changed (add --force to replace it)")
    is_address = csv_file.lower().startswith(("https://", "http://"))
    kind = releasetext.format_of(csv_file, fmt)
    if kind != "csv" and (kind is not None or csv_file == "-" or is_address):
        for option, given in (("--map", maps), ("--id", conference_id), ("--name", calendar_name),
                              ("--conference", conference)):  # fmt: skip
            if given:
                _fail(f"{option} is for spreadsheets; edit the draft instead", EXIT_USAGE)
        _import_release(csv_file, kind, target, year, zone, is_address)
        return
    if year is not None:
        _fail("--year is for press releases", EXIT_USAGE)
    from asco_cal import importer

    try:
        mapping = importer.parse_map(maps)
    except UsageError as exc:
        _fail(str(exc), EXIT_USAGE)
    try:
        data = Path(csv_file).read_bytes()
    except OSError as exc:
        _fail(f"{csv_file}: cannot read ({exc.strerror})")
    name = calendar_name or (conference and f"{conference} sessions") or Path(csv_file).stem
    try:
        result = importer.import_csv(
            data,
            csv_file,
            mapping=mapping,
            calendar_name=name,
            conference=conference,
            conference_id=conference_id,
            timezone=zone,
        )
    except InvalidInput as exc:
        for problem in exc.errors:
            click.echo(str(problem), err=True)
        _fail(f"{csv_file}: {wording.count(len(exc.errors), 'problem')}; nothing written")
    except UsageError as exc:
        _fail(str(exc), EXIT_USAGE)
    except AscoCalError as exc:
        _fail(str(exc))
    if result.ignored:
        click.echo(
            f"Ignored {wording.count(len(result.ignored), 'column')} asco-cal does not know: "
            f"{', '.join(repr(c) for c in result.ignored)} (use --map COLUMN=FIELD to read one)",
            err=True,
        )
    if target is None:
        sys.stdout.write(result.yaml)
    else:
        _write(target, result.yaml.encode("utf-8"))
    where = "standard output" if target is None else str(target)
    click.echo(
        f"Imported {wording.count(result.rows, 'row')} "
        f"({wording.count(result.sessions, 'session')}) "
        f"into {where}. Next: asco-cal validate {'' if target is None else target}".rstrip(),
        err=True,
    )


def _import_release(
    source: str,
    fmt: str | None,
    target: Path | None,
    year: int | None,
    zone: str | None,
    is_address: bool,
) -> None:
    """``asco-cal import RELEASE``: a press release to a commented draft."""
    from asco_cal import release, releasetext

    try:
        address = None
        if is_address:
            data, served = releasetext.fetch(source)
            fmt = fmt or served or "html"
            address = source
        elif source == "-":
            data = sys.stdin.buffer.read(releasetext.MAX_BYTES + 1)
        else:
            try:
                with open(source, "rb") as fh:
                    data = fh.read(releasetext.MAX_BYTES + 1)
            except FileNotFoundError:
                _fail(f"{source}: file not found")
            except IsADirectoryError:
                _fail(f"{source}: is a folder, not a file")
            except OSError as exc:
                _fail(f"{source}: cannot read ({exc.strerror})")
        if fmt is None:  # standard input
            fmt = (
                "html"
                if data.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html", b"<"))
                else "txt"
            )
        if fmt == "csv":
            _fail(f"{source}: give a spreadsheet as a .csv file", EXIT_USAGE)
        text = releasetext.read(data, source, fmt, address)
        draft = release.extract(text, year=year, zone=zone)
    except InvalidInput as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _fail(f"{source}: {wording.count(len(exc.errors), 'error')}; nothing written")
    except UsageError as exc:
        _fail(str(exc), EXIT_USAGE)
    except AscoCalError as exc:
        _fail(str(exc))
    for warning in draft.warnings:
        click.echo(str(warning), err=True)
    if target is None:
        sys.stdout.write(draft.yaml)
    else:
        _write(target, draft.yaml.encode("utf-8"))
    parts = sum(len(s.parts) for s in draft.sessions)
    timed = sum(1 for e in draft.loaded.program.events if e.scheduled)
    where = "standard output" if target is None else str(target)
    click.echo(
        f"Drafted {wording.count(len(draft.sessions), 'session')} "
        f"({wording.count(parts, 'presentation')}, "
        f"{timed} with a time) into {where}; {wording.count(draft.checks, 'value')} to check "
        f"(# check:). Next: review it, then asco-cal validate {target or ''}".rstrip(),
        err=True,
    )


# -- push -----------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES)
@click.argument("url", metavar="URL")
@sessions_argument
@click.option("--user", metavar="NAME", help="User name on the CalDAV server.")
@click.option(
    "--password-env",
    metavar="VAR",
    help="Name of the environment variable holding the password (never put it on the "
    "command line).",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@state_option
def push(
    url: str,
    sessions: tuple[str, ...],
    user: str | None,
    password_env: str | None,
    dry_run: bool,
    state_file: str | None,
) -> None:
    """Create or update every session in a CalDAV calendar (Nextcloud, Fastmail, iCloud...).

    Events are matched by UID.  Events asco-cal pushed earlier for this
    conference that are no longer in the file are removed; other events in the
    calendar are never touched.  URL is the calendar's CalDAV address.

    \b
    Examples:
      ASCO_PW=... asco-cal push https://cloud.example.org/remote.php/dav/calendars/ann/asco/ \\
          --user ann --password-env ASCO_PW
      asco-cal push http://localhost:5232/ann/asco/ --dry-run
    """
    from asco_cal.push import push as push_to

    if not url.lower().startswith(("http://", "https://")):
        _fail(f"not a CalDAV address: {url!r} (start it with https://)", EXIT_USAGE)
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            _fail(f"--password-env: the variable {password_env} is not set", EXIT_USAGE)
    inputs = _inputs(sessions)
    loaded = _load(inputs)
    program = loaded.program
    revisions = _state(inputs, program, state_file)
    try:
        result = push_to(program, revisions, url, user=user, password=password, dry_run=dry_run)
    except AscoCalError as exc:
        _fail(str(exc))
    verb = "Would push" if dry_run else "Pushed"
    click.echo(
        f"{verb} to {url}: {len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.removed)} removed"
        f"{_skipped(program.events)}.",
        err=True,
    )
