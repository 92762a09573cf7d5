"""The hostile sessions files: the time and memory `asco-cal validate` and `asco-cal export`
take on each, in its own process.

    python benchmarks/hostile.py

The files are ``tests/data/hostile/*.yaml`` (63 broken, malicious and strange files with their
exact expected messages, checked by ``tests/test_hostile.py``) and the four too big for git
that ``tests/data/hostile/make_big.py`` writes to a temporary folder (50 MB, four million
presenters, a 15 MB title, a million levels of nesting).  Each command runs in a child forked
by ``tests/limits.py`` after the imports; its peak memory (max RSS) counts the pages shared
with that small parent, so it overstates, never understates.

Target: every run ends cleanly (exit 0 or 1) in under 2 s and 200 MB.  The table lists the
slowest runs and the largest, then a summary line; exits 1 when the target is not met.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from limits import generated, run_each  # noqa: E402

HOSTILE = ROOT / "tests" / "data" / "hostile"
SECONDS, MEGABYTES = 2.0, 200.0
SHOWN = 8  # rows of the slowest and of the largest


def _files(scratch: Path) -> list[Path]:
    return sorted(HOSTILE.glob("*.yaml")) + generated(HOSTILE / "make_big.py", scratch / "big")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        paths = _files(scratch)
        sizes = {str(p): p.stat().st_size for p in paths}
        export = ["export", "-o", str(scratch / "out.ics"), "--state", str(scratch / "s.yaml")]
        rows = [
            {**row, "command": command[0]}
            for command in (["validate"], export)
            for row in run_each(command, paths)
        ]
    print("| file | size | command | exit | seconds | peak MB |")
    print("|---|---:|---|---:|---:|---:|")
    slowest = sorted(rows, key=lambda r: -r["seconds"])[:SHOWN]
    largest = sorted(rows, key=lambda r: -r["max_rss_mb"])[:SHOWN]
    shown = slowest + [r for r in largest if r not in slowest]
    for r in shown:
        print(
            f"| {Path(r['file']).name} | {sizes[r['file']]:,} B | {r['command']} | {r['exit']} "
            f"| {r['seconds']:.2f} | {r['max_rss_mb']:.0f} |"
        )
    bad = [
        r
        for r in rows
        if r["exit"] not in (0, 1) or r["seconds"] >= SECONDS or r["max_rss_mb"] >= MEGABYTES
    ]
    print(
        f"\n{len(rows)} runs ({len(paths)} files, validate and export): slowest "
        f"{slowest[0]['seconds']:.2f} s, largest {largest[0]['max_rss_mb']:.0f} MB; "
        + ("all within 2 s and 200 MB, none crashed" if not bad else f"{len(bad)} over the limits")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
