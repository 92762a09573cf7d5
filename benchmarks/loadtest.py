"""Load test of `asco-cal serve`: feed requests while another process edits the file.

    python benchmarks/loadtest.py                      # 20,000 requests, 50 connections
    python benchmarks/loadtest.py --requests 2000 --concurrency 20 --rewrites 10

What it does, on loopback only, bounded in requests and time:

* starts ``asco-cal serve`` (one uvicorn worker) on a free port, on a copy of
  the sessions file (default: a generated 200-abstract file) in a temporary folder;
* a second process rewrites the file REWRITES times, alternating valid edits
  (each renames a new version into place, as editors do) and broken ones
  (a YAML syntax error, an impossible time written in place, the file deleted
  for a moment, an empty file); the last write is a valid one;
* 50 keep-alive connections send feed requests (the full feed, and a filtered
  one every fifth request) until REQUESTS are done and the editor has finished.

It checks: no failed request and no 5xx; every feed body is a complete calendar
equal to one of the valid versions (compared without DTSTAMP, LAST-MODIFIED,
SEQUENCE and CREATED, which depend on which versions the server happened to
see); after the last valid write the feed serves it within 2 seconds.  It
prints requests, errors, requests per second and p50/p99 latency, and exits 1
if a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
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
    errors: list[str] = field(default_factory=list)
    bodies: dict[bytes, tuple[str, bytes]] = field(default_factory=dict)  # digest -> (path, body)
    statuses: dict[int, int] = field(default_factory=dict)


async def connection(
    port: int, results: Results, quota: list[int], editing: asyncio.Event, deadline: float
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = 0
    try:
        while (quota[0] > 0 or not editing.is_set()) and time.monotonic() < deadline:
            quota[0] -= 1
            n += 1
            path = FILTERED if n % 5 == 0 else "/calendar.ics"
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            body = await reader.readexactly(length)
            results.latencies.append(time.perf_counter() - started)
            results.statuses[status] = results.statuses.get(status, 0) + 1
            if status != 200:
                results.errors.append(f"{path}: HTTP {status}")
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
    args = parser.parse_args()
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
                    connection(port, results, quota, editing, deadline)
                    for _ in range(args.concurrency)
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
    server_log = (folder / "server.log").read_text(encoding="utf-8")
    if "Traceback" in server_log:
        failures.append("the server logged a traceback")
    if caught_up is None or caught_up > 2:
        failures.append(f"the last valid version was not served within 2 s ({caught_up})")
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    total = len(results.latencies)
    lat = sorted(results.latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    reloads = server_log.count("reloaded ")
    refusals = server_log.count("changed but has problems")
    print(f"asco-cal serve under load: {args.abstracts} sessions, {rewrites} rewrites, "
          f"{args.concurrency} connections, one uvicorn worker, loopback")  # fmt: skip
    print()
    print("| requests | failed | 5xx | distinct bodies | req/s | p50 ms | p99 ms | reloads | "
          "broken versions refused | last edit served after |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {total:,} | {len(results.errors)} | {server_errors} | {len(results.bodies)} | "
        f"{total / elapsed:,.0f} | {p50:.1f} | {p99:.1f} | {reloads} | {refusals} | "
        f"{caught_up if caught_up is None else f'{caught_up:.2f} s'} |"
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
