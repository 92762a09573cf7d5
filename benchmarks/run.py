"""asco-cal beside the YAML floor and yaml2ics, as whole processes, interleaved.

    python benchmarks/run.py             # N = 1,000 and 10,000 (about 4 minutes)
    python benchmarks/run.py --full      # and N = 100,000 (about 15 minutes more)
    python benchmarks/run.py --quick     # N = 1,000 only, one round: a smoke test

Prints Markdown tables: median wall time and peak RSS of each command over
--rounds rounds (in each round every command runs once, in rotating order, so
machine noise hits all alike), with ratios to the floor and to yaml2ics; then
`asco-cal build`, CLI start-up, and the feed server (requests per second,
p50/p99) beside a minimal ASGI app serving the same bytes from memory.

yaml2ics 0.3 is installed into benchmarks/.peers/ (not a project dependency)
the first time; with no network it is left out and the table says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PY = sys.executable
PEERS = HERE / ".peers"
# 100,000 sessions are 60 MB: above the default size limit, which guards against mistakes.
os.environ.setdefault("ASCO_CAL_MAX_SIZE", "1GB")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1306411200"}


# Peak RSS is a high-water mark that a forked child inherits from its parent
# until exec, so commands are started from this tiny launcher (python -S, a few
# MB), never from this script (which holds the generated programs).
LAUNCHER = """
import json, os, sys, time
command = json.loads(sys.argv[1])
devnull = os.open(os.devnull, os.O_WRONLY)
started = time.perf_counter()
pid = os.posix_spawn(command[0], command, dict(os.environ),
                     file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                   (os.POSIX_SPAWN_DUP2, devnull, 2)])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
print(json.dumps([os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024]))
"""


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    exe = shutil.which(command[0]) or command[0]
    result = subprocess.run(
        [PY, "-S", "-c", LAUNCHER, json.dumps([exe, *command[1:]])],
        cwd=cwd, env=ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    code, wall, rss = json.loads(result.stdout)
    if code != 0:
        raise SystemExit(f"failed: {' '.join(command)} (run it by hand to see why)")
    return float(wall), float(rss)


def yaml2ics_available() -> Path | None:
    exe = PEERS / "bin" / "yaml2ics"
    if not exe.exists():
        try:
            subprocess.run([PY, "-m", "venv", str(PEERS)], check=True, capture_output=True)
            subprocess.run(
                [str(PEERS / "bin" / "pip"), "install", "-q", "yaml2ics==0.3"],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError):
            shutil.rmtree(PEERS, ignore_errors=True)
            return None
    return exe


def yaml2ics_input(sessions: Path, out: Path) -> None:
    """The same events in yaml2ics's format (summary, begin, end, location, description)."""
    from asco_cal import wording
    from asco_cal.loader import load_file

    program = load_file(sessions).program
    words = wording.words(program)
    lines = [f"name: {json.dumps(program.calendar.name)}",
             f"timezone: {program.conference.timezone}", "events:"]  # fmt: skip
    for e in program.scheduled:
        assert e.starts_at is not None and e.ends_at is not None
        lines += [
            f"  - summary: {json.dumps(words.summary(e), ensure_ascii=False)}",
            f"    begin: {e.starts_at:%Y-%m-%d %H:%M:%S}",
            f"    end: {e.ends_at:%Y-%m-%d %H:%M:%S}",
            f"    uid: {e.uid()}",
            f"    location: {json.dumps(words.location(program, e), ensure_ascii=False)}",
            f"    description: {json.dumps(words.description(program, e), ensure_ascii=False)}",
        ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values)


def export_table(sizes: list[int], rounds: int, work: Path) -> dict[int, dict[str, float]]:
    peer = yaml2ics_available()
    asco = [PY, "-m", "asco_cal"]
    results: dict[int, dict[str, float]] = {}
    print("## Export: whole processes, median of", rounds, "rounds\n")
    print("| N sessions | command | wall (s) | peak RSS (MB) | vs floor (GC off) | vs yaml2ics |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in sizes:
        folder = work / str(n)
        folder.mkdir(parents=True, exist_ok=True)
        sessions = folder / "sessions.yaml"
        sessions.write_text(generate(n), encoding="utf-8")
        subprocess.run(
            [*asco, "export", "sessions.yaml", "-o", "warm.ics"],
            cwd=folder,
            env=ENV,
            check=True,
            capture_output=True,
        )  # fmt: skip  (writes the state file)
        commands: dict[str, list[str]] = {
            "PyYAML CSafeLoader parse only, GC off": [PY, str(HERE / "floor.py"),
                                                      "sessions.yaml", "-", "--parse-only"],
            "floor: CSafeLoader + minimal writer, GC off": [PY, str(HERE / "floor.py"),
                                                           "sessions.yaml", "floor.ics"],
            "floor, GC on": [PY, str(HERE / "floor.py"), "sessions.yaml", "floor.ics", "--gc-on"],
            "asco-cal export": [*asco, "export", "sessions.yaml", "-o", "asco.ics"],
        }  # fmt: skip
        if peer is not None:
            yaml2ics_input(sessions, folder / "peer.yaml")
            commands["yaml2ics 0.3 (ics-py)"] = [str(peer), "peer.yaml"]
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        names = list(commands)
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                samples[name].append(measure(commands[name], folder))
        # The benchmark's output is the normal export, byte for byte.
        assert (folder / "asco.ics").read_bytes() == (folder / "warm.ics").read_bytes()
        row = {name: median([s[0] for s in v]) for name, v in samples.items()}
        rss = {name: median([s[1] for s in v]) for name, v in samples.items()}
        floor = row["floor: CSafeLoader + minimal writer, GC off"]
        peer_time = row.get("yaml2ics 0.3 (ics-py)")
        for name in names:
            vs_peer = f"{row[name] / peer_time:.3f}x" if peer_time else "n/a"
            print(f"| {n:,} | {name} | {row[name]:.2f} | {rss[name]:.0f} | "
                  f"{row[name] / floor:.2f}x | {vs_peer} |")  # fmt: skip
        if peer is None:
            print(f"| {n:,} | yaml2ics 0.3 | not installed (no network?) | | | |")
        results[n] = {**row, **{f"rss:{k}": v for k, v in rss.items()}}
    print()
    return results


def build_and_startup(n: int, export_seconds: float, rounds: int, work: Path) -> None:
    folder = work / str(n)
    asco = [PY, "-m", "asco_cal"]
    build = [measure([*asco, "build", "sessions.yaml", "-o", "site",
                      "--base-url", "https://example.org/"], folder)[0]
             for _ in range(rounds)]  # fmt: skip
    print("## Static build and start-up\n")
    print("| what | wall (s) | note |")
    print("|---|---:|---|")
    print(
        f"| `asco-cal build` of {n:,} sessions | {median(build):.2f} | "
        f"{median(build) / export_seconds:.2f}x the export of the same file |"
    )
    sample = HERE.parent / "sessions.yaml"
    small = work / "sample"
    small.mkdir(exist_ok=True)
    shutil.copy(sample, small / "sessions.yaml")
    shutil.copy(HERE.parent / "sessions.state.yaml", small / "sessions.state.yaml")
    cases = {
        "python -c 'import icalendar, yaml, click'": [PY, "-c", "import icalendar, yaml, click"],
        "asco-cal --help": [*asco, "--help"],
        "asco-cal export (the 5-session sample)": [*asco, "export", "-o", "out.ics"],
    }
    times = {k: median([measure(c, small)[0] for _ in range(max(rounds, 5))])
             for k, c in cases.items()}  # fmt: skip
    base = times["python -c 'import icalendar, yaml, click'"]
    for name, value in times.items():
        print(f"| {name} | {value:.3f} | {value / base:.2f}x the imports |")
    heavy = subprocess.run(
        [PY, "-c", "import sys; from asco_cal.cli import cli; "
         "print(sorted({m.split('.')[0] for m in sys.modules} & "
         "{'uvicorn', 'starlette', 'jinja2', 'segno', 'caldav', 'icalendar'}))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    print(f"\nPackages of the server, template, CalDAV and iCalendar stacks that `asco-cal --help` "
          f"imports: {heavy}\n")  # fmt: skip


# -- the feed server ---------------------------------------------------------------

FLOOR_APP = """
import os
from pathlib import Path
folder = Path(os.environ["FLOOR_DIR"])
bodies = {b"/calendar.ics": (folder / "full.ics").read_bytes(),
          b"/calendar.ics?type=oral": (folder / "filtered.ics").read_bytes()}
etag = (folder / "etag").read_text().strip().encode()
async def app(scope, receive, send):
    target = scope["raw_path"] + (b"?" + scope["query_string"] if scope["query_string"] else b"")
    for name, value in scope["headers"]:
        if name == b"if-none-match" and value == etag:
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return
    body = bodies[target]
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"text/calendar; charset=utf-8"), (b"etag", etag),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _client(port: int, target: str, headers: str, count: int, conns: int) -> list[float]:
    latencies: list[float] = []
    per = count // conns

    async def one() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        request = f"GET {target} HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n".encode()
        for _ in range(per):
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            match = re.search(rb"(?i)content-length: *(\d+)", head)
            if match:
                await reader.readexactly(int(match.group(1)))
            latencies.append(time.perf_counter() - started)
        writer.close()

    await asyncio.gather(*(one() for _ in range(conns)))
    return latencies


def load(port: int, target: str, headers: str = "", count: int = 2000, conns: int = 10) -> str:
    asyncio.run(_client(port, target, headers, 200, conns))  # warm up
    started = time.perf_counter()
    lat = sorted(asyncio.run(_client(port, target, headers, count, conns)))
    elapsed = time.perf_counter() - started
    p50, p99 = lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000
    return f"{len(lat) / elapsed:,.0f} | {p50:.2f} | {p99:.2f}"


def wait_up(port: int) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/calendar.ics", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def server_table(sizes: list[int], export_times: dict[int, float], work: Path) -> None:
    print("## Feed server: one uvicorn worker on loopback, 10 keep-alive connections\n")
    print("| N | server | request | req/s | p50 ms | p99 ms |")
    print("|---:|---|---|---:|---:|---:|")
    reloads = []
    for n in sizes:
        folder = work / str(n)
        port, floor_port = free_port(), free_port()
        log = (folder / "serve.log").open("w")
        server = subprocess.Popen([PY, "-m", "asco_cal", "serve", "sessions.yaml", "--port",
                                   str(port)], cwd=folder, env=ENV, stdout=log,
                                  stderr=subprocess.STDOUT)  # fmt: skip
        floor_server = None
        try:
            wait_up(port)
            full = urllib.request.urlopen(f"http://127.0.0.1:{port}/calendar.ics")
            etag = full.headers["ETag"]
            (folder / "full.ics").write_bytes(full.read())
            filtered = urllib.request.urlopen(f"http://127.0.0.1:{port}/calendar.ics?type=oral")
            (folder / "filtered.ics").write_bytes(filtered.read())
            (folder / "etag").write_text(etag)
            (folder / "floor_app.py").write_text(FLOOR_APP)
            floor_server = subprocess.Popen(
                [PY, "-m", "uvicorn", "floor_app:app", "--port", str(floor_port), "--log-level",
                 "warning", "--no-access-log"],
                cwd=folder, env={**ENV, "FLOOR_DIR": str(folder)},
            )  # fmt: skip
            wait_up(floor_port)
            cases: list[tuple[str, str, str]] = [
                ("full feed", "/calendar.ics", ""),
                ("filtered feed (?type=oral)", "/calendar.ics?type=oral", ""),
                ("304 (If-None-Match)", "/calendar.ics", f"If-None-Match: {etag}\r\n"),
            ]
            count = 2000 if n <= 1000 else 600
            for label, target, headers in cases:
                for name, p in (("asco-cal serve", port), ("floor: minimal ASGI app", floor_port)):
                    print(f"| {n:,} | {name} | {label} | {load(p, target, headers, count)} |")
            # An edit: how long until the new version is built and served.
            sessions = folder / "sessions.yaml"
            text = sessions.read_text(encoding="utf-8")
            sessions.write_text(text.replace("room: Room 1\n", "room: Room 1b\n", 1),
                                encoding="utf-8")  # fmt: skip
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                found = re.findall(r"reloaded .*: \d+ events in ([\d.]+) s",
                                   (folder / "serve.log").read_text())  # fmt: skip
                if found:
                    reloads.append((n, float(found[-1])))
                    break
                time.sleep(0.1)
            sessions.write_text(text, encoding="utf-8")
        finally:
            server.terminate()
            server.wait()
            if floor_server is not None:
                floor_server.terminate()
                floor_server.wait()
            log.close()
    print()
    for n, seconds in reloads:
        ratio = seconds / export_times[n]
        print(f"After an edit of the {n:,}-session file the server rebuilt feed, events and "
              f"page in {seconds:.2f} s ({ratio:.2f}x its export time).")  # fmt: skip
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also N = 100,000")
    parser.add_argument("--quick", action="store_true", help="N = 1,000, one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-server", action="store_true", help="skip the feed server table")
    parser.add_argument("--sizes", type=int, nargs="+", help="these N instead")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [1000, 10_000] + ([100_000] if args.full else [])
    sizes = args.sizes or sizes
    rounds = 1 if args.quick else args.rounds
    work = Path(tempfile.mkdtemp(prefix="asco-bench-"))
    import icalendar
    import yaml

    from asco_cal import __version__

    print(f"# asco-cal {__version__} benchmarks\n")
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
          f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), "
          f"icalendar {icalendar.__version__}.\n")  # fmt: skip
    results = export_table(sizes, rounds, work)
    exports = {n: r["asco-cal export"] for n, r in results.items()}
    small = [s for s in sizes if s <= 10_000]
    if small:
        build_and_startup(max(small), exports[max(small)], rounds, work)
    if not args.no_server:
        server_table([n for n in sizes if n <= 10_000], exports, work)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
