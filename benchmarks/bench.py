"""Speed and memory of asco-cal on synthetic programs; prints a Markdown table.

    python benchmarks/bench.py              # 10, 100, 1,000 and 5,000 sessions
    python benchmarks/bench.py 20000        # other sizes

Each time is the best of several runs (wall clock, this machine); memory is the
peak of Python allocations (tracemalloc) during the step.  Goals (checked by
eye here, never in unit tests): validate + export of 1,000 sessions under 2 s;
a cached feed request under 5 ms; the whole 1,000-session feed under 1 MB,
Google's reported limit.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1306411200")

from generate import generate

from asco_cal import ics, site, state
from asco_cal.loader import load_text


def best(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def peak(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def measure(n: int) -> dict[str, str]:
    from starlette.testclient import TestClient

    from asco_cal.server import create_app

    text = generate(n)
    runs = 5 if n <= 1000 else 2
    t_load, loaded = best(lambda: load_text(text, "bench.yaml"), runs)
    program = loaded.program
    revisions = state.update(state.EMPTY, program, state.now())
    t_export, data = best(lambda: ics.export(program, program.events, revisions), runs)
    mem = peak(lambda: ics.export(program, program.events, revisions))
    mem_load = peak(lambda: load_text(text, "bench.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sessions.yaml"
        path.write_text(text, encoding="utf-8")
        t_start, app = best(lambda: create_app(path, allowed_hosts=("testserver",)), 1)
        client = TestClient(app)
        headers = {"Accept-Encoding": "identity"}
        t_cold, _ = best(lambda: client.get("/calendar.ics", headers=headers), 1)
        t_warm, _ = best(lambda: client.get("/calendar.ics", headers=headers), 20)
        t_filter, _ = best(lambda: client.get("/calendar.ics?type=oral&date=2011-06-04",
                                              headers=headers), 3)  # fmt: skip
        t_page, _ = best(lambda: client.get("/"), 2)
        t_build, _ = best(lambda: site.build(program, revisions, Path(tmp) / "site", None), 1)
    events = len(program.scheduled)
    return {
        "abstracts": f"{n:,}",
        "events": f"{events:,}",
        "yaml KB": f"{len(text.encode()) / 1024:,.0f}",
        "load+validate ms": f"{t_load * 1000:,.1f}",
        "export ms": f"{t_export * 1000:,.1f}",
        "µs/event": f"{(t_load + t_export) / events * 1e6:,.0f}",
        ".ics KB": f"{len(data) / 1024:,.0f}",
        "peak MB (load/export)": f"{mem_load:,.1f}/{mem:,.1f}",
        "server start ms": f"{t_start * 1000:,.0f}",
        "feed cold ms": f"{t_cold * 1000:,.1f}",
        "feed cached ms": f"{t_warm * 1000:,.2f}",
        "filtered ms": f"{t_filter * 1000:,.1f}",
        "page ms": f"{t_page * 1000:,.0f}",
        "build s": f"{t_build:,.2f}",
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10, 100, 1000, 5000]
    rows = [measure(n) for n in sizes]
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---:" for _ in cols) + "|")
    for row in rows:
        print("| " + " | ".join(row[c] for c in cols) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
