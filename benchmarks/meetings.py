"""A year of meetings against one file: the same 10,000 sessions, as 20 meetings of 500 in a
folder, or in one sessions file.

    python benchmarks/meetings.py                    # 5 interleaved rounds, medians
    python benchmarks/meetings.py --rounds 3 --meetings 20 --sessions 10000
    python benchmarks/meetings.py --baseline /tmp/old  # also the one file with an older
                                                       # checkout's src/ (no slowdown?)

Each command is a whole process (``python -m asco_cal``), as people run it: ``validate``
(load), ``export`` and ``build``, with their state files already written, as in daily use.
Rounds are interleaved (folder, file, folder, file...) so that a slow moment of the
machine hits both alike.  The sessions are those of ``benchmarks/generate.py``; the
folder holds them in order, about 500 events per meeting file, each file with a
conference of its own (same zone and dates) and the calendar's details in
``calendar.yaml``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

PY = sys.executable
SRC = Path(__file__).resolve().parent.parent / "src"


def split(text: str, meetings: int) -> dict[str, str]:
    """The generated file's sessions as ``meetings`` files (and calendar.yaml)."""
    head, _, body = text.partition("sessions:\n")
    items = re.split(r"(?m)^(?=  - abstract:)", body)
    items = [item for item in items if item.strip()]
    events = [2 if "\n    parts:\n" in item else 1 for item in items]
    per = sum(events) / meetings
    conference = head[head.index("conference:") :]
    files: dict[str, str] = {
        "calendar.yaml": head[: head.index("conference:")],
    }
    chunk: list[str] = []
    count = 0
    k = 1
    for item, n in zip(items, events, strict=True):
        chunk.append(item)
        count += n
        if count >= per * k and k < meetings:
            files[f"meeting-{k:02d}.yaml"] = _meeting(conference, k, chunk)
            chunk, k = [], k + 1
    files[f"meeting-{k:02d}.yaml"] = _meeting(conference, k, chunk)
    return files


def _meeting(conference: str, k: int, items: list[str]) -> str:
    own = conference.replace("  name: Benchmark Meeting", f"  name: Benchmark Meeting {k}")
    own = own.replace("  id: benchmark", f"  id: benchmark-{k:02d}")
    return own + "sessions:\n" + "".join(items)


def run(args: list[str], cwd: Path, src: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    env = {**os.environ, "PYTHONPATH": str(src), "SOURCE_DATE_EPOCH": "1306000000"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-m", "asco_cal", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"asco-cal {' '.join(args)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="an older checkout, to time its src/")
    parser.add_argument("--src", type=Path, default=SRC, help="the src/ to time [this one's]")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text = generate(options.sessions)
        (work / "sessions.yaml").write_text(text, encoding="utf-8")
        folder = work / "meetings"
        folder.mkdir()
        for name, content in split(text, options.meetings).items():
            (folder / name).write_text(content, encoding="utf-8")
        inputs = {"one file": ["sessions.yaml"], "folder": ["meetings"]}
        commands = {
            "load (validate)": ["validate", "-q"],
            "export": ["export", "-q", "-o", "out.ics"],
            "build": ["build"],
        }
        trials: list[tuple[str, str, Path]] = [(what, shape, options.src) for what in commands
                                               for shape in inputs]  # fmt: skip
        if options.baseline is not None:
            trials += [(what, "one file, baseline", options.baseline / "src") for what in commands]

        def args(i: int, what: str, shape: str) -> list[str]:
            out = ["-o", f"site-{i}"] if what == "build" else []  # a site of its own each
            return [*commands[what], *inputs[shape.split(",")[0]], *out]

        for i, (what, shape, src) in enumerate(trials):  # warm up, write the state files
            run(args(i, what, shape), work, src)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(options.rounds):
            for i, (what, shape, src) in enumerate(trials):
                times.setdefault((what, shape), []).append(run(args(i, what, shape), work, src))
        exported = (work / "out.ics").read_bytes().count(b"BEGIN:VEVENT")
    files = options.meetings
    head = f"{options.sessions:,} sessions ({exported:,} events): one file, or {files} meeting"
    print(f"{head} files in a folder; whole processes, {options.rounds} interleaved rounds\n")
    print("| command | input | wall (s) | min–max (s) | peak RSS (MB) | folder / file |")
    print("|---|---|---:|---:|---:|---:|")
    for what in commands:
        base = statistics.median(w for w, _ in times[(what, "one file")])
        for shape in [s for w, s, _ in trials if w == what]:
            walls = [w for w, _ in times[(what, shape)]]
            rss = max(r for _, r in times[(what, shape)])
            wall = statistics.median(walls)
            print(f"| {what} | {shape} | {wall:.2f} | {min(walls):.2f}–{max(walls):.2f} | "
                  f"{rss:.0f} | {wall / base:.2f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
