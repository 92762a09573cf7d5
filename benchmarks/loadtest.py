"""Load test of `asco-cal serve`: feed requests while another process edits the file.

    python benchmarks/loadtest.py                      # 20,000 requests, 50 connections
    python benchmarks/loadtest.py --requests 2000 --concurrency 20 --rewrites 10
    python benchmarks/loadtest.py --abstracts 1200 --page-share 0.1   # mixed load
    python benchmarks/loadtest.py --soak 1000          # 1,000 reloads, memory sampled

What it does, on loopback only, bounded in requests and time:

* starts ``asco-cal serve`` (one uvicorn worker) on a free port, on a copy of
  the sessions file (default: a generated 200-abstract file) in a temporary folder;
* a second process rewrites the file REWRITES times, alternating valid edits
  (each renames a new version into place, as editors do) and broken ones
  (a YAML syntax error, an impossible time written in place, the file deleted
  for a moment, an empty file); the last write is a valid one;
* 50 keep-alive connections send feed requests (the full feed, and a filtered
  one every fifth request) until REQUESTS are done and the editor has finished;
  with ``--page-share 0.1``, one request in ten is a page view instead (the page,
  a filtered view or a day, gzipped as browsers ask), the rest feed polls.

It checks: no failed request and no 5xx; every feed body is a complete calendar
equal to one of the valid versions (compared without DTSTAMP, LAST-MODIFIED,
SEQUENCE and CREATED, which depend on which versions the server happened to
see); after the last valid write the feed serves it within 2 seconds.  It
prints requests, errors, requests per second and p50/p99 latency, and exits 1
if a check fails.  Pages are checked too: complete, and of one of the valid
versions (by their title); feed and page latencies are reported apart.

``--soak RELOADS`` runs instead, in one process, RELOADS reloads of the file (each a
new version) with the page, a filtered page and two feeds asked for after each,
and samples the resident memory: it must not grow beyond noise.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

from asco_cal import feeds, state
from asco_cal.filters import parse_filter
from asco_cal.loader import load_text

PAGES = ("/", "/?type=poster", "/", "/?q=phase+study", "/", "/?date=2011-06-04")
TITLE = re.compile(rb"<title>(?:[^<]* \xc2\xb7 )?(Revision \d+)</title>")
VOLATILE = re.compile(rb"^(DTSTAMP|LAST-MODIFIED|SEQUENCE|CREATED)[:;].*\r\n", re.MULTILINE)
FILTERED = "/calendar.ics?type=poster"


def normal(body: bytes) -> bytes:
    """A feed without the revision properties (unfolded first)."""
    return VOLATILE.sub(b"", body.replace(b"\r\n ", b""))


def versions(base: str, count: int) -> list[str]:
    """``count`` valid versions of ``base``: each renames the calendar and moves a room."""
    out = []
    for i in range(count):
        text = re.sub(r"name: .*", f"name: Revision {i:03d}", base, count=1)
        out.append(text.replace("room: ", f"room: R{i} ", 1))
    return out


BROKEN = ("syntax", "time", "missing", "empty")


def _replace(target: Path, text: str) -> None:
    """Write beside, then rename into place, as most editors save."""
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def editor(path: str, edits: list[tuple[str, str]], interval: float, ready: object) -> None:
    """The other process: one edit every ``interval`` seconds."""
    ready.wait()  # type: ignore[attr-defined]
    target = Path(path)
    for kind, text in edits:
        time.sleep(interval)
        if kind == "valid":
            _replace(target, text)
        elif kind == "syntax":
            _replace(target, text + "\nsessions: [\n")
        elif kind == "time":  # written in place, the way some editors save
            target.write_text(text.replace("time: ", "time: 25:", 1), encoding="utf-8")
        elif kind == "missing":  # deleted for a moment, then back (still broken)
            target.unlink()
            time.sleep(interval / 2)
            target.write_text(text.replace("date: ", "date: 2011-02-30 #", 1), encoding="utf-8")
        else:
            target.write_text("", encoding="utf-8")


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    page_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bodies: dict[bytes, tuple[str, bytes]] = field(default_factory=dict)  # digest -> (path, body)
    pages: dict[bytes, tuple[str, bytes]] = field(default_factory=dict)  # digest -> (path, html)
    statuses: dict[int, int] = field(default_factory=dict)


def pick(n: int, page_every: int) -> str:
    """The ``n``-th request of a connection: a page view every ``page_every``-th (0: none),
    else the feed (filtered every fifth)."""
    if page_every and n % page_every == 0:
        return PAGES[(n // page_every) % len(PAGES)]
    return FILTERED if n % 5 == 0 else "/calendar.ics"


async def connection(
    port: int,
    results: Results,
    quota: list[int],
    editing: asyncio.Event,
    deadline: float,
    page_every: int = 0,
    offset: int = 0,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = offset  # connections start at different points of the mix
    try:
        while (quota[0] > 0 or not editing.is_set()) and time.monotonic() < deadline:
            quota[0] -= 1
            n += 1
            path = pick(n, page_every)
            page = not path.startswith("/calendar.ics")
            started = time.perf_counter()
            gz = "Accept-Encoding: gzip\r\n" if page else ""  # as browsers ask for pages
            writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{gz}\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            body = await reader.readexactly(length)
            took = time.perf_counter() - started
            (results.page_latencies if page else results.latencies).append(took)
            results.statuses[status] = results.statuses.get(status, 0) + 1
            if status != 200:
                results.errors.append(f"{path}: HTTP {status}")
            elif page:
                digest = hashlib.sha256(body).digest()
                if digest not in results.pages:
                    zipped = b"content-encoding: gzip" in head.lower()
                    results.pages[digest] = (path, gzip.decompress(body) if zipped else body)
            else:
                digest = hashlib.sha256(body).digest()
                results.bodies.setdefault(digest, (path, body))
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        results.errors.append(f"connection failed: {exc!r}")
    finally:
        writer.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def expected_bodies(texts: list[str]) -> dict[str, set[bytes]]:
    """Normalised feeds (full and filtered) of every valid version."""
    full, filtered = set(), set()
    for text in texts:
        program = load_text(text).program
        revisions = state.update(state.EMPTY, program, state.now())
        writers = feeds.Writers(program, revisions)
        full.add(normal(writers.calendar(parse_filter(program, {}))))
        filtered.add(normal(writers.calendar(parse_filter(program, {"type": ["poster"]}))))
    return {"/calendar.ics": full, FILTERED: filtered}


def percentiles(latencies: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds (NaN without any)."""
    if not latencies:
        return float("nan"), float("nan")
    lat = sorted(latencies)
    return statistics.median(lat) * 1000, lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000


def rss_mb() -> float:
    """This process's resident memory (Linux)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def soak(abstracts: int, reloads: int) -> int:
    """Reload a served file ``reloads`` times (each a new version: one room moved, the
    calendar renamed), asking for the page, a filtered page, the feed and a filtered
    feed after each, in this one process (the server's code, without the network);
    the resident memory is sampled every tenth reload.  Fails if, after the first
    tenth (warm-up), the last quarter's median is over 10% (and 8 MB) above the
    second quarter's, or a request fails."""
    import gc

    from asco_cal.server import Settings, create_app

    gc.enable()  # as `asco-cal serve` runs
    base = generate(abstracts)
    folder = Path(tempfile.mkdtemp(prefix="asco-soak-"))
    sessions = folder / "sessions.yaml"
    sessions.write_text(versions(base, 1)[0], encoding="utf-8")
    app = create_app(sessions, settings=Settings(poll_seconds=0.0), allowed_hosts=["localhost"])
    failures: list[str] = []
    samples: list[tuple[int, float]] = []

    async def get(path: str, query: bytes = b"") -> int:
        status = 0

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])  # type: ignore[call-overload]

        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                 "query_string": query, "headers": [(b"host", b"localhost")],
                 "scheme": "http", "server": ("localhost", 80), "root_path": "",
                 "http_version": "1.1", "client": ("127.0.0.1", 1)}  # fmt: skip
        await app(scope, receive, send)  # type: ignore[arg-type]
        return status

    async def run() -> None:
        for i in range(1, reloads + 1):
            text = re.sub(r"name: .*", f"name: Soak {i}", base, count=1)
            _replace(sessions, text.replace("room: ", f"room: S{i} ", 1))
            before = app.source.snapshot
            app.source.refresh(force=True)
            if app.source.snapshot is before:
                failures.append(f"reload {i}: the new version was not served")
            for path, query in (("/", b""), ("/", b"type=poster"), ("/calendar.ics", b""),
                                ("/calendar.ics", b"date=2011-06-04")):  # fmt: skip
                status = await get(path, query)
                if status != 200:
                    failures.append(f"reload {i}: {path}?{query.decode()}: HTTP {status}")
            if i % 10 == 0:
                samples.append((i, rss_mb()))

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    shutil.rmtree(folder)
    kept = [mb for i, mb in samples if i > reloads // 10]
    quarter = max(1, len(kept) // 4)
    early = statistics.median(kept[quarter : 2 * quarter] or kept)
    late = statistics.median(kept[-quarter:])
    peak = max(mb for _, mb in samples)
    print(f"asco-cal serve, soak: {reloads:,} reloads of {abstracts} sessions in one process, "
          "page, filtered page, feed and filtered feed after each")  # fmt: skip
    print()
    print("| reloads | seconds | RSS after 10% MB | RSS 2nd quarter MB | RSS last quarter MB | "
          "peak MB | growth |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {reloads:,} | {elapsed:,.0f} | {kept[0]:.1f} | {early:.1f} | {late:.1f} | "
          f"{peak:.1f} | {late - early:+.1f} MB ({(late - early) / early:+.1%}) |")  # fmt: skip
    if late > early * 1.10 and late - early > 8:
        failures.append(f"memory grew from {early:.1f} MB to {late:.1f} MB")
    if failures:
        print("\nFAILED:", *failures[:20], sep="\n  ")
        return 1
    print("\nAll checks passed.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rewrites", type=int, default=100)
    parser.add_argument("--abstracts", type=int, default=200, help="size of the generated file")
    parser.add_argument(
        "--interval",
        type=float,
        default=0.6,
        help="seconds between rewrites (the server polls every 0.5 s)",
    )
    parser.add_argument("--max-seconds", type=float, default=110, help="stop sending after this")
    parser.add_argument(
        "--catch-up",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="the last valid version must be served within this (a big file takes longer "
        "to reload under full load)",
    )
    parser.add_argument(
        "--page-share",
        type=float,
        default=0.0,
        help="share of the requests that are page views, e.g. 0.1 (the rest poll feeds)",
    )
    parser.add_argument(
        "--soak",
        type=int,
        default=0,
        metavar="RELOADS",
        help="instead: reload the file RELOADS times in one process, sampling its memory",
    )
    args = parser.parse_args()
    if args.soak:
        return soak(args.abstracts, args.soak)
    page_every = round(1 / args.page_share) if args.page_share > 0 else 0
    rewrites = args.rewrites + args.rewrites % 2  # even: the last write is a valid one

    base = generate(args.abstracts)
    valid = versions(base, rewrites // 2 + 1)
    edits = []  # broken, valid, broken, valid, ...: the last is valid
    for i in range(rewrites // 2):
        edits += [(BROKEN[i % len(BROKEN)], valid[i + 1]), ("valid", valid[i + 1])]
    want = expected_bodies(valid)
    last = valid[-1]
    last_marker = re.search(r"name: (Revision \d+)", last).group(1).encode()  # type: ignore[union-attr]

    folder = Path(tempfile.mkdtemp(prefix="asco-load-"))
    sessions = folder / "sessions.yaml"
    sessions.write_text(valid[0], encoding="utf-8")
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1306411200"}
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "asco_cal", "serve", str(sessions), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        ready = multiprocessing.Event()
        editor_process = multiprocessing.Process(
            target=editor, args=(str(sessions), edits, args.interval, ready)
        )
        editor_process.start()
        results = Results()

        async def run() -> float:
            editing = asyncio.Event()
            quota = [args.requests]
            deadline = time.monotonic() + args.max_seconds

            async def watch_editor() -> None:
                while editor_process.is_alive():
                    await asyncio.sleep(0.05)
                editing.set()

            started = time.perf_counter()
            ready.set()
            await asyncio.gather(
                watch_editor(),
                *(
                    connection(port, results, quota, editing, deadline, page_every, i)
                    for i in range(args.concurrency)
                ),
            )
            return time.perf_counter() - started

        elapsed = asyncio.run(run())
        editor_process.join()
        # The last valid version must be served within 2 seconds of its write.
        written = sessions.stat().st_mtime
        caught_up = None
        while time.time() - written < 5:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/calendar.ics") as response:
                if last_marker in response.read():
                    caught_up = max(0.0, time.time() - written)
                    break
            time.sleep(0.02)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()

    failures = list(results.errors)
    for path, body in results.bodies.values():
        if not body.endswith(b"END:VCALENDAR\r\n"):
            failures.append(f"{path}: an incomplete calendar")
        elif normal(body) not in want[path]:
            failures.append(f"{path}: a calendar that is none of the valid versions")
    names = {m.group(1).encode() for m in re.finditer(r"name: (Revision \d+)", "".join(valid))}
    for path, html in results.pages.values():
        title = TITLE.search(html)
        if not html.endswith(b"</html>\n"):
            failures.append(f"{path}: an incomplete page")
        elif title is None or title.group(1) not in names:
            failures.append(f"{path}: a page of none of the valid versions")
    if page_every and not results.pages:
        failures.append("no page view was answered")
    server_log = (folder / "server.log").read_text(encoding="utf-8")
    if "Traceback" in server_log:
        failures.append("the server logged a traceback")
    if caught_up is None or caught_up > args.catch_up:
        failures.append(
            f"the last valid version was not served within {args.catch_up:g} s ({caught_up})"
        )
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    total = len(results.latencies) + len(results.page_latencies)
    p50, p99 = percentiles(results.latencies)
    page_p50, page_p99 = percentiles(results.page_latencies)
    reloads = server_log.count("reloaded ")
    refusals = server_log.count("changed but has problems")
    mix = f", {args.page_share:.0%} page views" if page_every else ""
    print(f"asco-cal serve under load: {args.abstracts} sessions, {rewrites} rewrites, "
          f"{args.concurrency} connections{mix}, one uvicorn worker, loopback")  # fmt: skip
    print()
    print("| requests | failed | 5xx | distinct bodies | req/s | feed p50 ms | feed p99 ms | "
          "reloads | broken versions refused | last edit served after | page views | "
          "page p50 ms | page p99 ms |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {total:,} | {len(results.errors)} | {server_errors} | {len(results.bodies)} | "
        f"{total / elapsed:,.0f} | {p50:.1f} | {p99:.1f} | {reloads} | {refusals} | "
        f"{caught_up if caught_up is None else f'{caught_up:.2f} s'} | "
        f"{len(results.page_latencies):,} | {page_p50:.1f} | {page_p99:.1f} |"
    )
    if failures:
        print("\nFAILED:", *sorted(set(failures))[:20], sep="\n  ")
        print(f"(server log: {folder / 'server.log'})")
        return 1
    shutil.rmtree(folder)
    print("\nAll checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
